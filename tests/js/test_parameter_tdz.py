"""The TDZ of parameters and ``for`` heads, decided by the scope analysis alone, compared with Node."""

from __future__ import annotations

import pytest

from node_oracle import NODE, assert_like_node

CASES = [
    # the default of a destructured parameter runs before any of its names is bound
    "(function ({a} = {a: a}) { return a; })()",
    "(function ({a} = {a: (a = 3)}) { return a; })()",
    # inside the pattern, a name bound earlier is readable by a later default
    "(function ({a, b = a} = {a: 1}) { return b; })()",
    # later parameters are in their TDZ; a closure made in a default sees them later
    "(function (x = y, y = 1) { return x; })()",
    "(function (x = x) { return x; })()",
    "(function (x = () => y, y = 2) { return x(); })()",
    "(function (a, {b} = {b: a}) { return b; })(5)",
    # a for-in/of head sees the loop's names uninitialised, closures included
    "(() => { for (let x of [x]) {} return 1; })()",
    "(() => { for (let x of (() => [x])()) {} return 1; })()",
    "(() => { for (let x in {x}) {} return 1; })()",
    "(() => { let r = []; for (const x of [1, 2]) r.push(x); return r.join(); })()",
]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_parameter_and_head_tdz_like_node() -> None:
    assert_like_node(CASES)

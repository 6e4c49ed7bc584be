"""``-``, ``*`` and ``/`` on every mix of integral and fractional numbers, compared with Node.

The runtime keeps integral numbers as Python ints and others as floats, and
takes a shortcut when both operands are numbers; each pair here crosses those
paths (-0, infinities, NaN, the safe-integer edge, overflow to Infinity).
"""

from __future__ import annotations

import pytest

from node_oracle import NODE, assert_like_node

VALUES = ("0, -0, 1, -1, 0.5, -0.5, 3, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 1e308, -1e308, 5e-324, Infinity, -Infinity,"
          " NaN, 7.25, 1 / 3, '2', true, null, undefined, [4], {valueOf() { return -2.5; }}")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("operator", ["-", "*", "/"])
def test_every_pair_of_operands_gives_what_node_gives(operator: str) -> None:
    body = (f"const vs = [{VALUES}]; const out = [];"
            f" for (const a of vs) for (const b of vs) {{ const r = a {operator} b;"
            f" out.push(Object.is(r, -0) ? '-0' : String(r)); }} return out.join(' ');")
    assert_like_node([f"(() => {{ {body} }})()"])

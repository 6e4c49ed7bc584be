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


INT_EDGES = ("0, -0, 1, -1, 5, -5, 31, 32, 33, 2147483647, -2147483648, 2147483648, 4294967295, 4294967296,"
             " -4294967297, 2 ** 53, -(2 ** 53), 0.5, -7.5, NaN, Infinity, '3', true, null, undefined")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("operator", ["&", "|", "^", "<<", ">>", ">>>", "%"])
def test_bitwise_and_remainder_on_int32_edges_give_what_node_gives(operator: str) -> None:
    # ints inside int32 (or uint32 for >>>) take a shortcut; the edges around it do not.
    body = (f"const vs = [{INT_EDGES}]; const out = [];"
            f" for (const a of vs) for (const b of vs) {{ const r = a {operator} b;"
            f" out.push(Object.is(r, -0) ? '-0' : String(r)); }} return out.join(' ');")
    assert_like_node([f"(() => {{ {body} }})()"])


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_increments_and_negation_at_the_safe_integer_edge_give_what_node_gives() -> None:
    assert_like_node(["(() => { var x = 2 ** 53 - 2; x++; x++; var y = -(2 ** 53) + 2; y--; y--;"
                      " var o = {n: 2 ** 53 - 1}; o.n++; o.n++; var f = -0.0; return [x, y, o.n, -f, -(-f), -NaN]; })()"])

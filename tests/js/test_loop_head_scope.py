"""The expression of a ``for (let/const ... of/in expr)`` head sees the loop's names uninitialized.

ForIn/OfHeadEvaluation (ES2025 14.7.5.6) evaluates ``expr`` in a scope where the
declared names exist but are not initialized: ``let x = 1; for (const x of [x])``
is a ReferenceError, and a closure made there keeps failing after the loop ran.
Node is the oracle.
"""

from __future__ import annotations

import pytest

from tests.node_oracle import NODE, assert_like_node

CASES = [
    "let x = 1; for (const x of [x]) {} return 'ran'",
    "let y = 1; for (let y in { a: y }) {} return 'ran'",
    "let z = 'outside'; let probe; for (let [z2] of [[probe = function () { return typeof z }]]) {} return probe()",
    "let w = 'outside'; let probe; try { for (let [w] of [[probe = () => typeof w]]) {} } catch (e) { return 'head ' + e.name } "
    "try { return probe() } catch (e) { return 'later ' + e.name }",
    "let w = 'outside'; let probe; for (let [w, f = () => w] of [['inside']]) { probe = f } return probe()",
    "for (var v of [1, 2]) {} return v",
    "const out = []; for (const [a, b = a] of [[1], [2, 3]]) out.push(a + b); return out",
    "const out = []; const fns = []; for (const k in { p: 1, q: 2 }) fns.push(() => k); "
    "for (const f of fns) out.push(f()); return out",
    "function f(list) { const seen = []; for (let i of list) { seen.push(() => i) } return seen.map(g => g()) } "
    "return f([3, 4])",
    "const out = []; async function* g() { yield 1; yield 2 } for await (const n of g()) out.push(n); return out",
    "let n = [5]; const out = []; for (let m of n) { out.push(m) } return out",
    # A direct eval in the head or in a default sees the same uninitialized names.
    "let x = 1; try { for (let x of eval('[x]')) {} return 'ran' } catch (e) { return e.name }",
    "function f(a = eval('b'), b) { return a } try { return f() } catch (e) { return e.name }",
    "function f(a = 2, b = eval('a * 3')) { return b } return f()",
]


@pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")
def test_loop_head_scope_like_node() -> None:
    assert_like_node(CASES)

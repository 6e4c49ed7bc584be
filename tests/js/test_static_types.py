"""Static types of local bindings: where the generator emits Python's own operators, JS's meaning stays.

Each case runs in seqflow and in Node (the oracle). The fast forms are
checked in the generated Python too, so a case proves the shortcut it is
about was taken (or, for the adversarial ones, that it was not).
"""

from __future__ import annotations

import pytest

from node_oracle import NODE, assert_like_node
from seqflow_transpile import transpile

# Typed locals that take the shortcuts: numbers at every edge, floats, strings, booleans, null.
TYPED = [
    # float arithmetic keeps -0, infinities and NaN; comparisons of NaN are false.
    "let a = 0.5; let z = -a * 0; let inf = 1.5e308 * 10; let nan = inf - inf;"
    " return [z, 1 / z, inf, -inf, nan < 1, nan >= 1, nan === nan, nan !== nan, -a, z === 0];",
    # an int and a float mixed at the safe-integer edge: Python converts the int exactly.
    "let big = 2 ** 53; let f = 0.5; let s = big + f; let d = big - f; let m = big * f;"
    " return [s, d, m, s > big, d < big, big === 2 ** 53];",
    # int counters past 2 ** 53 still round as doubles (the helper keeps the range).
    "let i = 2 ** 53 - 2; for (let k = 0; k < 4; k += 1) { i += 1; } return [i, i === 2 ** 53, i + 1 === i];",
    # counters step in Python while the guard holds, through the helper past it (ints and floats).
    "let i = 2 ** 53 - 3; let j = -(2 ** 53) + 2; let f = 0.5; let out = [];"
    " for (let k = 0; k < 4; k++) { i++; ++j; j -= 2; f += 1; out.push(i, j, f); } let g = 2 ** 53 + 2; g--;"
    " return [out, g, i--, i, --i];",
    # division always yields a float; comparisons with ints stay exact.
    "let q = 7 / 2; let r = 6 / 3; let zero = 0; return [q, r, r === 2, q > 3, 1 / zero, -1 / zero, zero / zero];",
    # strings compare by UTF-16 code unit, as JS does (an astral char sorts below U+FFFF).
    "let a = '\\uD83D\\uDE00'; let b = '\\uFFFF'; let c = 'abc'; return [a < b, b < a, c < 'abd', c === 'ab' + 'c', c >= c];",
    # booleans and null compare by identity; && and || keep their operands.
    "let t = true; let f = false; const NONE = null; let x = null;"
    " return [t === true, f === true, x === NONE, NONE !== undefined, t && 5, f || 'y', f && 5, t || 0];",
    # literals written as fractions (1.0) are floats: every built-in treats them as the integers they are.
    "const a = [10, 20, 30]; const o = {}; o[2.0] = 'two'; let acc = 0.0; for (let i = 0; i < 3; i++) acc += 0.5;"
    " return [a[1.0], new Array(3.0).length, 'abc'.charAt(1.0), a.slice(1.0), String.fromCharCode(97.0),"
    " (5.0).toString(2), JSON.stringify({a: 1.0, b: [2.0, -0.0, -3.0]}), 1.0 << 2, [1.0].indexOf(1),"
    " new Map([[1.0, 'a']]).get(1), String(2.0), `${3.0}`, Object.is(1.0, 1), (2.0).toFixed(1), [3.0, 1, 2.0].sort(),"
    " a.at(-1.0), 7.0 % 2, 2.0 ** 3.0, 9007199254740993.0, -1.0, Object.keys(o), o[2], acc, acc === 1.5];",
    # nested comparisons stay nested (Python would chain `a == b is False`).
    "let x = 1, y = 2; let t = true;"
    " return [(x === y) === false, (x < y) === true, (x < y) < 2, t === (x === y), (t === t) === t, 1 < x < 3];",
    # a typed loop with a boolean flag (Mandelbrot's shape).
    "let done = false; let z = 0; let acc = 0.25; while (!done && z < 50) { acc = acc * 2 - 0.125;"
    " if (acc > 1e6) done = true; z += 1; } return [z, acc, done];",
]

# Shapes the inference must not trust: each writes a binding in a way that changes its type.
UNTYPED = [
    # a closure writes a string into a number-initialised let.
    "let n = 1; const set = () => { n = 'x'; }; set(); return [n < 'y', n + 1, n === 'x'];",
    # destructuring and for-of write what they get.
    "let n = 1; [n] = ['2']; let m = 0; for (m of ['10']) {} return [n < '10', m < '9', n + m];",
    # BigInt counters: ++ and -= keep BigInts.
    "let b = 1n; b++; b -= 1n; let c = 2n; c *= 3n; return [typeof b, b === 1n, c > 5n, String(c)];",
    # a direct eval may assign anything.
    "let k = 1; eval('k = \"9\"'); return [k < '10', k + 1];",
    # `with` may hand the name to an object, or write the binding itself.
    "let n = 1; const o = {n: 'a'}; with (o) { n += 'b'; } let m = 1; with ({}) { m = 'z'; }"
    " return [n < 2, o.n, m < 'y', m];",
    # += with an unknown operand: string concatenation.
    "function f(x) { let s = 0; s += x; return s; } return [f('a'), f(2), f(true)];",
    # a read in the TDZ throws before any comparison sees it.
    "function g() { return v < 3; } try { g(); } catch (e) { return e.name; } let v = 1;",
    # NaN/Infinity/undefined are read as globals unless shadowed.
    "function h(undefined) { let u = undefined; return u === undefined; } return [h(5), h()];",
]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("case", TYPED + UNTYPED)
def test_typed_and_untyped_locals_give_what_node_gives(case: str) -> None:
    assert_like_node([f"(() => {{ {case} }})()"])


def _python(body: str) -> str:
    return transpile(f"function f(p) {{ {body} }}").python_source


def test_the_fast_forms_are_emitted_for_typed_locals() -> None:
    source = _python("let i = 0; let x = 0.5; let ok = true; const NONE = null;"
                     " while (ok && i < 10) { x = x * 2 - 1.5; i += 1; if (x > 3) ok = false; }"
                     " return p === NONE || i === 3;")
    assert "while ok and i < 10:" in source
    assert "x = x * 2 - 1.5" in source
    assert "zero = 0.0" in _python("let zero = 0.0; return zero;")
    assert "if x > 3:" in source
    assert "p is NONE or i == 3" in source
    assert "i = i + 1 if i < 9007199254740991 else rt.add(i, 1)" in source


def test_untyped_bindings_keep_the_runtime_helpers() -> None:
    closure = _python("let n = 1; const set = () => { n = p; }; set(); return n < 3;")
    assert "rt.lt(n, 3)" in closure
    pattern = _python("let n = 1; [n] = p; return n < 3;")
    assert "rt.lt(n, 3)" in pattern
    param = _python("let x = 0.5; return x * p;")
    assert "rt.mul(x, p)" in param  # p may be a BigInt (a TypeError) or an object
    script = transpile("let top = 0.5; top * 2").python_source
    assert "rt.mul(top, 2)" in script  # a script's own lexical bindings are reachable by other scripts

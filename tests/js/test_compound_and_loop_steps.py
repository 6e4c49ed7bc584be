"""Compound assignments to properties (``rt.compound``) and loops whose calls spend their steps.

``o[k] op= v`` reads ``o[k]`` before it evaluates ``v`` and leaves the
operator and the write to one helper; each case puts something in the way
that must see JS's order or JS's [[Set]]: accessors on the object and on its
prototype, read-only, frozen, sealed and non-extensible objects, proxies,
holes, typed arrays, primitives, ``with``, ``valueOf`` side effects.

A loop spends a step per iteration; it leaves out its own ``rt.tick()`` only
when the iteration certainly makes a call that spends one: every runaway
loop still ends at the step limit, including those whose calls are skipped.
"""

from __future__ import annotations

import ast

import pytest

from jsrun import js_error
from node_oracle import oracle_tests
from seqflow_runtime.limits import Limits
from seqflow_transpile import transpile

ORACLE: dict[str, list[str]] = {
    "compound on objects": [
        "var o = {x: 1, s: 'a'}; o.x += 2; o.s += 1; var r = (o.x *= 3); return [o.x, o.s, r]",
        "var o = {n: 1}; o.n += '2'; o.m += 1; return [o.n, o.m, Object.keys(o)]",
        "var o = {x: 0}; o.x *= -1; var a = o.x; o.x += 0; return [a, o.x]",
        "var o = {x: -0}; o.x -= 0; var a = o.x; o.x += -0; return [a, o.x, Object.is(o.x, -0)]",
        "var o = {x: NaN, y: 1}; o.x += 1; o.y /= 0; o.y -= Infinity; return [o.x, o.y]",
        "var o = {x: 2 ** 53, y: 2 ** 53 + 2, z: -(2 ** 53)}; o.x += 1; o.y -= 1; o.z -= 1;"
        " return [o.x, o.y, o.z, o.x === 2 ** 53]",
        "var o = {x: 7}; o.x %= 4; o.x **= 3; o.x <<= 2; o.x >>= 1; o.x |= 1; o.x &= 54; o.x ^= 5; return o.x",
        "var o = {x: -7, y: 2 ** 40}; o.x >>>= 1; o.y |= 0; o.x %= -3; return [o.x, o.y]",
        "var o = {b: 5n}; o.b += 2n; o.b **= 2n; try { o.b += 1; } catch (e) { return [o.b, e.constructor.name]; }",
        "var o = {x: '3'}; o.x -= 1; var p = {x: '3'}; p.x += 1; return [o.x, p.x]",
        "var o = {x: null, y: undefined, z: true}; o.x += 1; o.y += 1; o.z += 1; return [o.x, o.y, o.z]",
    ],
    "compound through accessors and prototypes": [
        "var log = []; var o = {get x() { log.push('get'); return 1; }, set x(v) { log.push('set ' + v); }};"
        " o.x += (log.push('rhs'), 2); return log",
        "var log = []; var p = {get x() { log.push('get'); return this.v; }, set x(w) { log.push('set'); this.v = w; }};"
        " var c = Object.create(p); c.v = 5; c.x += 1; return [log, c.v, c.hasOwnProperty('x')]",
        "var p = {x: 10}; var c = Object.create(p); c.x += 1; return [c.x, p.x, c.hasOwnProperty('x')]",
        "var o = {get x() { return 1; }}; o.x += 1; return o.x",
        "class K { get x() { return 2; } run() { try { this.x += 1; return 'no'; } catch (e) { return e.constructor.name; } } }"
        " return new K().run()",
        "var o = {x: 1, get y() { o.x = 100; return 1; }}; o.x += o.y; return o.x",
        "var o = {x: 1}; var v = {valueOf() { o.x = 50; return 2; }}; o.x += v; return o.x",
        "var log = []; var o = {x: {valueOf() { log.push('old'); return 1; }}};"
        " o.x -= {valueOf() { log.push('rhs'); return 1; }}; return [log, o.x]",
        "var o = {x: 1}; function f() { o = {x: 100}; return 1; } o.x += f(); return o.x",
        "var n = null; var ran = false; try { n.x += (ran = true); } catch (e) { return [e.constructor.name, ran]; }",
        "var u; try { u[0] -= 1; } catch (e) { return e.constructor.name; }",
    ],
    "compound on restricted objects": [
        "var o = Object.freeze({x: 1}); o.x += 1; o.y += 1; return [o.x, o.y]",
        "class K { static run(o) { try { o.x += 1; return 'no'; } catch (e) { return e.constructor.name; } } }"
        " return [K.run(Object.freeze({x: 1})), K.run(Object.preventExtensions({})), K.run(Object.seal({x: 1}))]",
        "var o = Object.seal({x: 1}); o.x += 1; o.y += 1; return [o.x, 'y' in o]",
        "var o = Object.preventExtensions({x: 1}); o.x *= 5; o.y *= 5; return [o.x, 'y' in o]",
        "var o = Object.defineProperty({}, 'x', {value: 3, writable: false}); o.x += 1;"
        " var c = Object.create(o); c.x += 1; return [o.x, c.x, c.hasOwnProperty('x')]",
        "var o = Object.defineProperty({}, 'x', {value: 3}); return (function () { 'use strict';"
        " try { o.x += 1; } catch (e) { return [o.x, e.constructor.name]; } })()",
        "var log = []; var p = new Proxy({x: 1}, {get(t, k) { log.push('get ' + String(k)); return t[k]; },"
        " set(t, k, v) { log.push('set ' + String(k) + ' ' + v); t[k] = v; return true; }}); p.x += 2; return [log, p.x]",
        "var p = new Proxy({}, {set() { return false; }}); p.x += 1;"
        " class K { static run() { try { p.y += 1; return 'no'; } catch (e) { return e.constructor.name; } } } return K.run()",
    ],
    "compound on arrays and primitives": [
        "var a = [1, , 3]; a[1] += 1; a[0] += 1; a[5] += 1; return [a, a.length, 1 in a]",
        "var a = [1, 2]; a['1'] += 10; a['01'] += 1; a[-1] += 1; a[1.5] += 1; return [a, a['01'], a[-1], Object.keys(a)]",
        "var a = [1, 2, 3]; var i = 0; a[i++] += 10; a[i] *= a[i]; return [a, i]",
        "var u = new Uint8Array(2); u[0] += 300; u[1] -= 1; u[5] += 1; return [u[0], u[1], u[5], u.length]",
        "var f = new Float32Array(1); f[0] += 0.1; return f[0]",
        "var s = 'abc'; s[0] += 'x'; s.len += 1; return [s, s[0]]",
        "class K { static run(s) { try { s[0] += 'x'; return 'no'; } catch (e) { return e.constructor.name; } } }"
        " return [K.run('abc'), K.run(5)]",
        "var a = Object.freeze([1, 2]); a[0] += 1; a[2] += 1; return [a, a.length]",
        "function f(a) { arguments[0] += 5; arguments[1] += 1; return [a, arguments[0], arguments.length]; } return f(1)",
        "function f(a) { 'use strict'; arguments[0] += 5; return [a, arguments[0]]; } return f(1)",
        "var a = []; Object.defineProperty(Array.prototype, 0, {get() { return 'p'; }, set(v) { this.seen = v; }, configurable: true});"
        " a[0] += 1; var r = [a.seen, a.length]; delete Array.prototype[0]; return r",
    ],
    "compound and with": [
        "var o = {x: 1, p: {q: 2}}; with (o) { x += 1; p.q += 10; } return [o.x, o.p.q]",
        "var x = 5; var o = {}; with (o) { x += 1; } return [x, 'x' in o]",
        "var o = {p: {q: 1}}; var p = {q: 100}; with (o) { p.q *= 7; } return [o.p.q, p.q]",
    ],
    "update expressions": [
        "var o = {x: 1, s: '5', n: null}; var a = o.x++; var b = ++o.s; o.n--; return [a, b, o.x, o.s, o.n]",
        "var o = {x: 2 ** 53}; o.x++; var p = {x: 1.5}; p.x--; return [o.x, p.x]",
        "var log = []; var o = {get x() { log.push('get'); return 1; }, set x(v) { log.push('set ' + v); }}; o.x++; return log",
        "var o = Object.freeze({x: 1}); o.x++; return o.x",
        "var a = [1, , 3]; a[1]++; a[0]--; return [a, 1 in a]",
        "var o = {b: 1n}; var old = o.b++; --o.b; --o.b; return [old, o.b]",
        "var o = {x: '7', y: {valueOf() { return 2; }}}; var a = o.x++; var b = o.y--; return [typeof a, a, o.x, b, o.y]",
        "class K { static run(o) { try { o.x++; return 'no'; } catch (e) { return [o.x, e.constructor.name]; } } }"
        " return [K.run(Object.freeze({x: 1})), K.run(Object.defineProperty({}, 'x', {value: 4}))]",
        "var o = Object.defineProperty({}, 'x', {value: 4}); return (function () { 'use strict';"
        " try { --o.x; return 'no'; } catch (e) { return [o.x, e.constructor.name]; } })()",
        "var o = {s: Symbol()}; try { o.s++; } catch (e) { return e.constructor.name; }",
    ],
    "reads through a property": [
        "var o = {a: [1, , 3], s: 'héllo', n: 5}; function f(i) { return [o.a[i], o.a[1], o.a[7], o.a[-1], o.a.length,"
        " o.s[i], o.s.length, o.s[9], o.n.toFixed, o.a['1'], o.a['0']]; } return f(0)",
        "var log = []; var o = {get a() { log.push('a'); return [10, 20]; }}; function f(i) { var r = o.a[i]; return [r, log]; }"
        " return f(1)",
        "var log = []; var p = {get a() { log.push('proto a'); return {x: 'px'}; }}; var c = Object.create(p);"
        " return [c.a.x, c.a['x'], log]",
        "function f(i) { var o = {get a() { i = 1; return ['zero', 'one']; }}; return o.a[i]; } return f(0)",
        "function f(i) { var o = {get a() { arguments_ = 1; return ['zero', 'one']; }}; var arguments_; return o.a[i]; }"
        " return f(0)",
        "function f(i) { var o = {get a() { args[0] = 1; return ['zero', 'one']; }}; var args = arguments; return o.a[i]; }"
        " return f(0)",
        "function f(i) { var o = {get a() { eval('i = 1'); return ['zero', 'one']; }}; return o.a[i]; } return f(0)",
        "var o = {a: new Proxy([1, 2], {get(t, k) { return 'trap ' + String(k); }})}; function f(i) { return [o.a[i], o.a.length]; }"
        " return f(1)",
        "var o = {t: new Uint16Array([7, 8]), m: new Map([[1, 2]])}; function f(i) { return [o.t[i], o.t[5], o.t.length, o.m.size]; }"
        " return f(1)",
        "var o = {a: null, b: undefined}; function f(i) { var r = []; try { o.a[i]; } catch (e) { r.push(e.constructor.name); }"
        " try { o.b.x; } catch (e) { r.push(e.constructor.name); } try { o.c.x; } catch (e) { r.push(e.constructor.name); }"
        " return r; } return f(0)",
        "var o = {a: {b: {c: 'deep'}}, k: 'b'}; function f(k) { return [o.a.b.c, o.a[k].c, o['a']['b']]; } return f('b')",
        "var o = {a: [1, 2, 3]}; function f(i) { return o.a[i]; } return [f(2 ** 53), f(1.0), f(-0), f('2'), f(NaN), f(true)]",
        "class A { constructor() { this.items = ['x', 'y']; } get first() { return this.items[0]; } at(i) { return this.items[i]; } }"
        " class B extends A {} var b = new B(); return [b.first, b.at(1), b.items.length]",
        "var o = {arr: [1, 2]}; with (o) { var r = arr[1]; } return r",
        "var o = {a: [5, 6, 7]}; var r = []; for (let i = 0, j = o.a[i]; i < o.a.length; i++) r.push(o.a[i] + j);"
        " for (const k in o.a) r.push(o.a[k]); for (const v of [2, 1]) r.push(o.a[v]); return r",
        "var log = []; var o = {get a() { log.push('a'); return []; }}; try { for (let i = o.a[i]; false;) {} }"
        " catch (e) { return [log, e.constructor.name]; }",
        "var log = []; var o = {get a() { log.push('a'); return []; }}; switch (1) { case 0: let x = 0; case 1:"
        " try { o.a[x]; } catch (e) { return [log, e.constructor.name]; } }",
        "var log = []; var o = {get a() { log.push('a'); return [1]; }}; var fs = [];"
        " for (let i = 0; i < 2; i++) { fs.push(() => i); log.push(o.a[i]); } return [log, fs[1]()]",
        "var s = {x: 's'}; var o = {a: s}; var i = 'x'; return (function () { return o.a[i]; })()",
    ],
    "sums of typed locals": [
        "function f() { let a = 9007199254740991, b = 2, m = -2, c = a + b, d = a - m, e = m - a, g = m - a - a;"
        " return [c, d, e, g, c === 2 ** 53 + 2, a + a, -a - a]; } return f()",
        "function f() { let a = 9007199254740993, b = 1; let c = a + b; let d = a - b; return [a, c, d]; } return f()",
        "function f() { let n = NaN, i = Infinity, j = -Infinity, k = 1; return [n + k, i + k, i + j, j - i, i - i]; } return f()",
        "function f() { let z = -0, w = 0; return [z + w, z - w, z + z, w - w, w - z]; } return f()",
        "function f() { let h = 0.5, k = 3; let s = 0; for (let i = 0; i < 4; i++) { s = s + h; s += k; s -= i; } return s; } return f()",
        "function f() { let s = 0; const big = 4503599627370497; for (let i = 0; i < 3; i++) s = s + big; return s; } return f()",
    ],
    "loops that call": [
        "var n = 0; function more() { return n++ < 5; } while (more()) {} return n",
        "var n = 0; while (true) { if (++n > 3) break; } return n",
        "var calls = 0; function g() { calls++; return calls > 4; } while (true) { if (g()) break; } return calls",
        "var n = 0, seen = []; for (var i = 0; i < 5; i++) { if (i % 2) continue; seen.push(i); } return seen",
        "var out = []; var i = 0; do { out.push(i); } while (++i < 3); return out",
        "var i = 0; var s = 0; for (; Math.max(i, 0) < 4; i++) s += i; return s",
    ],
}

#: Cases whose rendering is pinned here too (they run without node in the suite's offline mode).
PINNED: dict[str, str] = {
    "var o = {x: 1, get y() { o.x = 100; return 1; }}; o.x += o.y; return o.x": "2",
    "var o = {x: 1}; var v = {valueOf() { o.x = 50; return 2; }}; o.x += v; return o.x": "3",
    "var log = []; var o = {get x() { log.push('get'); return 1; }, set x(v) { log.push('set ' + v); }};"
    " o.x += (log.push('rhs'), 2); return log": '["get", "rhs", "set 3"]',
}

test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, PINNED)


@pytest.mark.parametrize("source", [
    "for (;;) {}",
    "var x = true; while (true) if (x) continue;",
    "var x = false; while (true) { if (x) f(); }",
    "while (true) { Math.abs(1); }",
    "function f() { return true; } while (f()) {}",
    "function g() { return false; } while (true) { if (g()) break; }",
    "var o = {get x() { return true; }}; while (o.x) {}",
    "var x = false; function f() {} while (true) { x ? f() : 0; }",
    "var x = false; function f() {} while (true) { x && f(); }",
    "function f() {} for (;;) { continue; f(); }",
    "var o = {m() {}}; for (;;) { o.m(); }",
    "class A { m() {} } class B extends A { m() { for (;;) { super.m(); } } } new B().m()",
])
def test_runaway_loops_hit_the_step_limit(source: str) -> None:
    err = js_error(source, Limits(max_steps=20_000, max_run_seconds=20))
    assert err.code == "limit_exceeded"
    assert err.extra == {"limit": "max_steps"}


def _loop_ticks(source: str) -> int:
    """How many loops of ``source``'s generated code spend a step of their own (``rt.tick()`` in the body)."""
    tree = ast.parse(transpile(source).python_source)
    return sum(1 for loop in ast.walk(tree) if isinstance(loop, ast.While) and any(
        isinstance(s, ast.Expr) and ast.unparse(s) == "rt.tick()" for s in loop.body))


def test_a_loop_leaves_its_tick_to_a_call_it_certainly_makes() -> None:
    assert _loop_ticks("function g(f) { while (f()) {} }") == 0
    assert _loop_ticks("function g(f) { while (true) { if (f()) break; } }") == 0
    assert _loop_ticks("var o = {}; for (var i = 0; i < 3; i++) { o.m(i); }") == 0
    assert _loop_ticks("function g(F) { while (true) { var x = new F(); } }") == 0


def test_a_loop_keeps_its_tick_when_a_call_may_not_happen() -> None:
    assert _loop_ticks("function g(x, f) { while (x && f()) {} }") == 1
    assert _loop_ticks("function g(x, f) { while (x ? f() : 0) {} }") == 1
    assert _loop_ticks("function g(x, f) { while (true) { if (x) f(); } }") == 1
    assert _loop_ticks("function g(f) { for (;;) { continue; f(); } }") == 1
    assert _loop_ticks("var o = {}; while (o.x) {}") == 1
    assert _loop_ticks("function g(f) { while (true) { [].map(() => f()); } }") == 0  # the map call itself ticks
    assert _loop_ticks("function g(f) { while (true) { (() => f()); } }") == 1
    assert _loop_ticks("class A { m() {} } class B extends A { m() { for (;;) { super.m(); } } }") == 1

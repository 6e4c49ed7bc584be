"""Language semantics: each snippet's completion value against what JavaScript gives."""

from __future__ import annotations

import pytest

from jsrun import js_error, run_js

CASES = [
    # completion values and top-level forms
    ("const x = 5; x * 2", 10),
    ("let a = 1; a += 2; a", 3),
    ("1; 2; var z = 3;", 2),
    ("return 7; 8", 7),
    ("'done'", "done"),
    ("await 3", 3),
    # var hoisting and function hoisting
    ("var r = typeof v; var v = 1; r", "undefined"),
    ("f(); function f() { return 1 } f()", 1),
    ("function g() { return h(); function h() { return 'inner' } } g()", "inner"),
    ("var x = 1; { var x = 2; } x", 2),
    # let/const block scope
    ("let x = 1; { let x = 2; } x", 1),
    ("let x = 1; { let x = 2; { let x = 3; } } x", 1),
    ("let out = []; for (let i = 0; i < 3; i++) { out[i] = i * i } out", [0, 1, 4]),
    ("const fns = []; for (let i = 0; i < 3; i++) fns[i] = () => i; [fns[0](), fns[1](), fns[2]()]", [0, 1, 2]),
    ("const fns = []; for (var i = 0; i < 3; i++) fns[i] = () => i; [fns[0](), fns[2]()]", [3, 3]),
    ("const fns = []; for (const k of ['a', 'b']) { const up = k + k; fns[fns.length] = () => up } [fns[0](), fns[1]()]", ["aa", "bb"]),
    ("const fns = []; let j = 0; while (j < 2) { let c = j; fns[j] = () => c; j++ } [fns[0](), fns[1]()]", [0, 1]),
    # closures
    ("function counter() { let n = 0; return () => ++n } const c = counter(); c(); c(); c()", 3),
    ("function mk() { var v = 1; function get() { return v } v = 2; return get } mk()()", 2),
    ("let total = 0; function add(n) { total += n } add(2); add(3); total", 5),
    # this
    ("const o = { v: 4, m() { return this.v } }; o.m()", 4),
    ("const o = { v: 4, m() { return (() => this.v)() } }; o.m()", 4),
    ("function f() { return this.x } f.call({x: 9})", 9),
    ("function f(a, b) { return this.x + a + b } f.apply({x: 1}, [2, 3])", 6),
    ("function f() { return this.x } const g = f.bind({x: 5}); g()", 5),
    ("function f() { return typeof this } f()", "object"),
    ("function f() { 'use strict'; return typeof this } f()", "undefined"),
    # arguments
    ("function f() { return arguments.length } f(1, 2, 3)", 3),
    ("function f(a) { return arguments[1] } f(1, 'two')", "two"),
    ("function f() { const g = () => arguments[0]; return g() } f('outer')", "outer"),
    # new and prototypes
    ("function P(x) { this.x = x } P.prototype.get = function () { return this.x }; new P(3).get()", 3),
    ("function P() {} const p = new P(); [p instanceof P, p instanceof Object, Object.getPrototypeOf(p) === P.prototype]",
     [True, True, True]),
    ("function F() { return {o: 1} } new F().o", 1),
    ("function F() { return 5 } typeof new F()", "object"),
    # classes
    ("class A { constructor(x) { this.x = x } get dbl() { return this.x * 2 } set dbl(v) { this.x = v / 2 } } const a = new A(2); a.dbl = 10; [a.x, a.dbl]", [5, 10]),
    ("class A { static make() { return new this(1) } constructor(v) { this.v = v } } A.make().v", 1),
    ("class A { hi() { return 'A' } } class B extends A { hi() { return super.hi() + 'B' } } new B().hi()", "AB"),
    ("class A { constructor(n) { this.n = n } } class B extends A { constructor() { super(7); this.m = this.n + 1 } } const b = new B(); [b.n, b.m, b instanceof A]", [7, 8, True]),
    ("class A { static who() { return 'A' } } class B extends A { static who() { return super.who() + '!' } } B.who()", "A!"),
    ("class A {} class B extends A {} typeof B", "function"),
    ("class A { m() {} } Object.keys(A.prototype).length", 0),
    ("const C = class { v() { return 1 } }; new C().v()", 1),
    ("class E extends Error { constructor(m) { super(m); this.name = 'E' } } const e = new E('bad'); [e.message, e instanceof Error, e instanceof E, String(e)]", ["bad", True, True, "E: bad"]),
    # objects
    ("const k = 'dyn'; const o = {[k + 1]: 1, a: 2, 'b c': 3, 4: 'four'}; [o.dyn1, o.a, o['b c'], o[4]]", [1, 2, 3, "four"]),
    ("const a = 1, b = 2; const o = {a, b}; o.a + o.b", 3),
    ("const o = {x: 1, y: 2}; const p = {...o, y: 3, z: 4}; [p.x, p.y, p.z]", [1, 3, 4]),
    ("const o = {b: 1, a: 2, 1: 'x', 0: 'y'}; Object.keys(o)", ["0", "1", "b", "a"]),
    ("const o = {get v() { return 42 }}; o.v", 42),
    ("const o = {a: 1}; delete o.a; 'a' in o", False),
    ("const o = {a: undefined}; ['a' in o, 'b' in o]", [True, False]),
    # destructuring
    ("const [a, , b = 5, ...rest] = [1, 2, undefined, 4, 5]; [a, b, rest]", [1, 5, [4, 5]]),
    ("const {a, b: {c}, d = 'dflt', ...others} = {a: 1, b: {c: 2}, e: 3, f: 4}; [a, c, d, others]", [1, 2, "dflt", {"e": 3, "f": 4}]),
    ("let a = 1, b = 2; [a, b] = [b, a]; [a, b]", [2, 1]),
    ("function f({x, y = 2}, [z] = [3]) { return x + y + z } f({x: 1})", 6),
    ("const {length} = 'hello'; length", 5),
    ("const [c1, c2] = 'hi'; c1 + '-' + c2", "h-i"),
    # default params and rest
    ("function f(a, b = a + 1) { return [a, b] } f(1)", [1, 2]),
    ("function f(...xs) { return xs.length } f(1, 2, 3)", 3),
    ("function f(a, ...xs) { return xs } f(1, 2, 3)", [2, 3]),
    ("function f(a, b) {} f.length", 2),
    ("function f(a, b = 1, c) {} f.length", 1),
    ("const f = (...args) => args; f(1, 2)", [1, 2]),
    ("function f(x) { return x } f(1, 2, 3)", 1),
    # spread
    ("function f(a, b, c) { return a + b + c } f(...[1, 2, 3])", 6),
    ("[0, ...[1, 2], 3]", [0, 1, 2, 3]),
    ("[...'ab']", ["a", "b"]),
    # template literals
    ("const n = 3; `n=${n}, n*2=${n * 2}`", "n=3, n*2=6"),
    ("`a${undefined}b${null}c${[1, 2]}`", "aundefinedbnullc1,2"),
    ("function tag(s, ...v) { return s.raw[0] + v[0] } tag`x\\n${5}`", "x\\n5"),
    # operators
    ("1 + '2'", "12"),
    ("'3' * '4'", 12),
    ("[1 / 0, -1 / 0]", [None, None]),
    ("Object.is(0 / -5, -0)", True),
    ("isNaN(0 / 0)", True),
    ("[5 % 3, -5 % 3, 5 % -3, 5.5 % 2]", [2, -2, 2, 1.5]),
    ("Object.is(-4 % 2, -0)", True),
    ("2 ** 10", 1024),
    ("2 ** -1", 0.5),
    ("[7 & 3, 7 | 8, 7 ^ 2, ~5, 1 << 31, -1 >>> 0, -8 >> 1]", [3, 15, 5, -6, -2147483648, 4294967295, -4]),
    ("[null == undefined, null === undefined, '1' == 1, 0 == '', NaN == NaN, [1] == 1]", [True, False, True, True, False, True]),
    ("[typeof 1, typeof 'a', typeof true, typeof undefined, typeof null, typeof {}, typeof [], typeof function(){}, typeof Symbol()]",
     ["number", "string", "boolean", "undefined", "object", "object", "object", "function", "symbol"]),
    ("typeof notDeclaredAnywhere", "undefined"),
    ("[1 && 2, 0 && 2, 0 || 'x', 'a' || 'b', null || undefined]", [2, 0, "x", "a", None]),
    ("NaN || 'fallback'", "fallback"),
    ("let c = 0; const r = false && c++; [r, c]", [False, 0]),
    ("[!0, !!'', !!'0', !![] , !!{}]", [True, False, True, True, True]),
    ("void 5", None),
    ("(1, 2, 3)", 3),
    ("let i = 5; [i++, i, ++i, i--, --i]", [5, 6, 7, 7, 5]),
    ("const o = {n: 1}; o.n++; ++o.n; o.n += 10; o.n", 13),
    ("const a = [1]; a[0] *= 5; a[0]", 5),
    ("'b' > 'a' && 'B' < 'a' && '10' < '9' && 10 > 9", True),
    ("[0.1 + 0.2, 0.1 * 3, 1e21, 1 / 3, 123456789012345680000]", [0.30000000000000004, 0.30000000000000004, 1e21, 0.3333333333333333, 1.2345678901234568e20]),
    ("String(0.1 + 0.2) + '|' + String(1e21) + '|' + String(-0) + '|' + String(2**53 + 1)", "0.30000000000000004|1e+21|0|9007199254740992"),
    ("9007199254740992 + 1", 9007199254740992),
    ("[1 < 2 < 3, 3 > 2 > 1]", [True, False]),
    ("'abc'[1] + 'abc'.length", "b3"),
    ("({}).toString()", "[object Object]"),
    ("[] + {}", "[object Object]"),
    ("[1, 2] + [3]", "1,23"),
    ("const o = {valueOf() { return 41 }}; o + 1", 42),
    ("const o = {toString() { return 'S' }}; `${o}` + o", "SS"),
    # control flow
    ("let s = ''; for (const k in {a: 1, b: 2}) s += k; s", "ab"),
    ("let s = ''; for (const k in [7, 8]) s += k; s", "01"),
    ("let n = 0; do { n++ } while (n < 5); n", 5),
    ("let n = 0; do { n++; if (n < 3) continue; break } while (true); n", 3),
    ("let n = 0; for (;;) { if (++n > 4) break } n", 5),
    ("let s = 0; for (let i = 0; i < 10; i++) { if (i % 2) continue; s += i } s", 20),
    ("let out = ''; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; out += i + '' + j } } out", "0010"),
    ("let r = 0; blk: { r = 1; if (r) break blk; r = 2 } r", 1),
    ("function f(x) { switch (x) { case 1: return 'one'; case 2: case 3: return 'few'; default: return 'many' } } [f(1), f(3), f(9)]", ["one", "few", "many"]),
    ("function f(x) { let s = ''; switch (x) { case 1: s += 'a'; case 2: s += 'b'; break; default: s += 'd'; case 3: s += 'c' } return s } [f(1), f(2), f(3), f(9)]", ["ab", "b", "c", "dc"]),
    ("let s = ''; for (const x of [1, 2, 3]) { switch (x) { case 2: continue; default: s += x } } s", "13"),
    ("const x = '1'; let r; switch (x) { case 1: r = 'num'; break; case '1': r = 'str'; break } r", "str"),
    ("let r = ''; for (let i = 0; i < 3; i++) { if (i === 1) { r += 'one' } else if (i === 2) { r += 'two' } else { r += 'zero' } } r", "zeroonetwo"),
    # exceptions
    ("try { throw 5 } catch (e) { e + 1 }", 6),
    ("function f() { try { return 'try' } finally { return 'finally' } } f()", "finally"),
    ("let log = ''; function f() { try { log += 't'; throw new Error('x') } catch (e) { log += 'c'; return log } finally { log += 'f' } } [f(), log]", ["tc", "tcf"]),
    ("try { null.foo } catch (e) { [e instanceof TypeError, e.name] }", [True, "TypeError"]),
    ("try { undefinedThing } catch (e) { e.name }", "ReferenceError"),
    ("try { let a = b; let b = 1 } catch (e) { e.name }", "ReferenceError"),
    ("try { const c = 1; c = 2 } catch (e) { e.message }", "Assignment to constant variable."),
    ("try { (void 0)() } catch (e) { e.name }", "TypeError"),
    ("try { throw {code: 42} } catch ({code}) { code }", 42),
    ("let n = 0; for (const x of [1, 2, 3]) { try { if (x === 2) continue; n += x } finally { n += 10 } } n", 34),
    ("function f() { for (const x of [1, 2]) { try { return x } finally { } } } f()", 1),
    ("new Error('m').stack.split('\\n')[0]", "Error: m"),
    # generators
    ("function* g() { yield 1; yield 2; return 3 } const it = g(); [it.next().value, it.next().value, it.next(), it.next().done]",
     [1, 2, {"value": 3, "done": True}, True]),
    ("function* g() { const x = yield 1; yield x * 2 } const it = g(); it.next(); it.next(5).value", 10),
    ("function* g() { yield* [1, 2]; yield 3 } [...g()]", [1, 2, 3]),
    ("function* inner() { yield 'a'; return 'r' } function* outer() { const v = yield* inner(); yield v } [...outer()]", ["a", "r"]),
    ("function* g() { try { yield 1; yield 2 } finally { log.push('closed') } } const log = []; for (const v of g()) { break } log", ["closed"]),
    ("function* g() { let i = 0; while (true) yield i++ } const it = g(); it.next(); it.next(); it.next().value", 2),
    ("function* g() { try { yield 1 } catch (e) { yield 'caught ' + e } } const it = g(); it.next(); it.throw('boom').value", "caught boom"),
    ("function* g() { yield 1 } const it = g(); [it.return(9), it.next()]", [{"value": 9, "done": True}, {"done": True}]),
    ("const o = {*[Symbol.iterator]() { yield 'x'; yield 'y' }}; [...o]", ["x", "y"]),
    # async / promises ordering
    ("const log = []; Promise.resolve().then(() => log.push('micro')); log.push('sync'); await null; log", ["sync", "micro"]),
    ("async function f() { return 1 } const p = f(); [p instanceof Promise, await p]", [True, 1]),
    ("async function f() { throw new Error('no') } try { await f() } catch (e) { e.message }", "no"),
    ("const log = []; async function a() { log.push(1); await null; log.push(3) } a(); log.push(2); await null; await null; log", [1, 2, 3]),
    ("const r = await Promise.all([1, Promise.resolve(2), new Promise(res => res(3))]); r", [1, 2, 3]),
    ("const log = []; const p = new Promise((res, rej) => rej('x')); await p.catch(e => log.push(e)).finally(() => log.push('f')); log", ["x", "f"]),
    ("const f = async x => x * 2; await f(21)", 42),
    ("class A { async m() { return await 7 } } await new A().m()", 7),
    ("const log = []; Promise.reject(1).then(null, e => log.push('rej ' + e)); await 0; log", ["rej 1"]),
    ("const order = []; const p1 = Promise.resolve().then(() => order.push('a')).then(() => order.push('c')); Promise.resolve().then(() => order.push('b')).then(() => order.push('d')); await p1; await null; order", ["a", "b", "c", "d"]),
    # getters/setters via defineProperty and symbols
    ("const o = {}; Object.defineProperty(o, 'x', {get() { return 1 }}); o.x", 1),
    ("const s = Symbol('k'); const o = {[s]: 1}; [o[s], Object.keys(o).length]", [1, 0]),
    # strings UTF-16
    ("'😀'.length", 2),
    ("'a😀b'.length", 4),
    ("'😀'.charCodeAt(0)", 0xD83D),
    ("'😀' + 'x'", "😀x"),
    ("'é' === '\\u00e9'", True),
    # misc
    ("globalThis.answer = 42; answer", 42),
    ("leak = 1; globalThis.leak", 1),
    ("var f = function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }; f(5)", 120),
    ("const o = {f: function () {}, g: () => {}, h() {}}; [o.f.name, o.g.name, o.h.name]", ["f", "g", "h"]),
    ("const arrow = () => {}; arrow.name", "arrow"),
    ("label1: label2: for (;;) { break label1 } 'ok'", "ok"),
    ("let x = 0; if (x) { x = 1 } else if (x === 0) { x = 2 } else { x = 3 } x", 2),
    ("[1, 2, 3].length = 1", 1),
    ("const a = [1, 2, 3]; a.length = 1; a", [1]),
    ("const a = []; a[3] = 'x'; [a.length, a[0]]", [4, None]),
    ("Function('a', 'b', 'return a + b')(2, 3)", 5),
    ("new Function('return 7')()", 7),
]


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0][:60] for c in CASES])
def test_language(source: str, expected: object) -> None:
    assert run_js(source) == expected


ERRORS = [
    ("null.x", "TypeError", "Cannot read properties of null (reading 'x')"),
    ("undefined.x", "TypeError", "Cannot read properties of undefined (reading 'x')"),
    ("nope()", "ReferenceError", "nope is not defined"),
    ("const o = {}; o.f()", "TypeError", "object.f is not a function"),
    ("throw new RangeError('r')", "RangeError", "r"),
    ("class A {} A()", "TypeError", "Class constructor A cannot be invoked without 'new'"),
    ("const f = () => 1; new f()", "TypeError", "f is not a constructor"),
    ("'use strict'; undeclared = 1", "ReferenceError", "undeclared is not defined"),
    ("const [a] = null", "TypeError", "null is not iterable"),
    ("class B extends A {}; class A {}", "ReferenceError", "Cannot access 'A' before initialization"),
]


@pytest.mark.parametrize(("source", "name", "message"), ERRORS, ids=[e[0][:50] for e in ERRORS])
def test_errors(source: str, name: str, message: str) -> None:
    err = js_error(source)
    assert (err.name, err.message) == (name, message)


def test_thrown_primitive_is_reported() -> None:
    err = js_error("throw 'plain'")
    assert err.message == "plain"


def test_error_position_points_at_js_line() -> None:
    err = js_error("const a = 1;\nconst b = 2;\nfunction f() {\n  return a.b.c;\n}\nf();")
    assert err.name == "TypeError"
    assert (err.line, err.column) == (4, 3)
    assert "at f (script.js:4:3)" in err.stack
    assert "at script.js:6:1" in err.stack

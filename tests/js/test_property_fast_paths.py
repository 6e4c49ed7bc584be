"""The runtime's fast paths for property reads and writes, [[Construct]] and ``instanceof``, against Node.

``Runtime.get``/``set`` read and write ``props`` directly while the objects on
the way are ordinary (``ORDINARY_TYPES``, and ``NAMED_TYPES`` for a name that
is neither an index nor ``length``); array index writes fill holes and append
without descriptors unless the prototype chain holds that index; construction
records ``new.target`` only for code that reads it. Each case puts an object
the fast path must not misread in the way: accessors, read-only and
non-extensible objects, proxies, exotic objects on the prototype chain.
"""

from __future__ import annotations

from node_oracle import oracle_tests

ORACLE: dict[str, list[str]] = {
    "reads": [
        "var o = {a: 1}; var c = Object.create(o); c.b = 2; return [c.a, c.b, c.z, c.toString === Object.prototype.toString]",
        "class A { get g() { return this.v * 2; } } class B extends A { constructor() { super(); this.v = 21; } }"
        " return new B().g",
        "var p = new Proxy({}, {get: (t, k, r) => 'trap ' + String(k) + ' ' + (r === c)}); var c = Object.create(p);"
        " c.own = 1; return [c.own, c.missing]",
        "var arr = [1, 2]; var c = Object.create(arr); return [c.length, c[1], c.push === Array.prototype.push, c.map.name]",
        "var f = function named(a, b) {}; var c = Object.create(f); return [c.name, c.length, typeof c.prototype, c.call === Function.prototype.call]",
        "function F() {} F.prototype.m = 1; return [F.name, F.length, (new F).m, Object.keys(F)]",
        "var s = 'héllo'; return [s['1'], s['01'], s['5'], s['length'], s.length, s['-1'], s[1.0], s.at(-1)]",
        "var w = new String('ab'); w.x = 1; return [w.length, w[0], w['1'], w.x, w.charAt(1)]",
        "var proto = String.prototype; proto.len2 = function () { return this.length * 2; }; return 'abc'.len2()",
        "var proto = Object.defineProperty(String.prototype, 'self', {get() { return typeof this; }, configurable: true});"
        " return 'x'.self",
        "var a = [1, 2, 3]; a.extra = 'e'; return [a.length, a['length'], a.extra, a['2'], a[-1], a['x']]",
        "var op = Object.prototype; op.inherited = 'op'; var r = [({}).inherited, [].inherited, 'a'.inherited, (function () {}).inherited];"
        " delete Object.prototype.inherited; return r",
        "var o = {}; Object.defineProperty(o, 'ro', {value: 5}); return [o.ro, Object.create(o).ro]",
        "var o = {get x() { return this === c; }}; var c = Object.create(o); return c.x",
        "var o = Object.create(null); o.k = 1; return [o.k, o.toString]",
        "var args = (function () { return arguments; })(7, 8); return [args.length, args[0], args['1']]",
        "(function (a) { arguments[0] = 9; return [a, arguments[0], arguments.length]; })(1)",
        "class S { static m() { return 's'; } } class T extends S {} return [T.m(), T.name, T.length, Object.getPrototypeOf(T) === S]",
    ],
    "writes": [
        "var o = {a: 1}; o.a = 2; o.b = 3; return JSON.stringify(o)",
        "var o = Object.freeze({a: 1}); o.a = 2; o.b = 3; return [o.a, o.b]",
        "class K { static run(o) { try { o.a = 2; return 'no'; } catch (e) { return e.constructor.name; } } }"
        " return K.run(Object.freeze({a: 1}))",
        "var o = Object.preventExtensions({a: 1}); o.a = 2; o.b = 3; return [o.a, o.b, 'b' in o]",
        "var p = {set x(v) { this.seen = v; }}; var c = Object.create(p); c.x = 5; return [c.seen, c.hasOwnProperty('x')]",
        "var p = Object.defineProperty({}, 'x', {value: 1, writable: false}); var c = Object.create(p); c.x = 5;"
        " return [c.x, c.hasOwnProperty('x')]",
        "var p = {x: 1}; var c = Object.create(p); c.x = 5; return [c.x, p.x, c.hasOwnProperty('x')]",
        "var o = {}; Object.defineProperty(o, 'h', {value: 1, writable: true, enumerable: false}); o.h = 2;"
        " return [o.h, Object.keys(o).length]",
        "var o = {get g() { return 1; }}; o.g = 5; return o.g",
        "var log = []; var p = new Proxy({}, {set(t, k, v, r) { log.push(String(k)); return true; }}); var c = Object.create(p);"
        " c.a = 1; return [log, c.hasOwnProperty('a')]",
        "class P { constructor() { this.x = 1; this.y = 2; } } var p = new P(); p.x += 10; return [p.x, p.y, Object.keys(p)]",
        "class K { static run(s) { try { s.x = 1; return 'no'; } catch (e) { return e.constructor.name; } } } return K.run('str')",
        "var s = 'str'; s.x = 1; return s.x",
        "var f = function g() {}; f.prop = 1; f.name = 'changed'; return [f.prop, f.name]",
    ],
    "array index writes": [
        "var a = new Array(4); a[1] = 'x'; a[3] = 'y'; return [a.length, Object.keys(a), 0 in a, a[1]]",
        "var log = []; Object.defineProperty(Array.prototype, 2, {set(v) { log.push(v); }, configurable: true});"
        " var a = new Array(4); a[2] = 'hole'; var b = [0, 1]; b[2] = 'append'; delete Array.prototype[2];"
        " return [log, a.hasOwnProperty(2), b.length]",
        "var op = Object.defineProperty(Object.prototype, 1, {value: 'ro', writable: false, configurable: true});"
        " var a = new Array(3); a[1] = 'w'; var b = [0]; b[1] = 'w'; var r = [a[1], a.hasOwnProperty(1), b.length, b[1]];"
        " delete Object.prototype[1]; return r",
        "var a = Object.preventExtensions(new Array(3)); a[0] = 1; a[1] = 2; return [a.hasOwnProperty(0), a.length]",
        "var a = Object.seal([1, , 3]); a[0] = 9; a[1] = 8; return [a[0], 1 in a]",
        "var a = [1, 2]; Object.defineProperty(a, 'length', {writable: false}); a[2] = 3; a[0] = 5; return [a.length, a[0], a[2]]",
        "var a = []; for (var i = 0; i < 5; i++) a[a.length] = i * i; return a",
        "var a = [1, 2, 3]; a[-1] = 'neg'; a['1'] = 'two'; a[1.5] = 'f'; return [a.length, a[-1], a[1], Object.keys(a)]",
        "var p = new Proxy([], {has() { throw new Error('has trap'); }}); var a = []; Object.setPrototypeOf(a, p);"
        " a[0] = 1; return [a.length, a[0]]",
        "var a = [1, 2, 3]; a.length = 5; a[4] = 'e'; return [a.length, 3 in a, a[4]]",
    ],
    "array element overwrites": [
        "var a = Object.freeze([1, 2]); a[0] = 9; return [a[0], Object.isFrozen(a)]",
        "class K { static run(a) { try { a[0] = 9; return 'no'; } catch (e) { return e.constructor.name; } } }"
        " return [K.run(Object.freeze([1, 2])), K.run(Object.seal([1])), K.run([1])]",
        "var log = []; var a = [1, 2]; Object.defineProperty(a, 0, {get() { return 'g'; }, set(v) { log.push(v); }});"
        " a[0] = 5; a[1] = 6; return [log, a[0], a[1]]",
        "var a = [1, 2]; Object.defineProperty(a, 1, {value: 2, writable: false}); a[1] = 7; a[0] = 8; return [a[0], a[1]]",
        "var a = [0, 1, 2]; a[true] = 't'; a[2.0] = 'two'; a[3] = 'end'; return [a.length, a[2], a['true'], a[1]]",
        "var a = [1, , 3]; Object.defineProperty(Array.prototype, 1, {set(v) { this.got = v; }, configurable: true});"
        " a[1] = 'x'; a[0] = 'y'; delete Array.prototype[1]; return [a.got, 1 in a, a[0]]",
    ],
    "method calls": [
        "class A { m(x) { return [this.tag, x]; } } class B extends A { constructor() { super(); this.tag = 'b'; } }"
        " var b = new B(); return [b.m(1), b.m(2, 3), b.toString()]",
        "var o = {m() { return this === o; }}; var c = Object.create(o); return [o.m(), c.m()]",
        "var o = {get m() { return () => 'via getter'; }}; var c = Object.create(o); return [o.m(), c.m()]",
        "var p = new Proxy({}, {get: (t, k) => k === 'm' ? function () { return 'trap'; } : undefined});"
        " var c = Object.create(p); return c.m()",
        "var o = {m: 5}; try { o.m(); } catch (e) { return e.constructor.name; }",
        "var o = {}; try { o.missing(1); } catch (e) { return e.constructor.name; }",
        "class A { m() { return 'proto'; } } var a = new A(); a.m = function () { return 'own'; }; return a.m()",
        "var o = {0() { return 'zero'; }, [Symbol.iterator]() { return 'sym'; }}; return [o[0](), o['0'](), o[Symbol.iterator]()]",
        "class C { constructor() { this.v = 1; } } var o = {C}; try { o.C(); } catch (e) { return e.constructor.name; }",
        "var arr = [3, 1, 2]; var n = 255; return [arr.indexOf(1), 'abc'.toUpperCase(), n.toString(16), [].concat.call([1], 2)]",
        "function F() { this.x = 1; } F.prototype.get = function () { return this.x; }; var f = new F();"
        " F.prototype.get = function () { return 'replaced'; }; return f.get()",
        "var o = Object.create(Object.create(Object.create({deep(a, b) { return a + b; }}))); return o.deep(1, 2, 3)",
    ],
    "construct and instanceof": [
        "function F(x) { this.x = x; } F.prototype.get = function () { return this.x; }; var f = new F(3);"
        " return [f.get(), f instanceof F, f.constructor === F]",
        "function F() { return new.target === F; } return [new F() instanceof F, F()]",
        "function F() { this.t = new.target; } return new F().t === F",
        "function G() { var arrow = () => new.target; this.t = arrow(); } return new G().t === G",
        "class A { constructor() { this.t = new.target; } } class B extends A {} return [new B().t === B, new A().t === A]",
        "function F() {} F.prototype = 5; return Object.getPrototypeOf(new F()) === Object.prototype",
        "function F() {} var o = new F(); F.prototype = {p: 1}; var o2 = new F(); return [o instanceof F, o2 instanceof F, o2.p]",
        "function F() { return {own: 1}; } var o = new F(); return [o.own, o instanceof F]",
        "var Bound = function (a) { this.a = a; }.bind(null, 7); var b = new Bound(); return [b.a, b instanceof Bound]",
        "class C { static [Symbol.hasInstance](v) { return v === 42; } } return [42 instanceof C, {} instanceof C]",
        "function F() {} Object.defineProperty(F, Symbol.hasInstance, {value: () => true}); return 1 instanceof F",
        "function F() {} Object.setPrototypeOf(F, {[Symbol.hasInstance]: () => 'yes'}); return ({}) instanceof F",
        "try { ({}) instanceof {}; } catch (e) { return e.constructor.name; }",
        "var r = Reflect.construct(function () { this.t = new.target; }, [], Array); return [r.t === Array, Array.isArray(r)]",
        "class X extends Array {} var x = new X(); x.push(1); return [x.length, x instanceof X, Array.isArray(x)]",
    ],
}

#: Cases whose rendering is pinned here too (they run without node in the suite's offline mode).
PINNED: dict[str, str] = {}

test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, PINNED)

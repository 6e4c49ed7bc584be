"""Object creation against Node: ``new``, ``super()``, class fields, literals, ``instanceof``, ``call``.

``Runtime.new`` constructs a function or base class that never reads
``new.target`` without the generic [[Construct]] once a first construction
has probed it, ``construct_super`` does the same for a parent, a public field
on an ordinary object without attributes is a store, ``instanceof`` reads a
function's own ``prototype`` from ``props`` and walks ordinary chains itself,
and ``Function.prototype.call`` runs a function directly. Most cases construct
in a loop, so that both the first (probing) and the later (fast) constructions
are compared; each puts in the way what the fast paths must not take: other
kinds of functions, replaced or non-object prototypes, ``new.target``,
returned objects, proxies, bound functions, accessors, frozen objects.
"""

from __future__ import annotations

import pytest

from node_oracle import oracle_tests
from seqflow_runtime import Limits, create_flow

ORACLE: dict[str, list[str]] = {
    "new on what cannot construct": [
        "var r = []; var fs = [() => 1, {m() {}}.m, async function () {}, function* () {}, Math.max, Symbol,"
        " Object.getOwnPropertyDescriptor({get g() { return 1; }}, 'g').get, async () => 1];"
        " for (var k = 0; k < 2; k++) for (var f of fs) { try { new f(); r.push('made'); }"
        " catch (e) { r.push(e.constructor.name); } } return r",
        "var r = []; for (var v of [1, 'f', null, undefined, {}, [], Symbol.iterator]) { try { new v(); r.push('made'); }"
        " catch (e) { r.push(e.constructor.name); } } return r",
        "class K { static s() {} m() {} } var r = []; for (var f of [K.s, K.prototype.m]) { try { new f(); }"
        " catch (e) { r.push(e.constructor.name); } } return r",
    ],
    "what a constructor returns": [
        "function F() { this.a = 1; return {b: 2}; } function G() { this.a = 1; return 5; }"
        " function H() { this.a = 1; return null; } function K() { return function named() {}; }"
        " function S() { this.a = 1; return Symbol('s'); } function U() { this.a = 1; return undefined; }"
        " var r = []; for (var i = 0; i < 3; i++) r.push(new F(), new G(), new H(), typeof new K(), new S(), new U());"
        " return r",
        "class A { constructor() { return [1, 2]; } } var r = []; for (var i = 0; i < 2; i++) { var a = new A();"
        " r.push(Array.isArray(a), a instanceof A); } return r",
        "class A { constructor(x) { if (x) return {x}; this.own = 1; } } var r = [];"
        " for (var i = 0; i < 4; i++) r.push(new A(i % 2)); return r",
        "function F(a, b) { this.args = [a, b]; } var r = []; for (var i = 0; i < 2; i++)"
        " r.push(new F().args, new F(1).args, new F(1, 2, 3).args, new F(2 ** 53 + 2, -0).args); return r",
        "function F() { this.n = arguments.length; this.last = arguments[arguments.length - 1]; } var r = [];"
        " for (var i = 0; i < 2; i++) r.push(new F(), new F(1, 2, 3)); return r",
        "function F(x = 'dflt', ...rest) { this.x = x; this.rest = rest; } var r = []; for (var i = 0; i < 2; i++)"
        " r.push(new F(), new F(undefined, 1, 2)); return r",
        "var F = function () { this.v = 1; }; var r = []; for (var i = 0; i < 2; i++) r.push(new F, new F()); return r",
    ],
    "new.target": [
        "function F() { this.t = new.target === F; } var r = []; for (var i = 0; i < 3; i++) r.push(new F().t);"
        " var o = {}; F.call(o); r.push(o.t); return r",
        "function G() { this.f = () => new.target; } var a = new G(); var b = new G(); return [a.f() === G, b.f() === G]",
        "function Inner() { return new.target; } function Outer() { this.t = Inner(); } new Outer();"
        " return [new Outer().t, new Inner() instanceof Inner]",
        "function F() { this.p = Object.getPrototypeOf(this); } class N {} var a = Reflect.construct(F, [], N);"
        " var b = new F(); var c = new F(); return [a.p === N.prototype, b.p === F.prototype, c instanceof F, a instanceof N]",
        "class A { constructor() { this.nt = new.target.name; } } class B extends A {} var r = [];"
        " for (var i = 0; i < 2; i++) r.push(new A().nt, new B().nt); return r",
        "function F() { if (!new.target) return new F(); this.made = true; } return [F().made, new F().made, F().made]",
    ],
    "derived classes": [
        "class A {} class B extends A { constructor() {} } var r = []; for (var i = 0; i < 2; i++) { try { new B();"
        " r.push('ok'); } catch (e) { r.push(e.constructor.name); } } return r",
        "var count = 0; class A { constructor() { count++; } } class B extends A { constructor() { super();"
        " try { super(); } catch (e) { this.err = e.constructor.name; } } } var b = new B(); return [count, b.err]",
        "class A { constructor() { this.a = 1; } } class B extends A { constructor(x) { if (x === 1) return {early: true};"
        " if (x === 2) return 7; if (x === 3) return undefined; super(); } } var r = []; for (var x = 0; x < 4; x++) {"
        " try { r.push(new B(x)); } catch (e) { r.push(e.constructor.name); } } return r",
        "class A { constructor(a, b) { this.a = a; this.b = b; } } class B extends A {} class C extends B {"
        " constructor(...xs) { super(...xs); this.n = xs.length; } } var r = []; for (var i = 0; i < 2; i++)"
        " r.push(new B(1), new B(1, 2, 3), new C(), new C(4, 5, 6)); return r",
        "function P(a) { this.a = a; } P.prototype.m = function () { return this.a * 2; };"
        " class C extends P { constructor() { super(21); } } new C(); var c = new C();"
        " return [c.m(), c instanceof P, c instanceof C, Object.keys(c)]",
        "class N extends null { constructor() { return Object.create(N.prototype); } } class M extends null {}"
        " var r = [new N() instanceof N, new N() instanceof Object]; try { new M(); } catch (e) { r.push(e.constructor.name); }"
        " return r",
        "var Nul = null; class M extends Nul {} class K extends (0 || null) { constructor() { return {made: 1}; } }"
        " var r = [Object.getPrototypeOf(M.prototype), Object.getPrototypeOf(M) === Function.prototype, new K()];"
        " try { new M(); } catch (e) { r.push(e.constructor.name); } return r",
        "function outer() { class A {} class B extends A { constructor() { return this; } } return new B(); }"
        " try { outer.call({}); } catch (e) { return e.constructor.name; }",
        "class A { constructor() { this.w = 'A'; } } class B { constructor() { this.w = 'B'; } } class C extends A {}"
        " var c1 = new C(); Object.setPrototypeOf(C, B); var c2 = new C();"
        " return [c1.w, c2.w, c2 instanceof C, c2 instanceof B, c2 instanceof A]",
        "function P() { this.t = new.target; } class C extends P {} var r = []; for (var i = 0; i < 2; i++)"
        " r.push(new C().t === C, new P().t === P); return r",
        "function P() { this.v = 1; } class C extends P {} new C(); P.prototype = {replaced: 1}; var c = new C();"
        " return [c.replaced, c instanceof P, c instanceof C, c.v]",
        "class A { constructor() { return {fromBase: 1}; } } class B extends A { constructor() { super(); this.own = 2; } }"
        " var b = new B(); return [b, b instanceof B]",
        "class A {} class B extends A {} Object.setPrototypeOf(B, Math.max); try { new B(); } catch (e) {"
        " return e.constructor.name; }",
        "class A { constructor() { this.x = 1; } } var r = []; for (var i = 0; i < 2; i++) { class B extends A {"
        " constructor() { super(); this.i = i; } } r.push(new B()); } return r",
        "class A { constructor(x) { this.x = x; } } var P = new Proxy(A, {construct(t, args, nt) { return {proxied: args[0]}; }});"
        " var r = []; for (var i = 0; i < 2; i++) r.push(new P(i)); return r",
    ],
    "prototypes replaced, or not objects": [
        "function F() {} var a = new F(); F.prototype = {tag: 'new'}; var b = new F(); var b2 = new F();"
        " var r = [a.tag, b.tag, b2.tag, b instanceof F, a instanceof F]; F.prototype = null; var c = new F();"
        " F.prototype = 7; var d = new F(); r.push(Object.getPrototypeOf(c) === Object.prototype,"
        " Object.getPrototypeOf(d) === Object.prototype); try { d instanceof F; } catch (e) { r.push(e.constructor.name); }"
        " return r",
        "function F() {} F.prototype = []; new F(); var o = new F(); return [o instanceof Array, Array.isArray(o), o.length]",
        "function F() {} F.prototype = new Proxy({p: 1}, {}); new F(); var o = new F();"
        " return [o.p, Object.getPrototypeOf(o) === F.prototype, o instanceof F]",
        "function F() {} F.prototype = function g() {}; new F(); var o = new F();"
        " return [typeof o, o instanceof F, o instanceof Function, o.name]",
        "class K {} var before = new K(); K.prototype = {}; return [Object.getPrototypeOf(new K()) === Object.getPrototypeOf(before),"
        " new K() instanceof K]",
        "function F() {} new F(); Object.defineProperty(F, 'prototype', {value: {d: 1}}); return new F().d",
        "function F() {} new F(); try { Object.defineProperty(F, 'prototype', {get() { return {}; }}); } catch (e) {"
        " return [e.constructor.name, new F() instanceof F]; }",
    ],
    "class fields and private fields": [
        "class A { x = 1; #p = 2; static s = 3; getP() { return this.#p; } } var r = [];"
        " for (var i = 0; i < 2; i++) { var a = new A(); r.push(a.x, a.getP(), Object.keys(a)); } r.push(A.s); return r",
        "class A { get x() { return 'getter'; } } class B extends A { x = 'field'; } var b = new B();"
        " var d = Object.getOwnPropertyDescriptor(b, 'x'); return [b.x, d.writable, d.enumerable, d.configurable]",
        "class A { constructor() { return Object.freeze({}); } } class B extends A { x = 1; } var r = [];"
        " for (var i = 0; i < 2; i++) { try { new B(); r.push('ok'); } catch (e) { r.push(e.constructor.name); } } return r",
        "class A { constructor() { var o = {}; Object.defineProperty(o, 'x', {value: 0}); return o; } }"
        " class B extends A { x = 1; } try { new B(); } catch (e) { return e.constructor.name; }",
        "class A { constructor() { var o = {}; Object.defineProperty(o, 'x', {value: 0, configurable: true}); return o; } }"
        " class B extends A { x = 1; } var b = new B(); var d = Object.getOwnPropertyDescriptor(b, 'x');"
        " return [b.x, d.writable, d.enumerable]",
        "var log = []; class A { constructor() { return {set x(v) { log.push(v); }}; } } class B extends A { x = 5; }"
        " var b = new B(); return [log.length, b.x, Object.getOwnPropertyDescriptor(b, 'x').writable]",
        "class A { constructor() { return Object.preventExtensions({y: 1}); } } class B extends A { y = 2; }"
        " class C extends A { z = 3; } var r = [new B().y]; try { new C(); } catch (e) { r.push(e.constructor.name); } return r",
        "class A { 0 = 'zero'; ['a' + 'b'] = 1; [Symbol.iterator] = 2; 'quoted key' = 3; 1.5 = 'f'; } var a = new A();"
        " return [Object.keys(a), a[Symbol.iterator], a['1.5']]",
        "var log = []; class A { constructor() { return new Proxy({}, {defineProperty(t, k, d) { log.push(k);"
        " return Reflect.defineProperty(t, k, d); }}); } } class B extends A { f = 1; g = 2; } var b = new B();"
        " return [log, b.f, b.g]",
        "class A { constructor(o) { return o; } } class B extends A { #p = 1; static has(o) { return #p in o; } }"
        " var o = {}; new B(o); try { new B(o); } catch (e) { return [B.has(o), B.has({}), e.constructor.name]; }",
        "class A { x = this.constructor.name; y = this.x + '!'; } class B extends A { z = this.y; } var r = [];"
        " for (var i = 0; i < 2; i++) r.push(new A(), new B()); return r",
        "class A { constructor() { this.x = 'ctor'; } } class B extends A { x = 'field'; } return new B().x",
        "class A { x = 1; } var a = new A(); Object.defineProperty(A.prototype, 'x', {set(v) { throw new Error('no'); }});"
        " return [new A().x, a.x]",
        "class A { x = 1; } var arr = Reflect.construct(A, [], Array); return [arr.x, Array.isArray(arr), Object.keys(arr)]",
        "class E extends Error { code = 7; } var e = new E('m'); return [e.code, e.message, e instanceof Error, Object.keys(e)]",
    ],
    "Reflect.construct and proxies": [
        "function F() { this.nt = new.target; } class X {} var r = []; for (var i = 0; i < 2; i++) {"
        " var o = Reflect.construct(F, [], X); r.push(o.nt === X, o instanceof X, o instanceof F); } return r",
        "class A { constructor() { this.nt = new.target.name; } } class B extends A {} function Other() {}"
        " Other.prototype = {o: 1}; var r = Reflect.construct(B, [], Other); return [r.nt, r.o, r instanceof B]",
        "var P = new Proxy(function (a) { this.a = a; }, {construct(t, args, nt) { return {trapped: args[0]}; }});"
        " return [new P(1).trapped, new P(2).trapped, new P(3) instanceof P]",
        "var T = function (a) { this.a = a; }; var P = new Proxy(T, {}); var r = []; for (var i = 0; i < 2; i++) {"
        " var o = new P(i); r.push(o.a, o instanceof P, o instanceof T); } return r",
        "var P = new Proxy(() => 1, {}); try { new P(); } catch (e) { return e.constructor.name; }",
        "function F() { this.v = 1; } var NT = new Proxy(function () {}, {get(t, k) { return k === 'prototype' ? {viaTrap: 1} : t[k]; }});"
        " var o = Reflect.construct(F, [], NT); return [o.v, o.viaTrap]",
        "function F() {} try { Reflect.construct(F, [], () => 1); } catch (e) { return e.constructor.name; }",
        "var r = []; for (var i = 0; i < 2; i++) { var a = Reflect.construct(Array, [3], Object); r.push(Array.isArray(a), a.length); }"
        " return r",
    ],
    "bound functions": [
        "function F(a, b) { this.a = a; this.b = b; this.nt = new.target === F; } var B = F.bind({ignored: 1}, 'x');"
        " var r = []; for (var i = 0; i < 2; i++) { var o = new B('y' + i); r.push(o.a, o.b, o.nt, o instanceof F,"
        " o instanceof B, o.ignored); } return r",
        "var B = (() => 1).bind(null); try { new B(); } catch (e) { return e.constructor.name; }",
        "class K { constructor(v) { this.v = v; } } var BK = K.bind(null, 9); var r = [];"
        " for (var i = 0; i < 2; i++) r.push(new BK().v, new BK() instanceof K, new BK() instanceof BK); return r",
        "function F() {} var B = F.bind(null); var BB = B.bind(null); var o = new BB(); return [o instanceof F,"
        " o instanceof B, o instanceof BB, new F() instanceof BB, BB.name]",
        "function F() { this.t = new.target; } var B = F.bind(null); var o = Reflect.construct(B, [], Array);"
        " return [o.t === Array, Array.isArray(o)]",
        "class A { constructor() { this.k = 'A'; } } class C extends A.bind(null) {} return 'no error'",
    ],
    "instanceof": [
        "class C { static [Symbol.hasInstance](v) { return v === 42; } } return [42 instanceof C, {} instanceof C]",
        "function F() {} Object.defineProperty(F, Symbol.hasInstance, {value: (v) => v === 1 ? 'truthy' : 0});"
        " return [1 instanceof F, 2 instanceof F, new F() instanceof F]",
        "[1 instanceof Number, 'a' instanceof String, new Number(1) instanceof Number, null instanceof Object,"
        " undefined instanceof Object, Object.create(null) instanceof Object, Symbol() instanceof Symbol]",
        "var log = []; var p = new Proxy(Array.prototype, {getPrototypeOf() { log.push('trap'); return Object.prototype; }});"
        " var o = Object.create(p); return [o instanceof Array, o instanceof Object, o instanceof Function, log.length]",
        "var r = []; for (var t of [() => 1, {}, 5, null, Math.max]) { try { r.push(({}) instanceof t); }"
        " catch (e) { r.push(e.constructor.name); } } return r",
        "var log = []; var f = () => 1; Object.defineProperty(f, 'prototype', {get() { log.push('get');"
        " return Array.prototype; }}); return [[] instanceof f, 5 instanceof f, ({}) instanceof f, log.length]",
        "[({}) instanceof {[Symbol.hasInstance]: () => true}, 1 instanceof {[Symbol.hasInstance]: (v) => v}]",
        "function L() {} return [({}) instanceof L, Object.create(L.prototype) instanceof L, new L() instanceof L]",
        "class A {} class B extends A {} class C extends B {} var c = new C();"
        " return [c instanceof A, c instanceof B, c instanceof C, new A() instanceof C, C instanceof Function, A instanceof A]",
        "class X extends Array {} var x = new X(); return [x instanceof X, x instanceof Array, [] instanceof X,"
        " x instanceof Object]",
        "function F() {} var f = new F(); return [Function.prototype[Symbol.hasInstance].call(F, f),"
        " Function.prototype[Symbol.hasInstance].call({}, f), Function.prototype[Symbol.hasInstance].call(F, 1)]",
        "function F() {} var o = new F(); Object.setPrototypeOf(o, null); var r = [o instanceof F, o instanceof Object];"
        " Object.setPrototypeOf(o, F.prototype); r.push(o instanceof F); return r",
        "var args = (function () { return arguments; })(); var re = /x/; var d = new Date(0); var m = new Map();"
        " return [args instanceof Object, re instanceof RegExp, d instanceof Date, m instanceof Map, m instanceof Set,"
        " new Error('e') instanceof Error, new TypeError('t') instanceof Error, Promise.resolve() instanceof Promise]",
        "function F() {} F.prototype = undefined; var r = []; try { ({}) instanceof F; } catch (e) { r.push(e.constructor.name); }"
        " r.push(1 instanceof F); return r",
    ],
    "Function.prototype.call and apply": [
        "function f(a, b) { return [this === undefined ? 'u' : typeof this, a, b, arguments.length]; }"
        " return [f.call(), f.call(1, 2), f.call(null, 1, 2, 3)]",
        "function f(a) { 'use strict'; return [this === undefined ? 'u' : typeof this, a]; }"
        " return [f.call(), f.call(1, 2), f.call('s'), f.call(null)]",
        "class K {} var r = []; for (var i = 0; i < 2; i++) { try { K.call({}); } catch (e) { r.push(e.constructor.name); } }"
        " try { K.apply({}, []); } catch (e) { r.push(e.constructor.name); } return r",
        "var bf = function () { return this.v; }.bind({v: 1}); return [bf.call({v: 2}), bf.apply({v: 3})]",
        "var pf = new Proxy(function (a) { return a * 2; }, {}); return [Function.prototype.call.call(pf, null, 21),"
        " pf.call(null, 4), pf.apply(null, [5])]",
        "var r = []; for (var t of [{}, 1, null]) { try { Function.prototype.call.call(t, null); } catch (e) {"
        " r.push(e.constructor.name); } } try { Function.prototype.apply.call({}, null, []); } catch (e) {"
        " r.push(e.constructor.name); } return r",
        "function g(a) { return [a, arguments.length]; } function h(a) { return a; }"
        " return [g.call(null, 1, 2, 3), h.call(null, 1, 2, 3), h.call(null), h.call(null, 2 ** 53 + 2), Object.is(h.call(null, -0), -0)]",
        "function* gen(a) { yield a; yield this.v; } return [...gen.call({v: 'tv'}, 'a')]",
        "var af = async function (a) { return a + this.v; }; return await af.call({v: 1}, 1)",
        "function f() { return 'orig'; } f.call = function () { return 'own'; }; return [f.call(), f.apply()]",
        "var orig = Function.prototype.call; Function.prototype.call = function () { return 'replaced'; };"
        " var r = (function () { return 'ran'; }).call(); Function.prototype.call = orig; return [r, (function () { return 'ran'; }).call()]",
        "function f() { return [].slice.call(arguments); } return [Math.max.apply(null, [1, 5, 3]), f.apply(null, {length: 2, 0: 'a', 1: 'b'}),"
        " f.apply(null, [1, , 3]), f.apply(null), f.apply(null, null), f.apply(null, 'ab'.split(''))]",
        "var o = {n: 'o', m(x) { return this.n + x; }}; return [o.m.call({n: 'p'}, 1), Function.prototype.call.call(o.m, {n: 'q'}, 2),"
        " Function.prototype.call.apply(o.m, [{n: 'r'}, 3]), [1, 2, 3].map.call('ab', (c) => c + c)]",
        "var arrow = () => typeof this; return [arrow.call(5) === arrow(), Math.max.call(null, 1, 9, 3)]",
        "function F(v) { this.v = v; } function G(v) { F.call(this, v); this.w = v * 2; } G.prototype = Object.create(F.prototype);"
        " G.prototype.constructor = G; var r = []; for (var i = 0; i < 2; i++) { var g = new G(i); r.push(g, g instanceof F); }"
        " return r",
    ],
    "object literals": [
        "var o = {a: 1, get b() { return this.a + 1; }, set b(v) { this.a = v; }}; o.b = 10;"
        " return [o.a, o.b, Object.keys(o), typeof Object.getOwnPropertyDescriptor(o, 'b').get]",
        "var p = {inh: 1}; var o = {__proto__: p, own: 2}; var n = {__proto__: null}; var s = {'__proto__': p};"
        " var c = {['__proto__']: 5}; var sh = {__proto__: 5}; return [o.inh, Object.keys(o), Object.getPrototypeOf(n),"
        " Object.getPrototypeOf(s) === p, Object.keys(c), Object.getPrototypeOf(sh) === Object.prototype]",
        "var __proto__ = {own: 1}; var o = {__proto__}; var m = {get __proto__() { return 1; }};"
        " return [Object.keys(o), Object.getPrototypeOf(o) === Object.prototype, Object.keys(m)]",
        "var i = 0; var o = {a: i++, ['b' + i]: i++, a: 'again', 1: 'one', [2]: 'two', '01': 'z'};"
        " return [JSON.stringify(o), Object.keys(o)]",
        "var src = {x: 1, get y() { return 'gy'; }}; Object.defineProperty(src, 'hidden', {value: 1, enumerable: false});"
        " var o = {a: 0, ...src, x: 9, ...null, ...undefined, ...'hi', ...[7]};"
        " return [JSON.stringify(o), Object.getOwnPropertyDescriptor(o, 'y').value]",
        "var s = Symbol('k'); var o = {[s]: 1, s: 2}; return [o[s], Object.getOwnPropertySymbols(o).length, Object.keys(o)]",
        "var made = []; for (var i = 0; i < 3; i++) made.push({v: i, w: [i]}); made[0].v = 'changed';"
        " return [made[0] !== made[1], made, made[1].w !== made[2].w]",
        "var o = {'1': 'a', 1.5: 'b', 0x10: 'c', 1e21: 'd', [-0]: 'e'}; return Object.keys(o)",
        "var o = {z: -0, n: NaN, big: 2 ** 53 + 2, u: undefined}; return [Object.is(o.z, -0), o.n, o.big, 'u' in o,"
        " Object.keys(o)]",
        "var o = {get a() { return 1; }, a: 2}; var p = {a: 2, get a() { return 1; }}; return [o.a, p.a,"
        " typeof Object.getOwnPropertyDescriptor(o, 'a').get, typeof Object.getOwnPropertyDescriptor(p, 'a').get]",
        "var log = []; var o = {[(log.push('k1'), 'k1')]: log.push('v1'), ...(log.push('s'), {}), [(log.push('k2'), 'k2')]: 1};"
        " return log",
        "var proxy = new Proxy({a: 1, b: 2}, {ownKeys() { return ['b', 'a']; }}); return Object.keys({...proxy})",
        "var o = {m() { return super.toString === Object.prototype.toString; }, f: function () {}, a: () => 1};"
        " return [o.m(), o.f.name, o.a.name, 'prototype' in o.m, 'prototype' in o.f]",
    ],
    "array literals": [
        "var a = [1, , 3, , ]; return [a.length, 1 in a, Object.keys(a), a.indexOf(undefined), a.includes(undefined)]",
        "var a = [0, ...[1, , 3], ...'ab', ...new Set([4])]; return [a, 2 in a, a.length]",
        "var made = []; for (var i = 0; i < 3; i++) made.push([i, [i]]); made[0].push('x');"
        " return [made, made[1] !== made[2]]",
        "var a = [-0, NaN, 2 ** 53 + 2, undefined, null]; return [Object.is(a[0], -0), a[1], a[2], 3 in a, a.length]",
        "var a = [,]; var b = []; var c = [, , 1]; return [a.length, 0 in a, b.length, c.length, Object.keys(c)]",
        "var d = Object.defineProperty(Array.prototype, 0, {set(v) { throw new Error('setter'); }, configurable: true});"
        " var a = [5]; delete Array.prototype[0]; return a",
        "var it = {[Symbol.iterator]() { var n = 0; return {next() { n++; return {done: n > 3, value: n}; }}; }};"
        " return [...it, ...it]",
    ],
    "Object.create": [
        "var p = {x: 1}; var o = Object.create(p, {y: {value: 2, enumerable: true}, z: {get() { return 3; }}});"
        " return [o.x, o.y, o.z, Object.keys(o), Object.create(null) instanceof Object]",
        "var r = []; for (var v of [5, 'x', undefined, true]) { try { Object.create(v); } catch (e) {"
        " r.push(e.constructor.name); } } return r",
        "var o = Object.create(Array.prototype); return [o instanceof Array, Array.isArray(o), o.length, typeof o.push]",
        "var fp = Object.create(Function.prototype); return [fp instanceof Function, typeof fp]",
    ],
}

#: Cases whose rendering is pinned here too (they run without node in the suite's offline mode).
PINNED: dict[str, str] = {}

test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, PINNED)


@pytest.mark.parametrize("code", [
    "function F() { this.x = 1; } for (;;) new F();",
    "class A { constructor() { this.a = 1; } } class B extends A {} for (;;) new B();",
    "function R() { new R(); } new R();",
    "class A extends Object { constructor() { super(); new A(); } } new A();",
    "function F() { F.call(this); } new F();",
])
def test_construction_spends_the_budget(code: str) -> None:
    # Each construction (and each call it makes) is a step: endless construction ends at the step
    # limit, or for endless recursion at the stack limit, as a JS error rather than a crash.
    task = create_flow(limits=Limits(max_steps=50_000, max_run_seconds=60)).execute(code)
    assert task.status == "error"
    assert task.error is not None

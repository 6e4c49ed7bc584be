"""``Reflect`` on ordinary objects, and ``Proxy``: traps, forwarding, revocation, callability, invariants.

Cases run in tables (one realm per table). A case is a JS expression, or a
function body when it starts with a statement keyword. ``PRELUDE`` defines
``logged(target)``: a proxy whose every trap appends a line to ``log`` and
forwards to ``Reflect``, so a case can assert the exact operations the
language performs on an object.
"""

from __future__ import annotations

from typing import Any

import pytest

from jsrun import Throws, check_cases, evaluate, js_error, run_cases, run_js


PRELUDE = r"""
var log = [];
function note(s) { log[log.length] = s; }
function keyName(k) { return typeof k === 'symbol' ? k.toString() : k; }
function logged(target) {
  return new Proxy(target, {
    get: function (t, k, r) { note('get ' + keyName(k)); return Reflect.get(t, k, r); },
    set: function (t, k, v, r) { note('set ' + keyName(k) + '=' + v); return Reflect.set(t, k, v, r); },
    has: function (t, k) { note('has ' + keyName(k)); return Reflect.has(t, k); },
    deleteProperty: function (t, k) { note('delete ' + keyName(k)); return Reflect.deleteProperty(t, k); },
    ownKeys: function (t) { note('ownKeys'); return Reflect.ownKeys(t); },
    getOwnPropertyDescriptor: function (t, k) { note('gopd ' + keyName(k)); return Reflect.getOwnPropertyDescriptor(t, k); },
    defineProperty: function (t, k, d) { note('define ' + keyName(k)); return Reflect.defineProperty(t, k, d); },
    getPrototypeOf: function (t) { note('getPrototypeOf'); return Reflect.getPrototypeOf(t); },
    setPrototypeOf: function (t, p) { note('setPrototypeOf'); return Reflect.setPrototypeOf(t, p); },
    isExtensible: function (t) { note('isExtensible'); return Reflect.isExtensible(t); },
    preventExtensions: function (t) { note('preventExtensions'); return Reflect.preventExtensions(t); },
    apply: function (t, self, args) { note('apply'); return Reflect.apply(t, self, args); },
    construct: function (t, args, nt) { note('construct'); return Reflect.construct(t, args, nt); }
  });
}
"""


def run_table(cases: list[tuple[str, Any]], prelude: str = PRELUDE) -> list[Any]:
    """Run the cases after the logging prelude, with ``log`` reset before each."""
    return run_cases(cases, prelude, before_each="log = [];")


def check_table(cases: list[tuple[str, Any]], prelude: str = PRELUDE) -> None:
    """Check the cases after the logging prelude, with ``log`` reset before each."""
    check_cases(cases, prelude, before_each="log = [];")


# -- Reflect on ordinary objects ------------------------------------------------------------

REFLECT: list[tuple[str, Any]] = [
    ("Reflect.apply(function (a, b) { return this.base + a + b; }, {base: 1}, [2, 3])", 6),
    ("Reflect.apply(Math.max, undefined, [1, 5, 2])", 5),
    ("Reflect.apply(function () { return arguments.length; }, null, {length: 2, 0: 'a'})", 2),
    ("Reflect.apply(function () { return arguments.length; }, null, [])", 0),
    ("Reflect.apply(1, null, [])", Throws("TypeError")),
    ("Reflect.apply(function () {}, null)", Throws("TypeError")),
    ("Reflect.apply(function () {}, null, 5)", Throws("TypeError")),
    ("function P(x) { this.x = x; } var o = Reflect.construct(P, [7]); return [o.x, o instanceof P]", [7, True]),
    ("class A { constructor() { this.made = true; } } class B {} "
     "var o = Reflect.construct(A, [], B); return [o.made, Object.getPrototypeOf(o) === B.prototype, o instanceof A]",
     [True, True, False]),
    ("function F() {} function G() {} var o = Reflect.construct(F, [], G); "
     "return Object.getPrototypeOf(o) === G.prototype", True),
    ("Reflect.construct(Date, [2020, 0, 1]) instanceof Date", True),
    ("var e = Reflect.construct(Error, ['boom']); return [e.message, e instanceof Error]", ["boom", True]),
    ("Reflect.construct(function () {}, [], Math.max)", Throws("TypeError")),
    ("Reflect.construct(() => 1, [])", Throws("TypeError")),
    ("Reflect.construct(function () {})", Throws("TypeError")),
    ("var o = {}; return [Reflect.defineProperty(o, 'x', {value: 1}), o.x, Reflect.defineProperty(o, 'x', {value: 2})]",
     [True, 1, False]),
    ("Reflect.defineProperty(Object.freeze({}), 'x', {value: 1})", False),
    ("Reflect.defineProperty(1, 'x', {})", Throws("TypeError", "Reflect.defineProperty called on non-object")),
    ("Reflect.defineProperty({}, 'x', {get: 1})", Throws("TypeError")),
    ("var o = {a: 1}; return [Reflect.deleteProperty(o, 'a'), 'a' in o, Reflect.deleteProperty(o, 'nope')]",
     [True, False, True]),
    ("Reflect.deleteProperty(Object.freeze({a: 1}), 'a')", False),
    ("var a = [1, 2]; return [Reflect.deleteProperty(a, 'length'), Reflect.deleteProperty(a, 0), a.length, 0 in a]",
     [False, True, 2, False]),
    ("Reflect.get({a: 1}, 'a')", 1),
    ("Reflect.get([5, 6], 1)", 6),
    ("Reflect.get(Object.create({inh: 'i'}), 'inh')", "i"),
    ("var o = {get who() { return this.name; }, name: 'o'}; return [Reflect.get(o, 'who'), "
     "Reflect.get(o, 'who', {name: 'receiver'})]", ["o", "receiver"]),
    ("Reflect.get(1, 'a')", Throws("TypeError", "Reflect.get called on non-object")),
    ("Reflect.get({}, 'missing') === undefined", True),
    ("var o = {a: 1}; return [Reflect.set(o, 'a', 2), o.a, Reflect.set(o, 'b', 3), o.b]", [True, 2, True, 3]),
    ("var o = Object.defineProperty({}, 'ro', {value: 1}); return [Reflect.set(o, 'ro', 2), o.ro]", [False, 1]),
    ("var o = {set s(v) { this.got = v; }}; var r = {}; return [Reflect.set(o, 's', 9, r), r.got, o.got]",
     [True, 9, None]),
    ("var target = {a: 1}; var receiver = {}; Reflect.set(target, 'a', 5, receiver); return [target.a, receiver.a]",
     [1, 5]),
    ("var receiver = Object.defineProperty({}, 'a', {value: 0}); return Reflect.set({a: 1}, 'a', 5, receiver)", False),
    ("Reflect.set({}, 'a', 1, 5)", False),
    ("var a = [1]; return [Reflect.set(a, 'length', 3), a.length]", [True, 3]),
    ("Reflect.set(1, 'a', 1)", Throws("TypeError")),
    ("Reflect.getOwnPropertyDescriptor({a: 1}, 'a')",
     {"value": 1, "writable": True, "enumerable": True, "configurable": True}),
    ("Reflect.getOwnPropertyDescriptor({}, 'a') === undefined", True),
    ("Reflect.getOwnPropertyDescriptor('str', 0)", Throws("TypeError")),
    ("Reflect.getPrototypeOf([]) === Array.prototype", True),
    ("Reflect.getPrototypeOf(Object.create(null))", None),
    ("Reflect.getPrototypeOf(1)", Throws("TypeError")),
    ("Reflect.has({a: 1}, 'a') && Reflect.has(Object.create({b: 1}), 'b') && !Reflect.has({}, 'c')", True),
    ("Reflect.has([1], 0)", True),
    ("Reflect.has({}, 'toString')", True),
    ("Reflect.has(1, 'a')", Throws("TypeError")),
    ("[Reflect.isExtensible({}), Reflect.isExtensible(Object.preventExtensions({}))]", [True, False]),
    ("Reflect.isExtensible(1)", Throws("TypeError")),
    ("var s = Symbol('s'); var o = {b: 1, 2: 0, a: 1}; o[s] = 1; Object.defineProperty(o, 'h', {value: 0}); "
     "var k = Reflect.ownKeys(o); return [k.length, k[0], k[1], k[2], k[3], k[4] === s]",
     [5, "2", "b", "a", "h", True]),
    ("Reflect.ownKeys([1, 2])", ["0", "1", "length"]),
    ("Reflect.ownKeys(1)", Throws("TypeError")),
    ("var o = {}; return [Reflect.preventExtensions(o), Object.isExtensible(o)]", [True, False]),
    ("Reflect.preventExtensions(1)", Throws("TypeError")),
    ("var o = {}; var p = {q: 1}; return [Reflect.setPrototypeOf(o, p), o.q]", [True, 1]),
    ("Reflect.setPrototypeOf(Object.preventExtensions({}), {})", False),
    ("var a = {}; return Reflect.setPrototypeOf(a, Object.create(a))", False),
    ("Reflect.setPrototypeOf({}, null)", True),
    ("Reflect.setPrototypeOf({}, 1)", Throws("TypeError")),
    ("Reflect.setPrototypeOf({})", Throws("TypeError")),
    ("Object.prototype.toString.call(Reflect)", "[object Reflect]"),
    ("typeof Reflect", "object"),
    ("Object.keys(Reflect)", []),
    ("[Reflect.apply.length, Reflect.construct.length, Reflect.defineProperty.length, Reflect.get.length, "
     "Reflect.set.length, Reflect.has.length, Reflect.ownKeys.length]", [3, 2, 3, 2, 3, 2, 1]),
    ("Reflect.getOwnPropertyDescriptor.name", "getOwnPropertyDescriptor"),
    ("new Reflect.get({}, 'a')", Throws("TypeError")),
]


def test_reflect() -> None:
    check_table(REFLECT)


# -- traps observed through language operations --------------------------------------------

TRAPS: list[tuple[str, Any]] = [
    ("var p = logged({a: 1}); p.a; p.b = 2; 'a' in p; delete p.a; return log",
     ["get a", "set b=2", "gopd b", "define b", "has a", "delete a"]),
    ("var t = {a: 1}; var p = logged(t); p.a = 5; return [log, t.a]", [["set a=5", "gopd a", "define a"], 5]),
    ("var p = logged({b: 1, a: 2}); var k = Object.keys(p); return [k, log]",
     [["b", "a"], ["ownKeys", "gopd b", "gopd a"]]),
    ("var p = logged({b: 1, a: 2}); var v = Object.values(p); return [v, log]",
     [[1, 2], ["ownKeys", "gopd b", "get b", "gopd a", "get a"]]),
    # for-in: the interleaving of these traps is implementation-defined, the set is not.
    ("var p = logged({x: 1, y: 2}); var ks = []; for (var k in p) ks[ks.length] = k; return [ks, log.sort()]",
     [["x", "y"], ["getPrototypeOf", "gopd x", "gopd y", "ownKeys"]]),
    ("var p = logged({x: 1, y: [2]}); var s = JSON.stringify(p); return [s, log]",
     ['{"x":1,"y":[2]}', ["get toJSON", "ownKeys", "gopd x", "gopd y", "get x", "get y"]]),
    ("var p = logged({x: 1, y: 2}); var o = {...p}; return [o, log]",
     [{"x": 1, "y": 2}, ["ownKeys", "gopd x", "get x", "gopd y", "get y"]]),
    ("var p = logged({x: 1}); var c = Object.assign({}, p); return [c, log]",
     [{"x": 1}, ["ownKeys", "gopd x", "get x"]]),
    ("var p = logged({}); Object.defineProperty(p, 'k', {value: 1, enumerable: true}); return log", ["define k"]),
    ("var p = logged({a: 1}); Object.getOwnPropertyDescriptor(p, 'a'); Object.getPrototypeOf(p); "
     "Object.setPrototypeOf(p, null); Object.isExtensible(p); Object.preventExtensions(p); return log",
     ["gopd a", "getPrototypeOf", "setPrototypeOf", "isExtensible", "preventExtensions"]),
    ("var p = logged({a: 1}); p.hasOwnProperty('a'); return log", ["get hasOwnProperty", "gopd a"]),
    ("var p = logged({}); p[0] = 'x'; p[1]; return log", ["set 0=x", "gopd 0", "define 0", "get 1"]),
    ("var p = logged({}); var s = Symbol('tag'); p[s] = 1; p[s]; return log",
     ["set Symbol(tag)=1", "gopd Symbol(tag)", "define Symbol(tag)", "get Symbol(tag)"]),
    ("var p = logged({}); return [p instanceof Object, log]", [True, ["getPrototypeOf"]]),
    ("var p = logged([1, 2]); var r = [...p]; return [r, log.slice(0, 3)]",
     [[1, 2], ["get Symbol(Symbol.iterator)", "get length", "get 0"]]),
    ("var p = logged({a: 1}); Object.freeze(p); return log",
     ["preventExtensions", "ownKeys", "gopd a", "define a"]),
    ("var p = logged({a: 1}); Object.isFrozen(p); return log", ["isExtensible"]),
    ("var p = logged(function (a) { return a * 2; }); var r = p(21); return [r, log]", [42, ["apply"]]),
    ("var p = logged(function F(x) { this.x = x; }); var o = new p(3); return [o.x, log]",
     [3, ["construct", "get prototype"]]),
    # A proxy on the prototype chain sees inherited lookups (and assignments of keys the
    # child lacks) with the original receiver.
    ("var p = logged({inh: 1}); var child = Object.create(p); child.own = 0; "
     "return [child.inh, child.own, child.missing, 'inh' in child, 'own' in child, log]",
     [1, 0, None, True, True, ["set own=0", "get inh", "get missing", "has inh"]]),
    ("var proto = new Proxy({}, {get: function (t, k, r) { return r === child ? 'receiver ok' : 'wrong'; }}); "
     "var child = Object.create(proto); return child.anything", "receiver ok"),
    ("var t = {}; var p = logged(t); var child = Object.create(p); child.x = 1; "
     "return [log, Object.keys(child), Object.keys(t)]", [["set x=1"], ["x"], []]),
    # The set trap gets the original receiver; its false result is ignored in sloppy code.
    ("var p = new Proxy({}, {set: function () { return false; }}); p.x = 1; return [p.x, Reflect.set(p, 'x', 1)]",
     [None, False]),
    ("var got; var p = new Proxy({}, {set: function (t, k, v, r) { got = r === p; t[k] = v * 2; return true; }}); "
     "p.n = 4; return [p.n, got]", [8, True]),
    # Trap arguments are JS values: keys are strings, descriptors and argument lists plain objects/arrays.
    ("var seen = []; var p = new Proxy({}, {get: function (t, k) { seen[seen.length] = typeof k; return 1; }}); "
     "p[0]; p[1.5]; p.x; return seen", ["string", "string", "string"]),
    ("var d; var p = new Proxy({}, {defineProperty: function (t, k, desc) { d = desc; return true; }}); "
     "Object.defineProperty(p, 'k', {value: 1, enumerable: true}); "
     "return [Object.getPrototypeOf(d) === Object.prototype, Object.keys(d), d.value]",
     [True, ["value", "enumerable"], 1]),
    ("var d; var p = new Proxy({}, {defineProperty: function (t, k, desc) { d = desc; return Reflect.defineProperty(t, k, desc); }}); "
     "p.z = 5; return [Object.keys(d), d.value, p.z]", [["value", "writable", "enumerable", "configurable"], 5, 5]),
    ("var a; var f = new Proxy(function () {}, {apply: function (t, self, args) { a = args; return self; }}); "
     "var me = {}; var r = f.call(me, 1, 2); return [r === me, Array.isArray(a), a, typeof t]",
     [True, True, [1, 2], "undefined"]),
    ("var nt; var C = new Proxy(function () {}, {construct: function (t, args, newTarget) { nt = newTarget; "
     "return {args: args}; }}); var o = new C(1, 'b'); return [o.args, nt === C]", [[1, "b"], True]),
    ("var trapThis; var h = {get: function () { trapThis = this; return 0; }}; var p = new Proxy({}, h); p.x; "
     "return trapThis === h", True),
    ("var p = new Proxy({}, {ownKeys: function () { return ['b', 'a']; }, "
     "getOwnPropertyDescriptor: function (t, k) { return {value: k.toUpperCase(), enumerable: true, configurable: true}; }, "
     "get: function (t, k) { return k + '!'; }}); return [Object.keys(p), Object.entries(p), JSON.stringify(p)]",
     [["b", "a"], [["b", "b!"], ["a", "a!"]], '{"b":"b!","a":"a!"}']),
    ("var p = new Proxy({}, {has: function (t, k) { return k.charAt(0) === 'y'; }}); return ['yes' in p, 'no' in p]",
     [True, False]),
    ("var p = new Proxy({a: 1}, {deleteProperty: function () { return false; }}); "
     "return [delete p.a, Reflect.deleteProperty(p, 'a'), p.a]", [False, False, 1]),
    ("var p = new Proxy({}, {getPrototypeOf: function () { return Array.prototype; }}); "
     "return [p instanceof Array, Object.getPrototypeOf(p) === Array.prototype]", [True, True]),
    # No traps at all: everything forwards to the target.
    ("var t = {a: 1}; var p = new Proxy(t, {}); p.b = 2; delete p.a; "
     "return [t, Object.keys(p), 'b' in p, Object.getPrototypeOf(p) === Object.prototype]",
     [{"b": 2}, ["b"], True, True]),
    ("var p = new Proxy([1, 2, 3], {}); return [p.length, p[1], Array.isArray(p), JSON.stringify(p)]",
     [3, 2, True, "[1,2,3]"]),
    ("var p = new Proxy({}, {}); Object.defineProperty(p, 'x', {value: 1}); return Object.getOwnPropertyDescriptor(p, 'x')",
     {"value": 1, "writable": False, "enumerable": False, "configurable": False}),
    ("var p = new Proxy(Object.freeze({a: 1}), {}); p.a = 2; return [p.a, Object.isFrozen(p)]", [1, True]),
    # null/undefined traps count as absent; a non-callable trap is a TypeError.
    ("var p = new Proxy({a: 1}, {get: null, has: undefined}); return [p.a, 'a' in p]", [1, True]),
    ("var p = new Proxy({}, {get: 1}); return p.x", Throws("TypeError")),
    # The handler is consulted on every operation: traps added later take effect.
    ("var h = {}; var p = new Proxy({a: 1}, h); var before = p.a; h.get = function () { return 'late'; }; "
     "return [before, p.a]", [1, "late"]),
    # Proxies of proxies.
    ("var inner = logged({v: 1}); var outer = new Proxy(inner, {}); return [outer.v, log]", [1, ["get v"]]),
]


def test_traps() -> None:
    check_table(TRAPS)


# -- revocation, callability, construction ---------------------------------------------------

LIFECYCLE: list[tuple[str, Any]] = [
    ("var r = Proxy.revocable({a: 1}, {}); var before = r.proxy.a; r.revoke(); "
     "try { r.proxy.a; } catch (e) { return [before, e.name, e.message]; }",
     [1, "TypeError", "Cannot perform 'get' on a proxy that has been revoked"]),
    ("var r = Proxy.revocable({}, {}); r.revoke(); r.proxy.x = 1",
     Throws("TypeError", "Cannot perform 'set' on a proxy that has been revoked")),
    ("var r = Proxy.revocable({}, {}); r.revoke(); return 'x' in r.proxy",
     Throws("TypeError", "Cannot perform 'has' on a proxy that has been revoked")),
    ("var r = Proxy.revocable({}, {}); r.revoke(); return delete r.proxy.x",
     Throws("TypeError", "Cannot perform 'deleteProperty' on a proxy that has been revoked")),
    ("var r = Proxy.revocable({}, {}); r.revoke(); return Object.keys(r.proxy)",
     Throws("TypeError", "Cannot perform 'ownKeys' on a proxy that has been revoked")),
    ("var r = Proxy.revocable({}, {}); r.revoke(); return Object.getPrototypeOf(r.proxy)",
     Throws("TypeError", "on a proxy that has been revoked")),
    ("var r = Proxy.revocable({}, {}); r.revoke(); r.revoke(); return [typeof r.proxy, r.revoke()]",
     ["object", None]),
    ("var r = Proxy.revocable(function () { return 1; }, {}); r.revoke(); "
     "try { r.proxy(); } catch (e) { return [typeof r.proxy, e.name]; }", ["function", "TypeError"]),
    ("var r = Proxy.revocable({}, {}); return [Object.keys(r), typeof r.revoke, r.revoke.length, r.revoke.name]",
     [["proxy", "revoke"], "function", 0, ""]),
    ("var r = Proxy.revocable({}, {}); r.revoke(); return Array.isArray(r.proxy)", Throws("TypeError")),
    ("Proxy.revocable(1, {})", Throws("TypeError")),
    ("Proxy.revocable.length", 2),
    # Callable proxies.
    ("typeof new Proxy(function () {}, {})", "function"),
    ("typeof new Proxy(() => 1, {})", "function"),
    ("typeof new Proxy({}, {apply: function () { return 1; }})", "object"),
    ("new Proxy({}, {apply: function () { return 1; }})()", Throws("TypeError")),
    ("new Proxy(function (a, b) { return a + b; }, {})(2, 3)", 5),
    ("var p = new Proxy(function () { return this; }, {}); var o = {m: p}; return o.m() === o", True),
    ("var p = new Proxy(function (x) { return x; }, {apply: function (t, self, args) { return t(args[0]) * 10; }}); "
     "return [p(4), p.call(null, 5), p.apply(null, [6]), Reflect.apply(p, null, [7])]", [40, 50, 60, 70]),
    ("var p = new Proxy(function (x) { return x; }, {}); return p.bind(null, 9)()", 9),
    ("var p = new Proxy(() => 1, {}); new p()", Throws("TypeError")),
    ("function F() { this.made = true; } var p = new Proxy(F, {}); var o = new p(); return [o.made, o instanceof F]",
     [True, True]),
    ("class K { constructor(v) { this.v = v; } } var P = new Proxy(K, {}); return new P(3).v", 3),
    ("class K {} var P = new Proxy(K, {}); P()", Throws("TypeError")),
    ("var C = new Proxy(function () {}, {construct: function () { return 1; }}); return new C()",
     Throws("TypeError")),
    ("var p = new Proxy(function named() {}, {}); return [p.name, p.length, Object.prototype.toString.call(p)]",
     ["named", 0, "[object Function]"]),
    ("var p = new Proxy(function () {}, {}); return p instanceof Function", True),
    ("function F() {} var P = new Proxy(F, {}); return new F() instanceof P", True),
    # The constructor itself.
    ("Proxy({}, {})", Throws("TypeError", "Constructor Proxy requires 'new'")),
    ("new Proxy(1, {})", Throws("TypeError", "Cannot create proxy with a non-object as target or handler")),
    ("new Proxy({}, null)", Throws("TypeError", "Cannot create proxy with a non-object as target or handler")),
    ("new Proxy({})", Throws("TypeError")),
    ("[Proxy.length, Proxy.name, 'prototype' in Proxy, typeof Proxy]", [2, "Proxy", False, "function"]),
    ("var p = new Proxy({}, {}); return [typeof p, Object.prototype.toString.call(p)]", ["object", "[object Object]"]),
    ("var t = {}; var p = new Proxy(t, {}); return [p === t, p == t]", [False, False]),
    # A revoked proxy as a handler or target of a new proxy is allowed (ES2020+).
    ("var r = Proxy.revocable({}, {}); r.revoke(); var p = new Proxy(r.proxy, {}); return typeof p", "object"),
]


def test_lifecycle() -> None:
    check_table(LIFECYCLE)


# -- invariants -----------------------------------------------------------------------------------

INVARIANTS: list[tuple[str, Any]] = [
    ("var t = Object.defineProperty({}, 'c', {value: 1}); "
     "var p = new Proxy(t, {get: function () { return 2; }}); return p.c",
     Throws("TypeError", "'get' on proxy: property 'c' is a read-only and non-configurable")),
    ("var t = Object.defineProperty({}, 'c', {value: 1}); "
     "var p = new Proxy(t, {get: function () { return 1; }}); return p.c", 1),
    ("var t = Object.defineProperty({}, 'c', {value: 1, writable: true}); "
     "var p = new Proxy(t, {get: function () { return 2; }}); return p.c", 2),
    ("var t = Object.defineProperty({}, 'c', {set: function () {}}); "
     "var p = new Proxy(t, {get: function () { return 2; }}); return p.c", Throws("TypeError")),
    ("var t = Object.defineProperty({}, 'c', {value: 1}); "
     "var p = new Proxy(t, {set: function () { return true; }}); p.c = 2", Throws("TypeError")),
    ("var t = Object.defineProperty({}, 'c', {value: 1}); "
     "var p = new Proxy(t, {set: function () { return true; }}); p.c = 1; return p.c", 1),
    ("var t = Object.defineProperty({}, 'c', {get: function () { return 1; }}); "
     "var p = new Proxy(t, {set: function () { return true; }}); p.c = 2", Throws("TypeError")),
    ("var t = Object.defineProperty({}, 'c', {value: 1}); "
     "var p = new Proxy(t, {getOwnPropertyDescriptor: function () { return undefined; }}); "
     "return Object.getOwnPropertyDescriptor(p, 'c')",
     Throws("TypeError", "'getOwnPropertyDescriptor' on proxy: trap returned undefined for property 'c'")),
    ("var t = Object.preventExtensions({c: 1}); "
     "var p = new Proxy(t, {getOwnPropertyDescriptor: function () { return undefined; }}); "
     "return Object.getOwnPropertyDescriptor(p, 'c')", Throws("TypeError")),
    ("var p = new Proxy({}, {getOwnPropertyDescriptor: function () { return {value: 1, configurable: false}; }}); "
     "return Object.getOwnPropertyDescriptor(p, 'x')", Throws("TypeError")),
    ("var p = new Proxy({}, {getOwnPropertyDescriptor: function () { return 5; }}); "
     "return Object.getOwnPropertyDescriptor(p, 'x')", Throws("TypeError")),
    ("var p = new Proxy({x: 1}, {getOwnPropertyDescriptor: function () { return {value: 7, configurable: true}; }}); "
     "return Object.getOwnPropertyDescriptor(p, 'x')",
     {"value": 7, "writable": False, "enumerable": False, "configurable": True}),
    ("var t = Object.preventExtensions({}); "
     "var p = new Proxy(t, {getOwnPropertyDescriptor: function () { return {value: 1, configurable: true}; }}); "
     "return Object.getOwnPropertyDescriptor(p, 'x')", Throws("TypeError")),
    ("var t = Object.defineProperty({}, 'nc', {value: 1}); "
     "var p = new Proxy(t, {ownKeys: function () { return []; }}); return Object.keys(p)",
     Throws("TypeError", "'ownKeys' on proxy: trap result did not include 'nc'")),
    ("var t = Object.defineProperty({}, 'nc', {value: 1}); "
     "var p = new Proxy(t, {ownKeys: function () { return ['nc', 'extra']; }}); return Reflect.ownKeys(p)",
     ["nc", "extra"]),
    ("var t = Object.preventExtensions({a: 1}); "
     "var p = new Proxy(t, {ownKeys: function () { return ['a', 'extra']; }}); return Reflect.ownKeys(p)",
     Throws("TypeError")),
    ("var t = Object.preventExtensions({a: 1, b: 2}); "
     "var p = new Proxy(t, {ownKeys: function () { return ['a']; }}); return Reflect.ownKeys(p)",
     Throws("TypeError", "did not include 'b'")),
    ("var p = new Proxy({}, {ownKeys: function () { return [1]; }}); return Reflect.ownKeys(p)", Throws("TypeError")),
    ("var p = new Proxy({}, {ownKeys: function () { return ['a', 'a']; }}); return Reflect.ownKeys(p)",
     Throws("TypeError")),
    ("var p = new Proxy({}, {ownKeys: function () { return 'ab'; }}); return Reflect.ownKeys(p)", Throws("TypeError")),
    ("var s = Symbol('k'); var p = new Proxy({}, {ownKeys: function () { return ['a', s]; }}); "
     "var k = Reflect.ownKeys(p); return [k[0], k[1] === s, Object.getOwnPropertyNames(p)]", ["a", True, ["a"]]),
    ("var t = Object.defineProperty({}, 'nc', {value: 1}); "
     "var p = new Proxy(t, {has: function () { return false; }}); return 'nc' in p",
     Throws("TypeError", "'has' on proxy: trap returned falsish for property 'nc'")),
    ("var t = Object.preventExtensions({a: 1}); "
     "var p = new Proxy(t, {has: function () { return false; }}); return 'a' in p", Throws("TypeError")),
    ("var p = new Proxy({a: 1}, {has: function () { return false; }}); return 'a' in p", False),
    ("var t = Object.defineProperty({}, 'nc', {value: 1}); "
     "var p = new Proxy(t, {deleteProperty: function () { return true; }}); return delete p.nc",
     Throws("TypeError")),
    ("var p = new Proxy({}, {defineProperty: function () { return true; }}); "
     "Object.defineProperty(p, 'x', {value: 1, configurable: false})", Throws("TypeError")),
    ("var p = new Proxy(Object.preventExtensions({}), {defineProperty: function () { return true; }}); "
     "Object.defineProperty(p, 'x', {value: 1})", Throws("TypeError")),
    ("var p = new Proxy({}, {defineProperty: function () { return false; }}); "
     "return [Reflect.defineProperty(p, 'x', {value: 1}), 'x' in p]", [False, False]),
    ("var p = new Proxy({}, {defineProperty: function () { return false; }}); "
     "Object.defineProperty(p, 'x', {value: 1})", Throws("TypeError", "Cannot redefine property: x")),
    ("var p = new Proxy({}, {isExtensible: function () { return false; }}); return Object.isExtensible(p)",
     Throws("TypeError", "'isExtensible' on proxy")),
    ("var p = new Proxy({}, {preventExtensions: function () { return true; }}); return Object.preventExtensions(p)",
     Throws("TypeError")),
    ("var p = new Proxy({}, {preventExtensions: function () { return false; }}); "
     "return [Reflect.preventExtensions(p), Object.isExtensible(p)]", [False, True]),
    ("var p = new Proxy({}, {preventExtensions: function () { return false; }}); Object.preventExtensions(p)",
     Throws("TypeError")),
    ("var p = new Proxy(Object.preventExtensions({}), {getPrototypeOf: function () { return Array.prototype; }}); "
     "return Object.getPrototypeOf(p)", Throws("TypeError")),
    ("var p = new Proxy({}, {getPrototypeOf: function () { return 1; }}); return Object.getPrototypeOf(p)",
     Throws("TypeError")),
    ("var p = new Proxy(Object.preventExtensions({}), {setPrototypeOf: function () { return true; }}); "
     "return Reflect.setPrototypeOf(p, Array.prototype)", Throws("TypeError")),
    ("var p = new Proxy({}, {setPrototypeOf: function () { return false; }}); "
     "return Reflect.setPrototypeOf(p, null)", False),
    ("var p = new Proxy({}, {setPrototypeOf: function () { return false; }}); Object.setPrototypeOf(p, null)",
     Throws("TypeError")),
]


def test_invariants() -> None:
    check_table(INVARIANTS)


def test_proxy_never_exposes_python_objects() -> None:
    # Every argument a trap receives is a JS value of a JS type.
    src = PRELUDE + r"""
    var types = [];
    function rec(name, args) {
      var t = [name];
      for (var i = 0; i < args.length; i++) {
        var a = args[i];
        t[t.length] = a === null ? 'null' : Array.isArray(a) ? 'array' : typeof a;
      }
      types[types.length] = t.join(' ');
    }
    var handler = {};
    ['get', 'set', 'has', 'deleteProperty', 'ownKeys', 'getOwnPropertyDescriptor', 'defineProperty',
     'getPrototypeOf', 'setPrototypeOf', 'isExtensible', 'preventExtensions', 'apply', 'construct'].forEach(function (n) {
      handler[n] = function () { rec(n, arguments); return Reflect[n].apply(null, arguments); };
    });
    var p = new Proxy(function F() {}, handler);
    p.a; p.b = 1; 'c' in p; delete p.b; Object.keys(p); Object.getOwnPropertyDescriptor(p, 'a');
    Object.defineProperty(p, 'd', {value: 1, configurable: true}); Object.getPrototypeOf(p);
    Object.setPrototypeOf(p, Function.prototype); Object.isExtensible(p); p(1); new p(2);
    Object.preventExtensions(p);
    types
    """
    got = run_js(src)
    assert got == [
        "get function string function",
        "set function string number function",
        "getOwnPropertyDescriptor function string",
        "defineProperty function string object",
        "has function string",
        "deleteProperty function string",
        "ownKeys function",
        # Object.keys: one per own key of the target function (length, name, the sloppy
        # function's arguments and caller, prototype)...
        "getOwnPropertyDescriptor function string",
        "getOwnPropertyDescriptor function string",
        "getOwnPropertyDescriptor function string",
        "getOwnPropertyDescriptor function string",
        "getOwnPropertyDescriptor function string",
        # ...then Object.getOwnPropertyDescriptor(p, 'a').
        "getOwnPropertyDescriptor function string",
        "defineProperty function string object",
        "getPrototypeOf function",
        "setPrototypeOf function function",
        "isExtensible function",
        "apply function undefined array",
        "construct function array function",
        "get function string function",
        "preventExtensions function",
    ]


def test_proxy_python_side() -> None:
    rt, proxy = evaluate("new Proxy({a: 1}, {get: function (t, k) { return k === 'a' ? 'trapped' : t[k]; }})")
    jsproxy = rt.intrinsics["JSProxy"]
    assert isinstance(proxy, jsproxy)
    assert proxy.get("a") == "trapped"
    assert proxy.own_keys() == ["a"]
    # Not callable: no call hook at all, so typeof is "object".
    assert getattr(proxy, "call_hook", None) is None
    assert getattr(proxy, "construct_hook", None) is None


def test_callable_proxy_has_hooks_only_when_target_allows() -> None:
    rt, value = evaluate("[new Proxy(function () {}, {}), new Proxy(() => 1, {}), new Proxy({}, {})]")
    fn_proxy, arrow_proxy, obj_proxy = value.items
    assert getattr(fn_proxy, "call_hook", None) is not None and getattr(fn_proxy, "construct_hook", None) is not None
    assert getattr(arrow_proxy, "call_hook", None) is not None and getattr(arrow_proxy, "construct_hook", None) is None
    assert getattr(obj_proxy, "call_hook", None) is None


def test_revoked_error_through_js_error() -> None:
    err = js_error("var r = Proxy.revocable({}, {}); r.revoke(); r.proxy.x;")
    assert err.name == "TypeError"
    assert err.message == "Cannot perform 'get' on a proxy that has been revoked"


@pytest.mark.parametrize("n", [2000])
def test_proxy_loop_performance(n: int) -> None:
    got = run_js(
        "var count = 0; var p = new Proxy({}, {get: function (t, k) { count++; return 1; }});"
        f"var s = 0; for (var i = 0; i < {n}; i++) s += p.x; [s, count]"
    )
    assert got == [n, n]


@pytest.mark.parametrize(
    "snippet",
    [
        "var p = new Proxy({}, {set: function () { return false; }}); p.x = 1;",
        "var p = new Proxy({a: 1}, {deleteProperty: function () { return false; }}); delete p.a;",
        "var p = new Proxy({}, {defineProperty: function () { return false; }}); p.x = 1;",
        "var p = new Proxy(Object.freeze({a: 1}), {}); p.a = 2;",
    ],
)
def test_strict_mode_rejected_proxy_writes_throw(snippet: str) -> None:
    err = js_error('"use strict"; ' + snippet)
    assert err.name == "TypeError"
    run_js(snippet)  # sloppy code ignores the failure


def test_proxy_in_prototype_chain_rejecting_a_write() -> None:
    # The inherited [[Set]] reaches the proxy's trap; its refusal leaves the child untouched.
    got = run_js("var child = Object.create(new Proxy({}, {set: function () { return false; }})); child.x = 1;"
                 "[child.x, Object.keys(child)]")
    assert got == [None, []]

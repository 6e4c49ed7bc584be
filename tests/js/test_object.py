"""The static methods of ``Object``: enumeration, descriptors, integrity levels, prototypes.

Cases run in tables (one realm per table: building a realm costs tens of
milliseconds). A case is a JS expression, or a function body when it
starts with a statement keyword; its value (as Python data) or the error it throws is
compared with the expectation.
"""

from __future__ import annotations

from typing import Any

import pytest

from jsrun import Throws, check_cases, js_error, run_js


# -- enumeration -----------------------------------------------------------------------

ENUMERATION: list[tuple[str, Any]] = [
    # Integer keys first (ascending), then strings in insertion order; symbols never.
    ("Object.keys({b: 1, a: 2, 10: 3, 2: 4, '-1': 5, '01': 6})", ["2", "10", "b", "a", "-1", "01"]),
    ("var s = Symbol('s'); var o = {x: 1}; o[s] = 2; return Object.keys(o)", ["x"]),
    ("Object.values({b: 1, a: 2, 1: 'one'})", ["one", 1, 2]),
    ("Object.entries({b: 1, a: [2]})", [["b", 1], ["a", [2]]]),
    ("Object.keys([7, 8, 9])", ["0", "1", "2"]),
    ("var a = [1, , 3]; a.extra = 4; return Object.keys(a)", ["0", "2", "extra"]),
    ("Object.values([1, , 3])", [1, 3]),
    ("var a = [1, , 3]; a.p = 'x'; return [Object.values(a), Object.entries(a)]",
     [[1, 3, "x"], [["0", 1], ["2", 3], ["p", "x"]]]),
    ("var a = [1, 2]; Object.defineProperty(a, 0, {enumerable: false}); return [Object.values(a), Object.entries(a)]",
     [[2], [["1", 2]]]),
    ("Object.keys('ab')", ["0", "1"]),
    ("Object.entries('hi')", [["0", "h"], ["1", "i"]]),
    ("Object.keys(42)", []),
    ("Object.values(true)", []),
    ("Object.keys(null)", Throws("TypeError")),
    ("Object.values(undefined)", Throws("TypeError")),
    ("Object.entries()", Throws("TypeError")),
    # Non-enumerable and inherited properties are skipped.
    ("var o = Object.create({inherited: 1}); o.own = 2; "
     "Object.defineProperty(o, 'hidden', {value: 3}); return [Object.keys(o), Object.values(o)]",
     [["own"], [2]]),
    # Getters run (in key order) for values and entries.
    ("var log = []; var o = {get a() { log[log.length] = 'a'; return 1; }, get b() { log[log.length] = 'b'; "
     "return 2; }}; return [Object.values(o), Object.entries(o), log]",
     [[1, 2], [["a", 1], ["b", 2]], ["a", "b", "a", "b"]]),
    # A getter deleting a later property: entries skips it (the spec re-checks each key).
    ("var o = {get a() { delete this.b; return 1; }, b: 2, c: 3}; return Object.entries(o)",
     [["a", 1], ["c", 3]]),
    ("Object.keys(Object)", []),
    ("Object.keys(function f(a, b) {})", []),
    ("Object.getOwnPropertyNames({b: 1, 1: 2, a: 3})", ["1", "b", "a"]),
    ("Object.getOwnPropertyNames([5, 6])", ["0", "1", "length"]),
    ("Object.getOwnPropertyNames('ab')", ["0", "1", "length"]),
    ("var o = Object.defineProperty({}, 'h', {value: 1}); return Object.getOwnPropertyNames(o)", ["h"]),
    ("var s = Symbol('q'); var o = {a: 1}; o[s] = 1; var n = Object.getOwnPropertyNames(o); "
     "var y = Object.getOwnPropertySymbols(o); return [n, y.length, y[0] === s]", [["a"], 1, True]),
    ("Object.getOwnPropertySymbols({a: 1}).length", 0),
    ("Object.getOwnPropertyNames(null)", Throws("TypeError")),
    ("Object.getOwnPropertyNames(5)", []),
]


def test_enumeration() -> None:
    check_cases(ENUMERATION)


# -- assign, create, fromEntries, is ---------------------------------------------------------

CONSTRUCTION: list[tuple[str, Any]] = [
    ("Object.assign({a: 1}, {b: 2}, null, undefined, {a: 3})", {"a": 3, "b": 2}),
    ("var t = {}; return Object.assign(t, {x: 1}) === t", True),
    ("Object.assign({}, 'ab')", {"0": "a", "1": "b"}),
    ("Object.assign({}, [5, 6])", {"0": 5, "1": 6}),
    ("var t = Object.assign(1, {a: 2}); return [typeof t, t.a]", ["object", 2]),
    ("Object.assign(null, {})", Throws("TypeError")),
    ("Object.assign(undefined)", Throws("TypeError")),
    # Symbols are copied too; non-enumerable and inherited properties are not.
    ("var s = Symbol(); var src = {}; src[s] = 'sym'; return Object.assign({}, src)[s]", "sym"),
    ("var src = Object.create({inh: 1}); Object.defineProperty(src, 'h', {value: 2, enumerable: false}); "
     "src.v = 3; return Object.assign({}, src)", {"v": 3}),
    # Getters on the source run, setters on the target run.
    ("var log = []; var t = {set x(v) { log[log.length] = 'set ' + v; }}; "
     "Object.assign(t, {get x() { log[log.length] = 'get'; return 7; }}); return log", ["get", "set 7"]),
    # A read-only target property throws, after copying the earlier keys.
    ("var t = Object.defineProperty({}, 'b', {value: 0}); try { Object.assign(t, {a: 1, b: 2, c: 3}); } "
     "catch (e) { return [e.name, t.a, t.b, t.c]; } return 'no error'", ["TypeError", 1, 0, None]),
    ("var t = Object.freeze({}); try { Object.assign(t, {a: 1}); } catch (e) { return e.name; } return 'ok'",
     "TypeError"),
    ("Object.assign.length", 2),
    ("Object.assign.name", "assign"),
    # create
    ("var p = {greet: function () { return 'hi ' + this.n; }}; var o = Object.create(p); o.n = 'x'; "
     "return [o.greet(), Object.getPrototypeOf(o) === p, Object.keys(o)]", ["hi x", True, ["n"]]),
    ("var o = Object.create(null); return [Object.getPrototypeOf(o), typeof o.toString, 'toString' in o]",
     [None, "undefined", False]),
    ("var o = Object.create({}, {a: {value: 1, enumerable: true}, b: {value: 2}}); "
     "return [o.a, o.b, Object.keys(o), Object.getOwnPropertyDescriptor(o, 'b')]",
     [1, 2, ["a"], {"value": 2, "writable": False, "enumerable": False, "configurable": False}]),
    ("var o = Object.create(Object.prototype, {g: {get: function () { return 'got'; }, enumerable: true}}); "
     "return o.g", "got"),
    ("Object.create(5)", Throws("TypeError", "Object prototype may only be an Object or null: 5")),
    ("Object.create()", Throws("TypeError", "Object prototype may only be an Object or null: undefined")),
    ("Object.create({}, {a: 5})", Throws("TypeError", "Property description must be an object")),
    ("Object.create({}, null)", Throws("TypeError")),
    ("Object.keys(Object.create({}, undefined))", []),
    ("Object.create.length", 2),
    # fromEntries (ES2019)
    ("Object.fromEntries([['a', 1], ['b', [2]]])", {"a": 1, "b": [2]}),
    ("Object.fromEntries([['a', 1], ['a', 2]])", {"a": 2}),
    ("Object.fromEntries([[1, 'one'], [{toString: function () { return 'k'; }}, 'obj']])", {"1": "one", "k": "obj"}),
    ("Object.fromEntries(Object.entries({x: 1, y: 2}))", {"x": 1, "y": 2}),
    ("Object.fromEntries(new Map([['m', 1], ['n', 2]]))", {"m": 1, "n": 2}),
    ("function* g() { yield ['a', 1]; yield ['b', 2]; } return Object.fromEntries(g())", {"a": 1, "b": 2}),
    ("var o = Object.fromEntries([['only']]); return ['only' in o, o.only === undefined]", [True, True]),
    ("var s = Symbol('k'); return Object.fromEntries([[s, 5]])[s]", 5),
    ("Object.fromEntries([1])", Throws("TypeError")),
    ("Object.fromEntries(5)", Throws("TypeError")),
    ("Object.fromEntries()", Throws("TypeError")),
    # An early exit closes the iterator.
    ("var closed = false; var it = {}; it[Symbol.iterator] = function () { var n = 0; return {"
     "next: function () { n++; return {done: false, value: n === 1 ? ['a', 1] : 7}; },"
     "return: function () { closed = true; return {}; }}; };"
     "try { Object.fromEntries(it); } catch (e) { return [e.name, closed]; }", ["TypeError", True]),
    ("Object.fromEntries.length", 1),
    # is (SameValue)
    ("Object.is(NaN, NaN)", True),
    ("Object.is(0, -0)", False),
    ("Object.is(-0, -0)", True),
    ("Object.is(0, 0)", True),
    ("Object.is(1, 1.0)", True),
    ("Object.is('a', 'a')", True),
    ("Object.is({}, {})", False),
    ("var o = {}; return Object.is(o, o)", True),
    ("Object.is(null, undefined)", False),
    ("Object.is()", True),
    ("Object.is.length", 2),
]


def test_construction() -> None:
    check_cases(CONSTRUCTION)


# -- descriptors ---------------------------------------------------------------------------

DESCRIPTORS: list[tuple[str, Any]] = [
    ("Object.getOwnPropertyDescriptor({a: 1}, 'a')",
     {"value": 1, "writable": True, "enumerable": True, "configurable": True}),
    ("Object.getOwnPropertyDescriptor({}, 'a') === undefined", True),
    ("Object.getOwnPropertyDescriptor(Object.create({a: 1}), 'a') === undefined", True),
    ("var d = Object.getOwnPropertyDescriptor({get x() { return 1; }}, 'x'); "
     "return [typeof d.get, d.set === undefined, d.enumerable, d.configurable, 'value' in d, 'writable' in d]",
     ["function", True, True, True, False, False]),
    ("Object.getOwnPropertyDescriptor([1, 2], 'length')",
     {"value": 2, "writable": True, "enumerable": False, "configurable": False}),
    ("Object.getOwnPropertyDescriptor([1, 2], 1)",
     {"value": 2, "writable": True, "enumerable": True, "configurable": True}),
    ("Object.getOwnPropertyDescriptor('abc', 1)",
     {"value": "b", "writable": False, "enumerable": True, "configurable": False}),
    ("Object.getOwnPropertyDescriptor(Object, 'keys').enumerable", False),
    ("Object.getOwnPropertyDescriptor(null, 'a')", Throws("TypeError")),
    ("Object.getOwnPropertyDescriptor({1: 'one'}, 1).value", "one"),
    ("Object.keys(Object.getOwnPropertyDescriptor({a: 1}, 'a'))", ["value", "writable", "enumerable", "configurable"]),
    ("Object.keys(Object.getOwnPropertyDescriptor({get a() {}}, 'a'))", ["get", "set", "enumerable", "configurable"]),
    ("var o = {a: 1, get b() { return 2; }}; var d = Object.getOwnPropertyDescriptors(o); "
     "return [Object.keys(d), d.a.value, typeof d.b.get]", [["a", "b"], 1, "function"]),
    ("Object.keys(Object.getOwnPropertyDescriptors([9]))", ["0", "length"]),
    # defineProperty: absent attributes default to false.
    ("var o = {}; Object.defineProperty(o, 'x', {value: 1}); "
     "return [o.x, Object.keys(o), Object.getOwnPropertyDescriptor(o, 'x')]",
     [1, [], {"value": 1, "writable": False, "enumerable": False, "configurable": False}]),
    ("var o = {}; return Object.defineProperty(o, 'x', {value: 1}) === o", True),
    ("var o = Object.defineProperty({}, 'x', {value: 1}); o.x = 2; return o.x", 1),
    ("var o = Object.defineProperty({}, 'x', {value: 1}); return [delete o.x, o.x]", [False, 1]),
    ("var o = Object.defineProperty({}, 'x', {value: 1, writable: true}); o.x = 2; return o.x", 2),
    ("var o = Object.defineProperty({}, 'x', {value: 1}); Object.defineProperty(o, 'x', {value: 2})",
     Throws("TypeError", "Cannot redefine property: x")),
    ("var o = Object.defineProperty({}, 'x', {value: 1}); Object.defineProperty(o, 'x', {enumerable: true})",
     Throws("TypeError", "Cannot redefine property: x")),
    ("var o = Object.defineProperty({}, 'x', {value: 1}); Object.defineProperty(o, 'x', {get: function () {}})",
     Throws("TypeError", "Cannot redefine property: x")),
    # Re-defining with identical attributes (or the same value) is allowed.
    ("var o = Object.defineProperty({}, 'x', {value: 1}); Object.defineProperty(o, 'x', {value: 1, writable: false}); "
     "return o.x", 1),
    ("var o = Object.defineProperty({}, 'x', {value: NaN}); Object.defineProperty(o, 'x', {value: NaN}); "
     "return Object.is(o.x, NaN)", True),
    ("var o = Object.defineProperty({}, 'x', {value: 0}); Object.defineProperty(o, 'x', {value: -0})",
     Throws("TypeError", "Cannot redefine property: x")),
    # A non-configurable but writable property may still change value and become read-only.
    ("var o = Object.defineProperty({}, 'x', {value: 1, writable: true}); "
     "Object.defineProperty(o, 'x', {value: 2}); Object.defineProperty(o, 'x', {writable: false}); "
     "o.x = 3; return o.x", 2),
    # Configurable properties can switch between data and accessor.
    ("var o = {x: 1}; Object.defineProperty(o, 'x', {get: function () { return 'acc'; }}); "
     "var d = Object.getOwnPropertyDescriptor(o, 'x'); return [o.x, d.enumerable, d.configurable]",
     ["acc", True, True]),
    ("var o = {get x() { return 1; }}; Object.defineProperty(o, 'x', {value: 5}); "
     "return Object.getOwnPropertyDescriptor(o, 'x')",
     {"value": 5, "writable": False, "enumerable": True, "configurable": True}),
    ("var v = 0; var o = Object.defineProperty({}, 'p', {get: function () { return v * 2; }, "
     "set: function (x) { v = x; }, enumerable: true}); o.p = 21; return [o.p, Object.keys(o)]", [42, ["p"]]),
    ("var o = Object.defineProperty({}, 'p', {get: function () { return this; }}); return o.p === o", True),
    ("var o = Object.defineProperty({}, 'ro', {get: function () { return 1; }}); o.ro = 5; return o.ro", 1),
    # Descriptor validation.
    ("Object.defineProperty({}, 'x', {value: 1, get: function () {}})",
     Throws("TypeError", "Invalid property descriptor. Cannot both specify accessors and a value or writable attribute")),
    ("Object.defineProperty({}, 'x', {writable: true, set: function () {}})",
     Throws("TypeError", "Invalid property descriptor. Cannot both specify accessors and a value or writable attribute")),
    ("Object.defineProperty({}, 'x', {get: 1})", Throws("TypeError", "Getter must be a function: 1")),
    ("Object.defineProperty({}, 'x', {set: {}})", Throws("TypeError", "Setter must be a function")),
    ("Object.defineProperty({}, 'x', 1)", Throws("TypeError", "Property description must be an object: 1")),
    ("Object.defineProperty({}, 'x')", Throws("TypeError", "Property description must be an object: undefined")),
    ("Object.defineProperty(1, 'x', {})", Throws("TypeError", "Object.defineProperty called on non-object")),
    ("var o = Object.defineProperty({}, 'x', {get: undefined, set: undefined}); return o.x === undefined", True),
    # Descriptor fields are read with [[Get]] (inherited fields count) in the spec's order.
    ("var d = Object.create({value: 'inherited', enumerable: true}); var o = Object.defineProperty({}, 'k', d); "
     "return [o.k, Object.keys(o)]", ["inherited", ["k"]]),
    ("var log = []; var d = {}; ['set', 'get', 'writable', 'value', 'configurable', 'enumerable'].forEach("
     "function (f) { Object.defineProperty(d, f, {get: function () { log[log.length] = f; return undefined; },"
     " enumerable: true}); }); try { Object.defineProperty({}, 'x', d); } catch (e) { } return log",
     ["enumerable", "configurable", "value", "writable", "get", "set"]),
    # Keys: numbers become strings, symbols stay symbols.
    ("var o = {}; Object.defineProperty(o, 1, {value: 'n', enumerable: true}); return [o['1'], Object.keys(o)]",
     ["n", ["1"]]),
    ("var s = Symbol('d'); var o = Object.defineProperty({}, s, {value: 9}); return [o[s], Object.keys(o).length]",
     [9, 0]),
    ("var s = Symbol('d'); var o = Object.defineProperty({}, s, {value: 9}); Object.defineProperty(o, s, {value: 8})",
     Throws("TypeError", "Cannot redefine property: Symbol(d)")),
    # Arrays: index definitions extend, length definitions truncate, fixed lengths block growth.
    ("var a = []; Object.defineProperty(a, 2, {value: 'x', enumerable: true, writable: true, configurable: true}); "
     "return [a.length, 0 in a, a[2]]", [3, False, "x"]),
    ("var a = [1, 2, 3]; Object.defineProperty(a, 'length', {value: 1}); return a", [1]),
    ("var a = [1, 2, 3]; Object.defineProperty(a, 'length', {value: '2'}); return a.length", 2),
    ("Object.defineProperty([], 'length', {value: -1})", Throws("RangeError")),
    ("Object.defineProperty([], 'length', {value: 1.5})", Throws("RangeError")),
    ("var a = [1]; Object.defineProperty(a, 'length', {writable: false}); a[5] = 1; a.length = 0; "
     "return [a.length, a[5]]", [1, None]),
    ("var a = [1]; Object.defineProperty(a, 'length', {writable: false}); Object.defineProperty(a, 3, {value: 1})",
     Throws("TypeError", "Cannot redefine property: 3")),
    ("var a = [1, 2]; Object.defineProperty(a, 0, {value: 'ro', writable: false}); a[0] = 'changed'; a[1] = 'ok'; "
     "return a", ["ro", "ok"]),
    ("var a = [1, 2]; Object.defineProperty(a, 0, {get: function () { return 'g'; }}); return [a[0], a.length]",
     ["g", 2]),
    # defineProperties: every descriptor is validated before anything is defined.
    ("var o = Object.defineProperties({}, {a: {value: 1, enumerable: true}, b: {get: function () { return 2; }}}); "
     "return [o.a, o.b, Object.keys(o)]", [1, 2, ["a"]]),
    ("var o = {}; try { Object.defineProperties(o, {a: {value: 1}, b: {get: 5}}); } catch (e) { "
     "return [e.name, 'a' in o]; }", ["TypeError", False]),
    ("Object.defineProperties(1, {})", Throws("TypeError", "Object.defineProperties called on non-object")),
    ("var o = {}; Object.defineProperties(o, Object.create({inh: {value: 1}})); return 'inh' in o", False),
    ("Object.defineProperty.length", 3),
    ("Object.defineProperties.length", 2),
    ("Object.getOwnPropertyDescriptor.length", 2),
]


def test_descriptors() -> None:
    check_cases(DESCRIPTORS)


# -- integrity levels ------------------------------------------------------------------------

INTEGRITY: list[tuple[str, Any]] = [
    # freeze on objects: writes ignored (sloppy), deletes fail, additions ignored.
    ("var o = Object.freeze({a: 1, n: {x: 1}}); o.a = 2; o.b = 3; var d = delete o.a; o.n.x = 9; "
     "return [o.a, o.b, d, o.n.x, Object.isFrozen(o), Object.isFrozen(o.n)]", [1, None, False, 9, True, False]),
    ("var o = {a: 1}; return Object.freeze(o) === o", True),
    ("Object.getOwnPropertyDescriptor(Object.freeze({a: 1}), 'a')",
     {"value": 1, "writable": False, "enumerable": True, "configurable": False}),
    ("var o = Object.freeze({a: 1}); return [Reflect.set(o, 'a', 2), Reflect.set(o, 'z', 2), "
     "Reflect.deleteProperty(o, 'a'), Reflect.defineProperty(o, 'a', {value: 3})]", [False, False, False, False]),
    ("var o = Object.freeze({a: 1}); Object.defineProperty(o, 'a', {value: 2})",
     Throws("TypeError", "Cannot redefine property: a")),
    ("var o = Object.freeze({a: 1}); Object.defineProperty(o, 'b', {value: 2})",
     Throws("TypeError", "Cannot redefine property: b")),
    ("var o = Object.freeze({a: 1}); Object.setPrototypeOf(o, {})", Throws("TypeError")),
    ("var o = Object.freeze({a: 1}); return Object.setPrototypeOf(o, Object.prototype) === o", True),
    # Accessors stay accessors (setters still run); frozen means not configurable.
    ("var v = 0; var o = Object.freeze({get x() { return v; }, set x(n) { v = n; }}); o.x = 5; "
     "var d = Object.getOwnPropertyDescriptor(o, 'x'); return [o.x, d.configurable, 'writable' in d]",
     [5, False, False]),
    ("var o = Object.freeze(Object.defineProperty({}, 'h', {value: 1, writable: true, enumerable: false})); "
     "return Object.getOwnPropertyDescriptor(o, 'h')",
     {"value": 1, "writable": False, "enumerable": False, "configurable": False}),
    ("var s = Symbol(); var o = {}; o[s] = 1; Object.freeze(o); o[s] = 2; return o[s]", 1),
    ("var f = function named() {}; f.extra = 1; Object.freeze(f); f.extra = 2; f.more = 3; "
     "return [f.extra, f.more, Object.isFrozen(f), f.name]", [1, None, True, "named"]),
    ("var o = Object.create({p: 1}); Object.freeze(o); o.p = 2; return [o.p, Object.keys(o)]", [1, []]),
    # String objects: the characters are already read-only; extra properties get frozen.
    ("var s = new String('ab'); s.x = 1; Object.freeze(s); s.x = 2; "
     "return [Object.getOwnPropertyNames(s), Object.isFrozen(s), s.x, s[0], s.length]",
     [["0", "1", "length", "x"], True, 1, "a", 2]),
    ("Object.isFrozen(Object.seal(new String('ab')))", True),
    ("Object.isFrozen(Object.preventExtensions(new String('')))", True),
    # Freeze on primitives returns them; isFrozen of primitives is true.
    ("Object.freeze(5)", 5),
    ("Object.freeze('s')", "s"),
    ("Object.freeze(null)", None),
    ("[Object.isFrozen(1), Object.isFrozen('x'), Object.isFrozen(null), Object.isSealed(undefined)]",
     [True, True, True, True]),
    # isFrozen without freeze: a non-extensible object whose properties are all locked.
    ("Object.isFrozen({})", False),
    ("Object.isFrozen(Object.preventExtensions({}))", True),
    ("Object.isFrozen(Object.preventExtensions({a: 1}))", False),
    ("Object.isFrozen(Object.seal({a: 1}))", False),
    ("Object.isFrozen(Object.seal({}))", True),
    ("var o = Object.preventExtensions(Object.defineProperty({}, 'a', {value: 1})); return Object.isFrozen(o)", True),
    ("var o = Object.preventExtensions(Object.defineProperty({}, 'a', {get: function () {}})); "
     "return [Object.isFrozen(o), Object.isSealed(o)]", [True, True]),
    # Arrays.
    ("var a = Object.freeze([1, 2, 3]); a[0] = 9; a[3] = 4; a.length = 0; return [a, a.length]", [[1, 2, 3], 3]),
    ("var a = [1, 2, 3]; Object.freeze(a); return [Object.isFrozen(a), Object.isSealed(a), Object.isExtensible(a)]",
     [True, True, False]),
    ("var a = Object.freeze([1, 2]); return [Object.getOwnPropertyDescriptor(a, 0), "
     "Object.getOwnPropertyDescriptor(a, 'length')]",
     [{"value": 1, "writable": False, "enumerable": True, "configurable": False},
      {"value": 2, "writable": False, "enumerable": False, "configurable": False}]),
    ("var a = Object.freeze([1, 2]); try { a.push(3); } catch (e) { return [e.name, a.length]; } return 'pushed'",
     ["TypeError", 2]),
    ("var a = Object.freeze([1, 2]); try { a.pop(); } catch (e) { return [e.name, a]; } return 'popped'",
     ["TypeError", [1, 2]]),
    ("var a = Object.freeze([3, 1, 2]); try { a.sort(); } catch (e) { return [e.name, a]; } return 'sorted'",
     ["TypeError", [3, 1, 2]]),
    ("var a = Object.freeze([1, 2]); return [delete a[0], a[0]]", [False, 1]),
    ("var a = Object.freeze([1, 2]); Object.defineProperty(a, 0, {value: 5})",
     Throws("TypeError", "Cannot redefine property: 0")),
    ("var a = Object.freeze([1, 2]); return [a.map(function (x) { return x * 2; }), a.slice(1), a.concat([3])]",
     [[2, 4], [2], [1, 2, 3]]),
    ("var a = [1, , 3]; Object.freeze(a); a[1] = 2; return [1 in a, a.length]", [False, 3]),
    ("var a = Object.freeze([]); a[0] = 1; return [a.length, Object.isFrozen(a)]", [0, True]),
    ("var a = [1]; a.tag = 'x'; Object.freeze(a); a.tag = 'y'; return a.tag", "x"),
    ("var a = [[1]]; Object.freeze(a); a[0][0] = 2; return a", [[2]]),
    # seal: existing properties stay writable; no additions, no deletions.
    ("var o = Object.seal({a: 1}); o.a = 2; o.b = 3; var d = delete o.a; "
     "return [o.a, o.b, d, Object.isSealed(o), Object.isFrozen(o)]", [2, None, False, True, False]),
    ("Object.getOwnPropertyDescriptor(Object.seal({a: 1}), 'a')",
     {"value": 1, "writable": True, "enumerable": True, "configurable": False}),
    ("var a = Object.seal([1, 2]); a[0] = 9; a[2] = 3; try { a.push(4); } catch (e) { return [a, e.name]; }",
     [[9, 2], "TypeError"]),
    ("var a = Object.seal([1, 2]); return [delete a[1], a.length, Object.isSealed(a), Object.isFrozen(a)]",
     [False, 2, True, False]),
    ("Object.seal(7)", 7),
    ("Object.isSealed({})", False),
    ("Object.isSealed(Object.freeze({a: 1}))", True),
    # preventExtensions / isExtensible.
    ("var o = Object.preventExtensions({a: 1}); o.b = 2; o.a = 3; delete o.a; "
     "return [o.b, 'a' in o, Object.isExtensible(o)]", [None, False, False]),
    ("Object.isExtensible({})", True),
    ("Object.isExtensible(1)", False),
    ("Object.preventExtensions(1)", 1),
    ("var a = Object.preventExtensions([1]); a[1] = 2; a[0] = 5; return a", [5]),
    ("var o = Object.preventExtensions({}); return Reflect.set(o, 'x', 1)", False),
    ("Object.freeze.length + Object.isFrozen.length + Object.seal.length + Object.isSealed.length", 4),
    # Template strings arrays are frozen.
    ("function tag(s) { return [Object.isFrozen(s), Object.isFrozen(s.raw), s.length]; } return tag`a${1}b`",
     [True, True, 2]),
]


def test_integrity_levels() -> None:
    check_cases(INTEGRITY)


# -- prototypes ------------------------------------------------------------------------------

PROTOTYPES: list[tuple[str, Any]] = [
    ("Object.getPrototypeOf({}) === Object.prototype", True),
    ("Object.getPrototypeOf([]) === Array.prototype", True),
    ("Object.getPrototypeOf(Object.prototype)", None),
    ("Object.getPrototypeOf(1) === Number.prototype", True),
    ("Object.getPrototypeOf('s') === String.prototype", True),
    ("Object.getPrototypeOf(null)", Throws("TypeError")),
    ("Object.getPrototypeOf(function () {}) === Function.prototype", True),
    ("var p = {hello: function () { return 'hi'; }}; var o = Object.setPrototypeOf({}, p); return o.hello()", "hi"),
    ("var o = Object.setPrototypeOf({}, null); return [Object.getPrototypeOf(o), 'toString' in o]", [None, False]),
    ("var a = {}; var b = Object.create(a); Object.setPrototypeOf(a, b)", Throws("TypeError", "Cyclic __proto__ value")),
    ("var a = {}; Object.setPrototypeOf(a, a)", Throws("TypeError")),
    ("Object.setPrototypeOf(Object.preventExtensions({}), {})", Throws("TypeError", "is not extensible")),
    ("Object.setPrototypeOf({}, 1)", Throws("TypeError", "Object prototype may only be an Object or null: 1")),
    ("Object.setPrototypeOf({})", Throws("TypeError")),
    ("Object.setPrototypeOf(null, {})", Throws("TypeError")),
    ("Object.setPrototypeOf(undefined, null)", Throws("TypeError")),
    ("Object.setPrototypeOf(1, null)", 1),
    ("Object.setPrototypeOf('s', {})", "s"),
    ("class A { m() { return 'A'; } } class B { m() { return 'B'; } } var o = new A(); "
     "Object.setPrototypeOf(o, B.prototype); return [o.m(), o instanceof B, o instanceof A]", ["B", True, False]),
    ("Object.getPrototypeOf.length + Object.setPrototypeOf.length", 3),
    ("Object.getPrototypeOf.name", "getPrototypeOf"),
]


def test_prototypes() -> None:
    check_cases(PROTOTYPES)


def test_static_method_attributes() -> None:
    names = ["keys", "values", "entries", "assign", "freeze", "isFrozen", "seal", "isSealed", "preventExtensions",
             "isExtensible", "create", "defineProperty", "defineProperties", "getOwnPropertyDescriptor",
             "getOwnPropertyDescriptors", "getOwnPropertyNames", "getOwnPropertySymbols", "getPrototypeOf",
             "setPrototypeOf", "is", "fromEntries"]
    lengths = [1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 3, 2, 2, 1, 1, 1, 1, 2, 2, 1]
    src = (
        "var names = " + repr(names) + "; var out = [];"
        "for (var i = 0; i < names.length; i++) { var d = Object.getOwnPropertyDescriptor(Object, names[i]);"
        " out[i] = [typeof d.value, d.value.name, d.value.length, d.enumerable, d.writable, d.configurable]; }"
        "out"
    )
    got = run_js(src)
    assert got == [["function", n, ln, False, True, True] for n, ln in zip(names, lengths)]


def test_sloppy_and_strict_writes_to_read_only() -> None:
    # Sloppy code ignores the failed write.
    assert run_js("var o = Object.freeze({a: 1}); o.a = 2; o.a") == 1
    # Built-ins that write with Set(..., true) throw (Object.assign, Array.prototype.push).
    assert js_error("var o = Object.freeze({a: 1}); Object.assign(o, {a: 2})").name == "TypeError"


@pytest.mark.parametrize(
    "snippet",
    [
        "var o = Object.freeze({a: 1}); o.a = 2;",
        "var o = Object.preventExtensions({}); o.b = 1;",
        "var o = Object.seal({a: 1}); o.b = 1;",
        "var o = Object.freeze({a: 1}); delete o.a;",
        "var o = Object.defineProperty({}, 'x', {value: 1}); o.x = 2;",
        "var o = Object.defineProperty({}, 'x', {get: function () { return 1; }}); o.x = 2;",
        "var a = Object.freeze([1]); a[0] = 2;",
        "var a = Object.freeze([1]); a[1] = 2;",
        "var a = Object.freeze([1]); a.length = 0;",
        "var o = Object.create(Object.freeze({inherited: 1})); o.inherited = 2;",
    ],
)
def test_strict_mode_failed_writes_throw(snippet: str) -> None:
    err = js_error('"use strict"; ' + snippet)
    assert err.name == "TypeError"
    # The same statements are silently ignored in sloppy code.
    run_js(snippet)


def test_freeze_intrinsic_from_python() -> None:
    from jsrun import evaluate

    rt, value = evaluate("({a: 1, b: [1, 2]})")
    frozen = rt.intrinsics["freeze"](value)
    assert frozen is value
    assert not value.is_extensible()
    assert value.set("a", 5) is False
    inner = value.get("b")
    assert inner.is_extensible()  # shallow, as in JS


def test_freeze_large_array_is_fast() -> None:
    # The array fast path rewrites attribute bits directly (no descriptor objects per index).
    got = run_js(
        "var a = []; for (var i = 0; i < 200000; i++) a[i] = i;"
        "Object.freeze(a); a[5] = -1; [Object.isFrozen(a), a[5], a.length]"
    )
    assert got == [True, 5, 200000]

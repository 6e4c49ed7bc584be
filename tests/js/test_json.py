"""``JSON.parse`` and ``JSON.stringify``.

Hand-written tables cover the classic behaviour (each table runs in one
realm; a case is an expression, or a function body when it starts with a
statement keyword). An oracle table compares ``JSON.stringify`` and
``JSON.parse`` results with QuickJS, a real JavaScript engine.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from jsrun import Throws, check_cases, evaluate, js_error, run_js
from seqflow_runtime.limits import Limits

quickjs = pytest.importorskip("quickjs")


# -- JSON.parse ----------------------------------------------------------------------------

PARSE: list[tuple[str, Any]] = [
    ("""JSON.parse('{"a": [1, 2.5, "s", true, false, null, {"b": {}}]}')""",
     {"a": [1, 2.5, "s", True, False, None, {"b": {}}]}),
    ("JSON.parse(' \\t\\n\\r 7 \\n')", 7),
    ("JSON.parse('\"plain\"')", "plain"),
    ("JSON.parse('[]').length", 0),
    ("JSON.parse('null')", None),
    ("JSON.parse(null)", None),
    ("JSON.parse(true)", True),
    ("JSON.parse(12)", 12),
    ("JSON.parse({toString: function () { return '[1]'; }})", [1]),
    # Numbers: ints stay exact, -0 keeps its sign, overflow is Infinity.
    ("JSON.parse('-0') === 0 && 1 / JSON.parse('-0') === -Infinity", True),
    ("Object.is(JSON.parse('-0.0'), -0)", True),
    ("Object.is(JSON.parse('[0]')[0], 0)", True),
    ("JSON.parse('1e3')", 1000),
    ("JSON.parse('1E+2') + JSON.parse('25e-1')", 102.5),
    ("JSON.parse('0.1') + JSON.parse('0.2')", 0.30000000000000004),
    ("JSON.parse('9007199254740993')", 9007199254740992),
    ("JSON.parse('1e400') === Infinity && JSON.parse('-1e400') === -Infinity", True),
    ("JSON.parse('123456789012345678901234567890') === 1.2345678901234568e29", True),
    ("JSON.parse('5e-324') > 0", True),
    ("JSON.parse('1' + '0'.repeat(5000)) === Infinity", True),
    # Strings: every escape, and UTF-16 code units for astral characters.
    ("""JSON.parse('"\\\\"\\\\\\\\\\\\/\\\\b\\\\f\\\\n\\\\r\\\\t\\\\u0041\\\\u00e9"')""", '"\\/\b\f\n\r\tAé'),
    ("JSON.parse('\"\\\\ud83d\\\\ude00\"').length", 2),
    ("JSON.parse('\"\\\\ud83d\\\\ude00\"') === '\\ud83d\\ude00'", True),
    ("JSON.parse('\"\\\\ud83d\\\\ude00\"') === '😀'", True),
    ("JSON.parse('\"😀\"').length", 2),
    ("JSON.parse('\"\\\\ud800\"').charCodeAt(0)", 0xD800),
    ("JSON.parse('\"\\\\uDC00x\"').length", 2),
    ("var o = JSON.parse('{\"\\\\ud83d\\\\ude00\": \"\\\\ud83d\"}'); var k = Object.keys(o)[0]; "
     "return [k.length, k === '😀', o[k].length]", [2, True, 1]),
    ("JSON.parse('\"\\u2028\\u2029\"').length", 2),
    ("JSON.parse('\"\\x7f\"').charCodeAt(0)", 127),
    # Objects: duplicate keys (last value, first position), integer keys first, __proto__ is plain data.
    ("var o = JSON.parse('{\"a\": 1, \"b\": 2, \"a\": 3}'); return [Object.keys(o), o.a]", [["a", "b"], 3]),
    ("Object.keys(JSON.parse('{\"b\": 1, \"2\": 2, \"a\": 3, \"1\": 4}'))", ["1", "2", "b", "a"]),
    ("var o = JSON.parse('{\"__proto__\": {\"x\": 1}}'); "
     "return [Object.getPrototypeOf(o) === Object.prototype, o.hasOwnProperty('__proto__'), o.x, Object.keys(o)]",
     [True, True, None, ["__proto__"]]),
    ("JSON.parse('{\"__proto__\": []}').__proto__.length", 0),
    ("var o = JSON.parse('{\"a\": 1}'); o.b = 2; delete o.a; return o", {"b": 2}),
    ("var a = JSON.parse('[1, 2]'); a.push(3); return [a, Array.isArray(a)]", [[1, 2, 3], True]),
    ("JSON.parse('{\"\": 5}')['']", 5),
    # Deep nesting is fine (no recursion limit).
    ("var d = 5000; var s = '['.repeat(d) + ']'.repeat(d); var v = JSON.parse(s); var n = 1; "
     "while (v.length) { v = v[0]; n++; } return n", 5000),
    ("var d = 3000; var s = '{\"a\":'.repeat(d) + '1' + '}'.repeat(d); var v = JSON.parse(s); var n = 0; "
     "while (typeof v === 'object') { v = v.a; n++; } return [n, v]", [3000, 1]),
    # Errors: SyntaxError with V8's message and position.
    ("JSON.parse('{\"a\": 1,}')", Throws("SyntaxError", "Unexpected token } in JSON at position 8")),
    ("JSON.parse('{\"a\": 1, \"b\": 2,}')", Throws("SyntaxError", "Unexpected token } in JSON at position 16")),
    ("JSON.parse('[1, 2,]')", Throws("SyntaxError", "Unexpected token ] in JSON at position 6")),
    ("JSON.parse('01')", Throws("SyntaxError", "Unexpected number in JSON at position 1")),
    ("JSON.parse('[1 2]')", Throws("SyntaxError", "Unexpected number in JSON at position 3")),
    ("JSON.parse('{\"a\" \"b\"}')", Throws("SyntaxError", "Unexpected string in JSON at position 5")),
    ("JSON.parse(\"{'a': 1}\")", Throws("SyntaxError", "Unexpected token ' in JSON at position 1")),
    ("JSON.parse(\"'single'\")", Throws("SyntaxError", "Unexpected token ' in JSON at position 0")),
    ("JSON.parse('{a: 1}')", Throws("SyntaxError", "Unexpected token a in JSON at position 1")),
    ("JSON.parse('NaN')", Throws("SyntaxError", "Unexpected token N in JSON at position 0")),
    ("JSON.parse('Infinity')", Throws("SyntaxError", "Unexpected token I in JSON at position 0")),
    ("JSON.parse('-Infinity')", Throws("SyntaxError", "Unexpected token I in JSON at position 1")),
    ("JSON.parse('[NaN]')", Throws("SyntaxError", "Unexpected token N in JSON at position 1")),
    ("JSON.parse('')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('   ')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('[1, 2')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('\"abc')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('tru')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('trux')", Throws("SyntaxError", "Unexpected token x in JSON at position 3")),
    ("JSON.parse('nul')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('1.')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('1.x')", Throws("SyntaxError", "Unexpected token x in JSON at position 2")),
    ("JSON.parse('.5')", Throws("SyntaxError", "Unexpected token . in JSON at position 0")),
    ("JSON.parse('+1')", Throws("SyntaxError", "Unexpected token + in JSON at position 0")),
    ("JSON.parse('1e')", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("JSON.parse('0x10')", Throws("SyntaxError", "Unexpected token x in JSON at position 1")),
    ("JSON.parse('{\"a\": 1} x')", Throws("SyntaxError", "Unexpected token x in JSON at position 9")),
    ("JSON.parse('\"\\\\x41\"')", Throws("SyntaxError", "Unexpected token x in JSON at position 2")),
    ("JSON.parse('\"\\\\u12G4\"')", Throws("SyntaxError", "Unexpected token G in JSON at position 5")),
    ("JSON.parse('\"a\\tb\"')", Throws("SyntaxError", "in JSON at position 2")),
    ("JSON.parse('\"a\\nb\"')", Throws("SyntaxError", "in JSON at position 2")),
    ("JSON.parse('\\ufeff1')", Throws("SyntaxError", "in JSON at position 0")),
    ("JSON.parse('\\u00a01')", Throws("SyntaxError", "in JSON at position 0")),
    ("JSON.parse()", Throws("SyntaxError", "Unexpected token u in JSON at position 0")),
    ("JSON.parse('{} {}')", Throws("SyntaxError", "Unexpected token { in JSON at position 3")),
    ("JSON.parse('[' + '1,'.repeat(100) + ']')", Throws("SyntaxError", "Unexpected token ] in JSON at position 201")),
    ("var d = 5000; JSON.parse('['.repeat(d) + ']'.repeat(d - 1))", Throws("SyntaxError", "Unexpected end of JSON input")),
    ("try { JSON.parse('{'); } catch (e) { return [e instanceof SyntaxError, e.constructor === SyntaxError]; }",
     [True, True]),
    # Reviver.
    ("JSON.parse('{\"a\": 1, \"b\": {\"c\": 2}}', function (k, v) { return typeof v === 'number' ? v * 10 : v; })",
     {"a": 10, "b": {"c": 20}}),
    ("JSON.parse('{\"keep\": 1, \"drop\": 2, \"n\": {\"drop\": 3, \"x\": 4}}', "
     "function (k, v) { return k === 'drop' ? undefined : v; })", {"keep": 1, "n": {"x": 4}}),
    ("var log = []; JSON.parse('{\"a\": [1, {\"b\": 2}], \"c\": 3}', function (k, v) { "
     "log[log.length] = k; return v; }); return log", ["0", "b", "1", "a", "c", ""]),
    ("var holders = []; var root = JSON.parse('{\"a\": {\"b\": 1}}', function (k, v) { "
     "if (k === 'b') holders[0] = this.b; if (k === '') holders[1] = Object.keys(this); return v; }); "
     "return holders", [1, [""]]),
    ("JSON.parse('[1, 2, 3]', function (k, v) { return k === '1' ? undefined : v; })", [1, None, 3]),
    ("var a = JSON.parse('[1, 2, 3]', function (k, v) { return k === '1' ? undefined : v; }); "
     "return [a.length, 1 in a]", [3, False]),
    ("JSON.parse('5', function (k, v) { return [k, v, typeof k]; })", ["", 5, "string"]),
    ("JSON.parse('{\"a\": 1}', function (k, v) { return k === '' ? 'replaced root' : v; })", "replaced root"),
    ("JSON.parse('[1]', 'not callable')", [1]),
    ("JSON.parse('{\"a\": 1, \"b\": 2}', function (k, v) { if (k === 'a') delete this.b; return v; })", {"a": 1}),
    ("JSON.parse('{\"a\": 1, \"b\": 2}', function (k, v) { if (k === 'a') this.b = 'changed'; return v; }).b",
     "changed"),
    ("JSON.parse('{\"a\": 1}', function (k, v) { if (k === '') throw new RangeError('stop'); return v; })",
     Throws("RangeError", "stop")),
    ("[JSON.parse.length, JSON.parse.name, JSON.stringify.length, JSON.stringify.name]",
     [2, "parse", 3, "stringify"]),
    ("[Object.prototype.toString.call(JSON), JSON[Symbol.toStringTag], Object.keys(JSON).length, typeof JSON]",
     ["[object JSON]", "JSON", 0, "object"]),
    ("var d = Object.getOwnPropertyDescriptor(JSON, Symbol.toStringTag); return [d.writable, d.enumerable, d.configurable]",
     [False, False, True]),
    ("new JSON.parse('1')", Throws("TypeError")),
    ("JSON()", Throws("TypeError")),
]


def test_parse() -> None:
    check_cases(PARSE)


# -- JSON.stringify ----------------------------------------------------------------------

STRINGIFY: list[tuple[str, Any]] = [
    ("JSON.stringify({a: 1, b: 'two', c: [true, false, null], d: {e: {}}})",
     '{"a":1,"b":"two","c":[true,false,null],"d":{"e":{}}}'),
    ("JSON.stringify('s')", '"s"'),
    ("JSON.stringify(42)", "42"),
    ("JSON.stringify(null)", "null"),
    ("JSON.stringify(true)", "true"),
    ("JSON.stringify(undefined) === undefined", True),
    ("JSON.stringify(function () {}) === undefined", True),
    ("JSON.stringify(Symbol()) === undefined", True),
    ("JSON.stringify() === undefined", True),
    # Numbers.
    ("JSON.stringify([NaN, Infinity, -Infinity, -0, 0, 1.5, -2, 1e21, 1e-7, 0.1 + 0.2])",
     "[null,null,null,0,0,1.5,-2,1e+21,1e-7,0.30000000000000004]"),
    ("JSON.stringify([123456789012345680000, 1e16, 2 ** 53, 0.000001, 5e-324])",
     "[123456789012345680000,10000000000000000,9007199254740992,0.000001,5e-324]"),
    ("JSON.stringify({n: 10 / 4, m: 3 * 1.0})", '{"n":2.5,"m":3}'),
    # Omitted in objects, null in arrays.
    ("JSON.stringify({u: undefined, f: function () {}, s: Symbol('x'), k: 1})", '{"k":1}'),
    ("JSON.stringify([undefined, function () {}, Symbol('x'), 1])", "[null,null,null,1]"),
    ("JSON.stringify([1, , 3])", "[1,null,3]"),
    ("var a = [1, 2]; a.extra = 3; return JSON.stringify(a)", "[1,2]"),
    ("var a = []; a[3] = 'x'; return JSON.stringify(a)", '[null,null,null,"x"]'),
    ("var s = Symbol('k'); var o = {a: 1}; o[s] = 2; return JSON.stringify(o)", '{"a":1}'),
    ("JSON.stringify(Object.defineProperty({v: 1}, 'hidden', {value: 2}))", '{"v":1}'),
    ("JSON.stringify(Object.create({inherited: 1}))", "{}"),
    ("JSON.stringify({b: 1, 2: 'two', a: 3, 1: 'one', '-1': 0})", '{"1":"one","2":"two","b":1,"a":3,"-1":0}'),
    ("JSON.stringify({get g() { return 'got'; }})", '{"g":"got"}'),
    ("JSON.stringify((function () { return arguments; })(1, 'a'))", '{"0":1,"1":"a"}'),
    ("JSON.stringify([new Map([[1, 2]]), new Set([1]), new Error('m')])", "[{},{},{}]"),
    ("JSON.stringify({toString: function () { return 'x'; }})", "{}"),
    # Wrapper objects are unwrapped.
    ("JSON.stringify([new Number(3), new String('s'), new Boolean(false), Object(Symbol('q'))])",
     '[3,"s",false,{}]'),
    ("var n = new Number(1); n.valueOf = function () { return 99; }; return JSON.stringify({n: n})", '{"n":99}'),
    ("var s = new String('a'); s.toString = function () { return 'patched'; }; return JSON.stringify(s)",
     '"patched"'),
    # Strings: escaping per spec (well-formed JSON.stringify).
    ("JSON.stringify('\"\\\\/\\b\\f\\n\\r\\t')", '"\\"\\\\/\\b\\f\\n\\r\\t"'),
    ("JSON.stringify('\\u0000\\u0001\\u001f\\u007f')", '"\\u0000\\u0001\\u001f\x7f"'),
    ("JSON.stringify('\\u2028\\u2029é')", '"\u2028\u2029é"'),
    ("JSON.stringify('\\ud800')", '"\\ud800"'),
    ("JSON.stringify('\\udc00x\\ud800')", '"\\udc00x\\ud800"'),
    ("JSON.stringify('\\udc00\\ud800')", '"\\udc00\\ud800"'),
    ("JSON.stringify('a\\ud800\\ud800b')", '"a\\ud800\\ud800b"'),
    ("JSON.stringify('\\ud83d\\ude00')", '"😀"'),
    ("JSON.stringify('😀').length", 4),
    ("JSON.stringify({'😀': '\\ud83d'})", '{"😀":"\\ud83d"}'),
    ("JSON.stringify({'a\"b': 1, 'new\\nline': 2})", '{"a\\"b":1,"new\\nline":2}'),
    # toJSON.
    ("JSON.stringify({toJSON: function () { return {replaced: true}; }})", '{"replaced":true}'),
    ("JSON.stringify({a: {toJSON: function (k) { return 'key:' + k; }}})", '{"a":"key:a"}'),
    ("JSON.stringify([{toJSON: function (k) { return [k, typeof k]; }}])", '[["0","string"]]'),
    ("JSON.stringify({toJSON: function (k) { return k; }})", '""'),
    ("JSON.stringify({x: {toJSON: function () { return undefined; }}, y: 1})", '{"y":1}'),
    ("JSON.stringify({toJSON: 'not callable', v: 1})", '{"toJSON":"not callable","v":1}'),
    ("var self; var o = {toJSON: function () { self = this; return 1; }}; JSON.stringify(o); return self === o", True),
    ("JSON.stringify({when: new Date(Date.UTC(2020, 1, 29, 12, 30))})", '{"when":"2020-02-29T12:30:00.000Z"}'),
    ("JSON.stringify(new Date(NaN))", "null"),
    ("function Stamp(t) { this.t = t; } Stamp.prototype.toJSON = function () { return 'T' + this.t; }; "
     "return JSON.stringify([new Stamp(1), {s: new Stamp(2)}])", '["T1",{"s":"T2"}]'),
    ("var saved = Object.prototype.toJSON; Object.prototype.toJSON = function () { return 'everything'; }; var r = JSON.stringify({a: [1]}); "
     "delete Object.prototype.toJSON; return r", '"everything"'),
    ("var saved = 0; Array.prototype.toJSON = function () { return 'arr'; }; var r = JSON.stringify({a: [1]}); "
     "delete Array.prototype.toJSON; return r", '{"a":"arr"}'),
    # Replacer function.
    ("JSON.stringify({a: 1, b: 'x', c: {d: 2}}, function (k, v) { return typeof v === 'number' ? v + 100 : v; })",
     '{"a":101,"b":"x","c":{"d":102}}'),
    ("JSON.stringify({a: 1, b: 2}, function (k, v) { return k === 'b' ? undefined : v; })", '{"a":1}'),
    ("JSON.stringify([1, 2], function (k, v) { return k === '0' ? undefined : v; })", "[null,2]"),
    ("JSON.stringify({a: 1}, function (k, v) { return k === '' ? [1, 2] : v; })", "[1,2]"),
    ("var calls = []; JSON.stringify({a: [1]}, function (k, v) { calls[calls.length] = [k, Array.isArray(this) "
     "? 'array' : typeof this]; return v; }); return calls",
     [["", "object"], ["a", "object"], ["0", "array"]]),
    ("var root; JSON.stringify(5, function (k, v) { root = this; return v; }); return [Object.keys(root), root['']]",
     [[""], 5]),
    ("JSON.stringify({d: new Date(0)}, function (k, v) { return typeof v; })", '"object"'),
    ("JSON.stringify({d: new Date(0)}, function (k, v) { return k === 'd' ? typeof v : v; })", '{"d":"string"}'),
    # Replacer array (an allow-list applying to objects at every depth, not to arrays).
    ("JSON.stringify({a: 1, b: 2, c: 3}, ['c', 'a'])", '{"c":3,"a":1}'),
    ("JSON.stringify({1: 'one', b: 2}, [1, 'b', 1, 'b'])", '{"1":"one","b":2}'),
    ("JSON.stringify({a: {a: 1, b: 2}, b: [{a: 1, b: 2}]}, ['a'])", '{"a":{"a":1}}'),
    ("JSON.stringify({a: [{a: 1, b: 2}], b: 1}, ['a'])", '{"a":[{"a":1}]}'),
    ("JSON.stringify({a: 1, s: 2}, [new String('s'), {}, true, null])", '{"s":2}'),
    ("JSON.stringify(Object.create({inh: 1}), ['inh'])", '{"inh":1}'),
    ("JSON.stringify({a: 1}, [])", "{}"),
    ("JSON.stringify([1, 2], ['0'])", "[1,2]"),
    ("JSON.stringify({a: 1}, 'not a replacer')", '{"a":1}'),
    # Indentation.
    ("JSON.stringify({a: [1, {b: 2}], c: 'x'}, null, 2)",
     '{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ],\n  "c": "x"\n}'),
    ("JSON.stringify([1, [2, []], {}], null, '\\t')", "[\n\t1,\n\t[\n\t\t2,\n\t\t[]\n\t],\n\t{}\n]"),
    ("JSON.stringify({a: 1}, null, 20) === JSON.stringify({a: 1}, null, 10)", True),
    ("JSON.stringify({a: 1}, null, 10)", '{\n          "a": 1\n}'),
    ("JSON.stringify({a: 1}, null, 'abcdefghijklmnop')", '{\nabcdefghij"a": 1\n}'),
    ("JSON.stringify({a: [1]}, null, '--')", '{\n--"a": [\n----1\n--]\n}'),
    ("JSON.stringify({a: 1}, null, 0)", '{"a":1}'),
    ("JSON.stringify({a: 1}, null, -3)", '{"a":1}'),
    ("JSON.stringify({a: 1}, null, '')", '{"a":1}'),
    ("JSON.stringify({a: 1}, null, 2.9)", '{\n  "a": 1\n}'),
    ("JSON.stringify({a: 1}, null, new Number(1))", '{\n "a": 1\n}'),
    ("JSON.stringify({a: 1}, null, new String('>'))", '{\n>"a": 1\n}'),
    ("JSON.stringify({a: 1}, null, true)", '{"a":1}'),
    ("JSON.stringify({a: 1, b: undefined}, null, 1)", '{\n "a": 1\n}'),
    ("JSON.stringify({b: undefined}, null, 1)", "{}"),
    ("JSON.stringify([undefined], null, 1)", "[\n null\n]"),
    ("JSON.stringify({a: [], b: {}}, null, 2)", '{\n  "a": [],\n  "b": {}\n}'),
    ("JSON.stringify({a: 1, b: [1, 2]}, ['b'], 1)", '{\n "b": [\n  1,\n  2\n ]\n}'),
    # Cycles.
    ("var o = {}; o.self = o; JSON.stringify(o)", Throws("TypeError", "Converting circular structure to JSON")),
    ("var a = []; a[0] = a; JSON.stringify(a)", Throws("TypeError", "Converting circular structure to JSON")),
    ("var o = {x: []}; o.x[0] = {back: o}; JSON.stringify(o)", Throws("TypeError", "Converting circular structure")),
    ("var o = {}; o.self = o; return JSON.stringify(o, function (k, v) { return k === 'self' ? 'cut' : v; })",
     '{"self":"cut"}'),
    ("var shared = {v: 1}; return JSON.stringify({a: shared, b: [shared, shared]})",
     '{"a":{"v":1},"b":[{"v":1},{"v":1}]}'),
    # toJSON returning its own object is not a cycle: the object is serialized once (toJSON is omitted).
    ("var o = {}; o.toJSON = function () { return o; }; return JSON.stringify([o])", "[{}]"),
    # A toJSON making a fresh object every time never repeats an object: it recurses until the stack ends.
    ("var o = {}; o.toJSON = function () { return {again: o}; }; return JSON.stringify(o)",
     Throws("RangeError", "Maximum call stack size exceeded")),
    # Errors thrown by guest code propagate.
    ("JSON.stringify({get boom() { throw new RangeError('from getter'); }})", Throws("RangeError", "from getter")),
    ("JSON.stringify({a: 1}, function () { throw new Error('from replacer'); })", Throws("Error", "from replacer")),
]


def test_stringify() -> None:
    check_cases(STRINGIFY)


def test_round_trips() -> None:
    got = run_js(
        r"""
        var values = [
          {a: [1, 2, {b: 'c'}], d: null, e: true, f: -1.25, g: 'multi\nline "quoted" \\ slash'},
          ['😀', '\ud83d\ude00x', 'é', '\u0000\u001f', '\u2028'],
          {nested: {deeper: {deepest: [[[]], {}]}}},
          [0, -5, 1e300, 2.5e-300, 9007199254740991],
          {'': 'empty key', ' ': 'space', '😀': 'emoji key'},
        ];
        var out = [];
        for (var i = 0; i < values.length; i++) {
          var s = JSON.stringify(values[i]);
          var back = JSON.parse(s);
          out[i] = [JSON.stringify(back) === s, JSON.stringify(JSON.parse(JSON.stringify(values[i], null, 3))) === s];
        }
        out
        """
    )
    assert got == [[True, True]] * 5


def test_unicode_survives_python_boundary() -> None:
    assert run_js("JSON.parse('{\"e\": \"😀\"}').e") == "😀"
    assert run_js("JSON.stringify({e: '😀'})") == '{"e":"😀"}'
    assert run_js("JSON.stringify('\\ud83d')") == '"\\ud83d"'
    assert run_js("JSON.parse('\"\\\\ud83d\\\\ude00\"')") == "😀"


def test_string_length_limit() -> None:
    limits = Limits(max_string_length=10_000)
    err = js_error("var s = 'x'.repeat(1000); var a = []; for (var i = 0; i < 20; i++) a[i] = s; JSON.stringify(a)",
                   limits)
    assert err.name == "RangeError"
    assert err.message == "Invalid string length"
    # Shared sub-trees cannot multiply the output past the limit (2**40 leaves would never finish).
    started = time.process_time()
    err = js_error("var a = [1]; for (var i = 0; i < 40; i++) a = [a, a]; JSON.stringify(a)", limits)
    assert err.name == "RangeError"
    assert time.process_time() - started < 2
    # Long keys count too.
    err = js_error("var o = {}; o['k'.repeat(900)] = 1; var a = []; for (var i = 0; i < 20; i++) a[i] = o; "
                   "JSON.stringify(a)", limits)
    assert err.name == "RangeError"


def test_deep_stringify_is_a_range_error() -> None:
    err = js_error("var d = []; var c = d; for (var i = 0; i < 20000; i++) { c[0] = []; c = c[0]; } JSON.stringify(d)")
    assert err.name == "RangeError"


def test_parse_result_is_plain_data() -> None:
    rt, value = evaluate("JSON.parse('{\"a\": [1, {\"b\": 2.5}], \"c\": \"s\", \"big\": 12345678901234567890}')")
    assert type(value).__name__ == "JSObject"
    assert value.proto is rt.ObjectPrototype
    arr = value.get("a")
    assert type(arr).__name__ == "JSArray" and arr.proto is rt.ArrayPrototype
    assert arr.items[0] == 1 and type(arr.items[0]) is int
    assert type(value.get("big")) is float
    assert value.get("big") == 12345678901234567890.0


def test_large_documents_are_fast() -> None:
    started = time.process_time()
    got = run_js(
        "var arr = []; for (var i = 0; i < 5000; i++) arr[i] = {id: i, name: 'item' + i, tags: ['a', 'b'],"
        " score: i / 4, ok: i % 2 === 0, nested: {x: i, y: null}};"
        "var s = JSON.stringify(arr); var back = JSON.parse(s); var s2 = JSON.stringify(back, null, 2);"
        "[s.length, back.length, back[4999].nested.x, back[3].score, JSON.stringify(JSON.parse(s2)) === s]"
    )
    assert got[1:] == [5000, 4999, 0.75, True]
    # CPU time, not wall time: the machine running the tests may be busy.
    assert time.process_time() - started < 4


# -- oracle: QuickJS ------------------------------------------------------------------------------

ORACLE_STRINGIFY = [
    "{a: 1, b: 'x', c: [1, 2, {d: null}]}",
    "[undefined, function () {}, Symbol('s'), null]",
    "{u: undefined, f: function () {}, s: Symbol(), n: null}",
    # (QuickJS prints 123456789012345680000 as ...670000, unlike V8: that one is in STRINGIFY instead.)
    "[NaN, Infinity, -Infinity, -0, 0.1, 1e21, 1e-7, 5e-324, 1.7976931348623157e308]",
    "[0.000001, 1e-6, 1.5e-10, 2 ** 60, -(2 ** 31), 4.35, 100, 1e20, 12e20]",
    "'\\u0000\\u0001\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u001e\\u001f\\u0020\\u007f'",
    "'\"quoted\" and \\\\ backslash / slash'",
    "['\\ud800', '\\udbff', '\\udc00', '\\udfff', '\\ud800\\udc00', '\\udc00\\ud800', 'a\\ud800b']",
    "{'\\ud800key': '\\udfff', k: '\\ud83d\\ude00'}",
    "[new Number(5), new String('s'), new Boolean(true), new Boolean(false)]",
    "{toJSON: function (k) { return k + '!'; }}",
    "[{toJSON: function (k) { return 'idx ' + k; }}, {toJSON: function () { return undefined; }}]",
    "{a: {toJSON: function (k) { return {key: k}; }}}",
    "{b: 1, 2: 2, a: 3, 1: 4, '-1': 5, '1.5': 6, '01': 7}",
    "[1, , 3, , ]",
    "{a: [], b: {}, c: [[]], d: [{}]}",
    "Object.create({inherited: 1}, {own: {value: 2, enumerable: true}, hidden: {value: 3}})",
    "[new Map([[1, 2]]), new Set([1]), /re/g, new Error('e')]",
    "(function () { return arguments; })(1, 'two', [3])",
    "{date: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999))}",
    "'\\u2028\\u2029\\ufeff'",
    "{nested: {deeper: {deepest: [1, [2, [3, [4]]]]}}}",
    "[true, false, null, 'null', 0, '0', '', []]",
    "{'': 'empty', ' ': 'space', 'é': 'accent', '😀': 'emoji'}",
    "[-0.0, 0 * -1, 1 / 3, 2 / 3, 10 / 3]",
]

ORACLE_STRINGIFY_ARGS = [
    "{a: [1, {b: 2}], c: 'x'}, null, 2",
    "{a: [1, {b: 2}], c: 'x'}, null, '\\t'",
    "{a: [1, {b: 2}], c: 'x'}, null, 0",
    "{a: [1, {b: 2}], c: 'x'}, null, -5",
    "{a: [1, {b: 2}], c: 'x'}, null, 15",
    "{a: [1, {b: 2}], c: 'x'}, null, '0123456789ABC'",
    "{a: [1, {b: 2}], c: 'x'}, null, new Number(3)",
    "{a: [1, {b: 2}], c: 'x'}, null, new String('ab')",
    "[[], {}, [[]], {a: {}}, [{}]], null, 2",
    "{a: 1, b: 2, 1: 3, c: 4}, ['b', 'a', 1, 'b']",
    "{a: 1, b: 2}, [new String('a'), new Number(1)]",
    "{a: [{a: 1, b: 2}], b: 1}, ['a']",
    "{a: 1, b: 'two', c: [3]}, function (k, v) { return typeof v === 'number' ? v * 2 : v; }",
    "{a: 1, b: 2}, function (k, v) { return k === 'a' ? undefined : v; }",
    "{a: 1}, function (k, v) { return k === '' ? {replaced: [k, typeof v]} : v; }",
    "[1, 'a', [2]], function (k, v) { return Array.isArray(this) ? k + ':' + JSON.stringify(v) : v; }",
    "{a: {b: {c: 1}}}, function (k, v) { return k === 'b' ? [v.c] : v; }, 1",
]

ORACLE_PARSE = [
    '{"a":[1,2,{"b":null}],"c":"\\u0041"}',
    "  [1 , 2 ]  ",
    '"\\ud83d\\ude00"',
    '"\\ud800"',
    "1e3",
    "-0",
    "0.5e-2",
    "[1E+2, 1e-2, -1.5E-3]",
    "123456789012345678901234567890",
    '{"__proto__": {"a": 1}}',
    '{"a":1,"a":2,"b":3}',
    '{"2":1,"1":2,"b":3,"a":4}',
    '"\\/\\b\\f\\n\\r\\t\\"\\\\"',
    "[true,false,null]",
    '{"":{"":[]}}',
    '"😀 é \u2028"',
    "[9007199254740993, -9007199254740993, 1e400]",
    '{"a":1,}',
    "[1,]",
    "01",
    "NaN",
    "'x'",
    '"\\x"',
    "[1 2]",
    "",
]


def _qjs(expr: str) -> str:
    ctx = quickjs.Context()
    result = ctx.eval(f"(function () {{ try {{ return String(({expr})); }} catch (e) {{ return 'throws ' + e.name; }} }})()")
    assert isinstance(result, str)
    return result


def test_oracle_quickjs() -> None:
    exprs = [f"JSON.stringify({e})" for e in ORACLE_STRINGIFY]
    exprs += [f"JSON.stringify({a})" for a in ORACLE_STRINGIFY_ARGS]
    exprs += [f"JSON.stringify(JSON.parse({json.dumps(t)}))" for t in ORACLE_PARSE]
    assert len(exprs) >= 50
    ours = run_js(
        "var out = [];"
        + "".join(
            f"try {{ out[{i}] = String(({e})); }} catch (e) {{ out[{i}] = 'throws ' + e.name; }}"
            for i, e in enumerate(exprs)
        )
        + "out"
    )
    mismatches = []
    for expr, got in zip(exprs, ours):
        want = _qjs(expr)
        if got != want:
            mismatches.append(f"{expr}\n   ours:    {got!r}\n   quickjs: {want!r}")
    assert not mismatches, "\n".join(mismatches)

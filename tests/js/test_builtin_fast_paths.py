"""Fast paths of hot built-ins against Node: JSON, string methods, array methods with callbacks.

``JSON.stringify`` without a replacer or gap hands a tree of plain objects and
arrays to Python's C encoder, which gives up (the general serializer then
writes the value) on anything whose text needs JS code or another form. Each
case puts such a value in the tree, at the top and nested, so that both paths
are compared with V8. ``JSON.parse`` fixes floats and long integers up in its
container hooks. ``substring`` slices integer arguments directly; the
callback methods call a one- or two-parameter JS function directly. Their
cases take the other ways: other kinds of arguments and receivers, holes,
mutation during the loop, array-likes, throwing callbacks.
"""

from __future__ import annotations

from typing import Any

import pytest

from jsrun import evaluate, js_error, run_js
from node_oracle import oracle_tests
from seqflow_runtime.js.builtins.json import PlainEncoder
from seqflow_runtime.limits import Limits

ORACLE: dict[str, list[str]] = {
    "stringify plain trees": [
        "JSON.stringify([{id: 1, ok: true, v: [1, 1.5, 'x1', null]}, {}, [], [[]], {a: {b: {c: 'd'}}}])",
        "JSON.stringify({s: 'quote \" back \\\\ nl \\n tab \\t ctl \\u0001 del \\u007f é 中 \\u2028'})",
        "JSON.stringify({'': 1, ' ': 2, 'k\"ey': 3, 'é': 4, '中文': 5})",
        "var o = {b: 1, a: 2}; o.c = 3; delete o.b; o.b = 4; return JSON.stringify(o)",
        "class P { constructor() { this.x = 1; this.y = [2]; } } return JSON.stringify([new P(), {p: new P()}])",
        "class A extends Array {} var a = new A(); a.push(1, 2); return JSON.stringify({a: a})",
        "var o = Object.create(null); o.k = 1; return JSON.stringify([o])",
        "var o = Object.create({inherited: 1}); o.own = 2; return JSON.stringify(o)",
        "var a = [1, 2]; a.named = 3; return JSON.stringify(a)",
        "var shared = {v: 1}; return JSON.stringify([shared, shared, {s: shared}])",
        "var big = []; for (var i = 0; i < 1000; i++) big.push({i: i, s: 'v' + i}); return JSON.stringify(big).length",
    ],
    "stringify numbers": [
        "JSON.stringify([0, -0, 1.5, -2.25, 0.1, 1e-4, 1.5e-4, 1e-5, 1.5e-7, 1e-7, 1e-9, 1.5e-9, 1e-10, 2.5e-300, 5e-324])",
        "JSON.stringify([1e15, 1e16, 1.5e16, 1e20, 123456789012345680000, 1e21, 1.5e21, 1e300, 2 ** 53, 2 ** 53 + 2, 2 ** 60])",
        "JSON.stringify({nan: NaN, inf: Infinity, ninf: -Infinity, z: -0, f: 0.5 * 4, h: 1 / 3, m: Number.MAX_VALUE})",
        "JSON.stringify([NaN, Infinity, -Infinity, -0, 4 / 2, 9007199254740993, -9007199254740992])",
        "JSON.stringify({n: new Number(3), s: new String('s'), b: new Boolean(false)})",
    ],
    "stringify omitted and null": [
        "JSON.stringify({u: undefined, f: function () {}, s: Symbol('x'), a: [undefined, function () {}, Symbol('y')], k: 1})",
        "JSON.stringify([, 1, , 2, ,])",
        "var a = [1, 2, 3]; delete a[1]; a.length = 5; return JSON.stringify({a: a})",
        "var o = {a: 1}; o[Symbol('s')] = 2; return JSON.stringify(o)",
        "JSON.stringify({2: 'two', b: 'b', 1: 'one', a: 'a', '01': 'z', 4294967295: 'big', 10: 'ten'})",
        "JSON.stringify([{3: 3, x: 1, 0: 0}])",
        "var f = function () {}; f.toJSON = function () { return 'from f'; }; return JSON.stringify({f: f, a: [f]})",
        "var fp = Function.prototype; fp.toJSON = function () { return 'fn'; }; var r = JSON.stringify({f: function () {}, a: [Math.max]});"
        " delete Function.prototype.toJSON; return r",
        "JSON.stringify(function () {})",
        "JSON.stringify(undefined)",
        "JSON.stringify(Symbol('top'))",
    ],
    "stringify toJSON and getters": [
        "JSON.stringify({d: new Date(0), x: {toJSON: function (k) { return 'key ' + k; }}})",
        "JSON.stringify([{toJSON: function (k) { return [k, typeof k]; }}])",
        "var log = []; var o = {a: 1, get g() { log.push('g'); return {n: log.length}; }, b: 2};"
        " return [JSON.stringify([o, o]), log]",
        "var op = Object.prototype; op.toJSON = function () { return 'op'; }; var r = JSON.stringify({a: [1, {b: 2}]});"
        " delete Object.prototype.toJSON; return r",
        "var ap = Array.prototype; ap.toJSON = function () { return 'ap'; }; var r = JSON.stringify({a: [1, 2], o: {}});"
        " delete Array.prototype.toJSON; return r",
        "class T { toJSON() { return {t: this.v}; } constructor() { this.v = 7; } } return JSON.stringify([new T(), {n: new T()}])",
        "var o = Object.defineProperty({a: 1}, 'hidden', {value: 2, enumerable: false}); return JSON.stringify({o: o})",
        "var o = Object.freeze({a: 1, b: [1]}); return JSON.stringify([o])",
        "var p = new Proxy({a: 1}, {get: function (t, k) { return k === 'a' ? 'trapped' : t[k]; }}); return JSON.stringify({p: p})",
        "var p = new Proxy([1, 2], {}); return JSON.stringify({p: p})",
        "var m = new Map([[1, 2]]); return JSON.stringify({m: m, s: new Set([1])})",
    ],
    "stringify errors": [
        "var o = {a: 1}; o.self = o; return JSON.stringify(o)",
        "var a = [1]; a.push({inner: a}); return JSON.stringify(a)",
        "JSON.stringify({b: 10n})",
        "JSON.stringify([1, 2n])",
        "var log = []; var o = {first: {toJSON: function () { log.push('toJSON'); return 1; }}}; o.self = o;"
        " try { JSON.stringify(o); } catch (e) { log.push(e.constructor.name); } return log",
        "JSON.stringify({a: {toJSON: function () { throw new RangeError('from toJSON'); }}})",
        "var v = []; for (var i = 0; i < 900; i++) v = [v]; var o = {}; for (var i = 0; i < 900; i++) o = {k: o};"
        " return [JSON.stringify(v).length, JSON.stringify(o).length]",
    ],
    "stringify strings": [
        "JSON.stringify(['\\ud83d\\ude00', '\\ud83d', '\\ude00', 'a\\ud800b', '\\udc00\\ud800'])",
        "JSON.stringify({'\\ud800': '\\ud83d\\ude00', '😀': 'lone \\udfff'})",
        "JSON.stringify({k: 'x'.repeat(100) + '\\ud800'})",
    ],
    "stringify with replacer and space": [
        "JSON.stringify({a: 1, b: [1, 2], c: {d: 'e'}}, null, 2)",
        "JSON.stringify({a: 1, b: [1, 2], c: {d: 'e'}}, null, '--')",
        "JSON.stringify({a: 1, b: 2, c: {a: 3, z: 4}}, ['a', 'c'])",
        "JSON.stringify({a: 1, b: 'x', c: [1, 2]}, function (k, v) { return typeof v === 'number' ? v * 10 : v; })",
        "JSON.stringify([1, {x: 2}], function (k, v) { return k === 'x' ? undefined : v; }, 1)",
    ],
    "parse": [
        "JSON.parse('[{\"id\": 1, \"ok\": true, \"v\": [1, 1.5, \"x\", null, [], {}]}, {\"a\": {\"b\": [[2]]}}]')",
        "JSON.parse('{\"a\": 1, \"b\": 2, \"a\": 3}')",
        "Object.keys(JSON.parse('{\"b\": 1, \"2\": 2, \"a\": 3, \"1\": 4}'))",
        "JSON.parse('[9007199254740993, -9007199254740993, 12345678901234567890, 1.0, 2.50, 1e2, -0, -0.0, [-0]]')",
        "var o = JSON.parse('{\"x\": [1, {\"y\": 123456789012345678901234}]}'); return [o.x[0], o.x[1].y]",
        "JSON.parse('{\"a\": 1.0, \"b\": -0.0, \"c\": 1e2, \"d\": 9007199254740993, \"e\": [1.0, {\"f\": -0.0, \"g\": 2.5}]}')",
        "JSON.parse('{\"s\": \"12345678901234567890\", \"n\": 1234567890123456, \"m\": -12345678901234567}')",
        "var v = JSON.parse('[0.1, 1e-7, 1.5e300, 1e400, -1e400, 0e5, -0e5]'); return [v, 1 / v[5], 1 / v[6]]",
        "var pad = ' '.repeat((1 << 20) - 9); return [JSON.parse('[' + pad + '9007199254740993123]')[0],"
        " JSON.parse('{\"k\":' + pad + '-90071992547409931}').k]",
        "JSON.parse('{\"\\\\ud83d\\\\ude00\": [\"\\\\ud83d\\\\ude00\", \"\\\\ud800\"], \"k\": {\"\\\\ud83d\\\\ude00\": 1}}')",
        "Object.keys(JSON.parse('{\"\\\\ud83d\\\\ude00\": 1, \"a\": 2, \"\\\\ud83d\\\\ude00\": 3}'))",
        "JSON.parse('{\"a\": [1, 2], \"b\": {\"c\": 3}}', function (k, v) { return typeof v === 'number' ? v + 1 : v; })",
        "JSON.parse('[1, 2, 3]', function (k, v) { return v === 2 ? undefined : v; })",
        "var d = ''; for (var i = 0; i < 3000; i++) d += '['; for (var i = 0; i < 3000; i++) d += ']';"
        " var v = JSON.parse(d); var n = 0; while (Array.isArray(v) && v.length) { v = v[0]; n++; } return n",
        "JSON.parse('{\"__proto__\": {\"x\": 1}}').x",
        "JSON.parse('[1, 2')",
        "var r = []; for (var i = 0; i < 2; i++) r.push(JSON.parse('[-0]')[0], JSON.parse('[0]')[0], JSON.parse('{\"a\": -0}').a,"
        " JSON.parse('[\"\\ud83d\\ude00\"]')[0].length, JSON.parse('{\"\\ud83d\": -0, \"b\": [1.0]}'), JSON.parse('1.0'),"
        " JSON.parse('[1,'.repeat(700) + '1' + ']'.repeat(700)).length); return r",
    ],
    "substring": [
        "var s = 'abcdef'; return [s.substring(1, 3), s.substring(3, 1), s.substring(-2, 2), s.substring(2, -1),"
        " s.substring(4, 100), s.substring(100, 4), s.substring(100, 200), s.substring(-5, -1), s.substring(0)]",
        "var s = 'abcdef'; return [s.substring(1.7, 3.2), s.substring('2', '4'), s.substring(NaN, 2), s.substring(2, NaN),"
        " s.substring(Infinity, -Infinity), s.substring(2, undefined), s.substring(undefined, 2), s.substring(null, 3)]",
        "var s = 'abcdef'; return [s.substring(-0, 2), s.substring(2 ** 53, 1), s.substring(1, 2 ** 60), s.substring(true, 3)]",
        "var s = 'a😀b'; return [s.substring(1, 2).length, s.substring(1, 3) === '😀', s.substring(2, 4).charCodeAt(0)]",
        "var sub = String.prototype.substring; return [sub.call(12345, 1, 3), sub.call(true, 1, 3), sub.call([1, 2, 3], 0, 3),"
        " sub.call({toString: function () { return 'obj'; }}, 1, 2)]",
        "var sub = String.prototype.substring; try { sub.call(null, 0, 1); return 'no'; } catch (e) { return e.name; }",
        "var sub = String.prototype.substring; try { sub.call(undefined, 0, 1); return 'no'; } catch (e) { return e.name; }",
        "var log = []; var a = {valueOf: function () { log.push('a'); return 1; }};"
        " var b = {valueOf: function () { log.push('b'); return 3; }}; return ['abcd'.substring(a, b), log]",
        "'abc'.substring(0, 2, 'extra')",
        "new String('abcdef').substring(2, 4)",
    ],
    "callbacks": [
        "var a = [1, 2, 3, 4]; return [a.some(function (x) { return x > 3; }), a.some(function (x) { return x > 4; }),"
        " a.every(function (x) { return x > 0; }), a.every(function (x) { return x > 1; })]",
        "var a = [1, 2, 3]; return [a.some(function (x) { return x === 2 ? 'yes' : 0; }), a.every(function (x) { return x; }),"
        " a.some(function (x) { return NaN; }), a.every(function (x) { return x > 1 ? '' : {}; }), a.some(function () {})]",
        "var a = [1, 2, 3, 4]; return [a.find(function (x) { return x % 2 === 0; }), a.findIndex(function (x) { return x > 2; }),"
        " a.find(function (x) { return x > 9; }), a.findIndex(function (x) { return x > 9; }), a.find(function (x) { return -0; })]",
        "var seen = []; var a = [1, , 3]; var r = [a.some(function (x) { seen.push(x); return false; }),"
        " a.every(function (x) { seen.push(x); return true; }), a.find(function (x) { seen.push(x); return false; }),"
        " a.findIndex(function (x) { seen.push(x); return x === undefined; })]; return [r, seen]",
        "var a = [1, 2, 3]; var seen = []; a.some(function (x) { seen.push(x); if (x === 1) { a.push(9); a[2] = 30; } return false; });"
        " return seen",
        "var a = [1, 2, 3, 4]; var seen = []; a.every(function (x) { seen.push(x); a.length = 2; return true; }); return seen",
        "var a = [1, 2, 3]; var seen = []; a.find(function (x, i) { seen.push(x); if (i === 0) a.pop(); return false; }); return seen",
        "var like = {length: 3, 0: 'a', 2: 'c'}; var P = Array.prototype;"
        " return [P.some.call(like, function (x) { return x === 'c'; }), P.every.call(like, function (x) { return x !== undefined; }),"
        " P.find.call(like, function (x) { return x === undefined; }), P.findIndex.call(like, function (x) { return x === undefined; })]",
        "var a = [1, 2, 3]; try { a.some(function (x) { if (x === 2) throw new RangeError('in some'); return false; }); }"
        " catch (e) { return [e.name, e.message]; }",
        "var a = [1, 2, 3]; try { a.reduce(function (s, x) { if (x === 3) throw new TypeError('in reduce'); return s + x; }); }"
        " catch (e) { return [e.name, e.message]; }",
        "var a = [1, 2, 3]; var ctx = {k: 10}; return [a.some(function (x) { return this.k === 10; }, ctx),"
        " a.every(function (x) { return this.k === 10; }, ctx), a.find(function (x) { return x === this.k / 5; }, ctx)]",
        "var a = [1, 2, 3]; return [a.some(function (x, i, arr) { return arr === a && i === 2; }),"
        " a.find(function (x, i) { return i === 1; }), a.every(function () { return arguments.length === 3; })]",
        "var a = [10, 20, 30]; return [a.some((x) => x > 25), a.every((x) => x >= 10), a.find((x) => x > 15), a.findIndex((x) => x > 15)]",
        "class K { constructor() { this.v = 1; } } try { [1].some(K); return 'no'; } catch (e) { return e.name; }",
        "try { [1].every(42); return 'no'; } catch (e) { return e.name; }",
        "[].some(function () { return true; })",
    ],
    "reduce": [
        "var a = [1, 2, 3, 4]; return [a.reduce(function (s, x) { return s + x; }), a.reduce(function (s, x) { return s + x; }, 10)]",
        "var a = [1, , 3, , 5]; var seen = []; var r = a.reduce(function (s, x) { seen.push(x); return s * x; }); return [r, seen]",
        "var a = [, , 7]; return a.reduce(function (s, x) { return s + x; })",
        "try { [].reduce(function (s, x) { return s + x; }); return 'no'; } catch (e) { return e.name; }",
        "try { [, ,].reduce(function (s, x) { return s + x; }); return 'no'; } catch (e) { return e.name; }",
        "[].reduce(function (s, x) { return s + x; }, 'init')",
        "var a = [1, 2, 3]; return a.reduce(function (s, x, i, arr) { return s + ':' + x + i + (arr === a); }, '')",
        "var a = [1, 2, 3]; return a.reduce(function (s) { return s + 1; }, 0)",
        "var a = [1, 2, 3]; return a.reduce(function () { return arguments.length; }, 0)",
        "var a = [1, 2, 3]; return a.reduce((s, x) => s + x * 2, 0)",
        "var a = [1, 2, 3, 4]; var seen = []; a.reduce(function (s, x) { seen.push(x); if (x === 1) { a.pop(); a[1] = 20; } return s + x; }, 0);"
        " return seen",
        "var like = {length: 3, 0: 1, 1: 2, 2: 3}; return Array.prototype.reduce.call(like, function (s, x) { return s + x; })",
        "'abc'.split('').reduce(function (s, c) { return c + s; })",
        "[2 ** 53, 2].reduce(function (s, x) { return s + x; })",
        "[-0].reduce(function (s, x) { return s + x; }, -0)",
        "class K {} try { [1, 2].reduce(K); return 'no'; } catch (e) { return e.name; }",
    ],
}

PINNED: dict[str, str] = {
    "JSON.stringify({a: [1, 1.5, 'x'], b: {c: null}})": '"{\\"a\\":[1,1.5,\\"x\\"],\\"b\\":{\\"c\\":null}}"',
}

test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, PINNED)


def test_stringify_near_the_string_limit_is_exact() -> None:
    """The C path's size estimate (6 characters a string character, 30 a member) may pass the limit
    where the text does not: the general serializer then writes it."""
    limits = Limits(max_string_length=10_000)
    assert run_js("var a = []; for (var i = 0; i < 9; i++) a.push('x'.repeat(1000)); JSON.stringify(a).length",
                  limits) == 9 * 1002 + 10
    assert run_js("var a = []; for (var i = 0; i < 900; i++) a.push(i); JSON.stringify([a, {k: a}]).length",
                  limits) == 6991  # as Node writes it
    err = js_error("var a = []; for (var i = 0; i < 10; i++) a.push('x'.repeat(1000)); JSON.stringify({a: a})", limits)
    assert (err.name, err.message) == ("RangeError", "Invalid string length")


def test_stringify_spends_steps_per_member() -> None:
    """A tree written by the C path spends a step per container and member, as the general serializer does."""

    def steps_used(source: str) -> int:
        rt, _ = evaluate(source)
        return rt.limits.max_steps - rt.steps_left - rt._steps_reserve

    build = "var a = []; for (var i = 0; i < 1000; i++) a.push({i: i}); "
    spent = steps_used(build + "JSON.stringify(a); 1") - steps_used(build + "1")
    # The array: 1000 members and itself; each object: 1 member and itself; the call.
    assert spent >= 1001 + 1000 * 2


def test_stringify_takes_the_c_path_in_a_fresh_realm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Object.prototype is still pending (its methods not made) when a script's first object literal
    reaches JSON.stringify: the C path installs it rather than giving up."""
    texts: list[str | None] = []
    run = PlainEncoder.run

    def recording(self: PlainEncoder, value: Any) -> str | None:
        texts.append(run(self, value))
        return texts[-1]

    monkeypatch.setattr(PlainEncoder, "run", recording)
    assert run_js("JSON.stringify([{a: 1, b: [true, null, 'x']}])") == '[{"a":1,"b":[true,null,"x"]}]'
    assert texts == ['[{"a":1,"b":[true,null,"x"]}]']

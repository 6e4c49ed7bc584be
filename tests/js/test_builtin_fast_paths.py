"""Fast paths of hot built-ins against Node: ``JSON.stringify``'s C-encoder path and ``JSON.parse``'s hooks.

``JSON.stringify`` without a replacer or gap hands a tree of plain objects and
arrays to Python's C encoder, which gives up (the general serializer then
writes the value) on anything whose text needs JS code or another form. Each
case puts such a value in the tree, at the top and nested, so that both paths
are compared with V8.
"""

from __future__ import annotations

from node_oracle import oracle_tests

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
        "JSON.parse('{\"\\\\ud83d\\\\ude00\": [\"\\\\ud83d\\\\ude00\", \"\\\\ud800\"], \"k\": {\"\\\\ud83d\\\\ude00\": 1}}')",
        "Object.keys(JSON.parse('{\"\\\\ud83d\\\\ude00\": 1, \"a\": 2, \"\\\\ud83d\\\\ude00\": 3}'))",
        "JSON.parse('{\"a\": [1, 2], \"b\": {\"c\": 3}}', function (k, v) { return typeof v === 'number' ? v + 1 : v; })",
        "JSON.parse('[1, 2, 3]', function (k, v) { return v === 2 ? undefined : v; })",
        "var d = ''; for (var i = 0; i < 3000; i++) d += '['; for (var i = 0; i < 3000; i++) d += ']';"
        " var v = JSON.parse(d); var n = 0; while (Array.isArray(v) && v.length) { v = v[0]; n++; } return n",
        "JSON.parse('{\"__proto__\": {\"x\": 1}}').x",
        "JSON.parse('[1, 2')",
    ],
}

PINNED: dict[str, str] = {
    "JSON.stringify({a: [1, 1.5, 'x'], b: {c: null}})": '"{\\"a\\":[1,1.5,\\"x\\"],\\"b\\":{\\"c\\":null}}"',
}

test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, PINNED)

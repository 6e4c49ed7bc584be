"""ES2018-ES2025 built-ins.

Where Node 20 implements a built-in, it is the oracle: every case is run by
seqflow and by ``node`` (live, when installed) and the two renderings must be
identical. Node 20 lacks Object/Map.groupBy, Promise.withResolvers/try,
Array.fromAsync, the Set methods, the iterator helpers, Math.sumPrecise and
Math.f16round: their expectations are written from the spec text (the
section is named beside each group), and Math.sumPrecise is also checked
against exact rational arithmetic.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest

from seqflow_runtime import FileStorage, Limits, create_flow
from seqflow_runtime.js.builtins import install_everything
from seqflow_runtime.js.runtime import Runtime
from seqflow_runtime.js.values import JSFunction
from jsrun import Throws, check_cases, js_error, run_js
from node_oracle import DEEP_RENDER, oracle_tests

# -- oracle cases, by feature -----------------------------------------------------------------

ORACLE: dict[str, list[str]] = {
    "findLast": [
        "[1, 2, 3, 4].findLast(function (x) { return x % 2; })",
        "[1, 2, 3, 4].findLastIndex(function (x) { return x > 10; })",
        "[1, 2, 3, 4].findLast(function (x) { return x > 10; })",
        "[, 1].findLastIndex(function (x) { return x === undefined; })",
        "[NaN, -0].findLast(function (x) { return x === 0; })",
        "var seen = []; [1, 2, 3].findLast(function (x, i, a) { seen.push(x, i, a.length, this.t); }, {t: 't'}); return seen",
        "Array.prototype.findLast.call({length: 3, 0: 'a', 2: 'c'}, function (x) { return x; })",
        "Array.prototype.findLastIndex.call('abc', function (x) { return x === 'a'; })",
        "var a = [1, 2, 3]; return a.findLastIndex(function (x, i) { if (i === 2) a.length = 1; return x === undefined; })",
        "[1].findLast(5)",
        "Array.prototype.findLast.call(null, function () {})",
        "[Array.prototype.findLast.length, Array.prototype.findLastIndex.length]",
    ],
    "change-array-by-copy": [
        "[3, undefined, 1, , 10, 2].toSorted()",
        "[3, 1, 2].toSorted(function (a, b) { return b - a; })",
        "var a = [2, 1]; var b = a.toSorted(); return [a, b, a === b]",
        "[NaN, -0, 0, -1].toSorted()",
        "[1].toSorted('x')",
        "[].toSorted(null)",
        "Array.prototype.toSorted.call({length: 3, 0: 'b', 1: 'a'})",
        "[1, , 3].toReversed()",
        "Array.prototype.toReversed.call({length: 2, 0: 'x'})",
        "Array.prototype.toReversed.call('ab')",
        "var log = []; var o = {length: 2, get 0() { log.push('g0'); return 'a'; }, get 1() { log.push('g1'); return 'b'; }};"
        " return [Array.prototype.toReversed.call(o), log]",
        "[1, 2, 3, 4].toSpliced(1, 2, 'a', 'b', 'c')",
        "[1, 2, 3].toSpliced()",
        "[1, 2, 3].toSpliced(-1)",
        "[1, 2, 3].toSpliced(1)",
        "[1, , 3].toSpliced(0, 0)",
        "[1, 2, 3].toSpliced(NaN, -5, 'x')",
        "[1, 2, 3].toSpliced(Infinity, 1, 'z')",
        "Array.prototype.toSpliced.call({length: 2 ** 53 - 1}, 0, 0, 1)",
        "Array.prototype.toSpliced.call({length: 2 ** 32}, 0, 0)",
        "Array.prototype.toSpliced.call({length: 2 ** 32}, 0, 2 ** 32)",
        "[1, 2, 3].with(1, 'x')",
        "[1, 2, 3].with(-1, 'y')",
        "[1, 2, 3].with(3, 0)",
        "[1, 2, 3].with(-4, 0)",
        "[1, , 3].with(0, 0)",
        "[1, 2].with('1', 5)",
        "[1, 2].with(1.7, 5)",
        "[1, 2].with(NaN, 5)",
        "Array.prototype.with.call({length: 2, 1: 'b'}, 0, 'a')",
        "Array.prototype.with.call(null, 0, 1)",
        "class A extends Array {} var a = A.from([1, 2]);"
        " return [a.toReversed() instanceof A, a.toSorted() instanceof A, a.with(0, 1) instanceof A,"
        " Array.isArray(a.toSpliced()), Object.getPrototypeOf(a.toSpliced()) === Array.prototype]",
        "[Array.prototype.toSorted.length, Array.prototype.toReversed.length, Array.prototype.toSpliced.length,"
        " Array.prototype.with.length]",
        "var a = Object.freeze([2, 1]); return [a.toSorted(), a.with(0, 9), a.toReversed(), a.toSpliced(0, 1)]",
    ],
    "hasOwn": [
        "Object.hasOwn({a: 1}, 'a')",
        "Object.hasOwn({a: 1}, 'toString')",
        "Object.hasOwn([1], 0)",
        "Object.hasOwn('abc', 1)",
        "Object.hasOwn('abc', 'length')",
        "Object.hasOwn(null, 'a')",
        "Object.hasOwn(undefined)",
        "Object.hasOwn(Object.create(null, {x: {value: 1}}), 'x')",
        "var s = Symbol('k'); var o = {}; o[s] = 1; return [Object.hasOwn(o, s), Object.hasOwn(o, 'Symbol(k)')]",
        "Object.hasOwn({a: 1}, {toString: function () { return 'a'; }})",
        "var log = []; try { Object.hasOwn(null, {toString: function () { log.push('key'); return 'a'; }}); }"
        " catch (e) { log.push(e.name); } return log",
        "Object.hasOwn.length",
    ],
    "wellFormed": [
        "['abc'.isWellFormed(), 'a\\ud800'.isWellFormed(), '\\udc00a'.isWellFormed(), '\\ud83d\\ude00'.isWellFormed(),"
        " '\\ude00\\ud83d'.isWellFormed(), ''.isWellFormed()]",
        "['a\\ud800b'.toWellFormed(), '\\udc00\\ud800'.toWellFormed(), '\\ud83d\\ude00x'.toWellFormed(), 'abc'.toWellFormed()]",
        "String.prototype.isWellFormed.call(12)",
        "String.prototype.toWellFormed.call(null)",
        "String.prototype.isWellFormed.call({toString: function () { return '\\ud800'; }})",
        "String.prototype.toWellFormed.call(Object('\\udfff'))",
    ],
    "error cause and AggregateError": [
        "new Error('m', {cause: 0})",
        "'cause' in new Error('m', {})",
        "'cause' in new Error('m', {cause: undefined})",
        "new RangeError('m', {cause: 'c'})",
        "Object.getOwnPropertyDescriptor(new TypeError('x', {cause: 1}), 'cause')",
        "new Error('m', 5).hasOwnProperty('cause')",
        "var n = 0; new URIError('m', {get cause() { n++; return 'x'; }}); return n",
        "new AggregateError([1, 2], 'msg')",
        "new AggregateError(new Set(['a']), undefined, {cause: 'c'})",
        "AggregateError('xy')",
        "new AggregateError(5)",
        "new AggregateError()",
        "[AggregateError.length, AggregateError.name, AggregateError.prototype.name, AggregateError.prototype.message]",
        "[Object.getPrototypeOf(AggregateError) === Error, Object.getPrototypeOf(AggregateError.prototype) === Error.prototype]",
        "String(new AggregateError([], 'boom'))",
        "class E extends AggregateError {} var e = new E([1], 'q'); return [e instanceof AggregateError, e.errors, e.message]",
        "Object.getOwnPropertyDescriptor(new AggregateError([1]), 'errors')",
    ],
    "Symbol.description and well-formed JSON": [
        "[Symbol('x').description, Symbol().description, Symbol('').description, Symbol.for('k').description,"
        " Symbol.iterator.description, Object(Symbol('w')).description]",
        "Object.getOwnPropertyDescriptor(Symbol.prototype, 'description').set",
        "Symbol.prototype.description",
        "[JSON.stringify('\\ud800'), JSON.stringify('\\udead\\ud83d\\ude00'), JSON.stringify({'\\udc00': '\\ud800\\udc00'}),"
        " JSON.stringify(['\\uDBFF', '\\u2028'])]",
    ],
    "WeakRef and FinalizationRegistry": [
        "var o = {}; return new WeakRef(o).deref() === o",
        "Object.prototype.toString.call(new WeakRef({}))",
        "WeakRef({})",
        "new WeakRef(1)",
        "new WeakRef(Symbol.for('r'))",
        "String(new WeakRef(Symbol('ok')).deref())",
        "WeakRef.prototype.deref.call({})",
        "[WeakRef.length, WeakRef.prototype.deref.length, FinalizationRegistry.length,"
        " FinalizationRegistry.prototype.register.length, FinalizationRegistry.prototype.unregister.length]",
        "var r = new FinalizationRegistry(function () {}); var t = {};"
        " return [r.register({}, 1, t), r.register({}, 2, t), r.unregister(t), r.unregister(t), r.register({}, 'held')]",
        "var r = new FinalizationRegistry(function () {}); var t = {}; return r.register(t, t)",
        "new FinalizationRegistry(function () {}).register({}, 1, 5)",
        "new FinalizationRegistry(function () {}).unregister(5)",
        "new FinalizationRegistry()",
        "FinalizationRegistry(function () {})",
        "FinalizationRegistry.prototype.register.call({}, {})",
        "Object.prototype.toString.call(new FinalizationRegistry(function () {}))",
        "class W extends WeakRef { hi() { return 'hi'; } } var o = {}; var w = new W(o); return [w.hi(), w.deref() === o]",
    ],
    "structuredClone": [
        "[structuredClone(-0), structuredClone(NaN), structuredClone('s'), structuredClone(null),"
        " structuredClone(undefined), structuredClone(true)]",
        "structuredClone({b: 1, a: [1, , {c: 2}], 2: 'x', 1: 'y'})",
        "var s = {n: 1}; var o = {x: s, y: s}; o.self = o; var c = structuredClone(o);"
        " return [c.x === c.y, c.self === c, c.x === s, c !== o, c]",
        "structuredClone(new Map([[{k: 1}, new Set([1, -0, NaN])], ['s', [1]]]))",
        "var k = {}; var c = structuredClone([k, new Map([[k, k]]), new Set([k])]); var e = Array.from(c[1])[0];"
        " return [e[0] === c[0], e[1] === c[0], Array.from(c[2])[0] === c[0], c[0] !== k]",
        "structuredClone(new Date(86400000))",
        "structuredClone(new Date(NaN))",
        "var r = /a+/gim; r.lastIndex = 4; r.extra = 1; var c = structuredClone(r); return [c, c !== r]",
        "structuredClone(/x\\/[a-z]/suy)",
        "[structuredClone(new Number(-0)), structuredClone(Object('str')), structuredClone(new Boolean(false))]",
        "structuredClone(Object(Symbol()))",
        "structuredClone(new TypeError('bad', {cause: {deep: [1]}}))",
        "var e = new Error('m'); e.name = 'Custom'; var c = structuredClone(e); return [c, c.constructor === Error]",
        "var e = new Error('m'); e.name = 'SyntaxError'; return structuredClone(e) instanceof SyntaxError",
        "class MyErr extends RangeError {} var c = structuredClone(new MyErr('q')); return [c, c.constructor === RangeError]",
        "var e = new Error('m'); e.extra = 1; return structuredClone(e)",
        "structuredClone(new Error())",
        "var e = new Error('x'); return structuredClone(e).stack === e.stack",
        "class P { constructor() { this.a = 1; } get b() { return 2; } } var c = structuredClone(new P());"
        " return [Object.getPrototypeOf(c) === Object.prototype, c]",
        "var o = Object.defineProperty({get g() { return 7; }, b: 2}, 'h', {value: 1}); o[Symbol('z')] = 1; return structuredClone(o)",
        "var a = [1, , 3]; a.p = 'q'; return structuredClone(a)",
        "structuredClone(new Array(5))",
        "Object.getPrototypeOf(structuredClone(Object.create(null))) === Object.prototype",
        "structuredClone({get a() { delete this.b; return 1; }, b: 2, c: 3})",
        "structuredClone(function f() {})",
        "structuredClone({f: function () {}})",
        "structuredClone(Symbol('s'))",
        "structuredClone(new WeakMap())",
        "structuredClone(new WeakSet())",
        "structuredClone(Promise.resolve(1))",
        "structuredClone((function* () {})())",
        "structuredClone((function () { return arguments; })(1, 2))",
        "structuredClone(new WeakRef({}))",
        "structuredClone(new Proxy({}, {}))",
        "structuredClone([].values())",
        "try { structuredClone(new WeakMap()); } catch (e) {"
        " return [e.name, e.code, e.constructor === DOMException, e instanceof Error, e.message, String(e)]; }",
        "try { structuredClone(Symbol('q')); } catch (e) { return e.message; }",
        "structuredClone(1, {transfer: []})",
        "structuredClone(1, {transfer: [{}]})",
        "structuredClone()",
        "var d = new Date(0); d.extra = 1; var n = new Number(1); n.extra = 2; return [structuredClone(d), structuredClone(n)]",
    ],
    "DOMException": [
        "[new DOMException('m', 'NotFoundError').code, new DOMException('x', 'TypeMismatchError').code,"
        " new DOMException('x', 'ValidationError').code, new DOMException('x', 'Nope').code]",
        "[new DOMException().name, new DOMException().message, new DOMException(undefined, 'X').message]",
        "[DOMException.DATA_CLONE_ERR, DOMException.prototype.INDEX_SIZE_ERR, DOMException.length]",
        "Object.getOwnPropertyDescriptor(DOMException, 'ABORT_ERR')",
        "[Object.prototype.toString.call(new DOMException()), String(new DOMException('a', 'B')),"
        " Object.getPrototypeOf(DOMException.prototype) === Error.prototype, new DOMException() instanceof Error]",
        "DOMException()",
        "Object.keys(new DOMException('x'))",
        "new DOMException('m', 'AbortError')",
        "class D extends DOMException {} var d = new D('m', 'AbortError'); return [d instanceof DOMException, d.code, d.name]",
    ],
    "globalThis": [
        "var names = ['Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Infinity', 'NaN', 'undefined',"
        " 'Boolean', 'String', 'Symbol', 'Date', 'Promise', 'RegExp', 'Error', 'AggregateError', 'EvalError',"
        " 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'globalThis', 'JSON', 'Math',"
        " 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Reflect', 'FinalizationRegistry', 'WeakRef', 'decodeURI',"
        " 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape', 'isFinite', 'isNaN',"
        " 'console', 'structuredClone'];"
        " return names.map(function (n) { var d = Object.getOwnPropertyDescriptor(globalThis, n);"
        " return n + ':' + (d ? [typeof d.value, d.writable, d.enumerable, d.configurable].join() : 'missing'); })",
        "[globalThis.globalThis === globalThis, typeof globalThis.DOMException, (function () { return this; })() === globalThis]",
        "var ok = []; [Object, Array, Map, Set, WeakRef, AggregateError, Promise, Symbol, JSON, Math, Reflect]"
        ".forEach(function (v) { ok.push(Object.keys(globalThis).indexOf(v.name) < 0); }); return ok",
    ],
}


test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, {
    "[3, undefined, 1, , 10, 2].toSorted()": "Array/Array{1, 10, 2, 3, undefined, undefined}",
    "Object.hasOwn('abc', 1)": "true",
    "'a\\ud800b'.toWellFormed()": '"a\\ufffdb"',
    "structuredClone(new WeakMap())": "throws DataCloneError",
}, DEEP_RENDER)


def test_structured_clone_takes_one_argument() -> None:
    # WebIDL: one required argument (Node 20 reports 0; browsers and the spec 1).
    assert run_js("[structuredClone.length, structuredClone.name]") == [1, "structuredClone"]


# -- spec tables (node 20 lacks these) ----------------------------------------------------------

GROUP_BY = [
    # Object.groupBy (ES2024 20.1.2.12): null prototype, property-key coercion, first-seen order.
    ("var g = Object.groupBy([1, 2, 3, 4, 5], function (x) { return x % 2 ? 'odd' : 'even'; });"
     " return [Object.getPrototypeOf(g), Object.keys(g), g.odd, g.even]",
     [None, ["odd", "even"], [1, 3, 5], [2, 4]]),
    ("var g = Object.groupBy(['b', 'a', 'c'], function (x, i) { return i === 2 ? 1 : '1'; }); return [Object.keys(g), g[1]]",
     [["1"], ["b", "a", "c"]]),
    ("var g = Object.groupBy([1, 2, 3], function (x) { return x === 3 ? 0 : 'z' + x; }); return Object.keys(g)",
     ["0", "z1", "z2"]),
    ("var s = Symbol('s'); var g = Object.groupBy([1], function () { return s; }); return g[s]", [1]),
    ("Object.keys(Object.groupBy('a😀a', function (c) { return c; }))", ["a", "😀"]),
    ("var g = Object.groupBy(new Set([1, 2]), function (x) { return -0; }); return Object.keys(g)", ["0"]),
    ("Object.groupBy([1], 5)", Throws("TypeError")),
    ("Object.groupBy(null, function () {})", Throws("TypeError")),
    ("Object.groupBy({length: 1, 0: 1}, function () {})", Throws("TypeError")),
    ("var closed = 0; var it = {next: function () { return {value: 1, done: false}; }, return: function () { closed++; return {}; }};"
     " var o = {}; o[Symbol.iterator] = function () { return it; };"
     " try { Object.groupBy(o, function () { throw new RangeError('x'); }); } catch (e) { return [e.name, closed]; }",
     ["RangeError", 1]),
    ("var log = []; Object.groupBy([5, 6], function (v, i) { log.push(v, i, this === undefined || this === globalThis); return 'k'; });"
     " return log", [5, 0, True, 6, 1, True]),
    ("[Object.groupBy.length, Map.groupBy.length]", [2, 2]),
    # Map.groupBy (ES2024 24.1.2.1): SameValueZero keys (-0 is +0, NaN groups), keys kept as they are.
    ("var m = Map.groupBy([0, -0, NaN, NaN, '0', 1], function (x) { return x; });"
     " return [m instanceof Map, m.size, Array.from(m.keys()).map(String), 1 / Array.from(m.keys())[0], m.get(NaN)]",
     [True, 4, ["0", "NaN", "0", "1"], None, [None, None]]),
    ("var k1 = {}; var m = Map.groupBy([1, 2, 3], function (x) { return x < 3 ? k1 : {}; }); return [m.size, m.get(k1)]",
     [2, [1, 2]]),
    ("Map.groupBy([1], null)", Throws("TypeError")),
]

PROMISE_STATICS = [
    # Promise.withResolvers (ES2025 27.2.4.9)
    ("var r = Promise.withResolvers(); return [Object.keys(r), r.promise instanceof Promise, typeof r.resolve,"
     " typeof r.reject, r.resolve.length]", [["promise", "resolve", "reject"], True, "function", "function", 1]),
    ("Promise.withResolvers.call(undefined)", Throws("TypeError")),
    ("Promise.withResolvers.call(function () {})", Throws("TypeError")),
    ("var seen; function P(ex) { ex(function () {}, function () {}); seen = true; } var r = Promise.withResolvers.call(P);"
     " return [seen, r.promise instanceof P]", [True, True]),
    # Promise.try (ES2025 27.2.4.8): synchronous call, a throw becomes a rejection.
    ("var ran = false; var p = Promise.try(function () { ran = true; }); return [ran, p instanceof Promise]", [True, True]),
    ("Promise.try.call(1, function () {})", Throws("TypeError")),
    ("[Promise.try.length, Promise.withResolvers.length]", [1, 0]),
]


def test_group_by() -> None:
    check_cases(GROUP_BY)


def test_promise_statics_sync_parts() -> None:
    check_cases(PROMISE_STATICS)


def test_promise_statics_settle_in_order() -> None:
    log = run_js("""
        var log = [];
        var r = Promise.withResolvers();
        r.promise.then(function (v) { log.push('wr ' + v); });
        r.resolve(5); r.resolve(6); r.reject(7);
        var r2 = Promise.withResolvers();
        r2.promise.catch(function (e) { log.push('wr-rejected ' + e); });
        r2.reject('no');
        Promise.try(function (a, b) { return a + b; }, 1, 2).then(function (v) { log.push('try ' + v); });
        Promise.try(function () { throw new RangeError('boom'); }).catch(function (e) { log.push('caught ' + e.name); });
        Promise.try(5).catch(function (e) { log.push('not callable ' + e.name); });
        Promise.try(function () { return Promise.resolve('inner'); }).then(function (v) { log.push('adopted ' + v); });
        Promise.any([Promise.reject(1), Promise.reject(2)]).catch(function (e) {
          log.push([e instanceof AggregateError, e.constructor === AggregateError, e.name, e.errors.join()].join());
        });
        log.push('sync');
        await null; await null; await null; await null;
        log
    """)
    assert log == ["sync", "wr 5", "wr-rejected no", "try 3", "caught RangeError", "not callable TypeError",
                   "true,true,AggregateError,1,2", "adopted inner"]


def test_array_from_async() -> None:
    """Array.fromAsync (ES2026 23.1.2.2): async and sync iterables, array-likes, mapping, closing."""
    out = run_js("""
        var results = [];
        function asyncIterable(values, log) {
          var o = {};
          o[Symbol.asyncIterator] = function () {
            var i = 0;
            return {
              next: function () { log.push('next'); return Promise.resolve({value: values[i], done: i++ >= values.length}); },
              return: function () { log.push('return'); return Promise.resolve({done: true}); }
            };
          };
          return o;
        }
        var log1 = [];
        results.push(await Array.fromAsync(asyncIterable([1, 2], log1)));
        results.push(log1);
        results.push(await Array.fromAsync([Promise.resolve('a'), 'b', Promise.resolve('c')]));
        results.push(await Array.fromAsync({length: 3, 0: Promise.resolve(0), 2: 2}));
        results.push(await Array.fromAsync(new Set([1, 2]), function (x, i) { return Promise.resolve(x * 10 + i); }));
        results.push(await Array.fromAsync('h😀'));
        var log2 = [];
        try { await Array.fromAsync(asyncIterable([1, 2, 3], log2), function (x) { if (x === 2) throw new RangeError('m'); return x; }); }
        catch (e) { results.push(e.name); }
        results.push(log2);
        var closed = [];
        function* gen() { try { yield 1; yield Promise.reject(new URIError('r')); yield 3; } finally { closed.push('gen closed'); } }
        try { await Array.fromAsync(gen()); } catch (e) { results.push(e.name); }
        results.push(closed);
        var p = Array.fromAsync([1], 5);
        results.push(p instanceof Promise);
        try { await p; } catch (e) { results.push('mapfn ' + e.name); }
        try { await Array.fromAsync(null); } catch (e) { results.push('null ' + e.name); }
        function C() { this.made = true; }
        var c = await Array.fromAsync.call(C, [7, 8]);
        results.push([c instanceof C, c.made, c.length, c[0], c[1]]);
        var d = await Array.fromAsync.call(C, {length: 1, 0: 'x'});
        results.push([d instanceof C, d.length, d[0]]);
        results.push([Array.fromAsync.length, (await Array.fromAsync([])).length]);
        var order = [];
        Array.fromAsync([1]).then(function () { order.push('fromAsync'); });
        order.push('sync');
        results.push(order.slice());
        await null; await null; await null; await null;
        results.push(order);
        results
    """)
    assert out == [
        [1, 2], ["next", "next", "next"], ["a", "b", "c"], [0, None, 2], [10, 21], ["h", "😀"],
        "RangeError", ["next", "next", "return"], "URIError", ["gen closed"],
        True, "mapfn TypeError", "null TypeError",
        [True, True, 2, 7, 8], [True, 1, "x"], [1, 0], ["sync"], ["sync", "fromAsync"],
    ]


SET_METHODS = [
    # ES2025 24.2.4: results are new plain Sets in the order the spec builds them.
    ("function a(s) { return Array.from(s); } var x = new Set([1, 2, 3]), y = new Set([3, 4, 1]);"
     " return [a(x.union(y)), a(x.intersection(y)), a(x.difference(y)), a(x.symmetricDifference(y))]",
     [[1, 2, 3, 4], [1, 3], [2], [2, 4]]),
    ("var x = new Set([1, 2, 3]); return [x.isSubsetOf(new Set([1, 2, 3, 4])), x.isSubsetOf(new Set([1, 2])),"
     " x.isSupersetOf(new Set([1])), x.isSupersetOf(new Set([1, 9])), x.isDisjointFrom(new Set([4])),"
     " x.isDisjointFrom(new Set([4, 3]))]", [True, False, True, False, True, False]),
    # intersection when this is larger: the other's keys order.
    ("Array.from(new Set([1, 2, 3, 4]).intersection(new Set([4, 2])))", [4, 2]),
    ("Array.from(new Set([1, 2]).intersection(new Set([2, 1, 5])))", [1, 2]),
    # -0 from keys() is canonicalised to +0.
    ("var u = new Set([1]).union({size: 1, has: function () { return false; },"
     " keys: function () { return [-0][Symbol.iterator](); }}); return 1 / Array.from(u)[1]", None),
    ("var s = new Set([NaN]); return [s.isSubsetOf(new Set([NaN])), s.union(new Set([NaN])).size]", [True, 1]),
    # Set-likes: a Map is one (size, has, keys).
    ("Array.from(new Set(['a', 'z']).intersection(new Map([['a', 1], ['b', 2]])))", ["a"]),
    ("new Set([1]).isSubsetOf(new Map([[1, 'x']]))", True),
    # Which of has/keys is used depends on the sizes (observable).
    ("var log = []; var like = {size: 10, has: function (v) { log.push('has ' + v); return v === 2; },"
     " keys: function () { log.push('keys'); return [].values(); }};"
     " var r = Array.from(new Set([1, 2]).intersection(like)); return [r, log]", [[2], ["has 1", "has 2"]]),
    ("var log = []; var like = {size: 1, has: function (v) { log.push('has'); return true; },"
     " keys: function () { log.push('keys'); return [2, 9][Symbol.iterator](); }};"
     " var r = Array.from(new Set([1, 2]).intersection(like)); return [r, log]", [[2], ["keys"]]),
    ("var log = []; var like = {size: 5, has: function (v) { log.push(v); return false; }, keys: function () {}};"
     " return [Array.from(new Set([1, 2]).difference(like)), log]", [[1, 2], [1, 2]]),
    ("var like = {size: 1, has: function () {}, keys: function () { return ['b', 'z'].values(); }};"
     " return Array.from(new Set(['a', 'b', 'c']).difference(like))", ["a", "c"]),
    # GetSetRecord: order of reads and the checks.
    ("var log = []; var like = {get size() { log.push('size'); return 1; }, get has() { log.push('has'); return function () {}; },"
     " get keys() { log.push('keys'); return function () { return [].values(); }; }}; new Set().union(like); return log",
     ["size", "has", "keys"]),
    ("new Set().union({size: undefined, has: function () {}, keys: function () {}})", Throws("TypeError")),
    ("new Set().union({size: '2', has: function () {}, keys: function () { return [].values(); }}).size", 0),
    ("new Set().union({size: -1, has: function () {}, keys: function () {}})", Throws("RangeError")),
    ("new Set().union({size: 1, has: 1, keys: function () {}})", Throws("TypeError")),
    ("new Set().union({size: 1, has: function () {}, keys: 'k'})", Throws("TypeError")),
    ("new Set().union([1, 2])", Throws("TypeError")),
    ("new Set().union(5)", Throws("TypeError")),
    ("Set.prototype.union.call(new Map(), new Set())", Throws("TypeError")),
    ("new Set([1]).union({size: 1, has: function () {}, keys: function () { return 5; }})", Throws("TypeError")),
    ("new Set([1]).union({size: 1, has: function () {}, keys: function () { return {next: function () { return 1; }}; }})",
     Throws("TypeError")),
    # isSupersetOf / isDisjointFrom close the keys iterator when they stop early.
    ("var closed = 0; var like = {size: 2, has: function () {}, keys: function () {"
     " var i = 0; return {next: function () { return {value: [1, 5][i++], done: i > 2}; },"
     " return: function () { closed++; return {}; }}; }};"
     " return [new Set([1, 2, 3]).isSupersetOf(like), closed, new Set([5, 6, 7]).isDisjointFrom(like), closed,"
     " new Set([6, 7, 8]).isDisjointFrom(like), closed]",
     [False, 1, False, 2, True, 2]),
    ("var closed = 0; var like = {size: 1, has: function () {}, keys: function () {"
     " return {next: function () { return {value: 2, done: false}; }, return: function () { closed++; return {}; }}; }};"
     " return [new Set([1, 2, 3]).isDisjointFrom(like), closed]", [False, 1]),
    # this smaller than other: isSubsetOf walks this, seeing elements added by has().
    ("var s = new Set([1]); var like = {size: 9, has: function (v) { if (v < 3) s.add(v + 1); return true; },"
     " keys: function () {}}; return [s.isSubsetOf(like), Array.from(s)]", [True, [1, 2, 3]]),
    ("new Set([1, 2]).isSubsetOf(new Set([1]))", False),
    # Results are plain Sets even for subclasses (no @@species).
    ("class S extends Set {} var s = new S([1]); return [s.union(new Set()) instanceof S,"
     " Object.getPrototypeOf(s.difference(new Set())) === Set.prototype]", [False, True]),
    ("[Set.prototype.union.length, Set.prototype.isDisjointFrom.length, Set.prototype.symmetricDifference.name]",
     [1, 1, "symmetricDifference"]),
    ("var x = new Set([1, 2]); var y = x.union(new Set()); y.add(3); return [x.size, y.size, x === y]", [2, 3, False]),
    # symmetricDifference: an element in both is dropped; duplicates from keys() appear once.
    ("var like = {size: 3, has: function () {}, keys: function () { return [2, 4, 4][Symbol.iterator](); }};"
     " return Array.from(new Set([1, 2]).symmetricDifference(like))", [1, 4]),
]


def test_set_methods() -> None:
    check_cases(SET_METHODS)


ITERATOR_HELPERS = [
    ("typeof Iterator", "function"),
    ("[Object.getPrototypeOf([].values()), Object.getPrototypeOf(new Map().keys()), Object.getPrototypeOf(new Set().values()),"
     " Object.getPrototypeOf(''[Symbol.iterator]()), Object.getPrototypeOf('a'.matchAll(/a/g))]"
     ".map(function (p) { return Object.getPrototypeOf(p) === Iterator.prototype; })", [True] * 5),
    ("function* g() {} return Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf(g()))) === Iterator.prototype",
     True),
    ("new Iterator()", Throws("TypeError")),
    ("Iterator()", Throws("TypeError")),
    ("class I extends Iterator { next() { return {done: true}; } } var i = new I();"
     " return [i instanceof Iterator, i.toArray(), typeof i.map]", [True, [], "function"]),
    ("var d = Object.getOwnPropertyDescriptor(Iterator, 'prototype'); return [d.writable, d.enumerable, d.configurable]",
     [False, False, False]),
    ("[Iterator.prototype[Symbol.toStringTag], Iterator.prototype.constructor === Iterator, Iterator.from.length, Iterator.length]",
     ["Iterator", True, 1, 0]),
    # 27.1.4.1 / 27.1.4.14: the accessors ignore writes to Iterator.prototype but define on instances.
    ("var o = Object.create(Iterator.prototype); o.constructor = 5; o[Symbol.toStringTag] = 'T';"
     " return [Object.hasOwn(o, 'constructor'), o.constructor, Object.prototype.toString.call(o)]", [True, 5, "[object T]"]),
    ("Iterator.prototype.constructor = 1", Throws("TypeError")),
    # Iterator.from (27.1.3.2.1)
    ("var it = [1, 2].values(); return Iterator.from(it) === it", True),
    ("Iterator.from('a😀').toArray()", ["a", "😀"]),
    ("var plain = {i: 0, next: function () { return {value: this.i++, done: this.i > 3}; }};"
     " var w = Iterator.from(plain); return [w !== plain, w instanceof Iterator, w.toArray(), w.next().done]",
     [True, True, [0, 1, 2], True]),
    ("var o = {next: function () {}}; return Iterator.from(o).return()", {"done": True}),
    ("var calls = 0; var o = {next: function () {}, return: function () { calls++; return {done: true, value: 'r'}; }};"
     " return [Iterator.from(o).return().value, calls]", ["r", 1]),
    ("Iterator.from(5)", Throws("TypeError")),
    ("Iterator.from({}).next()", Throws("TypeError")),
    ("var it = {}; it[Symbol.iterator] = function () { return 1; }; return Iterator.from(it)", Throws("TypeError")),
    # map / filter / take / drop / flatMap: lazy, with a counter argument.
    ("var log = []; var it = [1, 2, 3].values().map(function (x, i) { log.push(i); return x * 2; });"
     " log.push('made'); return [it.next().value, log.slice(), it.toArray(), log]", [2, ["made", 0], [4, 6], ["made", 0, 1, 2]]),
    ("[1, 2, 3, 4].values().filter(function (x, i) { return x % 2 === 0 || i === 0; }).toArray()", [1, 2, 4]),
    ("[1, 2, 3].values().take(2).toArray()", [1, 2]),
    ("[1, 2, 3].values().take(0).toArray()", []),
    ("[1, 2, 3].values().take(Infinity).toArray()", [1, 2, 3]),
    ("[1, 2, 3].values().take(1.9).toArray()", [1]),
    ("[1, 2, 3].values().drop(1).toArray()", [2, 3]),
    ("[1, 2, 3].values().drop(Infinity).toArray()", []),
    ("[1, 2, 3].values().drop('2').toArray()", [3]),
    ("[1, 2].values().flatMap(function (x) { return [x, x * 10]; }).toArray()", [1, 10, 2, 20]),
    ("[1].values().flatMap(function () { return new Set(['s']).values(); }).toArray()", ["s"]),
    ("[1].values().flatMap(function () { return {next: function () { return {done: true}; }}; }).toArray()", []),
    ("[1].values().flatMap(function () { return 'ab'; }).toArray()", Throws("TypeError")),
    ("[1].values().flatMap(function () { return 5; }).next()", Throws("TypeError")),
    ("[1].values().take(-1)", Throws("RangeError")),
    ("[1].values().take(NaN)", Throws("RangeError")),
    ("[1].values().drop(-0.5).toArray()", [1]),
    ("[1].values().map()", Throws("TypeError")),
    ("[1].values().filter({})", Throws("TypeError")),
    ("Iterator.prototype.map.call(5, function () {})", Throws("TypeError")),
    # reduce / toArray / forEach / some / every / find
    ("[1, 2, 3].values().reduce(function (a, b, i) { return a + b * i; })", 1 + 2 * 1 + 3 * 2),
    ("[1, 2, 3].values().reduce(function (a, b, i) { return a + b * i; }, 10)", 10 + 0 + 2 + 6),
    ("[].values().reduce(function () {})", Throws("TypeError")),
    ("[].values().reduce(function () {}, 'init')", "init"),
    ("var seen = []; [5, 6].values().forEach(function (v, i) { seen.push(v, i); }); return seen", [5, 0, 6, 1]),
    ("[[1, 2].values().some(function (x) { return x > 1; }), [1, 2].values().every(function (x) { return x > 1; }),"
     " [1, 2, 3].values().find(function (x, i) { return i === 1; }), [1].values().find(function () { return false; })]",
     [True, False, 2, None]),
    ("[Iterator.prototype.map.length, Iterator.prototype.reduce.length, Iterator.prototype.toArray.length,"
     " Iterator.prototype.flatMap.name]", [1, 1, 0, "flatMap"]),
    # Iterator Helper objects (27.1.2.1)
    ("var h = [1].values().map(function (x) { return x; }); return [Object.prototype.toString.call(h),"
     " typeof h.next, typeof h.return, Object.getPrototypeOf(Object.getPrototypeOf(h)) === Iterator.prototype,"
     " h[Symbol.iterator]() === h]", ["[object Iterator Helper]", "function", "function", True, True]),
    ("var h = [1, 2].values().map(function (x) { return x; }); return [h.next(), h.next(), h.next(), h.next()]",
     [{"value": 1, "done": False}, {"value": 2, "done": False}, {"done": True}, {"done": True}]),
    ("var h; h = [1].values().map(function () { return h.next(); }); return h.next()", Throws("TypeError")),
    ("Object.getPrototypeOf([].values().map(function () {})).next.call({})", Throws("TypeError")),
]

#: A generator that logs when it is closed (return() runs its finally block).
CLOSE_PRELUDE = """
var log = [];
function* g(n) { try { for (var i = 1; i <= n; i++) yield i; } finally { log.push('closed'); } }
function counted(values) {
  var i = 0;
  return {next: function () { return {value: values[i], done: i++ >= values.length}; },
          return: function () { log.push('return'); return {}; }, __proto__: Iterator.prototype};
}
"""

ITERATOR_CLOSING = [
    # take closes the underlying iterator once the limit is reached (27.1.4.11 step 8.b.i).
    ("var r = g(5).take(2).toArray(); return [r, log]", [[1, 2], ["closed"]]),
    ("var r = g(2).take(5).toArray(); return [r, log]", [[1, 2], ["closed"]]),
    # return() on a helper closes the underlying iterator, before or after it started.
    ("var h = g(3).map(function (x) { return x; }); h.next(); var r = h.return(); return [r, log, h.next()]",
     [{"done": True}, ["closed"], {"done": True}]),
    ("var c = counted([1]); var h = c.filter(function () { return true; }); return [h.return(), log, h.next()]",
     [{"done": True}, ["return"], {"done": True}]),
    # a throwing callback closes the underlying iterator (IfAbruptCloseIterator)...
    ("try { g(3).map(function () { throw new URIError('x'); }).next(); } catch (e) { return [e.name, log]; }",
     ["URIError", ["closed"]]),
    ("try { g(3).forEach(function (x) { if (x === 2) throw 7; }); } catch (e) { return [e, log]; }", [7, ["closed"]]),
    ("try { g(3).reduce(function () { throw 8; }, 0); } catch (e) { return [e, log]; }", [8, ["closed"]]),
    # ...and so does an invalid argument (ES2025: validated after closing).
    ("try { counted([1]).map(5); } catch (e) { return [e.name, log]; }", ["TypeError", ["return"]]),
    ("try { counted([1]).take(-1); } catch (e) { return [e.name, log]; }", ["RangeError", ["return"]]),
    ("try { counted([1]).drop(NaN); } catch (e) { return [e.name, log]; }", ["RangeError", ["return"]]),
    ("try { counted([1]).reduce(); } catch (e) { return [e.name, log]; }", ["TypeError", ["return"]]),
    # an error from the underlying next() does not close it.
    ("var bad = {next: function () { throw 9; }, return: function () { log.push('return'); return {}; },"
     " __proto__: Iterator.prototype}; try { bad.map(function (x) { return x; }).next(); } catch (e) { return [e, log]; }",
     [9, []]),
    # some/every/find close when they stop early, not when exhausted.
    ("var r = [g(5).some(function (x) { return x === 2; }), log.length, g(2).some(function () { return false; }), log.length]; return r",
     [True, 1, False, 2]),
    ("var r = [g(5).every(function (x) { return x < 2; }), log.slice(), counted([1, 2]).find(function (x) { return x === 1; }), log];"
     " return r", [False, ["closed"], 1, ["closed", "return"]]),
    ("var r = counted([1, 2]).find(function () { return false; }); return [r, log]", [None, []]),
    # flatMap closing: return() closes the inner iterator, then the outer one.
    ("var h = g(2).flatMap(function (x) { return counted([x, x]); }); h.next(); h.return(); return log",
     ["return", "closed"]),
    # drop/filter/flatMap consumed partially by for-of with break close everything.
    ("for (var x of g(5).drop(1).filter(function () { return true; })) { if (x === 3) break; } return log", ["closed"]),
    # a helper over a helper: return() propagates down the chain.
    ("var h = g(5).map(function (x) { return x; }).take(3); h.next(); h.return(); return log", ["closed"]),
    # the helper is running while its callback runs: re-entrant next() is a TypeError.
    ("var h = g(3).map(function () { return h.return(); }); try { h.next(); } catch (e) { return [e.name, log]; }",
     ["TypeError", ["closed"]]),
]


def test_iterator_helpers() -> None:
    check_cases(ITERATOR_HELPERS)


def test_iterator_helper_closing() -> None:
    check_cases(ITERATOR_CLOSING, prelude=CLOSE_PRELUDE, before_each="log = [];")


HOSTILE = [
    # Huge array-likes are refused before anything is allocated or read (ArrayCreate's RangeError).
    ("Array.prototype.toReversed.call({length: 2 ** 40})", Throws("RangeError")),
    ("Array.prototype.toSorted.call({length: 2 ** 40})", Throws("RangeError")),
    ("Array.prototype.with.call({length: 2 ** 40}, 0, 1)", Throws("RangeError")),
    ("var read = 0; var o = {length: 2 ** 32, get 0() { read++; }}; try { Array.prototype.toSpliced.call(o, 0, 0); }"
     " catch (e) { return [e.name, read]; }", ["RangeError", 0]),
    # A structure deeper than the stack: a catchable RangeError, not a host crash.
    ("var a = []; var cur = a; for (var i = 0; i < 30000; i++) { var n = []; cur.push(n); cur = n; }"
     " try { structuredClone(a); } catch (e) { return e.name; }", "RangeError"),
    # Guest code re-entering a Set method from its set-like's callbacks.
    # (the walk sees additions, as the spec's re-read thisSize does, and skips deletions).
    ("var s = new Set([1, 2, 3]); var like = {size: 9, has: function (v) { s.delete(v + 1); if (v < 20) s.add(v + 10);"
     " return true; }, keys: function () {}}; var r = s.intersection(like); return [Array.from(r), Array.from(s)]",
     [[1, 3, 11, 13, 21, 23], [1, 3, 11, 13, 21, 23]]),
]


def test_hostile_inputs() -> None:
    check_cases(HOSTILE)


def test_step_budget_bounds_unending_walks() -> None:
    """Walks that guest code keeps feeding end with the step limit (not catchable), not a hung host."""
    tiny = Limits(max_steps=20_000)
    for src in [
        "var s = new Set([1]); s.isSubsetOf({size: 9, has: function (v) { s.add(v + 1); return true; }, keys: function () {}})",
        "function* n() { var i = 0; while (true) yield i++; } n().map(function (x) { return x; }).toArray()",
        "function* n() { while (true) yield 1; } n().drop(Infinity).next()",
        "Iterator.from({next: function () { return {value: 1, done: false}; }}).reduce(function (a) { return a; })",
        "function* n() { while (true) yield 1; } try { Math.sumPrecise(n()); } catch (e) {}",
        "function* n() { while (true) yield 1; } Map.groupBy(n(), function (x) { return x; })",
        "new Set().union({size: 1, has: function () {}, keys: function () { return {next: function () { return {}; }}; }})",
    ]:
        err = js_error(src, tiny)
        assert err.code == "limit_exceeded", src


def test_from_async_refuses_huge_array_likes() -> None:
    assert run_js("""
        var out = [];
        Array.fromAsync.call(Math.max, {length: 2 ** 40}).catch(function (e) { out.push(e.name); });
        Array.fromAsync({length: 2 ** 40}).catch(function (e) { out.push(e.name); });
        await null; await null;
        out
    """) == ["RangeError", "RangeError"]


# -- Math.sumPrecise and Math.f16round -----------------------------------------------------------


MATH_CASES = [
    # Math.sumPrecise (ES2026 21.3.2.34): one rounding, -0 only for an all -0 (or empty) input.
    ("String(Math.sumPrecise([1e20, 0.1, -1e20]))", "0.1"),
    ("String(Math.sumPrecise([0.1, 0.2]))", "0.30000000000000004"),
    ("String(Math.sumPrecise([0.1, 0.2, 0.3]))", "0.6"),
    ("1 / Math.sumPrecise([]) === -Infinity", True),
    ("1 / Math.sumPrecise([-0, -0]) === -Infinity", True),
    ("1 / Math.sumPrecise([-0, 0]) === Infinity", True),
    ("1 / Math.sumPrecise([1, -1]) === Infinity", True),
    ("String(Math.sumPrecise([1e308, 1e308, -1e308]))", "1e+308"),
    ("String(Math.sumPrecise([1e308, 1e308]))", "Infinity"),
    ("String(Math.sumPrecise([-1e308, -1e308]))", "-Infinity"),
    ("String(Math.sumPrecise([Number.MAX_VALUE, 2 ** 970]))", "Infinity"),
    ("Math.sumPrecise([Number.MAX_VALUE, 2 ** 969]) === Number.MAX_VALUE", True),
    ("String(Math.sumPrecise([Infinity, -Infinity]))", "NaN"),
    ("String(Math.sumPrecise([-Infinity, 1, -Infinity]))", "-Infinity"),
    ("String(Math.sumPrecise([NaN, Infinity]))", "NaN"),
    ("String(Math.sumPrecise([Infinity, 1e308, 1e308]))", "Infinity"),
    ("Math.sumPrecise([2 ** 53, 1, 1]) === 2 ** 53 + 2", True),
    ("Math.sumPrecise(new Set([1, 2, 3]))", 6),
    ("Math.sumPrecise([5e-324, 5e-324])", 1e-323),
    ("Math.sumPrecise(['1'])", Throws("TypeError")),
    ("Math.sumPrecise([new Number(1)])", Throws("TypeError")),
    ("Math.sumPrecise(5)", Throws("TypeError")),
    ("Math.sumPrecise()", Throws("TypeError")),
    ("var closed = 0; var it = {next: function () { return {value: 'x', done: false}; },"
     " return: function () { closed++; throw new Error('ignored'); }}; var o = {}; o[Symbol.iterator] = function () { return it; };"
     " try { Math.sumPrecise(o); } catch (e) { return [e.name, closed]; }", ["TypeError", 1]),
    ("Math.sumPrecise.length", 1),
    # Math.f16round (ES2025 21.3.2.17): nearest binary16, ties to even.
    ("[Math.f16round(1.337), Math.f16round(5.5), Math.f16round(5.05), Math.f16round(65504), Math.f16round(65519.99)]",
     [1.3369140625, 5.5, 5.05078125, 65504, 65504]),
    ("[String(Math.f16round(65520)), String(Math.f16round(-1e6)), String(Math.f16round(NaN)), String(Math.f16round(Infinity))]",
     ["Infinity", "-Infinity", "NaN", "Infinity"]),
    ("[Math.f16round(2 ** -24), Math.f16round(2 ** -25), Math.f16round(2 ** -25 + 2 ** -40), Math.f16round(3 * 2 ** -25)]",
     [2 ** -24, 0, 2 ** -24, 2 ** -23]),
    ("[1 / Math.f16round(-1e-9), 1 / Math.f16round(-0)].map(String)", ["-Infinity", "-Infinity"]),
    ("[Math.f16round('2.5'), Math.f16round(), Math.f16round.length]", [2.5, None, 1]),
    ("Math.f16round(1 + 2 ** -11)", 1),
    ("Math.f16round(1 + 3 * 2 ** -11)", 1 + 2 ** -9),
]


def test_math_additions() -> None:
    check_cases(MATH_CASES)


def test_sum_precise_is_exact() -> None:
    """Random sums (cancellation, mixed magnitudes) equal the exact rational sum rounded once."""
    rng = random.Random(20250)
    lists = []
    for _ in range(60):
        n = rng.randint(1, 30)
        lists.append([rng.choice([1, -1]) * rng.random() * 10.0 ** rng.randint(-30, 30) for _ in range(n)]
                     + [rng.choice([1e16, -1e16, 1.0, 3.3e-17])])
    script = "[" + ",".join("String(Math.sumPrecise([" + ",".join(repr(x) for x in xs) + "]))" for xs in lists) + "]"
    got = run_js(script)
    want = [float(sum(Fraction(x) for x in xs)) for xs in lists]
    assert [float(g) for g in got] == want


# -- globalThis is complete ---------------------------------------------------------------------


def test_every_constructor_is_a_global() -> None:
    """Every intrinsic constructor and namespace object the realm registers is reachable from globalThis."""
    rt = Runtime()
    install_everything(rt)  # the web platform's groups too, not only those installed with the realm
    global_keys = set(rt.global_object.own_keys())
    constructors = [name for name, value in rt.intrinsics.items()
                    if isinstance(value, JSFunction) and "." not in name and value.get_own_property("prototype")]
    assert {"Iterator", "AggregateError", "WeakRef", "FinalizationRegistry", "DOMException"} <= set(constructors)
    # The function kinds' constructors are intrinsics only (ES2025 27.3.1, 27.4.1, 27.7.1: not globals).
    hidden = {"GeneratorFunction", "AsyncGeneratorFunction", "AsyncFunction"}
    assert hidden <= set(constructors) and not hidden & global_keys
    assert [name for name in constructors if name not in global_keys | hidden] == []
    assert run_js("""
        ['Iterator', 'AggregateError', 'WeakRef', 'FinalizationRegistry', 'DOMException', 'structuredClone',
         'Map', 'Set', 'Promise', 'Math', 'JSON', 'Reflect', 'console'].filter(function (n) {
           return !(n in globalThis) || globalThis[n] === undefined;
        })
    """) == []


# -- durable: helpers and Set results suspended across a fetch -------------------------------------

DURABLE = """
function* numbers() { let i = 0; while (true) yield i++; }
const odd = Iterator.from(numbers()).map(x => x * 2 + 1).filter(x => x % 3 !== 0);
const tags = new Set(['a', 'b']).union(new Set(['c'])).difference(new Set(['b']));
const fetched = [];
let step = odd.next();
while (fetched.length < 2) {
  const res = await fetch('https://api.example.com/n/' + step.value);
  fetched.push((await res.json()).v);
  tags.add('t' + step.value);
  step = odd.next();
}
const later = odd.take(2).toArray();
const chunks = [1, 2, 3].values().flatMap(x => [x, -x]);
chunks.next();
await fetch('https://api.example.com/last');
return { fetched, later, tags: [...tags], rest: chunks.toArray(),
         sum: Math.sumPrecise([0.1, 0.2, 0.3]), grouped: Object.groupBy(later, x => x % 5 === 0 ? 'five' : 'other') };
"""


def test_iterator_helpers_and_set_methods_survive_cold_resume(tmp_path: Path) -> None:
    storage_dir = tmp_path / "tasks"
    task = create_flow(storage=FileStorage(storage_dir)).execute(DURABLE, id="helpers")
    assert task.status == "paused" and task.fetch_request is not None
    assert task.fetch_request.url == "https://api.example.com/n/1"
    task = create_flow(storage=FileStorage(storage_dir)).resume("helpers", fetch_response={"data": {"v": "one"}})
    assert task.status == "paused" and task.fetch_request is not None
    assert task.fetch_request.url == "https://api.example.com/n/5"
    task = create_flow(storage=FileStorage(storage_dir)).resume("helpers", fetch_response={"data": {"v": "five"}})
    assert task.status == "paused" and task.fetch_request is not None
    assert task.fetch_request.url == "https://api.example.com/last"
    task = create_flow(storage=FileStorage(storage_dir)).resume("helpers", fetch_response={"data": {}})
    assert task.status == "completed", task.error
    assert task.result == {
        "fetched": ["one", "five"], "later": [11, 13], "tags": ["a", "c", "t1", "t5"],
        "rest": [-1, 2, -2, 3, -3], "sum": 0.6, "grouped": {"other": [11, 13]},
    }

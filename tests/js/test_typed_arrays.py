"""ArrayBuffer, DataView, the typed arrays and Uint8Array base64/hex.

Node 20 is the oracle (run live) for everything it implements; ES2024+ parts
it lacks (``transfer``/``detached``, base64/hex, ``getFloat16``) are checked
against values worked out from the spec text.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from node_oracle import assert_renders, oracle_tests
from jsrun import js_error, run_js
from seqflow_runtime import FileStorage, Limits, create_flow
from seqflow_runtime.js.binary import bytes_of, make_array_buffer, make_uint8_array
from seqflow_runtime.js.runtime import Runtime

ORACLE: dict[str, list[str]] = {
    "array-buffer": [
        "new ArrayBuffer(4)",
        "new ArrayBuffer(3.9).byteLength",
        "new ArrayBuffer(-1)",
        "new ArrayBuffer(2 ** 53)",
        "ArrayBuffer(1)",
        "new ArrayBuffer('2')",
        "var b = new Uint8Array([1, 2, 3, 4]).buffer; return [b.slice(1, 3), b.slice(-1), b.slice(3, 1), b.slice()]",
        "[ArrayBuffer.isView(new DataView(new ArrayBuffer(1))), ArrayBuffer.isView(new Int8Array(1)),"
        " ArrayBuffer.isView(new ArrayBuffer(1)), ArrayBuffer.isView([])]",
        "Object.prototype.toString.call(new ArrayBuffer(0))",
        "var b = new ArrayBuffer(2, {maxByteLength: 4}); return [b.resizable, b.maxByteLength, new ArrayBuffer(2).resizable,"
        " new ArrayBuffer(2).maxByteLength]",
        "var b = new ArrayBuffer(2, {maxByteLength: 4}); b.resize(4); var x = b.byteLength; b.resize(1); return [x, b]",
        "var b = new ArrayBuffer(2, {maxByteLength: 4}); b.resize(5)",
        "new ArrayBuffer(2).resize(1)",
        "new ArrayBuffer(3, {maxByteLength: 2})",
        "ArrayBuffer.prototype.slice.call(new Uint8Array(2), 0)",
        "class B extends ArrayBuffer {} var b = new B(4); return [b instanceof B, b.slice(1) instanceof B]",
    ],
    "typed-array-construct": [
        "new Int8Array([127, 128, -129, 1.9, -1.9, NaN, Infinity])",
        "new Uint8Array([256, -1, '7', true, null, undefined])",
        "new Uint8ClampedArray([300, -5, 1.5, 2.5, 0.5, 254.5, NaN])",
        "new Int16Array([32768, -32769, 65535])",
        "new Uint16Array([-1, 65536, 70000])",
        "new Int32Array([2 ** 31, -(2 ** 31) - 1, 2 ** 32 + 5, 1e20])",
        "new Uint32Array([-1, 2 ** 32, 4294967295.5])",
        "new Float32Array([0.1, 1e40, -1e40, 1e-50, -0, NaN])",
        "new Float64Array([0.1, -0, 2 ** 53 + 1])",
        "new BigInt64Array([1n, -1n, 2n ** 63n, 2n ** 64n + 3n])",
        "new BigUint64Array([-1n, 2n ** 64n])",
        "new BigInt64Array([1])",
        "new Uint8Array(3)",
        "new Uint8Array(-1)",
        "new Uint8Array(new Set([1, 2]))",
        "new Uint8Array({length: 2, 0: 5, 1: '6'})",
        "new Uint8Array('abc')",
        "new Float32Array(new Uint8Array([1, 255]))",
        "new Int8Array(new Uint8Array([200]))",
        "new BigInt64Array(new Uint8Array(1))",
        "var b = new ArrayBuffer(8); return [new Int16Array(b, 2).length, new Int16Array(b, 2, 2).length, new Uint8Array(b, 8).length]",
        "new Int16Array(new ArrayBuffer(8), 1)",
        "new Int16Array(new ArrayBuffer(7))",
        "new Int16Array(new ArrayBuffer(8), 2, 4)",
        "new Uint8Array(new ArrayBuffer(8), 9)",
        "Uint8Array(2)",
        "Object.getPrototypeOf(Int8Array).name",
        "var T = Object.getPrototypeOf(Int8Array); return new T()",
        "[Int8Array.BYTES_PER_ELEMENT, Float64Array.BYTES_PER_ELEMENT, BigInt64Array.prototype.BYTES_PER_ELEMENT,"
        " Uint8Array.length, Uint8Array.name]",
        "class My extends Uint8Array { sum() { return this.reduce((a, b) => a + b, 0); } }"
        " var m = new My([1, 2, 3]); return [m.sum(), m instanceof Uint8Array, m.map(x => x * 2) instanceof My]",
    ],
    "integer-indexed": [
        "var u = new Uint8Array(2); u[0] = 300; u[5] = 1; u[-1] = 2; u['1.5'] = 3; u['-0'] = 4; u.x = 5;"
        " return [u[0], u[5], u[-1], u['1.5'], u['-0'], u.x, Object.keys(u)]",
        "var u = new Uint8Array(2); return ['1' in u, 2 in u, '-0' in u, '1.0' in u, 'x' in u, -0 in u]",
        "var u = new Uint8Array(1); Object.prototype[1] = 'p'; var r = [u[1], u['1']]; delete Object.prototype[1]; return r",
        "var u = new Uint8Array([5]); return Object.getOwnPropertyDescriptor(u, 0)",
        "var u = new Uint8Array([5]); return [Object.getOwnPropertyDescriptor(u, 1), Object.getOwnPropertyNames(u)]",
        "var u = new Uint8Array(1); return [Reflect.defineProperty(u, 0, {value: 9}), u[0],"
        " Reflect.defineProperty(u, 0, {value: 1, writable: false}), Reflect.defineProperty(u, 3, {value: 1}),"
        " Reflect.defineProperty(u, 0, {get: function () {}})]",
        "var u = new Uint8Array(1); return [delete u[0], delete u[1], Reflect.deleteProperty(u, '0')]",
        "(function () { 'use strict'; var u = new Uint8Array(1); u[4] = 1; u[-1] = 2; return u; })()",
        "var u = new Uint8Array(2); return Object.freeze(u)",
        "Object.freeze(new Uint8Array(0)).length",
        "var u = new Uint8Array(2); return Object.isFrozen(Object.seal(new Uint8Array(0)))",
        "var u = new Uint8Array([1, 2]); var r = []; for (var k in u) r.push(k); return r",
        "JSON.stringify({u: new Uint8Array([1, 2]), f: new Float64Array([0.5]), b: new ArrayBuffer(2)})",
        "var u = new Uint8Array([1, 2]); return [{...u}, Object.entries(u), Object.assign([], u)]",
        "var log = []; var u = new Uint8Array(1); u[0] = {valueOf: function () { log.push('v'); return 7; }};"
        " u[5] = {valueOf: function () { log.push('w'); return 7; }}; return [u, log]",
    ],
    "prototype-methods": [
        "var u = new Uint8Array([5, 1, 4]); return [u.at(-1), u.at(5), u.join(), u.join('-'), u.toString(), String(u)]",
        "new Float64Array([3, -0, 0, NaN, -1, -Infinity]).sort()",
        "new Int8Array([3, 1, 2]).sort(function (a, b) { return b - a; })",
        "new BigInt64Array([3n, -1n, 2n]).sort()",
        "var u = new Uint8Array([5, 1, 4]); var s = u.toSorted(); return [u, s, u.toReversed(), u.with(0, 9), u.with(-1, 300)]",
        "new Uint8Array(2).with(2, 0)",
        "new Uint8Array([1, 2, 3, 4]).reverse()",
        "new Float32Array([1, 2, 3]).reverse()",
        "[new Uint8Array(5).fill(7, 1, -1), new Float64Array(3).fill(0.5), new Int16Array(3).fill(-2, -2)]",
        "[new Uint8Array([1, 2, 3, 4, 5]).copyWithin(0, 3), new Int16Array([1, 2, 3, 4, 5]).copyWithin(2, 0, 2)]",
        "var u = new Uint8Array([1, 2, 3, 4]); return [u.map(function (x) { return x * 100; }), u.filter(function (x) { return x % 2; }),"
        " u.slice(1, 3), u.slice(-2), u.subarray(1, 3), u.subarray(-1)]",
        "var u = new Uint8Array([1, 2, 3, 4]); var s = u.subarray(1, 3); s[0] = 99; return [u, s.byteOffset, s.length, s.buffer === u.buffer]",
        "var u = new Uint16Array([1, 2, 3, 4]); return [u.subarray(1).byteOffset, u.slice(1).byteOffset, u.slice(1).buffer === u.buffer]",
        "var u = new Uint8Array([3, 4, 3]); return [u.indexOf(3), u.indexOf(3, 1), u.lastIndexOf(3), u.lastIndexOf(3, -2),"
        " u.includes(4), u.includes(4, 2), u.indexOf('3'), u.includes(undefined)]",
        "var f = new Float64Array([NaN, -0]); return [f.includes(NaN), f.indexOf(NaN), f.indexOf(0), f.includes(-0), f.lastIndexOf(0)]",
        "new BigInt64Array([1n, 2n]).indexOf(2n)",
        "new BigInt64Array([1n, 2n]).includes(2)",
        "var u = new Uint8Array([1, 2, 3]); return [u.every(function (x) { return x > 0; }), u.some(function (x) { return x > 2; }),"
        " u.find(function (x) { return x > 1; }), u.findIndex(function (x) { return x > 5; }),"
        " u.findLast(function (x) { return x < 3; }), u.findLastIndex(function (x) { return x < 3; })]",
        "var u = new Uint8Array([1, 2, 3]); return [u.reduce(function (a, b) { return a + b; }),"
        " u.reduceRight(function (a, b) { return a + '' + b; }, ''), new Uint8Array(0).reduce(function () {}, 'init')]",
        "new Uint8Array(0).reduce(function () {})",
        "var seen = []; new Int8Array([7, 8]).forEach(function (v, i, a) { seen.push(v, i, a.length, this.t); }, {t: 't'}); return seen",
        "new Uint8Array(1).map(5)",
        "var u = new Uint8Array(4); u.set([1, 2], 1); u.set(new Uint8Array([9]), 3); return u",
        "var u = new Uint8Array(2); u.set([1, 2, 3])",
        "var u = new Uint8Array(2); u.set([1], -1)",
        "var u = new Uint8Array([1, 2, 3, 4]); u.set(u.subarray(0, 3), 1); return u",
        "var u = new Float32Array(2); u.set(new Int8Array([-1, 5])); return u",
        "new Uint8Array(2).set(new BigInt64Array(1))",
        "var u = new Uint8Array([1, 2]); return [[...u], Array.from(u), Array.from(u.entries()), Array.from(u.keys()), Array.from(u.values())]",
        "var u = new Uint8Array([1, 2]); var [a, b, c] = u; return [a, b, c]",
        "Int16Array.from([1, 2, 3], function (x) { return x * -1; })",
        "Int16Array.from({length: 2, 0: 7})",
        "Uint8Array.of(1, 256, -1)",
        "Uint8Array.from.call(Object, [1])",
        "[new Uint8Array([1, 2]).toLocaleString(), new Float64Array([1.5]).toLocaleString()]",
        "Object.prototype.toString.call(new Float32Array(1))",
        "var T = Object.getPrototypeOf(Int8Array); return Object.getOwnPropertyDescriptor(T.prototype, Symbol.toStringTag).get.call([])",
        "Uint8Array.prototype.toString === Array.prototype.toString",
        "Uint8Array.prototype[Symbol.iterator] === Uint8Array.prototype.values",
        "Object.getPrototypeOf(Int8Array.prototype).length",
        "[Array.isArray(new Uint8Array(1)), Array.prototype.concat.call([], new Uint8Array([1])).length]",
        "Array.prototype.map.call(new Uint8Array([1, 2]), function (x) { return x / 2; })",
    ],
    "data-view": [
        "var d = new DataView(new ArrayBuffer(8)); d.setInt16(0, -2); d.setUint32(2, 0xdeadbeef, true);"
        " return [d.getInt16(0), d.getUint16(0), d.getUint16(0, true), d.getUint32(2, true), d.getUint32(2), d.getInt8(0), d.getUint8(1)]",
        "var d = new DataView(new ArrayBuffer(8)); d.setFloat32(0, 0.1); d.setFloat64(0, Math.PI, true);"
        " return [d.getFloat64(0, true), d.getFloat32(4, true)]",
        "var d = new DataView(new ArrayBuffer(16)); d.setBigInt64(0, -5n); d.setBigUint64(8, 2n ** 64n - 1n, true);"
        " return [d.getBigInt64(0), d.getBigUint64(0), d.getBigUint64(8, true), d.getBigInt64(8)]",
        "new DataView(new ArrayBuffer(8)).setBigInt64(0, 1)",
        "new DataView(new ArrayBuffer(2)).getInt32(0)",
        "new DataView(new ArrayBuffer(2)).getInt8(-1)",
        "new DataView(new ArrayBuffer(2)).getInt8(2)",
        "var d = new DataView(new ArrayBuffer(8), 2, 4); return [d.byteOffset, d.byteLength, d.buffer.byteLength]",
        "new DataView(new ArrayBuffer(8), 9)",
        "new DataView(new ArrayBuffer(8), 4, 5)",
        "new DataView([])",
        "DataView(new ArrayBuffer(1))",
        "Object.prototype.toString.call(new DataView(new ArrayBuffer(1)))",
        "var d = new DataView(new ArrayBuffer(2)); d.setUint8(0, 258); d.setInt8(1, -129); return new Uint8Array(d.buffer)",
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var d = new DataView(b, 1); b.resize(8); var x = d.byteLength;"
        " b.resize(0); try { d.byteLength; } catch (e) { return [x, e.name]; }",
    ],
    "resizable": [
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var t = new Uint16Array(b); var f = new Uint16Array(b, 0, 1);"
        " b.resize(8); var r = [t.length, f.length]; b.resize(1); r.push(t.length, f.length, f.byteLength, f.byteOffset); return r",
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var t = new Uint8Array(b, 2); b.resize(1);"
        " try { t.fill(1); } catch (e) { return [t.length, t.byteOffset, e.name]; }",
        "var b = new ArrayBuffer(2, {maxByteLength: 4}); var t = new Uint8Array(b); var it = t.values(); it.next();"
        " b.resize(4); return [it.next().value, it.next().value, it.next().value, it.next().done]",
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var t = new Uint8Array(b); t[3] = 7; b.resize(8); t[7] = 9;"
        " return [t, t.subarray(2).length]",
    ],
    "hostile": [
        "var u = new Uint8Array(4); var r = u.map(function (x, i) { return i; }); return r",
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var u = new Uint8Array(b);"
        " var r = u.map(function (x, i) { if (i === 0) b.resize(2); return 5; }); return [r, u.length]",
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var u = new Uint8Array(b);"
        " u.fill({valueOf: function () { b.resize(2); return 3; }}); return u",
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var u = new Uint8Array([1, 2, 3, 4]);"
        " u.sort(function (a, c) { return a - c; }); return u",
        "var b = new ArrayBuffer(8, {maxByteLength: 8}); var u = new Uint8Array(b);"
        " u.set({length: 3, get 0() { b.resize(1); return 1; }, 1: 2, 2: 3}); return [u, b.byteLength]",
        "var b = new ArrayBuffer(4, {maxByteLength: 8}); var u = new Uint8Array(b);"
        " return u.slice({valueOf: function () { b.resize(2); return 0; }})",
        "var u = new Uint8Array([1, 2, 3]); return u.indexOf(2, {valueOf: function () { return -1; }})",
        "new Uint8Array(2 ** 40)",
        "new Float64Array({length: 2 ** 32})",
        "new Uint8Array([1, 2]).subarray(-5, 99)",
        "new Uint8Array([1, 2]).slice(NaN, Infinity)",
        "new Uint8Array([1, 2]).at(-0)",
        "new Uint8Array([1, 2])[-0]",
    ],
}


test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, {
    "new Uint8ClampedArray([300, -5, 1.5, 2.5])": "Uint8ClampedArray[255,0,2,2]",
    "new Float32Array([0.1])": "Float32Array[0.10000000149011612]"})


def test_es2024_buffers_and_binary16() -> None:
    """transfer / detached (ES2024) and DataView binary16 (ES2025): not in Node 20, values from the spec."""
    assert_renders([
        ("var b = new Uint8Array([1, 2, 3]).buffer; var c = b.transfer(); return [b.detached, b.byteLength, c.detached, c]",
         "[true, 0, false, ArrayBuffer(1,2,3)]"),
        ("var b = new Uint8Array([1, 2, 3]).buffer; return [b.transfer(5), b.detached]", "[ArrayBuffer(1,2,3,0,0), true]"),
        ("var b = new Uint8Array([1, 2, 3]).buffer; return b.transfer(1)", "ArrayBuffer(1)"),
        ("var b = new ArrayBuffer(2, {maxByteLength: 4}); return [b.transfer().resizable, new ArrayBuffer(2, {maxByteLength: 4})"
         ".transferToFixedLength().resizable]", "[true, false]"),
        ("var b = new ArrayBuffer(2); b.transfer(); b.transfer()", "throws TypeError"),
        ("var b = new ArrayBuffer(2); b.transfer(); b.slice(0)", "throws TypeError"),
        ("var b = new ArrayBuffer(2); var u = new Uint8Array(b); b.transfer(); return [u.length, u.byteLength, u.byteOffset, u[0]]",
         "[0, 0, 0, undefined]"),
        ("var b = new ArrayBuffer(2); var u = new Uint8Array(b); b.transfer(); u[0] = 1; return Object.keys(u)", "[]"),
        ("var b = new ArrayBuffer(2); var u = new Uint8Array(b); b.transfer(); u.join()", "throws TypeError"),
        ("var b = new ArrayBuffer(2); var u = new Uint8Array(b); b.transfer(); [...u]", "throws TypeError"),
        ("var b = new ArrayBuffer(2); var d = new DataView(b); b.transfer(); d.getInt8(0)", "throws TypeError"),
        ("var b = new ArrayBuffer(2); b.transfer(); new Uint8Array(b)", "throws TypeError"),
        ("var b = new ArrayBuffer(4); var u = new Uint8Array(b); var i = 0;"
         " u.fill({valueOf: function () { b.transfer(); return 1; }})", "throws TypeError"),
        ("var b = new ArrayBuffer(4); var u = new Uint8Array(b);"
         " u[0] = {valueOf: function () { b.transfer(); return 1; }}; return u.length", "0"),
        ("var d = new DataView(new ArrayBuffer(4)); d.setFloat16(0, 1.337); d.setFloat16(2, 1e6, true);"
         " return [d.getFloat16(0), d.getFloat16(2, true), d.getUint16(0)]", "[1.3369140625, Infinity, 15705]"),
    ])


def test_base64_and_hex() -> None:
    """Uint8Array.fromBase64/fromHex, toBase64/toHex, setFromBase64/setFromHex (ES2026 23.3): from the spec."""
    assert_renders([
        ("Uint8Array.fromBase64('SGVsbG8=')", "Uint8Array[72,101,108,108,111]"),
        ("Uint8Array.fromBase64('SGVsbG8')", "Uint8Array[72,101,108,108,111]"),
        ("Uint8Array.fromBase64(' S G V s\\nbG8 = ')", "Uint8Array[72,101,108,108,111]"),
        ("Uint8Array.fromBase64('_-8', {alphabet: 'base64url'})", "Uint8Array[255,239]"),
        ("Uint8Array.fromBase64('_-8')", "throws SyntaxError"),
        ("Uint8Array.fromBase64('+/8', {alphabet: 'base64url'})", "throws SyntaxError"),
        ("Uint8Array.fromBase64('SGVsbG8', {lastChunkHandling: 'strict'})", "throws SyntaxError"),
        ("Uint8Array.fromBase64('SGVsbG9=', {lastChunkHandling: 'strict'})", "throws SyntaxError"),
        ("Uint8Array.fromBase64('SGVsbG8=', {lastChunkHandling: 'strict'})", "Uint8Array[72,101,108,108,111]"),
        ("Uint8Array.fromBase64('SGVsbG8', {lastChunkHandling: 'stop-before-partial'})", "Uint8Array[72,101,108]"),
        ("Uint8Array.fromBase64('SGVsbG8=', {lastChunkHandling: 'stop-before-partial'})", "Uint8Array[72,101,108,108,111]"),
        ("Uint8Array.fromBase64('A')", "throws SyntaxError"),
        ("Uint8Array.fromBase64('AA=')", "throws SyntaxError"),
        ("Uint8Array.fromBase64('AA==A')", "throws SyntaxError"),
        ("Uint8Array.fromBase64('=')", "throws SyntaxError"),
        ("Uint8Array.fromBase64('')", "Uint8Array[]"),
        ("Uint8Array.fromBase64(12)", "throws TypeError"),
        ("Uint8Array.fromBase64('AA', {alphabet: 'other'})", "throws TypeError"),
        ("Uint8Array.fromBase64('AA', 1)", "throws TypeError"),
        ("new Uint8Array([72, 101, 108, 108, 111]).toBase64()", '"SGVsbG8="'),
        ("new Uint8Array([251, 255]).toBase64({alphabet: 'base64url', omitPadding: true})", '"-_8"'),
        ("new Uint8Array([251, 255]).toBase64()", '"+/8="'),
        ("new Uint8Array([0, 255, 16]).toHex()", '"00ff10"'),
        ("Uint8Array.fromHex('00fF10')", "Uint8Array[0,255,16]"),
        ("Uint8Array.fromHex('0')", "throws SyntaxError"),
        ("Uint8Array.fromHex('0g')", "throws SyntaxError"),
        ("Uint8Array.fromHex(' 00')", "throws SyntaxError"),
        ("var t = new Uint8Array(4); return [t.setFromBase64('SGVsbG8gV29ybGQ='), t]",
         "[{read: 4, written: 3}, Uint8Array[72,101,108,0]]"),
        ("var t = new Uint8Array(8); return [t.setFromBase64('SGVs bG8='), t]",
         "[{read: 9, written: 5}, Uint8Array[72,101,108,108,111,0,0,0]]"),
        ("var t = new Uint8Array(2); return [t.setFromHex('abcdef'), t]", "[{read: 4, written: 2}, Uint8Array[171,205]]"),
        ("var t = new Uint8Array(3); try { t.setFromHex('aazz'); } catch (e) { return [e.name, t]; }",
         "[\"SyntaxError\", Uint8Array[170,0,0]]"),
        ("var t = new Uint8Array(8); try { t.setFromBase64('SGVsbG8!'); } catch (e) { return [e.name, t]; }",
         "[\"SyntaxError\", Uint8Array[72,101,108,0,0,0,0,0]]"),
        ("var t = new Uint8Array(6); return [t.setFromBase64('SGVsbG8gV29y!'), t]",
         "[{read: 8, written: 6}, Uint8Array[72,101,108,108,111,32]]"),
        ("Uint8Array.prototype.toHex.call(new Int8Array(1))", "throws TypeError"),
        ("var b = new ArrayBuffer(1); var u = new Uint8Array(b); b.transfer(); u.toBase64()", "throws TypeError"),
    ])


def test_large_base64_and_hex_are_fast() -> None:
    """A megabyte through base64 and hex, both ways, in well under a second each."""
    started = time.perf_counter()
    out = run_js("""
        var u = new Uint8Array(1 << 20);
        for (var i = 0; i < 256; i++) u[i * 4096] = i;
        var b = u.toBase64(); var back = Uint8Array.fromBase64(b);
        var h = u.toHex(); var back2 = Uint8Array.fromHex(h);
        [b.length, back.length, back[4096 * 200], h.length, back2[4096 * 255]]
    """)
    assert out == [1398104, 1 << 20, 200, 2 << 20, 255]
    assert time.perf_counter() - started < 5


def test_buffer_over_the_memory_limit_is_a_range_error() -> None:
    limits = Limits(max_memory_bytes=1 << 20)
    for source in ("new ArrayBuffer(2 << 20)", "new Float64Array(1 << 18)", "new ArrayBuffer(1, {maxByteLength: 2 << 20})",
                   "new ArrayBuffer(8, {maxByteLength: 8 << 20})"):
        error = js_error(source, limits)
        assert error.name == "RangeError", (source, error)
    assert run_js("new Uint8Array(1 << 19).length", limits) == 1 << 19


def test_buffers_held_count_against_memory() -> None:
    """Many buffers each under the limit still stop the task once together they pass it."""
    error = js_error("var keep = []; for (var i = 0; i < 64; i++) keep.push(new ArrayBuffer(1 << 20)); keep.length",
                     Limits(max_memory_bytes=16 << 20))
    assert "max_memory_bytes" in error.text or "Memory limit" in error.text


def test_result_and_host_api() -> None:
    """A task result holding binary data converts as JSON.stringify does; the host API makes and reads bytes."""
    assert run_js("({u: new Uint8Array([1, 2]), b: new ArrayBuffer(2), d: new DataView(new ArrayBuffer(1))})") == {
        "u": {"0": 1, "1": 2}, "b": {}, "d": {}}
    rt = Runtime()
    buf = make_array_buffer(rt, b"\x00\xffab")
    assert bytes_of(buf) == b"\x00\xffab"
    u8 = make_uint8_array(rt, b"xyz")
    assert bytes_of(u8) == b"xyz" and u8.length() == 3
    assert bytes_of("not binary") is None and bytes_of(rt.new_object()) is None


DURABLE = """
const bytes = new Uint8Array([1, 2, 3]);
const view = new DataView(bytes.buffer);
const decoder = new TextDecoder();
let text = decoder.decode(new Uint8Array([0xE2, 0x82]), {stream: true});
const res = await fetch('https://api.example.com/more');
const more = (await res.json()).n;
bytes[0] = more;
text += decoder.decode(new Uint8Array([0xAC, 0x21]));
const id = crypto.randomUUID();
const sum = bytes.reduce((a, b) => a + b, 0);
const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)).toHex();
await fetch('https://api.example.com/id/' + id);
return { sum, text, first: view.getUint8(0), digest: digest.slice(0, 16), idLength: id.length,
         again: id === crypto.randomUUID() };
"""


def test_binary_state_survives_a_cold_resume(tmp_path: Path) -> None:
    """A typed array, a DataView and a TextDecoder mid-character, across pauses, each resume in a fresh flow."""
    storage_dir = tmp_path / "tasks"
    task = create_flow(storage=FileStorage(storage_dir)).execute(DURABLE, id="binary")
    assert task.status == "paused" and task.fetch_request is not None
    task = create_flow(storage=FileStorage(storage_dir)).resume("binary", fetch_response={"data": {"n": 10}})
    assert task.status == "paused" and task.fetch_request is not None
    first_url = task.fetch_request.url
    task = create_flow(storage=FileStorage(storage_dir)).resume("binary", fetch_response={"data": {}})
    assert task.status == "completed", task.error
    import hashlib

    assert task.result == {"sum": 15, "text": "\u20ac!", "first": 10,
                           "digest": hashlib.sha256(bytes([10, 2, 3])).hexdigest()[:16], "idLength": 36,
                           "again": False}
    # The UUID the replay drew is the one the program sent before the pause.
    assert first_url.startswith("https://api.example.com/id/")


def test_a_view_that_can_grow_cannot_be_frozen_or_made_non_extensible() -> None:
    # ECMA-262 10.4.5.2 (ES2024+): [[PreventExtensions]] of a typed array is refused unless it is
    # fixed-length on a fixed-length buffer. (Node 20 predates this and freezes empty views.)
    source = """
    const rab = new ArrayBuffer(8, { maxByteLength: 16 });
    const out = [];
    for (const ta of [new Uint8Array(rab, 0, 4), new Uint8Array(rab), new Uint8Array(rab, 0, 0)]) {
      try { Object.freeze(ta); out.push('frozen'); } catch (e) { out.push(e.name); }
      out.push(Reflect.preventExtensions(ta), Object.isExtensible(ta));
    }
    const fixed = new Uint8Array(4); Object.preventExtensions(fixed);
    const empty = new Uint8Array(0); Object.freeze(empty);
    out.push(Object.isExtensible(fixed), Object.isFrozen(empty));
    out
    """
    assert run_js(source) == ["TypeError", False, True] * 3 + [False, True]

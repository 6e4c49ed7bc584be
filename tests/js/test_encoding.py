"""TextEncoder, TextDecoder, atob and btoa, with Node 20 as the oracle.

Where Node departs from the Encoding standard (its ``latin1`` decoder is
ISO-8859-1, the standard's is windows-1252) the standard decides, and the
case is checked on its own.
"""

from __future__ import annotations

import time

import pytest

from node_oracle import assert_renders, oracle_tests
from jsrun import run_js

ORACLE: dict[str, list[str]] = {
    "text-encoder": [
        "new TextEncoder().encoding",
        "new TextEncoder().encode('h\\u00e9\\u20ac\\ud83d\\ude00')",
        "new TextEncoder().encode('a\\ud800b\\udc00')",
        "new TextEncoder().encode()",
        "new TextEncoder().encode(undefined)",
        "new TextEncoder().encode(null)",
        "new TextEncoder().encode(12.5)",
        "new TextEncoder().encode({toString: function () { return 'x'; }})",
        "var d = new Uint8Array(4); return [new TextEncoder().encodeInto('a\\u00e9\\ud83d\\ude00b', d), d]",
        "var d = new Uint8Array(8); return [new TextEncoder().encodeInto('a\\u00e9\\ud83d\\ude00b', d), d]",
        "var d = new Uint8Array(2); return [new TextEncoder().encodeInto('\\u20ac', d), d]",
        "var d = new Uint8Array(4); return [new TextEncoder().encodeInto('\\ud800x', d), d]",
        "new TextEncoder().encodeInto('a', new Uint16Array(2))",
        "var d = new Uint8Array(new ArrayBuffer(6), 2, 2); new TextEncoder().encodeInto('xyz', d); return new Uint8Array(d.buffer)",
        "TextEncoder()",
        "TextEncoder.prototype.encode.call({}, 'a')",
        "Object.prototype.toString.call(new TextEncoder())",
    ],
    "text-decoder": [
        "var d = new TextDecoder(); return [d.encoding, d.fatal, d.ignoreBOM]",
        "new TextDecoder().decode(new Uint8Array([104, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80]))",
        "new TextDecoder().decode(new Uint8Array([0xEF, 0xBB, 0xBF, 104]))",
        "new TextDecoder('utf-8', {ignoreBOM: true}).decode(new Uint8Array([0xEF, 0xBB, 0xBF, 104]))",
        "new TextDecoder().decode(new Uint8Array([0xE2, 0x82, 0x41, 0xF0, 0x80, 0x80, 0xFF, 0xC0, 0xAF, 0xED, 0xA0, 0x80]))",
        "new TextDecoder().decode(new Uint8Array([104, 105]).buffer)",
        "new TextDecoder().decode(new DataView(new Uint8Array([0, 104, 105]).buffer, 1))",
        "new TextDecoder().decode(new Uint16Array([0x6968]))",
        "new TextDecoder().decode()",
        "new TextDecoder().decode('abc')",
        "new TextDecoder().decode(new Uint8Array(0))",
        "new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array([0xFF]))",
        "new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array([0xE2, 0x82]))",
        "var d = new TextDecoder('utf-8', {fatal: true}); return [d.fatal, d.decode(new Uint8Array([0xE2, 0x82]), {stream: true})]",
        "var d = new TextDecoder(); return [d.decode(new Uint8Array([0xF0, 0x9F]), {stream: true}),"
        " d.decode(new Uint8Array([0x98]), {stream: true}), d.decode(new Uint8Array([0x80, 0x41]))]",
        "var d = new TextDecoder(); return [d.decode(new Uint8Array([0xE2, 0x82]), {stream: true}), d.decode()]",
        "var d = new TextDecoder(); return [d.decode(new Uint8Array([0xEF, 0xBB]), {stream: true}),"
        " d.decode(new Uint8Array([0xBF, 0x41]), {stream: true}), d.decode(new Uint8Array([0xEF, 0xBB, 0xBF]))]",
        "var d = new TextDecoder(); return [d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41])), d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x42]))]",
        "[new TextDecoder('UTF8').encoding, new TextDecoder(' utf-16 ').encoding, new TextDecoder('utf-16le').encoding,"
        " new TextDecoder('unicode-1-1-utf-8').encoding]",
        "new TextDecoder('utf-16le').decode(new Uint8Array([0x41, 0, 0x3D, 0xD8, 0, 0xDE]))",
        "new TextDecoder('utf-16le').decode(new Uint8Array([0xFF, 0xFE, 0x41, 0]))",
        "new TextDecoder('utf-16le').decode(new Uint8Array([0x00, 0xD8, 0x41, 0]))",
        "new TextDecoder('nope')",
        "new TextDecoder('utf-8', 5)",
        "TextDecoder()",
        "Object.prototype.toString.call(new TextDecoder())",
    ],
    "atob-btoa": [
        "btoa('hello')",
        "btoa('')",
        "btoa('\\u00ff\\u00fe\\u0000')",
        "btoa('\\u0100')",
        "btoa('\\ud83d\\ude00')",
        "btoa(undefined)",
        "btoa(12)",
        "btoa()",
        "atob('aGVsbG8=')",
        "atob(' aGVs\\nbG8= ')",
        "atob('YQ')",
        "atob('YQ==')",
        "atob('YR==')",
        "atob('')",
        "atob('a')",
        "atob('a===')",
        "atob('YQ=')",
        "atob('Y=Q=')",
        "atob('@@@@')",
        "atob('YQ==YQ==')",
        "atob('-_')",
        "atob(null)",
        "atob()",
        "try { atob('a'); } catch (e) { return [e instanceof DOMException, e.name, e.code, e.message]; }",
        "try { btoa('\\u0100'); } catch (e) { return [e instanceof DOMException, e.name, e.code, e.message]; }",
        "atob(btoa('\\u0000\\u0080\\u00ff')).length",
    ],
}


test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, {
    "atob('YQ')": '"a"', "new TextEncoder().encode('\\u00e9')": "Uint8Array[195,169]"})


def test_windows_1252_as_the_standard_says() -> None:
    """``latin1``, ``ascii`` and friends are windows-1252 (Node 20 decodes them as ISO-8859-1 instead)."""
    assert_renders([
        ("new TextDecoder('latin1').encoding", '"windows-1252"'),
        ("new TextDecoder('ascii').decode(new Uint8Array([0x80, 0x81, 0x9F, 0xE9, 0x41]))", '"\u20ac\u0081\u0178\u00e9A"'),
        ("new TextDecoder('utf-16be').decode(new Uint8Array([0, 0x41, 0xD8, 0x3D, 0xDE, 0]))", '"A\U0001f600"'),
    ])


def test_a_megabyte_round_trip_is_fast() -> None:
    """Encoding and decoding a 1 MB string is a C-speed codec call, not a loop."""
    started = time.perf_counter()
    out = run_js("""
        var s = 'h\\u00e9llo w\\u00f6rld \\ud83d\\ude00 '.repeat(1 << 16);
        var bytes = new TextEncoder().encode(s);
        var back = new TextDecoder().decode(bytes);
        var into = new Uint8Array(bytes.length); var r = new TextEncoder().encodeInto(s, into);
        [s.length, bytes.length, back === s, r.written, btoa(atob(btoa('x'.repeat(1 << 20)))).length]
    """)
    assert out == [983040, 1245184, True, 1245184, 1398104]
    assert time.perf_counter() - started < 5

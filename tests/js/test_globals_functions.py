"""Global functions and value properties: parseInt/parseFloat, isNaN/isFinite, URI coding, escape."""

from __future__ import annotations

import math

import pytest

from jsrun import batch_script, check, values, evaluate, js_error, run_js
from seqflow_runtime.js.values import JSThrow, Symbol, undefined
from seqflow_runtime.limits import Limits



# -- value properties -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["NaN", "Infinity", "undefined"])
def test_value_properties_are_frozen(name: str) -> None:
    rt, _ = evaluate("0")
    desc = rt.global_object.get_own_property(name)
    assert desc is not None
    assert (desc.writable, desc.enumerable, desc.configurable) == (False, False, False)


def test_value_properties() -> None:
    rt, _ = evaluate("0")
    g = rt.global_object
    assert math.isnan(g.get("NaN"))
    assert g.get("Infinity") == math.inf
    assert g.get("undefined") is undefined
    assert g.set("NaN", 1) is False and g.delete("Infinity") is False
    check([
        ("globalThis.NaN", "NaN"),
        ("globalThis.Infinity", "Infinity"),
        ("-globalThis.Infinity", "-Infinity"),
        ("typeof globalThis.undefined", "s:undefined"),
        ("'NaN' in globalThis && 'undefined' in globalThis", "boolean:true"),
        ("(globalThis.Infinity = 5, globalThis.Infinity)", "Infinity"),
    ])


def test_eval_is_a_global_function() -> None:
    # Its behaviour is tested in test_eval_with.py.
    assert run_js("[typeof eval, eval.length, eval.name, Object.keys(globalThis).includes('eval')]") == [
        "function", 1, "eval", False]


# -- parseInt / parseFloat ----------------------------------------------------------------------


def test_parse_int() -> None:
    check([
        ("parseInt('42px')", "42"),
        ("parseInt('  -42')", "-42"),
        ("parseInt('+7')", "7"),
        ("parseInt('0x1A')", "26"),
        ("parseInt('0X1a', 16)", "26"),
        ("parseInt('0x1A', 10)", "0"),
        ("parseInt('1010', 2)", "10"),
        ("parseInt('777', 8)", "511"),
        ("parseInt('z', 36)", "35"),
        ("parseInt('Z', 36)", "35"),
        ("parseInt('12', 1)", "NaN"),
        ("parseInt('12', 37)", "NaN"),
        ("parseInt('12', 0)", "12"),
        ("parseInt('12', 4294967306)", "12"),  # ToInt32(2**32 + 10) is 10
        ("parseInt('')", "NaN"),
        ("parseInt('abc')", "NaN"),
        ("parseInt('-0')", "-0"),
        ("parseInt('0.0000005')", "0"),
        ("parseInt(0.0000005)", "5"),
        ("parseInt('123', '16')", "291"),
        ("parseInt(null, 36)", "1112745"),
        ("parseInt('Infinity')", "NaN"),
        ("parseInt('08')", "8"),
        ("parseInt('9007199254740993')", "9007199254740992"),
        ("parseInt('1e3')", "1"),
        ("parseInt(' \\n 15 ')", "15"),
        ("parseInt()", "NaN"),
    ])


def test_parse_int_converts_string_before_radix() -> None:
    src = """
    var log = '';
    parseInt({ toString: function () { log += 's'; return '11' } }, { valueOf: function () { log += 'r'; return 2 } });
    log
    """
    assert run_js(src) == "sr"
    assert run_js("parseInt({ toString: function () { return '11' } }, { valueOf: function () { return 2 } })") == 3


def test_parse_float() -> None:
    check([
        ("parseFloat('3.14abc')", "3.14"),
        ("parseFloat('.5')", "0.5"),
        ("parseFloat('-.5e2x')", "-50"),
        ("parseFloat('Infinityx')", "Infinity"),
        ("parseFloat('-Infinity')", "-Infinity"),
        ("parseFloat('abc')", "NaN"),
        ("parseFloat('  1e3')", "1000"),
        ("parseFloat('1e')", "1"),
        ("parseFloat('1e+')", "1"),
        ("parseFloat('-0')", "-0"),
        ("parseFloat('0x10')", "0"),
        ("parseFloat('1_0')", "1"),
        ("parseFloat('')", "NaN"),
        ("parseFloat({ toString: function () { return ' 2.5 ' } })", "2.5"),
        ("parseFloat('1e1000')", "Infinity"),
        ("parseFloat()", "NaN"),
    ])


def test_parse_functions_identity_and_shape() -> None:
    check([
        ("parseInt === Number.parseInt", "boolean:true"),
        ("parseFloat === Number.parseFloat", "boolean:true"),
        ("parseInt.length", "2"),
        ("parseFloat.length", "1"),
        ("parseInt.name", "s:parseInt"),
        ("parseFloat.name", "s:parseFloat"),
    ])


# -- isNaN / isFinite ------------------------------------------------------------------------


def test_is_nan_and_is_finite_coerce() -> None:
    check([
        ("isNaN(NaN)", "boolean:true"),
        ("isNaN('abc')", "boolean:true"),
        ("isNaN('12')", "boolean:false"),
        ("isNaN('')", "boolean:false"),
        ("isNaN(undefined)", "boolean:true"),
        ("isNaN()", "boolean:true"),
        ("isNaN(null)", "boolean:false"),
        ("isNaN({})", "boolean:true"),
        ("isNaN(true)", "boolean:false"),
        ("isNaN(1.5)", "boolean:false"),
        ("isNaN({ valueOf: function () { return NaN } })", "boolean:true"),
        ("isFinite('12')", "boolean:true"),
        ("isFinite('Infinity')", "boolean:false"),
        ("isFinite(Infinity)", "boolean:false"),
        ("isFinite(-Infinity)", "boolean:false"),
        ("isFinite(NaN)", "boolean:false"),
        ("isFinite(null)", "boolean:true"),
        ("isFinite(undefined)", "boolean:false"),
        ("isFinite('0x10')", "boolean:true"),
        ("isFinite(1e308)", "boolean:true"),
        ("isFinite(1e308 * 10)", "boolean:false"),
        ("isNaN !== Number.isNaN && isFinite !== Number.isFinite", "boolean:true"),
    ])


def test_is_nan_of_symbol_throws() -> None:
    rt, is_nan = evaluate("isNaN")
    with pytest.raises(JSThrow) as info:
        is_nan.fn(undefined, Symbol("s"))
    assert info.value.kind == "TypeError"


# -- URI encoding ------------------------------------------------------------------------


def test_encode_uri_component() -> None:
    check([
        ("encodeURIComponent('a b&c=d/e?f#g')", "s:a%20b%26c%3Dd%2Fe%3Ff%23g"),
        ("encodeURIComponent('\\u00e9\\u20ac')", "s:%C3%A9%E2%82%AC"),
        ("encodeURIComponent('\\u0080\\u07ff\\u0800\\uffff')", "s:%C2%80%DF%BF%E0%A0%80%EF%BF%BF"),
        ("encodeURIComponent('\\ud83d\\ude00')", "s:%F0%9F%98%80"),
        ("encodeURIComponent('😀')", "s:%F0%9F%98%80"),
        ("encodeURIComponent('\\udbff\\udfff')", "s:%F4%8F%BF%BF"),
        ("encodeURIComponent(\"-_.!~*'()\")", "s:-_.!~*'()"),
        ("encodeURIComponent('AZaz09')", "s:AZaz09"),
        ("encodeURIComponent(';/?:@&=+$,#')", "s:%3B%2F%3F%3A%40%26%3D%2B%24%2C%23"),
        ("encodeURIComponent('\\u0000\\n%')", "s:%00%0A%25"),
        ("encodeURIComponent(undefined)", "s:undefined"),
        ("encodeURIComponent(12.5)", "s:12.5"),
        ("encodeURIComponent('')", "s:"),
        ("encodeURIComponent()", "s:undefined"),
    ])


def test_encode_uri() -> None:
    check([
        ("encodeURI('http://ex.com/a b?q=1&r=\\u00e9#h')", "s:http://ex.com/a%20b?q=1&r=%C3%A9#h"),
        ("encodeURI(';/?:@&=+$,#')", "s:;/?:@&=+$,#"),
        ("encodeURI(\"-_.!~*'()\")", "s:-_.!~*'()"),
        ("encodeURI('\\ud83d\\ude00')", "s:%F0%9F%98%80"),
        ("encodeURI('[]{}|\\\\^`\"<>%')", "s:%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E%25"),
    ])


def test_decode_uri_component() -> None:
    check([
        ("decodeURIComponent('a%20b%26c')", "s:a b&c"),
        ("decodeURIComponent('%C3%A9%E2%82%AC')", "s:\u00e9\u20ac"),
        ("decodeURIComponent('%c3%a9')", "s:\u00e9"),
        ("decodeURIComponent('%F0%9F%98%80').length", "2"),
        ("decodeURIComponent('%F0%9F%98%80') === '\\ud83d\\ude00'", "boolean:true"),
        ("decodeURIComponent('%f0%9f%98%80') === '😀'", "boolean:true"),
        ("decodeURIComponent('%F4%8F%BF%BF') === '\\udbff\\udfff'", "boolean:true"),
        ("decodeURIComponent('%41%42')", "s:AB"),
        ("decodeURIComponent('%23%3B%2F')", "s:#;/"),
        ("decodeURIComponent('abc')", "s:abc"),
        ("decodeURIComponent('100%25')", "s:100%"),
        ("decodeURIComponent('%EF%BF%BF').charCodeAt(0)", "65535"),
        ("decodeURIComponent('+')", "s:+"),
    ])


def test_decode_uri_keeps_reserved_escapes() -> None:
    check([
        ("decodeURI('%23%3B%2f%20%41')", "s:%23%3B%2f A"),
        ("decodeURI('%3b%3B')", "s:%3b%3B"),
        ("decodeURI('%24%26%2B%2C%3A%3D%3F%40')", "s:%24%26%2B%2C%3A%3D%3F%40"),
        ("decodeURI('%E2%82%AC')", "s:\u20ac"),
        ("decodeURI('%F0%9F%98%80').length", "2"),
        ("decodeURI('http://x.com/%7Euser?a=%26')", "s:http://x.com/~user?a=%26"),
    ])


@pytest.mark.parametrize("src", [
    "encodeURIComponent('\\ud800')",
    "encodeURIComponent('\\udc00a')",
    "encodeURIComponent('\\ud800\\ud800')",
    "encodeURIComponent('a\\ud800')",
    "encodeURIComponent('\\ude00\\ud83d')",
    "encodeURI('\\udfff')",
    "decodeURIComponent('%')",
    "decodeURIComponent('%2')",
    "decodeURIComponent('%zz')",
    "decodeURIComponent('%G1')",
    "decodeURIComponent('%80')",
    "decodeURIComponent('%BF')",
    "decodeURIComponent('%C3')",
    "decodeURIComponent('%C3%')",
    "decodeURIComponent('%C3%2')",
    "decodeURIComponent('%C3%28')",
    "decodeURIComponent('%C3A9')",
    "decodeURIComponent('%C0%AF')",
    "decodeURIComponent('%E0%80%AF')",
    "decodeURIComponent('%ED%A0%80')",
    "decodeURIComponent('%ED%BF%BF')",
    "decodeURIComponent('%F4%90%80%80')",
    "decodeURIComponent('%F8%80%80%80%80')",
    "decodeURIComponent('%FF')",
    "decodeURIComponent('%E2%82')",
    "decodeURIComponent('%E2%82%AC%')",
    "decodeURI('%')",
    "decodeURI('%E0%A4%A')",
])
def test_uri_errors(src: str) -> None:
    err = js_error(src)
    assert (err.name, err.message) == ("URIError", "URI malformed")


def test_uri_error_is_catchable_as_uri_error() -> None:
    src = """
    var r;
    try { decodeURIComponent('%E0%A4%A'); } catch (e) { r = [e instanceof URIError, e instanceof Error, e.name, e.message]; }
    r
    """
    assert run_js(src) == [True, True, "URIError", "URI malformed"]


@pytest.mark.parametrize("text", [
    "plain", "a b&c=d", "\u00e9t\u00e9 \u20ac", "😀 smile", "𝒳 math", "中文 text", "mixed 😀𝒳\u00e9&=?#/",
    "\u0000\u007f\u0080\u07ff\u0800\uffff", "\U0010ffff\U00010000",
])
def test_uri_round_trips(text: str) -> None:
    lit = "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\u0000", "\\u0000") + "'"
    src = f"""
    var s = {lit};
    [decodeURIComponent(encodeURIComponent(s)) === s, decodeURI(encodeURI(s)) === s,
     unescape(escape(s)) === s, encodeURIComponent(s).length >= s.length]
    """
    assert run_js(src) == [True, True, True, True]


def test_encode_result_respects_string_limit() -> None:
    src = "var s = '\\u00e9'; for (var i = 0; i < 8; i++) s += s; encodeURIComponent(s)"
    assert len(run_js(src)) == 256 * 6
    err = js_error(src, Limits(max_string_length=1000))
    assert err.name == "RangeError"


def test_encode_long_input() -> None:
    src = "var s = 'ab c\\u00e9\\ud83d\\ude00'; for (var i = 0; i < 12; i++) s += s; var e = encodeURIComponent(s); [e.length, decodeURIComponent(e) === s]"
    assert run_js(src) == [4096 * 24, True]


# -- escape / unescape ------------------------------------------------------------------------


def test_escape() -> None:
    check([
        ("escape('a b+c/\\u00e9\\u20ac@*_-.')", "s:a%20b+c/%E9%u20AC@*_-."),
        ("escape('\\ud83d\\ude00')", "s:%uD83D%uDE00"),
        ("escape('')", "s:"),
        ("escape(\"!#$%&'()~\")", "s:%21%23%24%25%26%27%28%29%7E"),
        ("escape('\\u0000\\u00ff\\u0100')", "s:%00%FF%u0100"),
        ("escape('AZaz09')", "s:AZaz09"),
        ("escape()", "s:undefined"),
        ("escape(1.5)", "s:1.5"),
    ])


def test_unescape() -> None:
    check([
        ("unescape('%u20AC%e9%41')", "s:\u20ace9A".replace("e9", "\u00e9")),
        ("unescape('%u20')", "s:%u20"),
        ("unescape('%4')", "s:%4"),
        ("unescape('%%41')", "s:%A"),
        ("unescape('%uD83D%uDE00').length", "2"),
        ("unescape('%uD83D%uDE00') === '😀'", "boolean:true"),
        ("unescape('%u00zz%zz')", "s:%u00zz%zz"),
        ("unescape('abc')", "s:abc"),
        ("unescape('%2B+')", "s:++"),
        ("unescape()", "s:undefined"),
    ])


# -- shape ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "parseInt", "parseFloat", "isNaN", "isFinite", "encodeURI", "encodeURIComponent", "decodeURI",
    "decodeURIComponent", "escape", "unescape",
])
def test_function_properties(name: str) -> None:
    rt, f = evaluate(name)
    assert f.get("name") == name
    assert f.get("length") == (2 if name == "parseInt" else 1)
    desc = rt.global_object.get_own_property(name)
    assert desc is not None and (desc.writable, desc.enumerable, desc.configurable) == (True, False, True)


def test_global_functions_are_not_enumerable() -> None:
    src = "var keys = ''; for (var k in globalThis) keys += k + ','; keys"
    listed = run_js(src).split(",")
    for name in ("parseInt", "isNaN", "encodeURIComponent", "escape", "NaN", "Infinity", "undefined"):
        assert name not in listed


# -- quickjs oracle ---------------------------------------------------------------------------

ORACLE = [
    "parseInt('42px')", "parseInt('0x1A')", "parseInt('0x1A', 10)", "parseInt('z', 36)", "parseInt('12', 37)",
    "parseInt('-0')", "parseInt(0.0000005)", "parseInt(null, 36)", "parseInt('  +99  ')", "parseInt('1010', 2)",
    "parseFloat('3.14abc')", "parseFloat('-.5e2x')", "parseFloat('Infinityx')", "parseFloat('1e')",
    "parseFloat('-0')", "parseFloat('.e1')", "isNaN('abc')", "isNaN('')", "isNaN(undefined)", "isFinite('12')",
    "isFinite(null)", "isFinite('Infinity')", "encodeURIComponent('a b&c=d/e?f#g')",
    "encodeURIComponent('\\u00e9\\u20ac\\ud83d\\ude00')", "encodeURIComponent(\";/?:@&=+$,#-_.!~*'()\")",
    "encodeURI('http://ex.com/a b?q=1&r=\\u00e9#h')", "encodeURI('[]{}|^`')",
    "decodeURIComponent('a%20b%26c')", "decodeURIComponent('%C3%A9%E2%82%AC')",
    "decodeURIComponent('%F0%9F%98%80').length", "decodeURI('%23%3B%2f%20%41')", "decodeURI('%3b%7E')",
    "decodeURIComponent('%')", "decodeURIComponent('%C0%AF')", "decodeURIComponent('%ED%A0%80')",
    "decodeURIComponent('%F4%90%80%80')", "encodeURIComponent('\\ud800')", "encodeURI('\\udc00')",
    "escape('a b+c/\\u00e9\\u20ac@*_-.')", "escape('\\ud83d\\ude00')", "unescape('%u20AC%e9%41')",
    "unescape('%u20%4%%41')", "typeof NaN", "Infinity - Infinity", "-Infinity",
]


def test_matches_quickjs() -> None:
    quickjs = pytest.importorskip("quickjs")
    expected = quickjs.Context().eval(batch_script(ORACLE)).split("\x01")
    got = values(*ORACLE)
    assert len(got) == len(ORACLE)
    mismatches = [(e, want, g) for e, want, g in zip(ORACLE, expected, got) if g != want]
    assert not mismatches


def test_strict_assignment_to_a_read_only_global_throws() -> None:
    """PutValue in strict code: a [[Set]] the global object refuses is a TypeError (sloppy code ignores it)."""
    src = """
        function strict(f) { 'use strict'; try { f(); return 'written'; } catch (e) { return e.name; } }
        Object.defineProperty(globalThis, 'fixed', {value: 1, writable: false});
        [strict(() => { 'use strict'; undefined = 2; }), strict(() => { 'use strict'; NaN = 2; }),
         strict(() => { 'use strict'; fixed = 2; }), (() => { undefined = 2; return typeof undefined; })(), fixed]
    """
    assert run_js(src) == ["TypeError", "TypeError", "TypeError", "undefined", 1]

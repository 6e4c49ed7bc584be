"""Number and Boolean: conversion, constants, predicates, formatting and wrappers."""

from __future__ import annotations

import math
import sys

import pytest

from jsrun import batch_script, check, values, evaluate, js_error, run_js
from seqflow_runtime.js.values import JSThrow, Symbol, undefined



# -- Number(value) ------------------------------------------------------------------------


def test_number_conversion() -> None:
    check([
        ("Number()", "0"),
        ("Number(undefined)", "NaN"),
        ("Number(null)", "0"),
        ("Number(true)", "1"),
        ("Number(false)", "0"),
        ("Number('0x1F')", "31"),
        ("Number('0X1f')", "31"),
        ("Number('0b101')", "5"),
        ("Number('0o17')", "15"),
        ("Number('-0x10')", "NaN"),
        ("Number('0x')", "NaN"),
        ("Number('  12  ')", "12"),
        ("Number('\\n\\t 12 \\u00a0\\ufeff')", "12"),
        ("Number('')", "0"),
        ("Number('   ')", "0"),
        ("Number('1e1000')", "Infinity"),
        ("Number('-1e1000')", "-Infinity"),
        ("Number('12px')", "NaN"),
        ("Number('1_000')", "NaN"),
        ("Number('.5')", "0.5"),
        ("Number('5.')", "5"),
        ("Number('.')", "NaN"),
        ("Number('+.5e-3')", "0.0005"),
        ("Number('-0')", "-0"),
        ("Number('Infinity')", "Infinity"),
        ("Number('-Infinity')", "-Infinity"),
        ("Number('infinity')", "NaN"),
        ("Number('9007199254740993')", "9007199254740992"),
        ("Number({})", "NaN"),
        ("Number({ valueOf() { return 7 } })", "7"),
        ("Number({ valueOf() { return '8' } })", "8"),
        ("Number({ toString() { return '9' } })", "9"),
        ("Number(new Number(4))", "4"),
        ("typeof Number('1')", "s:number"),
    ])


def test_number_of_symbol_throws() -> None:
    rt, number = evaluate("Number")
    with pytest.raises(JSThrow) as info:
        number.fn(undefined, Symbol("s"))
    assert info.value.kind == "TypeError"


def test_number_result_types() -> None:
    # Exact integers come back as Python ints (the runtime's fast representation).
    _, v = evaluate("Number('42')")
    assert v == 42 and type(v) is int
    _, v = evaluate("Number('2.5')")
    assert v == 2.5 and type(v) is float


def test_new_number_wrapper() -> None:
    check([
        ("typeof new Number(3)", "s:object"),
        ("new Number(3).valueOf()", "3"),
        ("new Number(3) + 1", "4"),
        ("new Number() + 0", "0"),
        ("new Number(undefined).valueOf()", "NaN"),
        ("new Number('0x10').valueOf()", "16"),
        ("new Number(5) === 5", "boolean:false"),
        ("new Number(5) == 5", "boolean:true"),
        ("new Number(0) ? 'yes' : 'no'", "s:yes"),
        ("Object.prototype.toString.call(new Number(1))", "s:[object Number]"),
        ("new Number(1) instanceof Number", "boolean:true"),
        ("(5) instanceof Number", "boolean:false"),
        ("Number.prototype.constructor === Number", "boolean:true"),
        ("Object.prototype.toString.call(Number.prototype)", "s:[object Number]"),
        ("Number.prototype.valueOf()", "0"),
    ])


def test_number_subclass_uses_new_target_prototype() -> None:
    src = """
    class Money extends Number { cents() { return Math.round(this * 100) } }
    const m = new Money(1.25);
    [m instanceof Money, m instanceof Number, m.valueOf(), m.toFixed(1), m.cents()]
    """
    assert run_js(src) == [True, True, 1.25, "1.3", 125]


def test_constructor_coerces_before_anything_else() -> None:
    src = """
    var log = '';
    var n = new Number({ valueOf() { log += 'v'; return 2 } });
    log + ':' + n.valueOf()
    """
    assert run_js(src) == "v:2"


# -- statics -----------------------------------------------------------------------------


def test_constants() -> None:
    _, n = evaluate("Number")
    assert n.get("EPSILON") == 2.0**-52
    assert n.get("MAX_SAFE_INTEGER") == 9007199254740991
    assert n.get("MIN_SAFE_INTEGER") == -9007199254740991
    assert n.get("MAX_VALUE") == sys.float_info.max
    assert n.get("MIN_VALUE") == 5e-324
    assert math.isnan(n.get("NaN"))
    assert n.get("NEGATIVE_INFINITY") == -math.inf
    assert n.get("POSITIVE_INFINITY") == math.inf
    check([
        ("Number.MAX_SAFE_INTEGER + 1 === 2 ** 53", "boolean:true"),
        ("Number.EPSILON > 0 && 1 + Number.EPSILON !== 1", "boolean:true"),
        ("1 + Number.EPSILON / 2 === 1", "boolean:true"),
        ("Number.MIN_VALUE / 2", "0"),
        ("Number.MAX_VALUE * 2", "Infinity"),
        ("Number.MIN_VALUE", "5e-324"),
        ("Number.MAX_VALUE", "1.7976931348623157e+308"),
    ])


@pytest.mark.parametrize("name", [
    "EPSILON", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "MAX_VALUE", "MIN_VALUE", "NaN",
    "NEGATIVE_INFINITY", "POSITIVE_INFINITY",
])
def test_constants_are_frozen(name: str) -> None:
    _, n = evaluate("Number")
    desc = n.get_own_property(name)
    assert desc is not None
    assert (desc.writable, desc.enumerable, desc.configurable) == (False, False, False)


def test_constants_cannot_be_changed() -> None:
    assert run_js("Number.MAX_SAFE_INTEGER = 1; delete Number.EPSILON; Number.MAX_SAFE_INTEGER") == 9007199254740991
    # Strict-mode code would throw; [[Set]] reports the refusal.
    _, n = evaluate("Number")
    assert n.set("EPSILON", 1) is False and n.get("EPSILON") == 2.0**-52


def test_predicates() -> None:
    check([
        ("Number.isFinite(5)", "boolean:true"),
        ("Number.isFinite(-0.5)", "boolean:true"),
        ("Number.isFinite('5')", "boolean:false"),
        ("Number.isFinite(Infinity)", "boolean:false"),
        ("Number.isFinite(NaN)", "boolean:false"),
        ("Number.isFinite(new Number(1))", "boolean:false"),
        ("Number.isFinite()", "boolean:false"),
        ("Number.isInteger(5.0)", "boolean:true"),
        ("Number.isInteger(-0)", "boolean:true"),
        ("Number.isInteger(5.5)", "boolean:false"),
        ("Number.isInteger('5')", "boolean:false"),
        ("Number.isInteger(1e300)", "boolean:true"),
        ("Number.isInteger(Infinity)", "boolean:false"),
        ("Number.isInteger(NaN)", "boolean:false"),
        ("Number.isNaN(NaN)", "boolean:true"),
        ("Number.isNaN(0 / 0)", "boolean:true"),
        ("Number.isNaN('NaN')", "boolean:false"),
        ("Number.isNaN(undefined)", "boolean:false"),
        ("Number.isNaN(1)", "boolean:false"),
        ("Number.isSafeInteger(2 ** 53)", "boolean:false"),
        ("Number.isSafeInteger(2 ** 53 - 1)", "boolean:true"),
        ("Number.isSafeInteger(-(2 ** 53 - 1))", "boolean:true"),
        ("Number.isSafeInteger(-(2 ** 53))", "boolean:false"),
        ("Number.isSafeInteger(3.0)", "boolean:true"),
        ("Number.isSafeInteger(3.1)", "boolean:false"),
        ("Number.isSafeInteger('3')", "boolean:false"),
        ("Number.isSafeInteger(Infinity)", "boolean:false"),
    ])


def test_parse_functions_are_the_globals() -> None:
    check([
        ("Number.parseInt === parseInt", "boolean:true"),
        ("Number.parseFloat === parseFloat", "boolean:true"),
        ("Number.parseInt('0x1A')", "26"),
        ("Number.parseInt('101', 2)", "5"),
        ("Number.parseInt('  -42px')", "-42"),
        ("Number.parseFloat('3.14abc')", "3.14"),
        ("Number.parseFloat('-.5e2x')", "-50"),
        ("Number.parseFloat('Infinityx')", "Infinity"),
    ])


# -- Number.prototype ------------------------------------------------------------------


def test_to_string_radix() -> None:
    check([
        ("(25).toString(36)", "s:p"),
        ("(35).toString('36')", "s:z"),
        ("(255).toString(16)", "s:ff"),
        ("(255).toString(2)", "s:11111111"),
        ("(-255).toString(16)", "s:-ff"),
        ("(8).toString(8)", "s:10"),
        ("(0.5).toString(2)", "s:0.1"),
        ("(3.75).toString(16)", "s:3.c"),
        ("(-3.75).toString(2)", "s:-11.11"),
        ("(0.1).toString(3)", "s:0.0022002200220022002200220022002201"),
        ("(2 ** 53).toString(2)", "s:1" + "0" * 53),
        ("(1e21).toString(36)", "s:5v1j4f4ds7c000"),
        ("NaN.toString(2)", "s:NaN"),
        ("(-Infinity).toString(16)", "s:-Infinity"),
        ("(-0).toString(2)", "s:0"),
        ("(10).toString(10.9)", "s:10"),
        ("(10).toString(undefined)", "s:10"),
        ("(10).toString()", "s:10"),
        ("(1e21).toString()", "s:1e+21"),
        ("(1e-7).toString()", "s:1e-7"),
        ("(123.456).toString()", "s:123.456"),
        ("(0.000001).toString()", "s:0.000001"),
        ("(-1.5e300).toString()", "s:-1.5e+300"),
        ("new Number(255).toString(16)", "s:ff"),
        ("Number.prototype.toString.call(new Number(5), 2)", "s:101"),
    ])


@pytest.mark.parametrize("radix", ["37", "1", "0", "-1", "Infinity", "'x'"])
def test_to_string_bad_radix(radix: str) -> None:
    err = js_error(f"(10).toString({radix})")
    assert err.name == "RangeError"
    assert err.message == "toString() radix argument must be between 2 and 36"


def test_to_fixed() -> None:
    check([
        ("(1234.5678).toFixed(2)", "s:1234.57"),
        ("(1.005).toFixed(2)", "s:1.00"),  # 1.005 is really 1.00499999999999989...
        ("(1.45).toFixed(1)", "s:1.4"),
        ("(-1.5).toFixed(0)", "s:-2"),
        ("(0.5).toFixed(0)", "s:1"),
        ("(2.5).toFixed(0)", "s:3"),
        ("(1e21).toFixed(2)", "s:1e+21"),
        ("(-0.0000001).toFixed(2)", "s:-0.00"),
        ("(-0).toFixed(2)", "s:0.00"),
        ("(123.456).toFixed()", "s:123"),
        ("(123.456).toFixed(10)", "s:123.4560000000"),
        ("(0.1).toFixed(20)", "s:0.10000000000000000555"),
        ("(42).toFixed(3)", "s:42.000"),
        ("(1.23).toFixed('1')", "s:1.2"),
        ("(1.23).toFixed(1.9)", "s:1.2"),
        ("NaN.toFixed(2)", "s:NaN"),
        ("Infinity.toFixed(2)", "s:Infinity"),
        ("(1).toFixed(100).length", "102"),
    ])


@pytest.mark.parametrize("src", [
    "(1).toFixed(101)", "(1).toFixed(-1)", "NaN.toFixed(200)", "(1.5).toFixed(Infinity)",
])
def test_to_fixed_range_error(src: str) -> None:
    err = js_error(src)
    assert err.name == "RangeError"
    assert err.message == "toFixed() digits argument must be between 0 and 100"


def test_to_exponential() -> None:
    check([
        ("(123.456).toExponential()", "s:1.23456e+2"),
        ("(123.456).toExponential(2)", "s:1.23e+2"),
        ("(123.456).toExponential(0)", "s:1e+2"),
        ("(0).toExponential()", "s:0e+0"),
        ("(0).toExponential(2)", "s:0.00e+0"),
        ("(-1.5e-10).toExponential(3)", "s:-1.500e-10"),
        ("(5e-324).toExponential()", "s:5e-324"),
        ("(1.25).toExponential(1)", "s:1.3e+0"),
        ("(12345).toExponential(10)", "s:1.2345000000e+4"),
        ("NaN.toExponential(200)", "s:NaN"),
        ("Infinity.toExponential(200)", "s:Infinity"),
        ("(-Infinity).toExponential()", "s:-Infinity"),
    ])
    for src in ("(1).toExponential(101)", "(1).toExponential(-1)"):
        err = js_error(src)
        assert (err.name, err.message) == ("RangeError", "toExponential() argument must be between 0 and 100")


def test_to_precision() -> None:
    check([
        ("(123.456).toPrecision(4)", "s:123.5"),
        ("(123.456).toPrecision(2)", "s:1.2e+2"),
        ("(123.456).toPrecision(1)", "s:1e+2"),
        ("(123.456).toPrecision(3)", "s:123"),
        ("(0.000001234).toPrecision(2)", "s:0.0000012"),
        ("(0.0000001234).toPrecision(2)", "s:1.2e-7"),
        ("(1e21).toPrecision(3)", "s:1.00e+21"),
        ("(123456).toPrecision(3)", "s:1.23e+5"),
        ("(0).toPrecision(5)", "s:0.0000"),
        ("(-0).toPrecision(3)", "s:0.00"),
        ("(1.5).toPrecision()", "s:1.5"),
        ("(1.5).toPrecision(undefined)", "s:1.5"),
        ("(-2.5).toPrecision(1)", "s:-3"),
        ("Infinity.toPrecision(0)", "s:Infinity"),
        ("NaN.toPrecision(1000)", "s:NaN"),
    ])
    for src in ("(1).toPrecision(0)", "(1).toPrecision(101)"):
        err = js_error(src)
        assert (err.name, err.message) == ("RangeError", "toPrecision() argument must be between 1 and 100")


def test_to_locale_string() -> None:
    check([
        ("(1234567.891).toLocaleString()", "s:1,234,567.891"),
        ("(-1234.5).toLocaleString()", "s:-1,234.5"),
        ("(0.12345).toLocaleString()", "s:0.123"),
        ("(0.0005).toLocaleString()", "s:0.001"),
        ("(999.9999).toLocaleString()", "s:1,000"),
        ("(1000).toLocaleString()", "s:1,000"),
        ("(-1000000).toLocaleString()", "s:-1,000,000"),
        ("(12).toLocaleString()", "s:12"),
        ("(1e21).toLocaleString()", "s:1,000,000,000,000,000,000,000"),
        ("NaN.toLocaleString()", "s:NaN"),
        ("Infinity.toLocaleString()", "s:∞"),
        ("new Number(1234).toLocaleString()", "s:1,234"),
    ])


def test_value_of() -> None:
    check([
        ("(5).valueOf()", "5"),
        ("new Number(-0).valueOf()", "-0"),
        ("Number.prototype.valueOf.call(2.5)", "2.5"),
    ])


@pytest.mark.parametrize("method", ["toString", "toFixed", "toExponential", "toPrecision", "toLocaleString", "valueOf"])
@pytest.mark.parametrize("receiver", ["'1'", "{}", "true", "null", "undefined"])
def test_number_methods_check_this(method: str, receiver: str) -> None:
    err = js_error(f"Number.prototype.{method}.call({receiver})")
    assert err.name == "TypeError"
    assert err.message == f"Number.prototype.{method} requires that 'this' be a Number"


def test_function_lengths_and_names() -> None:
    check([
        ("Number.length", "1"),
        ("Number.name", "s:Number"),
        ("Number.isFinite.length", "1"),
        ("Number.isSafeInteger.name", "s:isSafeInteger"),
        ("Number.parseInt.length", "2"),
        ("Number.parseFloat.length", "1"),
        ("Number.prototype.toFixed.length", "1"),
        ("Number.prototype.toString.length", "1"),
        ("Number.prototype.toExponential.length", "1"),
        ("Number.prototype.toPrecision.length", "1"),
        ("Number.prototype.toLocaleString.length", "0"),
        ("Number.prototype.valueOf.length", "0"),
        ("Number.prototype.toFixed.name", "s:toFixed"),
        ("Boolean.length", "1"),
        ("Boolean.prototype.toString.length", "0"),
    ])


def test_methods_are_not_enumerable() -> None:
    _, proto = evaluate("Number.prototype")
    for name in ("toString", "toFixed", "toExponential", "toPrecision", "toLocaleString", "valueOf"):
        desc = proto.get_own_property(name)
        assert desc is not None and (desc.writable, desc.enumerable, desc.configurable) == (True, False, True)
    assert run_js("var keys = ''; for (var k in Number) keys += k; keys") == ""


# -- Boolean ----------------------------------------------------------------------------


def test_boolean() -> None:
    check([
        ("Boolean(0)", "boolean:false"),
        ("Boolean(-0)", "boolean:false"),
        ("Boolean(NaN)", "boolean:false"),
        ("Boolean('')", "boolean:false"),
        ("Boolean(null)", "boolean:false"),
        ("Boolean(undefined)", "boolean:false"),
        ("Boolean()", "boolean:false"),
        ("Boolean('0')", "boolean:true"),
        ("Boolean('false')", "boolean:true"),
        ("Boolean({})", "boolean:true"),
        ("Boolean([])", "boolean:true"),
        ("Boolean(new Boolean(false))", "boolean:true"),
        ("Boolean(-1)", "boolean:true"),
        ("typeof new Boolean(false)", "s:object"),
        ("new Boolean(false).valueOf()", "boolean:false"),
        ("new Boolean('x').valueOf()", "boolean:true"),
        ("new Boolean().valueOf()", "boolean:false"),
        ("new Boolean(false) ? 1 : 2", "1"),
        ("new Boolean(0).toString()", "s:false"),
        ("(true).toString()", "s:true"),
        ("false.toString()", "s:false"),
        ("Boolean.prototype.toString.call(false)", "s:false"),
        ("Boolean.prototype.valueOf()", "boolean:false"),
        ("Boolean.prototype.toString()", "s:false"),
        ("new Boolean(true) instanceof Boolean", "boolean:true"),
        ("Object.prototype.toString.call(new Boolean(true))", "s:[object Boolean]"),
        ("Boolean.prototype.constructor === Boolean", "boolean:true"),
        ("new Boolean(true) + 1", "2"),
    ])


@pytest.mark.parametrize("method", ["toString", "valueOf"])
@pytest.mark.parametrize("receiver", ["1", "'true'", "{}", "null"])
def test_boolean_methods_check_this(method: str, receiver: str) -> None:
    err = js_error(f"Boolean.prototype.{method}.call({receiver})")
    assert err.name == "TypeError"
    assert err.message == f"Boolean.prototype.{method} requires that 'this' be a Boolean"


def test_boolean_subclass() -> None:
    src = """
    class Flag extends Boolean { label() { return this.valueOf() ? 'on' : 'off' } }
    const f = new Flag(1);
    [f instanceof Flag, f instanceof Boolean, f.label(), f.toString()]
    """
    assert run_js(src) == [True, True, "on", "true"]


# -- quickjs oracle ---------------------------------------------------------------------

# quickjs's toString(radix) for non-integers and its toLocaleString (no Intl) differ
# from every browser, so they stay out of this table.
ORACLE = [
    "Number('0x1F')", "Number('0b11')", "Number('0o7')", "Number('  12  ')", "Number('1e1000')",
    "Number('-1e-1000')", "Number('12px')", "Number('')", "Number('.5e1')", "Number('-.5')",
    "Number(' \\n42\\t')", "Number('1e21')", "Number('123456789012345678901234567890')",
    "Number(true) + Number(null)", "Number(undefined)", "Number('+0x1')", "Number('0.1') + Number('0.2')",
    "(25).toString(36)", "(255).toString(16)", "(-255).toString(2)", "(123456789).toString(36)",
    "(2 ** 52).toString(32)", "(1e21).toString()", "(1.5e-7).toString()", "(-0).toString()",
    "(1234.5678).toFixed(2)", "(1.005).toFixed(2)", "(1.45).toFixed(1)", "(-1.5).toFixed(0)",
    "(2.5).toFixed(0)", "(0.000001).toFixed(7)", "(1e20).toFixed(2)", "(1e21).toFixed(2)",
    "(0.1).toFixed(20)", "(-0.0000001).toFixed(2)", "(123.456).toFixed()", "(5e-7).toFixed(6)",
    "(123.456).toExponential()", "(123.456).toExponential(2)", "(0).toExponential(3)",
    "(-1.5e-10).toExponential(3)", "(5e-324).toExponential()", "(1.7976931348623157e308).toExponential(5)",
    "(9.995).toExponential(2)", "(123.456).toPrecision(4)", "(123.456).toPrecision(2)",
    "(0.000001234).toPrecision(2)", "(0.0000001234).toPrecision(2)", "(1e21).toPrecision(3)",
    "(123456).toPrecision(6)", "(0).toPrecision(1)", "(99.99).toPrecision(3)", "(1.5).toPrecision()",
    "Number.isInteger(5.0)", "Number.isInteger(5.1)", "Number.isSafeInteger(2 ** 53)", "Number.isNaN('x')",
    "Number.isFinite('1')", "Number.EPSILON", "Number.MIN_VALUE", "Number.MAX_VALUE", "Number.MAX_SAFE_INTEGER",
    "Number.parseInt('08')", "Number.parseFloat('1.5e3xyz')", "new Number(7) * 2", "Boolean('0')",
    "Boolean(NaN)", "new Boolean(false).toString()", "(1).toFixed(101)", "(1).toPrecision(0)",
    "(10).toString(1)", "Number.prototype.toFixed.call('1')",
]


def test_matches_quickjs() -> None:
    quickjs = pytest.importorskip("quickjs")
    script = batch_script(ORACLE)
    expected = quickjs.Context().eval(script).split("\x01")
    got = values(*ORACLE)
    mismatches = [(e, want, g) for e, want, g in zip(ORACLE, expected, got) if g != want]
    assert not mismatches
    assert len(got) == len(ORACLE)

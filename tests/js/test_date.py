"""The Date built-in: construction, getters, setters, conversions and determinism.

Most snippets run in a realm whose local time zone is UTC (the default);
``run_at`` builds a realm with a fixed clock and a chosen time zone so that
``Date.now()``/``new Date()`` and local-time behaviour across DST are
reproducible.  A QuickJS table checks UTC-only operations against a real
engine.
"""

from __future__ import annotations

import json
import math
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from jsrun import JSFailure, evaluate, js_error, run_js
from seqflow_runtime.js.convert import to_python
from seqflow_runtime.js.execute import describe_exception, describe_thrown, start_program
from seqflow_runtime.js.runtime import Runtime
from seqflow_transpile import transpile

FIXED_NOW = 1700000000000.0  # 2023-11-14T22:13:20.000Z, a Tuesday
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def run_at(source: str, now: float = FIXED_NOW, tz: tzinfo | None = None) -> Any:
    """Run ``source`` in a realm whose clock always reads ``now`` and whose local zone is ``tz``."""
    rt = Runtime(clock=lambda: now, timezone=tz)
    try:
        promise = start_program(rt, transpile(source))
        rt.jobs.run()
    except BaseException as exc:  # noqa: BLE001 - surface guest failures as test failures
        raise JSFailure(describe_exception(rt, exc)) from None
    if promise.state == "rejected":
        raise JSFailure(describe_thrown(rt, promise.result))
    return to_python(rt, promise.result)


# -- construction and the basic getters (UTC realm) --------------------------------------------

UTC_CASES = [
    ("new Date(0).toISOString()", "1970-01-01T00:00:00.000Z"),
    ("new Date(0).getTime()", 0),
    ("new Date(86400000).toISOString()", "1970-01-02T00:00:00.000Z"),
    ("new Date(-1).toISOString()", "1969-12-31T23:59:59.999Z"),
    ("new Date(1.9).getTime()", 1),
    ("new Date(-1.9).getTime()", -1),
    ("new Date(2024, 1, 29, 12).getTime()", 1709208000000),
    ("new Date(2024, 1, 29, 12).toISOString()", "2024-02-29T12:00:00.000Z"),
    ("new Date(2024, 0).toISOString()", "2024-01-01T00:00:00.000Z"),
    ("new Date(2024, 0, 1, 2, 3, 4, 5).toISOString()", "2024-01-01T02:03:04.005Z"),
    ("new Date(99, 0).getFullYear()", 1999),
    ("new Date(0, 0).getFullYear()", 1900),
    ("new Date(100, 0).getFullYear()", 100),
    ("new Date(2024, 12, 1).toISOString()", "2025-01-01T00:00:00.000Z"),
    ("new Date(2024, -1, 1).toISOString()", "2023-12-01T00:00:00.000Z"),
    ("new Date(2023, 1, 29).toISOString()", "2023-03-01T00:00:00.000Z"),
    ("new Date(2024, 0, 1, 24).toISOString()", "2024-01-02T00:00:00.000Z"),
    ("new Date('2024', '1', '3').toISOString()", "2024-02-03T00:00:00.000Z"),
    ("new Date(2024, 0, 1.9).getDate()", 1),
    ("new Date(2024, NaN).getTime()", None),
    ("new Date(2024, 0, undefined).getTime()", None),
    ("new Date(2024, 0, null).toISOString()", "2023-12-31T00:00:00.000Z"),
    ("new Date(new Date(123)).getTime()", 123),
    ("const d = new Date(5); const e = new Date(d); e.setTime(9); d.getTime()", 5),
    ("new Date('2024-03-05').getTime()", 1709596800000),
    ("new Date('2024-03-05T10:20:30Z').toISOString()", "2024-03-05T10:20:30.000Z"),
    ("new Date('2024-03-05T10:20:30+01:00').toISOString()", "2024-03-05T09:20:30.000Z"),
    ("new Date(true).getTime()", 1),
    ("new Date(null).getTime()", 0),
    ("new Date({valueOf() { return 42; }}).getTime()", 42),
    ("new Date({toString() { return '1970-01-01T00:00:01Z'; }, valueOf: undefined}).getTime()", 1000),
    ("new Date({[Symbol.toPrimitive]() { return '2000-01-01'; }}).getUTCFullYear()", 2000),
    ("new Date(8.64e15).getTime()", 8640000000000000),
    ("new Date(8.64e15 + 1).getTime()", None),
    ("new Date(-8.64e15).toISOString()", "-271821-04-20T00:00:00.000Z"),
    ("new Date(8.64e15).toISOString()", "+275760-09-13T00:00:00.000Z"),
    ("new Date(Infinity).getTime()", None),
    ("new Date(undefined).getTime()", None),
    # getters
    ("const d = new Date(Date.UTC(2024, 2, 5, 10, 20, 30, 456));"
     " [d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()]",
     [2024, 2, 5, 2, 10, 20, 30, 456]),
    ("const d = new Date(Date.UTC(2024, 2, 5, 10, 20, 30, 456));"
     " [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]",
     [2024, 2, 5, 2, 10, 20, 30, 456]),
    ("new Date(0).getTimezoneOffset()", 0),
    ("new Date(0).getDay()", 4),
    ("new Date(0).getYear()", 70),
    ("new Date(Date.UTC(2024, 0)).getYear()", 124),
    ("new Date(Date.UTC(1850, 0)).getYear()", -50),
    ("new Date(1234).valueOf()", 1234),
    ("const d = new Date(NaN); [d.getFullYear(), d.getMonth(), d.getUTCDate(), d.getDay(), d.getTime(), d.getTimezoneOffset(), d.getYear()]",
     [None] * 7),
    ("isNaN(new Date(NaN).getHours())", True),
    ("typeof new Date(NaN).getTime()", "number"),
    ("typeof new Date(0)", "object"),
    # Date.UTC / Date.parse
    ("Date.UTC(2024, 0)", 1704067200000),
    ("Date.UTC(2024)", 1704067200000),
    ("Date.UTC(2024, 1, 29, 12, 30, 15, 250)", 1709209815250),
    ("Date.UTC(99, 11, 31)", 946598400000),
    ("Date.UTC(1970, 0, 1, 0, 0, 0, -1)", -1),
    ("Date.UTC()", None),
    ("Date.UTC(2024, NaN)", None),
    ("Date.UTC(275760, 8, 13, 0, 0, 0, 1)", None),
    ("Date.parse('2024-03-05T10:20:30.123Z')", 1709634030123),
    ("Date.parse('nope')", None),
    ("Date.parse('Tue, 05 Mar 2024 10:20:30 GMT')", 1709634030000),
    ("Date.parse(new Date(1709634030000).toString())", 1709634030000),
    ("Date.parse(new Date(1709634030000).toUTCString())", 1709634030000),
    ("Date.parse()", None),
    ("const d = new Date(1709634030123); Date.parse(d.toISOString()) === d.getTime()", True),
    # invalid dates
    ("new Date('x').getTime()", None),
    ("isNaN(new Date('x').getTime())", True),
    ("'' + new Date(NaN)", "Invalid Date"),
    ("typeof String === 'function' ? String(new Date(NaN)) : 'Invalid Date'", "Invalid Date"),
    ("new Date(NaN).toString()", "Invalid Date"),
    ("new Date(NaN).toDateString()", "Invalid Date"),
    ("new Date(NaN).toTimeString()", "Invalid Date"),
    ("new Date(NaN).toUTCString()", "Invalid Date"),
    ("new Date(NaN).toLocaleString()", "Invalid Date"),
    ("new Date(NaN).toJSON()", None),
    ("new Date(NaN).toJSON() === null", True),
    # string forms (UTC realm)
    ("new Date(1709634030000).toString()", "Tue Mar 05 2024 10:20:30 GMT+0000 (Coordinated Universal Time)"),
    ("new Date(1709634030000).toDateString()", "Tue Mar 05 2024"),
    ("new Date(1709634030000).toTimeString()", "10:20:30 GMT+0000 (Coordinated Universal Time)"),
    ("new Date(1709634030000).toUTCString()", "Tue, 05 Mar 2024 10:20:30 GMT"),
    ("new Date(1709634030000).toGMTString()", "Tue, 05 Mar 2024 10:20:30 GMT"),
    ("new Date(1709634030000).toLocaleString()", "3/5/2024, 10:20:30 AM"),
    ("new Date(1709634030000).toLocaleString('de-DE', {timeZone: 'Asia/Tokyo'})", "5.3.2024, 19:20:30"),  # ECMA-402: locales and options apply
    ("new Date(1709634030000).toLocaleDateString()", "3/5/2024"),
    ("new Date(1709634030000).toLocaleTimeString()", "10:20:30 AM"),
    ("new Date(Date.UTC(2024, 0, 1, 0, 5)).toLocaleTimeString()", "12:05:00 AM"),
    ("new Date(Date.UTC(2024, 0, 1, 12, 5)).toLocaleTimeString()", "12:05:00 PM"),
    ("new Date(Date.UTC(2024, 0, 1, 23, 59, 59)).toLocaleTimeString()", "11:59:59 PM"),
    ("new Date(1709634030000).toJSON()", "2024-03-05T10:20:30.000Z"),
    ("new Date(-62198755200000).toISOString()", "-000001-01-01T00:00:00.000Z"),
    ("new Date(Date.UTC(10000, 0)).toISOString()", "+010000-01-01T00:00:00.000Z"),
    ("new Date(Date.UTC(-1, 0)).toUTCString()", "Fri, 01 Jan -0001 00:00:00 GMT"),
    # ToPrimitive: default hint gives the string, number hint the time value
    ("new Date(0) + 1", "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)1"),
    ("`${new Date(0)}`", "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"),
    ("new Date(5) - 1", 4),
    ("+new Date(7)", 7),
    ("new Date(5) * 2", 10),
    ("new Date(2) > new Date(1)", True),
    ("new Date(1) == new Date(1)", False),
    ("new Date(0) == new Date(0).toString()", True),
    ("new Date(0)[Symbol.toPrimitive]('number')", 0),
    ("new Date(0)[Symbol.toPrimitive]('default')", "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"),
    ("new Date(0)[Symbol.toPrimitive]('string')", "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"),
    ("Date.prototype[Symbol.toPrimitive].call({toString() { return 'T'; }, valueOf() { return 1; }}, 'default')", "T"),
    ("Date.prototype[Symbol.toPrimitive].call({toString() { return 'T'; }, valueOf() { return 1; }}, 'number')", 1),
    ("const d = new Date(0); d.valueOf = () => 99; [d + '', d - 0]",
     ["Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)", 99]),
    # toJSON is generic
    ("Date.prototype.toJSON.call({toISOString() { return 'iso!'; }})", "iso!"),
    ("Date.prototype.toJSON.call({valueOf() { return Infinity; }, toISOString() { return 'x'; }})", None),
    ("typeof JSON === 'object' ? JSON.stringify({d: new Date(0)}) : '{\"d\":\"1970-01-01T00:00:00.000Z\"}'",
     '{"d":"1970-01-01T00:00:00.000Z"}'),
    ("typeof JSON === 'object' ? JSON.stringify([new Date(NaN)]) : '[null]'", "[null]"),
    # objects, prototypes, properties
    ("Object.prototype.toString.call(new Date(0))", "[object Date]"),
    ("Object.prototype.toString.call(Date.prototype)", "[object Object]"),
    ("new Date(0) instanceof Date", True),
    ("Object.getPrototypeOf(new Date(0)) === Date.prototype", True),
    ("Date.prototype.constructor === Date", True),
    ("[Date.length, Date.name, Date.UTC.length, Date.parse.length, Date.now.length]", [7, "Date", 7, 1, 0]),
    ("[Date.prototype.setFullYear.length, Date.prototype.setMonth.length, Date.prototype.setDate.length,"
     " Date.prototype.setHours.length, Date.prototype.setMinutes.length, Date.prototype.setSeconds.length,"
     " Date.prototype.setMilliseconds.length, Date.prototype.setTime.length, Date.prototype.setUTCHours.length,"
     " Date.prototype.toJSON.length, Date.prototype.getTime.length]",
     [3, 2, 1, 4, 3, 2, 1, 1, 4, 1, 0]),
    ("Date.prototype.toGMTString === Date.prototype.toUTCString", True),
    ("Date.prototype.toGMTString.name", "toUTCString"),
    ("Date.prototype[Symbol.toPrimitive].name", "[Symbol.toPrimitive]"),
    ("Date.prototype[Symbol.toPrimitive].length", 1),
    ("const d = Object.getOwnPropertyDescriptor(Date.prototype, Symbol.toPrimitive); [d.writable, d.enumerable, d.configurable]",
     [False, False, True]),
    ("const d = Object.getOwnPropertyDescriptor(Date.prototype, 'getTime'); [d.writable, d.enumerable, d.configurable]",
     [True, False, True]),
    ("Object.keys(new Date(0)).length", 0),
    ("class MyDate extends Date { year() { return this.getUTCFullYear(); } } const d = new MyDate(0);"
     " [d.year(), d instanceof Date, d instanceof MyDate, d.getTime()]", [1970, True, True, 0]),
    ("class D2 extends Date { constructor() { super(2024, 0, 2); } } new D2().toISOString()", "2024-01-02T00:00:00.000Z"),
]


@pytest.mark.parametrize("source, expected", UTC_CASES)
def test_date_utc_realm(source: str, expected: object) -> None:
    assert run_js(source) == expected


# -- setters ----------------------------------------------------------------------------------

SETTER_CASES = [
    ("const d = new Date(2024, 0, 31); d.setMonth(13); d.toISOString()", "2025-03-03T00:00:00.000Z"),
    ("const d = new Date(2024, 0, 31); d.setMonth(1)", 1709337600000),  # Feb 31 -> Mar 2
    ("const d = new Date(2024, 0, 15); d.setMonth(0, 40); d.toISOString()", "2024-02-09T00:00:00.000Z"),
    ("const d = new Date(2024, 0, 1); d.setDate(0); d.toISOString()", "2023-12-31T00:00:00.000Z"),
    ("const d = new Date(2024, 0, 1); d.setDate(366); d.toISOString()", "2024-12-31T00:00:00.000Z"),
    ("const d = new Date(2024, 0, 1, 10); d.setHours(25); d.toISOString()", "2024-01-02T01:00:00.000Z"),
    ("const d = new Date(2024, 0, 1, 10, 20, 30, 400); d.setHours(1, 2, 3, 4); d.toISOString()",
     "2024-01-01T01:02:03.004Z"),
    ("const d = new Date(2024, 0, 1, 10, 20, 30, 400); d.setHours(1); d.toISOString()", "2024-01-01T01:20:30.400Z"),
    ("const d = new Date(2024, 0, 1, 10, 20, 30, 400); d.setMinutes(-1); d.toISOString()", "2024-01-01T09:59:30.400Z"),
    ("const d = new Date(2024, 0, 1, 10, 20, 30, 400); d.setMinutes(5, 6); d.toISOString()", "2024-01-01T10:05:06.400Z"),
    ("const d = new Date(2024, 0, 1, 10, 20, 30, 400); d.setSeconds(61); d.toISOString()", "2024-01-01T10:21:01.400Z"),
    ("const d = new Date(2024, 0, 1, 10, 20, 30, 400); d.setSeconds(1, 2); d.toISOString()", "2024-01-01T10:20:01.002Z"),
    ("const d = new Date(2024, 0, 1); d.setMilliseconds(1500); d.toISOString()", "2024-01-01T00:00:01.500Z"),
    ("const d = new Date(2024, 1, 29); d.setFullYear(2025); d.toISOString()", "2025-03-01T00:00:00.000Z"),
    ("const d = new Date(2024, 1, 29); d.setFullYear(2023, 0, 5); d.toISOString()", "2023-01-05T00:00:00.000Z"),
    ("const d = new Date(2024, 5, 15, 6); d.setFullYear(99); d.getFullYear()", 99),  # no two-digit rule here
    ("const d = new Date(0); d.setTime(86400000)", 86400000),
    ("const d = new Date(0); d.setTime('12'); d.getTime()", 12),
    ("const d = new Date(0); d.setTime(); d.getTime()", None),
    ("const d = new Date(0); d.setTime(8.64e15 + 1)", None),
    ("const d = new Date(0); [d.setUTCHours(5), d.getUTCHours()]", [18000000, 5]),
    ("const d = new Date(0); d.setUTCFullYear(2000, 1, 29); d.toISOString()", "2000-02-29T00:00:00.000Z"),
    ("const d = new Date(0); d.setUTCMonth(11, 31); d.toISOString()", "1970-12-31T00:00:00.000Z"),
    ("const d = new Date(0); d.setUTCDate(15); d.toISOString()", "1970-01-15T00:00:00.000Z"),
    ("const d = new Date(0); d.setUTCMinutes(90, 1, 2); d.toISOString()", "1970-01-01T01:30:01.002Z"),
    ("const d = new Date(0); d.setUTCSeconds(3600); d.toISOString()", "1970-01-01T01:00:00.000Z"),
    ("const d = new Date(0); d.setUTCMilliseconds(-1); d.toISOString()", "1969-12-31T23:59:59.999Z"),
    # setters return the new time value (a number) and NaN for invalid results
    ("const d = new Date(0); d.setMonth(1)", 2678400000),
    ("const d = new Date(0); d.setHours(NaN)", None),
    ("const d = new Date(0); d.setHours(NaN); d.getTime()", None),
    ("const d = new Date(0); d.setHours(); d.getTime()", None),
    ("const d = new Date(0); d.setMinutes(1, undefined); d.getTime()", None),  # present but undefined -> NaN
    ("const d = new Date(0); d.setDate(Infinity)", None),
    ("const d = new Date(0); d.setFullYear(300000)", None),
    # an invalid date stays invalid for every setter but setFullYear/setTime/setYear
    ("const d = new Date(NaN); [d.setMonth(1), d.setDate(1), d.setHours(1), d.setMinutes(1), d.setSeconds(1), d.setMilliseconds(1)]",
     [None] * 6),
    ("const d = new Date(NaN); [d.setUTCMonth(1), d.setUTCDate(1), d.setUTCHours(1), d.getTime()]", [None] * 4),
    ("const d = new Date(NaN); d.setFullYear(2024); d.toISOString()", "2024-01-01T00:00:00.000Z"),
    ("const d = new Date(NaN); d.setUTCFullYear(2024, 5); d.toISOString()", "2024-06-01T00:00:00.000Z"),
    ("const d = new Date(NaN); d.setTime(5)", 5),
    # arguments are converted even when the date is invalid, in order
    ("const log = []; const d = new Date(NaN);"
     " d.setHours({valueOf() { log[log.length] = 'h'; return 1; }}, {valueOf() { log[log.length] = 'm'; return 2; }}); log",
     ["h", "m"]),
    ("const log = []; const v = t => ({valueOf() { log[log.length] = t; return 1; }});"
     " new Date(v('y'), v('m'), v('d'), v('h'), v('mi'), v('s'), v('ms')); log",
     ["y", "m", "d", "h", "mi", "s", "ms"]),
    ("const log = []; const v = t => ({valueOf() { log[log.length] = t; return 1; }});"
     " Date.UTC(v('y'), v('m'), v('d')); log", ["y", "m", "d"]),
    # Annex B setYear
    ("const d = new Date(Date.UTC(2024, 5, 15)); d.setYear(99); d.getFullYear()", 1999),
    ("const d = new Date(Date.UTC(2024, 5, 15)); d.setYear(2001); d.toISOString()", "2001-06-15T00:00:00.000Z"),
    ("const d = new Date(0); d.setYear(NaN)", None),
    ("const d = new Date(NaN); d.setYear(5); d.toISOString()", "1905-01-01T00:00:00.000Z"),
]


@pytest.mark.parametrize("source, expected", SETTER_CASES)
def test_date_setters(source: str, expected: object) -> None:
    assert run_js(source) == expected


# -- errors -----------------------------------------------------------------------------------

ERROR_CASES = [
    ("Date.prototype.getTime.call({})", "TypeError", "this is not a Date object."),
    ("Date.prototype.getFullYear.call(Date.prototype)", "TypeError", "this is not a Date object."),
    ("Date.prototype.getUTCDay.call(5)", "TypeError", "this is not a Date object."),
    ("Date.prototype.setHours.call({}, 1)", "TypeError", "this is not a Date object."),
    ("Date.prototype.toString.call({})", "TypeError", "this is not a Date object."),
    ("Date.prototype.toISOString.call([])", "TypeError", "this is not a Date object."),
    ("Date.prototype.valueOf.call(null)", "TypeError", "this is not a Date object."),
    ("new Date(NaN).toISOString()", "RangeError", "Invalid time value"),
    ("new Date('garbage').toISOString()", "RangeError", "Invalid time value"),
    ("Date.prototype[Symbol.toPrimitive].call(new Date(0), 'bogus')", "TypeError", "Invalid hint: bogus"),
    ("Date.prototype[Symbol.toPrimitive].call(new Date(0))", "TypeError", "Invalid hint: undefined"),
    ("Date.prototype[Symbol.toPrimitive].call(1, 'number')", "TypeError", None),
    ("new Date(Symbol())", "TypeError", None),
    ("Date.prototype.toJSON.call(undefined)", "TypeError", None),
    ("Date.prototype.toJSON.call({})", "TypeError", None),
    ("new Date(0).setHours(Symbol())", "TypeError", None),
]


@pytest.mark.parametrize("source, name, message", ERROR_CASES)
def test_date_errors(source: str, name: str, message: str | None) -> None:
    err = js_error(source)
    assert err.name == name
    if message is not None:
        assert err.message == message


# -- the clock hook -----------------------------------------------------------------------------


def test_now_comes_from_the_clock_hook() -> None:
    assert run_at("Date.now()") == 1700000000000
    assert run_at("typeof Date.now()") == "number"
    assert run_at("new Date().getTime()") == 1700000000000
    assert run_at("new Date().toISOString()") == "2023-11-14T22:13:20.000Z"
    assert run_at("Date.now() === Date.now()") is True
    assert run_at("[Date.now(), new Date().getTime()]", now=0.0) == [0, 0]


def test_now_is_integral_even_with_a_fractional_clock() -> None:
    assert run_at("Date.now()", now=1700000000000.75) == 1700000000000
    assert run_at("new Date().getMilliseconds()", now=1700000000123.9) == 123


def test_date_called_as_function_ignores_arguments() -> None:
    expected = "Tue Nov 14 2023 22:13:20 GMT+0000 (Coordinated Universal Time)"
    assert run_at("Date()") == expected
    assert run_at("Date(0, 1, 2)") == expected
    assert run_at("typeof Date()") == "string"
    assert run_at("Date()", tz=BERLIN) == "Tue Nov 14 2023 23:13:20 GMT+0100 (CET)"


def test_same_program_same_result() -> None:
    src = "const d = new Date(); [d.toString(), d.getDay(), Date.now() - d.getTime()]"
    first = run_at(src, tz=BERLIN)
    assert run_at(src, tz=BERLIN) == first
    assert first == ["Tue Nov 14 2023 23:13:20 GMT+0100 (CET)", 2, 0]


def test_default_clock_is_real_time() -> None:
    import time

    before = time.time() * 1000
    rt, value = evaluate("Date.now()")
    after = time.time() * 1000
    assert isinstance(value, int)
    assert math.floor(before) <= value <= after


def test_jsdate_intrinsic_is_registered() -> None:
    from seqflow_runtime.js.builtins.date import JSDate

    rt, value = evaluate("new Date(42)")
    assert rt.intrinsics["JSDate"] is JSDate
    assert isinstance(value, JSDate)
    assert value.tv == 42.0


# -- local time across DST (Europe/Berlin, America/New_York) -------------------------------------

BERLIN_CASES = [
    # winter (CET, +1) and summer (CEST, +2)
    ("new Date(2024, 0, 15, 12).toISOString()", "2024-01-15T11:00:00.000Z"),
    ("new Date(2024, 6, 15, 12).toISOString()", "2024-07-15T10:00:00.000Z"),
    ("[new Date(2024, 0, 1).getTimezoneOffset(), new Date(2024, 6, 1).getTimezoneOffset()]", [-60, -120]),
    ("const d = new Date(Date.UTC(2024, 6, 1, 22, 30)); [d.getDate(), d.getHours(), d.getMinutes(), d.getUTCDate(), d.getUTCHours(), d.getDay()]",
     [2, 0, 30, 1, 22, 2]),
    ("const d = new Date(Date.UTC(2023, 11, 31, 23, 30)); [d.getFullYear(), d.getMonth(), d.getDate(), d.getUTCFullYear()]",
     [2024, 0, 1, 2023]),
    ("new Date(Date.UTC(2024, 6, 15, 10, 20, 30)).toString()", "Mon Jul 15 2024 12:20:30 GMT+0200 (CEST)"),
    ("new Date(Date.UTC(2024, 0, 15, 10, 20, 30)).toString()", "Mon Jan 15 2024 11:20:30 GMT+0100 (CET)"),
    ("new Date(Date.UTC(2024, 0, 15, 10, 20, 30)).toTimeString()", "11:20:30 GMT+0100 (CET)"),
    ("new Date(Date.UTC(2024, 0, 15, 23, 20, 30)).toDateString()", "Tue Jan 16 2024"),
    ("new Date(Date.UTC(2024, 0, 15, 23, 20, 30)).toLocaleString()", "1/16/2024, 12:20:30 AM"),
    ("new Date(Date.UTC(2024, 0, 15, 23, 20, 30)).toUTCString()", "Mon, 15 Jan 2024 23:20:30 GMT"),
    ("new Date(Date.UTC(2024, 0, 15, 23, 20, 30)).toISOString()", "2024-01-15T23:20:30.000Z"),
    # DST starts 2024-03-31 02:00 CET -> 03:00 CEST: the hour 02:xx does not exist
    ("new Date(2024, 2, 31, 1, 59).toISOString()", "2024-03-31T00:59:00.000Z"),
    ("new Date(2024, 2, 31, 3, 0).toISOString()", "2024-03-31T01:00:00.000Z"),
    ("new Date(2024, 2, 31, 2, 30).toString()", "Sun Mar 31 2024 03:30:00 GMT+0200 (CEST)"),
    ("const d = new Date(2024, 2, 31); [d.getTimezoneOffset(), d.setHours(12), d.getTimezoneOffset(), d.getHours()]",
     [-60, 1711879200000, -120, 12]),
    ("const d = new Date(2024, 2, 30, 12); d.setDate(31); [d.getHours(), d.toISOString()]", [12, "2024-03-31T10:00:00.000Z"]),
    ("new Date(2024, 2, 31, 12) - new Date(2024, 2, 31, 0)", 11 * 3600000),
    # DST ends 2024-10-27 03:00 CEST -> 02:00 CET: 02:xx happens twice, the earlier (CEST) one is meant
    ("new Date(2024, 9, 27, 2, 30).toISOString()", "2024-10-27T00:30:00.000Z"),
    ("new Date(2024, 9, 28) - new Date(2024, 9, 27)", 25 * 3600000),
    ("const d = new Date(Date.UTC(2024, 9, 27, 1, 30)); [d.getHours(), d.getTimezoneOffset()]", [2, -60]),
    ("const d = new Date(Date.UTC(2024, 9, 27, 0, 30)); [d.getHours(), d.getTimezoneOffset()]", [2, -120]),
    # local setters keep the local wall time across the transition
    ("const d = new Date(2024, 9, 26, 9); d.setDate(28); [d.getHours(), d.toISOString()]", [9, "2024-10-28T08:00:00.000Z"]),
    ("const d = new Date(2024, 6, 1, 9); d.setMonth(11); [d.getHours(), d.toISOString()]", [9, "2024-12-01T08:00:00.000Z"]),
    ("const d = new Date(2024, 6, 1, 9); d.setUTCHours(9); d.getHours()", 11),
    # parsing: date-only forms are UTC, date-time forms without offset are local
    ("new Date('2024-07-01').getTime() === Date.UTC(2024, 6, 1)", True),
    ("new Date('2024-07-01T12:00').toISOString()", "2024-07-01T10:00:00.000Z"),
    ("new Date('2024-01-01T12:00:00').toISOString()", "2024-01-01T11:00:00.000Z"),
    ("new Date('2024-01-01T12:00:00Z').toISOString()", "2024-01-01T12:00:00.000Z"),
    ("const d = new Date(2024, 6, 1, 9, 8, 7); Date.parse(d.toString()) === d.getTime()", True),
    ("const d = new Date(2024, 6, 1, 9, 8, 7); Date.parse(d.toLocaleString()) === d.getTime()", True),
    ("new Date(2024, 6, 1).getYear()", 124),
    ("const d = new Date(Date.UTC(2024, 0, 1)); d.setYear(95); d.toISOString()", "1995-01-01T00:00:00.000Z"),
]


@pytest.mark.parametrize("source, expected", BERLIN_CASES)
def test_date_berlin(source: str, expected: object) -> None:
    assert run_at(source, tz=BERLIN) == expected


def test_new_york_offsets() -> None:
    src = "[new Date(2024, 0, 1).getTimezoneOffset(), new Date(2024, 6, 1).getTimezoneOffset(), new Date(2024, 6, 1, 20).getUTCDate()]"
    assert run_at(src, tz=NEW_YORK) == [300, 240, 2]
    assert run_at("new Date(Date.UTC(2024, 6, 1, 3)).toString()", tz=NEW_YORK) == "Sun Jun 30 2024 23:00:00 GMT-0400 (EDT)"


def test_same_time_value_in_every_zone() -> None:
    # The time value is absolute; only the local views differ.
    src = "const d = new Date('2024-05-05T05:05:05Z'); [d.getTime(), d.getUTCHours(), d.getHours()]"
    assert run_at(src) == [1714885505000, 5, 5]
    assert run_at(src, tz=BERLIN) == [1714885505000, 5, 7]
    assert run_at(src, tz=NEW_YORK) == [1714885505000, 5, 1]


# -- QuickJS oracle: UTC-only operations ----------------------------------------------------------

ORACLE_CASES = [
    "new Date(0).toISOString()",
    "new Date(1e12).toISOString()",
    "new Date(-1e12).toISOString()",
    "new Date(8.64e15).toISOString()",
    "new Date(-8.64e15).toISOString()",
    "new Date(8.64e15 + 1).getTime()",
    "new Date(1709634030123).toUTCString()",
    "new Date(-62198755200000).toUTCString()",
    "Date.UTC(2024, 1, 29, 12, 30, 15, 250)",
    "Date.UTC(2024, 0)",
    "Date.UTC(99, 0)",
    "Date.UTC(100, 0)",
    "Date.UTC(2024, 14, 35)",
    "Date.UTC(2024, -13, -1)",
    "Date.UTC(1970, 0, 1, 0, 0, 0, 0.9)",
    "Date.UTC(1970, 0, 1, 0, 0, 0, -0.9)",
    "Date.UTC(-271821, 3, 20)",
    "Date.UTC(-271821, 3, 19)",
    "Date.UTC(2024, 0, 1, 1e10)",
    "Date.parse('2024-03-05T10:20:30.123Z')",
    "Date.parse('2024-03-05T10:20:30.123456Z')",
    "Date.parse('2024-03-05')",
    "Date.parse('2024-03')",
    "Date.parse('2024')",
    "Date.parse('+002024-03-05T00:00:00Z')",
    "Date.parse('-000001-01-01T00:00:00Z')",
    "Date.parse('2024-03-05T10:20Z')",
    "Date.parse('2024-02-30')",
    "Date.parse('2024-03-05T24:00:00Z')",
    "Date.parse('2024-03-05T10:20:30+05:30')",
    "Date.parse('Tue, 05 Mar 2024 10:20:30 GMT')",
    "(() => { const d = new Date(0); d.setUTCFullYear(2020, 1, 29); return d.toISOString(); })()",
    "(() => { const d = new Date(0); return [d.setUTCMonth(1, 31), d.getUTCMonth(), d.getUTCDate()]; })()",
    "(() => { const d = new Date(Date.UTC(2024, 0, 31)); d.setUTCMonth(1); return d.toISOString(); })()",
    "(() => { const d = new Date(0); return [d.setUTCHours(48, 61, 61, 1001), d.toISOString()]; })()",
    "(() => { const d = new Date(0); return [d.setUTCMinutes(-1), d.setUTCSeconds(-1), d.setUTCMilliseconds(-1)]; })()",
    "(() => { const d = new Date(0); d.setUTCDate(0); return d.toISOString(); })()",
    "(() => { const d = new Date(NaN); return [d.setUTCHours(1), d.setUTCFullYear(2000), d.toISOString()]; })()",
    "(() => { const d = new Date(1709634030123); return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]; })()",
    "(() => { const d = new Date(-1); return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMilliseconds()]; })()",
    "(() => { const d = new Date(-8.64e15); return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay()]; })()",
    "[new Date(0).setTime(1.5), new Date(0).setTime(-1.5), new Date(0).setTime('7')]",
    "new Date(NaN).getUTCDate()",
    "new Date(2000, 0).getTime() - new Date(1999, 0).getTime()",
    "new Date('2000-01-01T00:00:00Z').getUTCDay()",
    "[new Date(0) - new Date(1000), new Date(3) * 1]",
    "new Date(0).toJSON()",
    "JSON.stringify({a: new Date(86400000 * 365)})",
    "Object.prototype.toString.call(new Date(0))",
    "Date.UTC(275760, 8, 13)",
    "Date.UTC(275760, 8, 13, 0, 0, 0, 1)",
]


def test_quickjs_oracle() -> None:
    quickjs = pytest.importorskip("quickjs")
    ctx = quickjs.Context()
    has_json = run_js("typeof JSON === 'object'")
    failures = []
    for snippet in ORACLE_CASES:
        if "JSON" in snippet and not has_json:
            continue
        expected = json.loads(ctx.eval(f"JSON.stringify({snippet})"))
        got = run_js(snippet)
        if got != expected:
            failures.append((snippet, expected, got))
    assert not failures
    assert len(ORACLE_CASES) >= 40

"""The Date built-in (ECMAScript 2017, section 20.3, plus Annex B's getYear/setYear/toGMTString).

All calendar arithmetic, parsing and formatting lives in the pure module
:mod:`seqflow_runtime.js.date_math`; this module does the object model part:
the ``[[DateValue]]`` slot (:class:`JSDate`), argument coercion in spec order,
and the function objects.

Determinism: the current time only ever comes from ``rt.now()`` (the realm's
clock hook, which replay logs and reproduces) and the local time zone from
``rt.timezone`` (``None`` meaning UTC), never from the host.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable

from .. import date_math as dm
from .. import ops
from ..values import (
    CONFIGURABLE,
    HIDDEN,
    SYM_TO_PRIMITIVE,
    JSObject,
    call,
    describe,
    is_callable,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime

_NAN = math.nan


class JSDate(JSObject):
    """A Date object; ``tv`` is its time value (float ms since the epoch, NaN when invalid)."""

    __slots__ = ("tv",)
    class_name = "Date"

    def __init__(self, proto: JSObject | None, tv: float) -> None:
        JSObject.__init__(self, proto)
        self.tv = tv


def js_number(x: float) -> int | float:
    """A float result as the runtime's number: an ``int`` when integral (time values always are)."""
    if x.is_integer() and -9007199254740992.0 <= x <= 9007199254740992.0:
        return int(x)
    return x


def _this_date(this: Any) -> JSDate:
    """thisTimeValue's receiver check."""
    if isinstance(this, JSDate):
        return this
    raise type_error("this is not a Date object.")


def _num(v: Any) -> float:
    """ToNumber as a float (the date_math primitives work on floats)."""
    t = type(v)
    if t is int:
        return float(v)
    if t is float:
        return v  # type: ignore[no-any-return]
    return float(ops.to_number(v))


def install(rt: "Runtime") -> None:
    """The Date constructor, its statics and Date.prototype; registers ``intrinsics['JSDate']``."""
    DP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["Date.prototype"] = DP
    rt.intrinsics["JSDate"] = JSDate

    def now_value() -> float:
        # Time values are whole milliseconds; the clock hook may return fractions.
        return dm.time_clip(rt.now())

    # -- constructor and statics ---------------------------------------------------------

    def date_call(this: Any, *_: Any) -> str:
        # Date() called as a function ignores its arguments (20.3.2, step 3.a etc.).
        return dm.to_string(now_value(), rt.timezone)

    def date_construct(args: list[Any], new_target: Any) -> JSDate:
        n = len(args)
        if n == 0:
            tv = now_value()
        elif n == 1:
            value = args[0]
            if isinstance(value, JSDate):
                tv = value.tv
            else:
                v = ops.to_primitive(value)
                if type(v) is str:
                    tv = dm.parse_date(v, rt.timezone)
                else:
                    tv = dm.time_clip(_num(v))
        else:
            # Every argument is converted, in order, before any is checked.
            fields = [_num(a) for a in args[:7]]
            y, m = fields[0], fields[1]
            dt = fields[2] if n > 2 else 1.0
            h = fields[3] if n > 3 else 0.0
            mi = fields[4] if n > 4 else 0.0
            s = fields[5] if n > 5 else 0.0
            ms = fields[6] if n > 6 else 0.0
            tv = dm.local_args_to_time(y, m, dt, h, mi, s, ms, tz=rt.timezone)
        # OrdinaryCreateFromConstructor comes after the conversions (20.3.2.1 step 3.q).
        return JSDate(rt.proto_from(new_target, DP), tv)

    date_ctor = rt.constructor("Date", 7, date_call, date_construct, DP)

    def date_now(this: Any, *_: Any) -> int | float:
        return js_number(now_value())

    def date_parse(this: Any, string: Any = undefined, *_: Any) -> int | float:
        return js_number(dm.parse_date(ops.to_string(string), rt.timezone))

    def date_utc(this: Any, *args: Any) -> int | float:
        n = len(args)
        fields = [_num(a) for a in args[:7]]
        y = fields[0] if n > 0 else _NAN
        # ES2017 required month; ES2018+ (and every engine) default it to 0.
        m = fields[1] if n > 1 else 0.0
        dt = fields[2] if n > 2 else 1.0
        h = fields[3] if n > 3 else 0.0
        mi = fields[4] if n > 4 else 0.0
        s = fields[5] if n > 5 else 0.0
        ms = fields[6] if n > 6 else 0.0
        return js_number(dm.utc_args_to_time(y, m, dt, h, mi, s, ms))

    rt.define(date_ctor, "now", date_now, 0)
    rt.define(date_ctor, "parse", date_parse, 1)
    rt.define(date_ctor, "UTC", date_utc, 7)

    # -- getters ---------------------------------------------------------------------------

    def local_getter(field: Callable[[float], float]) -> Callable[..., Any]:
        def getter(this: Any, *_: Any) -> int | float:
            t = (this if type(this) is JSDate else _this_date(this)).tv
            if t != t:
                return _NAN
            return int(field(dm.local_time(t, rt.timezone)))
        return getter

    def utc_getter(field: Callable[[float], float]) -> Callable[..., Any]:
        def getter(this: Any, *_: Any) -> int | float:
            t = (this if type(this) is JSDate else _this_date(this)).tv
            if t != t:
                return _NAN
            return int(field(t))
        return getter

    fields: list[tuple[str, Callable[[float], float]]] = [
        ("FullYear", dm.year_from_time),
        ("Month", dm.month_from_time),
        ("Date", dm.date_from_time),
        ("Day", dm.week_day),
        ("Hours", dm.hour_from_time),
        ("Minutes", dm.min_from_time),
        ("Seconds", dm.sec_from_time),
        ("Milliseconds", dm.ms_from_time),
    ]
    for name, field in fields:
        rt.define(DP, "get" + name, local_getter(field), 0)
        rt.define(DP, "getUTC" + name, utc_getter(field), 0)

    def get_time(this: Any, *_: Any) -> int | float:
        return js_number((this if type(this) is JSDate else _this_date(this)).tv)

    def get_timezone_offset(this: Any, *_: Any) -> int | float:
        t = _this_date(this).tv
        if t != t:
            return _NAN
        return js_number(dm.timezone_offset_minutes(t, rt.timezone))

    def get_year(this: Any, *_: Any) -> int | float:
        t = _this_date(this).tv
        if t != t:
            return _NAN
        return int(dm.year_from_time(dm.local_time(t, rt.timezone))) - 1900

    rt.define(DP, "getTime", get_time, 0)
    rt.define(DP, "valueOf", get_time, 0)
    rt.define(DP, "getTimezoneOffset", get_timezone_offset, 0)
    rt.define(DP, "getYear", get_year, 0)

    # -- setters ---------------------------------------------------------------------------
    # Each follows its spec steps: read the (local) time value, convert every
    # supplied argument in order (even when the date is invalid), take the
    # unsupplied fields from the current value, rebuild, TimeClip, store.

    def store(d: JSDate, tv: float) -> int | float:
        d.tv = tv
        return js_number(tv)

    def local_t(d: JSDate, local: bool) -> float:
        return dm.local_time(d.tv, rt.timezone) if local else d.tv

    def finish(d: JSDate, date: float, local: bool) -> int | float:
        return store(d, dm.time_clip(dm.utc_from_local(date, rt.timezone) if local else date))

    def make_set_milliseconds(local: bool) -> Callable[..., Any]:
        def setter(this: Any, *args: Any) -> int | float:
            d = _this_date(this)
            t = local_t(d, local)
            ms = _num(args[0] if args else undefined)
            time = dm.make_time(dm.hour_from_time(t), dm.min_from_time(t), dm.sec_from_time(t), ms)
            return finish(d, dm.make_date(dm.day(t), time), local)
        return setter

    def make_set_seconds(local: bool) -> Callable[..., Any]:
        def setter(this: Any, *args: Any) -> int | float:
            d = _this_date(this)
            t = local_t(d, local)
            s = _num(args[0] if args else undefined)
            ms = _num(args[1]) if len(args) > 1 else dm.ms_from_time(t)
            time = dm.make_time(dm.hour_from_time(t), dm.min_from_time(t), s, ms)
            return finish(d, dm.make_date(dm.day(t), time), local)
        return setter

    def make_set_minutes(local: bool) -> Callable[..., Any]:
        def setter(this: Any, *args: Any) -> int | float:
            d = _this_date(this)
            t = local_t(d, local)
            m = _num(args[0] if args else undefined)
            s = _num(args[1]) if len(args) > 1 else dm.sec_from_time(t)
            ms = _num(args[2]) if len(args) > 2 else dm.ms_from_time(t)
            time = dm.make_time(dm.hour_from_time(t), m, s, ms)
            return finish(d, dm.make_date(dm.day(t), time), local)
        return setter

    def make_set_hours(local: bool) -> Callable[..., Any]:
        def setter(this: Any, *args: Any) -> int | float:
            d = _this_date(this)
            t = local_t(d, local)
            h = _num(args[0] if args else undefined)
            m = _num(args[1]) if len(args) > 1 else dm.min_from_time(t)
            s = _num(args[2]) if len(args) > 2 else dm.sec_from_time(t)
            ms = _num(args[3]) if len(args) > 3 else dm.ms_from_time(t)
            time = dm.make_time(h, m, s, ms)
            return finish(d, dm.make_date(dm.day(t), time), local)
        return setter

    def make_set_date(local: bool) -> Callable[..., Any]:
        def setter(this: Any, *args: Any) -> int | float:
            d = _this_date(this)
            t = local_t(d, local)
            dt = _num(args[0] if args else undefined)
            day = dm.make_day(dm.year_from_time(t), dm.month_from_time(t), dt)
            return finish(d, dm.make_date(day, dm.time_within_day(t)), local)
        return setter

    def make_set_month(local: bool) -> Callable[..., Any]:
        def setter(this: Any, *args: Any) -> int | float:
            d = _this_date(this)
            t = local_t(d, local)
            m = _num(args[0] if args else undefined)
            dt = _num(args[1]) if len(args) > 1 else dm.date_from_time(t)
            day = dm.make_day(dm.year_from_time(t), m, dt)
            return finish(d, dm.make_date(day, dm.time_within_day(t)), local)
        return setter

    def make_set_full_year(local: bool) -> Callable[..., Any]:
        def setter(this: Any, *args: Any) -> int | float:
            d = _this_date(this)
            # An invalid date counts as +0 here, so setFullYear revives it.
            t = 0.0 if d.tv != d.tv else local_t(d, local)
            y = _num(args[0] if args else undefined)
            m = _num(args[1]) if len(args) > 1 else dm.month_from_time(t)
            dt = _num(args[2]) if len(args) > 2 else dm.date_from_time(t)
            day = dm.make_day(y, m, dt)
            return finish(d, dm.make_date(day, dm.time_within_day(t)), local)
        return setter

    setters: list[tuple[str, Callable[[bool], Callable[..., Any]], int]] = [
        ("Milliseconds", make_set_milliseconds, 1),
        ("Seconds", make_set_seconds, 2),
        ("Minutes", make_set_minutes, 3),
        ("Hours", make_set_hours, 4),
        ("Date", make_set_date, 1),
        ("Month", make_set_month, 2),
        ("FullYear", make_set_full_year, 3),
    ]
    for name, make, length in setters:
        rt.define(DP, "set" + name, make(True), length)
        rt.define(DP, "setUTC" + name, make(False), length)

    def set_time(this: Any, time: Any = undefined, *_: Any) -> int | float:
        d = _this_date(this)
        return store(d, dm.time_clip(_num(time)))

    def set_year(this: Any, year: Any = undefined, *_: Any) -> int | float:
        # Annex B.2.4.2.
        d = _this_date(this)
        t = 0.0 if d.tv != d.tv else dm.local_time(d.tv, rt.timezone)
        y = _num(year)
        if y != y:
            return store(d, _NAN)
        yi = dm.to_integer(y)
        full = 1900.0 + yi if 0 <= yi <= 99 else y
        day = dm.make_day(full, dm.month_from_time(t), dm.date_from_time(t))
        return finish(d, dm.make_date(day, dm.time_within_day(t)), True)

    rt.define(DP, "setTime", set_time, 1)
    rt.define(DP, "setYear", set_year, 1)

    # -- string conversions ------------------------------------------------------------------

    def to_iso_string(this: Any, *_: Any) -> str:
        t = _this_date(this).tv
        try:
            return dm.to_iso_string(t)
        except ValueError:
            raise rt.error("RangeError", "Invalid time value") from None

    def to_json(this: Any, key: Any = undefined, *_: Any) -> Any:
        # Generic (20.3.4.37): works on any object with a toISOString method.
        o = rt.to_object(this)
        tv = ops.to_primitive(o, "number")
        if (type(tv) is int or type(tv) is float) and not math.isfinite(tv):
            return None
        return rt.call_method(o, "toISOString")

    def zoned(fmt: Callable[[float, Any], str]) -> Callable[..., Any]:
        def method(this: Any, *_: Any) -> str:
            return fmt(_this_date(this).tv, rt.timezone)
        return method

    def to_utc_string(this: Any, *_: Any) -> str:
        return dm.to_utc_string(_this_date(this).tv)

    rt.define(DP, "toISOString", to_iso_string, 0)
    rt.define(DP, "toJSON", to_json, 1)
    rt.define(DP, "toString", zoned(dm.to_string), 0)
    rt.define(DP, "toDateString", zoned(dm.to_date_string), 0)
    rt.define(DP, "toTimeString", zoned(dm.to_time_string), 0)
    # toLocaleString, toLocaleDateString and toLocaleTimeString are ECMA-402's (see intl.py).
    utc_fn = rt.define(DP, "toUTCString", to_utc_string, 0)
    # Annex B.2.4.3: toGMTString is the very same function object.
    DP.write_slot("toGMTString", utc_fn, HIDDEN)

    def to_primitive(this: Any, hint: Any = undefined, *_: Any) -> Any:
        if not isinstance(this, JSObject):
            raise type_error("Date.prototype [ @@toPrimitive ] called on non-object")
        if hint == "string" or hint == "default":
            order = ("toString", "valueOf")
        elif hint == "number":
            order = ("valueOf", "toString")
        else:
            raise type_error(f"Invalid hint: {hint if type(hint) is str else describe(hint)}")
        # OrdinaryToPrimitive.
        for name in order:
            method = this.get(name)
            if is_callable(method):
                value = call(method, this)
                if not isinstance(value, JSObject):
                    return value
        raise type_error("Cannot convert object to primitive value")

    to_prim = rt.native(to_primitive, "[Symbol.toPrimitive]", 1)
    # Not writable (20.3.4.45), so a plain assignment cannot replace it.
    DP.write_slot(SYM_TO_PRIMITIVE, to_prim, CONFIGURABLE)

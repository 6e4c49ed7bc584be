"""``Intl`` (ECMA-402) and the locale-sensitive methods of Number, BigInt, Date, String and Array.

The JS surface only: options are read in the spec's order with its
RangeErrors and TypeErrors, and each object keeps its resolved options as
plain values (an ``IntlObject``'s slots); the formatting is
:mod:`seqflow_runtime.js.intl`'s, over ``babel``'s CLDR data. Every realm has
its own constructors and prototypes.

``babel`` is imported at the first ``Intl`` use, which also notes the CLDR
version on the realm (``rt.locale_data``) for the task's log. The
``toLocaleString`` family called without ``locales`` and ``options`` keeps the
built-in en-US formatters (no ``babel``, the same text as ``Intl``'s en-US),
so scripts that only use those need no locale data and their logs do not
depend on its version.
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Callable, Iterator, NamedTuple

from .. import date_math as dm
from .. import ops
from ..bigint import JSBigInt
from ..intl import collation, dates, lists, numbers, plurals, relative
from ..intl.locales import (
    canonicalize_list,
    cldr_version,
    locale_data,
    lookup,
    supported,
    unicode_keywords,
)
from ..values import (
    CONFIGURABLE,
    HIDDEN,
    SYM_TO_STRING_TAG,
    JSArray,
    JSObject,
    range_error,
    type_error,
    undefined,
)
from .date import JSDate
from .locale_methods import services

if TYPE_CHECKING:
    from ..runtime import Runtime

_ROUNDING_INCREMENTS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
_ROUNDING_MODES = ("ceil", "floor", "expand", "trunc", "halfCeil", "halfFloor", "halfExpand", "halfTrunc",
                   "halfEven")
_TYPE_NAME = re.compile(r"[a-z0-9]{3,8}(?:-[a-z0-9]{3,8})*", re.I)
_DECIMAL_LITERAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_DATE_FIELDS = ("weekday", "year", "month", "day")
_TIME_FIELDS = ("dayPeriod", "hour", "minute", "second", "fractionalSecondDigits")


class IntlObject(JSObject):
    """An Intl.NumberFormat, DateTimeFormat, ...: the service's name, its engine options, what
    ``resolvedOptions()`` reports, and the bound ``format``/``compare`` once asked for."""

    __slots__ = ("service", "state", "resolved", "bound")

    def __init__(self, proto: JSObject | None, service: str, state: Any, resolved: dict[str, Any]) -> None:
        JSObject.__init__(self, proto)
        self.service = service
        self.state = state
        self.resolved = resolved
        self.bound: Any = None


class LocaleServices(NamedTuple):
    """What the language's locale-sensitive methods take from a realm's ``Intl``."""

    #: ``(x, locales, options)``: a Number or BigInt value through a new NumberFormat.
    format_number: Callable[[Any, Any, Any], str]
    #: ``(t, locales, options, required, defaults)``: a time value through a new DateTimeFormat
    #: (CreateDateTimeFormat's ``required`` and ``defaults``).
    format_date: Callable[[float, Any, Any, str, str], str]
    #: ``(locales, options)``: a new Collator's options.
    collator: Callable[[Any, Any], collation.CollatorOptions]


class _Reader:
    """GetOption and friends (ECMA-402 §9.2.10-§9.2.14) over one options object, for one service."""

    def __init__(self, rt: "Runtime", options: JSObject, service: str) -> None:
        self.rt = rt
        self.options = options
        self.service = service

    def raw(self, prop: str) -> Any:
        return self.rt.get(self.options, prop)

    def string(self, prop: str, values: tuple[str, ...] | None = None, default: Any = undefined) -> Any:
        value = self.raw(prop)
        if value is undefined:
            return default
        text = ops.to_string(value)
        if values is not None and text not in values:
            raise range_error(f"Value {text} out of range for {self.service} options property {prop}")
        return text

    def boolean(self, prop: str, default: Any = undefined) -> Any:
        value = self.raw(prop)
        return default if value is undefined else ops.truthy(value)

    def number(self, prop: str, low: int, high: int, default: Any = undefined) -> Any:
        return default_number(self.raw(prop), low, high, default, prop)

    def type_name(self, prop: str) -> Any:
        """A ``calendar``/``numberingSystem``-like option: a RangeError unless ``type`` syntax (UTS #35)."""
        value = self.string(prop)
        if value is not undefined and not _TYPE_NAME.fullmatch(value):
            raise range_error(f"Invalid {prop} : {value}")
        return value


@contextmanager
def locale_data_gaps(service: str) -> Iterator[None]:
    """A hole in the CLDR tables babel ships for some locale (a missing pattern or name) is a JS
    ``RangeError`` naming the service, never a Python error reaching the host."""
    try:
        yield
    except (LookupError, ValueError, AttributeError, ArithmeticError) as exc:
        raise range_error(f"Intl.{service}: the locale data has nothing for this request ({exc!r})") from None


def resolved_digits(o: numbers.NumberOptions) -> dict[str, Any]:
    """The digit options ``resolvedOptions()`` reports, in its order (§15.3.5, §16.3.3)."""
    out: dict[str, Any] = {"minimumIntegerDigits": o.min_int}
    if o.rounding_type != "fractionDigits":
        out.update(minimumSignificantDigits=o.min_sig, maximumSignificantDigits=o.max_sig)
    if o.rounding_type != "significantDigits":
        out.update(minimumFractionDigits=o.min_frac, maximumFractionDigits=o.max_frac)
    return out


def default_number(value: Any, low: int, high: int, default: Any, prop: str) -> Any:
    """DefaultNumberOption (§9.2.13): an integer in [low, high], a RangeError outside it."""
    if value is undefined:
        return default
    n = ops.to_number(value)
    if n != n or n < low or n > high:
        raise range_error(f"{prop} value is out of range.")
    return int(math.floor(n))


def install_namespace(rt: "Runtime") -> None:
    """The ``Intl`` namespace and its constructors (installed at the realm's first use of them)."""
    OP = rt.ObjectPrototype

    def use_locale_data() -> None:
        """Note the CLDR version for the task's log at the realm's first Intl use (imports babel)."""
        if rt.locale_data is None:
            rt.locale_data = cldr_version()

    def locale_list(locales: Any) -> list[str]:
        """CanonicalizeLocaleList (§9.2.1)."""
        use_locale_data()
        if locales is undefined:
            return []
        if type(locales) is str:
            return canonicalize_list([locales])
        o = rt.to_object(locales)
        n = ops.to_length(rt.get(o, "length"))
        if n > rt.limits.max_array_length:
            raise range_error("Invalid array length")
        tags: list[str] = []
        for k in range(n):
            rt.tick()
            if rt.in_(str(k), o):
                value = rt.get(o, k)
                if type(value) is not str and not isinstance(value, JSObject):
                    raise type_error("Language ID should be string or object.")
                tags.append(ops.to_string(value))
        return canonicalize_list(tags)

    def coerce_options(options: Any) -> JSObject:
        """CoerceOptionsToObject (§9.2.9)."""
        return JSObject(None) if options is undefined else rt.to_object(options)

    def options_object(options: Any) -> JSObject:
        """GetOptionsObject (§9.2.8)."""
        if options is undefined:
            return JSObject(None)
        if not isinstance(options, JSObject):
            raise type_error("Options must be an object")
        return options

    def numbering_for(locale: str, requested: str, option: Any) -> tuple[str, str]:
        """The numbering system (option, else ``-u-nu-``, else the locale's) and the ``-u-nu-`` suffix it earns."""
        extension = unicode_keywords(requested).get("nu")
        symbols = locale_data(locale, "number_symbols")

        def usable(name: Any) -> bool:
            return type(name) is str and name in numbers.NUMBERING_ZERO and name in symbols

        if usable(option):
            return option, ("-u-nu-" + option if option == extension else "")
        if usable(extension):
            return str(extension), "-u-nu-" + str(extension)
        default = str(locale_data(locale, "default_numbering_system"))
        return (default if usable(default) else "latn"), ""

    def open_numbered(service: str, locales: Any, options: Any) -> tuple[_Reader, str, str, str]:
        """The first steps of InitializeNumberFormat (§15.1.2) and InitializeRelativeTimeFormat (§17.1.2):
        the locales, ``localeMatcher`` and ``numberingSystem`` read, then the locale and its numbering
        system resolved. The options reader, the locale, the numbering system and its ``-u-nu-`` suffix."""
        requested = locale_list(locales)
        r = _Reader(rt, coerce_options(options), f"Intl.{service}")
        r.string("localeMatcher", ("lookup", "best fit"), "best fit")
        numbering_option = r.type_name("numberingSystem")
        locale, request = lookup(requested)
        numbering, suffix = numbering_for(locale, request, numbering_option)
        return r, locale, numbering, suffix

    def this_intl(this: Any, service: str, method: str) -> IntlObject:
        if isinstance(this, IntlObject) and this.service == service:
            return this
        raise type_error(f"Method Intl.{service}.prototype.{method} called on incompatible receiver "
                         f"{rt.describe_receiver(this)}")

    def parts_array(parts: list[tuple[str, str]], extra: dict[str, Any] | None = None) -> JSArray:
        out = []
        for kind, value in parts:
            props: dict[str, Any] = {"type": kind, "value": value}
            if extra and kind not in ("literal",):
                props.update(extra)
            out.append(rt.object(props))
        return rt.new_array(out)

    def define_bound(proto: JSObject, service: str, prop: str, length: int,
                     bind: Callable[[Any], Callable[..., Any]]) -> None:
        """The ``format``/``compare`` getter of a service (§15.3.3, §11.3.3, §10.3.3): a function bound
        to the object's options, made at the first read and the same one after."""

        def getter(this: Any, *_: Any) -> Any:
            obj = this_intl(this, service, prop)
            if obj.bound is None:
                obj.bound = rt.native(bind(obj.state), "", length)
            return obj.bound

        rt.define_getter(proto, prop, getter)

    def define_format_to_parts(proto: JSObject, service: str, convert: Callable[[Any], Any],
                               to_parts: Callable[[Any, Any], list[tuple[str, str]]]) -> None:
        """A service's ``formatToParts(x)``: ``x`` converted, then formatted by ``to_parts(options, value)``."""

        def format_to_parts(this: Any, x: Any = undefined, *_: Any) -> JSArray:
            obj = this_intl(this, service, "formatToParts")
            value = convert(x)
            with locale_data_gaps(service):
                parts = to_parts(obj.state, value)
            return parts_array(parts)

        rt.define(proto, "formatToParts", format_to_parts, 1)

    def resolved_object(obj: IntlObject) -> JSObject:
        o = rt.new_object()
        for key, value in obj.resolved.items():
            o.put(key, rt.new_array(list(value)) if isinstance(value, list) else value)
        return o

    def make_service(name: str, length: int, create: Callable[[Any, Any], tuple[Any, dict[str, Any]]],
                     callable_without_new: bool) -> tuple[JSObject, Callable[[Any, Any], IntlObject]]:
        proto = JSObject(OP)

        def build(locales: Any, options: Any, new_target: Any = undefined) -> IntlObject:
            with locale_data_gaps(name):
                state, resolved = create(locales, options)
            return IntlObject(rt.proto_from(new_target, proto), name, state, resolved)

        def call_(this: Any, locales: Any = undefined, options: Any = undefined, *_: Any) -> Any:
            if not callable_without_new:
                raise type_error(f"Constructor Intl.{name} requires 'new'")
            return build(locales, options)

        def construct(args: list[Any], new_target: Any) -> IntlObject:
            padded = [*args, undefined, undefined]
            return build(padded[0], padded[1], new_target)

        ctor = rt.constructor(name, length, call_, construct, proto, global_=False)
        # Reachable as Intl.X, not as a global: the intrinsic is named so.
        rt.intrinsics[f"Intl.{name}"] = rt.intrinsics.pop(name)
        intl.put(name, ctor, HIDDEN)

        def supported_locales_of(this: Any, locales: Any = undefined, options: Any = undefined, *_: Any) -> JSArray:
            requested = locale_list(locales)
            _Reader(rt, coerce_options(options), f"Intl.{name}").string(
                "localeMatcher", ("lookup", "best fit"), "best fit")
            return rt.new_array(list(supported(requested)))

        rt.define(ctor, "supportedLocalesOf", supported_locales_of, 1)
        proto.write_slot(SYM_TO_STRING_TAG, f"Intl.{name}", CONFIGURABLE)

        def resolved_options(this: Any, *_: Any) -> JSObject:
            return resolved_object(this_intl(this, name, "resolvedOptions"))

        rt.define(proto, "resolvedOptions", resolved_options, 0)
        return proto, build

    intl = JSObject(OP)
    intl.write_slot(SYM_TO_STRING_TAG, "Intl", CONFIGURABLE)
    rt.global_object.put("Intl", intl, HIDDEN)

    def get_canonical_locales(this: Any, locales: Any = undefined, *_: Any) -> JSArray:
        return rt.new_array(list(locale_list(locales)))

    rt.define(intl, "getCanonicalLocales", get_canonical_locales, 1)

    # -- NumberFormat (§15) -----------------------------------------------------------------------

    def digit_options(r: _Reader, mnfd_default: int, mxfd_default: int, notation: str) -> dict[str, Any]:
        """SetNumberFormatDigitOptions (§15.1.3)."""
        mnid = r.number("minimumIntegerDigits", 1, 21, 1)
        mnfd, mxfd = r.raw("minimumFractionDigits"), r.raw("maximumFractionDigits")
        mnsd, mxsd = r.raw("minimumSignificantDigits"), r.raw("maximumSignificantDigits")
        increment = r.number("roundingIncrement", 1, 5000, 1)
        if increment not in _ROUNDING_INCREMENTS:
            raise range_error("roundingIncrement value is out of range.")
        mode = r.string("roundingMode", _ROUNDING_MODES, "halfExpand")
        priority = r.string("roundingPriority", ("auto", "morePrecision", "lessPrecision"), "auto")
        trailing = r.string("trailingZeroDisplay", ("auto", "stripIfInteger"), "auto")
        if increment != 1:
            mxfd_default = mnfd_default
        has_sd = mnsd is not undefined or mxsd is not undefined
        has_fd = mnfd is not undefined or mxfd is not undefined
        need_sd = need_fd = True
        if priority == "auto":
            need_sd = has_sd
            if need_sd or (not has_fd and notation == "compact"):
                need_fd = False
        out: dict[str, Any] = {"min_int": mnid, "rounding_mode": mode, "rounding_increment": increment,
                               "trailing_zero_display": trailing, "rounding_priority": priority}
        if need_sd:
            low = default_number(mnsd, 1, 21, 1, "minimumSignificantDigits")
            out["min_sig"] = low
            out["max_sig"] = default_number(mxsd, low, 21, 21, "maximumSignificantDigits")
        if need_fd:
            if has_fd:
                low = default_number(mnfd, 0, 100, undefined, "minimumFractionDigits")
                high = default_number(mxfd, 0, 100, undefined, "maximumFractionDigits")
                if low is undefined:
                    low = min(mnfd_default, high)
                elif high is undefined:
                    high = max(mxfd_default, low)
                elif low > high:
                    raise range_error("maximumFractionDigits value is out of range.")
                out["min_frac"], out["max_frac"] = low, high
            else:
                out["min_frac"], out["max_frac"] = mnfd_default, mxfd_default
        if not need_sd and not need_fd:
            out.update(min_frac=0, max_frac=0, min_sig=1, max_sig=2, rounding_type="morePrecision",
                       rounding_priority="morePrecision")
        elif priority == "auto":
            out["rounding_type"] = "significantDigits" if has_sd else "fractionDigits"
        else:
            out["rounding_type"] = priority
        if increment != 1:
            if out["rounding_type"] != "fractionDigits":
                raise type_error("roundingIncrement requires fraction digits rounding")
            if out["max_frac"] != out["min_frac"]:
                raise range_error("maximumFractionDigits must equal minimumFractionDigits with roundingIncrement")
        return out

    def use_grouping_option(r: _Reader, default: str) -> Any:
        """GetBooleanOrStringNumberFormatOption for ``useGrouping`` (§15.1.2)."""
        value = r.raw("useGrouping")
        if value is undefined:
            return default
        if value is True:
            return "always"
        if not ops.truthy(value):
            return False
        text = ops.to_string(value)
        if text in ("true", "false"):
            return default
        if text not in ("min2", "auto", "always"):
            raise range_error(f"Value {text} out of range for Intl.NumberFormat options property useGrouping")
        return text

    def is_well_formed_unit(unit: str) -> bool:
        if unit in numbers.SANCTIONED_UNITS:
            return True
        numerator, per, denominator = unit.partition("-per-")
        return bool(per) and numerator in numbers.SANCTIONED_UNITS and denominator in numbers.SANCTIONED_UNITS

    def create_number_format(locales: Any, options: Any) -> tuple[numbers.NumberOptions, dict[str, Any]]:
        """InitializeNumberFormat (§15.1.2)."""
        r, locale, numbering, suffix = open_numbered("NumberFormat", locales, options)
        style = r.string("style", ("decimal", "percent", "currency", "unit"), "decimal")
        currency = r.string("currency")
        if currency is not undefined and not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise range_error(f"Invalid currency code : {currency}")
        currency_display = r.string("currencyDisplay", ("code", "symbol", "narrowSymbol", "name"), "symbol")
        currency_sign = r.string("currencySign", ("standard", "accounting"), "standard")
        unit = r.string("unit")
        if unit is not undefined and not is_well_formed_unit(unit):
            raise range_error(f"Invalid unit argument for Intl.NumberFormat() '{unit}'")
        unit_display = r.string("unitDisplay", ("short", "narrow", "long"), "short")
        if style == "currency" and currency is undefined:
            raise type_error("Currency code is required with currency style.")
        if style == "unit" and unit is undefined:
            raise type_error("Unit is required with unit style.")
        notation = r.string("notation", ("standard", "scientific", "engineering", "compact"), "standard")
        if style == "currency" and notation == "standard":
            digits = numbers.currency_digits(currency.upper())
            mnfd_default, mxfd_default = digits, digits
        else:
            mnfd_default, mxfd_default = 0, 0 if style == "percent" else 3
        digits_opts = digit_options(r, mnfd_default, mxfd_default, notation)
        compact_display = r.string("compactDisplay", ("short", "long"), "short")
        grouping = use_grouping_option(r, "min2" if notation == "compact" else "auto")
        sign = r.string("signDisplay", ("auto", "never", "always", "exceptZero", "negative"), "auto")
        o = numbers.NumberOptions(
            locale=locale, numbering=numbering, style=style,
            currency=None if currency is undefined else currency.upper(),
            currency_display=currency_display, currency_sign=currency_sign,
            unit=None if unit is undefined else unit, unit_display=unit_display,
            notation=notation, compact_display=compact_display, use_grouping=grouping, sign_display=sign,
            **digits_opts)
        resolved: dict[str, Any] = {"locale": locale + suffix, "numberingSystem": numbering, "style": style}
        if style == "currency":
            resolved.update(currency=o.currency, currencyDisplay=currency_display, currencySign=currency_sign)
        if style == "unit":
            resolved.update(unit=unit, unitDisplay=unit_display)
        resolved.update(resolved_digits(o))
        resolved["useGrouping"] = grouping
        resolved["notation"] = notation
        if notation == "compact":
            resolved["compactDisplay"] = compact_display
        resolved.update(signDisplay=sign, roundingMode=o.rounding_mode, roundingIncrement=o.rounding_increment,
                        trailingZeroDisplay=o.trailing_zero_display, roundingPriority=o.rounding_priority)
        return o, resolved

    def to_intl_value(x: Any) -> Any:
        """ToIntlMathematicalValue (§15.5.17): a float, an exact int (BigInt) or an exact Decimal (string)."""
        prim = ops.to_primitive(x, "number")
        if type(prim) is JSBigInt:
            return prim.value
        if type(prim) is str:
            text = prim.strip()
            if _DECIMAL_LITERAL.fullmatch(text):
                try:
                    d = Decimal(text)
                except InvalidOperation:
                    d = None
                if d is not None and (d == 0 or -400 < d.adjusted() < 400):
                    return d if d != 0 else float(ops.to_number(text))
        n = ops.to_number(prim)
        return float(n)

    def number_format_text(o: numbers.NumberOptions, x: Any) -> str:
        with locale_data_gaps("NumberFormat"):
            text = numbers.format_number(o, x)
        return rt.check_string(text)

    nf_proto, build_number_format = make_service("NumberFormat", 0, create_number_format, True)

    define_bound(nf_proto, "NumberFormat", "format", 1, lambda state: lambda _this, x=undefined, *_a:
                 number_format_text(state, to_intl_value(x)))
    define_format_to_parts(nf_proto, "NumberFormat", to_intl_value, numbers.format_to_parts)

    # -- DateTimeFormat (§11) ---------------------------------------------------------------------

    def canonical_zone(value: Any) -> str:
        from ...zones import canonical_zone_name

        name = canonical_zone_name(ops.to_string(value))
        if name is None:
            raise range_error(f"Invalid time zone specified: {ops.to_string(value)}")
        return name

    def create_date_format(locales: Any, options: Any, required: str = "any",
                           defaults: str = "date") -> tuple[dates.DateOptions, dict[str, Any]]:
        """CreateDateTimeFormat (§11.1.2)."""
        from ...zones import zone_name

        requested = locale_list(locales)
        r = _Reader(rt, coerce_options(options), "Intl.DateTimeFormat")
        r.string("localeMatcher", ("lookup", "best fit"), "best fit")
        calendar = r.type_name("calendar")
        numbering_option = r.type_name("numberingSystem")
        hour12 = r.boolean("hour12")
        hour_cycle = r.string("hourCycle", ("h11", "h12", "h23", "h24"))
        locale, request = lookup(requested)
        numbering, suffix = numbering_for(locale, request, numbering_option)
        del calendar  # only the Gregorian calendar is supported: ``calendar`` is checked, then resolved so
        zone_value = r.raw("timeZone")
        time_zone = zone_name(rt.timezone) if zone_value is undefined else canonical_zone(zone_value)
        components: dict[str, str] = {}
        for name, values in dates.COMPONENTS.items():
            if name == "fractionalSecondDigits":
                digits = r.number(name, 1, 3)
                if digits is not undefined:
                    components[name] = str(digits)
                continue
            value = r.string(name, tuple(values))
            if value is not undefined:
                components[name] = value
        r.string("formatMatcher", ("basic", "best fit"), "best fit")
        date_style = r.string("dateStyle", ("full", "long", "medium", "short"))
        time_style = r.string("timeStyle", ("full", "long", "medium", "short"))
        styled = date_style is not undefined or time_style is not undefined
        if styled and components:
            raise type_error(f"Can't set option {next(iter(components))} when "
                             f"{'dateStyle' if date_style is not undefined else 'timeStyle'} is used")
        if required == "date" and time_style is not undefined:
            raise type_error("Invalid option : timeStyle")
        if required == "time" and date_style is not undefined:
            raise type_error("Invalid option : dateStyle")
        if not styled:
            fields = (_DATE_FIELDS if required == "date" else _TIME_FIELDS if required == "time"
                      else _DATE_FIELDS + _TIME_FIELDS)
            if not any(f in components for f in fields):
                if defaults in ("date", "all"):
                    components.update(year="numeric", month="numeric", day="numeric")
                if defaults in ("time", "all"):
                    components.update(hour="numeric", minute="numeric", second="numeric")
                components = {k: components[k] for k in dates.COMPONENTS if k in components}
        hc = resolve_hour_cycle(locale, request, hour12, hour_cycle)
        if styled:
            pattern = dates.style_pattern(locale, date_style if date_style is not undefined else None,
                                          time_style if time_style is not undefined else None,
                                          hc if hour12 is not undefined or hour_cycle is not undefined else None)
        else:
            pattern = dates.skeleton_pattern(locale, components, hc)
        o = dates.DateOptions(locale=locale, numbering=numbering, time_zone=time_zone, hour_cycle=hc,
                              pattern=pattern, components=components,
                              date_style=None if date_style is undefined else date_style,
                              time_style=None if time_style is undefined else time_style)
        resolved: dict[str, Any] = {"locale": locale + suffix, "calendar": "gregory", "numberingSystem": numbering,
                                    "timeZone": time_zone}
        shown = dates.pattern_components(pattern)
        if "hour" in shown:
            actual = dates.pattern_hour_cycle(pattern) or hc
            resolved.update(hourCycle=actual, hour12=actual in ("h11", "h12"))
        if not styled:
            for name in dates.COMPONENTS:
                if name in shown:
                    resolved[name] = shown[name]
                elif name in components:
                    resolved[name] = components[name]
            if "fractionalSecondDigits" in resolved:
                resolved["fractionalSecondDigits"] = int(resolved["fractionalSecondDigits"])
        else:
            if date_style is not undefined:
                resolved["dateStyle"] = date_style
            if time_style is not undefined:
                resolved["timeStyle"] = time_style
        return o, resolved

    def resolve_hour_cycle(locale: str, request: str, hour12: Any, hour_cycle: Any) -> str:
        preferred = dates.locale_hour_cycle(locale)
        if hour12 is not undefined:
            if hour12:
                return "h11" if preferred == "h11" else "h12"
            return "h23"
        if hour_cycle is not undefined:
            return str(hour_cycle)
        extension = unicode_keywords(request).get("hc")
        return extension if extension in ("h11", "h12", "h23", "h24") else preferred

    def date_zone(o: dates.DateOptions) -> Any:
        from ...zones import zone_from_name

        return zone_from_name(o.time_zone)

    def time_value(date: Any) -> float:
        t = rt.now() if date is undefined else ops.to_number(date)
        clipped = dm.time_clip(float(t))
        if clipped != clipped:
            raise range_error("Invalid time value")
        return float(clipped)

    def date_format_text(o: dates.DateOptions, t: float) -> str:
        with locale_data_gaps("DateTimeFormat"):
            text = dates.format_date(o, t, date_zone(o))
        return rt.check_string(text)

    df_proto, _ = make_service("DateTimeFormat", 0, create_date_format, True)

    define_bound(df_proto, "DateTimeFormat", "format", 1, lambda state: lambda _this, d=undefined, *_a:
                 date_format_text(state, time_value(d)))
    define_format_to_parts(df_proto, "DateTimeFormat", time_value,
                           lambda state, t: dates.format_to_parts(state, t, date_zone(state)))

    # -- Collator (§10) ---------------------------------------------------------------------------

    def create_collator(locales: Any, options: Any) -> tuple[collation.CollatorOptions, dict[str, Any]]:
        """InitializeCollator (§10.1.2)."""
        requested = locale_list(locales)
        r = _Reader(rt, coerce_options(options), "Intl.Collator")
        usage = r.string("usage", ("sort", "search"), "sort")
        r.string("localeMatcher", ("lookup", "best fit"), "best fit")
        r.type_name("collation")
        numeric = r.boolean("numeric")
        case_first = r.string("caseFirst", ("upper", "lower", "false"))
        locale, request = lookup(requested)
        keywords = unicode_keywords(request)
        relevant: list[str] = []  # the extension keywords that took effect, in key order
        if case_first is undefined and keywords.get("kf") in ("upper", "lower", "false"):
            case_first = keywords["kf"]
            relevant.append("kf-" + case_first)
        if numeric is undefined and keywords.get("kn") in ("", "true", "false"):
            numeric = keywords["kn"] != "false"
            relevant.append("kn" if numeric else "kn-false")
        suffix = "".join("-" + word for word in relevant)
        sensitivity = r.string("sensitivity", ("base", "accent", "case", "variant"), "variant")
        ignore_punctuation = r.boolean("ignorePunctuation", False)
        o = collation.CollatorOptions(sensitivity=sensitivity, numeric=bool(numeric is True),
                                      case_first="false" if case_first is undefined else case_first,
                                      ignore_punctuation=ignore_punctuation)
        resolved = {"locale": locale + ("-u" + suffix if suffix else ""), "usage": usage,
                    "sensitivity": sensitivity, "ignorePunctuation": ignore_punctuation, "collation": "default",
                    "numeric": o.numeric, "caseFirst": o.case_first}
        return o, resolved

    col_proto, build_collator = make_service("Collator", 0, create_collator, True)

    define_bound(col_proto, "Collator", "compare", 2, lambda state: lambda _this, x=undefined, y=undefined, *_a:
                 collation.compare(ops.to_string(x), ops.to_string(y), state))

    # -- PluralRules (§16) ------------------------------------------------------------------------

    def create_plural_rules(locales: Any, options: Any) -> tuple[tuple[str, bool, numbers.NumberOptions],
                                                                  dict[str, Any]]:
        """InitializePluralRules (§16.1.2)."""
        requested = locale_list(locales)
        r = _Reader(rt, coerce_options(options), "Intl.PluralRules")
        r.string("localeMatcher", ("lookup", "best fit"), "best fit")
        kind = r.string("type", ("cardinal", "ordinal"), "cardinal")
        digits_opts = digit_options(r, 0, 3, "standard")
        locale, _ = lookup(requested)
        o = numbers.NumberOptions(locale=locale, **digits_opts)
        resolved: dict[str, Any] = {"locale": locale, "type": kind, **resolved_digits(o)}
        resolved["pluralCategories"] = plurals.categories(locale, kind == "ordinal")
        return (locale, kind == "ordinal", o), resolved

    pr_proto, _ = make_service("PluralRules", 0, create_plural_rules, False)

    def pr_select(this: Any, n: Any = undefined, *_: Any) -> str:
        pr = this_intl(this, "PluralRules", "select")
        locale, ordinal, o = pr.state
        x = float(ops.to_number(n))
        if not math.isfinite(x):
            return "other"
        with locale_data_gaps("PluralRules"):
            return plurals.select(locale, ordinal, numbers.format_digits_for_plural(o, x))

    rt.define(pr_proto, "select", pr_select, 1)

    # -- RelativeTimeFormat (§17) -----------------------------------------------------------------

    def create_relative(locales: Any, options: Any) -> tuple[tuple[str, str, str, str], dict[str, Any]]:
        """InitializeRelativeTimeFormat (§17.1.2)."""
        r, locale, numbering, suffix = open_numbered("RelativeTimeFormat", locales, options)
        style = r.string("style", ("long", "short", "narrow"), "long")
        numeric = r.string("numeric", ("always", "auto"), "always")
        resolved = {"locale": locale + suffix, "style": style, "numeric": numeric, "numberingSystem": numbering}
        return (locale, numbering, style, numeric), resolved

    rtf_proto, _ = make_service("RelativeTimeFormat", 0, create_relative, False)

    def relative_parts(this: Any, value: Any, unit: Any, method: str) -> tuple[list[tuple[str, str]], str]:
        rtf = this_intl(this, "RelativeTimeFormat", method)
        x = float(ops.to_number(value))
        name = ops.to_string(unit)
        singular = name[:-1] if name.endswith("s") else name
        if singular not in relative.UNITS:
            raise range_error(f"Invalid unit argument for {method}() '{name}'")
        if not math.isfinite(x):
            raise range_error(f"Invalid value argument for {method}()")
        locale, numbering, style, numeric = rtf.state
        with locale_data_gaps("RelativeTimeFormat"):
            return relative.format_to_parts(locale, numbering, style, numeric, x, singular), singular

    def rtf_format(this: Any, value: Any = undefined, unit: Any = undefined, *_: Any) -> str:
        parts, _unit = relative_parts(this, value, unit, "format")
        return rt.check_string("".join(text for _, text in parts))

    def rtf_format_to_parts(this: Any, value: Any = undefined, unit: Any = undefined, *_: Any) -> JSArray:
        parts, singular = relative_parts(this, value, unit, "formatToParts")
        return parts_array(parts, {"unit": singular})

    rt.define(rtf_proto, "format", rtf_format, 2)
    rt.define(rtf_proto, "formatToParts", rtf_format_to_parts, 2)

    # -- ListFormat (§13) -------------------------------------------------------------------------

    def create_list_format(locales: Any, options: Any) -> tuple[tuple[str, str, str], dict[str, Any]]:
        """InitializeListFormat (§13.1.2)."""
        requested = locale_list(locales)
        r = _Reader(rt, options_object(options), "Intl.ListFormat")
        r.string("localeMatcher", ("lookup", "best fit"), "best fit")
        locale, _ = lookup(requested)
        kind = r.string("type", ("conjunction", "disjunction", "unit"), "conjunction")
        style = r.string("style", ("long", "short", "narrow"), "long")
        return (locale, kind, style), {"locale": locale, "type": kind, "style": style}

    lf_proto, _ = make_service("ListFormat", 0, create_list_format, False)

    def string_list(items: Any) -> list[str]:
        """StringListFromIterable (§13.5.1)."""
        if items is undefined:
            return []
        out: list[str] = []
        for item in rt.iterate(items):
            if type(item) is not str:
                raise type_error(f"Iterable yielded {rt.describe_receiver(item)} which is not a string")
            out.append(item)
        return out

    def list_parts(this: Any, items: Any, method: str) -> list[tuple[str, str]]:
        lf = this_intl(this, "ListFormat", method)
        locale, kind, style = lf.state
        strings = string_list(items)
        with locale_data_gaps("ListFormat"):
            return lists.format_to_parts(locale, kind, style, strings)

    def lf_format(this: Any, items: Any = undefined, *_: Any) -> str:
        return rt.check_string("".join(text for _, text in list_parts(this, items, "format")))

    def lf_format_to_parts(this: Any, items: Any = undefined, *_: Any) -> JSArray:
        return parts_array(list_parts(this, items, "formatToParts"))

    rt.define(lf_proto, "format", lf_format, 1)
    rt.define(lf_proto, "formatToParts", lf_format_to_parts, 1)

    # -- what the language's locale-sensitive methods use (§19) -----------------------------------

    rt.intrinsics["intl_locale_methods"] = LocaleServices(
        format_number=lambda x, locales, options: number_format_text(build_number_format(locales, options).state, x),
        format_date=lambda t, locales, options, required, defaults: date_format_text(
            create_date_format(locales, options, required, defaults)[0], t),
        collator=lambda locales, options: build_collator(locales, options).state,
    )


def install_date_methods(rt: "Runtime") -> None:
    """The ECMA-402 ``Date.prototype.toLocaleString``, ``toLocaleDateString`` and ``toLocaleTimeString``
    (§19.4), over the Date built-in's (installed with it)."""

    def this_date_value(this: Any) -> float:
        if not isinstance(this, JSDate):
            raise type_error("this is not a Date object.")
        return float(this.tv)

    def date_method(required: str, defaults: str, plain: Callable[[float, Any], str]) -> Callable[..., str]:
        def method(this: Any, locales: Any = undefined, options: Any = undefined, *_: Any) -> str:
            t = this_date_value(this)
            if locales is undefined and options is undefined:
                return plain(t, rt.timezone)
            if t != t:
                return dm.INVALID_DATE
            return services(rt).format_date(t, locales, options, required, defaults)
        return method

    DP = rt.intrinsics["Date.prototype"]
    rt.define(DP, "toLocaleString", date_method("any", "all", dm.to_locale_string), 0)
    rt.define(DP, "toLocaleDateString", date_method("date", "date", dm.to_locale_date_string), 0)
    rt.define(DP, "toLocaleTimeString", date_method("time", "time", dm.to_locale_time_string), 0)

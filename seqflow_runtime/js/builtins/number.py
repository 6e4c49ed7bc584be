"""``Number`` and ``Boolean``: constructors, statics and prototype methods.

``Number.parseInt``/``Number.parseFloat`` are the very same function objects as
the global ``parseInt``/``parseFloat`` (ES2015+ requires identity); they are
made here once per realm by :func:`parse_functions` and the globals installer
puts the same objects on the global object.
"""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Any

from .. import numconv, ops
from ..bigint import JSBigInt
from ..values import HIDDEN, JSFunction, JSObject, range_error, undefined
from .core import JSPrimitiveWrapper, this_primitive
from .deferred import later, method, pend

if TYPE_CHECKING:
    from ..runtime import Runtime

#: 2**53 - 1, the largest integer n such that n and n + 1 are both exact doubles.
MAX_SAFE_INTEGER = 9007199254740991
_INF = math.inf


def parse_functions(rt: "Runtime") -> tuple[JSFunction, JSFunction]:
    """The realm's ``parseInt`` and ``parseFloat`` (created on first request, then shared)."""
    existing_int = rt.intrinsics.get("parseInt")
    existing_float = rt.intrinsics.get("parseFloat")
    if isinstance(existing_int, JSFunction) and isinstance(existing_float, JSFunction):
        return existing_int, existing_float

    to_string = ops.to_string
    to_number = ops.to_number
    parse_int_impl = numconv.parse_int
    parse_float_impl = numconv.parse_float

    def parse_int(this: Any, string: Any = undefined, radix: Any = undefined, *_: Any) -> int | float:
        # Spec order: ToString(string) first, then ToInt32(radix) (done by numconv).
        s = string if type(string) is str else to_string(string)
        if radix is undefined:
            return parse_int_impl(s, None)
        return parse_int_impl(s, to_number(radix))

    def parse_float(this: Any, string: Any = undefined, *_: Any) -> int | float:
        s = string if type(string) is str else to_string(string)
        return parse_float_impl(s)

    f_int = rt.native(parse_int, "parseInt", 2)
    f_float = rt.native(parse_float, "parseFloat", 1)
    rt.intrinsics["parseInt"] = f_int
    rt.intrinsics["parseFloat"] = f_float
    return f_int, f_float


def _digits_arg(n: int | float) -> int:
    """A ToInteger result as an ``int`` for numconv (infinities become out-of-range ints)."""
    if type(n) is int:
        return n
    return 1000 if n > 0 else -1000


def _group_thousands(digits: str) -> str:
    """``"1234567"`` → ``"1,234,567"`` (en-US grouping)."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]]
    for i in range(head, len(digits), 3):
        parts.append(digits[i : i + 3])
    return ",".join(parts)


def locale_format(x: int | float) -> str:
    """``Number.prototype.toLocaleString()`` for en-US: grouping, at most 3 fraction digits."""
    if type(x) is int:
        return "-" + _group_thousands(str(-x)) if x < 0 else _group_thousands(str(x))
    if x != x:
        return "NaN"
    sign = "-" if math.copysign(1.0, x) < 0 else ""  # Intl keeps the sign of -0
    ax = abs(x)
    if ax == _INF:
        return sign + "∞"
    if ax >= 1e21:
        # An integer: Intl prints its shortest round-trip digits padded with zeros.
        text = numconv.number_to_string(ax)
        mantissa, _, exp = text.partition("e+")
        whole, _, frac = mantissa.partition(".")
        int_part = whole + frac + "0" * (int(exp) - len(frac))
        return sign + _group_thousands(int_part)
    fixed = numconv.to_fixed(ax, 3)
    int_part, _, frac = fixed.partition(".")
    frac = frac.rstrip("0")
    out = _group_thousands(int_part)
    return sign + (out + "." + frac if frac else out)


def install(rt: "Runtime") -> None:
    """``Number`` (constructor, constants, predicates, prototype) and ``Boolean``."""
    NP = rt.NumberPrototype
    BP = rt.BooleanPrototype
    to_number = ops.to_number
    to_integer = ops.to_integer

    # -- Number ---------------------------------------------------------------------

    def number_value(value: Any) -> int | float:
        """Number ( value ) steps 1-2 (ES2020 21.1.1.1): ToNumeric, a BigInt converted exactly."""
        prim = ops.to_numeric(value)
        return numconv.int_to_number(prim.value) if type(prim) is JSBigInt else prim

    def number_call(this: Any, *args: Any) -> int | float:
        # ``Number()`` is 0 but ``Number(undefined)`` is NaN: presence matters.
        return number_value(args[0]) if args else 0

    def number_construct(args: list[Any], new_target: Any) -> JSObject:
        # ToNumeric happens before the prototype is read from new_target (spec order).
        value = number_value(args[0]) if args else 0
        return JSPrimitiveWrapper(rt.proto_from(new_target, NP), value)

    number = rt.constructor("Number", 1, number_call, number_construct, NP)
    # The statics and the prototype's methods are made when a script first looks at them.
    pend(rt, number)
    pend(rt, NP)

    def statics() -> None:
        """Number's constants, predicates, parseFloat and parseInt (21.1.2), made when a script first
        looks at Number."""
        constants: tuple[tuple[str, int | float], ...] = (
            ("EPSILON", 2.0**-52),
            ("MAX_SAFE_INTEGER", MAX_SAFE_INTEGER),
            ("MIN_SAFE_INTEGER", -MAX_SAFE_INTEGER),
            ("MAX_VALUE", sys.float_info.max),
            ("MIN_VALUE", 5e-324),
            ("NaN", math.nan),
            ("NEGATIVE_INFINITY", -_INF),
            ("POSITIVE_INFINITY", _INF),
        )
        for name, value in constants:
            number.write_slot(name, value, 0)

        def is_finite(this: Any, v: Any = undefined, *_: Any) -> bool:
            t = type(v)
            if t is int:
                return True
            return t is float and math.isfinite(v)

        def is_integer(this: Any, v: Any = undefined, *_: Any) -> bool:
            t = type(v)
            if t is int:
                return True
            return t is float and math.isfinite(v) and v.is_integer()

        def is_nan(this: Any, v: Any = undefined, *_: Any) -> bool:
            return type(v) is float and v != v

        def is_safe_integer(this: Any, v: Any = undefined, *_: Any) -> bool:
            t = type(v)
            if t is int:
                return -MAX_SAFE_INTEGER <= v <= MAX_SAFE_INTEGER  # type: ignore[no-any-return]
            return t is float and math.isfinite(v) and v.is_integer() and abs(v) <= MAX_SAFE_INTEGER

        method(rt, number, "isFinite", is_finite, 1)
        method(rt, number, "isInteger", is_integer, 1)
        method(rt, number, "isNaN", is_nan, 1)
        method(rt, number, "isSafeInteger", is_safe_integer, 1)
        f_int, f_float = parse_functions(rt)
        number.write_slot("parseFloat", f_float, HIDDEN)
        number.write_slot("parseInt", f_int, HIDDEN)

    later(number, statics)
    def prototype_methods() -> None:
        """Number.prototype's methods (21.1.3), made when a script first looks at Number.prototype."""

        # -- Number.prototype -------------------------------------------------------------

        def number_to_string(this: Any, radix: Any = undefined, *_: Any) -> str:
            if type(this) is int and radix is undefined:
                return str(this)
            x = this_primitive(this, "number", "Number.prototype.toString")
            if radix is undefined:
                return numconv.number_to_string(x)
            r = to_integer(radix)
            if not 2 <= r <= 36:
                raise range_error("toString() radix argument must be between 2 and 36")
            return numconv.number_to_string_radix(x, int(r))

        def number_value_of(this: Any, *_: Any) -> int | float:
            if type(this) is int or type(this) is float:
                return this
            return this_primitive(this, "number", "Number.prototype.valueOf")  # type: ignore[no-any-return]

        def number_to_fixed(this: Any, digits: Any = undefined, *_: Any) -> str:
            x = this_primitive(this, "number", "Number.prototype.toFixed")
            f = _digits_arg(to_integer(digits))
            try:
                return numconv.to_fixed(x, f)
            except ValueError as exc:
                raise range_error(str(exc)) from None

        def number_to_exponential(this: Any, digits: Any = undefined, *_: Any) -> str:
            x = this_primitive(this, "number", "Number.prototype.toExponential")
            # ToInteger runs even for undefined (spec step 2), before the NaN/Infinity checks.
            f = _digits_arg(to_integer(digits))
            try:
                return numconv.to_exponential(x, None if digits is undefined else f)
            except ValueError as exc:
                raise range_error(str(exc)) from None

        def number_to_precision(this: Any, precision: Any = undefined, *_: Any) -> str:
            x = this_primitive(this, "number", "Number.prototype.toPrecision")
            if precision is undefined:
                return numconv.number_to_string(x)
            p = _digits_arg(to_integer(precision))
            try:
                return numconv.to_precision(x, p)
            except ValueError as exc:
                raise range_error(str(exc)) from None

        method(rt, NP, "toExponential", number_to_exponential, 1)
        method(rt, NP, "toFixed", number_to_fixed, 1)
        method(rt, NP, "toPrecision", number_to_precision, 1)
        method(rt, NP, "toString", number_to_string, 1)
        method(rt, NP, "valueOf", number_value_of, 0)

    later(NP, prototype_methods)

    # -- Boolean ----------------------------------------------------------------------

    truthy = ops.truthy

    def boolean_call(this: Any, value: Any = undefined, *_: Any) -> bool:
        return truthy(value)

    def boolean_construct(args: list[Any], new_target: Any) -> JSObject:
        value = truthy(args[0]) if args else False
        return JSPrimitiveWrapper(rt.proto_from(new_target, BP), value)

    rt.constructor("Boolean", 1, boolean_call, boolean_construct, BP)
    pend(rt, BP)

    def boolean_methods() -> None:
        """Boolean.prototype's toString and valueOf (20.3.3), made when a script first looks at
        Boolean.prototype."""
        def boolean_to_string(this: Any, *_: Any) -> str:
            b = this if type(this) is bool else this_primitive(this, "boolean", "Boolean.prototype.toString")
            return "true" if b else "false"

        def boolean_value_of(this: Any, *_: Any) -> bool:
            if type(this) is bool:
                return this
            return this_primitive(this, "boolean", "Boolean.prototype.valueOf")  # type: ignore[no-any-return]

        method(rt, BP, "toString", boolean_to_string, 0)
        method(rt, BP, "valueOf", boolean_value_of, 0)

    later(BP, boolean_methods)


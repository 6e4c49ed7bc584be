"""The ``Math`` object (ES2017): constants and functions with JavaScript's edge cases.

Python's ``math`` module raises ``ValueError``/``OverflowError`` where
JavaScript quietly returns NaN or ±Infinity, rounds half to even where
``Math.round`` rounds half toward +Infinity, and loses the sign of zero in
``floor``/``ceil``; every function here smooths those differences over.

Results follow the runtime's number model: an ``int`` when the value is an
exact integer within ±2**53 and not -0, a ``float`` otherwise. Every argument
is converted with ToNumber, in order, before any computation (so ``valueOf``
side effects happen even when an earlier argument is NaN). The hot functions
(``floor``, ``ceil``, ``round``, ``abs``, ``max``, ``min``, ``sqrt``) check for
``int``/``float`` arguments first and skip the generic path.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import ops
from ..numconv import to_uint32
from ..values import CONFIGURABLE, HIDDEN, SYM_TO_STRING_TAG, JSObject, describe, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

_NAN = math.nan
_INF = math.inf
_MAX_SAFE_F = 9007199254740992.0  # 2**53: beyond it every double is an integer
_FLOAT32 = struct.Struct("f")
_FLOAT16 = struct.Struct("e")
_copysign = math.copysign

#: Math's value properties (non-writable, non-enumerable, non-configurable).
CONSTANTS: tuple[tuple[str, float], ...] = (
    ("E", 2.718281828459045),
    ("LN10", 2.302585092994046),
    ("LN2", 0.6931471805599453),
    ("LOG10E", 0.4342944819032518),
    ("LOG2E", 1.4426950408889634),
    ("PI", 3.141592653589793),
    ("SQRT1_2", 0.7071067811865476),
    ("SQRT2", 1.4142135623730951),
)


def js_number(r: float) -> int | float:
    """A float result in the runtime's preferred form (``int`` when exact, in range and not -0)."""
    if r.is_integer() and -_MAX_SAFE_F <= r <= _MAX_SAFE_F:
        if r == 0 and _copysign(1.0, r) < 0:
            return r
        return int(r)
    return r


def _is_neg_zero(x: int | float) -> bool:
    return x == 0 and type(x) is float and _copysign(1.0, x) < 0


def _is_odd_integer(x: int | float) -> bool:
    if type(x) is int:
        return x % 2 == 1
    return isinstance(x, float) and math.isfinite(x) and x.is_integer() and int(x) % 2 == 1


# -- functions whose Python counterparts need help at the domain edges -------------------


def _log_like(fn: Callable[[float], float]) -> Callable[[int | float], int | float]:
    """log/log2/log10: -Infinity at ±0, NaN below 0 (Python raises for both)."""

    def log(x: int | float) -> int | float:
        if x > 0:
            return js_number(fn(x))
        if x == 0:
            return -_INF
        return _NAN  # negative or NaN

    return log


def _log1p(x: int | float) -> int | float:
    if x > -1:
        return js_number(math.log1p(x))
    if x == -1:
        return -_INF
    return _NAN


def _atanh(x: int | float) -> int | float:
    if -1 < x < 1:
        return js_number(math.atanh(x))
    if x == 1:
        return _INF
    if x == -1:
        return -_INF
    return _NAN


def _sinh(x: int | float) -> int | float:
    try:
        return js_number(math.sinh(x))
    except OverflowError:
        return _copysign(_INF, x)


def _overflow_to_inf(fn: Callable[[float], float]) -> Callable[[int | float], int | float]:
    """exp/expm1/cosh: overflow means +Infinity."""

    def wrapped(x: int | float) -> int | float:
        try:
            return js_number(fn(x))
        except OverflowError:
            return _INF

    return wrapped


def _domain_nan(fn: Callable[[float], float]) -> Callable[[int | float], int | float]:
    """Functions whose only Python error is a domain error (JS: NaN)."""

    def wrapped(x: int | float) -> int | float:
        try:
            return js_number(fn(x))
        except ValueError:
            return _NAN

    return wrapped


def _cbrt(x: int | float) -> int | float:
    """Cube root, rounded to the nearest double (glibc's cbrt may be 1 ulp off: cbrt(27))."""
    r = math.cbrt(x)
    if r == 0 or not math.isfinite(r):
        return js_number(r)
    # Of r and its two neighbours keep the one whose exact cube is closest to x:
    # with x = a/b and c = p/q the error is |p³b - aq³| / (q³b), compared cross-multiplied.
    a, b = float(x).as_integer_ratio()
    best = r
    p, q = r.as_integer_ratio()
    best_num, best_den = abs(p * p * p * b - a * q * q * q), q * q * q
    for c in (math.nextafter(r, _INF), math.nextafter(r, -_INF)):
        p, q = c.as_integer_ratio()
        num, den = abs(p * p * p * b - a * q * q * q), q * q * q
        if num * best_den < best_num * den:
            best, best_num, best_den = c, num, den
    return js_number(best)


def fround(x: int | float) -> int | float:
    """Math.fround (ECMA-262 21.3.2.17): the nearest binary32 (ties to even) as a Number."""
    try:
        r: float = _FLOAT32.unpack(_FLOAT32.pack(float(x)))[0]
    except OverflowError:
        return _copysign(_INF, x)
    return js_number(r)


def f16round(x: int | float) -> int | float:
    """Math.f16round (ECMA-262 2025, 21.3.2.17): the nearest binary16 (ties to even) as a Number."""
    try:
        r: float = _FLOAT16.unpack(_FLOAT16.pack(float(x)))[0]
    except OverflowError:  # rounds past 65504 to infinity
        return _copysign(_INF, x)
    return js_number(r)


#: Each finite double is an integer multiple of 2**-1074 (the smallest subnormal).
_ULP_SHIFT = 1074


def sum_precise(values: list[int | float]) -> int | float:
    """The exact sum of Numbers rounded once (Math.sumPrecise's steps 7-12, ES2026 21.3.2.34).

    Infinities and NaN follow the spec's state machine; -0 is the result
    only when every addend is -0 (or there are none). Finite values are
    summed exactly as integers scaled by 2**1074, then rounded to nearest,
    ties to even, by Python's correctly rounded int division (an
    overflowing sum becomes ±Infinity, not an intermediate overflow).
    """
    state = "minus-zero"
    total = 0
    for n in values:
        if state == "nan":
            continue
        if n != n:
            state = "nan"
        elif n == _INF:
            state = "nan" if state == "minus-infinity" else "plus-infinity"
        elif n == -_INF:
            state = "nan" if state == "plus-infinity" else "minus-infinity"
        elif not _is_neg_zero(n) and state in ("minus-zero", "finite"):
            state = "finite"
            num, den = n.as_integer_ratio()
            total += num << (_ULP_SHIFT - den.bit_length() + 1)
    if state == "nan":
        return _NAN
    if state == "plus-infinity":
        return _INF
    if state == "minus-infinity":
        return -_INF
    if state == "minus-zero":
        return -0.0
    try:
        return js_number(total / (1 << _ULP_SHIFT))
    except OverflowError:
        return _INF if total > 0 else -_INF


def _clz32(x: int | float) -> int:
    return 32 - to_uint32(x).bit_length()


def _sign(x: int | float) -> int | float:
    if x > 0:
        return 1
    if x < 0:
        return -1
    if type(x) is float and x == 0 and _copysign(1.0, x) > 0:
        return 0
    return x  # NaN, -0 and int 0 stay


def _trunc(x: int | float) -> int | float:
    if type(x) is int:
        return x
    if -_MAX_SAFE_F <= x <= _MAX_SAFE_F:
        r = int(x)
        if r == 0 and _copysign(1.0, x) < 0:
            return -0.0
        return r
    return x  # NaN, ±Infinity and huge (already integral) values


#: The one-argument functions without a hand-written fast path: name → implementation.
UNARY: dict[str, Callable[[int | float], int | float]] = {
    "acos": _domain_nan(math.acos),
    "acosh": _domain_nan(math.acosh),
    "asin": _domain_nan(math.asin),
    "asinh": _domain_nan(math.asinh),
    "atan": _domain_nan(math.atan),
    "atanh": _atanh,
    "cbrt": _cbrt,
    "clz32": _clz32,
    "cos": _domain_nan(math.cos),
    "cosh": _overflow_to_inf(math.cosh),
    "exp": _overflow_to_inf(math.exp),
    "expm1": _overflow_to_inf(math.expm1),
    "f16round": f16round,
    "fround": fround,
    "log": _log_like(math.log),
    "log1p": _log1p,
    "log10": _log_like(math.log10),
    "log2": _log_like(math.log2),
    "sign": _sign,
    "sin": _domain_nan(math.sin),
    "sinh": _sinh,
    "tan": _domain_nan(math.tan),
    "tanh": _domain_nan(math.tanh),
    "trunc": _trunc,
}


def install(rt: "Runtime") -> None:
    """Create the ``Math`` object and make it a global."""
    M = JSObject(rt.ObjectPrototype)
    to_number = ops.to_number
    floor_ = math.floor
    sqrt_ = math.sqrt

    for name, value in CONSTANTS:
        M.write_slot(name, value, 0)
    M.write_slot(SYM_TO_STRING_TAG, "Math", CONFIGURABLE)

    def make_unary(impl: Callable[[int | float], int | float]) -> Callable[..., int | float]:
        def method(this: Any, x: Any = undefined, *_: Any) -> int | float:
            t = type(x)
            if t is not int and t is not float:
                x = to_number(x)
            return impl(x)

        return method

    # -- hot functions: int/float fast paths first ------------------------------------

    def math_abs(this: Any, x: Any = undefined, *_: Any) -> int | float:
        t = type(x)
        if t is int:
            return abs(x)  # type: ignore[no-any-return]
        if t is not float:
            x = to_number(x)
            if type(x) is int:
                return abs(x)
        r = abs(x)
        if r.is_integer() and r <= _MAX_SAFE_F:
            return int(r)  # also turns -0 into +0
        return r  # type: ignore[no-any-return]

    def math_floor(this: Any, x: Any = undefined, *_: Any) -> int | float:
        t = type(x)
        if t is int:
            return x  # type: ignore[no-any-return]
        if t is not float:
            x = to_number(x)
            if type(x) is int:
                return x
        if -_MAX_SAFE_F <= x <= _MAX_SAFE_F:
            r = floor_(x)
            if r == 0 and _copysign(1.0, x) < 0:
                return -0.0  # only -0 floors to a zero with a sign
            return r  # type: ignore[no-any-return]
        return x  # type: ignore[no-any-return]  # NaN, ±Infinity, huge integral values

    def math_ceil(this: Any, x: Any = undefined, *_: Any) -> int | float:
        t = type(x)
        if t is int:
            return x  # type: ignore[no-any-return]
        if t is not float:
            x = to_number(x)
            if type(x) is int:
                return x
        if -_MAX_SAFE_F <= x <= _MAX_SAFE_F:
            r = math.ceil(x)
            if r == 0 and _copysign(1.0, x) < 0:
                return -0.0  # ceil of (-1, -0] is -0
            return r  # type: ignore[no-any-return]
        return x  # type: ignore[no-any-return]

    def math_round(this: Any, x: Any = undefined, *_: Any) -> int | float:
        t = type(x)
        if t is int:
            return x  # type: ignore[no-any-return]
        if t is not float:
            x = to_number(x)
            if type(x) is int:
                return x
        if -_MAX_SAFE_F <= x <= _MAX_SAFE_F:
            # Ties go toward +Infinity; x - floor(x) is exact for every double, so
            # this never suffers the floor(x + 0.5) double-rounding error.
            r = floor_(x)
            if x - r >= 0.5:
                r += 1
            if r == 0 and _copysign(1.0, x) < 0:
                return -0.0  # [-0.5, -0] rounds to -0
            return r  # type: ignore[no-any-return]
        return x  # type: ignore[no-any-return]

    def math_sqrt(this: Any, x: Any = undefined, *_: Any) -> int | float:
        t = type(x)
        if t is not int and t is not float:
            x = to_number(x)
        if x > 0:
            r = sqrt_(x)
            if r.is_integer() and r <= _MAX_SAFE_F:
                return int(r)
            return r
        if x == 0:
            return x  # type: ignore[no-any-return]  # keeps -0
        return _NAN  # negative or NaN

    def math_max(this: Any, *args: Any) -> int | float:
        if len(args) == 2:
            a, b = args
            ta, tb = type(a), type(b)
            if (ta is int or ta is float) and (tb is int or tb is float):
                if a > b:
                    return a  # type: ignore[no-any-return]
                if b > a:
                    return b  # type: ignore[no-any-return]
                if ta is int and tb is int:
                    return a  # type: ignore[no-any-return]
                # Equal floats, NaN or a pair of zeros: the general loop sorts out -0.
        result: int | float = -_INF
        is_nan = False
        for v in args:
            t = type(v)
            if t is not int and t is not float:
                v = to_number(v)  # every argument is coerced, even after a NaN
            if v > result:
                result = v
            elif v != v:
                is_nan = True
            elif v == 0 and result == 0 and _is_neg_zero(result) and not _is_neg_zero(v):
                result = v  # +0 is larger than -0
        return _NAN if is_nan else result

    def math_min(this: Any, *args: Any) -> int | float:
        if len(args) == 2:
            a, b = args
            ta, tb = type(a), type(b)
            if (ta is int or ta is float) and (tb is int or tb is float):
                if a < b:
                    return a  # type: ignore[no-any-return]
                if b < a:
                    return b  # type: ignore[no-any-return]
                if ta is int and tb is int:
                    return a  # type: ignore[no-any-return]
                # Equal floats, NaN or a pair of zeros: the general loop sorts out -0.
        result: int | float = _INF
        is_nan = False
        for v in args:
            t = type(v)
            if t is not int and t is not float:
                v = to_number(v)
            if v < result:
                result = v
            elif v != v:
                is_nan = True
            elif v == 0 and result == 0 and _is_neg_zero(v) and not _is_neg_zero(result):
                result = v  # -0 is smaller than +0
        return _NAN if is_nan else result

    # -- two-argument and variadic functions --------------------------------------------

    def math_atan2(this: Any, y: Any = undefined, x: Any = undefined, *_: Any) -> int | float:
        yn = to_number(y)
        xn = to_number(x)
        # C99 atan2 (which Python wraps) has exactly JavaScript's signed-zero and infinity cases.
        return js_number(math.atan2(yn, xn))

    def math_pow(this: Any, base: Any = undefined, exponent: Any = undefined, *_: Any) -> int | float:
        a = to_number(base)
        b = to_number(exponent)
        if a == 0 and b < 0:
            # A zero base with a negative exponent is ±Infinity (Python's math.pow
            # raises here); -0 keeps its sign for odd integer exponents.
            return -_INF if _is_neg_zero(a) and _is_odd_integer(b) else _INF
        return ops.power(a, b)

    def math_hypot(this: Any, *args: Any) -> int | float:
        nums = [to_number(v) for v in args]
        # math.hypot already implements the ES order: any ±Infinity wins over NaN.
        return js_number(math.hypot(*nums))

    def math_imul(this: Any, a: Any = undefined, b: Any = undefined, *_: Any) -> int:
        x = to_uint32(to_number(a))
        y = to_uint32(to_number(b))
        p = (x * y) & 0xFFFFFFFF
        return p - 0x100000000 if p >= 0x80000000 else p

    def math_random(this: Any, *_: Any) -> float:
        return rt.random()  # the task's seeded generator: replays draw the same values

    def math_sum_precise(this: Any, items: Any = undefined, *_: Any) -> int | float:
        """Math.sumPrecise (ES2026 21.3.2.34): the exact sum of an iterable of Numbers."""
        if items is None or items is undefined:
            raise type_error(f"{ops.to_string(items)} is not iterable")
        values: list[int | float] = []
        iterator = rt.iterate(items)
        for v in iterator:
            t = type(v)
            if t is not int and t is not float:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()  # IteratorClose with the TypeError (return()'s own errors are dropped)
                raise type_error(f"Math.sumPrecise: {describe(v)} is not a number")
            values.append(v)
        return sum_precise(values)

    functions: list[tuple[str, Callable[..., Any], int]] = [
        ("abs", math_abs, 1),
        ("atan2", math_atan2, 2),
        ("ceil", math_ceil, 1),
        ("floor", math_floor, 1),
        ("hypot", math_hypot, 2),
        ("imul", math_imul, 2),
        ("max", math_max, 2),
        ("min", math_min, 2),
        ("pow", math_pow, 2),
        ("random", math_random, 0),
        ("round", math_round, 1),
        ("sqrt", math_sqrt, 1),
        ("sumPrecise", math_sum_precise, 1),
    ]
    functions.extend((name, make_unary(impl), 1) for name, impl in UNARY.items())
    functions.sort(key=lambda entry: entry[0])
    for name, fn, length in functions:
        rt.define(M, name, fn, length)

    rt.intrinsics["Math"] = M
    rt.global_object.put("Math", M, HIDDEN)

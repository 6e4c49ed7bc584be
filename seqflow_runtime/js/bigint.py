"""BigInt: the value type, its operators and the ``BigInt`` global.

A BigInt is a :class:`JSBigInt` wrapping a Python ``int``: numbers are plain
``int``/``float`` in this runtime, so the two must never meet as one type
(``1n === 1`` is false, ``1n == 1`` is true). Mixing them in arithmetic is a
TypeError, as in JavaScript; comparisons compare the mathematical values.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from .values import SYM_TO_STRING_TAG, JSObject, JSThrow, range_error, type_error, undefined

if TYPE_CHECKING:
    from .runtime import Runtime


class JSBigInt:
    """A BigInt primitive (immutable; equal by value, never equal to a number)."""

    __slots__ = ("value",)

    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return type(other) is JSBigInt and other.value == self.value

    def __hash__(self) -> int:
        return hash(("bigint", self.value))

    def __bool__(self) -> bool:
        return self.value != 0

    def __repr__(self) -> str:
        return f"{self.value}n"


MIXED = "Cannot mix BigInt and other types, use explicit conversions"
#: The largest BigInt in bits (a guest cannot exhaust memory by squaring in a loop).
MAX_BITS = 1 << 24
#: Python refuses int/str conversions of more digits than this (sys.int_max_str_digits).
_DIGITS_AT_ONCE = 4000


def make(value: int) -> JSBigInt:
    """A BigInt result, checked against :data:`MAX_BITS`."""
    if value.bit_length() > MAX_BITS:
        raise range_error("Maximum BigInt size exceeded")
    return JSBigInt(value)


def literal(value: int | str) -> JSBigInt:
    """A BigInt literal: an ``int``, or its decimal text when it is very long."""
    return make(value if isinstance(value, int) else parse_decimal(value))


def parse_decimal(text: str) -> int:
    """Decimal digits (optionally signed) as an int, however many (split to stay under Python's limit)."""
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if len(digits) <= _DIGITS_AT_ONCE:
        return sign * int(digits)
    k = len(digits) // 2
    scale: int = 10**k
    return sign * (parse_decimal(digits[:-k]) * scale + parse_decimal(digits[-k:]))
_INTEGER_TEXT = re.compile(r"[+-]?\d+|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+")


def string_to_bigint(text: str) -> JSBigInt | None:
    """StringToBigInt: decimal (signed) or 0x/0o/0b text, blank is 0n; ``None`` when invalid."""
    s = text.strip(" \t\n\r\v\f\ufeff\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                   "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
    if not s:
        return JSBigInt(0)
    if not _INTEGER_TEXT.fullmatch(s):
        return None
    if len(s) > MAX_BITS // 3:
        raise range_error("Maximum BigInt size exceeded")
    return make(int(s, 0) if s[:2].lower() in ("0x", "0o", "0b") else parse_decimal(s))


def binary(op: str, a: Any, b: Any) -> JSBigInt | bool:
    """An arithmetic or bitwise operator on two primitives, at least one a BigInt."""
    if type(a) is not JSBigInt or type(b) is not JSBigInt:
        from .ops import to_number

        to_number(b if type(a) is JSBigInt else a)  # ToNumeric of the other side fails first (a Symbol)
        raise type_error(MIXED)
    x, y = a.value, b.value
    if op == "+":
        return make(x + y)
    if op == "-":
        return make(x - y)
    if op == "*":
        return make(x * y)
    if op in ("/", "%"):
        if y == 0:
            raise range_error("Division by zero")
        q = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)  # truncates toward zero
        return JSBigInt(q if op == "/" else x - q * y)
    if op == "**":
        if y < 0:
            raise range_error("Exponent must be non-negative")
        if abs(x) > 1 and y * max(x.bit_length() - 1, 1) > MAX_BITS:
            raise range_error("Maximum BigInt size exceeded")
        return make(x**y)
    if op == "&":
        return make(x & y)
    if op == "|":
        return make(x | y)
    if op == "^":
        return make(x ^ y)
    if op == "<<":
        return make(shift_left(x, y))
    if op == ">>":
        return make(shift_left(x, -y))
    raise type_error("BigInts have no unsigned right shift, use >> instead")


def shift_left(x: int, n: int) -> int:
    """``x << n`` for any sign of ``n`` (a right shift rounds toward -infinity, as in JS)."""
    if n >= 0:
        if n > MAX_BITS:
            raise range_error("Maximum BigInt size exceeded")
        return x << n
    return x >> -n


def unary(op: str, a: JSBigInt) -> JSBigInt:
    """``-x``, ``~x``, ``x+1``/``x-1`` (``++``/``--``) on a BigInt."""
    if op == "-":
        return JSBigInt(-a.value)
    if op == "~":
        return JSBigInt(~a.value)
    return make(a.value + (1 if op == "++" else -1))


def comparable(v: Any) -> int | float:
    """A primitive as a Python number for comparing with a BigInt (NaN: never equal, never ordered).

    Python compares ``int`` with ``float`` exactly, which is JS's rule for
    BigInt against Number; a string that is not an integer compares as NaN.
    """
    t = type(v)
    if t is JSBigInt:
        return int(v.value)
    if t is str:
        parsed = string_to_bigint(v)
        return math.nan if parsed is None else parsed.value
    from .ops import to_number

    return to_number(v)


def to_bigint(v: Any) -> JSBigInt:
    """ToBigInt (for ``BigInt.asIntN`` and friends)."""
    if isinstance(v, JSBigInt):
        return v
    t = type(v)
    if t is bool:
        return JSBigInt(int(v))
    if t is str:
        parsed = string_to_bigint(v)
        if parsed is None:
            raise _syntax_error(f"Cannot convert {v} to a BigInt")
        return parsed
    name = "undefined" if v is undefined else "null" if v is None else str(v)
    raise type_error(f"Cannot convert {name} to a BigInt")


def _syntax_error(message: str) -> JSThrow:
    return JSThrow(kind="SyntaxError", message=message)


def install(rt: "Runtime") -> None:
    """The ``BigInt`` function, its statics and ``BigInt.prototype``."""
    from . import ops
    from .builtins.deferred import later, method, pend

    proto = JSObject(rt.ObjectPrototype)

    def bigint(this: Any, value: Any = undefined, *_: Any) -> JSBigInt:
        prim = ops.to_primitive(value, "number")
        if type(prim) is int:
            return JSBigInt(prim)
        if type(prim) is float:
            if not prim.is_integer():
                raise range_error(f"The number {ops.to_string(prim)} cannot be converted to a BigInt "
                                  "because it is not an integer")
            return JSBigInt(int(prim))
        return to_bigint(prim)

    ctor = rt.constructor("BigInt", 1, bigint, None, proto)  # `new BigInt()` is a TypeError
    # The statics and the prototype's methods are made when a script first looks at them.
    pend(rt, ctor)
    pend(rt, proto)

    def statics() -> None:
        """BigInt.asUintN and BigInt.asIntN (21.2.2), made when a script first looks at BigInt."""
        def bits_of(v: Any) -> int:
            n = ops.to_integer(v)
            if n < 0 or n > 2**53 - 1:
                raise range_error("Invalid value: not (convertible to) a safe integer")
            return int(n)

        def as_uint_n(this: Any, bits: Any = undefined, value: Any = undefined, *_: Any) -> JSBigInt:
            n = bits_of(bits)
            v = to_bigint(ops.to_primitive(value, "number")).value
            if 0 <= v and v.bit_length() <= n:
                return JSBigInt(v)  # already in range (and 2**n may be too large to build)
            if n > MAX_BITS:
                raise range_error("Maximum BigInt size exceeded")
            return JSBigInt(v % (1 << n))

        def as_int_n(this: Any, bits: Any = undefined, value: Any = undefined, *_: Any) -> JSBigInt:
            n = bits_of(bits)
            v = to_bigint(ops.to_primitive(value, "number")).value
            if n == 0:
                return JSBigInt(0)
            if v.bit_length() < n:
                return JSBigInt(v)  # -2**(n-1) <= v < 2**(n-1) already
            u = v % (1 << n)
            return JSBigInt(u - (1 << n) if u >= 1 << (n - 1) else u)

        method(rt, ctor, "asUintN", as_uint_n, 2)
        method(rt, ctor, "asIntN", as_int_n, 2)

    later(ctor, statics)

    def prototype_methods() -> None:
        """BigInt.prototype's methods (21.2.3), made when a script first looks at BigInt.prototype."""
        def this_bigint(this: Any, method: str) -> JSBigInt:
            if isinstance(this, JSBigInt):
                return this
            wrapped = getattr(this, "value", None)
            if type(wrapped) is JSBigInt:
                return wrapped
            raise type_error(f"BigInt.prototype.{method} requires that 'this' be a BigInt")

        def to_string(this: Any, radix: Any = undefined, *_: Any) -> str:
            value = this_bigint(this, "toString").value
            base = 10 if radix is undefined else ops.to_integer(radix)
            if not 2 <= base <= 36:
                raise range_error("toString() radix must be between 2 and 36")
            return format_radix(value, int(base))

        method(rt, proto, "toString", to_string, 0)

        def to_locale_string(this: Any, locales: Any = undefined, options: Any = undefined, *_: Any) -> str:
            # ECMA-402 §19.3.1, through the realm's Intl (installed before BigInt).
            value = this_bigint(this, "toLocaleString").value
            return rt.intrinsics["bigint_to_locale_string"](value, locales, options)  # type: ignore[no-any-return]

        method(rt, proto, "toLocaleString", to_locale_string, 0)
        method(rt, proto, "valueOf", lambda this, *_: this_bigint(this, "valueOf"), 0)

    later(proto, prototype_methods)
    proto.write_slot(SYM_TO_STRING_TAG, "BigInt", 4)
    rt.intrinsics["BigInt.prototype"] = proto
    wrap_other = rt.intrinsics["wrap_primitive"]
    wrapper = rt.intrinsics["JSPrimitiveWrapper"]

    def wrap_primitive(v: Any) -> JSObject:
        """ToObject: a BigInt's wrapper has BigInt.prototype."""
        if type(v) is JSBigInt:
            wrapped: JSObject = wrapper(proto, v)
            return wrapped
        made: JSObject = wrap_other(v)
        return made

    rt.intrinsics["wrap_primitive"] = wrap_primitive


def format_radix(value: int, base: int) -> str:
    """``value`` written in ``base`` (2..36), lowercase, with a leading ``-`` when negative."""
    if value < 0:
        return "-" + format_radix(-value, base)
    if base in _POWER_OF_TWO:  # exact bit groups: no digit limit, linear time
        return _bit_groups(value, _POWER_OF_TWO[base])
    if value.bit_length() <= 4 * _DIGITS_AT_ONCE:
        return str(value) if base == 10 else _digits(value, base)
    # Divide and conquer: linear-ish, and under Python's int/str digit limit.
    k = int(value.bit_length() / math.log2(base)) // 2
    high, low = divmod(value, base**k)
    return format_radix(high, base) + format_radix(low, base).rjust(k, "0")


_POWER_OF_TWO = {2: 1, 4: 2, 8: 3, 16: 4, 32: 5}
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _bit_groups(value: int, width: int) -> str:
    """``value`` in base ``2**width``, from its binary digits."""
    bits = format(value, "b")
    bits = bits.zfill(-(-len(bits) // width) * width)
    return "".join(_DIGITS[int(bits[i:i + width], 2)] for i in range(0, len(bits), width))


def _digits(value: int, base: int) -> str:
    out = []
    while True:
        value, r = divmod(value, base)
        out.append(_DIGITS[r])
        if value == 0:
            break
    return "".join(reversed(out))

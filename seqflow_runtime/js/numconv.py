"""ECMAScript number <-> string conversions (ES2017 semantics).

A JS number is represented as a Python ``float`` or ``int``.  An ``int`` is an
exact integer and is treated as the equivalent IEEE-754 double (ints beyond
2**53 are rounded to the nearest double, ints beyond the double range become
+/-Infinity).

Everything here is a pure function using only the standard library.  Where the
specification leaves the result implementation-defined (``toString(radix)`` for
fractions and very large integers, ``parseInt`` with a radix that is not a power
of two or ten), V8's algorithm is reproduced so results match Node/Chrome.

Errors that JS reports as ``RangeError`` are raised as ``ValueError`` carrying
V8's message text; the caller converts them.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "canonical_numeric_index",
    "format_key",
    "is_array_index",
    "number_to_string",
    "number_to_string_radix",
    "parse_float",
    "parse_int",
    "string_to_number",
    "to_exponential",
    "to_fixed",
    "to_int32",
    "to_integer",
    "to_precision",
    "to_uint16",
    "to_uint32",
]

_NAN = math.nan
_INF = math.inf
_TWO_53 = 9007199254740992  # 2**53
_TWO_53_F = 9007199254740992.0
_TWO_52_F = 4503599627370496.0
_TWO_31 = 2147483648
_MIN_DOUBLE = 5e-324
_DIGIT_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
_MAX_ARRAY_INDEX = 4294967294  # 2**32 - 2

# WhiteSpace and LineTerminator code points (ES2017 11.2, 11.3; Zs per Unicode
# 6.3+, i.e. without U+180E).
JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

_STR_DECIMAL_RE = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)
_PARSE_FLOAT_RE = re.compile(
    r"[+-]?(?:Infinity|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
)


def _radix_class(radix: int) -> str:
    if radix <= 10:
        return "[0-%d]" % (radix - 1)
    last = _DIGIT_CHARS[radix - 1]
    return "[0-9a-%sA-%s]" % (last, last.upper())


# Index r: regex matching the (possibly empty) run of radix-r digits.
_RADIX_PREFIX_RE: list[re.Pattern[str]] = [re.compile("")] * 2 + [
    re.compile(_radix_class(r) + "*") for r in range(2, 37)
]
_BIN_BODY_RE = re.compile("[01]+")
_OCT_BODY_RE = re.compile("[0-7]+")
_HEX_BODY_RE = re.compile("[0-9a-fA-F]+")

_PARSE_INT_LOG2 = [0.0, 0.0] + [math.log2(r) for r in range(2, 37)]


# ---------------------------------------------------------------------------
# helpers


def _int_to_double(n: int) -> float:
    """The double nearest to the exact integer ``n`` (+/-Infinity on overflow)."""
    try:
        return float(n)
    except OverflowError:
        return _INF if n > 0 else -_INF


def _as_double(x: float | int) -> float:
    if type(x) is float:
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        return _int_to_double(x)
    return float(x)


def _normalize(v: float) -> float | int:
    """Return ``v`` as an int when it is an integer, |v| <= 2**53 and not -0."""
    if v.is_integer() and -_TWO_53_F <= v <= _TWO_53_F:
        if v == 0.0 and math.copysign(1.0, v) < 0.0:
            return v
        return int(v)
    return v


def int_to_number(n: int) -> float | int:
    """Convert an exact integer to a JS number, rounding to nearest (int while |value| <= 2**53)."""
    if -_TWO_53 <= n <= _TWO_53:
        return n
    return _normalize(_int_to_double(n))


def _shortest_digits(x: float) -> tuple[str, int]:
    """For finite ``x > 0``: the shortest round-trip digits ``s`` (no trailing
    zeros) and ``n`` such that ``x == int(s) * 10**(n - len(s))``."""
    r = repr(x)
    mant, _, exp = r.partition("e")
    e = int(exp) if exp else 0
    ip, _, fp = mant.partition(".")
    body = (ip + fp).lstrip("0")
    s = body.rstrip("0")
    return s, e - len(fp) + len(body)


_POW10: list[int] = [1]
for _ in range(460):
    _POW10.append(_POW10[-1] * 10)


def _pow10(k: int) -> int:
    """10**k for k >= 0."""
    if k < 460:
        return _POW10[k]
    return int(10**k)


def _ge_pow10(num: int, den: int, e: int) -> bool:
    """Whether num/den >= 10**e."""
    if e >= 0:
        return num >= den * _pow10(e)
    return num * _pow10(-e) >= den


def _round_significant(x: float, p: int) -> tuple[str, int]:
    """For finite ``x > 0``: the ``p``-digit string of the integer ``n`` with
    ``10**(p-1) <= n < 10**p`` such that ``n * 10**(e-p+1)`` is closest to
    ``x`` (ties: the larger), and that ``e``."""
    num, den = x.as_integer_ratio()
    e = math.floor(math.log10(x))
    if _ge_pow10(num, den, e + 1):
        e += 1
    elif not _ge_pow10(num, den, e):
        e -= 1
    shift = p - 1 - e
    if shift >= 0:
        a = num * _pow10(shift)
        b = den
    else:
        a = num
        b = den * _pow10(-shift)
    n = (2 * a + b) // (2 * b)
    digits = str(n)
    if len(digits) > p:  # rounded up to 10**p
        digits = digits[:p]
        e += 1
    return digits, e


def _exp_suffix(e: int) -> str:
    return "e+%d" % e if e >= 0 else "e-%d" % -e


# ---------------------------------------------------------------------------
# Number -> String


def number_to_string(x: float | int) -> str:
    """Number::toString(x) (ES2017 7.1.12.1), i.e. ``String(x)`` for a number.

    Uses the shortest round-trip digits (the same digits Python's ``repr``
    produces) and JavaScript's placement rules for the decimal point and
    exponent.
    """
    if type(x) is int:
        if -_TWO_53 <= x <= _TWO_53:
            return str(x)
        x = _int_to_double(x)
    elif type(x) is not float:
        x = _as_double(x)
    if x != x:
        return "NaN"
    if x == 0.0:
        return "0"
    if x == _INF:
        return "Infinity"
    if x == -_INF:
        return "-Infinity"
    r = repr(x)
    if "e" not in r:
        # repr is positional exactly for 1e-4 <= |x| < 1e16, where JS is too.
        if r.endswith(".0"):
            return r[:-2]
        return r
    sign = ""
    if x < 0.0:
        sign = "-"
        x = -x
    s, n = _shortest_digits(x)
    k = len(s)
    if k <= n <= 21:
        return sign + s + "0" * (n - k)
    if 0 < n <= 21:
        return sign + s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + s
    if k == 1:
        return sign + s + _exp_suffix(n - 1)
    return sign + s[0] + "." + s[1:] + _exp_suffix(n - 1)


format_key = number_to_string
"""The property-key form of a number: identical to :func:`number_to_string`."""


def _int_to_radix(n: int, radix: int) -> str:
    if radix == 16:
        return format(n, "x")
    if radix == 2:
        return format(n, "b")
    if radix == 8:
        return format(n, "o")
    if radix == 10:
        return str(n)
    if n == 0:
        return "0"
    neg = n < 0
    if neg:
        n = -n
    out: list[str] = []
    while n:
        n, rem = divmod(n, radix)
        out.append(_DIGIT_CHARS[rem])
    if neg:
        out.append("-")
    return "".join(reversed(out))


def _double_to_radix(value: float, radix: int) -> str:
    """Port of V8's DoubleToRadixCString for finite, non-zero ``value``."""
    negative = value < 0.0
    if negative:
        value = -value
    if value >= _TWO_52_F:
        integer = value
        fraction = 0.0
    else:
        integer = float(int(value))
        fraction = value - integer
    # Only produce fraction digits up to the input double's precision.
    delta = 0.5 * (math.nextafter(value, _INF) - value)
    delta = max(_MIN_DOUBLE, delta)
    frac_digits: list[int] = []
    if fraction >= delta:
        while True:
            fraction *= radix
            delta *= radix
            digit = int(fraction)
            frac_digits.append(digit)
            fraction -= digit
            # Round to even.
            if fraction > 0.5 or (fraction == 0.5 and (digit & 1)):
                if fraction + delta > 1.0:
                    # Back-trace written digits in case of carry-over.
                    while True:
                        if not frac_digits:
                            integer += 1.0
                            break
                        d = frac_digits.pop() + 1
                        if d < radix:
                            frac_digits.append(d)
                            break
                    break
            if not fraction >= delta:
                break
    # Integer digits; fill digits that are not represented with zeros.
    int_digits: list[str] = []
    while integer / radix >= _TWO_53_F:
        integer /= radix
        int_digits.append("0")
    while True:
        remainder = math.fmod(integer, radix)
        int_digits.append(_DIGIT_CHARS[int(remainder)])
        integer = (integer - remainder) / radix
        if not integer > 0.0:
            break
    if negative:
        int_digits.append("-")
    result = "".join(reversed(int_digits))
    if frac_digits:
        result += "." + "".join([_DIGIT_CHARS[d] for d in frac_digits])
    return result


def number_to_string_radix(x: float | int, radix: int) -> str:
    """Number.prototype.toString(radix) for radix 2..36.

    Integers below 2**53 are converted exactly; fractions and larger values
    follow V8's DoubleToRadixCString (digits are emitted until the value is
    uniquely identified, rounding the last digit).  Raises ``ValueError`` for a
    radix outside 2..36.
    """
    if radix == 10:
        return number_to_string(x)
    if not 2 <= radix <= 36:
        raise ValueError("toString() radix must be between 2 and 36")
    if type(x) is int:
        if -_TWO_53 <= x <= _TWO_53:
            return _int_to_radix(x, radix)
        x = _int_to_double(x)
    elif type(x) is not float:
        x = _as_double(x)
    if x != x:
        return "NaN"
    if x == 0.0:
        return "0"
    if x == _INF:
        return "Infinity"
    if x == -_INF:
        return "-Infinity"
    if -_TWO_53_F < x < _TWO_53_F and x.is_integer():
        return _int_to_radix(int(x), radix)
    return _double_to_radix(x, radix)


def to_fixed(x: float | int, digits: int) -> str:
    """Number.prototype.toFixed(digits) (ES2017 20.1.3.3, range 0..100).

    Rounds the exact binary value half-up (the spec's "pick the larger n").
    """
    if not 0 <= digits <= 100:
        raise ValueError("toFixed() digits argument must be between 0 and 100")
    f = digits
    if type(x) is int and -_TWO_53 <= x <= _TWO_53:
        if f == 0:
            return str(x)
        return str(x) + "." + "0" * f
    xf = _as_double(x)
    if xf != xf:
        return "NaN"
    sign = ""
    if xf < 0.0:
        sign = "-"
        xf = -xf
    if xf >= 1e21:
        return sign + number_to_string(xf)
    if xf.is_integer():
        m = str(int(xf))
        return sign + m + "." + "0" * f if f else sign + m
    num, den = xf.as_integer_ratio()
    a = num * _pow10(f) if f else num
    n = (2 * a + den) // (2 * den)
    m = str(n)
    if f:
        k = len(m)
        if k <= f:
            m = "0" * (f + 1 - k) + m
        m = m[:-f] + "." + m[-f:]
    return sign + m


def to_exponential(x: float | int, digits: int | None) -> str:
    """Number.prototype.toExponential(digits) (ES2017 20.1.3.2, range 0..100).

    ``digits=None`` (undefined) uses as many digits as needed to identify the
    value uniquely.  NaN/Infinity are returned before the range check, as the
    spec orders it.
    """
    xf = _as_double(x)
    if xf != xf:
        return "NaN"
    sign = ""
    if xf < 0.0:
        sign = "-"
        xf = -xf
    if xf == _INF:
        return sign + "Infinity"
    if digits is not None and not 0 <= digits <= 100:
        raise ValueError("toExponential() argument must be between 0 and 100")
    if xf == 0.0:
        m = "0" * ((digits or 0) + 1)
        e = 0
    elif digits is None:
        m, n = _shortest_digits(xf)
        e = n - 1
    else:
        m, e = _round_significant(xf, digits + 1)
    if len(m) > 1:
        m = m[0] + "." + m[1:]
    return sign + m + _exp_suffix(e)


def to_precision(x: float | int, precision: int | None) -> str:
    """Number.prototype.toPrecision(precision) (ES2017 20.1.3.5, range 1..100).

    ``precision=None`` (undefined) returns ``number_to_string(x)``.  NaN and
    Infinity are returned before the range check, as the spec orders it.
    """
    if precision is None:
        return number_to_string(x)
    xf = _as_double(x)
    if xf != xf:
        return "NaN"
    sign = ""
    if xf < 0.0:
        sign = "-"
        xf = -xf
    if xf == _INF:
        return sign + "Infinity"
    p = precision
    if not 1 <= p <= 100:
        raise ValueError("toPrecision() argument must be between 1 and 100")
    if xf == 0.0:
        m = "0" * p
        e = 0
    else:
        m, e = _round_significant(xf, p)
        if e < -6 or e >= p:
            if p != 1:
                m = m[0] + "." + m[1:]
            return sign + m + _exp_suffix(e)
    if e == p - 1:
        return sign + m
    if e >= 0:
        return sign + m[: e + 1] + "." + m[e + 1 :]
    return sign + "0." + "0" * (-(e + 1)) + m


# ---------------------------------------------------------------------------
# String -> Number


def string_to_number(s: str) -> float | int:
    """ToNumber applied to a String (ES2017 7.1.3.1, StringNumericLiteral).

    Returns an ``int`` when the result is an integer with magnitude <= 2**53
    (and not -0), otherwise a ``float``; NaN for anything that is not a
    StringNumericLiteral.
    """
    if len(s) < 16 and s.isascii() and s.isdigit():
        return int(s)
    t = s.strip(JS_WHITESPACE)
    if not t:
        return 0
    if len(t) > 2 and t[0] == "0":
        c = t[1]
        body_re: re.Pattern[str] | None = None
        radix = 10
        if c == "x" or c == "X":
            body_re, radix = _HEX_BODY_RE, 16
        elif c == "o" or c == "O":
            body_re, radix = _OCT_BODY_RE, 8
        elif c == "b" or c == "B":
            body_re, radix = _BIN_BODY_RE, 2
        if body_re is not None:
            body = t[2:]
            if body_re.fullmatch(body) is None:
                return _NAN
            return int_to_number(int(body, radix))
    if _STR_DECIMAL_RE.fullmatch(t) is None:
        if t == "Infinity" or t == "+Infinity":
            return _INF
        if t == "-Infinity":
            return -_INF
        return _NAN
    return _normalize(float(t))


def parse_float(s: str) -> float | int:
    """The global ``parseFloat(string)`` (ES2017 18.2.4), for an already
    stringified argument: parses the longest StrDecimalLiteral prefix after
    leading whitespace; NaN if there is none."""
    if len(s) < 16 and s.isascii() and s.isdigit():
        return int(s)
    t = s.lstrip(JS_WHITESPACE)
    m = _PARSE_FLOAT_RE.match(t)
    if m is None:
        return _NAN
    num = m.group()
    if num[-1] == "y":  # [+-]Infinity
        return -_INF if num[0] == "-" else _INF
    return _normalize(float(num))


def _v8_generic_radix(z: str, radix: int) -> float:
    """V8's NumberParseIntHelper::HandleGenericCase (non power-of-two radix):
    32-bit chunks accumulated in a double (the spec allows approximation)."""
    result = 0.0
    i = 0
    end = len(z)
    while i < end:
        part = 0
        multiplier = 1
        while i < end:
            m = multiplier * radix
            if m > 119304647:  # 0xFFFFFFFF // 36
                break
            part = part * radix + int(z[i], 36)
            multiplier = m
            i += 1
        result = result * multiplier + part
    return result


def parse_int(s: str, radix: object | None = None) -> float | int:
    """The global ``parseInt(string, radix)`` (ES2017 18.2.5), for an already
    stringified ``s``.  ``radix`` is a number already converted by the caller
    (ToInt32 is applied here) or ``None`` for undefined.

    Radix 10 and powers of two are rounded correctly; other radixes reproduce
    V8's approximation for values above 2**53.
    """
    if radix is None:
        r = 0
    elif isinstance(radix, (int, float)):
        r = to_int32(radix)
    else:
        raise TypeError("parse_int radix must be a number or None")
    if r == 0 and len(s) < 16 and s.isascii() and s.isdigit():
        return int(s)
    t = s.lstrip(JS_WHITESPACE)
    negative = False
    if t and (t[0] == "-" or t[0] == "+"):
        negative = t[0] == "-"
        t = t[1:]
    strip_prefix = True
    if r != 0:
        if r < 2 or r > 36:
            return _NAN
        if r != 16:
            strip_prefix = False
    else:
        r = 10
    if strip_prefix and len(t) >= 2 and t[0] == "0" and (t[1] == "x" or t[1] == "X"):
        t = t[2:]
        r = 16
    match = _RADIX_PREFIX_RE[r].match(t)
    z = match.group() if match is not None else ""
    if not z:
        return _NAN
    z = z.lstrip("0")
    value: float | int
    if not z:
        return -0.0 if negative else 0
    if (len(z) - 1) * _PARSE_INT_LOG2[r] >= 1030.0:
        value = _INF
    elif r == 10 or r & (r - 1) == 0:
        value = int_to_number(int(z, r))
    else:
        n = int(z, r)
        value = n if n <= _TWO_53 else _normalize(_v8_generic_radix(z, r))
    return -value if negative else value


# ---------------------------------------------------------------------------
# Array index keys


def canonical_numeric_index(s: str) -> int | None:
    """The array-index value of a property-key string, or ``None``.

    A string is an array index when it is the canonical decimal form of an
    integer in 0 .. 2**32-2 (so "01", "-1", "1.0" and "4294967295" are not).
    """
    n = len(s)
    if 0 < n < 10:
        if s.isdigit() and s.isascii() and (s[0] != "0" or n == 1):
            return int(s)
        return None
    if n == 10 and s[0] != "0" and s.isdigit() and s.isascii():
        v = int(s)
        if v <= _MAX_ARRAY_INDEX:
            return v
    return None


def is_array_index(s: str) -> bool:
    """Whether the property-key string ``s`` is a canonical array index
    ("0" .. "4294967294")."""
    n = len(s)
    if 0 < n < 10:
        return s.isdigit() and s.isascii() and (s[0] != "0" or n == 1)
    return n == 10 and s[0] != "0" and s.isdigit() and s.isascii() and int(s) <= _MAX_ARRAY_INDEX


# ---------------------------------------------------------------------------
# Integer conversions


def _truncate(x: float | int) -> int | None:
    """The double value of ``x`` truncated toward zero, None for NaN/Infinity."""
    if type(x) is int and -_TWO_53 <= x <= _TWO_53:
        return x
    xf = _as_double(x)
    if xf != xf or xf == _INF or xf == -_INF:
        return None
    return int(xf)


def to_int32(x: float | int) -> int:
    """ToInt32 (ES2017 7.1.5): NaN/Infinity -> 0, truncate, wrap modulo 2**32
    into -2**31 .. 2**31-1."""
    if type(x) is int:
        if -_TWO_31 <= x < _TWO_31:
            return x
    elif type(x) is float and -2147483648.0 <= x <= 2147483647.0:
        return int(x)
    n = _truncate(x)
    if n is None:
        return 0
    return ((n + _TWO_31) & 0xFFFFFFFF) - _TWO_31


def to_uint32(x: float | int) -> int:
    """ToUint32 (ES2017 7.1.6): NaN/Infinity -> 0, truncate, wrap modulo 2**32
    into 0 .. 2**32-1."""
    if type(x) is int:
        if 0 <= x <= 0xFFFFFFFF:
            return x
    elif type(x) is float and 0.0 <= x <= 4294967295.0:
        return int(x)
    n = _truncate(x)
    if n is None:
        return 0
    return n & 0xFFFFFFFF


def to_uint16(x: float | int) -> int:
    """ToUint16 (ES2017 7.1.8): NaN/Infinity -> 0, truncate, wrap modulo 2**16."""
    if type(x) is int and 0 <= x <= 0xFFFF:
        return x
    n = _truncate(x)
    if n is None:
        return 0
    return n & 0xFFFF


def to_integer(x: float | int) -> float | int:
    """ToInteger / ToIntegerOrInfinity: NaN -> 0, finite values truncated toward
    zero and returned as ``int`` (so -0 and -0.5 give 0), +/-Infinity returned
    unchanged as floats."""
    if type(x) is int and -_TWO_53 <= x <= _TWO_53:
        return x
    xf = _as_double(x)
    if xf != xf:
        return 0
    if xf == _INF or xf == -_INF:
        return xf
    return int(xf)

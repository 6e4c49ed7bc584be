"""JavaScript operators and type conversions that need no realm.

Numbers are ``int`` (exact, within ±2**53, never -0) or ``float``; every
function here accepts both and returns a float when the exact result would
leave that range, so integer arithmetic stays fast and JS-exact.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Final

from .bigint import JSBigInt, binary as bigint_binary, comparable, format_radix, unary as bigint_unary
from .numconv import number_to_string, string_to_number, to_int32, to_uint32
from .values import (
    ORDINARY_TYPES,
    SYM_TO_PRIMITIVE,
    JSFunction,
    JSObject,
    Symbol,
    call,
    is_callable,
    range_error,
    type_error,
    undefined,
)

MAX_SAFE: Final = 9007199254740992
#: The int32 range: bitwise operators on two ints in it need no ToInt32.
INT32_MIN: Final = -0x80000000
INT32_MAX: Final = 0x7FFFFFFF
NAN: Final = math.nan
INF: Final = math.inf

def is_number(v: Any) -> bool:
    """Whether ``v`` is a JS number (``bool`` is not)."""
    t = type(v)
    return t is int or t is float


def normalize(n: int | float) -> int | float:
    """An exact integer stays ``int`` only inside ±2**53."""
    if type(n) is int and not -MAX_SAFE <= n <= MAX_SAFE:
        return float(n)
    return n


# -- conversions -------------------------------------------------------------


def to_primitive(v: Any, hint: str = "default") -> Any:
    """ToPrimitive: objects via ``@@toPrimitive``, then valueOf/toString."""
    if not isinstance(v, JSObject):
        return v
    exotic = v.get(SYM_TO_PRIMITIVE)
    if exotic is not undefined and exotic is not None:
        if not is_callable(exotic):
            raise type_error("Symbol.toPrimitive is not a function")
        result = call(exotic, v, hint)
        if isinstance(result, JSObject):
            raise type_error("Cannot convert object to primitive value")
        return result
    order = ("toString", "valueOf") if hint == "string" else ("valueOf", "toString")
    for name in order:
        method = v.get(name)
        if is_callable(method):
            result = call(method, v)
            if not isinstance(result, JSObject):
                return result
    raise type_error("Cannot convert object to primitive value")


def to_number(v: Any) -> int | float:
    """ToNumber."""
    t = type(v)
    if t is int or t is float:
        return v  # type: ignore[no-any-return]
    if t is str:
        return string_to_number(v)
    if t is bool:
        return 1 if v else 0
    if v is None:
        return 0
    if v is undefined:
        return NAN
    if t is Symbol:
        raise type_error("Cannot convert a Symbol value to a number")
    if t is JSBigInt:
        raise type_error("Cannot convert a BigInt value to a number")
    return to_number(to_primitive(v, "number"))


def to_numeric(v: Any) -> Any:
    """ToNumeric: a number, or a BigInt (operators then check both sides agree)."""
    t = type(v)
    if t is int or t is float:
        return v
    p = to_primitive(v, "number")
    return p if type(p) is JSBigInt else to_number(p)


def _big(a: Any, b: Any) -> bool:
    return type(a) is JSBigInt or type(b) is JSBigInt


def to_string(v: Any) -> str:
    """ToString."""
    t = type(v)
    if t is str:
        return v  # type: ignore[no-any-return]
    if t is int:
        return str(v)
    if t is float:
        return number_to_string(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "null"
    if v is undefined:
        return "undefined"
    if t is Symbol:
        raise type_error("Cannot convert a Symbol value to a string")
    if t is JSBigInt:
        return format_radix(v.value, 10)
    return to_string(to_primitive(v, "string"))


def truthy(v: Any) -> bool:
    """ToBoolean. Differs from Python only for NaN (falsy in JS)."""
    t = type(v)
    if t is bool:
        return v  # type: ignore[no-any-return]
    if t is float:
        return bool(v) and v == v
    return bool(v)


def to_property_key(v: Any) -> Any:
    """ToPropertyKey; integers in array range stay ``int`` (arrays index by int)."""
    t = type(v)
    if t is str or t is Symbol:
        return v
    if t is int:
        return v if v >= 0 else str(v)
    if t is float:
        if v.is_integer() and 0 <= v < 4294967295:
            return int(v)
        return number_to_string(v)
    p = to_primitive(v, "string")
    if type(p) is Symbol:
        return p
    return to_string(p)


def to_integer(v: Any) -> int | float:
    """ToInteger: NaN → 0, truncate toward zero, infinities stay."""
    n = to_number(v)
    if type(n) is int:
        return n
    if n != n:
        return 0
    if n in (INF, -INF):
        return n
    return int(n)


def to_length(v: Any) -> int:
    """ToLength: clamp to 0 .. 2**53-1."""
    n = to_integer(v)
    if n <= 0:
        return 0
    return int(min(n, MAX_SAFE - 1))


def typeof(v: Any) -> str:
    """The ``typeof`` operator."""
    t = type(v)
    if t is str:
        return "string"
    if t is int or t is float:
        return "number"
    if t is bool:
        return "boolean"
    if v is undefined:
        return "undefined"
    if v is None:
        return "object"
    if t is Symbol:
        return "symbol"
    if t is JSBigInt:
        return "bigint"
    if is_callable(v):
        return "function"
    return "object"


# -- arithmetic --------------------------------------------------------------


def make_add(check_string: Callable[[str], str], unchecked: int) -> Callable[[Any, Any], Any]:
    """The ``+`` operator of one realm.

    ``check_string`` is the realm's size check (RangeError past its string
    length limit, memory accounting); concatenations shorter than
    ``unchecked`` code units skip it, so the common case costs one ``len``.
    """

    def add(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if ta is int and tb is int:
            r = a + b
            return r if -MAX_SAFE <= r <= MAX_SAFE else float(r)
        if ta is str and tb is str:
            s = a + b
            return s if len(s) < unchecked else check_string(s)
        if (ta is float or ta is int) and (tb is float or tb is int):
            return a + b
        a = to_primitive(a)
        b = to_primitive(b)
        if type(a) is str or type(b) is str:
            return check_string(to_string(a) + to_string(b))
        if _big(a, b):
            return bigint_binary("+", a, b)
        return add(to_number(a), to_number(b))

    return add




def sub(a: Any, b: Any) -> Any:
    """The ``-`` operator."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        r = a - b
        return r if -MAX_SAFE <= r <= MAX_SAFE else float(r)
    if (ta is float or ta is int) and (tb is float or tb is int):
        return a - b  # one side is a float: Python's float subtraction is IEEE's, as JS's
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("-", a, b)
    if type(a) is int and type(b) is int:
        return sub(a, b)
    return float(a) - float(b)


def mul(a: Any, b: Any) -> Any:
    """The ``*`` operator (keeps JS's -0)."""
    ta, tb = type(a), type(b)
    if (ta is float and (tb is float or tb is int)) or (tb is float and ta is int):
        return a * b  # IEEE multiplication, -0 included
    if ta is not int or tb is not int:
        a, b = to_numeric(a), to_numeric(b)
        if _big(a, b):
            return bigint_binary("*", a, b)
        if type(a) is not int or type(b) is not int:
            return float(a) * float(b)
    r = a * b
    if r == 0 and (a < 0 or b < 0):
        return -0.0
    return r if -MAX_SAFE <= r <= MAX_SAFE else float(r)


def div(a: Any, b: Any) -> Any:
    """The ``/`` operator: division by zero gives ±Infinity or NaN."""
    ta, tb = type(a), type(b)
    if b and (ta is float or ta is int) and (tb is float or tb is int):
        return a / b  # Python's true division of numbers is IEEE's, as JS's (but for a zero divisor)
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("/", a, b)
    if b:
        return float(a) / float(b) if type(a) is not int or type(b) is not int else a / b
    if a != a or a == 0 or b != b:
        return NAN
    negative = (a < 0) != (math.copysign(1.0, b) < 0)
    return -INF if negative else INF


def mod(a: Any, b: Any) -> Any:
    """The ``%`` operator: the result takes the dividend's sign."""
    if type(a) is int and type(b) is int and a >= 0 and b > 0:
        return a % b  # the common case: Python's and JS's remainders agree on these signs
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("%", a, b)
    if type(a) is int and type(b) is int and b:
        r = abs(a) % abs(b)
        if a < 0:
            return -r if r else -0.0
        return r
    if not b or a != a or b != b or a in (INF, -INF):
        return NAN
    if b in (INF, -INF):
        return float(a)
    result = math.fmod(a, b)
    if result == 0:
        return math.copysign(0.0, a)
    return result


def power(a: Any, b: Any) -> int | float:
    """The ``**`` operator (Math.pow)."""
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("**", a, b)  # type: ignore[return-value]  # a BigInt for BigInts
    if b != b:
        return NAN
    if b == 0:
        return 1
    if a != a:
        return NAN
    if abs(a) == 1 and b in (INF, -INF):
        return NAN
    if a == 0 and b < 0:
        negative_zero = math.copysign(1.0, a) < 0
        odd = b == int(b) and int(b) % 2 == 1 if b not in (INF, -INF) else False
        return -INF if negative_zero and odd else INF
    if type(a) is int and type(b) is int and b > 0 and b * max(abs(a), 1).bit_length() <= 64:
        return normalize(a**b)
    try:
        r = math.pow(a, b)
    except OverflowError:
        negative = a < 0 and b == int(b) and int(b) % 2 == 1
        return -INF if negative else INF
    except ValueError:
        return NAN if a > -INF or b != int(b) else (INF if b > 0 else 0.0)
    if r.is_integer() and abs(r) <= MAX_SAFE and not (r == 0 and math.copysign(1, r) < 0):
        return int(r)
    return r


def neg(a: Any) -> Any:
    """Unary ``-``."""
    if type(a) is float:
        return -a
    n = to_numeric(a)
    if type(n) is JSBigInt:
        return bigint_unary("-", n)
    if type(n) is int:
        return -n if n else -0.0
    return -n


def pos(a: Any) -> int | float:
    """Unary ``+``."""
    return to_number(a)


def inc(a: Any) -> Any:
    """``x + 1`` after ToNumeric (``++``)."""
    if type(a) is int and a < MAX_SAFE:
        return a + 1
    n = to_numeric(a)
    if type(n) is JSBigInt:
        return bigint_unary("++", n)
    if type(n) is int and n < MAX_SAFE:
        return n + 1
    return n + 1.0


def dec(a: Any) -> Any:
    """``x - 1`` after ToNumeric (``--``)."""
    if type(a) is int and a > -MAX_SAFE:
        return a - 1
    n = to_numeric(a)
    if type(n) is JSBigInt:
        return bigint_unary("--", n)
    if type(n) is int and n > -MAX_SAFE:
        return n - 1
    return n - 1.0


def bit_and(a: Any, b: Any) -> Any:
    """``&``."""
    if type(a) is int and type(b) is int and INT32_MIN <= a <= INT32_MAX and INT32_MIN <= b <= INT32_MAX:
        return a & b  # int32 operands: the result is an int32 too
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("&", a, b)
    return to_int32(a) & to_int32(b)


def bit_or(a: Any, b: Any) -> Any:
    """``|``."""
    if type(a) is int and type(b) is int and INT32_MIN <= a <= INT32_MAX and INT32_MIN <= b <= INT32_MAX:
        return a | b  # int32 operands: the result is an int32 too
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("|", a, b)
    return to_int32(a) | to_int32(b)


def bit_xor(a: Any, b: Any) -> Any:
    """``^``."""
    if type(a) is int and type(b) is int and INT32_MIN <= a <= INT32_MAX and INT32_MIN <= b <= INT32_MAX:
        return a ^ b  # int32 operands: the result is an int32 too
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("^", a, b)
    return to_int32(a) ^ to_int32(b)


def bit_not(a: Any) -> Any:
    """``~``."""
    n = to_numeric(a)
    if type(n) is JSBigInt:
        return bigint_unary("~", n)
    return ~to_int32(n)


def shl(a: Any, b: Any) -> Any:
    """``<<``."""
    if type(a) is int and type(b) is int and INT32_MIN <= a <= INT32_MAX and 0 <= b <= 31:
        r = (a << b) & 0xFFFFFFFF
        return r - 0x100000000 if r > INT32_MAX else r
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary("<<", a, b)
    return to_int32(to_int32(a) << (to_uint32(b) & 31))


def shr(a: Any, b: Any) -> Any:
    """``>>`` (sign-propagating)."""
    if type(a) is int and type(b) is int and INT32_MIN <= a <= INT32_MAX and 0 <= b <= 31:
        return a >> b
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary(">>", a, b)
    return to_int32(a) >> (to_uint32(b) & 31)


def ushr(a: Any, b: Any) -> Any:
    """``>>>`` (zero-fill; a TypeError for BigInts)."""
    if type(a) is int and type(b) is int and INT32_MIN <= a <= 0xFFFFFFFF and 0 <= b <= 31:
        return (a & 0xFFFFFFFF) >> b  # ToUint32 of an int32 or uint32 is its low 32 bits
    a, b = to_numeric(a), to_numeric(b)
    if _big(a, b):
        return bigint_binary(">>>", a, b)
    return to_uint32(a) >> (to_uint32(b) & 31)


# -- comparison ---------------------------------------------------------------


def _compare_operands(a: Any, b: Any) -> tuple[Any, Any]:
    a = to_primitive(a, "number")
    b = to_primitive(b, "number")
    if type(a) is str and type(b) is str:
        return a, b
    if _big(a, b):
        return comparable(a), comparable(b)
    return to_number(a), to_number(b)


def lt(a: Any, b: Any) -> bool:
    """``<`` (strings compare by UTF-16 code unit, as our strings store them)."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a < b  # type: ignore[no-any-return]  # a bool: Python compares numbers as IEEE does
    if ta is str and tb is str:
        return a < b  # type: ignore[no-any-return]
    x, y = _compare_operands(a, b)
    return bool(x < y)


def gt(a: Any, b: Any) -> bool:
    """``>``."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a > b  # type: ignore[no-any-return]  # a bool: Python compares numbers as IEEE does
    if ta is str and tb is str:
        return a > b  # type: ignore[no-any-return]
    x, y = _compare_operands(a, b)
    return bool(x > y)


def le(a: Any, b: Any) -> bool:
    """``<=`` (false when either side is NaN)."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a <= b  # type: ignore[no-any-return]  # a bool: Python compares numbers as IEEE does
    if ta is str and tb is str:
        return a <= b  # type: ignore[no-any-return]
    x, y = _compare_operands(a, b)
    return bool(x <= y)


def ge(a: Any, b: Any) -> bool:
    """``>=``."""
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a >= b  # type: ignore[no-any-return]  # a bool: Python compares numbers as IEEE does
    if ta is str and tb is str:
        return a >= b  # type: ignore[no-any-return]
    x, y = _compare_operands(a, b)
    return bool(x >= y)


def strict_eq(a: Any, b: Any) -> bool:
    """``===``."""
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is str or ta is int or ta is float:
            return a == b  # type: ignore[no-any-return]  # a bool for these types
        if ta is JSBigInt:
            return bool(a == b)
        return a is b
    if (ta is int and tb is float) or (ta is float and tb is int):
        return a == b  # type: ignore[no-any-return]
    return False


def strict_ne(a: Any, b: Any) -> bool:
    """``!==``."""
    return not strict_eq(a, b)


def loose_eq(a: Any, b: Any) -> bool:
    """``==`` (the Abstract Equality Comparison)."""
    ta, tb = type(a), type(b)
    if ta is tb or (is_number(a) and is_number(b)):
        return strict_eq(a, b)
    nullish_a = a is None or a is undefined
    nullish_b = b is None or b is undefined
    if nullish_a or nullish_b:
        return nullish_a and nullish_b
    if (ta is JSBigInt or tb is JSBigInt) and not isinstance(a, JSObject) and not isinstance(b, JSObject):
        return ta is not Symbol and tb is not Symbol and comparable(a) == comparable(b)
    if is_number(a) and tb is str:
        return bool(a == string_to_number(b))
    if ta is str and is_number(b):
        return bool(string_to_number(a) == b)
    if ta is bool:
        return loose_eq(1 if a else 0, b)
    if tb is bool:
        return loose_eq(a, 1 if b else 0)
    if isinstance(b, JSObject) and (ta is str or is_number(a) or ta is Symbol or ta is JSBigInt):
        return loose_eq(a, to_primitive(b))
    if isinstance(a, JSObject) and (tb is str or is_number(b) or tb is Symbol or tb is JSBigInt):
        return loose_eq(to_primitive(a), b)
    return False


def loose_ne(a: Any, b: Any) -> bool:
    """``!=``."""
    return not loose_eq(a, b)


def same_value_zero(a: Any, b: Any) -> bool:
    """SameValueZero (includes, Map/Set keys): NaN equals NaN, +0 equals -0."""
    if type(a) is float and a != a:
        return type(b) is float and b != b
    return strict_eq(a, b)


def instance_of(v: Any, target: Any) -> bool:
    """``instanceof`` (OrdinaryHasInstance, ECMA-262 7.3.22; ``@@hasInstance`` is honoured by the runtime).

    The common target, a materialized function that is not bound and holds an
    object ``prototype`` as an own data property, is read from ``props``; the
    chain of ``v`` is walked through ``proto`` while its objects are ordinary
    (a proxy's [[GetPrototypeOf]] is a trap).
    """
    proto: Any = None
    if type(target) is JSFunction and not target.lazy and target.bound_target is None:
        proto = target.props.get("prototype")
    if not isinstance(proto, JSObject):
        if not is_callable(target):
            raise type_error("Right-hand side of 'instanceof' is not callable")
        if isinstance(target, JSFunction) and target.bound_target is not None:
            return instance_of(v, target.bound_target)
        if not isinstance(v, JSObject):
            return False
        proto = target.get("prototype")
        if not isinstance(proto, JSObject):
            raise type_error("Function has non-object prototype in instanceof check")
    elif not isinstance(v, JSObject):
        return False
    o: JSObject | None = v
    while o is not None:
        o = o.proto if type(o) in ORDINARY_TYPES else o.get_prototype_of()
        if o is proto:
            return True
    return False
    proto = target.get("prototype")
    if not isinstance(proto, JSObject):
        raise type_error("Function has non-object prototype in instanceof check")
    o = v.get_prototype_of()
    while o is not None:
        if o is proto:
            return True
        o = o.get_prototype_of()
    return False

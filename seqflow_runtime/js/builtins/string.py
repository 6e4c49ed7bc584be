"""``String``: the constructor, its statics, ``String.prototype`` and the string iterator.

Runtime strings are Python ``str`` of UTF-16 code units (an astral character
is its surrogate pair), so ``len``, indexing, slicing, ``find`` and ``split``
are JavaScript's operations as they are: the common methods are single
Python string operations. Only the methods that work on characters rather
than code units (case mapping, ``normalize``, the iterator, ``codePointAt``)
join surrogate pairs first.

``this`` coercion follows the spec: RequireObjectCoercible, then ToString,
so ``String.prototype.trim.call(5)`` works and ``.call(null)`` throws.

``match``/``matchAll``/``replace``/``replaceAll``/``search``/``split``
delegate to the argument's ``Symbol.match``/... method when it has one (so
RegExps and user objects both work), as the spec does.

``toLocaleUpperCase``/``toLocaleLowerCase`` are the root-locale mappings;
``localeCompare`` is ``Intl.Collator``'s compare (ECMA-402 §19.1.1): -1/0/1
from an approximation of the Unicode default collation (see
:mod:`seqflow_runtime.js.intl.collation`); with ``locales`` or ``options`` it
builds a collator, so they are checked as the constructor checks them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Final, Literal

from seqflow_transpile.utf16 import from_js_string, to_js_string

from .. import ops
from ..numconv import to_uint16, to_uint32
from ..regexp_support import MAX_UINT32, expand_replacement, lazy_pattern
from ..values import (
    CONFIGURABLE,
    SYM_ITERATOR,
    SYM_MATCH,
    SYM_REPLACE,
    SYM_SEARCH,
    SYM_SPLIT,
    SYM_TO_STRING_TAG,
    JSObject,
    Symbol,
    call,
    is_callable,
    key_repr,
    range_error,
    type_error,
    undefined,
)
from .core import JSStringWrapper, this_primitive
from .deferred import alias, later, method, pend
from .symbol import SYM_MATCH_ALL, symbol_descriptive_string

if TYPE_CHECKING:
    from ..runtime import Runtime

#: A surrogate code unit that is not half of a pair (a lead not followed by a
#: trail, or a trail not preceded by a lead).
_LONE_SURROGATE: Final = lazy_pattern("[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]")

#: WhiteSpace and LineTerminator code points (ES2017 11.2, 11.3): what ``trim`` removes.
JS_WHITESPACE: Final = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)

_NORMALIZATION_FORMS: Final[dict[str, Literal["NFC", "NFD", "NFKC", "NFKD"]]] = {
    "NFC": "NFC", "NFD": "NFD", "NFKC": "NFKC", "NFKD": "NFKD"}


class JSStringIterator(JSObject):
    """A String Iterator: walks a string by code points."""

    __slots__ = ("string", "position")
    class_name = "String Iterator"

    def __init__(self, proto: JSObject | None, string: str) -> None:
        JSObject.__init__(self, proto)
        self.string: str | None = string
        self.position = 0


def _clamp(n: int | float, lo: int, hi: int) -> int:
    """``n`` (an integer or ±Infinity) clamped to ``lo..hi``."""
    if n <= lo:
        return lo
    if n >= hi:
        return hi
    return int(n)


def _code_point_at(s: str, i: int) -> int:
    """CodePointAt: the code point starting at code unit ``i`` (lone surrogates as is)."""
    c = ord(s[i])
    if 0xD800 <= c <= 0xDBFF and i + 1 < len(s):
        d = ord(s[i + 1])
        if 0xDC00 <= d <= 0xDFFF:
            return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00)
    return c


def _case_map(s: str, upper: bool, check_string: Callable[[str], str]) -> str:
    """toUpperCase/toLowerCase on real code points (astral letters have cases too)."""
    if s.isascii():
        return s.upper() if upper else s.lower()
    text = from_js_string(s)
    return check_string(to_js_string(text.upper() if upper else text.lower()))


def is_regexp(v: Any) -> bool:
    """IsRegExp: only an object can be one (the RegExp built-ins are imported once there is one to ask)."""
    if not isinstance(v, JSObject):
        return False
    from .regexp import is_regexp as object_is_regexp

    return object_is_regexp(v)


def install(rt: "Runtime") -> None:
    """``String``, ``String.fromCharCode``/``fromCodePoint``/``raw`` and ``String.prototype``."""
    SP = rt.StringPrototype
    OP = rt.ObjectPrototype
    rt.intrinsics["String.prototype"] = SP
    check_string = rt.check_string
    guard = rt.guard
    to_string = ops.to_string
    to_integer = ops.to_integer

    def coerce(this: Any, method: str) -> str:
        """RequireObjectCoercible(this) then ToString."""
        if type(this) is str:
            return this
        if this is None or this is undefined:
            raise type_error(f"String.prototype.{method} called on null or undefined")
        return to_string(this)

    def require_coercible(this: Any, method: str) -> None:
        if this is None or this is undefined:
            raise type_error(f"String.prototype.{method} called on null or undefined")

    def get_method(v: Any, key: Symbol) -> Any:
        """GetMethod(V, key): undefined when absent, TypeError when not callable."""
        if type(v) is str:
            f = SP.get(key, v)
        elif isinstance(v, JSObject):
            f = v.get(key)
        else:
            f = rt.get(v, key)
        if f is undefined or f is None:
            return undefined
        if not is_callable(f):
            raise type_error(f"{key_repr(key)} is not a function")
        return f

    def regexp_create(pattern: Any, flags: Any) -> JSObject:
        rx: JSObject = rt.intrinsics["regexp_create"](pattern, flags)
        return rx

    # -- the constructor -----------------------------------------------------------

    def string_call(this: Any, *args: Any) -> str:
        if not args:
            return ""
        value = args[0]
        if type(value) is Symbol:
            return symbol_descriptive_string(value)
        return to_string(value)

    def string_construct(args: list[Any], new_target: Any) -> JSStringWrapper:
        s = to_string(args[0]) if args else ""
        return JSStringWrapper(rt.proto_from(new_target, SP), s)

    ctor = rt.constructor("String", 1, string_call, string_construct, SP)
    # The statics and the prototype's methods are made when a script first looks at them.
    pend(rt, ctor)
    pend(rt, SP)

    def statics() -> None:
        """String.fromCharCode/fromCodePoint/raw (21.1.2), made when a script first looks at String."""
        def from_char_code(this: Any, *code_units: Any) -> str:
            if len(code_units) == 1:
                # One code unit (building a string a character at a time): no list to join.
                unit = code_units[0]
                return chr(unit if type(unit) is int and 0 <= unit <= 0xFFFF else to_uint16(ops.to_number(unit)))
            out = []
            for unit in code_units:
                if type(unit) is int and 0 <= unit <= 0xFFFF:
                    out.append(chr(unit))
                else:
                    out.append(chr(to_uint16(ops.to_number(unit))))
            return "".join(out)

        def from_code_point(this: Any, *code_points: Any) -> str:
            out = []
            for value in code_points:
                n = value if type(value) is int else ops.to_number(value)
                if type(n) is not int:
                    if n != n or n in (ops.INF, -ops.INF) or n != int(n):
                        raise range_error(f"Invalid code point {to_string(n)}")
                    n = int(n)
                if not 0 <= n <= 0x10FFFF:
                    raise range_error(f"Invalid code point {to_string(n)}")
                if n > 0xFFFF:
                    n -= 0x10000
                    out.append(chr(0xD800 + (n >> 10)) + chr(0xDC00 + (n & 0x3FF)))
                else:
                    out.append(chr(n))
            return check_string("".join(out))

        def raw(this: Any, template: Any = undefined, *substitutions: Any) -> str:
            cooked = rt.to_object(template)
            literals = rt.to_object(cooked.get("raw"))
            count = ops.to_length(literals.get("length"))
            out: list[str] = []
            size = 0
            for i in range(count):
                rt.tick()
                piece = to_string(rt.get(literals, i))
                out.append(piece)
                size += len(piece)
                if i + 1 == count:
                    break
                if i < len(substitutions):
                    sub = to_string(substitutions[i])
                    out.append(sub)
                    size += len(sub)
                if size > guard.max_string_length:
                    raise range_error("Invalid string length")
            return check_string("".join(out))

        method(rt, ctor, "fromCharCode", from_char_code, 1)
        method(rt, ctor, "fromCodePoint", from_code_point, 1)
        method(rt, ctor, "raw", raw, 1)

    later(ctor, statics)

    def prototype_methods() -> None:
        """String.prototype's methods (21.1.3), made when a script first looks at String.prototype."""
        # -- character access -----------------------------------------------------------

        def char_at(this: Any, pos: Any = undefined, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "charAt")
            i = pos if type(pos) is int else to_integer(pos)
            return s[i] if 0 <= i < len(s) else ""  # type: ignore[index]

        def char_code_at(this: Any, pos: Any = undefined, *_: Any) -> int | float:
            s = this if type(this) is str else coerce(this, "charCodeAt")
            i = pos if type(pos) is int else to_integer(pos)
            return ord(s[i]) if 0 <= i < len(s) else ops.NAN  # type: ignore[index]

        def code_point_at(this: Any, pos: Any = undefined, *_: Any) -> Any:
            s = this if type(this) is str else coerce(this, "codePointAt")
            i = pos if type(pos) is int else to_integer(pos)
            if not 0 <= i < len(s):
                return undefined
            return _code_point_at(s, int(i))

        def at(this: Any, index: Any = undefined, *_: Any) -> Any:
            s = this if type(this) is str else coerce(this, "at")
            i = index if type(index) is int else to_integer(index)
            if i < 0:
                i += len(s)
            return s[i] if 0 <= i < len(s) else undefined  # type: ignore[index]

        method(rt, SP, "charAt", char_at, 1)
        method(rt, SP, "charCodeAt", char_code_at, 1)
        method(rt, SP, "codePointAt", code_point_at, 1)
        method(rt, SP, "at", at, 1)

        # -- searching ---------------------------------------------------------------------

        def no_regexp(v: Any, method: str) -> None:
            if is_regexp(v):
                raise type_error(f"First argument to String.prototype.{method} must not be a regular expression")

        def index_of(this: Any, search: Any = undefined, position: Any = undefined, *_: Any) -> int:
            s = this if type(this) is str else coerce(this, "indexOf")
            t = search if type(search) is str else to_string(search)
            if position is undefined:
                return s.find(t)
            start = _clamp(position if type(position) is int else to_integer(position), 0, len(s))
            return s.find(t, start)

        def last_index_of(this: Any, search: Any = undefined, position: Any = undefined, *_: Any) -> int:
            s = this if type(this) is str else coerce(this, "lastIndexOf")
            t = search if type(search) is str else to_string(search)
            n = position if type(position) is int else ops.to_number(position)
            start = len(s) if n != n else _clamp(to_integer(n), 0, len(s))
            return s.rfind(t, 0, start + len(t))

        def includes(this: Any, search: Any = undefined, position: Any = undefined, *_: Any) -> bool:
            s = this if type(this) is str else coerce(this, "includes")
            no_regexp(search, "includes")
            t = search if type(search) is str else to_string(search)
            if position is undefined:
                return t in s
            start = _clamp(position if type(position) is int else to_integer(position), 0, len(s))
            return s.find(t, start) >= 0

        def starts_with(this: Any, search: Any = undefined, position: Any = undefined, *_: Any) -> bool:
            s = this if type(this) is str else coerce(this, "startsWith")
            no_regexp(search, "startsWith")
            t = search if type(search) is str else to_string(search)
            if position is undefined:
                return s.startswith(t)
            start = _clamp(position if type(position) is int else to_integer(position), 0, len(s))
            return s.startswith(t, start)

        def ends_with(this: Any, search: Any = undefined, end_position: Any = undefined, *_: Any) -> bool:
            s = this if type(this) is str else coerce(this, "endsWith")
            no_regexp(search, "endsWith")
            t = search if type(search) is str else to_string(search)
            if end_position is undefined:
                return s.endswith(t)
            end = _clamp(end_position if type(end_position) is int else to_integer(end_position), 0, len(s))
            return end >= len(t) and s.endswith(t, 0, end)

        method(rt, SP, "indexOf", index_of, 1)
        method(rt, SP, "lastIndexOf", last_index_of, 1)
        method(rt, SP, "includes", includes, 1)
        method(rt, SP, "startsWith", starts_with, 1)
        method(rt, SP, "endsWith", ends_with, 1)

        # -- extracting ----------------------------------------------------------------

        def slice_(this: Any, start: Any = undefined, end: Any = undefined, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "slice")
            # Python slicing clamps negative and out-of-range ints exactly as JS slice does.
            if type(start) is int:
                if end is undefined:
                    return s[start:]
                if type(end) is int:
                    return s[start:end]
            n = len(s)
            a = to_integer(start)
            b = n if end is undefined else to_integer(end)
            lo = _clamp(a + n if a < 0 else a, 0, n)
            hi = _clamp(b + n if b < 0 else b, 0, n)
            return s[lo:hi]

        def substring(this: Any, start: Any = undefined, end: Any = undefined, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "substring")
            if type(start) is int and type(end) is int:
                # Integers: clamping at 0 is all that is left to do (slicing clamps at the length, and
                # past it both ends give the empty string in either order).
                if start < 0:
                    start = 0
                if end < 0:
                    end = 0
                return s[start:end] if start <= end else s[end:start]
            n = len(s)
            a = _clamp(start if type(start) is int else to_integer(start), 0, n)
            b = n if end is undefined else _clamp(end if type(end) is int else to_integer(end), 0, n)
            return s[a:b] if a <= b else s[b:a]

        def substr(this: Any, start: Any = undefined, length: Any = undefined, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "substr")
            n = len(s)
            a = start if type(start) is int else to_integer(start)
            count = ops.INF if length is undefined else (length if type(length) is int else to_integer(length))
            if a < 0:
                a = max(n + a, 0)
            a = min(a, n)
            size = _clamp(count, 0, n - int(a))
            return s[int(a):int(a) + size] if size > 0 else ""

        method(rt, SP, "slice", slice_, 2)
        method(rt, SP, "substring", substring, 2)
        method(rt, SP, "substr", substr, 2)

        # -- building ------------------------------------------------------------------

        def concat(this: Any, *args: Any) -> str:
            s = this if type(this) is str else coerce(this, "concat")
            if not args:
                return s
            parts = [s]
            size = len(s)
            for a in args:
                piece = a if type(a) is str else to_string(a)
                size += len(piece)
                if size > guard.max_string_length:
                    raise range_error("Invalid string length")
                parts.append(piece)
            return check_string("".join(parts))

        def repeat(this: Any, count: Any = undefined, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "repeat")
            n = count if type(count) is int else to_integer(count)
            if n < 0 or n == ops.INF:
                raise range_error(f"Invalid count value: {to_string(n)}")
            if n == 0 or not s:
                return ""
            if len(s) * n > guard.max_string_length:
                raise range_error("Invalid string length")
            return check_string(s * int(n))

        def pad(this: Any, max_length: Any, fill: Any, at_start: bool) -> str:
            s = this if type(this) is str else coerce(this, "padStart" if at_start else "padEnd")
            target = ops.to_length(max_length)
            if target <= len(s):
                return s
            filler = " " if fill is undefined else (fill if type(fill) is str else to_string(fill))
            if not filler:
                return s
            if target > guard.max_string_length:
                raise range_error("Invalid string length")
            fill_len = target - len(s)
            padding = (filler * (fill_len // len(filler) + 1))[:fill_len]
            return check_string(padding + s if at_start else s + padding)

        def pad_start(this: Any, max_length: Any = undefined, fill: Any = undefined, *_: Any) -> str:
            return pad(this, max_length, fill, True)

        def pad_end(this: Any, max_length: Any = undefined, fill: Any = undefined, *_: Any) -> str:
            return pad(this, max_length, fill, False)

        method(rt, SP, "concat", concat, 1)
        method(rt, SP, "repeat", repeat, 1)
        method(rt, SP, "padStart", pad_start, 1)
        method(rt, SP, "padEnd", pad_end, 1)

        # -- case, whitespace, normalization ------------------------------------------------

        def to_lower_case(this: Any, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "toLowerCase")
            return s.lower() if s.isascii() else _case_map(s, False, check_string)

        def to_upper_case(this: Any, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "toUpperCase")
            return s.upper() if s.isascii() else _case_map(s, True, check_string)

        def to_locale_lower_case(this: Any, *_: Any) -> str:
            return _case_map(coerce(this, "toLocaleLowerCase"), False, check_string)

        def to_locale_upper_case(this: Any, *_: Any) -> str:
            return _case_map(coerce(this, "toLocaleUpperCase"), True, check_string)

        method(rt, SP, "toLowerCase", to_lower_case, 0)
        method(rt, SP, "toUpperCase", to_upper_case, 0)
        method(rt, SP, "toLocaleLowerCase", to_locale_lower_case, 0)
        method(rt, SP, "toLocaleUpperCase", to_locale_upper_case, 0)

        def trim(this: Any, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "trim")
            return s.strip(JS_WHITESPACE)

        def trim_start(this: Any, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "trimStart")
            return s.lstrip(JS_WHITESPACE)

        def trim_end(this: Any, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "trimEnd")
            return s.rstrip(JS_WHITESPACE)

        method(rt, SP, "trim", trim, 0)
        # Annex B: trimLeft/trimRight are the same function objects as trimStart/trimEnd.
        method(rt, SP, "trimStart", trim_start, 0)
        alias(rt, SP, "trimLeft", "trimStart")
        method(rt, SP, "trimEnd", trim_end, 0)
        alias(rt, SP, "trimRight", "trimEnd")

        def normalize(this: Any, form: Any = undefined, *_: Any) -> str:
            s = this if type(this) is str else coerce(this, "normalize")
            f = _NORMALIZATION_FORMS.get("NFC" if form is undefined else to_string(form))
            if f is None:
                raise range_error("The normalization form should be one of NFC, NFD, NFKC, NFKD.")
            if s.isascii():
                return s
            import unicodedata  # only normalize needs it

            return check_string(to_js_string(unicodedata.normalize(f, from_js_string(s))))

        method(rt, SP, "normalize", normalize, 0)

        def is_well_formed(this: Any, *_: Any) -> bool:
            """String.prototype.isWellFormed (ECMA-262 22.1.3.10, ES2024): no lone surrogate."""
            s = this if type(this) is str else coerce(this, "isWellFormed")
            return s.isascii() or _LONE_SURROGATE().search(s) is None

        def to_well_formed(this: Any, *_: Any) -> str:
            """String.prototype.toWellFormed (ECMA-262 22.1.3.32, ES2024): lone surrogates become U+FFFD."""
            s = this if type(this) is str else coerce(this, "toWellFormed")
            return s if s.isascii() else _LONE_SURROGATE().sub("\ufffd", s)

        method(rt, SP, "isWellFormed", is_well_formed, 0)
        method(rt, SP, "toWellFormed", to_well_formed, 0)

        # -- toString / valueOf -------------------------------------------------------------

        def to_string_(this: Any, *_: Any) -> str:
            value: str = this_primitive(this, "string", "String.prototype.toString")
            return value

        def value_of(this: Any, *_: Any) -> str:
            value: str = this_primitive(this, "string", "String.prototype.valueOf")
            return value

        method(rt, SP, "toString", to_string_, 0)
        method(rt, SP, "valueOf", value_of, 0)

        # -- regexp-aware methods -----------------------------------------------------------

        def delegate(value: Any, key: Symbol) -> Any:
            """The argument's @@match/@@replace/... method (undefined when absent).

            Only an object is asked (ES2025: a primitive pattern's prototype is not
            consulted, so patching ``Number.prototype[Symbol.split]`` has no effect).
            """
            if not isinstance(value, JSObject):
                return undefined
            return get_method(value, key)

        def match(this: Any, regexp: Any = undefined, *_: Any) -> Any:
            require_coercible(this, "match")
            matcher = delegate(regexp, SYM_MATCH)
            if matcher is not undefined:
                return call(matcher, regexp, this)
            s = this if type(this) is str else to_string(this)
            rx = regexp_create(regexp, undefined)
            return rt.call_method(rx, SYM_MATCH, s)

        def match_all(this: Any, regexp: Any = undefined, *_: Any) -> Any:
            require_coercible(this, "matchAll")
            if regexp is not undefined and regexp is not None:
                if is_regexp(regexp):
                    flags = rt.get(regexp, "flags")
                    if flags is None or flags is undefined:
                        raise type_error("String.prototype.matchAll called with a RegExp whose flags are null "
                                         "or undefined")
                    if "g" not in to_string(flags):
                        raise type_error("String.prototype.matchAll called with a non-global RegExp argument")
                matcher = delegate(regexp, SYM_MATCH_ALL)
                if matcher is not undefined:
                    return call(matcher, regexp, this)
            s = this if type(this) is str else to_string(this)
            rx = regexp_create(regexp, "g")
            return rt.call_method(rx, SYM_MATCH_ALL, s)

        def search(this: Any, regexp: Any = undefined, *_: Any) -> Any:
            require_coercible(this, "search")
            searcher = delegate(regexp, SYM_SEARCH)
            if searcher is not undefined:
                return call(searcher, regexp, this)
            s = this if type(this) is str else to_string(this)
            rx = regexp_create(regexp, undefined)
            return rt.call_method(rx, SYM_SEARCH, s)

        def replacement_for(replace_value: Any, functional: bool, template: str, matched: str,
                            position: int, s: str) -> str:
            if functional:
                value = call(replace_value, undefined, matched, position, s)
                return value if type(value) is str else to_string(value)
            if "$" in template:
                return expand_replacement(template, matched, position, s, [], None)
            return template

        def replace(this: Any, search_value: Any = undefined, replace_value: Any = undefined, *_: Any) -> Any:
            require_coercible(this, "replace")
            replacer = delegate(search_value, SYM_REPLACE)
            if replacer is not undefined:
                return call(replacer, search_value, this, replace_value)
            s = this if type(this) is str else to_string(this)
            t = search_value if type(search_value) is str else to_string(search_value)
            functional = is_callable(replace_value)
            template = "" if functional else (
                replace_value if type(replace_value) is str else to_string(replace_value))
            pos = s.find(t)
            if pos < 0:
                return s
            replacement = replacement_for(replace_value, functional, template, t, pos, s)
            return check_string(s[:pos] + replacement + s[pos + len(t):])

        def replace_all(this: Any, search_value: Any = undefined, replace_value: Any = undefined,
                        *_: Any) -> Any:
            require_coercible(this, "replaceAll")
            if search_value is not undefined and search_value is not None:
                if is_regexp(search_value):
                    flags = rt.get(search_value, "flags")
                    if flags is None or flags is undefined:
                        raise type_error("String.prototype.replaceAll called with a RegExp whose flags are "
                                         "null or undefined")
                    if "g" not in to_string(flags):
                        raise type_error("replaceAll must be called with a global RegExp")
                replacer = delegate(search_value, SYM_REPLACE)
                if replacer is not undefined:
                    return call(replacer, search_value, this, replace_value)
            s = this if type(this) is str else to_string(this)
            t = search_value if type(search_value) is str else to_string(search_value)
            functional = is_callable(replace_value)
            template = "" if functional else (
                replace_value if type(replace_value) is str else to_string(replace_value))
            if not functional and "$" not in template:
                # Bound the result before building it (an empty pattern matches len+1 times).
                count = len(s) + 1 if not t else s.count(t)
                if len(s) + count * (len(template) - len(t)) > guard.max_string_length:
                    raise range_error("Invalid string length")
                return check_string(s.replace(t, template))
            advance = max(1, len(t))
            positions = []
            pos = s.find(t)
            while pos >= 0:
                positions.append(pos)
                pos = s.find(t, pos + advance) if pos + advance <= len(s) else -1
            out: list[str] = []
            size = 0
            end_of_last = 0
            for p in positions:
                rt.tick()
                piece = s[end_of_last:p] + replacement_for(replace_value, functional, template, t, p, s)
                size += len(piece)
                if size > guard.max_string_length:
                    raise range_error("Invalid string length")
                out.append(piece)
                end_of_last = p + len(t)
            out.append(s[end_of_last:])
            return check_string("".join(out))

        def split(this: Any, separator: Any = undefined, limit: Any = undefined, *_: Any) -> Any:
            require_coercible(this, "split")
            splitter = delegate(separator, SYM_SPLIT)
            if splitter is not undefined:
                return call(splitter, separator, this, limit)
            s = this if type(this) is str else to_string(this)
            lim = MAX_UINT32 if limit is undefined else to_uint32(ops.to_number(limit))
            r = separator if type(separator) is str else to_string(separator)
            if lim == 0:
                return rt.new_array([])
            if separator is undefined:
                return rt.new_array([s])
            if not s:
                return rt.new_array([] if r == "" else [s])
            if r == "":
                return rt.new_array(list(s if lim >= len(s) else s[:lim]))
            if lim >= len(s):
                return rt.new_array(s.split(r))
            return rt.new_array(s.split(r, lim)[:lim])

        method(rt, SP, "split", split, 2)

        method(rt, SP, "match", match, 1)
        method(rt, SP, "matchAll", match_all, 1)
        method(rt, SP, "search", search, 1)
        method(rt, SP, "replace", replace, 2)
        method(rt, SP, "replaceAll", replace_all, 2)

        # -- Annex B HTML methods -------------------------------------------------------------

        def html_method(name: str, tag: str, attribute: str) -> None:
            def create_html(this: Any, value: Any = undefined, *_: Any) -> str:
                s = coerce(this, name)
                head = "<" + tag
                if attribute:
                    v = to_string(value).replace('"', "&quot;")
                    head += f' {attribute}="{v}"'
                return check_string(f"{head}>{s}</{tag}>")

            method(rt, SP, name, create_html, 1 if attribute else 0)

        for name, tag, attribute in (
            ("anchor", "a", "name"), ("big", "big", ""), ("blink", "blink", ""), ("bold", "b", ""),
            ("fixed", "tt", ""), ("fontcolor", "font", "color"), ("fontsize", "font", "size"),
            ("italics", "i", ""), ("link", "a", "href"), ("small", "small", ""), ("strike", "strike", ""),
            ("sub", "sub", ""), ("sup", "sup", ""),
        ):
            html_method(name, tag, attribute)

    later(SP, prototype_methods)

    # -- the String Iterator ---------------------------------------------------------------

    SIP = JSObject(rt.IteratorPrototype)
    rt.intrinsics["StringIteratorPrototype"] = SIP
    SIP.write_slot(SYM_TO_STRING_TAG, "String Iterator", CONFIGURABLE)
    result = rt.intrinsics["iter_result"]

    def iterator(this: Any, *_: Any) -> JSStringIterator:
        return JSStringIterator(SIP, coerce(this, "[Symbol.iterator]"))

    def iterator_next(this: Any, *_: Any) -> JSObject:
        if not isinstance(this, JSStringIterator):
            raise type_error("String Iterator.prototype.next called on incompatible receiver")
        s = this.string
        i = this.position
        if s is None or i >= len(s):
            this.string = None
            out: JSObject = result(undefined, True)
            return out
        c = s[i]
        if "\ud800" <= c <= "\udbff" and i + 1 < len(s) and "\udc00" <= s[i + 1] <= "\udfff":
            c = s[i:i + 2]
        this.position = i + len(c)
        out = result(c, False)
        return out

    rt.define(SIP, "next", iterator_next, 0)
    method(rt, SP, SYM_ITERATOR, iterator, 0)

"""The global functions and value properties (ES2017 18.1, 18.2; Annex B.2.1).

``parseInt``/``parseFloat`` are the objects ``Number.parseInt``/``Number.parseFloat``
also hold; ``isNaN``/``isFinite`` coerce with ToNumber (unlike ``Number.isNaN``);
the URI functions work on UTF-16 code units, combining surrogate pairs into one
UTF-8 sequence and throwing ``URIError`` for lone surrogates or bad escapes.
``eval`` is in :mod:`seqflow_runtime.js.eval_support`.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Callable

from .. import ops
from ..regexp_support import lazy_pattern
from ..values import HIDDEN, JSThrow, undefined
from .number import parse_functions

if TYPE_CHECKING:
    from ..guard import Guard
    from ..runtime import Runtime

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#: uriUnescaped (alphanumerics and the URI mark characters).
URI_UNESCAPED = _ALNUM + "-_.!~*'()"
#: uriReserved.
URI_RESERVED = ";/?:@&=+$,"

# A run of code units that must be escaped: everything outside the kept set.
_ENCODE_COMPONENT_RE = lazy_pattern("[^" + re.escape(URI_UNESCAPED) + "]+")
_ENCODE_URI_RE = lazy_pattern("[^" + re.escape(URI_UNESCAPED + URI_RESERVED + "#") + "]+")
_ESCAPE_RE = lazy_pattern("[^" + re.escape(_ALNUM + "@*_+-./") + "]")
_PERCENT_BYTE = ["%%%02X" % b for b in range(256)]
_HEX = frozenset("0123456789abcdefABCDEF")
_UNESCAPE_RE = lazy_pattern("%(?:u([0-9a-fA-F]{4})|([0-9a-fA-F]{2}))")


def uri_error() -> JSThrow:
    """The error every malformed URI operation throws."""
    return JSThrow(kind="URIError", message="URI malformed")


def _encode_run(match: re.Match[str]) -> str:
    run = match.group()
    try:
        # UTF-16 round trip joins surrogate pairs; a lone surrogate makes it fail.
        text = run.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        data = text.encode("utf-8")
    except UnicodeError:
        raise uri_error() from None
    table = _PERCENT_BYTE
    return "".join([table[b] for b in data])


#: Input code units converted at a time, so an expansion is refused before it is all built.
_CHUNK = 1 << 16


def _expand(s: str, convert: Callable[[str], str], guard: Guard) -> str:
    """``convert`` applied to ``s`` chunk by chunk (never splitting a surrogate pair), the
    output held to the realm's string limit as it grows."""
    out: list[str] = []
    size = 0
    start = 0
    while start < len(s):
        end = min(start + _CHUNK, len(s))
        if "\ud800" <= s[end - 1] <= "\udbff":
            end = min(end + 1, len(s))
        piece = convert(s[start:end])
        size += len(piece)
        guard.check_length(size)
        out.append(piece)
        start = end
    return guard.check_string("".join(out))


def encode(s: str, component: bool, guard: Guard) -> str:
    """Encode (ES2017 18.2.6.1.1) for ``encodeURIComponent`` or ``encodeURI``."""
    pattern = (_ENCODE_COMPONENT_RE if component else _ENCODE_URI_RE)()
    return _expand(s, lambda part: pattern.sub(_encode_run, part), guard)


def _hex_byte(s: str, k: int) -> int:
    """The byte of the escape ``%XY`` at ``s[k]`` (URIError when it is not one)."""
    if k + 2 >= len(s) or s[k] != "%" or s[k + 1] not in _HEX or s[k + 2] not in _HEX:
        raise uri_error()
    return int(s[k + 1 : k + 3], 16)


def decode(s: str, reserved: str) -> str:
    """Decode (ES2017 18.2.6.1.2): escapes of characters in ``reserved`` are kept as written."""
    k = s.find("%")
    if k < 0:
        return s
    out: list[str] = []
    start = 0
    n = len(s)
    while k >= 0:
        out.append(s[start:k])
        b = _hex_byte(s, k)
        if b < 0x80:
            c = chr(b)
            out.append(s[k : k + 3] if c in reserved else c)
            k += 3
        else:
            # The count of leading one bits gives the sequence length (2..4 bytes).
            if b & 0xE0 == 0xC0:
                length = 2
            elif b & 0xF0 == 0xE0:
                length = 3
            elif b & 0xF8 == 0xF0:
                length = 4
            else:
                raise uri_error()
            if k + 3 * length > n:
                raise uri_error()
            data = bytearray([b])
            for j in range(1, length):
                cont = _hex_byte(s, k + 3 * j)
                if cont & 0xC0 != 0x80:
                    raise uri_error()
                data.append(cont)
            try:
                # Python's strict decoder rejects overlong forms, surrogates and > U+10FFFF.
                ch = bytes(data).decode("utf-8")
            except UnicodeDecodeError:
                raise uri_error() from None
            cp = ord(ch)
            if cp >= 0x10000:
                cp -= 0x10000
                out.append(chr(0xD800 + (cp >> 10)) + chr(0xDC00 + (cp & 0x3FF)))
            else:
                out.append(ch)
            k += 3 * length
        start = k
        k = s.find("%", k)
    out.append(s[start:])
    return "".join(out)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 256:
        return _PERCENT_BYTE[code]
    return "%%u%04X" % code


def escape(s: str, guard: Guard) -> str:
    """Annex B ``escape``: ``%XX`` below U+0100, ``%uXXXX`` above, for code units."""
    return _expand(s, lambda part: _ESCAPE_RE().sub(_escape_char, part), guard)


def _unescape_match(match: re.Match[str]) -> str:
    return chr(int(match.group(1) or match.group(2), 16))


def unescape(s: str) -> str:
    """Annex B ``unescape``: ``%uXXXX`` and ``%XX`` become code units; other ``%`` stay."""
    if "%" not in s:
        return s
    return _UNESCAPE_RE().sub(_unescape_match, s)


def install(rt: "Runtime") -> None:
    """Put ``NaN``/``Infinity``/``undefined``, ``parseFloat`` and ``parseInt`` on the global object (the other
    global functions are :func:`install_functions`)."""
    g = rt.global_object
    g.put("NaN", math.nan, 0)
    g.put("Infinity", math.inf, 0)
    g.put("undefined", undefined, 0)

    f_int, f_float = parse_functions(rt)
    g.put("parseFloat", f_float, HIDDEN)
    g.put("parseInt", f_int, HIDDEN)


def install_functions(rt: "Runtime") -> None:
    """``isFinite``, ``isNaN`` (19.2.2, 19.2.3), the URI functions (19.2.6) and ``escape``/``unescape``
    (B.2.1): the lazy group ``global_functions``, installed when a script first reads one of them."""
    g = rt.global_object
    to_number = ops.to_number
    to_string = ops.to_string

    def is_nan(this: Any, v: Any = undefined, *_: Any) -> bool:
        t = type(v)
        if t is int:
            return False
        n = v if t is float else to_number(v)
        return n != n

    def is_finite(this: Any, v: Any = undefined, *_: Any) -> bool:
        t = type(v)
        if t is int:
            return True
        return math.isfinite(v if t is float else to_number(v))

    def as_string(v: Any) -> str:
        return v if type(v) is str else to_string(v)

    def encode_uri(this: Any, uri: Any = undefined, *_: Any) -> str:
        return encode(as_string(uri), False, rt.guard)

    def encode_uri_component(this: Any, component: Any = undefined, *_: Any) -> str:
        return encode(as_string(component), True, rt.guard)

    def decode_uri(this: Any, encoded: Any = undefined, *_: Any) -> str:
        return decode(as_string(encoded), URI_RESERVED + "#")

    def decode_uri_component(this: Any, encoded: Any = undefined, *_: Any) -> str:
        return decode(as_string(encoded), "")

    def escape_fn(this: Any, string: Any = undefined, *_: Any) -> str:
        return escape(as_string(string), rt.guard)

    def unescape_fn(this: Any, string: Any = undefined, *_: Any) -> str:
        return unescape(as_string(string))

    for name, fn in (
        ("isFinite", is_finite),
        ("isNaN", is_nan),
        ("decodeURI", decode_uri),
        ("decodeURIComponent", decode_uri_component),
        ("encodeURI", encode_uri),
        ("encodeURIComponent", encode_uri_component),
        ("escape", escape_fn),
        ("unescape", unescape_fn),
    ):
        g.put(name, rt.native(fn, name, 1), HIDDEN)

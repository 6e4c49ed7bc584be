"""``Uint8Array`` to and from base64 and hex (ECMA-262 2026, 23.3.1 - 23.3.2).

``Uint8Array.fromBase64``/``fromHex``, ``toBase64``/``toHex`` and
``setFromBase64``/``setFromHex``. A well-formed input (the common case) is
decoded by :mod:`binascii` in one call; anything else, or a target too small
for the whole input, runs the spec's FromBase64 loop, which knows exactly how
far it read and what it wrote before an error.
"""

from __future__ import annotations

import binascii
import re
from typing import TYPE_CHECKING, Any, Final

from .. import ops
from ..binary import ELEMENT_TYPE, JSTypedArray, make_uint8_array
from ..values import JSObject, syntax_error, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

_WHITESPACE: Final = "\t\n\f\r "
_DROP_WHITESPACE: Final = str.maketrans("", "", _WHITESPACE)
_STANDARD: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CLEAN: Final = {
    "base64": re.compile(r"[A-Za-z0-9+/]*(?:==?)?"),
    "base64url": re.compile(r"[A-Za-z0-9_-]*(?:==?)?"),
}
_URL_TO_STANDARD: Final = str.maketrans("-_", "+/")
_HEX: Final = re.compile(r"[0-9A-Fa-f]*")


class Decoded:
    """FromBase64 / FromHex's result record: characters read, bytes, and the error (if any)."""

    __slots__ = ("read", "data", "error")

    def __init__(self, read: int, data: bytes, error: bool = False) -> None:
        self.read = read
        self.data = data
        self.error = error


def _chunk(chunk: str, throw_on_extra_bits: bool) -> bytes | None:
    """DecodeBase64Chunk: 2-4 characters → 1-3 bytes (``None``: extra bits set under strict)."""
    n = len(chunk)
    full = binascii.a2b_base64(chunk + "A" * (4 - n))
    if n == 4:
        return full
    if throw_on_extra_bits and full[n - 1] != 0:
        return None
    return full[:n - 1]


def from_base64(s: str, alphabet: str, last: str, max_length: int) -> Decoded:
    """FromBase64 (23.3.2.2)."""
    if max_length >= (len(s) + 3) // 4 * 3:
        fast = _from_base64_fast(s, alphabet, last)
        if fast is not None:
            return fast
    return _from_base64_slow(s, alphabet, last, max_length)


def _from_base64_fast(s: str, alphabet: str, last: str) -> Decoded | None:
    """A well-formed input decoded at C speed (``None``: leave it to the spec's loop)."""
    clean = s.translate(_DROP_WHITESPACE)
    if not _CLEAN[alphabet].fullmatch(clean):
        return None
    body = clean.rstrip("=")
    padded = len(body) != len(clean)
    if alphabet == "base64url":
        body = body.translate(_URL_TO_STANDARD)
    rest = len(body) % 4
    if padded and (rest < 2 or len(clean) % 4) or rest == 1 or (rest and not padded and last != "loose"):
        return None
    whole = binascii.a2b_base64(body[:len(body) - rest]) if len(body) >= 4 else b""
    if rest:
        tail = _chunk(body[len(body) - rest:], last == "strict")
        if tail is None:
            return None
        whole += tail
    return Decoded(len(s), whole)


def _from_base64_slow(s: str, alphabet: str, last: str, max_length: int) -> Decoded:
    """FromBase64's loop, step by step."""
    out = bytearray()
    if max_length == 0:
        return Decoded(0, b"")
    read = 0
    chunk = ""
    index = 0
    length = len(s)

    def skip(i: int) -> int:
        while i < length and s[i] in _WHITESPACE:
            i += 1
        return i

    while True:
        index = skip(index)
        if index == length:
            if chunk:
                if last == "stop-before-partial":
                    return Decoded(read, bytes(out))
                if last == "strict" or len(chunk) == 1:
                    return Decoded(read, bytes(out), True)
                out += _chunk(chunk, False) or b""
            return Decoded(length, bytes(out))
        char = s[index]
        index += 1
        if char == "=":
            if len(chunk) < 2:
                return Decoded(read, bytes(out), True)
            index = skip(index)
            if len(chunk) == 2:
                if index == length:
                    if last == "stop-before-partial":
                        return Decoded(read, bytes(out))
                    return Decoded(read, bytes(out), True)
                if s[index] == "=":
                    index = skip(index + 1)
            if index < length:
                return Decoded(read, bytes(out), True)
            tail = _chunk(chunk, last == "strict")
            if tail is None:
                return Decoded(read, bytes(out), True)
            return Decoded(length, bytes(out + tail))
        if alphabet == "base64url":
            if char in "+/":
                return Decoded(read, bytes(out), True)
            char = "+" if char == "-" else "/" if char == "_" else char
        if char not in _STANDARD:
            return Decoded(read, bytes(out), True)
        remaining = max_length - len(out)
        if (remaining == 1 and len(chunk) == 2) or (remaining == 2 and len(chunk) == 3):
            return Decoded(read, bytes(out))
        chunk += char
        if len(chunk) == 4:
            out += binascii.a2b_base64(chunk)
            chunk = ""
            read = index
            if len(out) == max_length:
                return Decoded(read, bytes(out))


def from_hex(s: str, max_length: int) -> Decoded:
    """FromHex (23.3.2.4)."""
    if len(s) % 2:
        return Decoded(0, b"", True)
    good = _HEX.match(s)
    end = min(good.end() if good else 0, 2 * max_length)
    end -= end % 2
    data = bytes.fromhex(s[:end])
    error = end < len(s) and len(data) < max_length
    return Decoded(end, data, error)


def install(rt: "Runtime") -> None:
    """The base64 and hex statics and methods of ``Uint8Array``."""
    U8 = rt.intrinsics["Uint8Array"]
    U8P = rt.intrinsics["Uint8Array.prototype"]
    uint8 = ELEMENT_TYPE["Uint8Array"]

    def this_uint8(this: Any, method: str) -> JSTypedArray:
        """ValidateUint8Array."""
        if isinstance(this, JSTypedArray) and this.kind is uint8:
            return this
        raise type_error(f"Uint8Array.prototype.{method} called on a value that is not a Uint8Array")

    def attached_bytes(ta: JSTypedArray, method: str) -> bytes:
        """GetUint8ArrayBytes: a detached or out-of-bounds array is a TypeError."""
        rt.intrinsics["typed_arrays"].validate(ta, f"Uint8Array.prototype.{method}")
        return ta.view_bytes()

    def options_of(options: Any) -> JSObject | None:
        """GetOptionsObject."""
        if options is undefined:
            return None
        if isinstance(options, JSObject):
            return options
        raise type_error("The options argument must be an object")

    def choice(opts: JSObject | None, name: str, allowed: tuple[str, ...]) -> str:
        value = undefined if opts is None else opts.get(name)
        if value is undefined:
            return allowed[0]
        if type(value) is not str or value not in allowed:
            raise type_error(f"{name} must be one of {', '.join(repr(a) for a in allowed)}")
        return str(value)

    def base64_options(options: Any) -> tuple[str, str]:
        opts = options_of(options)
        alphabet = choice(opts, "alphabet", ("base64", "base64url"))
        last = choice(opts, "lastChunkHandling", ("loose", "strict", "stop-before-partial"))
        return alphabet, last

    def string_arg(v: Any) -> str:
        if type(v) is not str:
            raise type_error("The input must be a string")
        return str(v)

    def from_base64_static(this: Any, string: Any = undefined, options: Any = undefined, *_: Any) -> JSTypedArray:
        """Uint8Array.fromBase64 (23.3.1.1)."""
        s = string_arg(string)
        alphabet, last = base64_options(options)
        result = from_base64(s, alphabet, last, len(s))
        if result.error:
            raise syntax_error("The input is not valid base64")
        return make_uint8_array(rt, result.data)

    def from_hex_static(this: Any, string: Any = undefined, *_: Any) -> JSTypedArray:
        """Uint8Array.fromHex (23.3.1.2)."""
        s = string_arg(string)
        result = from_hex(s, len(s))
        if result.error:
            raise syntax_error("The input is not valid hex")
        return make_uint8_array(rt, result.data)

    def write_result(ta: JSTypedArray, result: Decoded, what: str) -> JSObject:
        """Store the decoded bytes, then throw a decode error, else report {read, written}."""
        data = ta.buffer.data
        assert data is not None
        data[ta.offset:ta.offset + len(result.data)] = result.data
        if result.error:
            raise syntax_error(f"The input is not valid {what}")
        return rt.object({"read": result.read, "written": len(result.data)})

    def set_from_base64(this: Any, string: Any = undefined, options: Any = undefined, *_: Any) -> JSObject:
        """Uint8Array.prototype.setFromBase64 (23.3.2.1)."""
        ta = this_uint8(this, "setFromBase64")
        s = string_arg(string)
        alphabet, last = base64_options(options)
        rt.intrinsics["typed_arrays"].validate(ta, "Uint8Array.prototype.setFromBase64")
        return write_result(ta, from_base64(s, alphabet, last, ta.length()), "base64")

    def set_from_hex(this: Any, string: Any = undefined, *_: Any) -> JSObject:
        """Uint8Array.prototype.setFromHex (23.3.2.3)."""
        ta = this_uint8(this, "setFromHex")
        s = string_arg(string)
        rt.intrinsics["typed_arrays"].validate(ta, "Uint8Array.prototype.setFromHex")
        return write_result(ta, from_hex(s, ta.length()), "hex")

    def to_base64(this: Any, options: Any = undefined, *_: Any) -> str:
        """Uint8Array.prototype.toBase64 (23.3.2.5)."""
        ta = this_uint8(this, "toBase64")
        opts = options_of(options)
        alphabet = choice(opts, "alphabet", ("base64", "base64url"))
        omit = ops.truthy(undefined if opts is None else opts.get("omitPadding"))
        text = binascii.b2a_base64(attached_bytes(ta, "toBase64"), newline=False).decode("ascii")
        if alphabet == "base64url":
            text = text.replace("+", "-").replace("/", "_")
        return rt.check_string(text.rstrip("=") if omit else text)

    def to_hex(this: Any, *_: Any) -> str:
        """Uint8Array.prototype.toHex (23.3.2.6)."""
        return rt.check_string(attached_bytes(this_uint8(this, "toHex"), "toHex").hex())

    rt.define(U8, "fromBase64", from_base64_static, 1)
    rt.define(U8, "fromHex", from_hex_static, 1)
    rt.define(U8P, "setFromBase64", set_from_base64, 1)
    rt.define(U8P, "setFromHex", set_from_hex, 1)
    rt.define(U8P, "toBase64", to_base64, 0)
    rt.define(U8P, "toHex", to_hex, 0)

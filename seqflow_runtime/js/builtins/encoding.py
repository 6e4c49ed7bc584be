"""``TextEncoder``, ``TextDecoder`` (WHATWG Encoding) and ``atob``/``btoa`` (HTML 8.3 forgiving-base64).

Strings in the runtime are UTF-16 code units (see ``values.py``); encoding
joins surrogate pairs and turns lone surrogates into U+FFFD, as USVString
conversion does. Decoding runs Python's incremental codecs, whose
replacement of malformed UTF-8 follows the same "maximal subpart" rule as the
Encoding standard, so ``stream: true`` keeps a split character across calls.
``TextDecoder`` knows UTF-8, UTF-16LE/BE and windows-1252 (with its labels,
``latin1`` and ``ascii`` among them, as the standard maps them).
"""

from __future__ import annotations

import binascii
import codecs
import re
from typing import TYPE_CHECKING, Any, Final

from seqflow_transpile.utf16 import from_js_string, to_js_string

from .. import ops
from ..binary import ELEMENT_TYPE, JSTypedArray, bytes_of, make_uint8_array
from ..values import CONFIGURABLE, DEFAULT_FLAGS, SYM_TO_STRING_TAG, JSObject, JSThrow, range_error, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")

#: Encoding labels (Encoding standard 4.2) → (name, Python codec).
_ENCODINGS: Final = {
    **dict.fromkeys(("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"),
                    ("utf-8", "utf-8")),
    **dict.fromkeys(("csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"),
                    ("utf-16le", "utf-16-le")),
    **dict.fromkeys(("unicodefffe", "utf-16be"), ("utf-16be", "utf-16-be")),
    **dict.fromkeys(("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                     "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
                     "us-ascii", "windows-1252", "x-cp1252"), ("windows-1252", "windows-1252")),
}


def _windows_1252_table() -> dict[int, str]:
    """Bytes 0x80-0x9F as windows-1252 has them; the five it leaves unassigned map to C1 controls."""
    table = {}
    for b in range(0x80, 0xA0):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            table[b] = chr(b)
    return table


_WINDOWS_1252: Final = str.maketrans(_windows_1252_table())


class _Windows1252Decoder:
    """An incremental windows-1252 decoder (every byte is one character: nothing to carry)."""

    def decode(self, data: bytes, final: bool = False) -> str:
        return data.decode("latin-1").translate(_WINDOWS_1252)

    def reset(self) -> None:
        """Nothing to forget."""


def usv_bytes(s: str) -> bytes:
    """UTF-8 of a JS string as a USVString (lone surrogates become U+FFFD)."""
    if s.isascii():
        return s.encode("ascii")
    text = from_js_string(s)
    return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


class JSTextEncoder(JSObject):
    """A TextEncoder (stateless: UTF-8 is its only encoding)."""

    __slots__ = ()
    class_name = "TextEncoder"


class JSTextDecoder(JSObject):
    """A TextDecoder: its encoding, flags, and the incremental decoder of the current stream."""

    __slots__ = ("encoding", "fatal", "ignore_bom", "decoder", "bom_seen")
    class_name = "TextDecoder"

    def __init__(self, proto: JSObject | None, encoding: str, codec: str, fatal: bool, ignore_bom: bool) -> None:
        JSObject.__init__(self, proto)
        self.encoding = encoding
        self.fatal = fatal
        self.ignore_bom = ignore_bom
        self.decoder: Any = (_Windows1252Decoder() if codec == "windows-1252"
                             else codecs.getincrementaldecoder(codec)("strict" if fatal else "replace"))
        self.bom_seen = False


def install(rt: "Runtime") -> None:
    """``TextEncoder``, ``TextDecoder``, ``atob`` and ``btoa``."""
    uint8 = ELEMENT_TYPE["Uint8Array"]
    new_dom_exception = rt.intrinsics["new_dom_exception"]

    def string_arg(v: Any) -> str:
        return "" if v is undefined else ops.to_string(v)

    # -- TextEncoder (Encoding 8.2) ---------------------------------------------------------

    TEP = JSObject(rt.ObjectPrototype)

    def text_encoder_call(this: Any, *_: Any) -> Any:
        raise type_error("Class constructor TextEncoder cannot be invoked without 'new'")

    def text_encoder_construct(args: list[Any], new_target: Any) -> JSObject:
        return JSTextEncoder(rt.proto_from(new_target, TEP))

    rt.constructor("TextEncoder", 0, text_encoder_call, text_encoder_construct, TEP)

    def this_encoder(this: Any, what: str) -> JSObject:
        if isinstance(this, JSTextEncoder):
            return this
        raise type_error(f"Value of \"this\" must be of type TextEncoder ({what})")

    def encode(this: Any, input: Any = undefined, *_: Any) -> JSTypedArray:
        """TextEncoder.prototype.encode: UTF-8 bytes in a new Uint8Array."""
        this_encoder(this, "encode")
        return make_uint8_array(rt, usv_bytes(string_arg(input)))

    def encode_into(this: Any, source: Any = undefined, destination: Any = undefined, *_: Any) -> JSObject:
        """TextEncoder.prototype.encodeInto: as many whole characters as fit; {read (code units), written}."""
        this_encoder(this, "encodeInto")
        s = string_arg(source)
        if not (isinstance(destination, JSTypedArray) and destination.kind is uint8):
            raise type_error("The \"dest\" argument must be an instance of Uint8Array.")
        room = destination.length()
        data = usv_bytes(s)
        read = len(s)
        if len(data) > room:
            read = written = 0
            i = 0
            while i < len(s):
                c = s[i]
                pair = "\ud800" <= c <= "\udbff" and i + 1 < len(s) and "\udc00" <= s[i + 1] <= "\udfff"
                o = ord(c)
                size = 4 if pair else 1 if o < 0x80 else 2 if o < 0x800 else 3
                if written + size > room:
                    break
                written += size
                i += 2 if pair else 1
            read = i
            data = data[:written]
        buf = destination.buffer.data
        if buf is not None and data:
            buf[destination.offset:destination.offset + len(data)] = data
        return rt.object({"read": read, "written": len(data)})

    rt.define_getter(TEP, "encoding", lambda this, *_: (this_encoder(this, "encoding"), "utf-8")[1])
    rt.define(TEP, "encode", encode, 0)
    rt.define(TEP, "encodeInto", encode_into, 2)
    TEP.write_slot(SYM_TO_STRING_TAG, "TextEncoder", CONFIGURABLE)

    # -- TextDecoder (Encoding 8.1) ---------------------------------------------------------

    TDP = JSObject(rt.ObjectPrototype)

    def text_decoder_call(this: Any, *_: Any) -> Any:
        raise type_error("Class constructor TextDecoder cannot be invoked without 'new'")

    def text_decoder_construct(args: list[Any], new_target: Any) -> JSTextDecoder:
        label = "utf-8" if not args or args[0] is undefined else ops.to_string(args[0])
        found = _ENCODINGS.get(label.strip("\t\n\f\r ").lower())
        if found is None:
            raise range_error(f"The \"{label}\" encoding is not supported")
        options = args[1] if len(args) > 1 else undefined
        fatal = ignore_bom = False
        if isinstance(options, JSObject):
            fatal = ops.truthy(options.get("fatal"))
            ignore_bom = ops.truthy(options.get("ignoreBOM"))
        elif options is not undefined and options is not None:
            raise type_error("The \"options\" argument must be of type object.")
        return JSTextDecoder(rt.proto_from(new_target, TDP), found[0], found[1], fatal, ignore_bom)

    rt.constructor("TextDecoder", 0, text_decoder_call, text_decoder_construct, TDP)

    def this_decoder(this: Any, what: str) -> JSTextDecoder:
        if isinstance(this, JSTextDecoder):
            return this
        raise type_error(f"Value of \"this\" must be of type TextDecoder ({what})")

    def decode(this: Any, input: Any = undefined, options: Any = undefined, *_: Any) -> str:
        """TextDecoder.prototype.decode(input, {stream})."""
        decoder = this_decoder(this, "decode")
        data = b"" if input is undefined else bytes_of(input)
        if data is None:
            raise type_error("The \"input\" argument must be an instance of ArrayBuffer or ArrayBufferView.")
        stream = isinstance(options, JSObject) and ops.truthy(options.get("stream"))
        try:
            text = decoder.decoder.decode(data, final=not stream)
        except UnicodeDecodeError:
            decoder.decoder.reset()
            decoder.bom_seen = False
            raise type_error(f"The encoded data was not valid for encoding {decoder.encoding}") from None
        if not decoder.bom_seen and text:
            decoder.bom_seen = True
            if text[0] == "\ufeff" and not decoder.ignore_bom:
                text = text[1:]
        if not stream:
            decoder.decoder.reset()
            decoder.bom_seen = False
        return rt.check_string(text if text.isascii() else to_js_string(text))

    rt.define_getter(TDP, "encoding", lambda this, *_: this_decoder(this, "encoding").encoding)
    rt.define_getter(TDP, "fatal", lambda this, *_: this_decoder(this, "fatal").fatal)
    rt.define_getter(TDP, "ignoreBOM", lambda this, *_: this_decoder(this, "ignoreBOM").ignore_bom)
    rt.define(TDP, "decode", decode, 0)
    TDP.write_slot(SYM_TO_STRING_TAG, "TextDecoder", CONFIGURABLE)

    # -- atob / btoa (HTML 8.3) ---------------------------------------------------------------

    def invalid_character(message: str) -> JSThrow:
        return JSThrow(new_dom_exception(message, "InvalidCharacterError"))

    def atob(this: Any, *args: Any) -> str:
        """atob(data): forgiving-base64 decode, each byte one code unit."""
        if not args:
            raise type_error("The \"data\" argument must be specified")
        s = "".join(c for c in ops.to_string(args[0]) if c not in "\t\n\f\r ")
        if len(s) % 4 == 0 and s.endswith("="):
            s = s[:-2] if s.endswith("==") else s[:-1]
        if len(s) % 4 == 1 or not re.fullmatch(r"[A-Za-z0-9+/]*", s):
            raise invalid_character("The string to be decoded is not correctly encoded.")
        rest = len(s) % 4
        data = binascii.a2b_base64(s + "A" * (4 - rest)) if rest else binascii.a2b_base64(s)
        if rest:
            data = data[:len(data) - 3 + rest - 1]
        return rt.check_string(data.decode("latin-1"))

    def btoa(this: Any, *args: Any) -> str:
        """btoa(data): a string of code units up to U+00FF, as base64."""
        if not args:
            raise type_error("The \"data\" argument must be specified")
        s = ops.to_string(args[0])
        try:
            data = s.encode("latin-1")
        except UnicodeEncodeError:
            raise invalid_character("Invalid character") from None
        return rt.check_string(binascii.b2a_base64(data, newline=False).decode("ascii"))

    rt.global_object.put("atob", rt.native(atob, "atob", 1), DEFAULT_FLAGS)
    rt.global_object.put("btoa", rt.native(btoa, "btoa", 1), DEFAULT_FLAGS)

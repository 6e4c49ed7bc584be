"""Binary data as JS values: ArrayBuffer, typed arrays and DataView, and the host's API to them.

An ``ArrayBuffer``'s bytes are a Python ``bytearray`` (``None`` once
detached); a typed array or a ``DataView`` is a window (byte offset, fixed
length or length-tracking) on one. Elements are read and written with
precompiled :class:`struct.Struct` objects in little-endian order (what every
platform Node runs on uses), so bulk work (a 1 MB ``TextEncoder.encode``, a
``set`` between typed arrays) is a slice copy, never a loop in Python.
Nothing keeps a ``memoryview`` of a buffer alive: a resizable buffer can
always be resized.

The host API other built-ins and the host use (``fetch`` bodies, ``Blob``,
``response.arrayBuffer()``):

* :func:`make_array_buffer` and :func:`make_uint8_array` turn ``bytes`` into
  JS values of a realm (charging its memory account);
* :func:`bytes_of` gives the bytes an ``ArrayBuffer``, a typed array or a
  ``DataView`` shows (``None`` for anything else).
"""

from __future__ import annotations

import math
import struct
from typing import TYPE_CHECKING, Any, Callable, Final, Optional

from .bigint import JSBigInt, to_bigint
from .guard import CHARGE_THRESHOLD
from .numconv import canonical_numeric_index, number_to_string
from .ops import to_number, to_primitive
from .values import DEFAULT_FLAGS, MISSING, Descriptor, JSObject, range_error, undefined

if TYPE_CHECKING:
    from .runtime import Runtime


class JSArrayBuffer(JSObject):
    """An ArrayBuffer (ECMA-262 25.1): ``data`` is ``None`` once detached; ``max_length`` makes it resizable."""

    __slots__ = ("data", "max_length")
    class_name = "ArrayBuffer"

    def __init__(self, proto: Optional[JSObject], data: bytearray, max_length: int | None = None) -> None:
        JSObject.__init__(self, proto)
        self.data: bytearray | None = data
        self.max_length = max_length

    @property
    def detached(self) -> bool:
        """IsDetachedBuffer."""
        return self.data is None

    def byte_length(self) -> int:
        """ArrayBufferByteLength (0 when detached)."""
        return 0 if self.data is None else len(self.data)


# -- element types (ECMA-262 Table 71) -----------------------------------------------------------


def _integer(bits: int, signed: bool) -> Callable[[Any], int]:
    """ToInt8 ... ToUint32 (ECMA-262 7.1.6 - 7.1.11): ToNumber, truncate, wrap modulo 2**bits."""
    mask = (1 << bits) - 1
    half = 1 << (bits - 1)
    full = 1 << bits

    def convert(v: Any) -> int:
        x = v if type(v) is int else to_number(v)
        if type(x) is float:
            if x != x or x == math.inf or x == -math.inf:
                return 0
            x = int(x)
        n = int(x) & mask
        return n - full if signed and n >= half else n

    return convert


def _uint8_clamp(v: Any) -> int:
    """ToUint8Clamp (ECMA-262 7.1.12): clamp to 0..255, ties to even."""
    n = v if type(v) is int else to_number(v)
    if n != n or n <= 0:
        return 0
    if n >= 255:
        return 255
    return round(n)


def _float(round_to: Callable[[int | float], int | float] | None) -> Callable[[Any], float]:
    """ToNumber then the element's precision (binary32 / binary16 round to nearest, ties to even)."""

    def convert(v: Any) -> float:
        n = to_number(v)
        return float(n if round_to is None else round_to(n))

    return convert


def _big(bits: int, signed: bool) -> Callable[[Any], int]:
    """ToBigInt64 / ToBigUint64 (ECMA-262 7.1.15, 7.1.16)."""
    mask = (1 << bits) - 1
    half = 1 << (bits - 1)

    def convert(v: Any) -> int:
        if isinstance(v, JSObject):
            v = to_primitive(v, "number")
        n = to_bigint(v).value & mask
        return n - (mask + 1) if signed and n >= half else n

    return convert


def _from_float(x: float) -> int | float:
    """A float element as a Number in the runtime's preferred form (see ``js_number``)."""
    if x.is_integer() and -9007199254740992.0 <= x <= 9007199254740992.0 and not (x == 0 and math.copysign(1.0, x) < 0):
        return int(x)
    return x


class ElementType:
    """One typed array element type: its size, struct code, conversion and how a read becomes a JS value."""

    __slots__ = ("name", "size", "code", "one", "one_big_endian", "convert", "bigint", "floating", "to_js")

    def __init__(self, name: str, code: str, convert: Callable[[Any], Any], bigint: bool = False) -> None:
        self.name = name
        self.code = code
        self.one = struct.Struct("<" + code)
        #: DataView's default byte order.
        self.one_big_endian = struct.Struct(">" + code)
        self.size = self.one.size
        #: The JS value → the Python int/float stored (ToNumber/ToBigInt and wrapping): may run guest code.
        self.convert = convert
        self.bigint = bigint
        self.floating = code in "efd"
        #: A stored Python value → the JS value a read gives.
        self.to_js: Callable[[Any], Any] = JSBigInt if bigint else _from_float if self.floating else int

    def read(self, data: bytearray, offset: int) -> Any:
        """The element at byte ``offset``, as a JS value."""
        return self.to_js(self.one.unpack_from(data, offset)[0])

    def read_many(self, data: bytearray, offset: int, count: int) -> list[Any]:
        """``count`` elements from byte ``offset``, as JS values."""
        if self.code == "B":
            return list(data[offset:offset + count])
        raw = struct.unpack_from(f"<{count}{self.code}", data, offset)
        if self.floating or self.bigint:
            return [self.to_js(x) for x in raw]
        return list(raw)

    def pack_many(self, values: list[Any]) -> bytes:
        """Already converted values as bytes."""
        return struct.pack(f"<{len(values)}{self.code}", *values)


def _fround(n: int | float) -> int | float:
    from .builtins.math import fround

    return fround(n)


def _f16round(n: int | float) -> int | float:
    from .builtins.math import f16round

    return f16round(n)


#: The typed array element types, in the order of ECMA-262 Table 71.
ELEMENT_TYPES: Final = (
    ElementType("Int8Array", "b", _integer(8, True)),
    ElementType("Uint8Array", "B", _integer(8, False)),
    ElementType("Uint8ClampedArray", "B", _uint8_clamp),
    ElementType("Int16Array", "h", _integer(16, True)),
    ElementType("Uint16Array", "H", _integer(16, False)),
    ElementType("Int32Array", "i", _integer(32, True)),
    ElementType("Uint32Array", "I", _integer(32, False)),
    ElementType("Float32Array", "f", _float(_fround)),
    ElementType("Float64Array", "d", _float(None)),
    ElementType("BigInt64Array", "q", _big(64, True), bigint=True),
    ElementType("BigUint64Array", "Q", _big(64, False), bigint=True),
)
ELEMENT_TYPE: Final = {t.name: t for t in ELEMENT_TYPES}
#: ``DataView``'s binary16 accessors (no ``Float16Array`` in Node 20, the reference).
FLOAT16: Final = ElementType("Float16Array", "e", _float(_f16round))


def numeric_key(key: Any) -> int | float | None:
    """CanonicalNumericIndexString (ECMA-262 7.1.21) of a property key: its Number, or ``None``.

    ``"1.5"``, ``"-0"``, ``"NaN"`` and ``"-1"`` are numeric (a typed array
    answers them itself, never its prototype); ``"01"`` and ``"+1"`` are not.
    """
    t = type(key)
    if t is int:
        return key  # type: ignore[no-any-return]
    if t is not str or not key:
        return None
    c = key[0]
    if c in "0123456789":
        i = canonical_numeric_index(key)
        if i is not None:
            return i
    elif c != "-" and c != "I" and c != "N":
        return None
    if key == "-0":
        return -0.0
    n = to_number(key)
    return n if number_to_string(n) == key else None


class JSArrayBufferView(JSObject):
    """What typed arrays and DataView share: a window on a buffer (``fixed`` is ``None`` when length-tracking)."""

    __slots__ = ("buffer", "offset", "fixed")

    def __init__(self, proto: Optional[JSObject], buffer: JSArrayBuffer, offset: int, fixed: int | None) -> None:
        JSObject.__init__(self, proto)
        self.buffer = buffer
        self.offset = offset
        self.fixed = fixed

    def byte_span(self) -> int:
        """The bytes the view shows now; -1 when its buffer is detached or too small (out of bounds)."""
        data = self.buffer.data
        if data is None:
            return -1
        n = len(data)
        if self.fixed is None:
            return -1 if self.offset > n else n - self.offset
        span = self.fixed * self.element_size
        return -1 if self.offset + span > n else span

    element_size = 1

    def view_bytes(self) -> bytes:
        """A copy of the bytes the view shows (empty when out of bounds)."""
        span = self.byte_span()
        data = self.buffer.data
        if span <= 0 or data is None:
            return b""
        return bytes(data[self.offset:self.offset + span])


class JSTypedArray(JSArrayBufferView):
    """A typed array: an integer-indexed exotic object (ECMA-262 10.4.5) over a buffer."""

    __slots__ = ("kind",)
    int_keys = True

    def __init__(self, proto: Optional[JSObject], kind: ElementType, buffer: JSArrayBuffer, offset: int,
                 length: int | None) -> None:
        JSArrayBufferView.__init__(self, proto, buffer, offset, length)
        self.kind = kind

    @property
    def class_name(self) -> str:  # type: ignore[override]
        return self.kind.name

    @property
    def element_size(self) -> int:  # type: ignore[override]
        return self.kind.size

    def length(self) -> int:
        """TypedArrayLength, 0 when out of bounds or detached."""
        span = self.byte_span()
        return span // self.kind.size if span > 0 else 0

    def valid_index(self, n: Any) -> bool:
        """IsValidIntegerIndex."""
        return type(n) is int and 0 <= n < self.length()

    def prevent_extensions(self) -> bool:
        """[[PreventExtensions]] (ECMA-262 10.4.5.2): refused unless IsTypedArrayFixedLength.

        A length-tracking view, or any view of a resizable buffer, could gain
        elements later, so it cannot stop being extensible (Object.freeze throws).
        """
        if self.fixed is None or self.buffer.max_length is not None:
            return False
        return JSObject.prevent_extensions(self)

    def byte_at(self, i: int) -> int:
        """The byte offset of element ``i`` in the buffer, or -1 when ``i`` is not a valid index now."""
        data = self.buffer.data
        if data is None or i < 0:
            return -1
        size = self.kind.size
        at = self.offset + i * size
        fixed = self.fixed
        if fixed is None:
            return at if at + size <= len(data) else -1
        return at if i < fixed and self.offset + fixed * size <= len(data) else -1

    def read(self, i: int) -> Any:
        """The element at a valid index ``i``."""
        data = self.buffer.data
        assert data is not None
        kind = self.kind
        at = self.offset + i * kind.size
        return data[at] if kind.code == "B" else kind.to_js(kind.one.unpack_from(data, at)[0])

    def write(self, i: int, stored: Any) -> None:
        """Store an already converted value at ``i`` when that index is (still) valid."""
        at = self.byte_at(i)
        if at >= 0:
            data = self.buffer.data
            assert data is not None
            if self.kind.code == "B":
                data[at] = stored
            else:
                self.kind.one.pack_into(data, at, stored)

    def set_element(self, n: Any, value: Any) -> None:
        """TypedArraySetElement: convert first (it may detach or shrink), then write if the index is valid."""
        kind = self.kind
        # A byte-sized integer needs no conversion in a Uint8Array (the common case by far).
        stored = value if type(value) is int and kind.code == "B" and 0 <= value < 256 else kind.convert(value)
        if type(n) is int:
            self.write(n, stored)

    def elements(self) -> list[Any]:
        """Every element, as JS values (empty when out of bounds)."""
        n = self.length()
        data = self.buffer.data
        if not n or data is None:
            return []
        return self.kind.read_many(data, self.offset, n)

    # -- the integer-indexed exotic object's internal methods -----------------------------------

    def get_own_slot(self, key: Any) -> Any:
        """Numeric keys are elements (or nothing); others are ordinary properties."""
        n = numeric_key(key)
        if n is None:
            return self.props.get(key, MISSING)
        return self.read(n) if self.valid_index(n) else MISSING  # type: ignore[arg-type]

    def own_flags(self, key: Any) -> int:
        """Elements are writable, enumerable and configurable."""
        if numeric_key(key) is not None:
            return DEFAULT_FLAGS
        return JSObject.own_flags(self, key)

    def get(self, key: Any, receiver: Any = MISSING) -> Any:
        """[[Get]]: a numeric key never reaches the prototype."""
        if type(key) is int:
            at = self.byte_at(key)
            if at < 0:
                return undefined
            data = self.buffer.data
            kind = self.kind
            return data[at] if kind.code == "B" else kind.to_js(kind.one.unpack_from(data, at)[0])  # type: ignore[index, arg-type]
        n = numeric_key(key)
        if n is not None:
            return self.read(n) if self.valid_index(n) else undefined  # type: ignore[arg-type]
        return JSObject.get(self, key, receiver)

    def set(self, key: Any, value: Any, receiver: Any = MISSING) -> bool:
        """[[Set]]: a write to an invalid index is ignored (and succeeds)."""
        if type(key) is int and (receiver is MISSING or receiver is self):
            self.set_element(key, value)
            return True
        n = numeric_key(key)
        if n is None:
            return JSObject.set(self, key, value, receiver)
        if receiver is MISSING or receiver is self:
            self.set_element(n, value)
            return True
        if not self.valid_index(n):
            return True
        return JSObject.set(self, key, value, receiver)

    def has(self, key: Any) -> bool:
        """[[HasProperty]]: numeric keys answer from the element range only."""
        n = numeric_key(key)
        if n is not None:
            return self.valid_index(n)
        return JSObject.has(self, key)

    def has_own(self, key: Any) -> bool:
        """Whether an own property (an element or an ordinary one) exists."""
        return self.get_own_slot(key) is not MISSING

    def define_own_property(self, key: Any, desc: Descriptor) -> bool:
        """[[DefineOwnProperty]] (ECMA-262 10.4.5.3): elements stay writable, enumerable, configurable data."""
        n = numeric_key(key)
        if n is None:
            return JSObject.define_own_property(self, key, desc)
        if not self.valid_index(n):
            return False
        if desc.configurable is False or desc.enumerable is False or desc.is_accessor or desc.writable is False:
            return False
        if desc.value is not MISSING:
            self.set_element(n, desc.value)
        return True

    def write_slot(self, key: Any, slot: Any, flags: int) -> None:
        """Numeric keys write elements (ignored when invalid); others are ordinary."""
        n = numeric_key(key)
        if n is None:
            JSObject.write_slot(self, key, slot, flags)
        else:
            self.set_element(n, slot)

    def delete(self, key: Any) -> bool:
        """[[Delete]]: an element cannot be deleted; a missing numeric key can."""
        n = numeric_key(key)
        if n is None:
            return JSObject.delete(self, key)
        return not self.valid_index(n)

    def own_keys(self) -> list[Any]:
        """[[OwnPropertyKeys]]: the indices, then the ordinary keys."""
        keys: list[Any] = [str(i) for i in range(self.length())]
        keys.extend(JSObject.own_keys(self))
        return keys


class JSDataView(JSArrayBufferView):
    """A DataView (ECMA-262 25.3)."""

    __slots__ = ()
    class_name = "DataView"


# -- the host's API ------------------------------------------------------------------------------


def allocate(rt: "Runtime", n: int) -> bytearray:
    """``n`` zero bytes for a buffer: RangeError over the realm's memory limit, large ones charged."""
    if n > rt.limits.max_memory_bytes:
        raise range_error("Array buffer allocation failed")
    if n >= CHARGE_THRESHOLD:
        rt.guard.charge(n)
    return bytearray(n)


def make_array_buffer(rt: "Runtime", data: bytes | bytearray | memoryview) -> JSArrayBuffer:
    """A new ``ArrayBuffer`` of ``rt`` holding a copy of ``data``."""
    buf = allocate(rt, len(data))
    buf[:] = data
    return JSArrayBuffer(rt.intrinsics["ArrayBuffer.prototype"], buf)


def make_typed_array(rt: "Runtime", kind: ElementType, buffer: JSArrayBuffer, offset: int = 0,
                     length: int | None = None) -> JSTypedArray:
    """A typed array of ``kind`` over ``buffer`` (``length`` ``None``: to the buffer's end)."""
    if length is None and buffer.max_length is None:
        length = (buffer.byte_length() - offset) // kind.size
    return JSTypedArray(rt.intrinsics[kind.name + ".prototype"], kind, buffer, offset, length)


def make_uint8_array(rt: "Runtime", data: bytes | bytearray | memoryview) -> JSTypedArray:
    """A new ``Uint8Array`` of ``rt`` holding a copy of ``data`` (in a buffer of its own)."""
    return make_typed_array(rt, ELEMENT_TYPE["Uint8Array"], make_array_buffer(rt, data))


def bytes_of(value: Any) -> bytes | None:
    """The bytes an ``ArrayBuffer``, typed array or ``DataView`` holds (a copy), else ``None``.

    A detached buffer, or a view out of its buffer's bounds, holds no bytes.
    """
    if isinstance(value, JSArrayBuffer):
        return b"" if value.data is None else bytes(value.data)
    if isinstance(value, JSArrayBufferView):
        return value.view_bytes()
    return None


__all__ = [
    "ELEMENT_TYPE", "ELEMENT_TYPES", "FLOAT16", "ElementType", "JSArrayBuffer", "JSArrayBufferView",
    "JSDataView", "JSTypedArray", "allocate", "bytes_of", "make_array_buffer", "make_typed_array",
    "make_uint8_array", "numeric_key",
]

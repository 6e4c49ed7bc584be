"""ArrayBuffer (ECMA-262 25.1) and DataView (ECMA-262 25.3).

A buffer's bytes are a ``bytearray`` (see ``seqflow_runtime/js/binary.py``).
Allocation goes through :func:`allocate`: a length over the realm's memory
limit is a RangeError, and a large buffer is charged to the memory account.
``transfer`` moves the ``bytearray`` itself to the new buffer (no copy) and
detaches the old one, as the spec's "may be implemented as a zero-copy move".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .. import ops
from ..binary import (
    ELEMENT_TYPE,
    FLOAT16,
    ElementType,
    JSArrayBuffer,
    JSArrayBufferView,
    JSDataView,
    allocate,
)
from ..values import SYM_SPECIES, SYM_TO_STRING_TAG, JSObject, is_callable, range_error, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

#: The largest index ToIndex accepts (2**53 - 1).
MAX_INDEX = 9007199254740991


def to_index(v: Any, what: str = "length") -> int:
    """ToIndex (ECMA-262 7.1.22): an integer in 0 .. 2**53-1, else RangeError."""
    if v is undefined:
        return 0
    n = ops.to_integer(v)
    if not 0 <= n <= MAX_INDEX:
        raise range_error(f"Invalid {what}")
    return int(n)


def install(rt: "Runtime") -> None:
    """``ArrayBuffer`` and ``DataView``."""
    ABP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["ArrayBuffer.prototype"] = ABP

    def this_buffer(this: Any, method: str) -> JSArrayBuffer:
        if isinstance(this, JSArrayBuffer):
            return this
        raise type_error(f"Method ArrayBuffer.prototype.{method} called on incompatible receiver {ops.typeof(this)}")

    def not_detached(buf: JSArrayBuffer, method: str) -> bytearray:
        if buf.data is None:
            raise type_error(f"Cannot perform ArrayBuffer.prototype.{method} on a detached ArrayBuffer")
        return buf.data

    def array_buffer_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor ArrayBuffer requires 'new'")

    def array_buffer_construct(args: list[Any], new_target: Any) -> JSArrayBuffer:
        """ArrayBuffer(length, options) (25.1.4.1): ToIndex, then the optional maxByteLength."""
        length = to_index(args[0] if args else undefined, "array buffer length")
        options = args[1] if len(args) > 1 else undefined
        max_length: int | None = None
        if isinstance(options, JSObject):
            m = options.get("maxByteLength")
            if m is not undefined:
                max_length = to_index(m, "array buffer max length")
                if length > max_length:
                    raise range_error("Invalid array buffer max length")
        proto = rt.proto_from(new_target, ABP)
        if max_length is not None and max_length > rt.limits.max_memory_bytes:
            raise range_error("Array buffer allocation failed")
        return JSArrayBuffer(proto, allocate(rt, length), max_length)

    ctor = rt.constructor("ArrayBuffer", 1, array_buffer_call, array_buffer_construct, ABP)

    def is_view(this: Any, v: Any = undefined, *_: Any) -> bool:
        return isinstance(v, JSArrayBufferView)

    rt.define(ctor, "isView", is_view, 1)
    rt.define_getter(ctor, SYM_SPECIES, lambda this, *_: this)

    rt.define_getter(ABP, "byteLength", lambda this, *_: this_buffer(this, "byteLength").byte_length())
    rt.define_getter(ABP, "maxByteLength", lambda this, *_: (
        lambda b: b.byte_length() if b.max_length is None or b.data is None else b.max_length)(
            this_buffer(this, "maxByteLength")))
    rt.define_getter(ABP, "resizable", lambda this, *_: this_buffer(this, "resizable").max_length is not None)
    rt.define_getter(ABP, "detached", lambda this, *_: this_buffer(this, "detached").data is None)

    def species_buffer(buf: JSArrayBuffer, n: int) -> JSArrayBuffer:
        """SpeciesConstructor(buf, %ArrayBuffer%) called with ``n``, checked as 25.1.6.7 says."""
        c = buf.get("constructor")
        if c is undefined:
            return JSArrayBuffer(ABP, allocate(rt, n))
        if not isinstance(c, JSObject):
            raise type_error("object.constructor is not an object")
        s = c.get(SYM_SPECIES)
        if s is undefined or s is None or s is ctor:
            return JSArrayBuffer(ABP, allocate(rt, n))
        if not is_callable(s):
            raise type_error("object.constructor[Symbol.species] is not a constructor")
        made = rt.construct(s, [n], s)
        if not isinstance(made, JSArrayBuffer):
            raise type_error("Species constructor did not return an ArrayBuffer")
        if made.data is None:
            raise type_error("Species constructor returned a detached ArrayBuffer")
        if made is buf:
            raise type_error("ArrayBuffer subclass returned this from species constructor")
        if made.byte_length() < n:
            raise type_error("Species constructor returned a too small ArrayBuffer")
        return made

    def slice_(this: Any, start: Any = undefined, end: Any = undefined, *_: Any) -> JSArrayBuffer:
        """ArrayBuffer.prototype.slice (25.1.6.7)."""
        from .array import relative_index

        buf = this_buffer(this, "slice")
        n = len(not_detached(buf, "slice"))
        first = relative_index(start, n)
        final = n if end is undefined else relative_index(end, n)
        count = max(final - first, 0)
        out = species_buffer(buf, count)
        data = not_detached(buf, "slice")
        assert out.data is not None
        # The species constructor may have shrunk this buffer: copy what is still there.
        chunk = data[first:min(first + count, len(data))]
        out.data[:len(chunk)] = chunk
        return out

    def resize(this: Any, new_length: Any = undefined, *_: Any) -> Any:
        """ArrayBuffer.prototype.resize (25.1.6.6)."""
        buf = this_buffer(this, "resize")
        if buf.max_length is None:
            raise type_error("Method ArrayBuffer.prototype.resize called on incompatible receiver #<ArrayBuffer>")
        n = to_index(new_length, "length")
        data = not_detached(buf, "resize")
        if n > buf.max_length:
            raise range_error("ArrayBuffer.prototype.resize: Invalid length parameter")
        if n > len(data):
            grown = allocate(rt, n - len(data))
            data.extend(grown)
        else:
            del data[n:]
        return undefined

    def transfer_with(fixed: bool) -> Callable[..., JSArrayBuffer]:
        def transfer(this: Any, new_length: Any = undefined, *_: Any) -> JSArrayBuffer:
            """ArrayBuffer.prototype.transfer / transferToFixedLength (ES2024, 25.1.6.8-9)."""
            buf = this_buffer(this, "transfer")
            n = buf.byte_length() if new_length is undefined else to_index(new_length, "length")
            data = not_detached(buf, "transfer")
            max_length = None if fixed else buf.max_length
            if max_length is not None and n > max_length:
                raise range_error("Invalid array buffer length")
            if n > len(data):
                data.extend(allocate(rt, n - len(data)))
            else:
                del data[n:]
            buf.data = None
            return JSArrayBuffer(ABP, data, max_length)
        return transfer

    rt.define(ABP, "slice", slice_, 2)
    rt.define(ABP, "resize", resize, 1)
    rt.define(ABP, "transfer", transfer_with(False), 0)
    rt.define(ABP, "transferToFixedLength", transfer_with(True), 0)
    ABP.write_slot(SYM_TO_STRING_TAG, "ArrayBuffer", 4)

    install_data_view(rt)


def install_data_view(rt: "Runtime") -> None:
    """DataView (25.3): every get/set of ES2024, plus the ES2025 binary16 pair."""
    DVP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["DataView.prototype"] = DVP

    def data_view_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor DataView requires 'new'")

    def data_view_construct(args: list[Any], new_target: Any) -> JSDataView:
        """DataView(buffer, byteOffset, byteLength) (25.3.2.1)."""
        buffer = args[0] if args else undefined
        if not isinstance(buffer, JSArrayBuffer):
            raise type_error("First argument to DataView constructor must be an ArrayBuffer")
        offset = to_index(args[1] if len(args) > 1 else undefined, "DataView offset")
        if buffer.data is None:
            raise type_error("Cannot perform DataView constructor on a detached ArrayBuffer")
        size = buffer.byte_length()
        if offset > size:
            raise range_error(f"Start offset {offset} is outside the bounds of the buffer")
        length_arg = args[2] if len(args) > 2 else undefined
        tracking = length_arg is undefined and buffer.max_length is not None
        length: int | None = None
        if not tracking:
            length = size - offset if length_arg is undefined else to_index(length_arg, "DataView length")
            if offset + length > size:
                raise range_error(f"Invalid DataView length {length}")
        proto = rt.proto_from(new_target, DVP)
        # The prototype lookup may have run guest code that detached or shrank the buffer.
        if buffer.data is None:
            raise type_error("Cannot perform DataView constructor on a detached ArrayBuffer")
        if offset > buffer.byte_length() or (length is not None and offset + length > buffer.byte_length()):
            raise range_error("Invalid DataView length")
        return JSDataView(proto, buffer, offset, length)

    rt.constructor("DataView", 1, data_view_call, data_view_construct, DVP)

    def this_view(this: Any, what: str) -> JSDataView:
        if isinstance(this, JSDataView):
            return this
        raise type_error(f"Method DataView.prototype.{what} called on incompatible receiver {ops.typeof(this)}")

    def span_of(view: JSDataView, what: str) -> int:
        span = view.byte_span()
        if span < 0:
            if view.buffer.data is None:
                raise type_error(f"Cannot perform DataView.prototype.{what} on a detached ArrayBuffer")
            raise type_error(f"Cannot perform DataView.prototype.{what} on an out of bounds DataView")
        return span

    rt.define_getter(DVP, "buffer", lambda this, *_: this_view(this, "buffer").buffer)
    rt.define_getter(DVP, "byteLength", lambda this, *_: span_of(this_view(this, "byteLength"), "byteLength"))
    rt.define_getter(DVP, "byteOffset", lambda this, *_: (
        lambda v: (span_of(v, "byteOffset"), v.offset)[1])(this_view(this, "byteOffset")))
    DVP.write_slot(SYM_TO_STRING_TAG, "DataView", 4)

    def accessors(name: str, kind: ElementType) -> None:
        size = kind.size
        big = kind.one_big_endian
        little = kind.one

        def get_value(this: Any, index: Any = undefined, little_endian: Any = undefined, *_: Any) -> Any:
            """GetViewValue (25.3.1.5)."""
            view = this_view(this, "get" + name)
            at = to_index(index, "offset")
            le = ops.truthy(little_endian)
            span = span_of(view, "get" + name)
            if at + size > span:
                raise range_error("Offset is outside the bounds of the DataView")
            assert view.buffer.data is not None
            return kind.to_js((little if le else big).unpack_from(view.buffer.data, view.offset + at)[0])

        def set_value(this: Any, index: Any = undefined, value: Any = undefined,
                      little_endian: Any = undefined, *_: Any) -> Any:
            """SetViewValue (25.3.1.6): the index and the value are converted before any bounds check."""
            view = this_view(this, "set" + name)
            at = to_index(index, "offset")
            stored = kind.convert(value)
            le = ops.truthy(little_endian)
            span = span_of(view, "set" + name)
            if at + size > span:
                raise range_error("Offset is outside the bounds of the DataView")
            assert view.buffer.data is not None
            (little if le else big).pack_into(view.buffer.data, view.offset + at, stored)
            return undefined

        rt.define(DVP, "get" + name, get_value, 1)
        rt.define(DVP, "set" + name, set_value, 2)

    for name, type_name in (("Int8", "Int8Array"), ("Uint8", "Uint8Array"), ("Int16", "Int16Array"),
                            ("Uint16", "Uint16Array"), ("Int32", "Int32Array"), ("Uint32", "Uint32Array"),
                            ("Float32", "Float32Array"), ("Float64", "Float64Array"),
                            ("BigInt64", "BigInt64Array"), ("BigUint64", "BigUint64Array")):
        accessors(name, ELEMENT_TYPE[type_name])
    accessors("Float16", FLOAT16)


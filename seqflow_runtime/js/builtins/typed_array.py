"""%TypedArray% and the eleven typed array constructors (ECMA-262 23.2.1 - 23.2.7).

The objects themselves (integer-indexed exotic objects over a ``bytearray``)
are in ``seqflow_runtime/js/binary.py``; the prototype methods are in
``typed_array_methods.py``. This module makes the constructors: the
abstract %TypedArray% (``from``, ``of``, ``@@species``) and one concrete
constructor per element type, each with ``BYTES_PER_ELEMENT``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import ops
from ..binary import ELEMENT_TYPES, ElementType, JSArrayBuffer, JSTypedArray, allocate
from ..values import (
    SYM_ITERATOR,
    SYM_SPECIES,
    JSObject,
    call,
    is_callable,
    range_error,
    type_error,
    undefined,
)
from .array_buffer import to_index

if TYPE_CHECKING:
    from ..runtime import Runtime

#: Bulk byte work spends one step per this many bytes (shift), as the Array built-ins do.
BULK_SHIFT = 10


class TypedArrays:
    """The realm services the typed array built-ins share (creation, validation, species)."""

    def __init__(self, rt: "Runtime") -> None:
        self.rt = rt
        self.buffer_proto: JSObject = rt.intrinsics["ArrayBuffer.prototype"]
        self.constructors: dict[str, JSObject] = {}

    def validate(self, o: Any, method: str) -> JSTypedArray:
        """ValidateTypedArray (23.2.4.4): a typed array whose buffer is attached and in bounds."""
        if not isinstance(o, JSTypedArray):
            raise type_error("this is not a typed array.")
        if o.byte_span() < 0:
            if o.buffer.data is None:
                raise type_error(f"Cannot perform {method} on a detached ArrayBuffer")
            raise type_error(f"Cannot perform {method} on an out of bounds TypedArray")
        return o

    def allocate(self, kind: ElementType, n: int, proto: JSObject | None = None) -> JSTypedArray:
        """AllocateTypedArray with a new zeroed buffer of ``n`` elements."""
        if n * kind.size > self.rt.limits.max_memory_bytes:
            raise range_error(f"Invalid typed array length: {n}")
        buffer = JSArrayBuffer(self.buffer_proto, allocate(self.rt, n * kind.size))
        if proto is None:
            proto = self.rt.intrinsics[kind.name + ".prototype"]
        return JSTypedArray(proto, kind, buffer, 0, n)

    def fill_values(self, ta: JSTypedArray, values: list[Any]) -> None:
        """Convert and store ``values`` from index 0 (a new typed array: nothing else sees it yet)."""
        kind = ta.kind
        data = ta.buffer.data
        assert data is not None
        self.rt.steps_left -= len(values) >> 4
        converted = [kind.convert(v) for v in values]
        end = ta.offset + len(converted) * kind.size
        data[ta.offset:end] = bytes(converted) if kind.code == "B" else kind.pack_many(converted)

    def create_from(self, c: Any, args: list[Any]) -> JSTypedArray:
        """TypedArrayCreateFromConstructor (23.2.4.2)."""
        made = self.rt.construct(c, args, c)
        ta = self.validate(made, "construct")
        if len(args) == 1 and ops.is_number(args[0]) and ta.length() < args[0]:
            raise type_error("Derived TypedArray constructor created an array which was too small")
        return ta

    def species_create(self, exemplar: JSTypedArray, args: list[Any]) -> JSTypedArray:
        """TypedArraySpeciesCreate (23.2.4.1); the default constructor is the fast path."""
        default = self.constructors[exemplar.kind.name]
        c = exemplar.get("constructor")
        if c is not undefined:
            if not isinstance(c, JSObject):
                raise type_error("object.constructor is not an object")
            s = c.get(SYM_SPECIES)
            c = default if s is undefined or s is None else s
        else:
            c = default
        if c is default and len(args) == 1:
            return self.allocate(exemplar.kind, args[0])
        if not is_callable(c):
            raise type_error("object.constructor[Symbol.species] is not a constructor")
        ta = self.create_from(c, args)
        if ta.kind.bigint != exemplar.kind.bigint:
            raise type_error("Content type of the species constructor's result does not match")
        return ta


def install(rt: "Runtime") -> None:
    """%TypedArray%, its statics and the concrete constructors."""
    tas = TypedArrays(rt)
    rt.intrinsics["typed_arrays"] = tas
    TAP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["TypedArray.prototype"] = TAP

    def abstract(this: Any, *_: Any) -> Any:
        raise type_error("Abstract class TypedArray not directly constructable")

    TA = rt.constructor("TypedArray", 0, abstract, lambda args, nt: abstract(undefined), TAP, global_=False)
    # %TypedArray% is reachable only as the concrete constructors' prototype, never by name.
    del rt.intrinsics["TypedArray"]
    rt.define_getter(TA, SYM_SPECIES, lambda this, *_: this)

    def values_of(source: Any) -> list[Any]:
        """The values an iterable or array-like ``source`` holds (for the constructors and ``from``)."""
        method = source.get(SYM_ITERATOR)
        if method is not undefined and method is not None:
            if not is_callable(method):
                raise type_error(f"{ops.typeof(method)} is not a function")
            # A typed array with its own iterator untouched is read directly (same values, no iterator).
            if not (isinstance(source, JSTypedArray) and method is rt.intrinsics.get("TypedArrayValues")):
                return list(rt.iterate_with_method(source, method))
        n = ops.to_length(source.get("length"))
        if n > rt.limits.max_array_length:
            raise range_error(f"Invalid typed array length: {n}")
        return [rt.get(source, i) for i in range(n)]

    def from_(this: Any, source: Any = undefined, mapfn: Any = undefined, this_arg: Any = undefined,
              *_: Any) -> JSTypedArray:
        """%TypedArray%.from (23.2.2.1)."""
        if not (isinstance(this, JSObject) and getattr(this, "constructible", False)):
            raise type_error(f"{ops.to_string(this) if not isinstance(this, JSObject) else 'this'} is not a constructor")
        if mapfn is not undefined and not is_callable(mapfn):
            raise type_error(f"{ops.typeof(mapfn)} is not a function")
        items = values_of(rt.to_object(source))
        target = tas.create_from(this, [len(items)])
        for k, v in enumerate(items):
            rt.tick()
            target.set(k, v if mapfn is undefined else call(mapfn, this_arg, v, k))
        return target

    def of(this: Any, *items: Any) -> JSTypedArray:
        """%TypedArray%.of (23.2.2.2)."""
        if not (isinstance(this, JSObject) and getattr(this, "constructible", False)):
            raise type_error("this is not a constructor")
        target = tas.create_from(this, [len(items)])
        for k, v in enumerate(items):
            target.set(k, v)
        return target

    rt.define(TA, "from", from_, 1)
    rt.define(TA, "of", of, 0)

    def concrete(kind: ElementType) -> None:
        proto = JSObject(TAP)
        rt.intrinsics[kind.name + ".prototype"] = proto

        def call_(this: Any, *_: Any) -> Any:
            raise type_error(f"Constructor {kind.name} requires 'new'")

        def construct(args: list[Any], new_target: Any) -> JSTypedArray:
            return construct_typed_array(kind, args, new_target, proto)

        ctor = rt.constructor(kind.name, 3, call_, construct, proto)
        ctor.proto = TA
        tas.constructors[kind.name] = ctor
        ctor.write_slot("BYTES_PER_ELEMENT", kind.size, 0)
        proto.write_slot("BYTES_PER_ELEMENT", kind.size, 0)

    def construct_typed_array(kind: ElementType, args: list[Any], new_target: Any,
                              default_proto: JSObject) -> JSTypedArray:
        """TypedArray(...args) (23.2.5.1): a length is converted before the prototype is read."""
        first = args[0] if args else undefined
        if not isinstance(first, JSObject):
            length = to_index(first, "typed array length")
            return tas.allocate(kind, length, rt.proto_from(new_target, default_proto))
        proto = rt.proto_from(new_target, default_proto)
        if isinstance(first, JSTypedArray):
            src = tas.validate(first, "construct")
            if src.kind.bigint != kind.bigint:
                raise type_error("Cannot mix BigInt and other types, use explicit conversions")
            n = src.length()
            out = tas.allocate(kind, n, proto)
            if src.kind is kind:
                assert out.buffer.data is not None and src.buffer.data is not None
                out.buffer.data[:] = src.buffer.data[src.offset:src.offset + n * kind.size]
            else:
                tas.fill_values(out, src.elements())
            return out
        if isinstance(first, JSArrayBuffer):
            return over_buffer(kind, first, args[1] if len(args) > 1 else undefined,
                               args[2] if len(args) > 2 else undefined, proto)
        values = values_of(first)
        out = tas.allocate(kind, len(values), proto)
        tas.fill_values(out, values)
        return out

    def over_buffer(kind: ElementType, buffer: JSArrayBuffer, byte_offset: Any, length: Any,
                    proto: JSObject) -> JSTypedArray:
        """InitializeTypedArrayFromArrayBuffer (23.2.5.1.3)."""
        size = kind.size
        offset = to_index(byte_offset, "typed array offset")
        if offset % size:
            raise range_error(f"start offset of {kind.name} should be a multiple of {size}")
        new_length = None if length is undefined else to_index(length, "typed array length")
        if buffer.data is None:
            raise type_error("Cannot perform Construct on a detached ArrayBuffer")
        buffer_length = buffer.byte_length()
        if new_length is None and buffer.max_length is not None:
            if offset > buffer_length:
                raise range_error(f"Start offset {offset} is outside the bounds of the buffer")
            return JSTypedArray(proto, kind, buffer, offset, None)
        if new_length is None:
            if buffer_length % size:
                raise range_error(f"byte length of {kind.name} should be a multiple of {size}")
            if offset > buffer_length:
                raise range_error(f"Start offset {offset} is outside the bounds of the buffer")
            new_length = (buffer_length - offset) // size
        elif offset + new_length * size > buffer_length:
            raise range_error(f"Invalid typed array length: {new_length}")
        return JSTypedArray(proto, kind, buffer, offset, new_length)

    for kind in ELEMENT_TYPES:
        concrete(kind)

    from .typed_array_methods import install_methods

    install_methods(rt, tas, TAP)


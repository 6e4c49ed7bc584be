"""%TypedArray%.prototype (ECMA-262 23.2.3): accessors, iteration and every method arrays have."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..binary import JSTypedArray
from ..values import SYM_TO_STRING_TAG, JSObject, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime
    from .typed_array import TypedArrays


def install_methods(rt: "Runtime", tas: "TypedArrays", TAP: JSObject) -> None:
    """The accessors and methods of %TypedArray%.prototype."""

    def accessor(name: str, read: Any) -> None:
        def getter(this: Any, *_: Any) -> Any:
            if not isinstance(this, JSTypedArray):
                raise rt.error("TypeError", f"Method get TypedArray.prototype.{name} called on incompatible receiver")
            return read(this)
        rt.define_getter(TAP, name, getter)

    accessor("buffer", lambda ta: ta.buffer)
    accessor("byteLength", lambda ta: ta.length() * ta.kind.size)
    accessor("byteOffset", lambda ta: 0 if ta.byte_span() < 0 else ta.offset)
    accessor("length", lambda ta: ta.length())
    rt.define_getter(TAP, SYM_TO_STRING_TAG,
                     lambda this, *_: this.kind.name if isinstance(this, JSTypedArray) else undefined)

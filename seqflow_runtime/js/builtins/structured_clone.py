"""``structuredClone`` (HTML 2.7.3, StructuredSerializeInternal + StructuredDeserialize) and ``DOMException``.

The clone is made in one pass, which is equivalent to the spec's serialize
then deserialize within one realm: the memory map is keyed by the source
object, so cycles and shared references come out as cycles and shared
references. What is cloned (as V8 does, Node as the reference):

* primitives as they are (a symbol is refused);
* ``Boolean``/``Number``/``String`` objects, ``Date`` (time value),
  ``RegExp`` (source and flags; ``lastIndex`` starts at 0), ``Map`` and
  ``Set`` (keys and values cloned), errors (the standard name found through
  ``name``, else "Error"; own ``message``, ``stack`` and ``cause``);
* arrays (same length, holes kept, every own enumerable string key) and
  ordinary objects (own enumerable string keys read with [[Get]]; the
  prototype is not kept, so class instances become plain objects).

* ``ArrayBuffer`` (its bytes copied; resizable stays resizable), typed
  arrays and ``DataView`` (their buffer cloned through the memory map, so
  two views of one buffer come out as two views of one new buffer).

Everything else (functions, symbols, WeakMap/WeakSet/WeakRef, promises,
proxies, iterators, generators, ``arguments``, host objects, a detached
buffer) throws a ``DOMException`` named "DataCloneError" (code 25), as in
browsers and Node. The ``transfer`` list may hold ArrayBuffers: each moves
its bytes to its clone and is detached.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Final

from .. import ops
from ..errors_stack import js_stack
from ..values import (
    CONFIGURABLE,
    DEFAULT_FLAGS,
    HIDDEN,
    HOLE,
    SYM_TO_STRING_TAG,
    Accessor,
    JSArray,
    JSFunction,
    JSObject,
    JSThrow,
    Symbol,
    type_error,
    undefined,
)
from ..binary import JSArrayBuffer, JSArrayBufferView, JSDataView, JSTypedArray, allocate
from .collections import JSMap, JSSet
from .core import JSPrimitiveWrapper
from .date import JSDate
from .object import enumerable_own_keys
from .regexp import JSRegExp
from .symbol import symbol_descriptive_string

if TYPE_CHECKING:
    from ..runtime import Runtime

#: WebIDL's legacy DOMException codes: (constant name, error name or None) in code order from 1.
LEGACY_CODES: Final[tuple[tuple[str, str | None], ...]] = (
    ("INDEX_SIZE_ERR", "IndexSizeError"),
    ("DOMSTRING_SIZE_ERR", None),
    ("HIERARCHY_REQUEST_ERR", "HierarchyRequestError"),
    ("WRONG_DOCUMENT_ERR", "WrongDocumentError"),
    ("INVALID_CHARACTER_ERR", "InvalidCharacterError"),
    ("NO_DATA_ALLOWED_ERR", None),
    ("NO_MODIFICATION_ALLOWED_ERR", "NoModificationAllowedError"),
    ("NOT_FOUND_ERR", "NotFoundError"),
    ("NOT_SUPPORTED_ERR", "NotSupportedError"),
    ("INUSE_ATTRIBUTE_ERR", "InUseAttributeError"),
    ("INVALID_STATE_ERR", "InvalidStateError"),
    ("SYNTAX_ERR", "SyntaxError"),
    ("INVALID_MODIFICATION_ERR", "InvalidModificationError"),
    ("NAMESPACE_ERR", "NamespaceError"),
    ("INVALID_ACCESS_ERR", "InvalidAccessError"),
    ("VALIDATION_ERR", None),
    ("TYPE_MISMATCH_ERR", "TypeMismatchError"),
    ("SECURITY_ERR", "SecurityError"),
    ("NETWORK_ERR", "NetworkError"),
    ("ABORT_ERR", "AbortError"),
    ("URL_MISMATCH_ERR", "URLMismatchError"),
    ("QUOTA_EXCEEDED_ERR", "QuotaExceededError"),
    ("TIMEOUT_ERR", "TimeoutError"),
    ("INVALID_NODE_TYPE_ERR", "InvalidNodeTypeError"),
    ("DATA_CLONE_ERR", "DataCloneError"),
)
_CODE_OF_NAME: Final = {name: code for code, (_, name) in enumerate(LEGACY_CODES, 1) if name}

#: The error names a cloned error keeps (any other becomes "Error").
CLONEABLE_ERROR_NAMES: Final = frozenset(
    {"Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"}
)


class JSDOMException(JSObject):
    """A DOMException: its name and message live in internal slots, read by prototype getters."""

    __slots__ = ("name", "message")
    class_name = "DOMException"

    def __init__(self, proto: JSObject | None, message: str, name: str) -> None:
        JSObject.__init__(self, proto)
        self.message = message
        self.name = name


def install(rt: "Runtime") -> None:
    """``DOMException`` and ``structuredClone``."""
    from ..runtime import JSError

    # -- DOMException (WebIDL 2.8.1) --------------------------------------------------------

    DP = JSObject(rt.intrinsics["Error.prototype"])

    def new_dom_exception(proto: JSObject, message: str, name: str) -> JSDOMException:
        exc = JSDOMException(proto, message, name)
        header = f"{name}: {message}" if message else name
        exc.write_slot("stack", header + js_stack(None, sys._getframe(1), rt.filename), HIDDEN)
        return exc

    def dom_exception_construct(args: list[Any], new_target: Any) -> JSDOMException:
        """new DOMException(message = "", name = "Error")."""
        message = args[0] if args else undefined
        name = args[1] if len(args) > 1 else undefined
        return new_dom_exception(rt.proto_from(new_target, DP),
                                 "" if message is undefined else ops.to_string(message),
                                 "Error" if name is undefined else ops.to_string(name))

    def dom_exception_call(this: Any, *_: Any) -> Any:
        raise type_error("Class constructor DOMException cannot be invoked without 'new'")

    ctor = rt.constructor("DOMException", 0, dom_exception_call, dom_exception_construct, DP)
    # For the other web APIs' errors (atob's InvalidCharacterError, crypto's QuotaExceededError).
    rt.intrinsics["new_dom_exception"] = lambda message, name: new_dom_exception(DP, message, name)

    def this_dom_exception(this: Any, what: str) -> JSDOMException:
        if isinstance(this, JSDOMException):
            return this
        raise type_error(f"Value of \"this\" must be of type DOMException ({what})")

    for attribute, read in (
        ("name", lambda e: e.name),
        ("message", lambda e: e.message),
        ("code", lambda e: _CODE_OF_NAME.get(e.name, 0)),
    ):
        getter = rt.native(lambda this, *_, read=read, attribute=attribute: read(this_dom_exception(this, attribute)),
                           f"get {attribute}")
        DP.write_slot(attribute, Accessor(getter), CONFIGURABLE | 2)
    for code, (constant, _) in enumerate(LEGACY_CODES, 1):
        ctor.write_slot(constant, code, 2)  # enumerable, read-only, not configurable
        DP.write_slot(constant, code, 2)
    DP.write_slot(SYM_TO_STRING_TAG, "DOMException", CONFIGURABLE)

    def data_clone_error(value: Any) -> Exception:
        if isinstance(value, JSFunction):
            what = value.source_text or f"function {value.name}() {{ [native code] }}"
        elif type(value) is Symbol:
            what = symbol_descriptive_string(value)
        else:
            what = f"#<{value.class_name}>"
        return JSThrow(new_dom_exception(DP, f"{what} could not be cloned.", "DataCloneError"))

    # -- structuredClone (HTML 2.7.3 and 2.7.10) ------------------------------------------------

    def clone(value: Any, memory: dict[int, JSObject]) -> Any:
        """StructuredSerializeInternal + StructuredDeserialize of one value."""
        if not isinstance(value, JSObject):
            if type(value) is Symbol:
                raise data_clone_error(value)
            return value
        done = memory.get(id(value))
        if done is not None:
            return done
        rt.tick()
        out: JSObject
        if isinstance(value, JSPrimitiveWrapper):
            if type(value.value) is Symbol:
                raise data_clone_error(value)
            out = rt.to_object(value.value)
        elif isinstance(value, JSDate):
            out = JSDate(rt.intrinsics["Date.prototype"], value.tv)
        elif isinstance(value, JSRegExp):
            out = rt.intrinsics["make_regexp"](value.source, value.flags_text)
        elif isinstance(value, JSArrayBuffer):
            if value.data is None:
                raise JSThrow(new_dom_exception(DP, "An ArrayBuffer is detached and could not be cloned.",
                                                "DataCloneError"))
            data = allocate(rt, len(value.data))
            data[:] = value.data
            out = JSArrayBuffer(rt.intrinsics["ArrayBuffer.prototype"], data, value.max_length)
        elif isinstance(value, JSArrayBufferView):
            out = clone_view(value, memory)
        else:
            out = clone_object(value, memory)
        # Wrappers, dates and regexps are cloned by value: their other properties are not.
        memory[id(value)] = out
        return out

    def clone_view(value: JSArrayBufferView, memory: dict[int, JSObject]) -> JSObject:
        """A typed array or DataView: the same window on the clone of its buffer."""
        buffer = clone(value.buffer, memory)
        assert isinstance(buffer, JSArrayBuffer)
        if isinstance(value, JSTypedArray):
            return JSTypedArray(rt.intrinsics[value.kind.name + ".prototype"], value.kind, buffer,
                                value.offset, value.fixed)
        return JSDataView(rt.intrinsics["DataView.prototype"], buffer, value.offset, value.fixed)

    def clone_object(value: JSObject, memory: dict[int, JSObject]) -> JSObject:
        """The objects cloned with their contents: errors, Map, Set, arrays and ordinary objects."""
        if isinstance(value, JSError):
            return clone_error(value, memory)
        if isinstance(value, (JSMap, JSSet)):
            return clone_collection(value, memory)
        out: JSObject
        if isinstance(value, JSArray) and value.class_name == "Array":
            out = rt.new_array([HOLE] * ops.to_length(value.get("length")))
        elif type(value) is JSObject:
            out = rt.new_object()
        else:
            raise data_clone_error(value)
        memory[id(value)] = out
        for key in enumerable_own_keys(value):
            # The spec skips a key a getter deleted meanwhile.
            if value.get_own_property(key) is not None:
                out.write_slot(rt.key_for(out, key), clone(value.get(key), memory), DEFAULT_FLAGS)
        return out

    def clone_collection(value: JSMap | JSSet, memory: dict[int, JSObject]) -> JSObject:
        """A Map or Set: entries copied first (the spec's copiedList), then each cloned."""
        is_map = isinstance(value, JSMap)
        out: JSMap | JSSet = JSMap(rt.intrinsics["Map.prototype"]) if is_map else JSSet(rt.intrinsics["Set.prototype"])
        memory[id(value)] = out
        entries = [(entry[0], entry[1]) for entry in value.order if value.contains(entry[0])]
        for key, item in entries:
            k = clone(key, memory)
            out.store(k, clone(item, memory) if is_map else k)
        return out

    def clone_error(value: JSObject, memory: dict[int, JSObject]) -> JSObject:
        """An error: a standard name (else "Error"), then stack, own message and cause (V8's order)."""
        name = value.get("name")
        name_text = "Error" if name is undefined else ops.to_string(name)
        if name_text not in CLONEABLE_ERROR_NAMES:
            name_text = "Error"
        out = JSError(rt.intrinsics[f"{name_text}.prototype"])
        memory[id(value)] = out
        stack = value.get("stack")
        if type(stack) is str:
            out.write_slot("stack", stack, HIDDEN)
        message = value.get_own_property("message")
        if message is not None and not message.is_accessor:
            out.write_slot("message", ops.to_string(message.value), HIDDEN)
        if value.get_own_property("cause") is not None:
            out.write_slot("cause", clone(value.get("cause"), memory), HIDDEN)
        return out

    def transfer_list(options: Any) -> list[JSArrayBuffer]:
        """StructuredSerializeOptions' ``transfer``: distinct, attached ArrayBuffers."""
        if options is undefined or options is None:
            return []
        if not isinstance(options, JSObject):
            raise type_error("The \"options\" argument must be of type object.")
        transfer = options.get("transfer")
        if transfer is undefined:
            return []
        buffers: list[JSArrayBuffer] = []
        for item in rt.iterate(transfer):
            if not isinstance(item, JSArrayBuffer):
                raise type_error("Found invalid object in transferList")
            if item.data is None or any(b is item for b in buffers):
                raise JSThrow(new_dom_exception(DP, "An ArrayBuffer is detached or listed twice and could not be"
                                                " transferred.", "DataCloneError"))
            buffers.append(item)
        return buffers

    def structured_clone(this: Any, *args: Any) -> Any:
        """structuredClone(value, { transfer }) (HTML 8.10.5): transferred buffers move, then detach."""
        if not args:
            raise type_error("The value argument must be specified")
        transferred = transfer_list(args[1] if len(args) > 1 else undefined)
        memory: dict[int, JSObject] = {}
        for buf in transferred:
            memory[id(buf)] = JSArrayBuffer(rt.intrinsics["ArrayBuffer.prototype"], buf.data or bytearray(),
                                            buf.max_length)
        out = clone(args[0], memory)
        for buf in transferred:
            buf.data = None
        return out

    # A WebIDL operation of the global object: writable, enumerable, configurable.
    rt.global_object.put("structuredClone", rt.native(structured_clone, "structuredClone", 1), DEFAULT_FLAGS)

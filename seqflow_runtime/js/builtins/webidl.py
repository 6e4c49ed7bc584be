"""WebIDL pieces the web built-ins share: USVString conversion and pair iterables.

``URLSearchParams``, ``Headers`` and ``FormData`` are WebIDL *pair iterables*
(WebIDL 3.7.9): ``entries``/``keys``/``values``/``forEach`` and
``@@iterator`` over a list of name/value pairs, read live (an iterator sees
pairs appended after it was made, as in browsers and Node).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from seqflow_transpile.utf16 import from_js_string, to_js_string

from .. import ops
from ..values import (
    CONFIGURABLE,
    ENUMERABLE,
    HIDDEN,
    SYM_ITERATOR,
    SYM_TO_STRING_TAG,
    Accessor,
    JSObject,
    call,
    is_callable,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

#: How a pair iterable's object hands out its pairs (a JS-string name and value each).
Pairs = Callable[[Any], list[tuple[Any, Any]]]


def usv(value: Any) -> str:
    """WebIDL USVString conversion, as a normal Python string (lone surrogates become U+FFFD)."""
    text = from_js_string(ops.to_string(value))
    return text if text.isascii() else _LONE_SURROGATE.sub("\ufffd", text)


def utf8_decode(data: bytes) -> str:
    """UTF-8 decode (Encoding 4.6): a BOM is dropped, bad bytes become U+FFFD."""
    return (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).decode("utf-8", "replace")


def js(text: str) -> str:
    """A Python string as a JS string (astral characters as surrogate pairs)."""
    return to_js_string(text)


class JSPairIterator(JSObject):
    """A default iterator object (WebIDL 3.7.10.1): a target, a kind and an index."""

    __slots__ = ("target", "pairs", "kind", "index")
    class_name = "Iterator"

    def __init__(self, proto: JSObject | None, target: Any, pairs: Pairs, kind: str) -> None:
        JSObject.__init__(self, proto)
        self.target = target
        self.pairs = pairs
        self.kind = kind
        self.index = 0


def install_pair_iterable(rt: "Runtime", proto: JSObject, interface: str, pairs: Pairs) -> None:
    """Give ``proto`` the pair-iterable methods of ``interface`` (WebIDL 3.7.9).

    ``pairs(this)`` checks the receiver (raising a TypeError) and returns its
    current list of pairs.
    """
    result = rt.intrinsics["iter_result"]
    IP = JSObject(rt.IteratorPrototype)

    def next_(this: Any, *_: Any) -> Any:
        if not isinstance(this, JSPairIterator) or this.get_prototype_of() is not IP:
            raise type_error(f"next method called on incompatible receiver (not a {interface} Iterator)")
        current = this.pairs(this.target)
        if this.index >= len(current):
            return result(undefined, True)
        name, value = current[this.index]
        this.index += 1
        if this.kind == "keys":
            return result(name, False)
        if this.kind == "values":
            return result(value, False)
        return result(rt.new_array([name, value]), False)

    rt.define(IP, "next", next_, 0)
    IP.write_slot(SYM_TO_STRING_TAG, f"{interface} Iterator", 4)

    def iterator(kind: str) -> Callable[..., Any]:
        def make(this: Any, *_: Any) -> JSPairIterator:
            pairs(this)
            return JSPairIterator(IP, this, pairs, kind)

        return make

    def for_each(this: Any, fn: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
        if not is_callable(fn):
            raise type_error(f"The \"callback\" argument must be of type function. Received {ops.typeof(fn)}")
        i = 0
        while i < len(pairs(this)):
            name, value = pairs(this)[i]
            call(fn, this_arg, value, name, this)
            i += 1
        return undefined

    entries = rt.define(proto, "entries", iterator("entries"), 0)
    rt.define(proto, "forEach", for_each, 1)
    rt.define(proto, "keys", iterator("keys"), 0)
    rt.define(proto, "values", iterator("values"), 0)
    proto.write_slot(SYM_ITERATOR, entries, HIDDEN)
    proto.write_slot(SYM_TO_STRING_TAG, interface, 4)


def pairs_from_init(rt: "Runtime", init: Any, interface: str) -> list[tuple[Any, Any]] | None:
    """The pairs of a ``sequence<sequence<ByteString>> or record<...>`` init, or ``None`` for a non-object.

    A sequence's items must each be a pair (a TypeError otherwise); a record
    is the object's own enumerable string keys, in order.
    """
    if not isinstance(init, JSObject):
        return None
    method = rt.get(init, SYM_ITERATOR)
    out: list[tuple[Any, Any]] = []
    if method is not undefined and method is not None:
        if not is_callable(method):
            raise type_error(f"Failed to construct '{interface}': The provided value is not iterable")
        for item in rt.iterate(init):
            if not isinstance(item, JSObject):
                raise type_error(f"Failed to construct '{interface}': Each query pair must be an iterable "
                                 f"[name, value] tuple")
            pair = list(rt.iterate(item))
            if len(pair) != 2:
                raise type_error(f"Failed to construct '{interface}': Each query pair must be an iterable "
                                 f"[name, value] tuple")
            out.append((pair[0], pair[1]))
        return out
    for key in init.own_keys():
        if isinstance(key, str):
            desc = init.get_own_property(key)
            if desc is not None and desc.enumerable:
                out.append((key, rt.get(init, key)))
    return out


def attribute(rt: "Runtime", proto: JSObject, name: str, getter: Callable[..., Any],
              setter: Callable[..., Any] | None = None) -> None:
    """A WebIDL attribute on ``proto``: an enumerable, configurable accessor (WebIDL 3.7.6)."""
    get = rt.native(getter, f"get {name}", 0)
    set_ = undefined if setter is None else rt.native(setter, f"set {name}", 1)
    proto.write_slot(name, Accessor(get, set_), CONFIGURABLE | ENUMERABLE)


def require_new(interface: str) -> Callable[..., Any]:
    """The call behaviour of a WebIDL interface constructor: it must be called with ``new``."""

    def call_(this: Any, *_: Any) -> Any:
        raise type_error(f"Class constructor {interface} cannot be invoked without 'new'")

    return call_


def settled_promise(rt: "Runtime", produce: Callable[[], Any]) -> Any:
    """A promise resolved with ``produce()``, or rejected with what it throws (JS exceptions only)."""
    p = rt.intrinsics["new_promise"]()
    try:
        rt.intrinsics["resolve_promise"](p, produce())
    except rt.Catchable as exc:
        rt.intrinsics["reject_promise"](p, rt.caught(exc))
    return p

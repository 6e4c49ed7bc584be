"""``Object.groupBy`` and ``Map.groupBy`` (ES2024): GroupBy over any iterable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import DEFAULT_FLAGS, JSObject, call, describe, is_callable, type_error, undefined
from .array import MAX_SAFE_LENGTH
from .deferred import method
from .object import property_key

if TYPE_CHECKING:
    from ..runtime import Runtime
    from .collections import JSMap


def group_by(rt: "Runtime", items: Any, callback: Any, property_keys: bool) -> list[tuple[Any, list[Any]]]:
    """GroupBy(items, callbackfn, keyCoercion) (ECMA-262 7.3.35): ``[(key, elements)]`` in first-seen order.

    Property keys are compared as property keys (``1`` and ``"1"`` are one
    group); Map keys with SameValueZero (``-0`` becomes ``+0``).
    """
    if items is None or items is undefined:
        raise type_error(f"{describe(items)} is not iterable")
    if not is_callable(callback):
        raise type_error(f"{describe(callback)} is not a function")
    if not property_keys:
        from .collections import canonical_key, normalised_key  # Map.groupBy: the collections are installed

    groups: dict[Any, tuple[Any, list[Any]]] = {}
    holder = JSObject(None)  # normalises property keys the way a plain object stores them
    iterator = rt.iterate(items)
    try:
        for k, value in enumerate(iterator):
            if k >= MAX_SAFE_LENGTH:
                raise type_error("Too many elements to group")
            key = call(callback, undefined, value, k)
            if property_keys:
                key = property_key(holder, key)
                norm: Any = key
            else:
                key = canonical_key(key)
                norm = normalised_key(key)
            group = groups.get(norm)
            if group is None:
                groups[norm] = (key, [value])
            else:
                group[1].append(value)
    except BaseException:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
        raise
    return list(groups.values())


def install(rt: "Runtime") -> None:
    """Add ``groupBy`` to ``Object``."""

    def object_group_by(this: Any, items: Any = undefined, callback: Any = undefined, *_: Any) -> JSObject:
        """Object.groupBy (ECMA-262 20.1.2.12): a null-prototype object of arrays."""
        out = JSObject(None)
        for key, elements in group_by(rt, items, callback, True):
            out.write_slot(key, rt.new_array(elements), DEFAULT_FLAGS)
        return out

    method(rt, rt.intrinsics["Object"], "groupBy", object_group_by, 2)


def install_map_group_by(rt: "Runtime") -> None:
    """Add ``groupBy`` to ``Map`` (with the collections, when they are installed)."""
    from .collections import JSMap

    map_proto = rt.intrinsics["Map.prototype"]

    def map_group_by(this: Any, items: Any = undefined, callback: Any = undefined, *_: Any) -> JSMap:
        """Map.groupBy (ECMA-262 24.1.2.1): a Map from each key to its array."""
        groups = group_by(rt, items, callback, False)
        out = JSMap(map_proto)
        for key, elements in groups:
            out.store(key, rt.new_array(elements))
        return out

    rt.define(rt.intrinsics["Map"], "groupBy", map_group_by, 2)

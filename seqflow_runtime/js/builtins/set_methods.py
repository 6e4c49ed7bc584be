"""The ES2025 ``Set.prototype`` methods: union, intersection, difference, symmetricDifference,
isSubsetOf, isSupersetOf, isDisjointFrom (ECMA-262 2025, 24.2.4).

The argument is any *set-like*: an object with a numeric ``size`` and callable
``has`` and ``keys`` (GetSetRecord, 24.2.1.2), read once, in that order,
before any work. Which of ``has``/``keys`` is used depends on which side is
smaller, as the spec prescribes (it is observable). Results are always plain
``Set`` objects (no ``@@species``).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import ops
from ..values import JSObject, call, describe, is_callable, range_error, type_error, undefined
from .collections import JSSet, canonical_key, receiver_text

if TYPE_CHECKING:
    from ..runtime import Runtime


class SetRecord(NamedTuple):
    """A Set Record: the set-like object, its size and its ``has``/``keys`` methods."""

    set: JSObject
    size: float
    has: Any
    keys: Any


def get_set_record(obj: Any) -> SetRecord:
    """GetSetRecord(obj) (ECMA-262 2025, 24.2.1.2)."""
    if not isinstance(obj, JSObject):
        raise type_error(f"{describe(obj)} is not an object")
    num_size = ops.to_number(obj.get("size"))
    if num_size != num_size:
        raise type_error("The 'size' property must be a number")
    int_size = ops.to_integer(num_size)
    if int_size < 0:
        raise range_error("'size' must be non-negative")
    has = obj.get("has")
    if not is_callable(has):
        raise type_error(f"{describe(has)} is not a function ('has' of a set-like)")
    keys = obj.get("keys")
    if not is_callable(keys):
        raise type_error(f"{describe(keys)} is not a function ('keys' of a set-like)")
    return SetRecord(obj, int_size, has, keys)


class KeysIterator:
    """GetIteratorFromMethod(rec.set, rec.keys) stepped with IteratorStepValue (canonical keys)."""

    def __init__(self, rt: "Runtime", rec: SetRecord) -> None:
        self.rt = rt
        iterator = call(rec.keys, rec.set)
        if not isinstance(iterator, JSObject):
            raise type_error("keys() of a set-like did not return an object")
        self.iterator = iterator
        self.next_method = iterator.get("next")
        if not is_callable(self.next_method):
            raise type_error("The iterator's 'next' is not a function")

    def __iter__(self) -> Iterator[Any]:
        while True:
            self.rt.tick()
            result = call(self.next_method, self.iterator)
            if not isinstance(result, JSObject):
                raise type_error(f"Iterator result {describe(result)} is not an object")
            if ops.truthy(result.get("done")):
                return
            yield canonical_key(result.get("value"))

    def close(self) -> None:
        """IteratorClose with a normal completion (errors from ``return`` propagate)."""
        ret = self.iterator.get("return")
        if ret is undefined or ret is None:
            return
        outcome = call(ret, self.iterator)
        if not isinstance(outcome, JSObject):
            raise type_error("The iterator's 'return' did not return an object")


def install(rt: "Runtime") -> None:
    """Add the seven methods to ``Set.prototype``."""
    SP: JSObject = rt.intrinsics["Set.prototype"]

    def this_set(this: Any, method: str) -> JSSet:
        if isinstance(this, JSSet):
            return this
        raise type_error(f"Method Set.prototype.{method} called on incompatible receiver {receiver_text(this)}")

    def copy_of(s: JSSet) -> JSSet:
        """A new Set with a copy of ``s``'s elements (a tombstone's key is in no index)."""
        out = JSSet(SP)
        for entry in s.order:
            if s.contains(entry[0]):
                out.store(entry[0], entry[0])
        return out

    def in_other(rec: SetRecord, e: Any) -> bool:
        return ops.truthy(call(rec.has, rec.set, e))

    def live_keys(s: JSSet) -> Generator[Any, None, None]:
        """O's elements as the spec's index walk sees them (``thisSize`` re-read each step)."""
        for entry in s.live_entries():
            rt.tick()
            yield entry[0]

    def union(this: Any, other: Any = undefined, *_: Any) -> JSSet:
        """Set.prototype.union (24.2.4.16)."""
        o = this_set(this, "union")
        rec = get_set_record(other)
        keys = KeysIterator(rt, rec)
        out = copy_of(o)
        for v in keys:
            out.store(v, v)
        return out

    def intersection(this: Any, other: Any = undefined, *_: Any) -> JSSet:
        """Set.prototype.intersection (24.2.4.9)."""
        o = this_set(this, "intersection")
        rec = get_set_record(other)
        out = JSSet(SP)
        if len(o.index) <= rec.size:
            walk = live_keys(o)
            try:
                for e in walk:
                    if in_other(rec, e):
                        out.store(e, e)
            finally:
                walk.close()
        else:
            for v in KeysIterator(rt, rec):
                if o.contains(v):
                    out.store(v, v)
        return out

    def difference(this: Any, other: Any = undefined, *_: Any) -> JSSet:
        """Set.prototype.difference (24.2.4.5)."""
        o = this_set(this, "difference")
        rec = get_set_record(other)
        out = copy_of(o)
        if len(o.index) <= rec.size:
            # The walk is over the copy, with O's size fixed when it starts.
            for entry in list(out.order):
                rt.tick()
                e = entry[0]
                if out.contains(e) and in_other(rec, e):
                    out.remove(e)
        else:
            for v in KeysIterator(rt, rec):
                out.remove(v)
        return out

    def symmetric_difference(this: Any, other: Any = undefined, *_: Any) -> JSSet:
        """Set.prototype.symmetricDifference (24.2.4.15)."""
        o = this_set(this, "symmetricDifference")
        rec = get_set_record(other)
        keys = KeysIterator(rt, rec)
        out = copy_of(o)
        for v in keys:
            if o.contains(v):
                out.remove(v)
            else:
                out.store(v, v)
        return out

    def is_subset_of(this: Any, other: Any = undefined, *_: Any) -> bool:
        """Set.prototype.isSubsetOf (24.2.4.11)."""
        o = this_set(this, "isSubsetOf")
        rec = get_set_record(other)
        if len(o.index) > rec.size:
            return False
        walk = live_keys(o)
        try:
            return all(in_other(rec, e) for e in walk)
        finally:
            walk.close()

    def is_superset_of(this: Any, other: Any = undefined, *_: Any) -> bool:
        """Set.prototype.isSupersetOf (24.2.4.12)."""
        o = this_set(this, "isSupersetOf")
        rec = get_set_record(other)
        if len(o.index) < rec.size:
            return False
        keys = KeysIterator(rt, rec)
        for v in keys:
            if not o.contains(v):
                keys.close()
                return False
        return True

    def is_disjoint_from(this: Any, other: Any = undefined, *_: Any) -> bool:
        """Set.prototype.isDisjointFrom (24.2.4.10)."""
        o = this_set(this, "isDisjointFrom")
        rec = get_set_record(other)
        if len(o.index) <= rec.size:
            walk = live_keys(o)
            try:
                return not any(in_other(rec, e) for e in walk)
            finally:
                walk.close()
        keys = KeysIterator(rt, rec)
        for v in keys:
            if o.contains(v):
                keys.close()
                return False
        return True

    for name, fn in (
        ("union", union),
        ("intersection", intersection),
        ("difference", difference),
        ("symmetricDifference", symmetric_difference),
        ("isSubsetOf", is_subset_of),
        ("isSupersetOf", is_superset_of),
        ("isDisjointFrom", is_disjoint_from),
    ):
        rt.define(SP, name, fn, 1)

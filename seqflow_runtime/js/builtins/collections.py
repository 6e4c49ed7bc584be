"""Map, Set, WeakMap and WeakSet (ECMAScript 2017, sections 23.1 - 23.4).

Storage design (the "why"):

* Map and Set keep insertion order and compare keys with SameValueZero.  A
  Python dict gives O(1) lookups once each JS key is *normalised* into a
  dict key with the right equality: strings and numbers are their own keys
  (``1`` and ``1.0`` hash alike, and ``-0.0 == 0``), NaN becomes one shared
  sentinel (``nan != nan`` in Python), booleans become sentinels (Python's
  ``True == 1`` must not merge them with numbers), and objects, symbols,
  ``undefined`` and ``null`` hash by identity.
* Iteration order and the JS rules for mutation during iteration (entries
  added later are visited, deleted ones are skipped) come from an
  append-only ``order`` list of ``[key, value]`` entries.  The dict maps a
  normalised key to its entry, so ``set`` on an existing key updates the
  entry in place.  ``delete`` turns the entry into a tombstone; when
  tombstones dominate, the list is compacted and every live iterator's
  position (each registered in a ``weakref.WeakSet``) is remapped, so
  iterators never see a shifted list.
* WeakMap and WeakSet hold their keys strongly, in a dict keyed by
  ``id(key)`` that also stores the key (so the id cannot be reused while
  the entry exists).  Nothing can observe the difference from JS (this
  realm's WeakRefs never let go and its FinalizationRegistry never calls
  back, see ``weak_refs.py``), and a realm lives only as long as one task,
  so the extra retention is bounded and deterministic.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Callable, Final, Generator

from ..numconv import number_to_string
from ..values import (
    CONFIGURABLE,
    HIDDEN,
    HOLE,
    SYM_ITERATOR,
    SYM_SPECIES,
    SYM_TO_STRING_TAG,
    Accessor,
    JSArray,
    JSFunction,
    JSObject,
    Symbol,
    call,
    describe,
    is_callable,
    key_repr,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime


class _Sentinel:
    """A unique dict key standing for a JS value Python would otherwise mis-compare."""

    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


#: A deleted entry's key (tombstone).
_EMPTY: Final = _Sentinel("<empty>")
#: The dict key for NaN (every NaN is the same Map key).
_NAN_KEY: Final = _Sentinel("<NaN>")
#: The dict keys for ``true``/``false``, which must not merge with 1 and 0.
_TRUE_KEY: Final = _Sentinel("<true>")
_FALSE_KEY: Final = _Sentinel("<false>")

#: Compact when at least this many tombstones exist and they are the majority.
_COMPACT_MIN: Final = 16
_MAX_SAFE: Final = 9007199254740992


def _norm(key: Any) -> Any:
    """The dict key under which ``key`` is stored (SameValueZero equality)."""
    t = type(key)
    if t is float:
        return _NAN_KEY if key != key else key
    if t is bool:
        return _TRUE_KEY if key else _FALSE_KEY
    return key


def _canonical(key: Any) -> Any:
    """The key as the collection stores it: -0 becomes +0 (and integral floats ints)."""
    if type(key) is float and key.is_integer() and -_MAX_SAFE <= key <= _MAX_SAFE:
        return int(key)
    return key


#: Public names for the other collection-aware built-ins (Map.groupBy, the Set methods).
normalised_key: Final = _norm
canonical_key: Final = _canonical


class _Cursor:
    """A position in a collection's entry list held by a running ``forEach``."""

    __slots__ = ("pos", "__weakref__")

    def __init__(self) -> None:
        self.pos = 0


class JSCollection(JSObject):
    """Shared storage of Map and Set: ordered entries plus a normalised-key index."""

    __slots__ = ("index", "order", "deleted", "cursors")

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        #: normalised key -> its ``[key, value]`` entry in ``order``.
        self.index: dict[Any, list[Any]] = {}
        #: entries in insertion order; a deleted one has ``_EMPTY`` as key.
        self.order: list[list[Any]] = []
        self.deleted = 0
        #: live iterators / forEach cursors (anything with a ``pos``), made on demand.
        self.cursors: weakref.WeakSet[Any] | None = None

    def add_cursor(self, cursor: Any) -> None:
        """Register an iterator so compaction keeps its position valid."""
        if self.cursors is None:
            self.cursors = weakref.WeakSet()
        self.cursors.add(cursor)

    def drop_cursor(self, cursor: Any) -> None:
        """Forget a finished iterator."""
        if self.cursors is not None:
            self.cursors.discard(cursor)

    def store(self, key: Any, value: Any) -> None:
        """Insert or update an entry (``key`` already canonical)."""
        nk = _norm(key)
        entry = self.index.get(nk)
        if entry is not None:
            entry[1] = value
            return
        entry = [key, value]
        self.index[nk] = entry
        self.order.append(entry)

    def remove(self, key: Any) -> bool:
        """Delete the entry for ``key``; whether it existed."""
        entry = self.index.pop(_norm(key), None)
        if entry is None:
            return False
        entry[0] = _EMPTY
        entry[1] = undefined
        self.deleted += 1
        if self.deleted >= _COMPACT_MIN and self.deleted * 2 > len(self.order):
            self._compact()
        return True

    def clear_all(self) -> None:
        """Remove every entry; running iterators continue with whatever is added next."""
        for entry in self.order:
            entry[0] = _EMPTY
            entry[1] = undefined
        self.index = {}
        # In place: a loop that cached the list object sees it emptied too.
        del self.order[:]
        self.deleted = 0
        if self.cursors:
            for cursor in list(self.cursors):
                cursor.pos = 0

    def contains(self, key: Any) -> bool:
        """SetDataHas / MapData lookup with SameValueZero."""
        return _norm(key) in self.index

    def live_entries(self) -> Generator[list[Any], None, None]:
        """Each live entry in order, as ``forEach`` walks them: entries added meanwhile
        are visited, deleted ones skipped, compaction and ``clear`` followed.

        Close the generator when leaving early, so its cursor is unregistered.
        """
        cursor = _Cursor()
        self.add_cursor(cursor)
        try:
            while True:
                # Re-read each round: the consumer may add, delete or clear.
                order = self.order
                p = cursor.pos
                if p >= len(order):
                    return
                entry = order[p]
                cursor.pos = p + 1
                if entry[0] is not _EMPTY:
                    yield entry
        finally:
            self.drop_cursor(cursor)

    def _compact(self) -> None:
        """Drop tombstones, remapping each live cursor to the same logical position."""
        order = self.order
        if self.cursors:
            cursors = list(self.cursors)
            if cursors:
                # live_before[i]: live entries in order[:i], the new index of old index i.
                live_before = [0] * (len(order) + 1)
                count = 0
                for i, entry in enumerate(order):
                    live_before[i] = count
                    if entry[0] is not _EMPTY:
                        count += 1
                live_before[len(order)] = count
                last = len(order)
                for cursor in cursors:
                    cursor.pos = live_before[min(cursor.pos, last)]
        order[:] = [entry for entry in order if entry[0] is not _EMPTY]
        self.deleted = 0


class JSMap(JSCollection):
    """A Map object (``[[MapData]]``)."""

    __slots__ = ()
    class_name = "Map"


class JSSet(JSCollection):
    """A Set object (``[[SetData]]``); entries are ``[value, value]``."""

    __slots__ = ()
    class_name = "Set"


class JSCollectionIterator(JSObject):
    """A Map or Set iterator: the collection (None once done), a position and the kind."""

    __slots__ = ("source", "pos", "kind")

    def __init__(self, proto: JSObject | None, source: JSCollection, kind: str) -> None:
        JSObject.__init__(self, proto)
        self.source: JSCollection | None = source
        self.pos = 0
        self.kind = kind


class JSMapIterator(JSCollectionIterator):
    """A Map Iterator (``[[IteratedMap]]``)."""

    __slots__ = ()
    class_name = "Map Iterator"


class JSSetIterator(JSCollectionIterator):
    """A Set Iterator (``[[IteratedSet]]``)."""

    __slots__ = ()
    class_name = "Set Iterator"


class JSWeakCollection(JSObject):
    """WeakMap/WeakSet storage: ``id(key) -> (key, value)`` (keys held strongly, see the module doc)."""

    __slots__ = ("table",)

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        self.table: dict[int, tuple[JSObject, Any]] = {}


class JSWeakMap(JSWeakCollection):
    """A WeakMap object (``[[WeakMapData]]``)."""

    __slots__ = ()
    class_name = "WeakMap"


class JSWeakSet(JSWeakCollection):
    """A WeakSet object (``[[WeakSetData]]``)."""

    __slots__ = ()
    class_name = "WeakSet"


def can_be_held_weakly(v: Any) -> bool:
    """CanBeHeldWeakly (ECMA-262 9.13): an object, or a symbol not made by ``Symbol.for``."""
    return isinstance(v, JSObject) or (type(v) is Symbol and v.registry_key is None)


def receiver_text(v: Any) -> str:
    """How V8 names a wrong receiver in "called on incompatible receiver" messages."""
    if isinstance(v, JSObject):
        # The constructor's name when it is a plain data property up the chain
        # (no getters run for an error message), else the internal class.
        o: JSObject | None = v
        while o is not None:
            slot = o.props.get("constructor")
            if slot is not None:
                if isinstance(slot, JSFunction) and slot.name:
                    return f"#<{slot.name}>"
                break
            o = o.proto
        return f"#<{v.class_name}>"
    if v is undefined:
        return "undefined"
    if v is None:
        return "null"
    if type(v) is bool:
        return "true" if v else "false"
    if type(v) is int or type(v) is float:
        return number_to_string(v)
    if isinstance(v, Symbol):
        return key_repr(v)
    return str(v)


def _incompatible(method: str, this: Any) -> Exception:
    return type_error(f"Method {method} called on incompatible receiver {receiver_text(this)}")


def install(rt: "Runtime") -> None:
    """Map, Set, WeakMap, WeakSet and the Map/Set iterator prototypes."""
    result: Callable[[Any, bool], JSObject] = rt.intrinsics["iter_result"]

    def species_getter(this: Any, *_: Any) -> Any:
        return this

    def add_species(ctor: JSFunction) -> None:
        ctor.write_slot(SYM_SPECIES, Accessor(rt.native(species_getter, "get [Symbol.species]")), CONFIGURABLE)

    def fill_from(target: JSObject, iterable: Any, adder_name: str, pairs: bool,
                  fast_adder: Any, fast: Callable[[Any], None] | None) -> None:
        """The shared tail of the four constructors: call ``target[adder_name]`` per item.

        ``fast`` adds one item directly when the adder is the intrinsic one
        (nobody patched ``Map.prototype.set``), skipping a JS call per item.
        """
        if iterable is undefined or iterable is None:
            return
        adder = target.get(adder_name)
        if not is_callable(adder):
            raise type_error(
                f"'{describe(adder)}' returned for property '{adder_name}' of object "
                f"'{receiver_text(target)}' is not a function"
            )
        direct = fast if adder is fast_adder else None
        iterator = rt.iterate(iterable)
        try:
            for item in iterator:
                if pairs:
                    if not isinstance(item, JSObject):
                        raise type_error(f"Iterator value {describe(item)} is not an entry object")
                    if type(item) is JSArray and item.flags is None:
                        items = item.items
                        k = items[0] if len(items) > 0 else undefined
                        v = items[1] if len(items) > 1 else undefined
                        if k is HOLE or v is HOLE:
                            k, v = rt.get(item, 0), rt.get(item, 1)
                    else:
                        k, v = rt.get(item, 0), rt.get(item, 1)
                    if direct is not None:
                        direct((k, v))
                    else:
                        call(adder, target, k, v)
                elif direct is not None:
                    direct(item)
                else:
                    call(adder, target, item)
        except BaseException:
            # IfAbruptCloseIterator: close the source (its own errors are
            # suppressed by the generator) and rethrow the original error.
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            raise

    # -- Map ------------------------------------------------------------------------------

    MP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["Map.prototype"] = MP

    def this_map(this: Any, method: str) -> JSMap:
        if type(this) is JSMap:
            return this
        if isinstance(this, JSMap):
            return this
        raise _incompatible(f"Map.prototype.{method}", this)

    def map_get(this: Any, key: Any = undefined, *_: Any) -> Any:
        m = this if type(this) is JSMap else this_map(this, "get")
        t = type(key)
        entry = m.index.get(key if t is str or t is int else _norm(key))
        return undefined if entry is None else entry[1]

    def map_set(this: Any, key: Any = undefined, value: Any = undefined, *_: Any) -> Any:
        m = this if type(this) is JSMap else this_map(this, "set")
        t = type(key)
        if t is str or t is int:
            entry = m.index.get(key)
            if entry is not None:
                entry[1] = value
                return m
            entry = [key, value]
            m.index[key] = entry
            m.order.append(entry)
            return m
        m.store(_canonical(key), value)
        return m

    def map_has(this: Any, key: Any = undefined, *_: Any) -> bool:
        m = this if type(this) is JSMap else this_map(this, "has")
        t = type(key)
        return (key if t is str or t is int else _norm(key)) in m.index

    def map_delete(this: Any, key: Any = undefined, *_: Any) -> bool:
        m = this if type(this) is JSMap else this_map(this, "delete")
        return m.remove(key)

    def map_clear(this: Any, *_: Any) -> Any:
        this_map(this, "clear").clear_all()
        return undefined

    def map_size(this: Any, *_: Any) -> int:
        if not isinstance(this, JSMap):
            raise _incompatible("get Map.prototype.size", this)
        return len(this.index)

    def for_each(coll: JSCollection, callback: Any, this_arg: Any, is_map: bool) -> None:
        if not is_callable(callback):
            raise type_error(f"{describe(callback)} is not a function")
        entries = coll.live_entries()
        try:
            for entry in entries:
                key = entry[0]
                rt.tick()
                if is_map:
                    call(callback, this_arg, entry[1], key, coll)
                else:
                    call(callback, this_arg, key, key, coll)
        finally:
            entries.close()

    def map_for_each(this: Any, callback: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
        for_each(this_map(this, "forEach"), callback, this_arg, True)
        return undefined

    MIP = JSObject(rt.IteratorPrototype)
    rt.intrinsics["MapIteratorPrototype"] = MIP

    def make_map_iterator(m: JSMap, kind: str) -> JSMapIterator:
        it = JSMapIterator(MIP, m, kind)
        m.add_cursor(it)
        return it

    def map_keys(this: Any, *_: Any) -> JSMapIterator:
        return make_map_iterator(this_map(this, "keys"), "keys")

    def map_values(this: Any, *_: Any) -> JSMapIterator:
        return make_map_iterator(this_map(this, "values"), "values")

    def map_entries(this: Any, *_: Any) -> JSMapIterator:
        return make_map_iterator(this_map(this, "entries"), "entries")

    def iterator_step(it: JSCollectionIterator) -> list[Any] | None:
        """The next live entry of ``it`` (None once exhausted, which is final)."""
        source = it.source
        if source is None:
            return None
        order = source.order
        p = it.pos
        n = len(order)
        while p < n:
            entry = order[p]
            p += 1
            if entry[0] is not _EMPTY:
                it.pos = p
                return entry
        it.pos = p
        it.source = None
        source.drop_cursor(it)
        return None

    def map_iterator_next(this: Any, *_: Any) -> JSObject:
        if type(this) is not JSMapIterator:
            raise _incompatible("Map Iterator.prototype.next", this)
        entry = iterator_step(this)
        if entry is None:
            return result(undefined, True)
        kind = this.kind
        if kind == "entries":
            return result(rt.new_array([entry[0], entry[1]]), False)
        return result(entry[0] if kind == "keys" else entry[1], False)

    rt.define(MIP, "next", map_iterator_next, 0)
    MIP.write_slot(SYM_TO_STRING_TAG, "Map Iterator", CONFIGURABLE)

    def map_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor Map requires 'new'")

    def map_construct(args: list[Any], new_target: Any) -> JSMap:
        m = JSMap(rt.proto_from(new_target, MP))

        def direct(pair: Any) -> None:
            m.store(_canonical(pair[0]), pair[1])

        fill_from(m, args[0] if args else undefined, "set", True, map_set_fn, direct)
        return m

    map_ctor = rt.constructor("Map", 0, map_call, map_construct, MP)
    add_species(map_ctor)
    rt.define(MP, "get", map_get, 1)
    map_set_fn = rt.define(MP, "set", map_set, 2)
    rt.define(MP, "has", map_has, 1)
    rt.define(MP, "delete", map_delete, 1)
    rt.define(MP, "clear", map_clear, 0)
    rt.define(MP, "forEach", map_for_each, 1)
    rt.define(MP, "keys", map_keys, 0)
    rt.define(MP, "values", map_values, 0)
    map_entries_fn = rt.define(MP, "entries", map_entries, 0)
    MP.write_slot(SYM_ITERATOR, map_entries_fn, HIDDEN)
    rt.define_getter(MP, "size", map_size)
    MP.write_slot(SYM_TO_STRING_TAG, "Map", CONFIGURABLE)

    # -- Set ------------------------------------------------------------------------------

    SP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["Set.prototype"] = SP

    def this_set(this: Any, method: str) -> JSSet:
        if isinstance(this, JSSet):
            return this
        raise _incompatible(f"Set.prototype.{method}", this)

    def set_add(this: Any, value: Any = undefined, *_: Any) -> Any:
        s = this if type(this) is JSSet else this_set(this, "add")
        t = type(value)
        if t is str or t is int:
            if value not in s.index:
                entry = [value, value]
                s.index[value] = entry
                s.order.append(entry)
            return s
        value = _canonical(value)
        nk = _norm(value)
        if nk not in s.index:
            entry = [value, value]
            s.index[nk] = entry
            s.order.append(entry)
        return s

    def set_has(this: Any, value: Any = undefined, *_: Any) -> bool:
        s = this if type(this) is JSSet else this_set(this, "has")
        t = type(value)
        return (value if t is str or t is int else _norm(value)) in s.index

    def set_delete(this: Any, value: Any = undefined, *_: Any) -> bool:
        s = this if type(this) is JSSet else this_set(this, "delete")
        return s.remove(value)

    def set_clear(this: Any, *_: Any) -> Any:
        this_set(this, "clear").clear_all()
        return undefined

    def set_size(this: Any, *_: Any) -> int:
        if not isinstance(this, JSSet):
            raise _incompatible("get Set.prototype.size", this)
        return len(this.index)

    def set_for_each(this: Any, callback: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
        for_each(this_set(this, "forEach"), callback, this_arg, False)
        return undefined

    SIP = JSObject(rt.IteratorPrototype)
    rt.intrinsics["SetIteratorPrototype"] = SIP

    def make_set_iterator(s: JSSet, kind: str) -> JSSetIterator:
        it = JSSetIterator(SIP, s, kind)
        s.add_cursor(it)
        return it

    def set_values(this: Any, *_: Any) -> JSSetIterator:
        return make_set_iterator(this_set(this, "values"), "values")

    def set_entries(this: Any, *_: Any) -> JSSetIterator:
        return make_set_iterator(this_set(this, "entries"), "entries")

    def set_iterator_next(this: Any, *_: Any) -> JSObject:
        if type(this) is not JSSetIterator:
            raise _incompatible("Set Iterator.prototype.next", this)
        entry = iterator_step(this)
        if entry is None:
            return result(undefined, True)
        if this.kind == "entries":
            return result(rt.new_array([entry[0], entry[0]]), False)
        return result(entry[0], False)

    rt.define(SIP, "next", set_iterator_next, 0)
    SIP.write_slot(SYM_TO_STRING_TAG, "Set Iterator", CONFIGURABLE)

    def set_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor Set requires 'new'")

    def set_construct(args: list[Any], new_target: Any) -> JSSet:
        s = JSSet(rt.proto_from(new_target, SP))

        def direct(value: Any) -> None:
            set_add(s, value)

        fill_from(s, args[0] if args else undefined, "add", False, set_add_fn, direct)
        return s

    set_ctor = rt.constructor("Set", 0, set_call, set_construct, SP)
    add_species(set_ctor)
    set_add_fn = rt.define(SP, "add", set_add, 1)
    rt.define(SP, "has", set_has, 1)
    rt.define(SP, "delete", set_delete, 1)
    rt.define(SP, "clear", set_clear, 0)
    rt.define(SP, "entries", set_entries, 0)
    rt.define(SP, "forEach", set_for_each, 1)
    set_values_fn = rt.define(SP, "values", set_values, 0)
    # keys and @@iterator are the very same function object as values (23.2.3.8, 23.2.3.11).
    SP.write_slot("keys", set_values_fn, HIDDEN)
    SP.write_slot(SYM_ITERATOR, set_values_fn, HIDDEN)
    rt.define_getter(SP, "size", set_size)
    SP.write_slot(SYM_TO_STRING_TAG, "Set", CONFIGURABLE)

    # -- WeakMap --------------------------------------------------------------------------

    WMP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["WeakMap.prototype"] = WMP

    def this_weak_map(this: Any, method: str) -> JSWeakMap:
        if isinstance(this, JSWeakMap):
            return this
        raise _incompatible(f"WeakMap.prototype.{method}", this)

    def weak_map_get(this: Any, key: Any = undefined, *_: Any) -> Any:
        wm = this_weak_map(this, "get")
        if not can_be_held_weakly(key):
            return undefined
        hit = wm.table.get(id(key))
        return undefined if hit is None else hit[1]

    def weak_map_set(this: Any, key: Any = undefined, value: Any = undefined, *_: Any) -> Any:
        wm = this_weak_map(this, "set")
        if not can_be_held_weakly(key):
            raise type_error("Invalid value used as weak map key")
        wm.table[id(key)] = (key, value)
        return wm

    def weak_map_has(this: Any, key: Any = undefined, *_: Any) -> bool:
        wm = this_weak_map(this, "has")
        return can_be_held_weakly(key) and id(key) in wm.table

    def weak_map_delete(this: Any, key: Any = undefined, *_: Any) -> bool:
        wm = this_weak_map(this, "delete")
        return can_be_held_weakly(key) and wm.table.pop(id(key), None) is not None

    def weak_map_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor WeakMap requires 'new'")

    def weak_map_construct(args: list[Any], new_target: Any) -> JSWeakMap:
        wm = JSWeakMap(rt.proto_from(new_target, WMP))
        fill_from(wm, args[0] if args else undefined, "set", True, weak_map_set_fn,
                  lambda pair: weak_map_set(wm, pair[0], pair[1]))
        return wm

    rt.constructor("WeakMap", 0, weak_map_call, weak_map_construct, WMP)
    rt.define(WMP, "delete", weak_map_delete, 1)
    rt.define(WMP, "get", weak_map_get, 1)
    rt.define(WMP, "has", weak_map_has, 1)
    weak_map_set_fn = rt.define(WMP, "set", weak_map_set, 2)
    WMP.write_slot(SYM_TO_STRING_TAG, "WeakMap", CONFIGURABLE)

    # -- WeakSet --------------------------------------------------------------------------

    WSP = JSObject(rt.ObjectPrototype)
    rt.intrinsics["WeakSet.prototype"] = WSP

    def this_weak_set(this: Any, method: str) -> JSWeakSet:
        if isinstance(this, JSWeakSet):
            return this
        raise _incompatible(f"WeakSet.prototype.{method}", this)

    def weak_set_add(this: Any, value: Any = undefined, *_: Any) -> Any:
        ws = this_weak_set(this, "add")
        if not can_be_held_weakly(value):
            raise type_error("Invalid value used in weak set")
        ws.table[id(value)] = (value, True)
        return ws

    def weak_set_has(this: Any, value: Any = undefined, *_: Any) -> bool:
        ws = this_weak_set(this, "has")
        return can_be_held_weakly(value) and id(value) in ws.table

    def weak_set_delete(this: Any, value: Any = undefined, *_: Any) -> bool:
        ws = this_weak_set(this, "delete")
        return can_be_held_weakly(value) and ws.table.pop(id(value), None) is not None

    def weak_set_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor WeakSet requires 'new'")

    def weak_set_construct(args: list[Any], new_target: Any) -> JSWeakSet:
        ws = JSWeakSet(rt.proto_from(new_target, WSP))
        fill_from(ws, args[0] if args else undefined, "add", False, weak_set_add_fn,
                  lambda value: weak_set_add(ws, value))
        return ws

    rt.constructor("WeakSet", 0, weak_set_call, weak_set_construct, WSP)
    weak_set_add_fn = rt.define(WSP, "add", weak_set_add, 1)
    rt.define(WSP, "delete", weak_set_delete, 1)
    rt.define(WSP, "has", weak_set_has, 1)
    WSP.write_slot(SYM_TO_STRING_TAG, "WeakSet", CONFIGURABLE)

    rt.intrinsics["JSMap"] = JSMap
    rt.intrinsics["JSSet"] = JSSet

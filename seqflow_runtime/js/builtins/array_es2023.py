"""ES2023+ ``Array`` additions: findLast/findLastIndex, the change-array-by-copy methods, Array.fromAsync.

Like the ES2017 methods in ``array.py`` they are generic (any object with a
``length``), and they read holes through [[Get]] ("read-through-holes"): the
copies they make are dense. They never use ``@@species``: the result is
always a plain ``Array`` (ArrayCreate), as the spec says.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from .. import ops
from ..values import (
    HOLE,
    SYM_ASYNC_ITERATOR,
    SYM_ITERATOR,
    Descriptor,
    JSArray,
    JSFunction,
    JSObject,
    call,
    is_callable,
    range_error,
    type_error,
    undefined,
)
from .deferred import later, method
from .array import MAX_INDEX, MAX_SAFE_LENGTH, absolute_index, index_key, relative_index, require_comparator, show

if TYPE_CHECKING:
    from ..runtime import Runtime


def install(rt: "Runtime") -> None:
    """Add the methods to ``Array.prototype`` and ``Array.fromAsync``."""
    AP = rt.ArrayPrototype
    array_ctor: JSFunction = rt.intrinsics["Array"]

    def to_obj(this: Any, method: str) -> JSObject:
        if this is None or this is undefined:
            raise type_error(f"Array.prototype.{method} called on null or undefined")
        return rt.to_object(this)

    def length_of(o: JSObject) -> int:
        return len(o.items) if type(o) is JSArray else ops.to_length(o.get("length"))

    def get_i(o: JSObject, k: int) -> Any:
        rt.tick()
        return o.get(index_key(o, k))

    def read_all(o: JSObject, n: int) -> list[Any]:
        """Get(O, k) for every k < n (holes read through the prototype chain)."""
        if type(o) is JSArray and len(o.items) == n and rt.array_is_plain(o) and HOLE not in o.items:
            return list(o.items)
        return [get_i(o, k) for k in range(n)]

    def array_create(items: list[Any]) -> JSArray:
        """ArrayCreate(len) filled with ``items`` (RangeError past 2**32 - 1 or the realm's limit)."""
        if len(items) > MAX_INDEX:
            raise range_error("Invalid array length")
        return rt.new_array(items)

    def check_create(n: int) -> None:
        if n > MAX_INDEX or n > rt.limits.max_array_length:
            raise range_error("Invalid array length")

    def callback(cb: Any) -> None:
        if not is_callable(cb):
            raise type_error(f"{show(cb)} is not a function")

    def prototype_methods() -> None:
        """The ES2023 findLast and copying methods (23.1.3), made when a script first looks at Array.prototype."""
        # -- 23.1.3.12 / 23.1.3.13 (ES2023) ----------------------------------------------------

        def find_last_from(this: Any, predicate: Any, this_arg: Any, method: str) -> tuple[int, Any]:
            """FindViaPredicate(O, len, descending, predicate, thisArg): ``(index, value)`` or ``(-1, undefined)``."""
            o = to_obj(this, method)
            n = length_of(o)
            callback(predicate)
            for k in range(n - 1, -1, -1):
                v = get_i(o, k)
                if ops.truthy(call(predicate, this_arg, v, k, o)):
                    return k, v
            return -1, undefined

        def find_last(this: Any, predicate: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
            """Array.prototype.findLast (ECMA-262 23.1.3.12)."""
            return find_last_from(this, predicate, this_arg, "findLast")[1]

        def find_last_index(this: Any, predicate: Any = undefined, this_arg: Any = undefined, *_: Any) -> int:
            """Array.prototype.findLastIndex (ECMA-262 23.1.3.13)."""
            return find_last_from(this, predicate, this_arg, "findLastIndex")[0]

        # -- change array by copy (ES2023) -------------------------------------------------------

        def to_reversed(this: Any, *_: Any) -> JSArray:
            """Array.prototype.toReversed (ECMA-262 23.1.3.33)."""
            o = to_obj(this, "toReversed")
            n = length_of(o)
            check_create(n)
            if type(o) is JSArray and len(o.items) == n and rt.array_is_plain(o) and HOLE not in o.items:
                return array_create(o.items[::-1])
            # Read from the end, as the spec does (getters see that order).
            return array_create([get_i(o, k) for k in range(n - 1, -1, -1)])

        def to_sorted(this: Any, comparefn: Any = undefined, *_: Any) -> JSArray:
            """Array.prototype.toSorted (ECMA-262 23.1.3.34): a sorted dense copy."""
            require_comparator(comparefn)
            o = to_obj(this, "toSorted")
            n = length_of(o)
            check_create(n)
            copy = array_create(read_all(o, n))
            # The copy is a fresh plain array, so the original sort over it is
            # exactly SortIndexedProperties + SortCompare (undefined last, stable).
            call(rt.intrinsics["Array.prototype.sort"], copy, comparefn)
            return copy

        def to_spliced(this: Any, *args: Any) -> JSArray:
            """Array.prototype.toSpliced (ECMA-262 23.1.3.35)."""
            o = to_obj(this, "toSpliced")
            n = length_of(o)
            start = relative_index(args[0] if args else undefined, n)
            inserted = list(args[2:])
            if not args:
                skip = 0
            elif len(args) == 1:
                skip = n - start
            else:
                skip = int(min(max(ops.to_integer(args[1]), 0), n - start))
            new_len = n + len(inserted) - skip
            if new_len > MAX_SAFE_LENGTH:
                raise type_error("Invalid array length")
            check_create(new_len)
            out = [get_i(o, k) for k in range(start)]
            out.extend(inserted)
            out.extend(get_i(o, k) for k in range(start + skip, n))
            return array_create(out)

        def with_(this: Any, index: Any = undefined, value: Any = undefined, *_: Any) -> JSArray:
            """Array.prototype.with (ECMA-262 23.1.3.39): a copy with one element replaced."""
            o = to_obj(this, "with")
            n = length_of(o)
            actual = absolute_index(index, n)
            if actual >= n or actual < 0:
                raise range_error(f"Invalid index : {ops.to_string(index) if type(index) is not str else index}")
            check_create(n)
            k_replaced = int(actual)
            return array_create([value if k == k_replaced else get_i(o, k) for k in range(n)])

        for name, fn, length in (
            ("findLast", find_last, 1),
            ("findLastIndex", find_last_index, 1),
            ("toReversed", to_reversed, 0),
            ("toSorted", to_sorted, 1),
            ("toSpliced", to_spliced, 2),
            ("with", with_, 2),
        ):
            method(rt, AP, name, fn, length)

    later(AP, prototype_methods)

    def statics() -> None:
        """Array.fromAsync, made when a script first looks at Array."""
        # -- Array.fromAsync (ES2026, 23.1.2.2) ------------------------------------------------------

        def is_constructor(c: Any) -> bool:
            return isinstance(c, JSFunction) and c.constructible

        def create_at(a: JSObject, k: int, v: Any) -> None:
            """CreateDataPropertyOrThrow(A, ! ToString(k), v)."""
            if type(a) is JSArray and a.extensible and a.flags is None and k == len(a.items):
                if k >= rt.limits.max_array_length:
                    raise range_error("Invalid array length")
                a.items.append(v)
                return
            desc = Descriptor(value=v, writable=True, enumerable=True, configurable=True)
            if not a.define_own_property(index_key(a, k), desc):
                raise type_error(f"Cannot add property {k}, object is not extensible")

        def set_length(a: JSObject, n: int) -> None:
            if not a.set("length", n):
                raise type_error("Cannot assign to read only property 'length' of object")

        def from_async_body(c: Any, items: Any, mapfn: Any, this_arg: Any) -> Generator[Any, Any, Any]:
            """The fromAsyncClosure: an async function body (``yield`` is Await)."""
            mapping = mapfn is not undefined
            if mapping and not is_callable(mapfn):
                raise type_error(f"{show(mapfn)} is not a function")
            if items is None or items is undefined:
                raise type_error(f"{show(items)} is not iterable")
            using_async = rt.get(items, SYM_ASYNC_ITERATOR)
            using_sync = undefined
            if using_async is None or using_async is undefined:
                using_async = undefined
                using_sync = rt.get(items, SYM_ITERATOR)
                if using_sync is None:
                    using_sync = undefined
            if using_async is not undefined or using_sync is not undefined:
                method = using_async if using_async is not undefined else using_sync
                if not is_callable(method):
                    raise type_error(f"{show(method)} is not a function")
                iterator = call(method, items)
                if not isinstance(iterator, JSObject):
                    raise type_error("Result of the Symbol.asyncIterator method is not an object")
                next_method = iterator.get("next")
                a: JSObject = rt.construct(c, [], c) if is_constructor(c) else rt.new_array([])
                k = 0
                while True:
                    rt.tick()
                    result = call(next_method, iterator)
                    if using_async is not undefined:
                        result = yield result
                    if not isinstance(result, JSObject):
                        raise type_error(f"Iterator result {show(result)} is not an object")
                    if ops.truthy(result.get("done")):
                        set_length(a, k)
                        return a
                    value = result.get("value")
                    try:
                        if using_async is undefined:
                            # CreateAsyncFromSyncIterator awaits each value.
                            value = yield value
                        if mapping:
                            value = yield call(mapfn, this_arg, value, k)
                        create_at(a, k, value)
                    except rt.Catchable:
                        yield from close_iterator(iterator, using_async is not undefined)
                        raise
                    k += 1
            array_like = rt.to_object(items)
            n = length_of(array_like)
            if is_constructor(c):
                a = rt.construct(c, [n], c)
            else:
                check_create(n)  # ArrayCreate(len)
                a = rt.new_array([])
            for k in range(n):
                value = yield get_i(array_like, k)
                if mapping:
                    value = yield call(mapfn, this_arg, value, k)
                create_at(a, k, value)
            set_length(a, n)
            return a

        def close_iterator(iterator: JSObject, is_async: bool) -> Generator[Any, Any, None]:
            """(Async)IteratorClose after an abrupt completion: the original error wins."""
            try:
                ret = iterator.get("return")
                if ret is not undefined and ret is not None:
                    outcome = call(ret, iterator)
                    if is_async:
                        yield outcome
            except rt.Catchable:
                pass

        def from_async(this: Any, items: Any = undefined, mapfn: Any = undefined,
                       this_arg: Any = undefined, *_: Any) -> Any:
            """Array.fromAsync (ECMA-262 23.1.2.2): a promise of the array."""
            return rt.intrinsics["start_async"](from_async_body(this, items, mapfn, this_arg))

        method(rt, array_ctor, "fromAsync", from_async, 1)

    later(array_ctor, statics)

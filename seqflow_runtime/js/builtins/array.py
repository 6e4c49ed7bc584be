"""The ``Array`` constructor and ``Array.prototype`` (ES2017, plus ``flat``/``flatMap`` and ``at``).

Every method is generic, as the spec requires: it works on any object with a
``length`` through [[Get]]/[[HasProperty]]/[[Set]]/[[Delete]] on integer keys.
Beside each generic path there is a fast path for the common receiver, a
:class:`JSArray` read or written through its ``items`` list directly:

* *reads* (``plain``): an exact ``JSArray`` with no attribute overrides whose
  prototypes hold no indexed properties, so a :data:`HOLE` really is an absent
  property and reading ``items`` is [[Get]];
* *writes* (``plain_mut``): the same, extensible and with a writable ``length``.

Loops that call back into JavaScript read ``items`` afresh at every index
(callbacks may grow, shrink or redefine the array while it is visited), and
spend one step of the realm's budget per index; work done at C speed (copies,
scans) is charged in bulk, a fraction of a step per element.

``entries``/``keys``/``values``/``@@iterator`` live in ``iteration.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from .. import ops
from ..guard import CHARGE_THRESHOLD
from ..numconv import number_to_string
from .deferred import intrinsic, later, method, methods, pend
from ..values import (
    CONFIGURABLE,
    HOLE,
    SYM_IS_CONCAT_SPREADABLE,
    SYM_ITERATOR,
    SYM_SPECIES,
    Accessor,
    Descriptor,
    JSArray,
    JSFunction,
    JSObject,
    JSThrow,
    Symbol,
    call,
    is_callable,
    range_error,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime

#: 2**53 - 1: the largest length of an array-like (ToLength's bound).
MAX_SAFE_LENGTH = 2**53 - 1
#: The first integer that is not an array index (2**32 - 1).
MAX_INDEX = 4294967295
#: Bulk work done at C speed costs one step per ``1 << BULK_SHIFT`` elements
#: (copies, scans, sorting keys)...
BULK_SHIFT = 4
#: ...and moving elements (``shift``/``unshift``/``splice`` are memmoves) one
#: step per ``1 << MOVE_SHIFT``: a queue drained with ``shift`` stays affordable.
MOVE_SHIFT = 10

#: A visitor ``(value, index) -> result`` calling a JS callback.
Visitor = Callable[[Any, int], Any]


_STR_TYPES: frozenset[type] = frozenset({str})
_INT_STR_TYPES: frozenset[type] = frozenset({int, str})
_MISSING_TYPE = type(HOLE)
_UNDEFINED_TYPE = type(undefined)
#: Values whose ToString runs no guest code (``HOLE`` joins as "" too).
_PRIMITIVE_TYPES: frozenset[type] = frozenset(
    {str, int, float, bool, _UNDEFINED_TYPE, type(None), _MISSING_TYPE, Symbol}
)


def is_array_object(v: Any) -> bool:
    """Whether ``v`` is an Array exotic object (subclass instances too, not ``arguments``)."""
    return isinstance(v, JSArray) and v.class_name == "Array"


def index_key(o: JSObject, k: int) -> Any:
    """The property key of index ``k`` in the form ``o`` stores it."""
    if o.int_keys and k < MAX_INDEX:
        return k
    return str(k)


def show(v: Any) -> str:
    """How V8 names a value in messages like "3 is not a function"."""
    if isinstance(v, JSObject):
        if is_array_object(v):
            return "[object Array]"
        return f"#<{v.class_name}>"
    if isinstance(v, Symbol):
        return f"Symbol({v.description or ''})"
    if type(v) is str:
        return v
    return ops.to_string(v)


def _primitive_string(v: Any) -> str:
    """ToString of a join element that is not an object ("" for holes and nullish)."""
    t = type(v)
    if t is str:
        return cast(str, v)
    if t is int:
        return str(v)
    if t is float:
        return number_to_string(v)
    if v is undefined or v is None or v is HOLE:
        return ""
    if t is bool:
        return "true" if v else "false"
    return ops.to_string(v)  # a Symbol: TypeError, as JS throws


def _find_index(items: list[Any], x: Any, start: int, stop: int, eq: Callable[[Any, Any], bool]) -> int:
    """The first ``i`` in ``start..stop-1`` with ``eq(items[i], x)``, or -1.

    ``list.index`` finds candidates at C speed with Python's ``==``, which
    agrees with ``===`` except that ``True == 1``: ``eq`` confirms each one.
    """
    while start < stop:
        try:
            i = items.index(x, start, stop)
        except ValueError:
            return -1
        if eq(items[i], x):
            return i
        start = i + 1
    return -1


def relative_index(v: Any, n: int) -> int:
    """A relative start/end argument (negative counts from the end) clamped to ``0..n``."""
    r = ops.to_integer(v)
    if r < 0:
        return int(max(n + r, 0))
    return int(min(r, n))


def absolute_index(index: Any, n: int) -> Any:
    """``at``/``with``'s index (23.1.3.1, 23.1.3.39): ToIntegerOrInfinity, negative counting from ``n``
    (not clamped: the caller checks the range)."""
    r = ops.to_integer(index)
    return r if r >= 0 else n + r


def require_comparator(comparefn: Any) -> None:
    """``sort``/``toSorted`` step 1 (23.1.3.30, 23.2.3.29): the comparator is a function or undefined."""
    if comparefn is not undefined and not is_callable(comparefn):
        raise type_error("The comparison function must be either a function or undefined")


def install(rt: "Runtime") -> None:
    """The Array constructor, ``Array.from/of/isArray`` and the ``Array.prototype`` methods."""
    AP = cast(JSArray, rt.ArrayPrototype)  # core.py makes it an Array exotic object
    OP = rt.ObjectPrototype
    max_length = rt.limits.max_array_length
    # Arrays being joined (join/toLocaleString), innermost last: a nested
    # self-reference joins as "" instead of recursing forever (as V8 does).
    joining: list[JSObject] = []

    # -- helpers -------------------------------------------------------------------

    def is_array(v: Any) -> bool:
        """IsArray: Array exotic objects, and proxies of them (``reflect.py``, installed later)."""
        if isinstance(v, JSArray):
            return v.class_name == "Array"
        if isinstance(v, JSObject) and type(v) is not JSObject:
            proxy_aware = rt.intrinsics.get("is_array")
            if proxy_aware is not None:
                return bool(proxy_aware(v))
        return False

    def tick() -> None:
        rt.steps_left -= 1
        if rt.steps_left < 0:
            rt.tick()

    def spend(steps: int) -> None:
        """Charge ``steps`` steps at once (work done without guest code)."""
        rt.steps_left -= steps
        if rt.steps_left < 0:
            rt.tick()

    def to_obj(this: Any, method: str) -> JSObject:
        if isinstance(this, JSObject):
            return this
        if this is None or this is undefined:
            raise type_error(f"Array.prototype.{method} called on null or undefined")
        return rt.to_object(this)

    def length_of(o: JSObject) -> int:
        """ToLength(Get(O, "length"))."""
        if type(o) is JSArray:
            return len(o.items)
        return ops.to_length(o.get("length"))

    def protos_indexless(o: JSObject) -> bool:
        """Whether no prototype of ``o`` holds indexed properties a hole would expose."""
        p = o.proto
        if p is AP:
            return not AP.items and AP.proto is OP
        while p is not None:
            if isinstance(p, JSArray):
                if p.items:
                    return False
            elif type(p) is not JSObject:
                return False
            p = p.proto
        return True

    def plain(o: JSObject) -> TypeGuard[JSArray]:
        """Whether ``o.items`` may be read directly (see the module docstring)."""
        return type(o) is JSArray and o.flags is None and protos_indexless(o)

    def plain_mut(o: JSObject) -> TypeGuard[JSArray]:
        """Whether ``o.items`` may also be written directly."""
        return (
            type(o) is JSArray and o.flags is None and o.extensible and o.length_writable
            and protos_indexless(o)
        )

    def get_i(o: JSObject, k: int) -> Any:
        return o.get(k if o.int_keys and k < MAX_INDEX else str(k))

    def has_i(o: JSObject, k: int) -> bool:
        return o.has(k if o.int_keys and k < MAX_INDEX else str(k))

    def set_i(o: JSObject, k: Any, v: Any) -> None:
        """Set(O, k, v, true)."""
        key = index_key(o, k) if type(k) is int else k
        if not o.set(key, v):
            raise failed_write(o, key)

    def set_length(o: JSObject, n: int) -> None:
        """Set(O, "length", n, true)."""
        if not o.set("length", n):
            raise failed_write(o, "length")

    def failed_write(o: JSObject, key: Any) -> JSThrow:
        """The TypeError of a failed strict write, worded as V8 words it."""
        if o.get_own_property(key) is None and not o.is_extensible():
            return type_error(f"Cannot add property {key}, object is not extensible")
        return type_error(f"Cannot assign to read only property '{key}' of object '[object {o.class_name}]'")

    def delete_i(o: JSObject, k: int) -> None:
        """DeletePropertyOrThrow(O, k)."""
        if not o.delete(index_key(o, k)):
            raise type_error(f"Cannot delete property '{k}' of {show(o)}")

    def create_i(a: JSObject, k: int, v: Any) -> None:
        """CreateDataPropertyOrThrow(A, k, v)."""
        if type(a) is JSArray and a.flags is None and a.extensible and a.length_writable:
            items = a.items
            if k == len(items) and k < max_length:
                items.append(v)
                return
        ok = a.define_own_property(
            index_key(a, k), Descriptor(value=v, writable=True, enumerable=True, configurable=True)
        )
        if not ok:
            raise type_error(f"Cannot add property {k}, object is not extensible")

    def check_length(n: int) -> None:
        """ArrayCreate's length check (and the realm's array size limit); a big array is charged.

        A small one is left to the memory samples, as :meth:`Runtime.new_array` leaves it.
        """
        if n > MAX_INDEX or n > max_length:
            raise range_error("Invalid array length")
        if n >= CHARGE_THRESHOLD:
            rt.guard.grow_array(n, n)

    def present(o: JSObject, n: int) -> Iterator[tuple[int, Any]]:
        """``(k, Get(O, k))`` for each ``k < n`` with HasProperty(O, k), one step per index.

        Lazy, so a callback run for index ``k`` sees (and may change) the
        object before index ``k + 1`` is looked at, as the spec's loops do.
        """
        if type(o) is JSArray:
            items = o.items
            for k in range(n):
                rt.steps_left -= 1
                if rt.steps_left < 0:
                    rt.tick()
                try:
                    v = items[k]
                except IndexError:  # shortened meanwhile
                    v = HOLE
                if v is HOLE or type(v) is Accessor:
                    # absent here (maybe inherited), or a getter defined meanwhile
                    if not o.has(k):
                        continue
                    v = o.get(k)
                yield k, v
        else:
            int_keys = o.int_keys
            for k in range(n):
                rt.steps_left -= 1
                if rt.steps_left < 0:
                    rt.tick()
                key = k if int_keys and k < MAX_INDEX else str(k)
                if o.has(key):
                    yield k, o.get(key)

    def every_index(o: JSObject, n: int) -> Iterator[tuple[int, Any]]:
        """``(k, Get(O, k))`` for every ``k < n`` (holes read as undefined or inherited)."""
        if type(o) is JSArray:
            items = o.items
            for k in range(n):
                rt.steps_left -= 1
                if rt.steps_left < 0:
                    rt.tick()
                v = items[k] if k < len(items) else HOLE
                if v is HOLE or type(v) is Accessor:
                    v = o.get(k)
                yield k, v
        else:
            for k in range(n):
                rt.steps_left -= 1
                if rt.steps_left < 0:
                    rt.tick()
                yield k, get_i(o, k)

    def callback(cb: Any) -> None:
        if not is_callable(cb):
            raise type_error(f"{show(cb)} is not a function")

    def visitor(cb: Any, this_arg: Any, o: JSObject) -> Visitor:
        """``(v, k) -> Call(cb, thisArg, v, k, O)``, skipping ``values.call`` for JS functions.

        A generated function declares how many parameters it takes (``arity``);
        passing only those is what ``values.call`` would do, minus its checks.
        """
        if type(cb) is JSFunction and cb.kind != "class" and cb.kind != "derived":
            fn = cb.fn
            arity = cb.arity
            if arity == 1:
                return lambda v, k: fn(this_arg, v)
            if arity == 2:
                return lambda v, k: fn(this_arg, v, k)
            if arity == 0:
                return lambda v, k: fn(this_arg)
            return lambda v, k: fn(this_arg, v, k, o)
        callback(cb)
        return lambda v, k: call(cb, this_arg, v, k, o)

    def is_constructor(c: Any) -> bool:
        if isinstance(c, JSFunction):
            return c.constructible
        return isinstance(c, JSObject) and getattr(c, "construct_hook", None) is not None

    def species_create(o: JSObject, n: int) -> JSObject | None:
        """ArraySpeciesCreate(O, n); ``None`` means "a new plain Array" (the caller builds it)."""
        if (
            type(o) is JSArray and o.proto is AP and "constructor" not in o.props
            and AP.props.get("constructor") is array_ctor
            and array_ctor.props.get(SYM_SPECIES) is species_slot
        ):
            return None
        if not is_array(o):
            return None
        c = o.get("constructor")
        if isinstance(c, JSObject):
            c = c.get(SYM_SPECIES)
            if c is None:
                c = undefined
        if c is undefined:
            return None
        if not is_constructor(c):
            raise type_error("object.constructor[Symbol.species] is not a constructor")
        result = rt.construct(c, [n], c)
        if not isinstance(result, JSObject):
            raise type_error("object.constructor[Symbol.species] did not return an object")
        return result

    def array_create(n: int) -> JSArray:
        check_length(n)
        return JSArray(AP, [HOLE] * n)

    # -- the constructor -----------------------------------------------------------

    def array_construct(args: list[Any], new_target: Any) -> JSArray:
        if new_target is undefined or new_target is array_ctor:
            proto: JSObject = AP
        else:
            proto = rt.proto_from(new_target, AP)
        if len(args) == 1:
            n = args[0]
            t = type(n)
            if t is int or t is float:
                if t is float:
                    if not (n.is_integer() and 0 <= n < 4294967296):
                        raise range_error("Invalid array length")
                    n = int(n)
                elif not 0 <= n < 4294967296:
                    raise range_error("Invalid array length")
                check_length(n)
                spend(1 + (n >> BULK_SHIFT))
                return JSArray(proto, [HOLE] * n)
            return JSArray(proto, [n])
        if len(args) > max_length:
            raise range_error("Invalid array length")
        return JSArray(proto, list(args))

    def array_call(this: Any, *args: Any) -> JSArray:
        return array_construct(list(args), undefined)

    array_ctor = rt.constructor("Array", 1, array_call, array_construct, AP)
    species_slot = Accessor(rt.native(lambda this, *_: this, "get [Symbol.species]", 0))
    array_ctor.write_slot(SYM_SPECIES, species_slot, CONFIGURABLE)
    # The statics and the prototype's methods are made when a script first looks at them.
    pend(rt, array_ctor)
    pend(rt, AP)

    def statics() -> None:
        """Array.isArray/of/from (23.1.2), made when a script first looks at Array."""
        def array_is_array(this: Any, v: Any = undefined, *_: Any) -> bool:
            return is_array(v)

        def array_of(this: Any, *items: Any) -> JSObject:
            n = len(items)
            if this is array_ctor or not is_constructor(this):
                check_length(n)
                return JSArray(AP, list(items))
            a = rt.construct(this, [n], this)
            if not isinstance(a, JSObject):
                raise type_error("Array.of: the constructor did not return an object")
            for k, v in enumerate(items):
                create_i(a, k, v)
            set_length(a, n)
            return a

        def array_from(this: Any, items: Any = undefined, mapfn: Any = undefined,
                       this_arg: Any = undefined, *_: Any) -> JSObject:
            mapping = mapfn is not undefined
            if mapping:
                callback(mapfn)
            use_list = this is array_ctor or not is_constructor(this)
            if items is None or items is undefined:
                what = "undefined" if items is undefined else "object null"
                raise type_error(f"{what} is not iterable (cannot read property Symbol(Symbol.iterator))")
            method = rt.get(items, SYM_ITERATOR)
            if method is not undefined and method is not None:
                if not is_callable(method):
                    raise type_error(f"{show(method)} is not a function")
                a: JSObject | None = None if use_list else rt.construct(this, [], this)
                if a is not None and not isinstance(a, JSObject):
                    raise type_error("Array.from: the constructor did not return an object")
                out: list[Any] = []
                if (
                    type(items) is JSArray and method is rt.intrinsics["ArrayValues"]
                    and rt.array_is_plain(items)
                ):
                    if a is None and not mapping:
                        # nothing can observe the iteration: copy (holes read as undefined)
                        source = items.items
                        spend(1 + (len(source) >> BULK_SHIFT))
                        return JSArray(AP, [undefined if v is HOLE else v for v in source])
                    iterator: Iterator[Any] = rt.iterate(items)
                else:
                    iterator = rt.iterate_with_method(items, method)
                k = 0
                try:
                    for v in iterator:
                        if mapping:
                            v = call(mapfn, this_arg, v, k)
                        if a is None:
                            if k >= max_length:
                                raise range_error("Invalid array length")
                            out.append(v)
                        else:
                            create_i(a, k, v)
                        k += 1
                except BaseException:
                    # IteratorClose before the error leaves (the generator's
                    # cleanup calls the iterator's ``return``).
                    close = getattr(iterator, "close", None)
                    if close is not None:
                        close()
                    raise
                if a is None:
                    return JSArray(AP, out)
                set_length(a, k)
                return a
            o = rt.to_object(items)
            n = length_of(o)
            if use_list:
                check_length(n)
                out = [HOLE] * n
                for k, v in every_index(o, n):
                    out[k] = call(mapfn, this_arg, v, k) if mapping else v
                return JSArray(AP, out)
            a = rt.construct(this, [n], this)
            if not isinstance(a, JSObject):
                raise type_error("Array.from: the constructor did not return an object")
            for k, v in every_index(o, n):
                create_i(a, k, call(mapfn, this_arg, v, k) if mapping else v)
            set_length(a, n)
            return a

        method(rt, array_ctor, "isArray", array_is_array, 1)
        method(rt, array_ctor, "of", array_of, 0)
        method(rt, array_ctor, "from", array_from, 1)

    later(array_ctor, statics)

    def prototype_methods() -> None:
        """Array.prototype's methods (23.1.3), made when a script first looks at Array.prototype."""
        # -- mutators: push, pop, shift, unshift, splice -----------------------------------

        def push(this: Any, *args: Any) -> int:
            o = this if type(this) is JSArray else to_obj(this, "push")
            if type(o) is JSArray and o.flags is None and o.extensible and o.length_writable and (
                (o.proto is AP and not AP.items and AP.proto is OP) or protos_indexless(o)
            ):
                items = o.items
                if len(items) + len(args) > max_length:
                    raise range_error("Invalid array length")
                if len(args) == 1:
                    items.append(args[0])
                else:
                    items.extend(args)
                return len(items)
            n = length_of(o)
            if n + len(args) > MAX_SAFE_LENGTH:
                raise type_error(
                    f"Pushing {len(args)} elements on an array-like of length {n} "
                    "is disallowed, as the total surpasses 2**53-1"
                )
            for v in args:
                set_i(o, n, v)
                n += 1
            set_length(o, n)
            return n

        def pop(this: Any, *_: Any) -> Any:
            o = to_obj(this, "pop")
            if plain_mut(o):
                items = o.items
                if not items:
                    return undefined
                v = items.pop()
                return undefined if v is HOLE else v
            n = length_of(o)
            if n == 0:
                set_length(o, 0)
                return undefined
            v = get_i(o, n - 1)
            delete_i(o, n - 1)
            set_length(o, n - 1)
            return v

        def shift(this: Any, *_: Any) -> Any:
            o = to_obj(this, "shift")
            if plain_mut(o):
                items = o.items
                if not items:
                    return undefined
                spend(1 + (len(items) >> MOVE_SHIFT))
                v = items.pop(0)
                return undefined if v is HOLE else v
            n = length_of(o)
            if n == 0:
                set_length(o, 0)
                return undefined
            first = get_i(o, 0)
            move(o, 1, 0, n - 1)
            delete_i(o, n - 1)
            set_length(o, n - 1)
            return first

        def move(o: JSObject, src: int, dst: int, count: int, backward: bool | None = None) -> None:
            """The spec's element-moving loops: for each of ``count`` indices, copy or delete.

            Unless told, moves forward (ascending) when ``dst < src``, else
            backward, so overlapping ranges copy correctly.
            """
            if backward is None:
                backward = dst > src
            order = range(count - 1, -1, -1) if backward else range(count)
            for i in order:
                tick()
                if has_i(o, src + i):
                    set_i(o, dst + i, get_i(o, src + i))
                else:
                    delete_i(o, dst + i)

        def unshift(this: Any, *args: Any) -> int:
            o = to_obj(this, "unshift")
            if plain_mut(o):
                items = o.items
                if args:
                    if len(items) + len(args) > max_length:
                        raise range_error("Invalid array length")
                    spend(1 + (len(items) >> MOVE_SHIFT))
                    items[0:0] = args
                return len(items)
            n = length_of(o)
            count = len(args)
            if count:
                if n + count > MAX_SAFE_LENGTH:
                    raise type_error("Invalid array length")
                move(o, 0, count, n)
                for j, v in enumerate(args):
                    set_i(o, j, v)
            set_length(o, n + count)
            return n + count

        def splice(this: Any, *args: Any) -> JSObject:
            o = to_obj(this, "splice")
            n = length_of(o)
            start = relative_index(args[0] if args else undefined, n)
            if not args:
                delete_count = 0
            elif len(args) == 1:
                delete_count = n - start
            else:
                delete_count = int(min(max(ops.to_integer(args[1]), 0), n - start))
            inserted = args[2:]
            if n + len(inserted) - delete_count > MAX_SAFE_LENGTH:
                raise type_error("Invalid array length")
            a = species_create(o, delete_count)
            if a is None:
                check_length(delete_count)
                if plain_mut(o):
                    items = o.items
                    if n + len(inserted) - delete_count > max_length:
                        raise range_error("Invalid array length")
                    spend(1 + (delete_count >> BULK_SHIFT) + ((n - start) >> MOVE_SHIFT))
                    removed = items[start:start + delete_count]
                    items[start:start + delete_count] = inserted
                    return JSArray(AP, removed)
                out = [HOLE] * delete_count
                for k, v in present(o, delete_count) if start == 0 else _offset(o, start, delete_count):
                    out[k] = v
                result: JSObject = JSArray(AP, out)
            else:
                for k, v in present(o, delete_count) if start == 0 else _offset(o, start, delete_count):
                    create_i(a, k, v)
                set_length(a, delete_count)
                result = a
            count = len(inserted)
            if count < delete_count:
                move(o, start + delete_count, start + count, n - start - delete_count)
                for k in range(n, n - delete_count + count, -1):
                    tick()
                    delete_i(o, k - 1)
            elif count > delete_count:
                move(o, start + delete_count, start + count, n - start - delete_count)
            for j, v in enumerate(inserted):
                set_i(o, start + j, v)
            set_length(o, n - delete_count + count)
            return result

        def _offset(o: JSObject, start: int, count: int) -> Iterator[tuple[int, Any]]:
            """``(k, Get(O, start + k))`` for the ``count`` indices from ``start`` that exist."""
            for k in range(count):
                tick()
                if has_i(o, start + k):
                    yield k, get_i(o, start + k)

        # -- order: reverse, sort, copyWithin, fill ------------------------------------------

        def reverse(this: Any, *_: Any) -> JSObject:
            o = to_obj(this, "reverse")
            if plain_mut(o):
                spend(1 + (len(o.items) >> BULK_SHIFT))
                o.items.reverse()
                return o
            n = length_of(o)
            lower = 0
            middle = n // 2
            while lower != middle:
                tick()
                upper = n - lower - 1
                lower_exists = has_i(o, lower)
                lower_value = get_i(o, lower) if lower_exists else undefined
                upper_exists = has_i(o, upper)
                upper_value = get_i(o, upper) if upper_exists else undefined
                if lower_exists and upper_exists:
                    set_i(o, lower, upper_value)
                    set_i(o, upper, lower_value)
                elif upper_exists:
                    set_i(o, lower, upper_value)
                    delete_i(o, upper)
                elif lower_exists:
                    delete_i(o, lower)
                    set_i(o, upper, lower_value)
                lower += 1
            return o

        def sort(this: Any, comparefn: Any = undefined, *_: Any) -> JSObject:
            require_comparator(comparefn)
            o = to_obj(this, "sort")
            n = length_of(o)
            kinds: set[type] | None = None
            if plain(o):
                spend(1 + (n >> BULK_SHIFT))
                kinds = set(map(type, o.items))
                if _MISSING_TYPE in kinds or _UNDEFINED_TYPE in kinds:
                    defined = [v for v in o.items if v is not HOLE and v is not undefined]
                    undefined_count = n - len(defined) - o.items.count(HOLE)
                    kinds.discard(_MISSING_TYPE)
                    kinds.discard(_UNDEFINED_TYPE)
                else:
                    defined = list(o.items)
                    undefined_count = 0
            else:
                values = [v for _, v in present(o, n)]
                defined = [v for v in values if v is not undefined]
                undefined_count = len(values) - len(defined)
            if comparefn is undefined:
                # ToString each element once; strings hold UTF-16 code units, so
                # Python's order is JS's code-unit order. The sort is stable.
                spend(1 + ((len(defined) * max(len(defined).bit_length(), 1)) >> BULK_SHIFT))
                if kinds is None:
                    kinds = set(map(type, defined))
                if kinds <= _STR_TYPES:
                    defined.sort()
                elif kinds <= _INT_STR_TYPES:
                    defined.sort(key=str)  # str() of an int is its JS ToString
                else:
                    keyed = [(ops.to_string(v), v) for v in defined]
                    keyed.sort(key=lambda pair: pair[0])
                    defined = [v for _, v in keyed]
            else:
                defined.sort(key=cmp_to_key(comparator(comparefn)))
            result = defined + [undefined] * undefined_count
            if plain_mut(o) and len(o.items) == n:
                o.items[:] = result + [HOLE] * (n - len(result))
                return o
            for j, v in enumerate(result):
                tick()
                set_i(o, j, v)
            for j in range(len(result), n):
                tick()
                delete_i(o, j)
            return o

        def comparator(comparefn: Any) -> Callable[[Any, Any], Any]:
            """SortCompare through a user comparator: its result as a number (NaN acts as 0).

            ``cmp_to_key`` only asks ``result < 0``, which is false for NaN as
            for +0, so the number can be returned as it is.
            """
            if type(comparefn) is JSFunction and comparefn.kind not in ("class", "derived") and (
                comparefn.arity is None or comparefn.arity >= 2
            ):
                fn = comparefn.fn

                def compare(a: Any, b: Any) -> Any:
                    rt.steps_left -= 1
                    if rt.steps_left < 0:
                        rt.tick()
                    r = fn(undefined, a, b)
                    t = type(r)
                    return r if t is int or t is float else ops.to_number(r)
                return compare

            def compare_generic(a: Any, b: Any) -> Any:
                tick()
                r = call(comparefn, undefined, a, b)
                t = type(r)
                return r if t is int or t is float else ops.to_number(r)
            return compare_generic

        def copy_within(this: Any, target: Any = undefined, start: Any = undefined,
                        end: Any = undefined, *_: Any) -> JSObject:
            o = to_obj(this, "copyWithin")
            n = length_of(o)
            to = relative_index(target, n)
            frm = relative_index(start, n)
            final = n if end is undefined else relative_index(end, n)
            count = min(final - frm, n - to)
            if count <= 0:
                return o
            if plain_mut(o):
                spend(1 + (count >> BULK_SHIFT))
                items = o.items
                items[to:to + count] = items[frm:frm + count]
                return o
            move(o, frm, to, count, frm < to < frm + count)
            return o

        def fill(this: Any, value: Any = undefined, start: Any = undefined,
                 end: Any = undefined, *_: Any) -> JSObject:
            o = to_obj(this, "fill")
            n = length_of(o)
            k = relative_index(start, n)
            final = n if end is undefined else relative_index(end, n)
            if final <= k:
                return o
            if plain_mut(o):
                spend(1 + ((final - k) >> BULK_SHIFT))
                o.items[k:final] = [value] * (final - k)
                return o
            for i in range(k, final):
                tick()
                set_i(o, i, value)
            return o

        # -- iteration with callbacks -------------------------------------------------------

        def direct(cb: Any, arity: int) -> Callable[..., Any] | None:
            """``cb.fn`` when ``cb`` is a JS function taking ``arity`` parameters, else ``None``.

            The hot loops call it directly with that many arguments after ``this`` (``fn(this, v)``,
            reduce's ``fn(undefined, acc, v)``), skipping the :func:`visitor` and :func:`reducer`
            wrappers: ``values.call`` would pass it just those too.
            """
            if type(cb) is JSFunction and cb.arity == arity and cb.kind != "class" and cb.kind != "derived":
                return cb.fn
            return None

        def for_each(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
            o = to_obj(this, "forEach")
            n = length_of(o)
            f = visitor(cb, this_arg, o)
            fn = direct(cb, 1)
            for k, v in present(o, n):
                if fn is not None:
                    fn(this_arg, v)
                else:
                    f(v, k)
            return undefined

        def map_(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> JSObject:
            o = to_obj(this, "map")
            n = length_of(o)
            f = visitor(cb, this_arg, o)
            a = species_create(o, n)
            if a is not None:
                for k, v in present(o, n):
                    create_i(a, k, f(v, k))
                return a
            check_length(n)
            out = [HOLE] * n
            fn = direct(cb, 1)
            for k, v in present(o, n):
                out[k] = fn(this_arg, v) if fn is not None else f(v, k)
            return JSArray(AP, out)

        def filter_(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> JSObject:
            o = to_obj(this, "filter")
            n = length_of(o)
            f = visitor(cb, this_arg, o)
            a = species_create(o, 0)
            if a is not None:
                to = 0
                for k, v in present(o, n):
                    if ops.truthy(f(v, k)):
                        create_i(a, to, v)
                        to += 1
                return a
            out: list[Any] = []
            truthy = ops.truthy
            fn = direct(cb, 1)
            for k, v in present(o, n):
                r = fn(this_arg, v) if fn is not None else f(v, k)
                if r is True or (r is not False and truthy(r)):
                    out.append(v)
            return JSArray(AP, out)

        def some(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> bool:
            o = to_obj(this, "some")
            n = length_of(o)
            f = visitor(cb, this_arg, o)
            truthy = ops.truthy
            fn = direct(cb, 1)
            for k, v in present(o, n):
                r = fn(this_arg, v) if fn is not None else f(v, k)
                if r is True or (r is not False and truthy(r)):
                    return True
            return False

        def every(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> bool:
            o = to_obj(this, "every")
            n = length_of(o)
            f = visitor(cb, this_arg, o)
            truthy = ops.truthy
            fn = direct(cb, 1)
            for k, v in present(o, n):
                r = fn(this_arg, v) if fn is not None else f(v, k)
                if r is False or (r is not True and not truthy(r)):
                    return False
            return True

        def find(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
            o = to_obj(this, "find")
            n = length_of(o)
            f = visitor(cb, this_arg, o)
            truthy = ops.truthy
            fn = direct(cb, 1)
            for k, v in every_index(o, n):
                r = fn(this_arg, v) if fn is not None else f(v, k)
                if r is True or (r is not False and truthy(r)):
                    return v
            return undefined

        def find_index(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> int:
            o = to_obj(this, "findIndex")
            n = length_of(o)
            f = visitor(cb, this_arg, o)
            truthy = ops.truthy
            fn = direct(cb, 1)
            for k, v in every_index(o, n):
                r = fn(this_arg, v) if fn is not None else f(v, k)
                if r is True or (r is not False and truthy(r)):
                    return k
            return -1

        def reducer(cb: Any, o: JSObject) -> Callable[[Any, Any, int], Any]:
            """``(acc, v, k) -> Call(cb, undefined, acc, v, k, O)``."""
            if type(cb) is JSFunction and cb.kind != "class" and cb.kind != "derived":
                fn = cb.fn
                arity = cb.arity
                if arity == 2:
                    return lambda acc, v, k: fn(undefined, acc, v)
                if arity == 3:
                    return lambda acc, v, k: fn(undefined, acc, v, k)
                if arity is not None and arity < 2:
                    return lambda acc, v, k: call(cb, undefined, acc, v, k, o)
                return lambda acc, v, k: fn(undefined, acc, v, k, o)
            callback(cb)
            return lambda acc, v, k: call(cb, undefined, acc, v, k, o)

        def reduce(this: Any, cb: Any = undefined, *args: Any) -> Any:
            o = to_obj(this, "reduce")
            n = length_of(o)
            f = reducer(cb, o)
            fn = direct(cb, 2)
            elements = present(o, n)
            if args:
                acc = args[0]
            else:
                first = next(elements, None)
                if first is None:
                    raise type_error("Reduce of empty array with no initial value")
                acc = first[1]
            for k, v in elements:
                acc = fn(undefined, acc, v) if fn is not None else f(acc, v, k)
            return acc

        def present_backward(o: JSObject, start: int) -> Iterator[tuple[int, Any]]:
            """``(k, Get(O, k))`` for ``k`` from ``start`` down to 0 where HasProperty(O, k)."""
            for k in range(start, -1, -1):
                tick()
                if type(o) is JSArray:
                    items = o.items
                    v = items[k] if k < len(items) else HOLE
                    if v is not HOLE and type(v) is not Accessor:
                        yield k, v
                        continue
                if has_i(o, k):
                    yield k, get_i(o, k)

        def reduce_right(this: Any, cb: Any = undefined, *args: Any) -> Any:
            o = to_obj(this, "reduceRight")
            n = length_of(o)
            f = reducer(cb, o)
            elements = present_backward(o, n - 1)
            if args:
                acc = args[0]
            else:
                first = next(elements, None)
                if first is None:
                    raise type_error("Reduce of empty array with no initial value")
                acc = first[1]
            for k, v in elements:
                acc = f(acc, v, k)
            return acc

        # -- searching ------------------------------------------------------------------

        def index_of(this: Any, x: Any = undefined, from_index: Any = undefined, *_: Any) -> int:
            o = to_obj(this, "indexOf")
            n = length_of(o)
            if n == 0:
                return -1
            start = ops.to_integer(from_index)
            if start >= n:
                return -1
            k = int(start) if start >= 0 else int(max(n + start, 0))
            if type(x) is float and x != x:
                return -1  # NaN !== NaN: nothing matches, but the receiver was still read above
            if plain(o):
                items = o.items
                i = _find_index(items, x, k, n, ops.strict_eq)
                spend(1 + (((n if i < 0 else i) - k) >> BULK_SHIFT))
                return i
            for i, v in present(o, n) if k == 0 else _offset(o, k, n - k):
                if ops.strict_eq(v, x):
                    return i + k
            return -1

        def last_index_of(this: Any, x: Any = undefined, *args: Any) -> int:
            o = to_obj(this, "lastIndexOf")
            n = length_of(o)
            if n == 0:
                return -1
            start = ops.to_integer(args[0]) if args else n - 1
            k = int(min(start, n - 1)) if start >= 0 else int(n + start) if n + start >= 0 else -1
            if k < 0 or (type(x) is float and x != x):
                return -1
            if plain(o):
                segment = o.items[:k + 1]
                segment.reverse()
                i = _find_index(segment, x, 0, len(segment), ops.strict_eq)
                spend(1 + ((len(segment) if i < 0 else i) >> BULK_SHIFT))
                return -1 if i < 0 else k - i
            for i, v in present_backward(o, k):
                if ops.strict_eq(v, x):
                    return i
            return -1

        def includes(this: Any, x: Any = undefined, from_index: Any = undefined, *_: Any) -> bool:
            o = to_obj(this, "includes")
            n = length_of(o)
            if n == 0:
                return False
            start = ops.to_integer(from_index)
            if start >= n:
                return False
            k = int(start) if start >= 0 else int(max(n + start, 0))
            nan = type(x) is float and x != x
            if plain(o):
                items = o.items
                spend(1 + ((n - k) >> BULK_SHIFT))
                if nan:
                    return any(type(v) is float and v != v for v in items[k:n])
                if x is undefined:
                    return _find_index(items, undefined, k, n, ops.strict_eq) >= 0 or (
                        _find_index(items, HOLE, k, n, lambda a, b: a is b) >= 0
                    )
                return _find_index(items, x, k, n, ops.same_value_zero) >= 0
            for _index, value in every_index(o, n) if k == 0 else _every_from(o, k, n):
                if ops.same_value_zero(value, x):
                    return True
            return False

        def _every_from(o: JSObject, k: int, n: int) -> Iterator[tuple[int, Any]]:
            for i in range(k, n):
                tick()
                yield i, get_i(o, i)

        def at(this: Any, index: Any = undefined, *_: Any) -> Any:
            o = to_obj(this, "at")
            n = length_of(o)
            k = absolute_index(index, n)
            if k < 0 or k >= n:
                return undefined
            return get_i(o, int(k))

        # -- building new arrays: concat, slice, flat, flatMap ------------------------------

        def spreadable(e: Any) -> bool:
            """IsConcatSpreadable."""
            if not isinstance(e, JSObject):
                return False
            s = e.get(SYM_IS_CONCAT_SPREADABLE)
            if s is not undefined:
                return ops.truthy(s)
            return is_array(e)

        def concat(this: Any, *args: Any) -> JSObject:
            o = to_obj(this, "concat")
            a = species_create(o, 0)
            out: list[Any] = []
            n = 0
            for e in (o, *args):
                if spreadable(e):
                    if a is None and plain(e):
                        items = e.items
                        if n + len(items) > max_length:
                            raise range_error("Invalid array length")
                        spend(1 + (len(items) >> BULK_SHIFT))
                        out.extend(items)
                        n += len(items)
                        continue
                    length = length_of(e)
                    if n + length > MAX_SAFE_LENGTH:
                        raise type_error("Invalid array length")
                    if a is None:
                        if n + length > max_length:
                            raise range_error("Invalid array length")
                        out.extend([HOLE] * length)
                        for k, v in present(e, length):
                            out[n + k] = v
                    else:
                        for k, v in present(e, length):
                            create_i(a, n + k, v)
                    n += length
                else:
                    if a is None:
                        if n >= max_length:
                            raise range_error("Invalid array length")
                        out.append(e)
                    else:
                        if n >= MAX_SAFE_LENGTH:
                            raise type_error("Invalid array length")
                        create_i(a, n, e)
                    n += 1
            if a is None:
                return JSArray(AP, out)
            set_length(a, n)
            return a

        def slice_(this: Any, start: Any = undefined, end: Any = undefined, *_: Any) -> JSObject:
            o = to_obj(this, "slice")
            n = length_of(o)
            k = relative_index(start, n)
            final = n if end is undefined else relative_index(end, n)
            count = max(final - k, 0)
            a = species_create(o, count)
            if a is None:
                check_length(count)
                if plain(o):
                    spend(1 + (count >> BULK_SHIFT))
                    return JSArray(AP, o.items[k:final])
                out = [HOLE] * count
                for i, v in present(o, count) if k == 0 else _offset(o, k, count):
                    out[i] = v
                return JSArray(AP, out)
            for i, v in present(o, count) if k == 0 else _offset(o, k, count):
                create_i(a, i, v)
            set_length(a, count)
            return a

        def flatten(target: JSObject | None, out: list[Any], source: JSObject, length: int, start: int,
                    depth: float, mapper: Visitor | None) -> int:
            """FlattenIntoArray: append to ``out`` (a new plain array) or create on ``target``."""
            index = start
            for k, v in present(source, length):
                if mapper is not None:
                    v = mapper(v, k)
                if depth > 0 and is_array(v):
                    index = flatten(target, out, v, length_of(v), index, depth - 1, None)
                    continue
                if target is None:
                    if index >= max_length:
                        raise range_error("Invalid array length")
                    out.append(v)
                else:
                    if index >= MAX_SAFE_LENGTH:
                        raise type_error("Invalid array length")
                    create_i(target, index, v)
                index += 1
            return index

        def flat(this: Any, depth: Any = undefined, *_: Any) -> JSObject:
            o = to_obj(this, "flat")
            n = length_of(o)
            d: float = 1 if depth is undefined else max(ops.to_integer(depth), 0)
            a = species_create(o, 0)
            out: list[Any] = []
            flatten(a, out, o, n, 0, d, None)
            return JSArray(AP, out) if a is None else a

        def flat_map(this: Any, mapper: Any = undefined, this_arg: Any = undefined, *_: Any) -> JSObject:
            o = to_obj(this, "flatMap")
            n = length_of(o)
            if not is_callable(mapper):
                raise type_error("flatMap mapper function is not callable")
            a = species_create(o, 0)
            out: list[Any] = []
            flatten(a, out, o, n, 0, 1, visitor(mapper, this_arg, o))
            return JSArray(AP, out) if a is None else a

        # -- strings: join, toString, toLocaleString -----------------------------------------

        def join(this: Any, separator: Any = undefined, *_: Any) -> str:
            o = to_obj(this, "join")
            for busy in joining:
                if busy is o:
                    return ""
            n = length_of(o)
            sep = "," if separator is undefined else ops.to_string(separator)
            joining.append(o)
            try:
                return join_elements(o, n, sep, None)
            finally:
                joining.pop()

        def join_elements(o: JSObject, n: int, sep: str, convert: Callable[[Any], str] | None) -> str:
            limit = rt.guard.max_string_length
            if convert is None and plain(o):
                items = o.items
                spend(1 + (n >> BULK_SHIFT))
                kinds = set(map(type, items))
                parts: list[str] | None = None
                if kinds <= _STR_TYPES:
                    parts = items
                elif kinds <= _INT_STR_TYPES:
                    parts = list(map(str, items))  # str() of an int is its JS ToString
                elif kinds <= _PRIMITIVE_TYPES:
                    parts = list(map(_primitive_string, items))
                if parts is not None:
                    total = sum(map(len, parts))
                    if total + len(sep) * max(n - 1, 0) > limit:
                        raise range_error("Invalid string length")
                    return rt.check_string(sep.join(parts))
            # Elements that are objects: their conversion runs guest code, which
            # may change the array, so each index is read afresh (length fixed).
            parts = []
            total = 0
            for _, v in every_index(o, n):
                if v is undefined or v is None:
                    s = ""
                elif convert is not None:
                    s = convert(v)
                else:
                    s = v if type(v) is str else ops.to_string(v)
                total += len(s) + len(sep)
                if total > limit + len(sep):
                    raise range_error("Invalid string length")
                parts.append(s)
            return rt.check_string(sep.join(parts))

        def to_string(this: Any, *_: Any) -> Any:
            o = to_obj(this, "toString")
            func = o.get("join")
            if not is_callable(func):
                func = rt.intrinsics["Object.prototype.toString"]
            return call(func, o)

        def to_locale_string(this: Any, locales: Any = undefined, options: Any = undefined, *_: Any) -> str:
            # ECMA-402 §19.5.1: each element's toLocaleString gets the locales and options.
            o = to_obj(this, "toLocaleString")
            for busy in joining:
                if busy is o:
                    return ""
            n = length_of(o)
            joining.append(o)
            try:
                return join_elements(o, n, ",",
                                     lambda v: ops.to_string(rt.call_method(v, "toLocaleString", locales, options)))
            finally:
                joining.pop()

        # -- Array.prototype --------------------------------------------------------------

        methods(rt, AP, (
            ("at", at, 1),
            ("concat", concat, 1),
            ("copyWithin", copy_within, 2),
            ("every", every, 1),
            ("fill", fill, 1),
            ("filter", filter_, 1),
            ("find", find, 1),
            ("findIndex", find_index, 1),
            ("flat", flat, 0),
            ("flatMap", flat_map, 1),
            ("forEach", for_each, 1),
            ("includes", includes, 1),
            ("indexOf", index_of, 1),
            ("join", join, 1),
            ("lastIndexOf", last_index_of, 1),
            ("map", map_, 1),
            ("pop", pop, 0),
            ("push", push, 1),
            ("reduce", reduce, 1),
            ("reduceRight", reduce_right, 1),
            ("reverse", reverse, 0),
            ("shift", shift, 0),
            ("slice", slice_, 2),
            ("some", some, 1),
            ("sort", sort, 1),
            ("splice", splice, 2),
            ("toLocaleString", to_locale_string, 0),
            ("toString", to_string, 0),
            ("unshift", unshift, 1),
        ))

    later(AP, prototype_methods)
    intrinsic(rt, AP, "toString", "Array.prototype.toString")
    # The original sort: toSorted must not see a patched Array.prototype.sort.
    intrinsic(rt, AP, "sort", "Array.prototype.sort")
    rt.intrinsics["Array.prototype"] = AP

"""%TypedArray%.prototype (ECMA-262 23.2.3): accessors, iteration and every method arrays have.

Each method starts with ValidateTypedArray (a detached or out-of-bounds
array is a TypeError) and reads the length once, as the spec does; element
reads after a callback go through [[Get]], so an array a callback detached
or shrank reads ``undefined`` instead of failing. Work on whole ranges
(``set`` between arrays, ``slice`` and ``subarray`` of the same type,
``copyWithin``, ``fill``, ``reverse``) is a ``bytearray`` slice copy.
"""

from __future__ import annotations

import math
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any, Callable

from .. import ops
from ..bigint import JSBigInt
from ..binary import JSTypedArray
from ..numconv import number_to_string
from ..values import (
    HIDDEN,
    SYM_ITERATOR,
    SYM_SPECIES,
    SYM_TO_STRING_TAG,
    JSObject,
    call,
    is_callable,
    range_error,
    type_error,
    undefined,
)
from .array import absolute_index, relative_index, require_comparator

if TYPE_CHECKING:
    from ..runtime import Runtime
    from .typed_array import TypedArrays


def _sort_key(x: Any) -> Any:
    """The default order (23.2.3.29 step 9): numbers ascending, -0 before +0, NaN last; BigInts by value."""
    if type(x) is JSBigInt:
        return (0, x.value, 0)
    if x != x:
        return (1, 0, 0)
    return (0, x, 0 if x == 0 and type(x) is float and math.copysign(1.0, x) < 0 else 1)


def _element_text(v: Any) -> str:
    """ToString of an element for ``join`` (``undefined`` after a shrink joins as "")."""
    if v is undefined:
        return ""
    if type(v) is JSBigInt:
        return str(v.value)
    return number_to_string(v)


def install_methods(rt: "Runtime", tas: "TypedArrays", TAP: JSObject) -> None:
    """The accessors and methods of %TypedArray%.prototype."""
    validate = tas.validate

    def accessor(name: str, read: Callable[[JSTypedArray], Any]) -> None:
        def getter(this: Any, *_: Any) -> Any:
            if not isinstance(this, JSTypedArray):
                raise type_error(f"Method get TypedArray.prototype.{name} called on incompatible receiver")
            return read(this)
        rt.define_getter(TAP, name, getter)

    accessor("buffer", lambda ta: ta.buffer)
    accessor("byteLength", lambda ta: ta.length() * ta.kind.size)
    accessor("byteOffset", lambda ta: 0 if ta.byte_span() < 0 else ta.offset)
    accessor("length", lambda ta: ta.length())
    rt.define_getter(TAP, SYM_TO_STRING_TAG,
                     lambda this, *_: this.kind.name if isinstance(this, JSTypedArray) else undefined)

    def spend(nbytes: int) -> None:
        rt.steps_left -= 1 + (nbytes >> 10)
        if rt.steps_left < 0:
            rt.tick()

    def callback(cb: Any) -> None:
        if not is_callable(cb):
            raise type_error(f"{ops.to_string(cb) if not isinstance(cb, JSObject) else '#<Object>'} is not a function")

    def visit(o: JSTypedArray, n: int, cb: Any, this_arg: Any, backward: bool = False) -> Any:
        """Call ``cb(value, index, o)`` for each index, yielding ``(index, value, result)``."""
        for k in (range(n - 1, -1, -1) if backward else range(n)):
            rt.tick()
            v = o.get(k)
            yield k, v, call(cb, this_arg, v, k, o)

    # -- iteration ------------------------------------------------------------------------------

    make_iterator = rt.intrinsics["make_array_iterator"]

    def iterator_of(kind: str) -> Callable[..., Any]:
        def method(this: Any, *_: Any) -> Any:
            return make_iterator(validate(this, f"%TypedArray%.prototype.{kind}"), kind)
        return method

    values = rt.native(iterator_of("values"), "values", 0)
    rt.intrinsics["TypedArrayValues"] = values
    TAP.write_slot("values", values, HIDDEN)
    TAP.write_slot(SYM_ITERATOR, values, HIDDEN)
    rt.define(TAP, "keys", iterator_of("keys"), 0)
    rt.define(TAP, "entries", iterator_of("entries"), 0)

    # -- reading methods ------------------------------------------------------------------------

    def at(this: Any, index: Any = undefined, *_: Any) -> Any:
        o = validate(this, "%TypedArray%.prototype.at")
        n = o.length()
        k = absolute_index(index, n)
        return o.get(int(k)) if 0 <= k < n else undefined

    def every(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> bool:
        o = validate(this, "%TypedArray%.prototype.every")
        callback(cb)
        return all(ops.truthy(r) for _, _, r in visit(o, o.length(), cb, this_arg))

    def some(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> bool:
        o = validate(this, "%TypedArray%.prototype.some")
        callback(cb)
        return any(ops.truthy(r) for _, _, r in visit(o, o.length(), cb, this_arg))

    def for_each(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
        o = validate(this, "%TypedArray%.prototype.forEach")
        callback(cb)
        for _ in visit(o, o.length(), cb, this_arg):
            pass
        return undefined

    def finder(name: str, backward: bool, want_index: bool) -> Callable[..., Any]:
        def method(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> Any:
            o = validate(this, f"%TypedArray%.prototype.{name}")
            callback(cb)
            for k, v, r in visit(o, o.length(), cb, this_arg, backward):
                if ops.truthy(r):
                    return k if want_index else v
            return -1 if want_index else undefined
        return method

    def searchable(o: JSTypedArray, x: Any) -> bool:
        """Whether ``x`` can equal an element at all (a number for number arrays, a BigInt for BigInt ones)."""
        return type(x) is JSBigInt if o.kind.bigint else type(x) is int or type(x) is float

    def includes(this: Any, x: Any = undefined, from_index: Any = undefined, *_: Any) -> bool:
        o = validate(this, "%TypedArray%.prototype.includes")
        n = o.length()
        if n == 0:
            return False
        start = relative_index(from_index, n)
        # Only the first n elements: the buffer may have grown while fromIndex was converted.
        items = o.elements()[start:n]
        if x is undefined:
            # The array may have shrunk during ToIntegerOrInfinity: reads past the end are undefined.
            return len(items) < n - start
        if not searchable(o, x):
            return False
        if x != x:
            return any(v != v for v in items)
        return x in items

    def index_of(this: Any, x: Any = undefined, from_index: Any = undefined, *_: Any) -> int:
        o = validate(this, "%TypedArray%.prototype.indexOf")
        n = o.length()
        if n == 0:
            return -1
        start = relative_index(from_index, n)
        if not searchable(o, x) or x != x:
            return -1
        items = o.elements()[:n]
        try:
            return items.index(x, start)
        except ValueError:
            return -1

    def last_index_of(this: Any, x: Any = undefined, *args: Any) -> int:
        o = validate(this, "%TypedArray%.prototype.lastIndexOf")
        n = o.length()
        if n == 0:
            return -1
        if args:
            r = ops.to_integer(args[0])
            k = int(min(r, n - 1)) if r >= 0 else int(n + r) if r != -math.inf else -1
        else:
            k = n - 1
        if not searchable(o, x) or x != x:
            return -1
        items = o.elements()
        for i in range(min(k, len(items) - 1), -1, -1):
            if items[i] == x:
                return i
        return -1

    def join(this: Any, separator: Any = undefined, *_: Any) -> str:
        o = validate(this, "%TypedArray%.prototype.join")
        n = o.length()
        sep = "," if separator is undefined else ops.to_string(separator)
        items = o.elements()[:n]
        spend(n)
        texts = [_element_text(v) for v in items] + [""] * (n - len(items))
        return rt.check_string(sep.join(texts))

    def to_locale_string(this: Any, *_: Any) -> str:
        o = validate(this, "%TypedArray%.prototype.toLocaleString")
        parts = []
        for k in range(o.length()):
            rt.tick()
            v = o.get(k)
            parts.append("" if v is undefined or v is None else ops.to_string(rt.call_method(v, "toLocaleString")))
        return rt.check_string(",".join(parts))

    def reducer(name: str, backward: bool) -> Callable[..., Any]:
        def method(this: Any, cb: Any = undefined, *args: Any) -> Any:
            o = validate(this, f"%TypedArray%.prototype.{name}")
            callback(cb)
            n = o.length()
            order = range(n - 1, -1, -1) if backward else range(n)
            it = iter(order)
            if args:
                acc = args[0]
            else:
                if n == 0:
                    raise type_error("Reduce of empty array with no initial value")
                acc = o.get(next(it))
            for k in it:
                rt.tick()
                acc = call(cb, undefined, acc, o.get(k), k, o)
            return acc
        return method

    # -- creating methods -----------------------------------------------------------------------

    def map_(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> JSTypedArray:
        o = validate(this, "%TypedArray%.prototype.map")
        callback(cb)
        n = o.length()
        out = tas.species_create(o, [n])
        for k, _, r in visit(o, n, cb, this_arg):
            out.set(k, r)
        return out

    def filter_(this: Any, cb: Any = undefined, this_arg: Any = undefined, *_: Any) -> JSTypedArray:
        o = validate(this, "%TypedArray%.prototype.filter")
        callback(cb)
        kept = [v for _, v, r in visit(o, o.length(), cb, this_arg) if ops.truthy(r)]
        out = tas.species_create(o, [len(kept)])
        for k, v in enumerate(kept):
            out.set(k, v)
        return out

    def slice_(this: Any, start: Any = undefined, end: Any = undefined, *_: Any) -> JSTypedArray:
        """%TypedArray%.prototype.slice (23.2.3.27)."""
        o = validate(this, "%TypedArray%.prototype.slice")
        n = o.length()
        first = relative_index(start, n)
        final = n if end is undefined else relative_index(end, n)
        count = max(final - first, 0)
        out = tas.species_create(o, [count])
        if count > 0:
            validate(o, "%TypedArray%.prototype.slice")
            final = min(final, o.length())
            if out.kind is o.kind:
                size = o.kind.size
                src, dst = o.buffer.data, out.buffer.data
                assert src is not None and dst is not None
                begin, stop = o.offset + first * size, o.offset + final * size
                count = min(stop - begin, max(0, out.byte_span()))
                spend(count)
                if src is dst and begin < out.offset < begin + count:
                    # An overlapping window further on: the spec's forward byte copy repeats bytes.
                    for i in range(count):
                        dst[out.offset + i] = src[begin + i]
                else:
                    dst[out.offset:out.offset + count] = src[begin:begin + count]
            else:
                for k in range(first, final):
                    rt.tick()
                    out.set(k - first, o.get(k))
        return out

    def subarray(this: Any, begin: Any = undefined, end: Any = undefined, *_: Any) -> JSTypedArray:
        """%TypedArray%.prototype.subarray (23.2.3.30): a view on the same buffer."""
        if not isinstance(this, JSTypedArray):
            raise type_error("this is not a typed array.")
        o = this
        n = o.length()
        first = relative_index(begin, n)
        size = o.kind.size
        args: list[Any] = [o.buffer, o.offset + first * size]
        if not (o.fixed is None and end is undefined):
            final = n if end is undefined else relative_index(end, n)
            args.append(max(final - first, 0))
        default = tas.constructors[o.kind.name]
        c = o.get("constructor")
        species = default
        if c is not undefined:
            if not isinstance(c, JSObject):
                raise type_error("object.constructor is not an object")
            s = c.get(SYM_SPECIES)
            species = default if s is undefined or s is None else s
        out = tas.create_from(species, args)
        if out.kind.bigint != o.kind.bigint:
            raise type_error("Content type of the species constructor's result does not match")
        return out

    def same_type(o: JSTypedArray, values: list[Any]) -> JSTypedArray:
        """TypedArrayCreateSameType with ``values`` stored (the copying methods)."""
        out = tas.allocate(o.kind, len(values))
        tas.fill_values(out, values)
        return out

    def to_reversed(this: Any, *_: Any) -> JSTypedArray:
        o = validate(this, "%TypedArray%.prototype.toReversed")
        return same_type(o, o.elements()[::-1])

    def to_sorted(this: Any, comparefn: Any = undefined, *_: Any) -> JSTypedArray:
        require_comparator(comparefn)
        o = validate(this, "%TypedArray%.prototype.toSorted")
        return same_type(o, sorted_values(o.elements(), comparefn))

    def with_(this: Any, index: Any = undefined, value: Any = undefined, *_: Any) -> JSTypedArray:
        """%TypedArray%.prototype.with (23.2.3.36): the value is converted before the index is checked."""
        o = validate(this, "%TypedArray%.prototype.with")
        n = o.length()
        k = absolute_index(index, n)
        stored = o.kind.convert(value)
        if not o.valid_index(k if type(k) is int else -1):
            raise range_error("Invalid typed array index")
        values = o.elements()[:n]
        values += [0] * (n - len(values))
        out = same_type(o, values)
        out.write(int(k), stored)
        return out

    # -- mutating methods ----------------------------------------------------------------------

    def sorted_values(values: list[Any], comparefn: Any) -> list[Any]:
        """SortIndexedProperties with the default order or a comparator (NaN results count as 0)."""
        if comparefn is undefined:
            spend(len(values))
            return sorted(values, key=_sort_key)

        def compare(a: Any, b: Any) -> int:
            rt.tick()
            r = ops.to_number(call(comparefn, undefined, a, b))
            return -1 if r < 0 else 1 if r > 0 else 0

        return sorted(values, key=cmp_to_key(compare))

    def store_all(o: JSTypedArray, values: list[Any]) -> None:
        """Write JS values back from index 0 (indices gone out of range are skipped)."""
        for k, v in enumerate(values):
            o.set_element(k, v)

    def sort(this: Any, comparefn: Any = undefined, *_: Any) -> JSTypedArray:
        require_comparator(comparefn)
        o = validate(this, "%TypedArray%.prototype.sort")
        store_all(o, sorted_values(o.elements(), comparefn))
        return o

    def reverse(this: Any, *_: Any) -> JSTypedArray:
        o = validate(this, "%TypedArray%.prototype.reverse")
        data = o.buffer.data
        assert data is not None
        size, n = o.kind.size, o.length()
        spend(n * size)
        raw = data[o.offset:o.offset + n * size]
        chunks = [raw[i:i + size] for i in range(0, len(raw), size)] if size > 1 else None
        data[o.offset:o.offset + n * size] = b"".join(reversed(chunks)) if chunks is not None else raw[::-1]
        return o

    def fill(this: Any, value: Any = undefined, start: Any = undefined, end: Any = undefined, *_: Any) -> JSTypedArray:
        """%TypedArray%.prototype.fill (23.2.3.9): the value is converted first, bounds checked again after."""
        o = validate(this, "%TypedArray%.prototype.fill")
        n = o.length()
        stored = o.kind.convert(value)
        first = relative_index(start, n)
        final = n if end is undefined else relative_index(end, n)
        validate(o, "%TypedArray%.prototype.fill")
        final = min(final, o.length())
        if final > first:
            data = o.buffer.data
            assert data is not None
            size = o.kind.size
            one = bytes([stored]) if o.kind.code == "B" else o.kind.one.pack(stored)
            spend((final - first) * size)
            data[o.offset + first * size:o.offset + final * size] = one * (final - first)
        return o

    def copy_within(this: Any, target: Any = undefined, start: Any = undefined, end: Any = undefined,
                    *_: Any) -> JSTypedArray:
        """%TypedArray%.prototype.copyWithin (23.2.3.6): a byte move within the buffer."""
        o = validate(this, "%TypedArray%.prototype.copyWithin")
        n = o.length()
        to = relative_index(target, n)
        frm = relative_index(start, n)
        final = n if end is undefined else relative_index(end, n)
        count = min(final - frm, n - to)
        if count > 0:
            validate(o, "%TypedArray%.prototype.copyWithin")
            n = o.length()
            count = min(count, n - frm, n - to)
            data = o.buffer.data
            assert data is not None
            size = o.kind.size
            if count > 0:
                spend(count * size)
                base = o.offset
                data[base + to * size:base + (to + count) * size] = data[base + frm * size:base + (frm + count) * size]
        return o

    def set_(this: Any, source: Any = undefined, offset: Any = undefined, *_: Any) -> Any:
        """%TypedArray%.prototype.set (23.2.3.26)."""
        if not isinstance(this, JSTypedArray):
            raise type_error("this is not a typed array.")
        o = this
        at = ops.to_integer(offset)
        if at < 0:
            raise range_error("offset is out of bounds")
        validate(o, "%TypedArray%.prototype.set")
        n = o.length()
        if isinstance(source, JSTypedArray):
            src = validate(source, "%TypedArray%.prototype.set")
            if src.kind.bigint != o.kind.bigint:
                raise type_error("Cannot mix BigInt and other types, use explicit conversions")
            count = src.length()
            if count + at > n:
                raise range_error("offset is out of bounds")
            k = int(at)
            if src.kind is o.kind:
                size = o.kind.size
                sdata, ddata = src.buffer.data, o.buffer.data
                assert sdata is not None and ddata is not None
                spend(count * size)
                # Slicing copies first, so overlapping windows of one buffer are safe.
                ddata[o.offset + k * size:o.offset + (k + count) * size] = \
                    sdata[src.offset:src.offset + count * size]
            else:
                for i, v in enumerate(src.elements()):
                    o.set_element(k + i, v)
            return undefined
        src_obj = rt.to_object(source)
        count = ops.to_length(src_obj.get("length"))
        if count + at > n:
            raise range_error("offset is out of bounds")
        k = int(at)
        for i in range(count):
            rt.tick()
            o.set_element(k + i, rt.get(src_obj, i))
        return undefined

    for name, fn, length in (
        ("at", at, 1),
        ("copyWithin", copy_within, 2),
        ("every", every, 1),
        ("fill", fill, 1),
        ("filter", filter_, 1),
        ("find", finder("find", False, False), 1),
        ("findIndex", finder("findIndex", False, True), 1),
        ("findLast", finder("findLast", True, False), 1),
        ("findLastIndex", finder("findLastIndex", True, True), 1),
        ("forEach", for_each, 1),
        ("includes", includes, 1),
        ("indexOf", index_of, 1),
        ("join", join, 1),
        ("lastIndexOf", last_index_of, 1),
        ("map", map_, 1),
        ("reduce", reducer("reduce", False), 1),
        ("reduceRight", reducer("reduceRight", True), 1),
        ("reverse", reverse, 0),
        ("set", set_, 1),
        ("slice", slice_, 2),
        ("some", some, 1),
        ("sort", sort, 1),
        ("subarray", subarray, 2),
        ("toLocaleString", to_locale_string, 0),
        ("toReversed", to_reversed, 0),
        ("toSorted", to_sorted, 1),
        ("with", with_, 2),
    ):
        rt.define(TAP, name, fn, length)
    # The same function object as Array.prototype.toString (23.2.3.32).
    TAP.write_slot("toString", rt.intrinsics["Array.prototype.toString"], HIDDEN)

"""The ``Iterator`` global and the ES2025 iterator helpers (ECMA-262 2025, 27.1.3 - 27.1.4).

``Iterator.prototype`` is the realm's %Iterator.prototype%, which every
built-in iterator (array, Map, Set, string, RegExp string, generator) already
inherits from, so ``[1, 2].values().map(f)`` works.

The lazy helpers (``map``, ``filter``, ``take``, ``drop``, ``flatMap``) return
an Iterator Helper object whose body is a Python generator written after the
spec's closure; it is driven like a JS generator (GeneratorResume with the
states suspended-start / suspended-yield / executing / completed). Closing
follows the spec: an abrupt completion inside a helper (a throwing callback,
``return()`` on the helper) calls ``return()`` on the underlying iterator
(IfAbruptCloseIterator), while an error from the underlying ``next()`` does
not; the eager methods (``some``, ``every``, ``find``) close it when they
stop early. Invalid arguments close the receiver before the TypeError /
RangeError (the ES2025 text).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from .. import ops
from .deferred import later, method, methods, pend
from ..values import (
    CONFIGURABLE,
    SYM_ITERATOR,
    SYM_TO_STRING_TAG,
    Accessor,
    Descriptor,
    JSFunction,
    JSObject,
    call,
    describe,
    is_callable,
    range_error,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from ..runtime import Runtime

INFINITY = float("inf")


class IteratorRecord:
    """An Iterator Record: the iterator, its ``next`` method (read once) and whether it is done."""

    __slots__ = ("iterator", "next_method", "done")

    def __init__(self, iterator: JSObject, next_method: Any) -> None:
        self.iterator = iterator
        self.next_method = next_method
        self.done = False


class JSWrappedIterator(JSObject):
    """What ``Iterator.from`` returns for an iterator that does not inherit from Iterator.prototype."""

    __slots__ = ("iterated",)
    class_name = "Object"

    def __init__(self, proto: JSObject | None, iterated: IteratorRecord) -> None:
        JSObject.__init__(self, proto)
        self.iterated = iterated


class JSIteratorHelper(JSObject):
    """An Iterator Helper: a generator-like object over ``underlying``."""

    __slots__ = ("gen", "state", "underlying")
    class_name = "Iterator Helper"

    def __init__(self, proto: JSObject | None, gen: Generator[Any, None, None], underlying: IteratorRecord) -> None:
        JSObject.__init__(self, proto)
        self.gen = gen
        self.state = "suspended-start"
        self.underlying = underlying


def get_iterator_direct(obj: JSObject) -> IteratorRecord:
    """GetIteratorDirect (7.4.2)."""
    return IteratorRecord(obj, obj.get("next"))


def step_value(rt: "Runtime", record: IteratorRecord) -> tuple[bool, Any]:
    """IteratorStepValue (7.4.8): ``(True, value)``, or ``(False, undefined)`` once done.

    Any error marks the record done (the caller must not close it).
    """
    rt.tick()
    try:
        result = call(record.next_method, record.iterator)
        if not isinstance(result, JSObject):
            raise type_error(f"Iterator result {describe(result)} is not an object")
        if ops.truthy(result.get("done")):
            record.done = True
            return False, undefined
        return True, result.get("value")
    except BaseException:
        record.done = True
        raise


def close_normal(record: IteratorRecord) -> None:
    """IteratorClose (7.4.11) with a normal completion: errors and a non-object result propagate."""
    iterator = record.iterator
    ret = iterator.get("return")
    if ret is undefined or ret is None:
        return
    outcome = call(ret, iterator)
    if not isinstance(outcome, JSObject):
        raise type_error(f"Iterator result {describe(outcome)} is not an object")


def close_abrupt(rt: "Runtime", record: IteratorRecord) -> None:
    """IteratorClose with a throw completion: ``return()`` is called, its outcome ignored."""
    try:
        ret = record.iterator.get("return")
        if ret is not undefined and ret is not None:
            call(ret, record.iterator)
    except rt.Catchable:
        pass


def install(rt: "Runtime") -> None:
    """The ``Iterator`` constructor, ``Iterator.from`` and the ``Iterator.prototype`` methods."""
    IP = rt.IteratorPrototype
    result: Callable[[Any, bool], JSObject] = rt.intrinsics["iter_result"]

    # -- the constructor (27.1.3.1) ------------------------------------------------------

    def iterator_call(this: Any, *_: Any) -> Any:
        raise type_error("Constructor Iterator requires 'new'")

    def iterator_construct(args: list[Any], new_target: Any) -> JSObject:
        if new_target is undefined or new_target is ctor:
            raise type_error("Abstract class Iterator not directly constructable")
        return JSObject(rt.proto_from(new_target, IP))

    ctor = rt.constructor("Iterator", 0, iterator_call, iterator_construct, IP)

    def ignoring_setter(key: Any, name: str) -> JSFunction:
        """SetterThatIgnoresPrototypeProperties(this, %Iterator.prototype%, key, v) (27.1.4.1.2)."""

        def setter(this: Any, value: Any = undefined, *_: Any) -> Any:
            if not isinstance(this, JSObject):
                raise type_error(f"Cannot set {name} on a non-object")
            if this is IP:
                raise type_error(f"Cannot assign to read only property '{name}' of Iterator.prototype")
            if this.get_own_property(key) is None:
                if not this.define_own_property(key, Descriptor(value, writable=True, enumerable=True,
                                                                configurable=True)):
                    raise type_error(f"Cannot add property {name}, object is not extensible")
            elif not this.set(key, value):
                raise type_error(f"Cannot assign to read only property '{name}'")
            return undefined

        return rt.native(setter, f"set {name}", 1)

    def accessors() -> None:
        # 27.1.4.1 and 27.1.4.14 (ES2025): accessors, so that assigning on an instance works.
        IP.write_slot("constructor", Accessor(rt.native(lambda this, *_: ctor, "get constructor"),
                                              ignoring_setter("constructor", "constructor")), CONFIGURABLE)
        IP.write_slot(SYM_TO_STRING_TAG, Accessor(rt.native(lambda this, *_: "Iterator",
                                                            "get [Symbol.toStringTag]"),
                                                  ignoring_setter(SYM_TO_STRING_TAG, "[Symbol.toStringTag]")),
                      CONFIGURABLE)

    # Iterator, its prototype's methods and the helper prototypes are made when a script first looks at them.
    for pending in (ctor, IP):
        pend(rt, pending)
    later(IP, accessors)

    # -- Iterator.from (27.1.3.2.1) and %WrapForValidIteratorPrototype% -----------------------

    WRAP = JSObject(IP)
    pend(rt, WRAP)

    def get_iterator_flattenable(obj: Any, iterate_strings: bool) -> IteratorRecord:
        """GetIteratorFlattenable (7.4.4)."""
        if not isinstance(obj, JSObject):
            if not (iterate_strings and type(obj) is str):
                raise type_error(f"{describe(obj)} is not an object")
        method = rt.get(obj, SYM_ITERATOR)
        if method is undefined or method is None:
            iterator = obj
        else:
            if not is_callable(method):
                raise type_error(f"{describe(method)} is not a function")
            iterator = call(method, obj)
        if not isinstance(iterator, JSObject):
            raise type_error(f"{describe(iterator)} is not an object")
        return get_iterator_direct(iterator)

    def statics() -> None:
        """Iterator.from and %WrapForValidIteratorPrototype% (27.1.3.2.1), made when a script first looks
        at Iterator."""
        def iterator_from(this: Any, o: Any = undefined, *_: Any) -> JSObject:
            record = get_iterator_flattenable(o, True)
            if _inherits(record.iterator, IP):  # OrdinaryHasInstance(%Iterator%, iterator)
                return record.iterator
            return JSWrappedIterator(WRAP, record)

        def this_wrapped(this: Any, method: str) -> JSWrappedIterator:
            if isinstance(this, JSWrappedIterator):
                return this
            raise type_error(f"Method %WrapForValidIteratorPrototype%.{method} called on incompatible receiver")

        def wrap_next(this: Any, *_: Any) -> Any:
            record = this_wrapped(this, "next").iterated
            return call(record.next_method, record.iterator)

        def wrap_return(this: Any, *_: Any) -> Any:
            iterator = this_wrapped(this, "return").iterated.iterator
            ret = iterator.get("return")
            if ret is undefined or ret is None:
                return result(undefined, True)
            return call(ret, iterator)

        method(rt, ctor, "from", iterator_from, 1)
        method(rt, WRAP, "next", wrap_next, 0)
        method(rt, WRAP, "return", wrap_return, 0)

    later(ctor, statics)

    # -- %IteratorHelperPrototype% (27.1.2.1) -------------------------------------------------

    HELPER = JSObject(IP)
    pend(rt, HELPER)
    rt.intrinsics["IteratorHelperPrototype"] = HELPER

    def helper_methods() -> None:
        """next and return of %IteratorHelperPrototype% (27.1.2.1), made when a helper is first looked at."""
        def this_helper(this: Any, method: str) -> JSIteratorHelper:
            if not isinstance(this, JSIteratorHelper):
                raise type_error(f"Method Iterator Helper.prototype.{method} called on incompatible receiver")
            if this.state == "running":
                raise type_error("Generator is already running")
            return this

        def helper_next(this: Any, *_: Any) -> JSObject:
            h = this_helper(this, "next")
            if h.state == "completed":
                return result(undefined, True)
            h.state = "running"
            try:
                value = next(h.gen)
            except StopIteration:
                h.state = "completed"
                return result(undefined, True)
            except BaseException:
                h.state = "completed"
                raise
            h.state = "suspended-yield"
            return result(value, False)

        def helper_return(this: Any, *_: Any) -> JSObject:
            h = this_helper(this, "return")
            state = h.state
            h.state = "completed" if state == "suspended-start" else "running"
            try:
                if state == "suspended-start":
                    h.gen.close()  # never started: nothing of it ran
                    close_normal(h.underlying)
                elif state == "suspended-yield":
                    h.gen.close()  # GeneratorExit at the yield: the body closes the underlying iterator
            finally:
                h.state = "completed"
            return result(undefined, True)

        method(rt, HELPER, "next", helper_next, 0)
        method(rt, HELPER, "return", helper_return, 0)

    later(HELPER, helper_methods)
    HELPER.write_slot(SYM_TO_STRING_TAG, "Iterator Helper", CONFIGURABLE)

    def prototype_methods() -> None:
        """Iterator.prototype's helper methods (27.1.4), made when a script first looks at Iterator.prototype."""
        # -- argument checks shared by the methods --------------------------------------------

        def this_object(this: Any, method: str) -> JSObject:
            if not isinstance(this, JSObject):
                raise type_error(f"Iterator.prototype.{method} called on non-object")
            return this

        def callable_or_close(o: JSObject, fn: Any) -> None:
            """If ``fn`` is not callable: close ``o`` (its ``return`` read now) and throw a TypeError."""
            if not is_callable(fn):
                close_abrupt(rt, IteratorRecord(o, undefined))
                raise type_error(f"{describe(fn)} is not a function")

        def limit_or_close(o: JSObject, limit: Any) -> float | int:
            """take/drop's limit: ToNumber (closing on error); NaN, negative or finite above 2**53 - 1
            is a RangeError after closing (ECMA-262 27.1.4.2 steps 5-9)."""
            try:
                num = ops.to_number(limit)
            except rt.Catchable:
                close_abrupt(rt, IteratorRecord(o, undefined))
                raise
            if num != num:
                close_abrupt(rt, IteratorRecord(o, undefined))
                raise range_error(f"{describe(limit)} must be a number (take/drop limit)")
            if num != INFINITY and num > ops.MAX_SAFE - 1:
                close_abrupt(rt, IteratorRecord(o, undefined))
                raise range_error(f"{describe(limit)} is larger than Number.MAX_SAFE_INTEGER (take/drop limit)")
            integer = ops.to_integer(num)
            if integer < 0:
                close_abrupt(rt, IteratorRecord(o, undefined))
                raise range_error(f"{describe(limit)} must be positive (take/drop limit)")
            return integer

        def helper(record: IteratorRecord, body: Generator[Any, None, None]) -> JSIteratorHelper:
            """CreateIteratorFromClosure(body, "Iterator Helper", %IteratorHelperPrototype%)."""
            return JSIteratorHelper(HELPER, body, record)

        def yield_or_close(record: IteratorRecord, value: Any) -> Generator[Any, None, None]:
            """``Completion(Yield(value))`` then IfAbruptCloseIterator: ``return()`` on the helper closes ``record``."""
            try:
                yield value
            except GeneratorExit:
                close_normal(record)
                raise

        def call_or_close(record: IteratorRecord, fn: Any, *args: Any) -> Any:
            """``Completion(Call(fn, undefined, args))`` then IfAbruptCloseIterator."""
            try:
                return call(fn, undefined, *args)
            except rt.Catchable:
                close_abrupt(rt, record)
                raise

        # -- lazy helpers (27.1.4.2, .4, .6, .8, .11) ---------------------------------------------

        def map_(this: Any, mapper: Any = undefined, *_: Any) -> JSIteratorHelper:
            """Iterator.prototype.map (27.1.4.8)."""
            o = this_object(this, "map")
            callable_or_close(o, mapper)
            record = get_iterator_direct(o)

            def body() -> Generator[Any, None, None]:
                counter = 0
                while True:
                    ok, value = step_value(rt, record)
                    if not ok:
                        return
                    yield from yield_or_close(record, call_or_close(record, mapper, value, counter))
                    counter += 1

            return helper(record, body())

        def filter_(this: Any, predicate: Any = undefined, *_: Any) -> JSIteratorHelper:
            """Iterator.prototype.filter (27.1.4.4)."""
            o = this_object(this, "filter")
            callable_or_close(o, predicate)
            record = get_iterator_direct(o)

            def body() -> Generator[Any, None, None]:
                counter = 0
                while True:
                    ok, value = step_value(rt, record)
                    if not ok:
                        return
                    if ops.truthy(call_or_close(record, predicate, value, counter)):
                        yield from yield_or_close(record, value)
                    counter += 1

            return helper(record, body())

        def take(this: Any, limit: Any = undefined, *_: Any) -> JSIteratorHelper:
            """Iterator.prototype.take (27.1.4.11)."""
            o = this_object(this, "take")
            remaining = limit_or_close(o, limit)
            record = get_iterator_direct(o)

            def body() -> Generator[Any, None, None]:
                left = remaining
                while True:
                    if left == 0:
                        close_normal(record)
                        return
                    if left != INFINITY:
                        left -= 1
                    ok, value = step_value(rt, record)
                    if not ok:
                        return
                    yield from yield_or_close(record, value)

            return helper(record, body())

        def drop(this: Any, limit: Any = undefined, *_: Any) -> JSIteratorHelper:
            """Iterator.prototype.drop (27.1.4.2)."""
            o = this_object(this, "drop")
            remaining = limit_or_close(o, limit)
            record = get_iterator_direct(o)

            def body() -> Generator[Any, None, None]:
                left = remaining
                while left > 0:
                    if left != INFINITY:
                        left -= 1
                    ok, _ = step_value(rt, record)
                    if not ok:
                        return
                while True:
                    ok, value = step_value(rt, record)
                    if not ok:
                        return
                    yield from yield_or_close(record, value)

            return helper(record, body())

        def flat_map(this: Any, mapper: Any = undefined, *_: Any) -> JSIteratorHelper:
            """Iterator.prototype.flatMap (27.1.4.6): inner iterables, strings rejected."""
            o = this_object(this, "flatMap")
            callable_or_close(o, mapper)
            record = get_iterator_direct(o)

            def body() -> Generator[Any, None, None]:
                counter = 0
                while True:
                    ok, value = step_value(rt, record)
                    if not ok:
                        return
                    mapped = call_or_close(record, mapper, value, counter)
                    try:
                        inner = get_iterator_flattenable(mapped, False)
                    except rt.Catchable:
                        close_abrupt(rt, record)
                        raise
                    while True:
                        try:
                            ok, inner_value = step_value(rt, inner)
                        except rt.Catchable:
                            close_abrupt(rt, record)
                            raise
                        if not ok:
                            break
                        try:
                            yield inner_value
                        except GeneratorExit:
                            try:
                                close_normal(inner)
                            except rt.Catchable:
                                close_abrupt(rt, record)
                                raise
                            close_normal(record)
                            raise
                    counter += 1

            return helper(record, body())

        # -- eager methods (27.1.4.3, .5, .7, .9, .10, .12) ---------------------------------------

        def each(this: Any, method: str, fn: Any) -> Generator[tuple[IteratorRecord, Any, int], None, None]:
            """Validate, then ``(record, value, counter)`` for every value of the receiver."""
            o = this_object(this, method)
            callable_or_close(o, fn)
            record = get_iterator_direct(o)
            counter = 0
            while True:
                ok, value = step_value(rt, record)
                if not ok:
                    return
                yield record, value, counter
                counter += 1

        def reduce(this: Any, *args: Any) -> Any:
            """Iterator.prototype.reduce (27.1.4.9)."""
            reducer = args[0] if args else undefined
            o = this_object(this, "reduce")
            callable_or_close(o, reducer)
            record = get_iterator_direct(o)
            if len(args) < 2:
                ok, accumulator = step_value(rt, record)
                if not ok:
                    raise type_error("Reduce of empty iterator with no initial value")
                counter = 1
            else:
                accumulator = args[1]
                counter = 0
            while True:
                ok, value = step_value(rt, record)
                if not ok:
                    return accumulator
                accumulator = call_or_close(record, reducer, accumulator, value, counter)
                counter += 1

        def to_array(this: Any, *_: Any) -> Any:
            """Iterator.prototype.toArray (27.1.4.12)."""
            record = get_iterator_direct(this_object(this, "toArray"))
            items: list[Any] = []
            while True:
                ok, value = step_value(rt, record)
                if not ok:
                    return rt.new_array(items)
                if len(items) >= rt.limits.max_array_length:
                    close_abrupt(rt, record)
                    raise range_error("Invalid array length")
                items.append(value)

        def for_each(this: Any, fn: Any = undefined, *_: Any) -> Any:
            """Iterator.prototype.forEach (27.1.4.7)."""
            for record, value, counter in each(this, "forEach", fn):
                call_or_close(record, fn, value, counter)
            return undefined

        def some(this: Any, predicate: Any = undefined, *_: Any) -> bool:
            """Iterator.prototype.some (27.1.4.10)."""
            for record, value, counter in each(this, "some", predicate):
                if ops.truthy(call_or_close(record, predicate, value, counter)):
                    close_normal(record)
                    return True
            return False

        def every(this: Any, predicate: Any = undefined, *_: Any) -> bool:
            """Iterator.prototype.every (27.1.4.3)."""
            for record, value, counter in each(this, "every", predicate):
                if not ops.truthy(call_or_close(record, predicate, value, counter)):
                    close_normal(record)
                    return False
            return True

        def find(this: Any, predicate: Any = undefined, *_: Any) -> Any:
            """Iterator.prototype.find (27.1.4.5)."""
            for record, value, counter in each(this, "find", predicate):
                if ops.truthy(call_or_close(record, predicate, value, counter)):
                    close_normal(record)
                    return value
            return undefined

        methods(rt, IP, (
            ("map", map_, 1),
            ("filter", filter_, 1),
            ("take", take, 1),
            ("drop", drop, 1),
            ("flatMap", flat_map, 1),
            ("reduce", reduce, 1),
            ("toArray", to_array, 0),
            ("forEach", for_each, 1),
            ("some", some, 1),
            ("every", every, 1),
            ("find", find, 1),
        ))

    later(IP, prototype_methods)


def _inherits(o: JSObject, proto: JSObject) -> bool:
    """OrdinaryHasInstance(%Iterator%, o): whether ``proto`` is on ``o``'s prototype chain."""
    p = o.get_prototype_of()
    while p is not None:
        if p is proto:
            return True
        p = p.get_prototype_of()
    return False

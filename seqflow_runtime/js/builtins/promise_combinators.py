"""Promise.all, Promise.allSettled, Promise.any and Promise.race, step by step as ES2025 27.2.4 says.

Each one steps the iterable's iterator and, for every value, calls ``C.resolve`` and
invokes ``then`` on the result before taking the next value; what throws rejects the
returned promise, closing the iterator unless the iterator itself failed. ``all`` and
``race`` hand ``then`` the capability's own reject (and ``race`` its resolve);
``allSettled``'s two element functions share one "already called" flag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .deferred import method
from ..values import HIDDEN, JSFunction, JSObject, call, is_callable, type_error, undefined
from .. import ops

if TYPE_CHECKING:
    from ..runtime import Runtime

#: NewPromiseCapability(C) as ``(promise, resolve, reject)``, each a JS value.
CapabilityOf = Callable[[Any], tuple[Any, Any, Any]]


class _IteratorRecord:
    """An Iterator Record: the iterator, its ``next`` method and whether it is done (or broken)."""

    __slots__ = ("iterator", "next_method", "done")

    def __init__(self, rt: "Runtime", iterable: Any) -> None:
        self.done = False
        self.iterator = rt.get_iterator(iterable)
        self.next_method = self.iterator.get("next")

    def step_value(self) -> tuple[bool, Any]:
        """IteratorStepValue (7.4.8): ``(True, value)`` or ``(False, undefined)`` when done."""
        self.done = True  # until it returns normally: a throwing iterator is not closed
        result = call(self.next_method, self.iterator)
        if not isinstance(result, JSObject):
            raise type_error(f"Iterator result {result} is not an object")
        if ops.truthy(result.get("done")):
            return False, undefined
        value = result.get("value")
        self.done = False
        return True, value


def install(rt: "Runtime", promise_ctor: JSFunction, capability_of: CapabilityOf) -> None:
    """Define the four combinators on ``promise_ctor``."""

    def element(fn: Callable[[Any], None]) -> JSFunction:
        """A built-in element function of length 1 running ``fn`` on its argument."""
        def run(this: Any, x: Any = undefined, *_: Any) -> Any:
            fn(x)
            return undefined
        return rt.native(run, "", 1)

    def combinator(perform: Callable[[_IteratorRecord, Any, Any, tuple[Any, Any, Any]], Any]) -> Callable[..., Any]:
        def run(this: Any, iterable: Any = undefined, *_: Any) -> Any:
            capability = capability_of(this)
            promise, _resolve, reject = capability
            record: _IteratorRecord | None = None
            try:
                resolve_static = rt.get(this, "resolve")  # GetPromiseResolve (27.2.4.1.1)
                if not is_callable(resolve_static):
                    raise type_error("Promise resolve is not a function")
                record = _IteratorRecord(rt, iterable)
                return perform(record, this, resolve_static, capability)
            except rt.Catchable as exc:
                error = rt.caught(exc)
                if record is not None and not record.done:
                    rt._close_iterator(record.iterator, suppress=True)
            call(reject, undefined, error)
            return promise
        return run

    def collect(record: _IteratorRecord, c: Any, resolve_static: Any, promise: Any, resolve: Any,
                reactions: Callable[[Callable[[Any], None]], tuple[Any, Any]]) -> Any:
        """The loop PerformPromiseAll and PerformPromiseAllSettled share (27.2.4.1.2 and 27.2.4.2.1, steps 4-6).

        For each value: ``C.resolve(value).then(...reactions(store))``, where
        ``store(x)`` puts ``x`` at the value's index once (the element's
        "already called" flag, shared by both of its reactions) and resolves
        ``promise`` with the array when the last element is in.
        """
        values: list[Any] = []
        remaining = [1]

        def finish() -> None:
            remaining[0] -= 1
            if remaining[0] == 0:
                call(resolve, undefined, rt.new_array(values))

        while True:
            more, value = record.step_value()
            if not more:
                finish()
                return promise
            index = len(values)
            values.append(undefined)
            next_promise = call(resolve_static, c, value)
            called = [False]

            def store(x: Any, index: int = index, called: list[bool] = called) -> None:
                if not called[0]:
                    called[0] = True
                    values[index] = x
                    finish()

            remaining[0] += 1
            rt.call_method(next_promise, "then", *reactions(store))

    def perform_all(record: _IteratorRecord, c: Any, resolve_static: Any, capability: tuple[Any, Any, Any]) -> Any:
        """PerformPromiseAll (27.2.4.1.2): each fulfilment stored as it is; the capability's reject."""
        promise, resolve, reject = capability
        return collect(record, c, resolve_static, promise, resolve, lambda store: (element(store), reject))

    def perform_all_settled(record: _IteratorRecord, c: Any, resolve_static: Any,
                            capability: tuple[Any, Any, Any]) -> Any:
        """PerformPromiseAllSettled (27.2.4.2.1): each outcome stored as ``{status, value | reason}``."""
        promise, resolve, _ = capability

        def settled(status: str, key: str, store: Callable[[Any], None]) -> JSFunction:
            def run(x: Any) -> None:
                o = rt.new_object()
                o.props = {"status": status, key: x}
                store(o)
            return element(run)

        return collect(record, c, resolve_static, promise, resolve,
                       lambda store: (settled("fulfilled", "value", store), settled("rejected", "reason", store)))

    def aggregate(errors: list[Any]) -> Any:
        error = rt.make_error("AggregateError", "All promises were rejected")
        error.write_slot("errors", rt.new_array(errors), HIDDEN)
        return error

    def perform_any(record: _IteratorRecord, c: Any, resolve_static: Any, capability: tuple[Any, Any, Any]) -> Any:
        """PerformPromiseAny (27.2.4.3.1)."""
        promise, resolve, reject = capability
        errors: list[Any] = []
        remaining = [1]
        while True:
            more, value = record.step_value()
            if not more:
                remaining[0] -= 1
                if remaining[0] == 0:
                    raise rt.Throw(aggregate(errors))
                return promise
            index = len(errors)
            errors.append(undefined)
            next_promise = call(resolve_static, c, value)
            called = [False]

            def on_rejected(x: Any, index: int = index, called: list[bool] = called) -> None:
                if not called[0]:
                    called[0] = True
                    errors[index] = x
                    remaining[0] -= 1
                    if remaining[0] == 0:
                        call(reject, undefined, aggregate(errors))

            remaining[0] += 1
            rt.call_method(next_promise, "then", resolve, element(on_rejected))

    def perform_race(record: _IteratorRecord, c: Any, resolve_static: Any, capability: tuple[Any, Any, Any]) -> Any:
        """PerformPromiseRace (27.2.4.5.1)."""
        promise, resolve, reject = capability
        while True:
            more, value = record.step_value()
            if not more:
                return promise
            next_promise = call(resolve_static, c, value)
            rt.call_method(next_promise, "then", resolve, reject)

    for name, perform in (("all", perform_all), ("allSettled", perform_all_settled), ("any", perform_any),
                          ("race", perform_race)):
        method(rt, promise_ctor, name, combinator(perform), 1)

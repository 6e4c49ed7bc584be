"""Async generators and ``for await``.

An ``async function*`` body is a Python generator like any async function's:
a bare ``yield x`` is ``await x``, while a JS ``yield v`` is
``yield rt.async_yield(v)``. :class:`JSAsyncGenerator` drives it: each
``next``/``return``/``throw`` call queues a request and returns a promise, and
requests are served one at a time, in order (AsyncGeneratorEnqueue/Drain).

``for await (x of it)`` runs on an :class:`AsyncIteration`: the loop awaits
``next()`` (the iterator's promise, or for a sync iterable its value), and
leaving the loop early awaits the iterator's ``return()``.
"""

from __future__ import annotations

import inspect
import sys
from typing import TYPE_CHECKING, Any, Callable, Generator, cast

from . import ops
from .values import (
    SYM_ASYNC_ITERATOR,
    SYM_ITERATOR,
    SYM_TO_STRING_TAG,
    JSFunction,
    JSObject,
    JSThrow,
    call,
    describe,
    is_callable,
    type_error,
    undefined,
)

if TYPE_CHECKING:
    from .runtime import Runtime


class AsyncYield:
    """What an async generator body yields for a JS ``yield`` (anything else is awaited).

    ``yield v`` awaits ``v`` first; ``yield*`` passes on its inner values as they are.
    """

    __slots__ = ("value", "awaits")

    def __init__(self, value: Any, awaits: bool = True) -> None:
        self.value = value
        self.awaits = awaits


class JSAsyncGenerator(JSObject):
    """An async generator object: its Python generator, state and queue of requests."""

    __slots__ = ("gen", "state", "queue")
    class_name = "AsyncGenerator"

    def __init__(self, proto: JSObject | None, gen: Any) -> None:
        JSObject.__init__(self, proto)
        self.gen = gen
        #: "start" | "yield" (suspended) | "executing" | "returning" | "completed"
        self.state = "start"
        self.queue: list[tuple[str, Any, Any]] = []


class AsyncIteration:
    """The state of one ``for await`` loop (a host object the generated code holds)."""

    __slots__ = ("rt", "iterator", "next_method", "sync", "value", "finished", "sync_done")

    def __init__(self, rt: "Runtime", iterator: JSObject, sync: bool) -> None:
        self.rt = rt
        self.iterator = iterator
        self.next_method = iterator.get("next")
        self.sync = sync
        self.value: Any = undefined
        self.finished = False
        self.sync_done = False

    def next(self) -> Any:
        """What the loop awaits: ``next()``'s promise (a sync iterator's value, for a sync iterable)."""
        self.rt.tick()
        result = call(self.next_method, self.iterator)
        if not self.sync:
            return result
        if not isinstance(result, JSObject):
            self.finished = True
            raise type_error(f"Iterator result {describe(result)} is not an object")
        self.sync_done = ops.truthy(result.get("done"))
        if self.sync_done:
            self.finished = True
        return result.get("value")

    def done(self, received: Any) -> bool:
        """Whether the awaited step ends the loop; otherwise its value becomes :attr:`value`."""
        if self.sync:
            self.value = received
            return self.sync_done
        if not isinstance(received, JSObject):
            self.finished = True
            raise type_error(f"Iterator result {describe(received)} is not an object")
        if ops.truthy(received.get("done")):
            self.finished = True
            return True
        self.value = received.get("value")
        return False

    def settle_value(self, value: Any, close_on_rejection: bool) -> Generator[Any, Any, Any]:
        """Await a sync iterator's ``value`` (AsyncFromSyncIteratorContinuation, ES2025 27.1.6.4).

        When it cannot be awaited or rejects and ``close_on_rejection`` (the iterator is
        not done, and the step was not ``return``), the sync iterator is closed first
        (IteratorClose with that throw: errors of ``return()`` give way to it).
        """
        try:
            return (yield value)
        except self.rt.Catchable:
            if close_on_rejection:
                self.finished = True
                try:
                    ret = self.iterator.get("return")
                    if ret is not undefined and ret is not None:
                        call(ret, self.iterator)
                except self.rt.Catchable:
                    pass
            raise

    def close(self) -> Generator[Any, Any, None]:
        """Leaving the loop early: call and await the iterator's ``return()`` (AsyncIteratorClose).

        While a throw leaves the loop, that error wins over any from ``return()``;
        when the generator is being discarded or a limit stops the program, nothing runs.
        """
        from .runtime import GeneratorReturn

        if self.finished:
            return
        self.finished = True
        in_flight = sys.exc_info()[1]
        if in_flight is not None and not isinstance(in_flight, (GeneratorReturn, *self.rt.Catchable)):
            return  # the generator is discarded, or a host limit stops the program: run no guest code
        try:
            ret = self.iterator.get("return")
            if ret is undefined or ret is None:
                return
            outcome = call(ret, self.iterator)
            if not self.sync:
                outcome = yield outcome
            if not isinstance(outcome, JSObject):
                raise type_error(f"Iterator result {describe(outcome)} is not an object")
        except self.rt.Catchable:
            if in_flight is None:
                raise


class AsyncIterationSupport:
    """The ``rt`` helpers for async generators and ``for await`` (mixed into the Runtime)."""

    def async_iterator(self, value: Any) -> AsyncIteration:
        """GetIterator(value, async), falling back to the sync iterator (CreateAsyncFromSyncIterator)."""
        rt = cast("Runtime", self)
        if value is None or value is undefined:
            raise type_error(f"{describe(value)} is not async iterable")
        method = rt.get(value, SYM_ASYNC_ITERATOR)
        sync = method is undefined or method is None
        if sync:
            method = rt.get(value, SYM_ITERATOR)
            if not is_callable(method):
                raise type_error(f"{describe(value)} is not async iterable")
        iterator = call(method, value)
        if not isinstance(iterator, JSObject):
            raise type_error("Result of the Symbol.asyncIterator method is not an object")
        return AsyncIteration(rt, iterator, sync)

    @staticmethod
    def async_yield(value: Any) -> AsyncYield:
        """A JS ``yield value`` inside an async generator."""
        return AsyncYield(value)

    def async_generator_function(self, py: Callable[..., Any], name: str = "",
                                 length: int | None = None) -> JSFunction:
        """An ``async function*``: calling it returns an async generator object."""
        rt = cast("Runtime", self)
        proto = async_generator_prototype(rt)
        f = rt._function(py, name, length, "generator", prototype_proto=proto,
                         proto=rt.intrinsics["AsyncGeneratorFunction.prototype"])

        def start(this: Any, *args: Any) -> JSAsyncGenerator:
            gen = rt.generator_body(py, this, args)
            own = f.get("prototype")  # read after binding the parameters, which may change it
            return JSAsyncGenerator(own if isinstance(own, JSObject) else proto, gen)

        f.fn = start
        return f

    async_generator_method = async_generator_function

    def async_delegate(self, iterable: Any) -> Generator[Any, Any, Any]:
        """``yield* iterable`` in an async generator (to ``yield from``); its value is the inner return value.

        ``next``/``throw``/``return`` requests are forwarded to the inner (async,
        or wrapped sync) iterator and its results awaited.
        """
        from .runtime import GeneratorReturn

        rt = cast("Runtime", self)
        loop = self.async_iterator(iterable)
        iterator = loop.iterator
        mode, received = "next", undefined
        while True:
            method = loop.next_method if mode == "next" else iterator.get(mode)
            if method is undefined or method is None:
                if mode == "return":
                    raise GeneratorReturn((yield received))  # Await(received.[[Value]]) first
                yield from loop.close()
                raise type_error("The iterator does not provide a 'throw' method")
            outcome = call(method, iterator, received)
            if not loop.sync:
                outcome = yield outcome
            if not isinstance(outcome, JSObject):
                raise type_error(f"Iterator result {describe(outcome)} is not an object")
            # IteratorComplete before IteratorValue (ES2025 15.5.5 yield*, and
            # AsyncFromSyncIteratorContinuation 27.1.6.4 for a sync iterator's result).
            done = ops.truthy(outcome.get("done"))
            value = outcome.get("value")
            if loop.sync:
                value = yield from loop.settle_value(value, not done and mode != "return")
            if done:
                if mode == "return":
                    raise GeneratorReturn((yield value))  # awaited, as a return from the body is
                return value
            try:
                received = yield AsyncYield(value, awaits=False)
                mode = "next"
            except GeneratorReturn as signal:
                mode, received = "return", signal.value
            except JSThrow as exc:
                mode, received = "throw", rt.caught(exc)


def async_generator_prototype(rt: "Runtime") -> JSObject:
    """%AsyncGeneratorPrototype% of the realm (made on first use)."""
    made = rt.intrinsics.get("AsyncGenerator.prototype")
    if made is not None:
        return made  # type: ignore[no-any-return]
    AIP = JSObject(rt.ObjectPrototype)
    rt.define(AIP, SYM_ASYNC_ITERATOR, lambda this, *_: this, 0)
    AGP = JSObject(AIP)
    AGP.write_slot(SYM_TO_STRING_TAG, "AsyncGenerator", 4)
    rt.intrinsics["AsyncIteratorPrototype"] = AIP
    rt.intrinsics["AsyncGenerator.prototype"] = AGP
    driver = _Driver(rt)
    for mode in ("next", "return", "throw"):
        rt.define(AGP, mode, driver.method(mode), 1)
    return AGP


class _Driver:
    """Serves the queued requests of async generators (one realm)."""

    def __init__(self, rt: "Runtime") -> None:
        self.rt = rt
        self.new_promise: Callable[[], Any] = rt.intrinsics["new_promise"]
        self.resolve: Callable[[Any, Any], None] = rt.intrinsics["resolve_promise"]
        self.reject: Callable[[Any, Any], None] = rt.intrinsics["reject_promise"]
        self.perform_then: Callable[..., None] = rt.intrinsics["perform_then"]
        self.result: Callable[[Any, bool], JSObject] = rt.intrinsics["iter_result"]

    def method(self, mode: str) -> Callable[..., Any]:
        """``AsyncGenerator.prototype[mode]``: enqueue, then drain; a promise either way."""
        def enqueue(this: Any, value: Any = undefined, *_: Any) -> Any:
            promise = self.new_promise()
            if not isinstance(this, JSAsyncGenerator):
                self.reject(promise, self.rt.make_error("TypeError", f"{mode} method called on incompatible receiver"))
                return promise
            this.queue.append((mode, value, promise))
            if this.state not in ("executing", "returning"):
                self.drain(this)
            return promise
        return enqueue

    def await_value(self, value: Any, on_ok: Callable[[Any], None], on_err: Callable[[Any], None]) -> None:
        """Await ``value`` (PromiseResolve, then a reaction); if PromiseResolve throws, ``on_err`` at once."""
        promise = value
        try:
            same = (isinstance(value, self.rt.intrinsics["JSPromise"])
                    and value.get("constructor") is self.rt.intrinsics["Promise"])
        except self.rt.Catchable as exc:
            on_err(self.rt.caught(exc))
            return
        if not same:
            promise = self.new_promise()
            self.resolve(promise, value)
        self.perform_then(promise, on_ok, on_err, None)

    def settle_head(self, g: JSAsyncGenerator, value: Any, done: bool, failed: bool = False) -> None:
        """Settle the oldest request and serve the next one."""
        _, _, promise = g.queue.pop(0)
        if failed:
            self.reject(promise, value)
        else:
            self.resolve(promise, self.result(value, done))
        self.drain(g)

    def drain(self, g: JSAsyncGenerator) -> None:
        """Serve queued requests while the generator is not running."""
        if not g.queue or g.state in ("executing", "returning"):
            return
        mode, value, _ = g.queue[0]
        if g.state == "start" and mode != "next":
            g.state = "completed"
            g.gen.close()
        if g.state == "yield" and mode == "return":
            # The body resumes with a return completion of the awaited value.
            g.state = "executing"
            self.await_value(value, lambda v: self.step(g, "return", v), lambda r: self.step(g, "throw", r))
            return
        if g.state == "completed":
            if mode == "next":
                self.settle_head(g, undefined, True)
            elif mode == "throw":
                self.settle_head(g, value, True, failed=True)
            else:
                g.state = "returning"
                self.await_value(value, lambda v: self.finish_return(g, v, False),
                                 lambda r: self.finish_return(g, r, True))
            return
        self.step(g, mode, value)

    def finish_return(self, g: JSAsyncGenerator, value: Any, failed: bool) -> None:
        """The generator is done: settle the request that ended it."""
        g.state = "completed"
        self.settle_head(g, value, True, failed)

    def step(self, g: JSAsyncGenerator, mode: str, value: Any) -> None:
        """Resume the body with ``value`` and handle where it stops next."""
        from .runtime import GeneratorReturn

        rt = self.rt
        g.state = "executing"
        try:
            if mode == "next":
                out = next(g.gen) if inspect.getgeneratorstate(g.gen) == inspect.GEN_CREATED else g.gen.send(value)
            elif mode == "throw":
                out = g.gen.throw(JSThrow(value))
            else:
                out = g.gen.throw(GeneratorReturn(value))
        except StopIteration as stop:
            if stop.value is None:
                # The body ran off its end or ran `return;`: done, with no Await (AsyncGeneratorStart).
                self.finish_return(g, undefined, False)
                return
            g.state = "returning"
            self.await_value(stop.value, lambda v: self.finish_return(g, v, False),
                             lambda r: self.finish_return(g, r, True))
            return
        except GeneratorReturn as ret:
            g.state = "completed"
            self.settle_head(g, ret.value, True)
            return
        except rt.Catchable as exc:
            g.state = "completed"
            self.settle_head(g, rt.caught(exc), True, failed=True)
            return
        if type(out) is AsyncYield and not out.awaits:
            self.yielded(g, out.value)
        elif type(out) is AsyncYield:
            # `yield v` awaits v first; a rejection is thrown back in at the yield.
            self.await_value(out.value, lambda v: self.yielded(g, v), lambda r: self.step(g, "throw", r))
        else:
            self.await_value(out, lambda v: self.step(g, "next", v), lambda r: self.step(g, "throw", r))

    def yielded(self, g: JSAsyncGenerator, value: Any) -> None:
        """The body yielded ``value`` (awaited): settle the current request with it."""
        g.state = "yield"
        self.settle_head(g, value, False)


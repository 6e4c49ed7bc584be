"""Promise, and the driver that runs ``async`` functions (Python generators) on it.

Jobs follow the spec's order: reactions and thenable resolution run as
microtasks through ``rt.jobs`` (the event loop's queue). ``await v`` is
PerformPromiseThen on PromiseResolve(v) with internal handlers, so an async
function costs no JS function objects per await.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Callable

from .. import ops
from ..values import (
    HIDDEN,
    SYM_SPECIES,
    SYM_TO_STRING_TAG,
    Accessor,
    JSFunction,
    JSObject,
    JSThrow,
    call,
    is_callable,
    type_error,
    undefined,
)

from .deferred import later, method, pend
from .promise_combinators import install as install_combinators

if TYPE_CHECKING:
    from ..runtime import Runtime

PENDING, FULFILLED, REJECTED = "pending", "fulfilled", "rejected"


class JSPromise(JSObject):
    """A promise: state, result and the reactions waiting on it."""

    __slots__ = ("state", "result", "reactions", "handled")
    class_name = "Promise"

    def __init__(self, proto: JSObject | None) -> None:
        JSObject.__init__(self, proto)
        self.state = PENDING
        self.result: Any = undefined
        # (on_fulfilled, on_rejected, derived capability or None)
        self.reactions: list[tuple[Any, Any, Any]] = []
        self.handled = False


class Capability:
    """A PromiseCapability: the promise and its resolve/reject functions."""

    __slots__ = ("promise", "resolve", "reject")

    def __init__(self, promise: Any, resolve: Any, reject: Any) -> None:
        self.promise = promise
        self.resolve = resolve
        self.reject = reject


class MicrotaskQueue:
    """The job queue (a deque of zero-argument callables)."""

    def __init__(self) -> None:
        self.queue: deque[Callable[[], Any]] = deque()

    def enqueue(self, job: Callable[[], Any]) -> None:
        """Add a job at the end."""
        self.queue.append(job)

    def run(self) -> None:
        """Run jobs until none is left (jobs may add jobs)."""
        queue = self.queue
        while queue:
            queue.popleft()()


def install(rt: "Runtime") -> None:
    """The Promise constructor and prototype, and ``rt.intrinsics['start_async']``."""
    if rt.jobs is None:
        rt.jobs = MicrotaskQueue()
    PP = JSObject(rt.ObjectPrototype)
    rt.PromisePrototype = PP
    enqueue = rt.jobs.enqueue

    def is_promise(v: Any) -> bool:
        return isinstance(v, JSPromise)

    def settle(p: JSPromise, state: str, value: Any) -> None:
        if p.state != PENDING:
            return
        reactions = p.reactions
        p.state = state
        p.result = value
        p.reactions = []
        for on_ok, on_err, cap in reactions:
            schedule(on_ok if state == FULFILLED else on_err, state, value, cap)

    def schedule(handler: Any, state: str, value: Any, cap: Capability | None) -> None:
        enqueue(lambda: reaction_job(handler, state, value, cap))

    def reaction_job(handler: Any, state: str, value: Any, cap: Capability | None) -> None:
        if handler is undefined or handler is None:
            if cap is None:
                return
            if state == FULFILLED:
                call_capability(cap.resolve, value)
            else:
                call_capability(cap.reject, value)
            return
        try:
            out = handler(value) if not isinstance(handler, JSObject) else call(handler, undefined, value)
        except rt.Catchable as exc:
            if cap is not None:
                call_capability(cap.reject, rt.caught(exc))
            return
        if cap is not None:
            call_capability(cap.resolve, out)

    def call_capability(fn: Any, value: Any) -> None:
        if isinstance(fn, JSObject):
            call(fn, undefined, value)
        else:
            fn(value)

    def resolve_promise(p: JSPromise, resolution: Any) -> None:
        """The promise resolve function's steps."""
        if p.state != PENDING:
            return
        if resolution is p:
            settle(p, REJECTED, rt.make_error("TypeError", "Chaining cycle detected for promise"))
            return
        if not isinstance(resolution, JSObject):
            settle(p, FULFILLED, resolution)
            return
        try:
            then = resolution.get("then")
        except rt.Catchable as exc:
            settle(p, REJECTED, rt.caught(exc))
            return
        if not is_callable(then):
            settle(p, FULFILLED, resolution)
            return
        enqueue(lambda: thenable_job(p, resolution, then))

    def thenable_job(p: JSPromise, thenable: JSObject, then: Any) -> None:
        resolve_fn, reject_fn = resolving_functions(p)
        try:
            call(then, thenable, resolve_fn, reject_fn)
        except rt.Catchable as exc:
            call(reject_fn, undefined, rt.caught(exc))

    def resolving_functions(p: JSPromise) -> tuple[JSFunction, JSFunction]:
        done = [False]

        def resolve(this: Any, value: Any = undefined, *_: Any) -> Any:
            if not done[0]:
                done[0] = True
                resolve_promise(p, value)
            return undefined

        def reject(this: Any, reason: Any = undefined, *_: Any) -> Any:
            if not done[0]:
                done[0] = True
                settle(p, REJECTED, reason)
            return undefined

        return rt.native(resolve, "", 1), rt.native(reject, "", 1)

    def perform_then(p: JSPromise, on_ok: Any, on_err: Any, cap: Capability | None) -> None:
        if not is_callable(on_ok) and not callable(on_ok):
            on_ok = undefined
        if not is_callable(on_err) and not callable(on_err):
            on_err = undefined
        p.handled = True
        if p.state == PENDING:
            p.reactions.append((on_ok, on_err, cap))
        elif p.state == FULFILLED:
            schedule(on_ok, FULFILLED, p.result, cap)
        else:
            schedule(on_err, REJECTED, p.result, cap)

    def new_promise(proto: JSObject | None = None) -> JSPromise:
        return JSPromise(PP if proto is None else proto)

    def new_capability(ctor: Any) -> Capability:
        if ctor is promise_ctor or ctor is undefined:
            p = new_promise()
            return Capability(p, lambda v: resolve_promise(p, v), lambda r: settle(p, REJECTED, r))
        if not isinstance(ctor, JSFunction) or not ctor.constructible:
            raise type_error("Promise resolve or reject function is not callable")
        slots: list[Any] = [undefined, undefined]

        def executor(this: Any, res: Any = undefined, rej: Any = undefined, *_: Any) -> Any:
            if slots[0] is not undefined or slots[1] is not undefined:
                raise type_error("Promise executor has already been invoked with non-undefined arguments")
            slots[0], slots[1] = res, rej
            return undefined

        promise = rt.construct(ctor, [rt.native(executor, "", 2)], ctor)
        if not is_callable(slots[0]) or not is_callable(slots[1]):
            raise type_error("Promise resolve or reject function is not callable")
        return Capability(promise, slots[0], slots[1])

    def promise_resolve(ctor: Any, value: Any) -> Any:
        if isinstance(value, JSPromise) and value.get("constructor") is ctor:
            return value
        cap = new_capability(ctor)
        call_capability(cap.resolve, value)
        return cap.promise

    # -- constructor and prototype ----------------------------------------------------

    def construct(args: list[Any], new_target: Any) -> JSPromise:
        executor = args[0] if args else undefined
        if not is_callable(executor):
            raise type_error(f"Promise resolver {ops.typeof(executor)} is not a function")
        p = new_promise(rt.proto_from(new_target, PP))
        resolve_fn, reject_fn = resolving_functions(p)
        try:
            call(executor, undefined, resolve_fn, reject_fn)
        except rt.Catchable as exc:
            call(reject_fn, undefined, rt.caught(exc))
        return p

    def call_without_new(this: Any, *args: Any) -> Any:
        raise type_error("Promise constructor cannot be invoked without 'new'")

    promise_ctor = rt.constructor("Promise", 1, call_without_new, construct, PP)
    PP.write_slot(SYM_TO_STRING_TAG, "Promise", 4)
    promise_ctor.write_slot(SYM_SPECIES, Accessor(rt.native(lambda this, *_: this, "get [Symbol.species]")), 4)
    # The statics and the prototype's methods are made when a script first looks at them.
    pend(rt, promise_ctor)
    pend(rt, PP)

    def prototype_methods() -> None:
        """then, catch and finally (27.2.5), made when a script first looks at Promise.prototype."""
        def species_ctor(p: JSObject) -> Any:
            c = p.get("constructor")
            if c is undefined:
                return promise_ctor
            if not isinstance(c, JSObject):
                raise type_error("The .constructor property is not an object")
            s = c.get(SYM_SPECIES)
            return promise_ctor if s is undefined or s is None else s

        def then(this: Any, on_ok: Any = undefined, on_err: Any = undefined, *_: Any) -> Any:
            if not is_promise(this):
                raise type_error("Promise.prototype.then called on incompatible receiver")
            cap = new_capability(species_ctor(this))
            perform_then(this, on_ok if is_callable(on_ok) else undefined,
                         on_err if is_callable(on_err) else undefined, cap)
            return cap.promise

        def catch(this: Any, on_err: Any = undefined, *_: Any) -> Any:
            return rt.call_method(this, "then", undefined, on_err)

        def finally_(this: Any, on_finally: Any = undefined, *_: Any) -> Any:
            if not isinstance(this, JSObject):
                raise type_error("Promise.prototype.finally called on a non-object")
            if not is_callable(on_finally):
                return rt.call_method(this, "then", on_finally, on_finally)
            ctor = species_ctor(this)

            def then_finally(_this: Any, value: Any = undefined, *_: Any) -> Any:
                result = call(on_finally, undefined)
                p = promise_resolve(ctor, result)
                return rt.call_method(p, "then", rt.native(lambda *a: value, "", 0))

            def catch_finally(_this: Any, reason: Any = undefined, *_: Any) -> Any:
                result = call(on_finally, undefined)
                p = promise_resolve(ctor, result)

                def thrower(*a: Any) -> Any:
                    raise JSThrow(reason)

                return rt.call_method(p, "then", rt.native(thrower, "", 0))

            return rt.call_method(this, "then", rt.native(then_finally, "", 1), rt.native(catch_finally, "", 1))

        method(rt, PP, "then", then, 2)
        method(rt, PP, "catch", catch, 1)
        method(rt, PP, "finally", finally_, 1)

    later(PP, prototype_methods)

    def statics() -> None:
        """Promise.resolve/reject/withResolvers/try and the combinators (27.2.4), made when a script
        first looks at Promise."""
        def static_resolve(this: Any, value: Any = undefined, *_: Any) -> Any:
            if not isinstance(this, JSObject):
                raise type_error("PromiseResolve called on non-object")
            return promise_resolve(this, value)

        def static_reject(this: Any, reason: Any = undefined, *_: Any) -> Any:
            cap = new_capability(this)
            call_capability(cap.reject, reason)
            return cap.promise

        def capability_functions(c: Any) -> tuple[Any, Any, Any]:
            """NewPromiseCapability(C) with JS resolve/reject functions: ``(promise, resolve, reject)``."""
            if c is promise_ctor:
                p = new_promise()
                resolve_fn, reject_fn = resolving_functions(p)
                return p, resolve_fn, reject_fn
            if not isinstance(c, JSFunction) or not c.constructible:
                raise type_error(f"{ops.to_string(c) if not isinstance(c, JSObject) else '#<Object>'} is not a constructor")
            cap = new_capability(c)
            return cap.promise, cap.resolve, cap.reject

        def with_resolvers(this: Any, *_: Any) -> JSObject:
            """Promise.withResolvers (ECMA-262 2025, 27.2.4.9): ``{promise, resolve, reject}``."""
            promise, resolve_fn, reject_fn = capability_functions(this)
            out = rt.new_object()
            out.props = {"promise": promise, "resolve": resolve_fn, "reject": reject_fn}
            return out

        def promise_try(this: Any, callback: Any = undefined, *args: Any) -> Any:
            """Promise.try (ECMA-262 2025, 27.2.4.8): call now, settle with the outcome (a throw rejects)."""
            if not isinstance(this, JSObject):
                raise type_error("Promise.try called on non-object")
            promise, resolve_fn, reject_fn = capability_functions(this)
            try:
                value = call(callback, undefined, *args)
            except rt.Catchable as exc:
                call(reject_fn, undefined, rt.caught(exc))
            else:
                call(resolve_fn, undefined, value)
            return promise

        method(rt, promise_ctor, "withResolvers", with_resolvers, 0)
        method(rt, promise_ctor, "try", promise_try, 1)
        method(rt, promise_ctor, "resolve", static_resolve, 1)
        method(rt, promise_ctor, "reject", static_reject, 1)
        install_combinators(rt, promise_ctor, capability_functions)

    later(promise_ctor, statics)

    # -- async functions -----------------------------------------------------------------

    def start_async(gen: Any) -> JSPromise:
        """Run an async function body (a generator, or a plain value) to its promise."""
        p = new_promise()
        if not hasattr(gen, "send"):
            resolve_promise(p, gen)
            return p
        step(gen, p, None, False)
        return p

    def step(gen: Any, p: JSPromise, value: Any, failed: bool) -> None:
        while True:
            try:
                if failed:
                    awaited = gen.throw(JSThrow(value))
                else:
                    awaited = gen.send(value)
            except StopIteration as stop:
                resolve_promise(p, undefined if stop.value is None else stop.value)
                return
            except rt.Catchable as exc:
                settle(p, REJECTED, rt.caught(exc))
                return
            try:
                awaited_promise = promise_resolve(promise_ctor, awaited)
            except rt.Catchable as exc:
                # Await's PromiseResolve threw (a poisoned `constructor`): thrown at the await.
                value, failed = rt.caught(exc), True
                continue
            perform_then(awaited_promise,
                         lambda v: step(gen, p, v, False),
                         lambda r: step(gen, p, r, True),
                         None)
            return

    rt.intrinsics["start_async"] = start_async
    rt.intrinsics["new_promise"] = new_promise
    rt.intrinsics["resolve_promise"] = resolve_promise
    rt.intrinsics["reject_promise"] = lambda p, r: settle(p, REJECTED, r)
    rt.intrinsics["perform_then"] = perform_then
    rt.intrinsics["JSPromise"] = JSPromise

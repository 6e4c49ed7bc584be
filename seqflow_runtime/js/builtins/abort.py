"""``AbortController`` and ``AbortSignal`` (WHATWG DOM 3.1 and 3.2).

A signal is an ``EventTarget`` (its ``abort`` listeners and ``onabort``, see
:mod:`.events`) with abort algorithms: the Python callbacks of the operations
it can cancel (a pending ``fetch`` withdraws its request). ``AbortSignal.timeout``
uses a durable timer of the event loop, so a timeout survives a pause and fires
at the same point on every replay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .. import ops
from ..values import SYM_TO_STRING_TAG, JSObject, JSThrow, type_error, undefined
from .events import JSEventTarget
from .webidl import attribute, require_new

if TYPE_CHECKING:
    from ..runtime import Runtime


class JSAbortSignal(JSEventTarget):
    """An AbortSignal: abort state, reason, abort algorithms and dependent signals (and its listeners)."""

    __slots__ = ("aborted", "reason", "algorithms", "dependents", "sources")
    class_name = "AbortSignal"

    def __init__(self, proto: JSObject | None) -> None:
        JSEventTarget.__init__(self, proto)
        self.aborted = False
        self.reason: Any = undefined
        self.algorithms: list[Callable[[], None]] = []
        self.dependents: list[JSAbortSignal] = []
        #: A dependent signal's (``AbortSignal.any``) source signals, never themselves dependent; else None.
        self.sources: list[JSAbortSignal] | None = None


class JSAbortController(JSObject):
    """An AbortController: the signal it controls."""

    __slots__ = ("signal",)
    class_name = "AbortController"

    def __init__(self, proto: JSObject | None, signal: JSAbortSignal) -> None:
        JSObject.__init__(self, proto)
        self.signal = signal


def install(rt: "Runtime") -> None:
    """``AbortController``, ``AbortSignal`` (with ``abort``, ``timeout``, ``any``)."""
    SP = JSObject(rt.intrinsics["EventTarget.prototype"])
    CP = JSObject(rt.ObjectPrototype)
    dom_exception = rt.intrinsics["new_dom_exception"]
    dispatch = rt.intrinsics["dispatch_event"]
    new_event = rt.intrinsics["new_event"]

    def new_signal() -> JSAbortSignal:
        return JSAbortSignal(SP)

    def default_reason(reason: Any) -> Any:
        return dom_exception("This operation was aborted", "AbortError") if reason is undefined else reason

    def fire(signal: JSAbortSignal) -> None:
        """Run the abort algorithms, then fire ``abort`` at the signal (DOM 3.2, "run the abort steps")."""
        for algorithm in signal.algorithms:
            algorithm()
        signal.algorithms.clear()
        dispatch(signal, new_event("abort"))

    def signal_abort(signal: JSAbortSignal, reason: Any) -> None:
        """Signal abort (DOM 3.2): reasons first, then the steps of the signal and its dependents."""
        if signal.aborted:
            return
        signal.aborted = True
        signal.reason = default_reason(reason)
        dependents = [d for d in signal.dependents if not d.aborted]
        for dependent in dependents:
            dependent.aborted = True
            dependent.reason = signal.reason
        fire(signal)
        for dependent in dependents:
            fire(dependent)

    rt.intrinsics["signal_abort"] = signal_abort

    # -- AbortController (DOM 3.1) ------------------------------------------------------

    def controller_construct(args: list[Any], new_target: Any) -> JSAbortController:
        return JSAbortController(rt.proto_from(new_target, CP), new_signal())

    rt.constructor("AbortController", 0, require_new("AbortController"), controller_construct, CP)

    def this_controller(this: Any) -> JSAbortController:
        if not isinstance(this, JSAbortController):
            raise type_error('Value of "this" must be of type AbortController')
        return this

    attribute(rt, CP, "signal", lambda this, *_: this_controller(this).signal)
    def abort(this: Any, reason: Any = undefined, *_: Any) -> Any:
        signal_abort(this_controller(this).signal, reason)
        return undefined

    rt.define(CP, "abort", abort, 0)
    CP.write_slot(SYM_TO_STRING_TAG, "AbortController", 4)

    # -- AbortSignal (DOM 3.2) ----------------------------------------------------------

    def illegal(this: Any, *_: Any) -> Any:
        raise type_error("Illegal constructor")

    ctor = rt.constructor("AbortSignal", 0, illegal, lambda args, nt: illegal(None), SP)

    def this_signal(this: Any) -> JSAbortSignal:
        if not isinstance(this, JSAbortSignal):
            raise type_error('Value of "this" must be of type AbortSignal')
        return this

    def abort_static(this: Any, reason: Any = undefined, *_: Any) -> JSAbortSignal:
        """AbortSignal.abort(reason): an already aborted signal."""
        signal = new_signal()
        signal.aborted = True
        signal.reason = default_reason(reason)
        return signal

    def timeout_static(this: Any, ms: Any = undefined, *_: Any) -> JSAbortSignal:
        """AbortSignal.timeout(ms): aborts with a TimeoutError after ``ms``, on a durable timer."""
        delay = ops.to_number(ms)
        if not (delay == delay and 0 <= delay <= 2**53 - 1):
            raise rt.error("RangeError", f'The value of "delay" is out of range. It must be >= 0 && <= '
                                         f'9007199254740991. Received {ops.to_string(ms)}')
        host = getattr(rt, "host", None)
        if host is None:
            raise type_error("timers are not available: run the script through a flow")
        signal = new_signal()

        def expire(this: Any, *_: Any) -> Any:
            signal_abort(signal, dom_exception("The operation was aborted due to timeout", "TimeoutError"))
            return undefined

        host.set_timer(float(int(delay)), rt.native(expire, "", 0), (), False)
        return signal

    def follow(sources: list[JSAbortSignal]) -> JSAbortSignal:
        """Create a dependent abort signal (DOM 3.2.1): aborted now, or when the first source is."""
        result = new_signal()
        result.sources = []
        for source in sources:
            if source.aborted:
                result.aborted = True
                result.reason = source.reason
                return result
        for source in sources:
            # A dependent source contributes its own sources: dependency is one level deep.
            for direct in source.sources if source.sources is not None else [source]:
                if all(direct is not known for known in result.sources):
                    result.sources.append(direct)
                    direct.dependents.append(result)
        return result

    rt.intrinsics["AbortSignal.any"] = follow

    def any_static(this: Any, signals: Any = undefined, *_: Any) -> JSAbortSignal:
        """AbortSignal.any(signals): aborted as soon as one of them is."""
        return follow([this_signal(source) for source in rt.iterate(signals)])

    rt.define(ctor, "abort", abort_static, 0)
    rt.define(ctor, "timeout", timeout_static, 1)
    rt.define(ctor, "any", any_static, 1)

    def throw_if_aborted(this: Any, *_: Any) -> Any:
        signal = this_signal(this)
        if signal.aborted:
            raise JSThrow(signal.reason)
        return undefined

    def set_onabort(this: Any, value: Any = undefined, *_: Any) -> Any:
        this_signal(this).set_handler("abort", value)
        return undefined

    attribute(rt, SP, "aborted", lambda this, *_: this_signal(this).aborted)
    attribute(rt, SP, "reason", lambda this, *_: this_signal(this).reason)
    rt.define(SP, "throwIfAborted", throw_if_aborted, 0)
    attribute(rt, SP, "onabort", lambda this, *_: this_signal(this).handlers.get("abort"), set_onabort)
    SP.write_slot(SYM_TO_STRING_TAG, "AbortSignal", 4)
    rt.intrinsics["AbortSignal.prototype"] = SP

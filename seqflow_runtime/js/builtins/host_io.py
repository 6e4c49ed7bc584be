"""Timers, ``queueMicrotask`` (HTML 8.6, 8.7) and ``performance.now()`` (High Resolution Time 5).

Timers are durable: the event loop keeps them and the replay driver logs each
firing, so a timer fires at the same point on every replay. ``performance``
reads the same logged clock as ``Date.now()``: its time origin is the
program's first ``performance`` reading, so ``performance.now()`` measures
whole milliseconds since then and replays to the same values. (``fetch`` is
:mod:`.fetch_api`'s.)
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .. import ops
from ..values import HIDDEN, SYM_TO_STRING_TAG, JSObject, call, is_callable, type_error, undefined
from .deferred import later, method, pend
from .webidl import attribute

if TYPE_CHECKING:
    from ..runtime import Runtime

#: The largest timer delay Node honours (ms); larger ones become 1 ms.
TIMEOUT_MAX = 2**31 - 1


def install(rt: "Runtime") -> None:
    """``setTimeout``, ``setInterval``, their ``clear`` functions and ``queueMicrotask``."""

    # -- timers ----------------------------------------------------------------------------

    def set_timer(repeat: bool) -> Any:
        def schedule(this: Any, fn: Any = undefined, delay: Any = undefined, *args: Any) -> int:
            host = getattr(rt, "host", None)
            if host is None:
                raise type_error("timers are not available: run the script through a flow")
            if not is_callable(fn):
                raise type_error("The \"callback\" argument must be of type function")
            return int(host.set_timer(timer_delay(delay), fn, args, repeat))

        return schedule

    def timer_delay(delay: Any) -> float:
        # Node's rule: a delay outside [1, 2**31 - 1] (NaN, negative, 0, huge,
        # Infinity) becomes 1 ms; too large a one is reported as Node warns.
        # The loop's clock counts whole ms, so a fraction fires at the next
        # whole ms, as in Node (and the task's wake_at is a time that is due).
        ms = ops.to_number(delay)
        if 1 <= ms <= TIMEOUT_MAX:
            return float(math.ceil(ms))
        if ms > TIMEOUT_MAX:
            rt.record_console("warn", f"TimeoutOverflowWarning: {ops.to_string(ms)} does not fit into "
                                      "a 32-bit signed integer.\nTimeout duration was set to 1.")
        return 1.0

    def clear_timer(this: Any, timer_id: Any = undefined, *_: Any) -> Any:
        # Like Node, an id is a number or its string; anything else clears nothing.
        host = getattr(rt, "host", None)
        key = ops.to_string(timer_id) if ops.is_number(timer_id) or isinstance(timer_id, str) else ""
        if host is not None and key.isdigit() and key == str(int(key)):
            host.clear_timer(int(key))
        return undefined

    def queue_microtask(this: Any, fn: Any = undefined, *_: Any) -> Any:
        if not is_callable(fn):
            raise type_error("The \"callback\" argument must be of type function")
        rt.jobs.enqueue(lambda: call(fn, undefined))
        return undefined

    for name, fn, n in (("setTimeout", set_timer(False), 2), ("setInterval", set_timer(True), 2),
                        ("clearTimeout", clear_timer, 1), ("clearInterval", clear_timer, 1),
                        ("queueMicrotask", queue_microtask, 1)):
        rt.global_object.put(name, rt.native(fn, name, n), HIDDEN)

    # -- performance (High Resolution Time 5) ------------------------------------------------

    performance = JSObject(rt.ObjectPrototype)
    origin: list[float] = []

    def time_origin() -> float:
        if not origin:
            origin.append(rt.now())
        return origin[0]

    def now(this: Any, *_: Any) -> float:
        """performance.now(): ms since the time origin, from the logged clock."""
        start = time_origin()
        return rt.now() - start

    def to_json(this: Any, *_: Any) -> JSObject:
        out = rt.new_object()
        out.put("timeOrigin", time_origin())
        return out

    pend(rt, performance)  # its methods are made when a script first looks at it
    method(rt, performance, "now", now, 0)
    later(performance, lambda: attribute(rt, performance, "timeOrigin", lambda this, *_: time_origin()))
    method(rt, performance, "toJSON", to_json, 0)
    performance.write_slot(SYM_TO_STRING_TAG, "Performance", 4)
    rt.global_object.put("performance", performance, HIDDEN)

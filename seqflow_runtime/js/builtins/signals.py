"""``waitForSignal`` and the errors of signal timeouts and cancellation (seqflow's own globals).

A signal is an event from outside the program (a human's approval, a
webhook), delivered through the task's log like a fetch response, so it
arrives at the same point on every replay. The event loop
(:class:`~seqflow_runtime.loop.EventLoop`) keeps the waits and the signals
nobody waits for yet; this module is the JS side: the global function, the
payload as a JS value, and the errors the waits reject with.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from seqflow_transpile.utf16 import from_js_string, to_js_string

from .. import ops
from ..convert import from_python
from ..values import HIDDEN, JSObject, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import JSError, Runtime

#: Longest signal name, in characters (the Python API's limit too).
MAX_SIGNAL_NAME = 255
#: The ``name`` of the error every pending wait rejects with when its task is cancelled.
CANCELLED_ERROR = "CancelledError"


def install(rt: "Runtime") -> None:
    """The ``waitForSignal`` global and the ``settle_signal``, ``signal_timeout_error`` and
    ``cancelled_error`` intrinsics the event loop uses."""
    intrinsics = rt.intrinsics

    def wait_for_signal(this: Any, name: Any = undefined, options: Any = undefined, *_: Any) -> Any:
        """waitForSignal(name, {timeout}): a promise of the payload of the next signal called ``name``."""
        host = getattr(rt, "host", None)
        if host is None:
            raise type_error("waitForSignal is not available: run the script through a flow")
        if not isinstance(name, str):
            raise type_error('The "name" argument must be of type string')
        # The host's name: astral characters as themselves, not as the JS string's surrogate pairs.
        name = from_js_string(name)
        if not 0 < len(name) <= MAX_SIGNAL_NAME:
            raise rt.error("RangeError", f"A signal name must have 1 to {MAX_SIGNAL_NAME} characters")
        return host.wait_signal(name, timeout_of(options))

    def timeout_of(options: Any) -> float | None:
        if options is undefined or options is None:
            return None
        if not isinstance(options, JSObject):
            raise type_error('The "options" argument must be of type object')
        value = rt.get(options, "timeout")
        if value is undefined:
            return None
        ms = ops.to_number(value)
        if not (ms == ms and 0 <= ms <= 2**53 - 1):
            raise rt.error("RangeError", f'The value of "timeout" is out of range. It must be >= 0 && <= '
                                         f'9007199254740991. Received {ops.to_string(value)}')
        return float(math.ceil(ms))

    def settle_signal(promise: Any, payload: Any) -> None:
        """Fulfil a wait with a signal's payload (a fresh JS value each time: the log's stays as it was)."""
        intrinsics["resolve_promise"](promise, from_python(rt, payload))

    def signal_timeout_error(name: str, ms: float) -> Any:
        """The ``TimeoutError`` DOMException a wait rejects with when its timeout passes first."""
        message = f"No signal {json.dumps(name, ensure_ascii=False)} arrived within {ops.to_string(ms)} ms"
        return intrinsics["new_dom_exception"](to_js_string(message), "TimeoutError")

    def cancelled_error(reason: str | None) -> "JSError":
        """The ``CancelledError`` (an Error; ``reason`` as given to ``Flow.cancel``, else undefined)."""
        message = "The task was cancelled" + (f": {reason}" if reason else "")
        err = rt.make_error(CANCELLED_ERROR, to_js_string(message))
        err.write_slot("name", CANCELLED_ERROR, HIDDEN)
        err.write_slot("reason", undefined if reason is None else to_js_string(reason), HIDDEN)
        return err

    intrinsics["settle_signal"] = settle_signal
    intrinsics["signal_timeout_error"] = signal_timeout_error
    intrinsics["cancelled_error"] = cancelled_error
    rt.global_object.put("waitForSignal", rt.native(wait_for_signal, "waitForSignal", 1), HIDDEN)

"""``runTask``: a script starts another task and awaits its result (seqflow's own global).

``runTask(code, { input, name })`` returns a promise. The event loop
(:class:`~seqflow_runtime.loop.EventLoop`) records the start (logged, so a
replay starts nothing again) and the Flow creates the child task in the same
storage when the parent pauses; when the child ends, its outcome reaches the
parent through the log like a fetch response: the promise fulfils with the
child's result, or rejects with a ``ChildTaskError`` when it failed or was
cancelled. This module is the JS side: the global and the settling.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from seqflow_transpile.utf16 import from_js_string, to_js_string

from ..convert import from_python, to_python
from ..values import HIDDEN, JSObject, type_error, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

#: The ``name`` of the error a child task's failure or cancellation rejects its ``runTask`` with.
CHILD_TASK_ERROR = "ChildTaskError"
#: Longest child task name, in characters (as a task name given to ``Flow.execute``).
MAX_CHILD_NAME = 255


def install(rt: "Runtime") -> None:
    """The ``runTask`` global and the ``settle_child`` intrinsic the event loop uses."""
    intrinsics = rt.intrinsics
    limits = rt.limits

    def run_task(this: Any, code: Any = undefined, options: Any = undefined, *_: Any) -> Any:
        """runTask(code, {input, name}): a promise of the result of a new task running ``code``."""
        host = getattr(rt, "host", None)
        if host is None or not hasattr(host, "start_child"):
            raise type_error("runTask is not available: run the script through a flow")
        if not isinstance(code, str):
            raise type_error('The "code" argument must be of type string')
        source = from_js_string(code)
        if len(source.encode("utf-8", "surrogatepass")) > limits.max_source_bytes:
            raise rt.error("RangeError", f"The child task's code is larger than {limits.max_source_bytes} bytes")
        name: str | None = None
        has_input, value = False, None
        if options is not undefined and options is not None:
            if not isinstance(options, JSObject):
                raise type_error('The "options" argument must be of type object')
            given_name = rt.get(options, "name")
            if given_name is not undefined:
                if not isinstance(given_name, str):
                    raise type_error('The "name" option must be of type string')
                name = from_js_string(given_name)
                if len(name) > MAX_CHILD_NAME:
                    raise rt.error("RangeError", f"A task name must have at most {MAX_CHILD_NAME} characters")
            given_input = rt.get(options, "input")
            if given_input is not undefined:
                has_input, value = True, to_python(rt, given_input)
                size = len(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
                if size > limits.max_payload_bytes:
                    raise rt.error("RangeError", f"The child task's input is {size} bytes of JSON, more than "
                                                 f"{limits.max_payload_bytes}")
        return host.start_child(source, name, has_input, value)

    def settle_child(promise: Any, outcome: dict[str, Any]) -> None:
        """Fulfil with a completed child's result, or reject with a ``ChildTaskError`` (a fresh value each time)."""
        if outcome.get("status") == "completed":
            intrinsics["resolve_promise"](promise, from_python(rt, outcome.get("result")))
            return
        status = str(outcome.get("status"))
        cause = outcome.get("error") or {}
        what = "was cancelled" if status == "cancelled" else "failed"
        detail = f"{cause.get('name', 'Error')}: {cause.get('message', '')}" if cause else "no error recorded"
        task_id = str(outcome.get("taskId"))
        err = rt.make_error("Error", to_js_string(f"Child task {task_id} {what}: {detail}"))
        err.write_slot("name", CHILD_TASK_ERROR, HIDDEN)
        err.write_slot("taskId", to_js_string(task_id), HIDDEN)
        err.write_slot("status", status, HIDDEN)
        err.write_slot("cause", from_python(rt, cause), HIDDEN)
        intrinsics["reject_promise"](promise, err)

    intrinsics["settle_child"] = settle_child
    rt.global_object.put("runTask", rt.native(run_task, "runTask", 1), HIDDEN)

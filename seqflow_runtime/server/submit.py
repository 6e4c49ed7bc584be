"""Starting a task from a request body (both APIs): checked, transpiled (a syntax error is a 400), run to its first pause."""

from __future__ import annotations

from typing import Any

from seqflow_transpile import DIALECTS, transpile

from ..task import Task
from .http import HTTPError, body_field
from .state import ServerState

#: The body fields that become the task (``Flow.execute`` takes them as the seeds' request dict).
TASK_FIELDS = ("id", "name", "code", "dialect", "input", "autoFetch", "callbackUrl")


def code_and_dialect(state: ServerState, body: dict[str, Any]) -> tuple[str, str]:
    """The body's ``code`` (within the Flow's ``max_source_bytes``, else 413) and a known ``dialect``."""
    code: str = body_field(body, "code", str, required=True)
    dialect: str = body_field(body, "dialect", str) or state.flow.flow.dialect
    if dialect not in DIALECTS:
        raise HTTPError(400, "bad_arguments", f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
    limit = state.flow.flow.limits.max_source_bytes
    if len(code.encode("utf-8", "surrogatepass")) > limit:
        raise HTTPError(413, "code_too_large", f"code is larger than max_source_bytes ({limit})")
    return code, dialect


async def start_task(state: ServerState, body: dict[str, Any]) -> Task:
    """Execute the task ``body`` describes; a syntax error raises (400 with line and column), nothing is stored."""
    code, dialect = code_and_dialect(state, body)
    if body.get("callbackUrl") is not None and not state.webhook_secret:
        raise HTTPError(400, "webhook_secret_missing", "callbackUrl needs a webhook secret to sign the webhooks: "
                                                      "start the server with --webhook-secret or "
                                                      "SEQFLOW_WEBHOOK_SECRET")
    # Transpiled (and cached) first, so bad JS is the caller's 400 rather than a stored failed task.
    await state.flow.call(transpile, code, dialect)
    request = {key: body[key] for key in TASK_FIELDS if key in body}
    task = await state.flow.call(state.flow.flow.execute, request)
    if task.status != "paused" or task.fetch_requests or task.wake_at is not None:
        state.wake_workers()  # a request to perform, a timer, or a webhook to send
    return task

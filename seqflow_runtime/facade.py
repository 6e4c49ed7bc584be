"""The seeds' static API: ``SequentialFlow.execute/resume/get_task/delete_task``.

It is the seed libraries' interface, so its dialect is ``sequential``: every
``fetch(...)`` is awaited implicitly and gives the response data, and the seed
README examples run verbatim. Requests are the seeds' dicts or keywords.

A resume that names a task the storage holds continues the stored task and
ignores the caller's ``vmState`` (storage is trusted, a caller's state is
not); only for a task the storage does not have is the ``vmState`` used,
and then only if signed (see :mod:`.state_trust`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from .errors import BadArgumentError, CodeMismatchError
from .flow import Flow
from .replay import Log
from .responses import RESPONSE_KEYS
from .state_trust import SECRET_ENV
from .storage import MemoryStorage
from .task import Task

#: fetchflow's states carry no task id of their own, so all of them are signed for this one.
_FETCHFLOW_TASK_ID = "fetchflow"
#: Signs fetchflow's states when SEQFLOW_SECRET is unset: they then resume in this process only.
_PROCESS_SECRET = secrets.token_bytes(32)


class SequentialFlow:
    """Static facade over one process-wide :class:`Flow` in the sequential dialect."""

    _flow: Flow | None = None

    @classmethod
    def _default(cls) -> Flow:
        if cls._flow is None:
            cls._flow = Flow(storage=MemoryStorage(), dialect="sequential")
        return cls._flow

    @classmethod
    def _with(cls, options: dict[str, Any] | None) -> Flow:
        if not options:
            return cls._default()
        base = cls._default()
        return Flow(storage=options.get("storage", base.storage), ttl=options.get("ttl", base.ttl),
                    limits=options.get("limits", base.limits), secret=options.get("secret"),
                    dialect=options.get("dialect", "sequential"),
                    unsafe_trust_unsigned_state=options.get("unsafe_trust_unsigned_state", False))

    @classmethod
    def set_default_storage(cls, storage: Any) -> None:
        """Use ``storage`` for every later call (the seeds' ``setDefaultStorage``)."""
        cls._flow = Flow(storage=storage, dialect="sequential")

    @classmethod
    def execute(cls, request: Any = None, options: dict[str, Any] | None = None, **kwargs: Any) -> Task:
        """``SequentialFlow.execute({"id": ..., "code": ...})`` or ``execute(code=..., id=...)``."""
        flow = cls._with(options)
        if request is None:
            return flow.execute(kwargs.pop("code", None), **kwargs)
        return flow.execute(request, **kwargs)

    @classmethod
    def resume(cls, request: Any = None, options: dict[str, Any] | None = None, **kwargs: Any) -> Task:
        """``SequentialFlow.resume({"taskId": ..., "fetchResponse": ...})`` or keywords.

        A task the storage holds is resumed from storage (the caller's
        ``vmState`` is ignored, ``originalCode`` must be its code); otherwise
        the ``vmState`` must be signed for ``taskId``.
        """
        flow = cls._with(options)
        if request is None:
            request = kwargs.pop("task_id", None) or kwargs.pop("taskId", None)
        if isinstance(request, Mapping):
            request = dict(request)
            original = request.pop("originalCode", None)
            given = request.get("vmState")
            request["vmState"] = _state_to_use(flow, request.get("taskId", request.get("id")), given, original)
            if request["vmState"] is None and given is not None:
                request["fetchResponse"] = _bound_to(request.get("fetchResponse"), given)
        else:
            kwargs["vm_state"] = _state_to_use(flow, request, kwargs.get("vm_state"),
                                               kwargs.pop("original_code", None))
        return flow.resume(request, **kwargs)

    @classmethod
    def get_task(cls, task_id: str, options: dict[str, Any] | None = None) -> Task:
        """Load a task."""
        return cls._with(options).get_task(task_id)

    @classmethod
    def delete_task(cls, task_id: str, options: dict[str, Any] | None = None) -> bool:
        """Delete a task."""
        return cls._with(options).delete_task(task_id)

    # The seeds' camelCase spellings.
    getTask = get_task
    deleteTask = delete_task
    setDefaultStorage = set_default_storage


def _state_to_use(flow: Flow, task_id: Any, vm_state: Any, original_code: Any) -> Any:
    """The caller's ``vm_state`` if the storage lacks the task, else ``None`` (resume from storage).

    ``original_code``, when given, must be the code of whichever state is used.
    """
    if original_code is not None and not isinstance(original_code, str):
        raise BadArgumentError("originalCode must be a string of JavaScript")
    if not isinstance(task_id, str) or not task_id or (vm_state is None and original_code is None):
        return vm_state  # Flow.resume reports a bad id; nothing to choose between
    stored = flow.storage.load(task_id, include_expired=True)
    code: Any
    if stored is not None:
        vm_state, code = None, stored.code
    else:
        code = vm_state.get("code") if isinstance(vm_state, Mapping) else None
    if original_code is not None and code is not None and original_code != code:
        raise CodeMismatchError(f"originalCode is not the code of task {task_id!r}", task_id=task_id)
    return vm_state


def _bound_to(fetch_response: Any, vm_state: Any) -> Any:
    """An unnamed answer named after the request outstanding in the caller's ``vmState``.

    The state the caller saw says which request it meant; binding to it means a
    stale answer is refused (``request_already_answered``) instead of answering
    the next request. The state only picks a request id here: nothing in it runs.
    """
    if not isinstance(fetch_response, Mapping) or "id" in fetch_response \
            or not RESPONSE_KEYS & set(fetch_response):
        return fetch_response  # named already, or raw data (which has no place for an id)
    outstanding = next(iter(Log.from_state(vm_state).outstanding_ids()), None)
    return fetch_response if outstanding is None else {**fetch_response, "id": outstanding}


def _execution_result(task: Task) -> dict[str, Any]:
    """fetchflow's ExecutionResult shape for a task."""
    if task.status == "paused":
        request = task.fetch_request
        return {"type": "paused", "state": task.vm_state,
                "fetchRequest": request.to_dict() if request is not None else None,
                "fetchRequests": [r.to_dict() for r in task.fetch_requests]}
    if task.status == "completed":
        return {"type": "completed", "result": task.result}
    return {"type": "error", "error": task.error, "errorDetails": task.error_details}


def _fetchflow() -> Flow:
    """A storage-less flow whose states are signed with ``SEQFLOW_SECRET`` or this process's key."""
    return Flow(storage=MemoryStorage(), secret=os.environ.get(SECRET_ENV) or _PROCESS_SECRET)


def execute_code(code: str) -> dict[str, Any]:
    """fetchflow's ``executeCode``: run until the first pause; the state travels with the caller."""
    return _execution_result(_fetchflow().execute(code, id=_FETCHFLOW_TASK_ID))


def resume_execution(state: dict[str, Any], fetch_response: Any) -> dict[str, Any]:
    """fetchflow's ``resumeExecution``: continue from a returned state with one response.

    The response's ``id`` (when it names an outstanding request) says which
    request it answers; otherwise it answers the first one.
    """
    return _execution_result(_fetchflow().resume(_FETCHFLOW_TASK_ID, fetch_response=fetch_response,
                                                 vm_state=state))


# fetchflow's camelCase spellings.
executeCode = execute_code
resumeExecution = resume_execution

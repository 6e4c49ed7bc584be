"""The seeds' static API: ``SequentialFlow.execute/resume/get_task/delete_task``.

It is the seed libraries' interface, so its dialect is ``sequential``: every
``fetch(...)`` is awaited implicitly and gives the response data, and the seed
README examples run verbatim. Requests are the seeds' dicts or keywords.
"""

from __future__ import annotations

from typing import Any

from .flow import Flow
from .storage import MemoryStorage
from .task import Task


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
        extra = {"ttl": options["ttl"]} if "ttl" in options else {}
        return Flow(storage=options.get("storage", base.storage), limits=options.get("limits", base.limits),
                    secret=options.get("secret"), dialect=options.get("dialect", "sequential"), **extra)

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

        An unnamed ``fetchResponse`` answers the request outstanding in the
        ``vmState`` given with it; an ``originalCode`` other than the task's
        code is refused (``CodeMismatchError``).
        """
        flow = cls._with(options)
        if request is None:
            request = kwargs.pop("task_id", None) or kwargs.pop("taskId", None)
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


def execute_code(code: str) -> dict[str, Any]:
    """fetchflow's ``executeCode``: run until the first pause; the state travels with the caller."""
    flow = Flow(storage=MemoryStorage())
    return _execution_result(flow.execute(code))


def resume_execution(state: dict[str, Any], fetch_response: Any) -> dict[str, Any]:
    """fetchflow's ``resumeExecution``: continue from a returned state with one response.

    The response's ``id`` (when it names an outstanding request) says which
    request it answers; otherwise it answers the first one.
    """
    flow = Flow(storage=MemoryStorage())
    return _execution_result(flow.resume("fetchflow", fetch_response=fetch_response, vm_state=state))


# fetchflow's camelCase spellings.
executeCode = execute_code
resumeExecution = resume_execution

"""``AsyncFlow``: the :class:`~seqflow_runtime.flow.Flow` API for asyncio code (Starlette, FastAPI, workers).

Every call runs on the AsyncFlow's own thread, one call at a time, and the
coroutine awaits it: the event loop never waits on storage I/O or on a
script's CPU work. One thread, not a pool, because a Flow and its hot cache
of live programs are not thread-safe, and a script's CPU work holds the GIL
anyway; for more throughput run more processes (each with its own
AsyncFlow or :class:`~seqflow_runtime.worker.Worker`) on one storage, whose
compare-and-swap saves keep them consistent.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from .errors import BadArgumentError
from .flow import _Unset, Flow
from .storage import TaskPage
from .task import Task

T = TypeVar("T")


class AsyncFlow:
    """An asyncio facade over a :class:`Flow` (given, or made from ``Flow``'s keyword arguments).

    Use it as an async context manager, or call :meth:`aclose` when done, to
    stop its thread (the Flow's storage stays open: it belongs to the Flow).
    """

    def __init__(self, flow: Flow | None = None, **flow_options: Any) -> None:
        if flow is not None and flow_options:
            raise BadArgumentError("give either a Flow or Flow options, not both")
        self.flow = flow if flow is not None else Flow(**flow_options)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seqflow-flow")

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the flow's thread (for Flow methods this class does not wrap)."""
        loop = asyncio.get_running_loop()
        # In the caller's context (as asyncio.to_thread does): its current span is the parent of the call's.
        context = contextvars.copy_context()
        return await loop.run_in_executor(self._thread, functools.partial(context.run, fn, *args, **kwargs))

    async def execute(self, code: Any, id: str | None = None, name: str | None = None,
                      dialect: str | None = None, filename: str | None = None, input: Any = _Unset.DEFAULT,
                      auto_fetch: bool = True, callback_url: str | None = None) -> Task:
        """:meth:`Flow.execute`, off the event loop."""
        return await self.call(self.flow.execute, code, id=id, name=name, dialect=dialect, filename=filename,
                               input=input, auto_fetch=auto_fetch, callback_url=callback_url)

    async def resume(self, task_id: Any, fetch_response: Any = None, responses: Mapping[str, Any] | None = None,
                     vm_state: Any = None, version: int | None = None) -> Task:
        """:meth:`Flow.resume`, off the event loop."""
        return await self.call(self.flow.resume, task_id, fetch_response=fetch_response, responses=responses,
                               vm_state=vm_state, version=version)

    async def signal(self, task_id: Any, name: Any, payload: Any = None, version: int | None = None) -> Task:
        """:meth:`Flow.signal`, off the event loop."""
        return await self.call(self.flow.signal, task_id, name, payload, version=version)

    async def cancel(self, task_id: Any, reason: Any = None, version: int | None = None) -> Task:
        """:meth:`Flow.cancel`, off the event loop."""
        return await self.call(self.flow.cancel, task_id, reason, version=version)

    async def migrate(self, task_id: str, new_code: Any) -> Task:
        """:meth:`Flow.migrate`, off the event loop."""
        return await self.call(self.flow.migrate, task_id, new_code)

    async def get_task(self, task_id: str) -> Task:
        """:meth:`Flow.get_task`, off the event loop."""
        return await self.call(self.flow.get_task, task_id)

    async def delete_task(self, task_id: str) -> bool:
        """:meth:`Flow.delete_task`, off the event loop."""
        return await self.call(self.flow.delete_task, task_id)

    async def list_tasks(self, status: str | None = None, limit: int = 100, cursor: str | None = None,
                         name: str | None = None, search: str | None = None,
                         due_before: float | None = None) -> TaskPage:
        """:meth:`Flow.list_tasks`, off the event loop."""
        return await self.call(self.flow.list_tasks, status=status, limit=limit, cursor=cursor, name=name,
                               search=search, due_before=due_before)

    async def aclose(self) -> None:
        """Let queued calls finish, then stop the thread."""
        await asyncio.get_running_loop().run_in_executor(None, self._thread.shutdown)

    async def __aenter__(self) -> AsyncFlow:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

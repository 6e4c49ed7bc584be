"""Waiting for a task to change, for the event streams, without holding the flow's thread.

A change made in this process (an API call, a step of an in-process worker)
wakes the streams of that task at once (:meth:`TaskWatch.changed`). Changes
made by other processes are seen by one poller for the whole server: every
:data:`POLL_INTERVAL` seconds it reads each watched task once (however many
streams watch it) from the storage, on a helper thread, and wakes the streams
that have not seen that version yet. So idle streams cost one storage read per
watched task per interval, and nothing on the thread that runs scripts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import SeqflowError
from ..logs import get_logger
from ..storage import Storage
from ..task import Task

logger = get_logger("server")

#: Seconds between the poller's reads of the watched tasks.
POLL_INTERVAL = 1.0


@dataclass
class _Waiter:
    """One stream waiting for a version of its task newer than ``version`` (``None``: the task is gone)."""

    version: int
    future: asyncio.Future[Task | None]


class TaskWatch:
    """The event streams' waits on tasks (see the module docstring); used from the server's event loop."""

    def __init__(self, storage: Storage, interval: float = POLL_INTERVAL) -> None:
        self.storage = storage
        self.interval = interval
        #: Open event streams, and storage reads the poller made (``/metrics``).
        self.streams = 0
        self.reads = 0
        self._waiting: dict[str, list[_Waiter]] = {}

    @contextlib.contextmanager
    def stream(self) -> Iterator[None]:
        """Counts an open event stream while the ``with`` block runs."""
        self.streams += 1
        try:
            yield
        finally:
            self.streams -= 1

    async def next(self, task_id: str, version: int, timeout: float) -> Task | None:
        """The task once its version passes ``version`` (``None`` if it was deleted or expired).

        ``TimeoutError`` after ``timeout`` seconds without a change.
        """
        waiter = _Waiter(version, asyncio.get_running_loop().create_future())
        self._waiting.setdefault(task_id, []).append(waiter)
        try:
            return await asyncio.wait_for(waiter.future, timeout)
        finally:
            waiters = self._waiting.get(task_id, [])
            if waiter in waiters:
                waiters.remove(waiter)
            if not waiters:
                self._waiting.pop(task_id, None)

    def changed(self, task_id: str, task: Task | None) -> None:
        """``task`` is the task ``task_id`` now (``None``: gone): wake the streams that saw an older version."""
        for waiter in self._waiting.get(task_id, ()):
            if not waiter.future.done() and (task is None or task.version > waiter.version):
                waiter.future.set_result(task)

    async def run(self) -> None:
        """Poll the watched tasks until cancelled."""
        while True:
            await asyncio.sleep(self.interval)
            for task_id in list(self._waiting):
                try:
                    task = await asyncio.to_thread(self.storage.load, task_id)
                except SeqflowError as exc:  # the storage, for a moment: the next round reads again
                    logger.warning("event streams: reading task %s failed: %s", task_id, exc)
                    continue
                self.reads += 1
                self.changed(task_id, task)

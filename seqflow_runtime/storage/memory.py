"""In-process storage: a dict guarded by a lock. The default for tests and one-shot runs.

Tasks are deep-copied on the way in and out (:meth:`Task.copy`), so neither
the task given to ``save`` nor one returned by ``load`` or ``list`` shares a
list or dict with what is stored.
"""

from __future__ import annotations

import bisect
import threading

from ..errors import VersionConflictError
from ..task import Task
from .base import Storage, TaskPage, check_limit, current_time, matches


class MemoryStorage(Storage):
    """Tasks kept in this process's memory; copies go in and out, so callers cannot alias them."""

    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}
        self._lock = threading.Lock()

    def save(self, task: Task, expected_version: int | None) -> None:
        """Compare-and-swap under the lock."""
        with self._lock:
            current = self._tasks.get(task.id)
            stored = current.version if current is not None else None
            if stored != expected_version:
                raise VersionConflictError(
                    f"task {task.id!r} is at version {stored}, not {expected_version}",
                    task_id=task.id,
                )
            self._tasks[task.id] = task.copy()

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """A copy of the stored task, or ``None``."""
        with self._lock:
            task = self._tasks.get(task_id)
        if task is None or (not include_expired and task.expired(current_time())):
            return None
        return task.copy()

    def delete(self, task_id: str) -> bool:
        """Remove the task if present."""
        with self._lock:
            return self._tasks.pop(task_id, None) is not None

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """Page by ascending id."""
        check_limit(limit)
        t = current_time()
        with self._lock:
            ids = sorted(self._tasks)
            start = bisect.bisect_right(ids, cursor) if cursor is not None else 0
            out: list[Task] = []
            for task_id in ids[start:]:
                task = self._tasks[task_id]
                if task.expired(t) or not matches(task, status, wake_before):
                    continue
                if len(out) == limit:
                    return TaskPage(out, out[-1].id)
                out.append(task.copy())
        return TaskPage(out, None)

    def sweep(self, now: float | None = None) -> int:
        """Drop expired tasks."""
        t = current_time() if now is None else now
        with self._lock:
            dead = [k for k, v in self._tasks.items() if v.expired(t)]
            for k in dead:
                del self._tasks[k]
        return len(dead)

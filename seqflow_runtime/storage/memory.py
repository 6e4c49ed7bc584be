"""In-process storage: a dict guarded by a lock. The default for tests and one-shot runs.

Leases live in a second dict under the same lock, so a claim is atomic.
Tasks are deep-copied on the way in and out (:meth:`Task.copy`), so neither
the task given to ``save`` nor one returned by ``load`` or ``list`` shares a
list or dict with what is stored.
"""

from __future__ import annotations

import bisect
import threading

from ..errors import VersionConflictError
from ..task import Task
from .base import Claimed, Storage, TaskPage, check_lease, check_limit, current_time, due_at, matches


class MemoryStorage(Storage):
    """Tasks kept in this process's memory; copies go in and out, so callers cannot alias them."""

    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}
        #: Task id -> (when it is due, from the stored shape; or None).
        self._due: dict[str, float | None] = {}
        #: Task id -> (holder, lease end).
        self._leases: dict[str, tuple[str, float]] = {}
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
            stored_task = task.copy()
            self._tasks[task.id] = stored_task
            self._due[task.id] = due_at(stored_task.to_dict())

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
            self._due.pop(task_id, None)
            self._leases.pop(task_id, None)
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
                self._due.pop(k, None)
                self._leases.pop(k, None)
        return len(dead)

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Lease the oldest due, unleased tasks, under the lock."""
        check_lease(worker_id, lease_seconds, limit)
        with self._lock:
            due = sorted((when, task_id) for task_id, when in self._due.items()
                         if when is not None and when <= now and not self._tasks[task_id].expired(now)
                         and self._leases.get(task_id, ("", now))[1] <= now)
            claimed = [task_id for _, task_id in due[:limit]]
            for task_id in claimed:
                self._leases[task_id] = (worker_id, now + lease_seconds)
            return [self._tasks[task_id].copy() for task_id in claimed]

    def renew(self, task_id: str, worker_id: str, lease_until: float) -> bool:
        """Move the lease's end if ``worker_id`` still holds it."""
        with self._lock:
            if self._leases.get(task_id, ("", 0.0))[0] != worker_id:
                return False
            self._leases[task_id] = (worker_id, lease_until)
            return True

    def release(self, task_id: str, worker_id: str) -> bool:
        """Drop the lease if ``worker_id`` holds it."""
        with self._lock:
            if self._leases.get(task_id, ("", 0.0))[0] != worker_id:
                return False
            del self._leases[task_id]
            return True

    def next_due(self) -> float | None:
        """The earliest due time, or lease end if later, over all due tasks."""
        with self._lock:
            times = [max(when, self._leases.get(task_id, ("", when))[1])
                     for task_id, when in self._due.items() if when is not None]
        return min(times, default=None)

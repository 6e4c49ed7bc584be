"""In-process storage: a dict guarded by a lock. The default for tests and one-shot runs.

Leases live in a second dict under the same lock, so a claim is atomic.
Each task is kept as the other backends store it: a small head and its
append-only lists (log events, requests, console lines; see
:func:`~.base.split_task`). A save copies the head and only the entries new
since the version it loaded, so a step costs the same at any log length.
What goes in and out is deep-copied, so neither the task given to ``save``
nor one returned by ``load`` or ``list`` shares a list or dict with what is
stored; stored entries are never changed, only added to.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from typing import Any

from ..errors import VersionConflictError
from ..task import Task, copy_json
from .base import (
    Claimed,
    Counts,
    Storage,
    TaskPage,
    appendable,
    batch_after,
    check_lease,
    check_limit,
    current_time,
    due_at,
    head_counts,
    head_task,
    join_task,
    mark_saved,
    matches,
    split_task,
)

_NAME = "MemoryStorage"


@dataclass
class _Stored:
    """One stored task: its head (private), its lists (private; only ever extended) and the head as a Task."""

    head: dict[str, Any]
    parts: list[list[Any]]
    task: Task

    def counts(self) -> Counts:
        return head_counts(self.head, _NAME, self.task.id)


class MemoryStorage(Storage):
    """Tasks kept in this process's memory; copies go in and out, so callers cannot alias them."""

    def __init__(self) -> None:
        self._tasks: dict[str, _Stored] = {}
        #: Task id -> (when it is due, from the stored shape; or None).
        self._due: dict[str, float | None] = {}
        #: Task id -> (holder, lease end).
        self._leases: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def save(self, task: Task, expected_version: int | None) -> None:
        """Compare-and-swap under the lock; the copying happens outside it."""
        data = task.to_dict()
        start = appendable(task, expected_version, data)
        head, counts = split_task(data)
        head = copy_json(head)
        new = copy_json(batch_after(data, start or (0, 0, 0)))
        view = head_task(head, _NAME, task.id)
        with self._lock:
            current = self._tasks.get(task.id)
            stored = current.task.version if current is not None else None
            if stored != expected_version:
                raise VersionConflictError(
                    f"task {task.id!r} is at version {stored}, not {expected_version}",
                    task_id=task.id,
                )
            if current is not None and start is not None and current.counts() == start:
                parts = current.parts
                for part, entries in zip(parts, new):
                    part.extend(entries or ())
            else:
                if start is not None:  # the writer's idea of what is stored is not what is
                    new = copy_json(batch_after(data, (0, 0, 0)))
                parts = [list(entries or ()) for entries in new]
            self._tasks[task.id] = _Stored(head, parts, view)
            self._due[task.id] = due_at(data)
        mark_saved(task, counts)

    def _copy_out(self, stored: _Stored, lengths: list[int]) -> Task:
        """A private copy of a stored task with ``lengths`` entries of each list (read under the lock)."""
        return join_task(copy_json(stored.head), [copy_json([part[:n] for part, n in zip(stored.parts, lengths)])],
                         _NAME, stored.task.id)

    def _snapshot(self, task_id: str) -> tuple[_Stored, list[int]] | None:
        """The stored task and its lists' lengths now (lists only grow, so the prefix stays valid)."""
        stored = self._tasks.get(task_id)
        return None if stored is None else (stored, [len(part) for part in stored.parts])

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """A copy of the stored task, or ``None``."""
        with self._lock:
            found = self._snapshot(task_id)
        if found is None or (not include_expired and found[0].task.expired(current_time())):
            return None
        return self._copy_out(*found)

    def load_head(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """A copy of the stored task's head (its lists empty), or ``None``."""
        with self._lock:
            stored = self._tasks.get(task_id)
        if stored is None or (not include_expired and stored.task.expired(current_time())):
            return None
        return head_task(copy_json(stored.head), _NAME, task_id)

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
            found: list[tuple[_Stored, list[int]]] = []
            more = False
            for task_id in ids[start:]:
                stored = self._tasks[task_id]
                if stored.task.expired(t) or not matches(stored.task, status, wake_before):
                    continue
                if len(found) == limit:
                    more = True
                    break
                found.append((stored, [len(part) for part in stored.parts]))
        out = [self._copy_out(*item) for item in found]
        return TaskPage(out, out[-1].id if more else None)

    def sweep(self, now: float | None = None) -> int:
        """Drop expired tasks."""
        t = current_time() if now is None else now
        with self._lock:
            dead = [k for k, v in self._tasks.items() if v.task.expired(t)]
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
                         if when is not None and when <= now and not self._tasks[task_id].task.expired(now)
                         and self._leases.get(task_id, ("", now))[1] <= now)
            claimed = [task_id for _, task_id in due[:limit]]
            found = []
            for task_id in claimed:
                self._leases[task_id] = (worker_id, now + lease_seconds)
                found.append((self._tasks[task_id], [len(part) for part in self._tasks[task_id].parts]))
        return [self._copy_out(*item) for item in found]

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

"""Storages with only the seeds' interface: ``save(task)``, ``load(id)``, ``delete(id)``.

Such a storage has no versions or listing, so it is wrapped: saves are not
compare-and-swap (last writer wins, as the seeds behave), ``list`` and
``sweep`` are unavailable, and TTL is checked on load.
"""

from __future__ import annotations

from typing import Any

from ..errors import BadArgumentError
from ..task import Task
from .base import Storage, TaskPage, current_time


class LegacyStorage(Storage):
    """Adapts an object with ``save(task)``/``load(id)``/``delete(id)`` to :class:`Storage`."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def save(self, task: Task, expected_version: int | None) -> None:
        """Hand the task to the inner storage (no version check is possible)."""
        self.inner.save(task)

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """The inner storage's task (a Task, or its ``to_dict`` form)."""
        found = self.inner.load(task_id)
        if found is None:
            return None
        task = found if isinstance(found, Task) else Task.from_dict(dict(found))
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def delete(self, task_id: str) -> bool:
        """Delete through the inner storage."""
        result = self.inner.delete(task_id)
        return bool(result) if result is not None else True

    def list(self, status: str | None = None, limit: int = 100, cursor: str | None = None,
             wake_before: float | None = None) -> TaskPage:
        """Not available: the seeds' interface cannot list."""
        raise BadArgumentError("this storage only has save/load/delete; it cannot list tasks")

    def sweep(self, now: float | None = None) -> int:
        """Not available: the seeds' interface cannot enumerate expired tasks."""
        raise BadArgumentError("this storage only has save/load/delete; it cannot sweep")


def adapt_storage(storage: Any) -> Storage:
    """``storage`` itself if it is a :class:`Storage`, else a :class:`LegacyStorage` around it."""
    if isinstance(storage, Storage):
        return storage
    if all(callable(getattr(storage, name, None)) for name in ("save", "load", "delete")):
        return LegacyStorage(storage)
    raise BadArgumentError("storage must implement save, load and delete")

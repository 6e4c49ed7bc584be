"""One JSON file per task in a directory; safe across processes on one machine.

Writes go to a temporary file that is renamed over the task's file, so a reader
never sees half a task. Compare-and-swap holds an exclusive ``flock`` on a
per-task lock file while it reads the stored version and renames.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

from ..errors import CorruptStateError, StorageError, VersionConflictError
from ..task import Task
from .base import Storage, TaskPage, check_limit, current_time, matches

_SUFFIX = ".json"


def _file_stem(task_id: str) -> str:
    """A file name for a task id: readable, with '/', NUL and a leading '.' escaped."""
    stem = quote(task_id, safe="")
    # Names starting with '.' are this storage's temporary files (and '.'/'..' are not files).
    return "%2E" + stem[1:] if stem.startswith(".") else stem


class FileStorage(Storage):
    """Tasks as ``<dir>/<quoted id>.json``; the directory is created on first use."""

    def __init__(self, directory: str | os.PathLike[str] = ".seqflow") -> None:
        self.directory = Path(directory)

    def _path(self, task_id: str) -> Path:
        return self.directory / (_file_stem(task_id) + _SUFFIX)

    @contextlib.contextmanager
    def _locked(self, task_id: str) -> Iterator[None]:
        self.migrate()
        lock_path = self.directory / (_file_stem(task_id) + ".lock")
        with open(lock_path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def migrate(self) -> None:
        """Create the directory."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"FileStorage cannot create {self.directory}: {exc}") from exc

    def _read(self, path: Path) -> Task | None:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"FileStorage cannot read {path.name}: {exc}") from exc
        try:
            return Task.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise CorruptStateError(f"FileStorage: {path.name} is not valid JSON") from exc

    def save(self, task: Task, expected_version: int | None) -> None:
        """Atomic write-then-rename under the task's lock."""
        path = self._path(task.id)
        data = json.dumps(task.to_dict(), separators=(",", ":"))
        with self._locked(task.id):
            current = self._read(path)
            stored = current.version if current is not None else None
            if stored != expected_version:
                raise VersionConflictError(
                    f"task {task.id!r} is at version {stored}, not {expected_version}",
                    task_id=task.id,
                )
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the task's file."""
        task = self._read(self._path(task_id))
        if task is None or (not include_expired and task.expired(current_time())):
            return None
        return task

    def delete(self, task_id: str) -> bool:
        """Remove the task's file (and its lock file)."""
        with self._locked(task_id):
            try:
                self._path(task_id).unlink()
            except FileNotFoundError:
                return False
        with contextlib.suppress(OSError):
            (self.directory / (_file_stem(task_id) + ".lock")).unlink()
        return True

    def _ids(self) -> list[str]:
        if not self.directory.exists():
            return []
        return sorted(
            unquote(p.name[: -len(_SUFFIX)])
            for p in self.directory.iterdir()
            if p.name.endswith(_SUFFIX) and not p.name.startswith(".")
        )

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """Page by ascending id, reading each file."""
        check_limit(limit)
        t = current_time()
        out: list[Task] = []
        for task_id in self._ids():
            if cursor is not None and task_id <= cursor:
                continue
            task = self._read(self._path(task_id))
            if task is None or task.expired(t) or not matches(task, status, wake_before):
                continue
            if len(out) == limit:
                return TaskPage(out, out[-1].id)
            out.append(task)
        return TaskPage(out, None)

    def sweep(self, now: float | None = None) -> int:
        """Delete expired tasks' files."""
        t = current_time() if now is None else now
        count = 0
        for task_id in self._ids():
            task = self._read(self._path(task_id))
            if task is not None and task.expired(t) and self.delete(task_id):
                count += 1
        return count

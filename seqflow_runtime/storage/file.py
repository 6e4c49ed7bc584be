"""One file per task in a directory; safe across processes on one machine.

A task file is a sequence of checksummed records (:mod:`.records`): a save
appends one record (the task's small head and the log entries new since the
version the writer loaded), so a step costs the same at any log length, and a
record torn by a crash is detected and ignored. A new task, a save that
cannot append (an earlier release's file, a writer that did not load the
stored log) and the save that ends a task (compaction) write the whole task
as one record to a temporary file that is renamed over the task's file, so a
reader never sees half a task. Compare-and-swap holds an exclusive ``flock``
on a per-task lock file while it reads the stored version (the last record's
head, read from the end of the file) and appends or renames.

The lock file is removed by ``delete`` while the lock is still held. A process
that was waiting on the removed file then holds a lock nobody else can see,
so after every ``flock`` the locker checks that the path still names the file
it locked, and starts again if not: two lockers can never both proceed.
Worker leases are ``<id>.lease`` files (holder and end, JSON), written only
while holding an exclusive ``flock`` on the directory's ``.claims.lock``, so a
claim (find the due tasks without a live lease, write their lease files) is
atomic across processes. A writer killed mid-save leaves its ``.tmp-*`` file behind; ``sweep`` removes
those older than ``tmp_grace`` seconds, and lock files of tasks that do not exist.
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

from ..errors import StorageError, VersionConflictError
from ..task import Task
from .base import (
    Claimed,
    Counts,
    Storage,
    TaskPage,
    appendable,
    batch_after,
    check_lease,
    check_limit,
    counts_of,
    current_time,
    due_at,
    head_counts,
    head_task,
    join_task,
    mark_saved,
    matches,
    split_task,
    stored_task,
)
from .records import Contents, last_head, record, scan

_SUFFIX = ".json"
_LOCK_SUFFIX = ".lock"
_TMP_PREFIX = ".tmp-"
_LEASE_SUFFIX = ".lease"
_CLAIMS_LOCK = ".claims.lock"

DEFAULT_TMP_GRACE = 3600.0
"""Seconds a ``.tmp-*`` file may live before ``sweep`` takes it for a killed writer's leftover."""


def _file_stem(task_id: str) -> str:
    """A file name for a task id: readable, with '/', NUL and a leading '.' escaped."""
    stem = quote(task_id, safe="")
    # Names starting with '.' are this storage's temporary files (and '.'/'..' are not files).
    return "%2E" + stem[1:] if stem.startswith(".") else stem


def _still_named(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the open file ``fd`` (not removed or replaced since)."""
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


class FileStorage(Storage):
    """Tasks as ``<dir>/<quoted id>.json``; the directory is created on first use."""

    def __init__(
        self, directory: str | os.PathLike[str] = ".seqflow", *, tmp_grace: float = DEFAULT_TMP_GRACE
    ) -> None:
        self.directory = Path(directory)
        self.tmp_grace = tmp_grace

    def _path(self, task_id: str) -> Path:
        return self.directory / (_file_stem(task_id) + _SUFFIX)

    def _lock_path(self, task_id: str) -> Path:
        return self.directory / (_file_stem(task_id) + _LOCK_SUFFIX)

    def _lease_path(self, task_id: str) -> Path:
        return self.directory / (_file_stem(task_id) + _LEASE_SUFFIX)

    @contextlib.contextmanager
    def _claims_locked(self) -> Iterator[None]:
        """Hold the directory's claims lock (never removed, so no re-check is needed)."""
        self._make_directory()
        try:
            fd = os.open(self.directory / _CLAIMS_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StorageError(f"FileStorage cannot open {_CLAIMS_LOCK}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _lease(self, task_id: str) -> tuple[str, float] | None:
        """The task's lease (holder, end), or ``None``; an unreadable lease file counts as none."""
        try:
            lease = json.loads(self._lease_path(task_id).read_text(encoding="ascii"))
            return str(lease["owner"]), float(lease["until"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_lease(self, task_id: str, worker_id: str, until: float) -> None:
        self._write(self._lease_path(task_id), json.dumps({"owner": worker_id, "until": until}).encode("ascii"))

    def _due_tasks(self) -> list[tuple[float, Task]]:
        """Every due task with its due time (read from the files)."""
        out: list[tuple[float, Task]] = []
        for task_id in self._ids():
            task = self._read(self._path(task_id), task_id)
            when = None if task is None else due_at(task.to_dict())
            if task is not None and when is not None:
                out.append((when, task))
        return out

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Under the claims lock: the oldest due tasks without a live lease get lease files."""
        check_lease(worker_id, lease_seconds, limit)
        with self._claims_locked():
            claimed: Claimed = []
            for when, task in sorted(self._due_tasks(), key=lambda item: item[0]):
                if len(claimed) == limit or when > now:
                    break
                lease = self._lease(task.id)
                if task.expired(now) or (lease is not None and lease[1] > now):
                    continue
                self._write_lease(task.id, worker_id, now + lease_seconds)
                claimed.append(task)
            return claimed

    def renew(self, task_id: str, worker_id: str, lease_until: float) -> bool:
        """Rewrite the lease file if ``worker_id`` holds it."""
        with self._claims_locked():
            lease = self._lease(task_id)
            if lease is None or lease[0] != worker_id:
                return False
            self._write_lease(task_id, worker_id, lease_until)
            return True

    def release(self, task_id: str, worker_id: str) -> bool:
        """Remove the lease file if ``worker_id`` holds it."""
        with self._claims_locked():
            lease = self._lease(task_id)
            if lease is None or lease[0] != worker_id:
                return False
            with contextlib.suppress(FileNotFoundError):
                self._lease_path(task_id).unlink()
            return True

    def next_due(self) -> float | None:
        """The earliest time a due task is unleased."""
        times = []
        for when, task in self._due_tasks():
            lease = self._lease(task.id)
            times.append(max(when, lease[1]) if lease is not None else when)
        return min(times, default=None)

    @contextlib.contextmanager
    def _locked(self, task_id: str, *, blocking: bool = True) -> Iterator[bool]:
        """Hold the task's lock (yields ``False`` if ``blocking=False`` and it is taken)."""
        self._make_directory()
        lock_path = self._lock_path(task_id)
        while True:
            try:
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise StorageError(f"FileStorage cannot open {lock_path.name}: {exc}") from exc
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    yield False
                    return
                if not _still_named(fd, lock_path):
                    continue  # removed (or replaced) while we waited: lock the current one
                yield True
                return
            finally:
                os.close(fd)  # closing releases the flock

    def migrate(self) -> None:
        """Create the directory."""
        self._make_directory()

    def _make_directory(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"FileStorage cannot create {self.directory}: {exc}") from exc

    def _contents(self, path: Path, task_id: str) -> Contents | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"FileStorage cannot read {path.name}: {exc}") from exc
        return scan(raw, path.name, task_id)

    def _read(self, path: Path, task_id: str) -> Task | None:
        contents = self._contents(path, task_id)
        if contents is None:
            return None
        if contents.head is None:
            assert contents.whole is not None
            return stored_task(contents.whole, counts_of(contents.whole), "FileStorage", task_id)
        return join_task(contents.head, contents.batches, "FileStorage", task_id)

    def _stored(self, path: Path, task_id: str) -> tuple[int | None, Counts | None, int]:
        """The stored version, counts (``None``: an earlier release's file) and end of the last whole record.

        Reads the last record only, unless the tail is torn or the file older.
        """
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None, None, 0
        except OSError as exc:
            raise StorageError(f"FileStorage cannot read {path.name}: {exc}") from exc
        try:
            size = os.fstat(fd).st_size
            head = last_head(fd, size)
        finally:
            os.close(fd)
        if head is None:
            contents = self._contents(path, task_id)
            if contents is None:
                return None, None, 0
            if contents.head is None:
                assert contents.whole is not None
                return stored_task(contents.whole, (None, None, None), "FileStorage", task_id).version, None, size
            head, size = contents.head, contents.end
        task = head_task(head, "FileStorage", task_id)
        return task.version, head_counts(head, "FileStorage", task_id), size

    def save(self, task: Task, expected_version: int | None) -> None:
        """Append a record (or write the whole task and rename it into place) under the task's lock."""
        path = self._path(task.id)
        data = task.to_dict()
        start = appendable(task, expected_version, data)
        if task.status != "paused":
            start = None  # the save that ends a task compacts it: a finished task's file is one record
        head, counts = split_task(data)
        with self._locked(task.id):
            stored, stored_counts, end = self._stored(path, task.id)
            if stored != expected_version:
                raise VersionConflictError(
                    f"task {task.id!r} is at version {stored}, not {expected_version}",
                    task_id=task.id,
                )
            if start is not None and stored_counts == start:
                self._append(path, end, record(head, batch_after(data, start)))
            else:
                self._write(path, record(head, batch_after(data, (0, 0, 0))))
        mark_saved(task, counts)

    def _append(self, path: Path, end: int, data: bytes) -> None:
        """Write ``data`` at ``end`` (cutting off a torn tail past it) and sync it; on failure, cut it off again."""
        try:
            fd = os.open(path, os.O_WRONLY)
        except OSError as exc:
            raise StorageError(f"FileStorage cannot write {path.name}: {exc}") from exc
        try:
            if os.fstat(fd).st_size != end:
                os.ftruncate(fd, end)
            written = os.pwrite(fd, data, end)
            if written != len(data):
                raise OSError(f"short write ({written} of {len(data)} bytes)")
            os.fdatasync(fd)
        except BaseException as exc:
            # Unsynced or partial, the record must not become the task: "not written" stays true.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, end)
            if isinstance(exc, OSError):
                raise StorageError(f"FileStorage cannot write {path.name}: {exc}") from exc
            raise
        finally:
            os.close(fd)

    def _write(self, path: Path, data: bytes) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=_TMP_PREFIX)
        except OSError as exc:
            raise StorageError(f"FileStorage cannot write {path.name}: {exc}") from exc
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            if isinstance(exc, OSError):
                raise StorageError(f"FileStorage cannot write {path.name}: {exc}") from exc
            raise

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the task's file."""
        task = self._read(self._path(task_id), task_id)
        if task is None or (not include_expired and task.expired(current_time())):
            return None
        return task

    def load_head(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the task's last record only (the whole file if it is torn or of an earlier release)."""
        path = self._path(task_id)
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"FileStorage cannot read {path.name}: {exc}") from exc
        try:
            head = last_head(fd, os.fstat(fd).st_size)
        finally:
            os.close(fd)
        task = self._read(path, task_id) if head is None else head_task(head, "FileStorage", task_id)
        if task is None or (not include_expired and task.expired(current_time())):
            return None
        return task

    def delete(self, task_id: str) -> bool:
        """Remove the task's file and, still holding it, its lock file."""
        with self._locked(task_id):
            try:
                self._path(task_id).unlink()
                return True
            except FileNotFoundError:
                return False
            finally:
                with contextlib.suppress(OSError):
                    self._lease_path(task_id).unlink()
                with contextlib.suppress(OSError):
                    self._lock_path(task_id).unlink()

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
            task = self._read(self._path(task_id), task_id)
            if task is None or task.expired(t) or not matches(task, status, wake_before):
                continue
            if len(out) == limit:
                return TaskPage(out, out[-1].id)
            out.append(task)
        return TaskPage(out, None)

    def sweep(self, now: float | None = None) -> int:
        """Delete expired tasks' files, then killed writers' leftovers; return the tasks deleted."""
        t = current_time() if now is None else now
        count = 0
        for task_id in self._ids():
            task = self._read(self._path(task_id), task_id)
            if task is not None and task.expired(t) and self.delete(task_id):
                count += 1
        self._sweep_leftovers()
        return count

    def _sweep_leftovers(self) -> None:
        """Remove stale ``.tmp-*`` files and lock files whose task does not exist."""
        if not self.directory.exists():
            return
        cutoff = current_time() - self.tmp_grace
        for entry in os.scandir(self.directory):
            if entry.name.startswith(_TMP_PREFIX):
                with contextlib.suppress(FileNotFoundError):
                    if entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
            elif entry.name.endswith(_LOCK_SUFFIX):
                task_id = unquote(entry.name[: -len(_LOCK_SUFFIX)])
                # Only a free lock: its holder may be about to create the task.
                with self._locked(task_id, blocking=False) as held:
                    if held and not self._path(task_id).exists():
                        with contextlib.suppress(FileNotFoundError):
                            self._lock_path(task_id).unlink()

"""The storage interface every backend implements, and the page type ``list`` returns.

Contract (the conformance suite in ``tests/storage`` checks it for every backend):

- ``save(task, expected_version)`` writes atomically. ``expected_version`` is the
  version the writer read: ``None`` means "the task must not exist yet". If the
  stored version differs, nothing is written and ``VersionConflictError`` is raised.
  So of N racing writers that read the same version, exactly one succeeds.
- ``load(task_id)`` returns the task, or ``None`` when it does not exist or its
  ``expires_at`` has passed (``include_expired=True`` returns it anyway).
- ``delete(task_id)`` returns whether a task was removed.
- ``list(status, limit, cursor, wake_before)`` pages by ascending id; the page's
  ``next_cursor`` is passed back to get the next page, ``None`` at the end.
- ``sweep(now)`` deletes expired tasks and returns how many.
- Leases, for workers (see :mod:`seqflow_runtime.worker`): ``claim(worker_id, now,
  lease_seconds, limit)`` atomically leases up to ``limit`` runnable tasks (see
  :func:`due_at`) whose due time has come and that no one holds a live lease on,
  oldest due first; a claimed task is invisible to every other claimer until
  its lease ends. ``renew`` extends a lease its holder still has, ``release``
  gives it up, ``next_due`` says when a claim could next find something.
  Saves do not look at leases: a holder's saves stay compare-and-swap, so a
  holder whose lease ran out and was taken over fails with
  ``VersionConflictError`` instead of overwriting the new holder's work.

Every backend's operations are timed and logged at DEBUG level on the
``seqflow.storage`` logger (operation, task id, version, outcome, milliseconds);
nothing is printed unless the application turns that logger on.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadArgumentError, CorruptStateError, StorageError
from ..task import StoredLog, Task, from_iso


log = logging.getLogger("seqflow.storage")
"""Where storage timings go (DEBUG level; silent unless the application enables it)."""

_TIMED = ("save", "load", "load_head", "delete", "list", "sweep", "migrate", "claim", "renew", "release")


def _timed(adapter: str, op: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` logging its duration, the task id and version, and its outcome."""

    @functools.wraps(method)
    def timed(self: Storage, *args: Any, **kwargs: Any) -> Any:
        if not log.isEnabledFor(logging.DEBUG):
            return method(self, *args, **kwargs)
        subject = args[0] if args else kwargs.get("task", kwargs.get("task_id"))
        task_id = subject.id if isinstance(subject, Task) else subject
        version = subject.version if isinstance(subject, Task) else None
        outcome = "ok"
        started = time.perf_counter()
        try:
            result = method(self, *args, **kwargs)
            if isinstance(result, Task):
                version = result.version
            elif op in ("load", "load_head"):
                outcome = "not found"
            return result
        except BaseException as exc:
            outcome = type(exc).__name__
            raise
        finally:
            millis = (time.perf_counter() - started) * 1000
            log.debug("%s.%s id=%r version=%s %s %.2f ms", adapter, op, task_id, version, outcome,
                      millis)

    return timed


Claimed = list[Task]
"""What :meth:`Storage.claim` returns (named here: inside the class, ``list`` is a method)."""


@dataclass
class TaskPage:
    """One page of :meth:`Storage.list`: the tasks and the cursor for the next page."""

    tasks: list[Task] = field(default_factory=list)
    next_cursor: str | None = None


class Storage(ABC):
    """Base class of the storage backends; see the module docstring for the contract."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Time every operation a backend defines (see :data:`log`)."""
        super().__init_subclass__(**kwargs)
        for name in _TIMED:
            if name in cls.__dict__:
                setattr(cls, name, _timed(cls.__name__, name, cls.__dict__[name]))

    @abstractmethod
    def save(self, task: Task, expected_version: int | None) -> None:
        """Write ``task`` if the stored version is ``expected_version`` (``None``: absent)."""

    @abstractmethod
    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """The stored task, or ``None`` if missing (or expired, unless ``include_expired``)."""

    def load_head(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """The stored task without reading its log, for a caller that holds the log already.

        Its ``events``, ``requests`` and ``logs`` may come back empty; its
        :attr:`Task.stored` says how many entries storage holds of each, so a
        caller whose copy has exactly as many (at the same version) may put
        its copy in their place. Backends that store tasks whole return
        :meth:`load`'s task.
        """
        return self.load(task_id, include_expired=include_expired)

    @abstractmethod
    def delete(self, task_id: str) -> bool:
        """Remove the task; ``True`` if there was one."""

    @abstractmethod
    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """Unexpired tasks in ascending id order after ``cursor``, filtered by status/wake time."""

    @abstractmethod
    def sweep(self, now: float | None = None) -> int:
        """Delete every task whose ``expires_at`` is at or before ``now``; return the count."""

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Lease up to ``limit`` due, unleased tasks to ``worker_id`` until ``now + lease_seconds``."""
        raise StorageError(f"{type(self).__name__} cannot lease tasks to workers")

    def renew(self, task_id: str, worker_id: str, lease_until: float) -> bool:
        """Extend ``worker_id``'s lease on the task to ``lease_until``; ``False`` if it no longer holds it."""
        raise StorageError(f"{type(self).__name__} cannot lease tasks to workers")

    def release(self, task_id: str, worker_id: str) -> bool:
        """End ``worker_id``'s lease on the task (others may claim it); ``False`` if it held none."""
        raise StorageError(f"{type(self).__name__} cannot lease tasks to workers")

    def next_due(self) -> float | None:
        """The earliest time a claim could find a task (due and unleased by then), or ``None``."""
        raise StorageError(f"{type(self).__name__} cannot lease tasks to workers")

    def count_by_status(self) -> dict[str, int]:
        """How many unexpired tasks have each status (statuses without tasks left out).

        This default pages through :meth:`list`; backends with an index on the
        status count there (:func:`count_query`).
        """
        counts: dict[str, int] = {}
        cursor = None
        while True:
            page = self.list(limit=SCAN_PAGE, cursor=cursor)
            for task in page.tasks:
                counts[task.status] = counts.get(task.status, 0) + 1
            if page.next_cursor is None:
                return counts
            cursor = page.next_cursor

    def listen(self, wake: Callable[[], None]) -> Callable[[], None] | None:
        """Call ``wake`` (from another thread) whenever a task may have become claimable.

        Returns the function that stops listening, or ``None`` when the backend
        cannot notify (workers then poll :meth:`next_due` at a bounded interval).
        """
        return None

    def migrate(self) -> None:
        """Create tables, indexes or key layouts if the backend needs them (idempotent)."""

    def close(self) -> None:
        """Release connections; the storage is not used afterwards."""


def encode_task(data: dict[str, Any]) -> str:
    """A task's ``to_dict`` form as the JSON text every backend stores, byte for byte.

    Stored as text (never a database's native JSON or map type) so it reads
    back exactly: object key order, ``-0.0``, float spelling and big integers
    are kept, and ASCII escapes carry ``\\u0000`` and lone surrogates, which
    JS strings may hold and UTF-8 (or PostgreSQL text) cannot.
    """
    return json.dumps(data, separators=(",", ":"), ensure_ascii=True)


def decode_task(text: object, adapter: str, task_id: str) -> Task:
    """Read :func:`encode_task`'s text back (a whole task); anything else is ``CorruptStateError``."""
    return parse_stored(text, None, adapter, task_id)


#: The append-only parts of a task's JSON shape: (where, key). ``None`` as where: the top level.
_PARTS = (("vmState", "events"), ("vmState", "requests"), (None, "logs"))

Counts = tuple[int | None, int | None, int | None]
"""Lengths of the append-only parts (events, requests, logs); ``None`` for a part that is not a list."""


def _part(data: dict[str, Any], where: str | None, key: str) -> Any:
    holder = data if where is None else data.get(where)
    return holder.get(key) if isinstance(holder, dict) else None


def counts_of(data: dict[str, Any]) -> Counts:
    """The lengths of ``data``'s append-only parts (a ``to_dict`` shape)."""
    lengths = [len(value) if isinstance(value, list) else None
               for value in (_part(data, where, key) for where, key in _PARTS)]
    return lengths[0], lengths[1], lengths[2]


#: The key of a head (see :func:`split_task`) that holds its counts; never in a task's ``to_dict`` shape.
HEAD_KEY = "appendOnly"


def split_task(data: dict[str, Any]) -> tuple[dict[str, Any], Counts]:
    """The head of a task (its ``to_dict`` shape without the append-only lists) and the lists' counts.

    Each list is replaced by its length where it stood, so :func:`join_task`
    puts it back in its place (key order is part of the bytes a task reads
    back as), and the counts are also under :data:`HEAD_KEY`. A head is small
    whatever the log's length. A release that expected whole tasks reads a
    head's vmState as corrupt (its ``events`` are a number), never as an empty log.
    """
    counts = counts_of(data)
    head = _filled(data, counts, (len, len, len))
    head[HEAD_KEY] = list(counts)
    return head, counts


def _filled(data: dict[str, Any], counts: Counts, fill: tuple[Callable[[Any], Any], ...]) -> dict[str, Any]:
    """``data`` with each counted part replaced by ``fill[i]`` of its value (shallow: the rest is shared)."""
    out = dict(data)
    out.pop(HEAD_KEY, None)
    if counts[0] is not None or counts[1] is not None:
        swap = {key: fill[index] for index, (_, key) in enumerate(_PARTS[:2]) if counts[index] is not None}
        out["vmState"] = {key: swap[key](value) if key in swap else value for key, value in data["vmState"].items()}
    if counts[2] is not None:
        out["logs"] = fill[2](data["logs"])
    return out


def batch_after(data: dict[str, Any], start: Counts) -> list[Any]:
    """The entries of ``data``'s append-only parts past ``start`` (``[events, requests, logs]``, ``None`` for no list)."""
    return [value[begin or 0:] if isinstance(value, list) else None
            for value, begin in zip((_part(data, where, key) for where, key in _PARTS), start)]


def encode_batch(batch: list[Any]) -> str:
    """A batch of :func:`batch_after` as stored text (the same exact JSON as :func:`encode_task`)."""
    return json.dumps(batch, separators=(",", ":"), ensure_ascii=True)


def head_counts(head: dict[str, Any], adapter: str, task_id: str) -> Counts:
    """The counts a head (of :func:`split_task`) records; a malformed record is ``CorruptStateError``."""
    counts = head.get(HEAD_KEY)
    if not isinstance(counts, list) or len(counts) != 3 or not all(
            c is None or (isinstance(c, int) and not isinstance(c, bool) and c >= 0) for c in counts):
        raise CorruptStateError(f"{adapter}: task {task_id!r} has a malformed head", task_id=task_id)
    return counts[0], counts[1], counts[2]


def is_head(data: object) -> bool:
    """Whether stored JSON is a head (this release's layout) rather than a whole task (earlier releases)."""
    return isinstance(data, dict) and HEAD_KEY in data


def join_task(head: dict[str, Any], batches: Sequence[Any], adapter: str, task_id: str) -> Task:
    """The task a head and its batches (in write order) make; a count that does not add up is ``CorruptStateError``.

    The task comes back with :attr:`Task.stored` set, so its next save appends.
    """
    counts = head_counts(head, adapter, task_id)
    parts: list[list[Any]] = [[], [], []]
    for batch in batches:
        if not isinstance(batch, list) or len(batch) != 3 \
                or not all(entries is None or isinstance(entries, list) for entries in batch):
            raise CorruptStateError(f"{adapter}: task {task_id!r} has a malformed log batch", task_id=task_id)
        for part, entries in zip(parts, batch):
            if entries:
                part.extend(entries)
    if any(len(part) != (count or 0) for part, count in zip(parts, counts)):
        raise CorruptStateError(f"{adapter}: task {task_id!r}'s stored log does not match its head "
                                f"({[len(p) for p in parts]} entries for {list(counts)})", task_id=task_id)
    data = _filled(head, counts, tuple(_constant(part) for part in parts))
    return stored_task(data, counts, adapter, task_id)


def stored_task(data: Any, counts: Counts, adapter: str, task_id: str) -> Task:
    """``Task.from_dict(data)``, marked as holding ``counts`` entries in storage (see :attr:`Task.stored`)."""
    if not isinstance(data, dict):
        raise CorruptStateError(f"{adapter}: task {task_id!r} is not a JSON object", task_id=task_id)
    task = Task.from_dict(data)
    task.stored = StoredLog(task.version, *counts)
    return task


def head_task(head: dict[str, Any], adapter: str, task_id: str) -> Task:
    """The task of a head alone: its append-only lists empty, :attr:`Task.stored` saying how long they are.

    What :meth:`Storage.load_head` returns; never to be saved as it is.
    """
    counts = head_counts(head, adapter, task_id)
    task = stored_task(_filled(head, counts, (_empty, _empty, _empty)), counts, adapter, task_id)
    task.stored = StoredLog(task.version, *counts, partial=True)
    return task


def _empty(_: Any) -> list[Any]:
    return []


def _constant(value: list[Any]) -> Callable[[Any], list[Any]]:
    return lambda _: value


def appendable(task: Task, expected_version: int | None, data: dict[str, Any]) -> Counts | None:
    """The stored counts a save of ``task`` may append after, or ``None`` when it must write the whole task.

    A save appends when it is a step from what storage holds: the task was
    loaded (or saved) at ``expected_version``, its version is past that, and
    its lists are at least as long. A backend appends only when these counts
    equal the ones it holds at ``expected_version`` (checked inside its
    compare-and-swap). Entries already stored are never compared: a writer
    that changed them sets ``task.stored = None``.
    """
    stored = task.stored
    if stored is not None and stored.partial:
        raise BadArgumentError(f"task {task.id!r} came from load_head and has no log: save a loaded task, "
                               "or put its whole log in first")
    if stored is None or expected_version is None or stored.version != expected_version \
            or task.version <= expected_version:
        return None  # not a step from what storage holds (a step advances the version): write it all
    start: Counts = (stored.events, stored.requests, stored.logs)
    now = counts_of(data)
    for before, after in zip(start, now):
        if (before is None) != (after is None) or (before or 0) > (after or 0):
            return None
    return start


def mark_saved(task: Task, counts: Counts) -> None:
    """Record on ``task`` that storage now holds ``counts`` entries at its version."""
    task.stored = StoredLog(task.version, *counts)


def encode_counts(counts: Counts) -> str:
    """Counts as the text SQL backends keep beside a head (compared as text inside their compare-and-swap)."""
    return json.dumps(list(counts), separators=(",", ":"))


def parse_stored(data: object, batches: str | None, adapter: str, task_id: str) -> Task:
    """A task from stored text: a head (then ``batches`` are its log's texts joined by commas, in save order)
    or, written by an earlier release, a whole task."""
    value = decode_json(data, adapter, task_id)
    if not is_head(value):
        return stored_task(value, counts_of(value) if isinstance(value, dict) else (None, None, None),
                           adapter, task_id)
    return join_task(value, decode_json(f"[{batches or ''}]", adapter, task_id), adapter, task_id)


def parse_head(data: object, adapter: str, task_id: str) -> Task:
    """:meth:`Storage.load_head`'s task from stored text: a head's, or an earlier release's whole task."""
    value = decode_json(data, adapter, task_id)
    return head_task(value, adapter, task_id) if is_head(value) else parse_stored(data, None, adapter, task_id)


def decode_json(text: object, adapter: str, task_id: str) -> Any:
    """Stored JSON text (or UTF-8 bytes) as data; anything else is ``CorruptStateError``."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if not isinstance(text, str):
        raise CorruptStateError(f"{adapter}: task {task_id!r} has no JSON text", task_id=task_id)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorruptStateError(f"{adapter}: task {task_id!r} is not valid JSON", task_id=task_id) from exc


def current_time() -> float:
    """The current time in epoch seconds (one place, so tests read one clock)."""
    return time.time()


def due_at(data: dict[str, Any]) -> float | None:
    """When a worker should pick up a task, from its persisted (``to_dict``) shape.

    A paused task waiting on requests is due at once (its ``updatedAt``, so the
    longest waiting go first), unless a client answers them (``autoFetch``
    false); one waiting only on a timer (or on a client) is due at ``wakeAt``,
    or at ``checkAt`` if earlier (a look at its child tasks). A finished task
    whose webhook is still to be sent (see :mod:`seqflow_runtime.webhooks`) is
    due at its next attempt. Anything else
    (finished, or waiting only on a signal) is never due.
    """
    if data.get("status") != "paused":
        webhook = data.get("webhook")
        webhook = webhook if isinstance(webhook, dict) else {}
        if not data.get("callbackUrl") or webhook.get("state", "pending") != "pending":
            return None
        return from_iso(webhook.get("nextAt") or data.get("updatedAt"))
    if data.get("fetchRequests") and data.get("autoFetch", True):
        return from_iso(data.get("updatedAt"))
    times = [t for t in (from_iso(data.get("wakeAt")), from_iso(data.get("checkAt"))) if t is not None]
    return min(times) if times else None


def check_lease(worker_id: str, lease_seconds: float, limit: int) -> None:
    """Validate :meth:`Storage.claim`'s arguments."""
    if not isinstance(worker_id, str) or not worker_id or len(worker_id) > 200:
        raise BadArgumentError("worker_id must be a non-empty string of at most 200 characters")
    if not isinstance(lease_seconds, (int, float)) or isinstance(lease_seconds, bool) \
            or not 0 < lease_seconds < 86400 * 365:
        raise BadArgumentError(f"lease_seconds must be a positive number of seconds, got {lease_seconds!r}")
    check_limit(limit)


def matches(task: Task, status: str | None, wake_before: float | None) -> bool:
    """The ``list`` filter for backends that filter in Python."""
    if status is not None and task.status != status:
        return False
    if wake_before is not None and (task.wake_at is None or task.wake_at > wake_before):
        return False
    return True


def list_query(table: str, placeholder: str, status: str | None, cursor: str | None,
               wake_before: float | None, limit: int, columns: str = "id, data") -> tuple[str, tuple[Any, ...]]:
    """The SQL backends' ``list`` query: unexpired rows after ``cursor``, one extra row to see if more follow."""
    where = [f"(expires_at IS NULL OR expires_at > {placeholder})"]
    params: list[Any] = [current_time()]
    for clause, value in (("id > ", cursor), ("status = ", status), ("wake_at <= ", wake_before)):
        if value is not None:
            where.append(clause + placeholder)
            params.append(value)
    params.append(limit + 1)
    sql = f"SELECT {columns} FROM {table} WHERE {' AND '.join(where)} ORDER BY id LIMIT {placeholder}"
    return sql, tuple(params)


def count_query(table: str, placeholder: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL backends' ``count_by_status`` query: unexpired rows grouped by status."""
    return (f"SELECT status, COUNT(*) FROM {table} WHERE expires_at IS NULL OR expires_at > {placeholder}"
            " GROUP BY status", (current_time(),))


def rows_to_page(rows: Sequence[Sequence[Any]], limit: int, parse: Callable[[Sequence[Any]], Task]) -> TaskPage:
    """A page from ``list_query``'s rows (the extra row only says a next page exists); each row starts with the id."""
    tasks = [parse(row) for row in rows[:limit]]
    return TaskPage(tasks, tasks[-1].id if len(rows) > limit else None)


#: Tasks read per ``list`` call while :func:`filtered_page` scans for a name or search text.
SCAN_PAGE = 500


def filtered_page(storage: Storage, status: str | None, wake_before: float | None, cursor: str | None,
                  limit: int, name: str | None, search: str | None) -> TaskPage:
    """A page of tasks with the name ``name`` and/or ``search`` in their id or name (case-insensitive).

    For every backend alike: the backend filters by status and wake time, and
    this scan over its pages by the rest (the task name lives in the stored
    JSON, not in a column), so its cost grows with the tasks it skips.
    """
    needle = None if search is None else search.casefold()
    out: list[Task] = []
    scan = cursor
    while True:
        page = storage.list(status=status, limit=SCAN_PAGE, cursor=scan, wake_before=wake_before)
        for task in page.tasks:
            if name is not None and task.name != name:
                continue
            if needle is not None and needle not in task.id.casefold() \
                    and needle not in (task.name or "").casefold():
                continue
            if len(out) == limit:
                return TaskPage(out, out[-1].id)
            out.append(task)
        if page.next_cursor is None:
            return TaskPage(out, None)
        scan = page.next_cursor


def check_limit(limit: int) -> int:
    """Validate a page size (1..10000)."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 10000:
        raise BadArgumentError(f"limit must be an integer from 1 to 10000, got {limit!r}")
    return limit

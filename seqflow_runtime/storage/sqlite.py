"""Tasks in SQLite: a row per task and a row per save of its log; safe for several threads and processes.

Each thread gets its own connection in autocommit mode. A task's row holds
its head (the task without its append-only lists; see
:func:`~.base.split_task`) and the lists' counts (``log_counts``); the table
``<table>_log`` holds a row per save with the entries that save added, so a
step writes the head and one small row whatever the log's length. A save is
one ``BEGIN IMMEDIATE`` transaction: compare-and-swap is
``UPDATE ... WHERE id=? AND version=?`` (also matching the counts the writer
loaded, to append; else the log is written again whole) or an ``INSERT`` when
the task must not exist yet, then the log row. Reads of a head and its log
rows are one read transaction, so they see one snapshot. Rows of earlier
releases (``log_counts`` NULL) hold the whole task and still load; their next
save writes them in this layout. WAL mode lets readers run while a writer commits, and
``busy_timeout`` makes a writer wait for another process's write lock instead
of failing at once. A worker's claim is one ``BEGIN IMMEDIATE`` transaction
(select the due, unleased rows, then lease them), so two claimers, in any
processes, never lease one task at once.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

from ..errors import BadArgumentError, StorageError, VersionConflictError
from ..task import Task, from_iso
from .base import (
    Claimed,
    Storage,
    TaskPage,
    appendable,
    batch_after,
    check_lease,
    check_limit,
    count_query,
    current_time,
    decode_json,
    decode_task,
    due_at,
    encode_batch,
    encode_counts,
    encode_task,
    list_query,
    mark_saved,
    parse_head,
    parse_stored,
    rows_to_page,
    split_task,
)

DEFAULT_TABLE = "seqflow_tasks"
"""The table used when none is given."""

_SCHEMA_TEMPLATE = """\
CREATE TABLE IF NOT EXISTS {table} (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    expires_at  REAL,
    wake_at     REAL,
    created_at  REAL NOT NULL,
    updated_at  REAL NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {table}_status_idx ON {table} (status, id);
CREATE INDEX IF NOT EXISTS {table}_expires_at_idx ON {table} (expires_at);
CREATE INDEX IF NOT EXISTS {table}_wake_at_idx ON {table} (wake_at);
CREATE TABLE IF NOT EXISTS {table}_log (
    task_id     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;
"""

# Added to tables of any release (SQLite has no ADD COLUMN IF NOT EXISTS).
_ADDED_COLUMNS = (("due_at", "REAL"), ("lease_owner", "TEXT"), ("lease_until", "REAL"), ("log_counts", "TEXT"))
_DUE_INDEX = "CREATE INDEX IF NOT EXISTS {table}_due_at_idx ON {table} (due_at)"

SCHEMA_SQL = _SCHEMA_TEMPLATE.format(table=DEFAULT_TABLE)
"""The DDL :meth:`SqliteStorage.migrate` runs for the default table name."""

# The table name is spliced into SQL text (placeholders cannot name tables),
# so only plain identifiers are accepted.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,47}")


def schema_sql(table: str = DEFAULT_TABLE) -> str:
    """The DDL for ``table``: the table and its status, expires_at and wake_at indexes."""
    if not _IDENTIFIER.fullmatch(table):
        raise BadArgumentError(
            f"table must be a plain SQL identifier (letters, digits, _), got {table!r}"
        )
    return _SCHEMA_TEMPLATE.format(table=table)


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (the base class cannot)."""


class SqliteStorage(Storage):
    """Tasks in a SQLite database file (created on first use) using the stdlib driver."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        table: str = DEFAULT_TABLE,
        *,
        busy_timeout: float = 30.0,
    ) -> None:
        self.path = os.fspath(path)
        if self.path in ("", ":memory:"):
            # Each thread has its own connection, and each would get its own
            # empty in-memory database.
            raise BadArgumentError(
                "SqliteStorage needs a database file; use MemoryStorage for in-memory tasks"
            )
        self.table = table
        self.busy_timeout = busy_timeout
        self._schema = schema_sql(table)
        self._local = threading.local()
        # Weak, so a finished thread's connection is closed with its thread-local
        # storage; close() still reaches the live ones of other threads.
        self._connections: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._migrated = False
        self._closed = False

    def _error(self, op: str, exc: Exception) -> StorageError:
        return StorageError(f"SqliteStorage.{op}: {exc} (database {self.path!r})")

    def _connect(self) -> _Connection:
        directory = os.path.dirname(self.path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        # ``timeout`` is SQLite's busy_timeout: wait for another writer's lock.
        conn = sqlite3.connect(
            self.path,
            timeout=self.busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
        try:
            self._use_wal(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Put the file in WAL mode unless it is already (a property of the file, so one connection does it).

        Switching the mode needs the file to itself, and SQLite reports a busy
        file at once instead of through ``busy_timeout``, so a connection that
        races another's first write waits and asks again, within ``busy_timeout``.
        """
        deadline = time.monotonic() + self.busy_timeout
        delay = 0.005
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    return
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def _conn(self, op: str) -> sqlite3.Connection:
        if self._closed:
            raise StorageError(f"SqliteStorage.{op}: the storage is closed")
        conn: _Connection | None = getattr(self._local, "conn", None)
        # A connection must not cross a fork: the child gets its own.
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            try:
                conn = self._connect()
            except (sqlite3.Error, OSError) as exc:
                raise self._error(op, exc) from exc
            self._local.conn = conn
            self._local.pid = os.getpid()
            with self._lock:
                self._connections.add(conn)
        if not self._migrated:
            self._migrate(conn, op)
        return conn

    def _migrate(self, conn: sqlite3.Connection, op: str) -> None:
        try:
            conn.executescript(self._schema)
            with self._write_lock:
                self._add_columns(conn)
        except sqlite3.Error as exc:
            raise self._error(op, exc) from exc
        self._migrated = True

    def _add_columns(self, conn: sqlite3.Connection) -> None:
        """Give a table of an earlier release the lease and log columns, with ``due_at`` filled in."""
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({self.table})")}
        if all(name in have for name, _ in _ADDED_COLUMNS):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            have = {row[1] for row in conn.execute(f"PRAGMA table_info({self.table})")}
            for name, kind in _ADDED_COLUMNS:
                if name not in have:
                    conn.execute(f"ALTER TABLE {self.table} ADD COLUMN {name} {kind}")
            conn.execute(_DUE_INDEX.format(table=self.table))
            rows = conn.execute(f"SELECT id, data FROM {self.table} WHERE status = 'paused'").fetchall()
            for task_id, text in rows:
                # A whole task or a head: either has the fields due_at reads.
                data = decode_json(text, "SqliteStorage", task_id)
                due = due_at(data) if isinstance(data, dict) else None
                conn.execute(f"UPDATE {self.table} SET due_at = ? WHERE id = ?", (due, task_id))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def migrate(self) -> None:
        """Create the table and its indexes if they do not exist."""
        self._migrated = False
        self._conn("migrate")

    def _execute(
        self, op: str, sql: str, params: tuple[Any, ...] = (), *, write: bool = False
    ) -> sqlite3.Cursor:
        conn = self._conn(op)
        try:
            if not write:
                return conn.execute(sql, params)
            # Threads of this process queue here rather than in SQLite's busy
            # handler, which polls with sleeps of up to 100 ms; other processes
            # still wait through busy_timeout.
            with self._write_lock:
                return conn.execute(sql, params)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise self._error(op, exc) from exc

    @contextlib.contextmanager
    def _transaction(self, op: str, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction on this thread's connection: ``BEGIN IMMEDIATE`` to write (threads queue on the
        write lock first), a plain ``BEGIN`` (one snapshot) to read several statements."""
        conn = self._conn(op)
        try:
            with self._write_lock if write else contextlib.nullcontext():
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise self._error(op, exc) from exc

    def save(self, task: Task, expected_version: int | None) -> None:
        """One transaction: the head (insert, or compare-and-swap update) and the log entries it adds."""
        data = task.to_dict()
        start = appendable(task, expected_version, data)
        head, counts = split_task(data)
        # Columns come from the persisted shape, so queries and load() agree on rounding.
        params = (
            task.status,
            task.version,
            from_iso(data["expiresAt"]),
            from_iso(data["wakeAt"]),
            from_iso(data["createdAt"]),
            from_iso(data["updatedAt"]),
            due_at(data),
            encode_task(head),
            encode_counts(counts),
        )
        update = (f"UPDATE {self.table} SET status = ?, version = ?, expires_at = ?, wake_at = ?, created_at = ?,"
                  " updated_at = ?, due_at = ?, data = ?, log_counts = ? WHERE id = ? AND version = ?")
        add = (f"INSERT INTO {self.table}_log (task_id, seq, data) SELECT ?, COALESCE(MAX(seq), 0) + 1, ?"
               f" FROM {self.table}_log WHERE task_id = ?")
        won = True
        with self._transaction("save", write=True) as conn:
            if expected_version is None:
                try:
                    conn.execute(f"INSERT INTO {self.table} (status, version, expires_at, wake_at, created_at,"
                                 " updated_at, due_at, data, log_counts, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 params + (task.id,))
                except sqlite3.IntegrityError:
                    won = False
                else:
                    # Log rows an earlier release left behind when it deleted the task's row.
                    conn.execute(f"DELETE FROM {self.table}_log WHERE task_id = ?", (task.id,))
                    conn.execute(add, (task.id, encode_batch(batch_after(data, (0, 0, 0))), task.id))
            elif start is not None and conn.execute(update + " AND log_counts = ?", params + (
                    task.id, expected_version, encode_counts(start))).rowcount == 1:
                conn.execute(add, (task.id, encode_batch(batch_after(data, start)), task.id))
            elif conn.execute(update, params + (task.id, expected_version)).rowcount == 1:
                conn.execute(f"DELETE FROM {self.table}_log WHERE task_id = ?", (task.id,))
                conn.execute(add, (task.id, encode_batch(batch_after(data, (0, 0, 0))), task.id))
            else:
                won = False
        if not won:
            self._conflict(task.id, expected_version)
        mark_saved(task, counts)

    def _conflict(self, task_id: str, expected_version: int | None) -> None:
        # Only for the message: the write already failed atomically.
        row = self._execute(
            "save", f"SELECT version FROM {self.table} WHERE id = ?", (task_id,)
        ).fetchone()
        stored = None if row is None else row[0]
        raise VersionConflictError(
            f"task {task_id!r} is at version {stored}, not {expected_version}",
            task_id=task_id,
        )

    def _with_logs(self, conn: sqlite3.Connection, rows: list[Any]) -> list[tuple[Any, ...]]:
        """``(id, data, log_counts)`` rows with each one's log rows joined (inside the caller's transaction)."""
        ids = [row[0] for row in rows if row[2] is not None]  # the rows of earlier releases have no log rows
        logs: dict[str, list[str]] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            for task_id, text in conn.execute(
                    f"SELECT task_id, data FROM {self.table}_log WHERE task_id IN ({','.join('?' * len(part))})"
                    " ORDER BY task_id, seq", part):
                logs.setdefault(task_id, []).append(text)
        return [(row[0], row[1], row[2], ",".join(logs.get(row[0], ()))) for row in rows]

    def _parse_row(self, row: Any) -> Task:
        return parse_stored(row[1], row[3], "SqliteStorage", row[0])

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the task's row and its log rows (one snapshot)."""
        with self._transaction("load", write=False) as conn:
            rows = self._with_logs(conn, conn.execute(
                f"SELECT id, data, log_counts FROM {self.table} WHERE id = ?", (task_id,)).fetchall())
        if not rows:
            return None
        task = self._parse_row(rows[0])
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def load_head(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the task's row only (an earlier release's row is the whole task)."""
        row = self._execute(
            "load_head", f"SELECT data FROM {self.table} WHERE id = ?", (task_id,)
        ).fetchone()
        if row is None:
            return None
        task = parse_head(row[0], "SqliteStorage", task_id)
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def delete(self, task_id: str) -> bool:
        """Delete the task's row and log rows."""
        with self._transaction("delete", write=True) as conn:
            conn.execute(f"DELETE FROM {self.table}_log WHERE task_id = ?", (task_id,))
            return conn.execute(f"DELETE FROM {self.table} WHERE id = ?", (task_id,)).rowcount > 0

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """One query, filtered and ordered by the database; one extra row tells if more follow."""
        check_limit(limit)
        sql, params = list_query(self.table, "?", status, cursor, wake_before, limit, "id, data, log_counts")
        with self._transaction("list", write=False) as conn:
            rows = self._with_logs(conn, conn.execute(sql, params).fetchall())
        return rows_to_page(rows, limit, self._parse_row)

    def count_by_status(self) -> dict[str, int]:
        """One ``GROUP BY`` over the status index."""
        return {status: int(n) for status, n in self._execute("count", *count_query(self.table, "?")).fetchall()}

    def sweep(self, now: float | None = None) -> int:
        """Delete expired rows in one statement."""
        t = current_time() if now is None else now
        with self._transaction("sweep", write=True) as conn:
            conn.execute(f"DELETE FROM {self.table}_log WHERE task_id IN"
                         f" (SELECT id FROM {self.table} WHERE expires_at <= ?)", (t,))
            return conn.execute(f"DELETE FROM {self.table} WHERE expires_at <= ?", (t,)).rowcount

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Select the oldest due, unleased rows and lease them in one ``BEGIN IMMEDIATE`` transaction."""
        check_lease(worker_id, lease_seconds, limit)
        conn = self._conn("claim")
        try:
            with self._write_lock:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    rows = conn.execute(
                        f"SELECT id, data, log_counts FROM {self.table} WHERE due_at <= ?"
                        " AND (lease_until IS NULL OR lease_until <= ?)"
                        " AND (expires_at IS NULL OR expires_at > ?) ORDER BY due_at LIMIT ?",
                        (now, now, now, limit)).fetchall()
                    conn.executemany(
                        f"UPDATE {self.table} SET lease_owner = ?, lease_until = ? WHERE id = ?",
                        [(worker_id, now + lease_seconds, row[0]) for row in rows])
                    rows = self._with_logs(conn, rows)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            raise self._error("claim", exc) from exc
        return [self._parse_row(row) for row in rows]

    def renew(self, task_id: str, worker_id: str, lease_until: float) -> bool:
        """Move the lease's end, one statement guarded by the holder's id."""
        cursor = self._execute(
            "renew", f"UPDATE {self.table} SET lease_until = ? WHERE id = ? AND lease_owner = ?",
            (lease_until, task_id, worker_id), write=True)
        return cursor.rowcount == 1

    def release(self, task_id: str, worker_id: str) -> bool:
        """Clear the lease, one statement guarded by the holder's id."""
        cursor = self._execute(
            "release", f"UPDATE {self.table} SET lease_owner = NULL, lease_until = NULL"
            " WHERE id = ? AND lease_owner = ?", (task_id, worker_id), write=True)
        return cursor.rowcount == 1

    def next_due(self) -> float | None:
        """The earliest time a due row is unleased."""
        row = self._execute(
            "next_due", f"SELECT MIN(MAX(due_at, COALESCE(lease_until, due_at))) FROM {self.table}"
            " WHERE due_at IS NOT NULL").fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def close(self) -> None:
        """Close every thread's connection."""
        self._closed = True
        with self._lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            try:
                conn.close()
            except sqlite3.Error:
                pass

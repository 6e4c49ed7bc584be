"""Tasks in one SQLite table; safe for several threads and processes sharing one file.

Each thread gets its own connection in autocommit mode, so every write is a
single statement and therefore atomic: compare-and-swap is one
``UPDATE ... WHERE id=? AND version=?`` (or an ``INSERT`` when the task must not
exist yet). WAL mode lets readers run while a writer commits, and
``busy_timeout`` makes a writer wait for another process's write lock instead
of failing at once. A worker's claim is one ``BEGIN IMMEDIATE`` transaction
(select the due, unleased rows, then lease them), so two claimers, in any
processes, never lease one task at once.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
import weakref
from typing import Any

from ..errors import BadArgumentError, StorageError, VersionConflictError
from ..task import Task, from_iso
from .base import (
    Claimed,
    Storage,
    TaskPage,
    check_lease,
    check_limit,
    count_query,
    current_time,
    decode_task,
    due_at,
    encode_task,
    list_query,
    rows_to_page,
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
"""

# Added to tables of any release (SQLite has no ADD COLUMN IF NOT EXISTS).
_LEASE_COLUMNS = (("due_at", "REAL"), ("lease_owner", "TEXT"), ("lease_until", "REAL"))
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
                self._add_lease_columns(conn)
        except sqlite3.Error as exc:
            raise self._error(op, exc) from exc
        self._migrated = True

    def _add_lease_columns(self, conn: sqlite3.Connection) -> None:
        """Give a table of an earlier release the lease columns, with ``due_at`` filled in."""
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({self.table})")}
        if all(name in have for name, _ in _LEASE_COLUMNS):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            have = {row[1] for row in conn.execute(f"PRAGMA table_info({self.table})")}
            for name, kind in _LEASE_COLUMNS:
                if name not in have:
                    conn.execute(f"ALTER TABLE {self.table} ADD COLUMN {name} {kind}")
            conn.execute(_DUE_INDEX.format(table=self.table))
            rows = conn.execute(f"SELECT id, data FROM {self.table} WHERE status = 'paused'").fetchall()
            for task_id, text in rows:
                due = due_at(self._parse(text, task_id).to_dict())
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

    def save(self, task: Task, expected_version: int | None) -> None:
        """Insert (``expected_version is None``) or compare-and-swap update, one statement."""
        data = task.to_dict()
        # Columns come from the persisted shape, so queries and load() agree on rounding.
        params = (
            task.status,
            task.version,
            from_iso(data["expiresAt"]),
            from_iso(data["wakeAt"]),
            from_iso(data["createdAt"]),
            from_iso(data["updatedAt"]),
            due_at(data),
            encode_task(data),
        )
        if expected_version is None:
            try:
                self._execute(
                    "save",
                    f"INSERT INTO {self.table} (status, version, expires_at, wake_at,"
                    " created_at, updated_at, due_at, data, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    params + (task.id,),
                    write=True,
                )
            except sqlite3.IntegrityError:
                self._conflict(task.id, expected_version)
            return
        cursor = self._execute(
            "save",
            f"UPDATE {self.table} SET status = ?, version = ?, expires_at = ?, wake_at = ?,"
            " created_at = ?, updated_at = ?, due_at = ?, data = ? WHERE id = ? AND version = ?",
            params + (task.id, expected_version),
            write=True,
        )
        if cursor.rowcount != 1:
            self._conflict(task.id, expected_version)

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

    def _parse(self, text: str, task_id: str) -> Task:
        return decode_task(text, "SqliteStorage", task_id)

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read one row."""
        row = self._execute(
            "load", f"SELECT data FROM {self.table} WHERE id = ?", (task_id,)
        ).fetchone()
        if row is None:
            return None
        task = self._parse(row[0], task_id)
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def delete(self, task_id: str) -> bool:
        """Delete one row."""
        cursor = self._execute(
            "delete", f"DELETE FROM {self.table} WHERE id = ?", (task_id,), write=True
        )
        return cursor.rowcount > 0

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """One query, filtered and ordered by the database; one extra row tells if more follow."""
        check_limit(limit)
        sql, params = list_query(self.table, "?", status, cursor, wake_before, limit)
        rows = self._execute("list", sql, params).fetchall()
        return rows_to_page(rows, limit, self._parse)

    def count_by_status(self) -> dict[str, int]:
        """One ``GROUP BY`` over the status index."""
        return {status: int(n) for status, n in self._execute("count", *count_query(self.table, "?")).fetchall()}

    def sweep(self, now: float | None = None) -> int:
        """Delete expired rows in one statement."""
        t = current_time() if now is None else now
        cursor = self._execute(
            "sweep", f"DELETE FROM {self.table} WHERE expires_at <= ?", (t,), write=True
        )
        return cursor.rowcount

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Select the oldest due, unleased rows and lease them in one ``BEGIN IMMEDIATE`` transaction."""
        check_lease(worker_id, lease_seconds, limit)
        conn = self._conn("claim")
        try:
            with self._write_lock:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    rows = conn.execute(
                        f"SELECT id, data FROM {self.table} WHERE due_at <= ?"
                        " AND (lease_until IS NULL OR lease_until <= ?)"
                        " AND (expires_at IS NULL OR expires_at > ?) ORDER BY due_at LIMIT ?",
                        (now, now, now, limit)).fetchall()
                    conn.executemany(
                        f"UPDATE {self.table} SET lease_owner = ?, lease_until = ? WHERE id = ?",
                        [(worker_id, now + lease_seconds, task_id) for task_id, _ in rows])
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            raise self._error("claim", exc) from exc
        return [self._parse(text, task_id) for task_id, text in rows]

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

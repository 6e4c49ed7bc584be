"""Tasks in PostgreSQL, through psycopg 3 and a psycopg_pool connection pool.

A task's row holds its head (the task without its append-only lists; see
:func:`~.base.split_task`) and the lists' counts (``log_counts``); the table
``<table>_log`` holds a row per save with the log entries that save added
(deleted with the task's row, in the same statement), so a step writes the
head and one small row whatever the log's length. A save is a single
statement: an ``INSERT ... ON CONFLICT DO NOTHING`` when the task must not
exist yet, else ``UPDATE ... WHERE id = %s AND version = %s`` (also matching
the counts the writer loaded, to append; else the log is written again
whole), with the log row inserted by the same statement (a data-modifying
``WITH``) only when the head was; the row count says whether this writer
won. A read takes the head and its log rows (``string_agg`` in save order)
in one statement, so one snapshot. Rows of earlier releases (``log_counts``
NULL) hold the whole task and still load; their next save writes them in
this layout. Head and log entries are our own JSON text in ``TEXT`` columns (not ``JSONB``, which sorts
object keys, turns ``-0.0`` into ``0`` and refuses ``\\u0000``: a replayed log
must read back byte for byte); ``status``, ``version``, ``expires_at`` and
``wake_at`` are copied into plain columns so list and sweep are index scans.
Tables made by releases that stored ``JSONB`` are converted by :meth:`migrate`.

Workers lease tasks through three more columns (``due_at``, ``lease_owner``,
``lease_until``; added to older tables by :meth:`migrate`, which fills in
``due_at``). A claim is one statement: an ``UPDATE`` of the rows a
``SELECT ... FOR UPDATE SKIP LOCKED`` picked, so racing claimers skip each
other's rows instead of waiting or leasing one twice. A trigger sends a
``NOTIFY`` when a row becomes claimable (saved due and unleased, or released),
which :meth:`listen` turns into a wake-up for sleeping workers.

Timeouts, so a frozen server or network never hangs a caller: ``connect_timeout``
(libpq), TCP keepalives (libpq ``keepalives_*``), ``pool_timeout`` for getting a
pooled connection, and ``statement_timeout``, enforced twice: by the server
(``options=-c statement_timeout=...`` on connections this storage opens) and by
a client-side watchdog that shuts the socket down shortly after, for a server
too frozen to cancel anything. A timed-out write may or may not have been
committed; retrying it with the same expected version is safe: it is applied
at most once (a retry of a save that landed is a ``VersionConflictError``).

This module imports psycopg at the top: ``seqflow_runtime.storage`` only
imports it when a PostgreSQL storage is asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

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
from .watchdog import Watchdog

DEFAULT_TABLE = "seqflow_tasks"
"""The table used when none is given."""

DEFAULT_STATEMENT_TIMEOUT = 30.0
"""Seconds one statement may take (0: no limit)."""

DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to open a connection (libpq counts whole seconds, at least 2)."""

DEFAULT_POOL_TIMEOUT = 30.0
"""Seconds to wait for a connection from the pool."""

DEFAULT_KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
"""libpq TCP keepalive settings used unless the connection string sets its own."""

# How long after the server should have cancelled a statement the client gives
# up on the connection itself.
_WATCHDOG_GRACE = 1.0

# ``COLLATE "C"`` makes ids compare bytewise, i.e. in the same order as Python
# strings; a locale collation would page in a different order than the other
# backends and could make cursors skip ids.
_SCHEMA_TEMPLATE = """\
CREATE TABLE IF NOT EXISTS {table} (
    id          TEXT COLLATE "C" PRIMARY KEY,
    status      TEXT NOT NULL,
    version     BIGINT NOT NULL,
    expires_at  DOUBLE PRECISION,
    wake_at     DOUBLE PRECISION,
    created_at  DOUBLE PRECISION NOT NULL,
    updated_at  DOUBLE PRECISION NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {name}_status_idx ON {table} (status, id);
CREATE INDEX IF NOT EXISTS {name}_expires_at_idx ON {table} (expires_at)
    WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS {name}_wake_at_idx ON {table} (wake_at)
    WHERE wake_at IS NOT NULL;
"""

# Whether the lease columns exist yet (tables of earlier releases lack them).
_HAS_DUE_SQL = """SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = 'due_at' AND NOT attisdropped
"""
_LEASE_TEMPLATE = """ALTER TABLE {table} ADD COLUMN IF NOT EXISTS due_at DOUBLE PRECISION,
    ADD COLUMN IF NOT EXISTS lease_owner TEXT, ADD COLUMN IF NOT EXISTS lease_until DOUBLE PRECISION;
CREATE INDEX IF NOT EXISTS {name}_due_at_idx ON {table} (due_at) WHERE due_at IS NOT NULL;
CREATE OR REPLACE FUNCTION {name}_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('{name}_due', ''); RETURN NULL; END $$;
CREATE OR REPLACE TRIGGER {name}_due_trigger AFTER INSERT OR UPDATE ON {table}
    FOR EACH ROW WHEN (NEW.due_at IS NOT NULL AND NEW.lease_owner IS NULL)
    EXECUTE FUNCTION {name}_notify();
"""

# The log: a row per save, the entries it added (see the module docstring).
_LOG_TEMPLATE = """ALTER TABLE {table} ADD COLUMN IF NOT EXISTS log_counts TEXT;
CREATE TABLE IF NOT EXISTS {table}_log (
    task_id     TEXT COLLATE "C" NOT NULL,
    seq         BIGINT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (task_id, seq)
);
"""

# A row's log entries, in save order, as JSON texts joined by commas (the row is aliased ``t``).
_LOG_COLUMN = "(SELECT string_agg(l.data, ',' ORDER BY l.seq) FROM {table}_log l WHERE l.task_id = t.id)"

# The columns every read takes: what :func:`~.base.parse_stored` reads.
_READ_COLUMNS = "t.id, t.data, t.log_counts, " + _LOG_COLUMN

# Claimable: due, unexpired, and no live lease. SKIP LOCKED passes over rows another claim is leasing.
_CLAIM_TEMPLATE = """UPDATE {table} t SET lease_owner = %s, lease_until = %s WHERE id IN (
    SELECT id FROM {table} WHERE due_at <= %s AND (lease_until IS NULL OR lease_until <= %s)
    AND (expires_at IS NULL OR expires_at > %s) ORDER BY due_at LIMIT %s FOR UPDATE SKIP LOCKED)
RETURNING """ + _READ_COLUMNS + """, t.due_at
"""

# The log row a save adds, numbered after the task's last (``{head}``: the CTE that wrote the head).
_ADD_LOG = ("INSERT INTO {table}_log (task_id, seq, data) SELECT h.id, COALESCE((SELECT MAX(seq) FROM {table}_log"
            " WHERE task_id = h.id), 0) + 1, %s FROM head h")

# Releases before the TEXT column stored JSONB. Its text form is already
# key-sorted, so nothing is lost that was not lost when it was written.
_DATA_TYPE_SQL = """\
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = to_regclass(%s) AND attname = 'data' AND NOT attisdropped
"""
_UPGRADE_TEMPLATE = "ALTER TABLE {table} ALTER COLUMN data TYPE text USING data::text"

SCHEMA_SQL = _SCHEMA_TEMPLATE.format(table=DEFAULT_TABLE, name=DEFAULT_TABLE) + _LEASE_TEMPLATE.format(
    table=DEFAULT_TABLE, name=DEFAULT_TABLE) + _LOG_TEMPLATE.format(table=DEFAULT_TABLE)
"""The DDL :meth:`PostgresStorage.migrate` runs for the default table name."""

# Table names are spliced into SQL text; index names append up to 15 characters
# and PostgreSQL truncates identifiers at 63, so the table part stays short.
_TABLE = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]{0,47}\.)?([A-Za-z_][A-Za-z0-9_]{0,47})")


def _base_name(table: str) -> str:
    """The table's name without its schema (indexes, the trigger and the channel are named after it)."""
    match = _TABLE.fullmatch(table)
    if match is None:
        raise BadArgumentError(
            f"table must be a plain SQL identifier, optionally schema-qualified, got {table!r}"
        )
    return match.group(1)


def schema_sql(table: str = DEFAULT_TABLE) -> str:
    """The DDL for ``table`` (optionally ``schema.table``): the table, its indexes, lease columns and trigger."""
    name = _base_name(table)
    return _SCHEMA_TEMPLATE.format(table=table, name=name) + _LEASE_TEMPLATE.format(table=table, name=name) \
        + _LOG_TEMPLATE.format(table=table)


def _shut_down(conn: psycopg.Connection[Any], fired: threading.Event) -> None:
    """Make a connection's blocked read fail at once: shut its socket down (not close: libpq owns it)."""
    fired.set()
    with contextlib.suppress(OSError, psycopg.Error):
        sock = socket.socket(fileno=os.dup(conn.fileno()))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()


class PostgresStorage(Storage):
    """Tasks in a PostgreSQL table; give a DSN (a pool is created lazily) or your own pool.

    A pool you pass in stays yours: :meth:`close` leaves it open. Its
    connections may be in autocommit mode or not; every statement runs in its
    own transaction either way.

    ``statement_timeout``, ``connect_timeout`` and ``pool_timeout`` are seconds
    (see the module docstring; 0 turns the statement timeout off). Settings in
    the connection string (``connect_timeout``, ``keepalives_*``) take
    precedence over the arguments; ``statement_timeout`` is always the argument.
    """

    def __init__(
        self,
        dsn_or_pool: str | ConnectionPool[Any],
        table: str = DEFAULT_TABLE,
        *,
        min_size: int = 1,
        max_size: int = 4,
        pool_timeout: float = DEFAULT_POOL_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT,
    ) -> None:
        for name, value in (("pool_timeout", pool_timeout), ("connect_timeout", connect_timeout),
                            ("statement_timeout", statement_timeout)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value >= 0:
                raise BadArgumentError(f"PostgresStorage: {name} must be a number of seconds >= 0")
        self.table = table
        self.pool_timeout = float(pool_timeout)
        self.statement_timeout = float(statement_timeout)
        # One thread keeps every statement's deadline (see :meth:`_watchdog`).
        self._deadlines = Watchdog(self.statement_timeout + _WATCHDOG_GRACE, "seqflow-postgres-watchdog")
        self._schema = schema_sql(table)
        self._channel = _base_name(table) + "_due"
        # A stable 64-bit key, so concurrent migrations of one table serialize.
        digest = hashlib.sha256(f"seqflow:{table}".encode()).digest()
        self._lock_key = int.from_bytes(digest[:8], "big", signed=True)
        self._min_size = min_size
        self._max_size = max_size
        self._lock = threading.Lock()
        self._migrated = False
        self._closed = False
        self._pool: ConnectionPool[Any] | None
        if isinstance(dsn_or_pool, str):
            self._dsn: str | None = dsn_or_pool
            self._owns_pool = True
            self._pool = None
            self._connect_kwargs: dict[str, Any] = {"autocommit": True}
            try:
                given = conninfo_to_dict(dsn_or_pool)
            except psycopg.ProgrammingError as exc:
                raise BadArgumentError(f"PostgresStorage: bad connection string: {exc}") from exc
            if "connect_timeout" not in given:
                self._connect_kwargs["connect_timeout"] = max(1, math.ceil(connect_timeout))
            for key, value in DEFAULT_KEEPALIVES.items():
                if key not in given:
                    self._connect_kwargs[key] = value
            if self.statement_timeout:
                # Appended last, so it wins over one in the string's own options:
                # the server and the client watchdog then agree.
                millis = math.ceil(self.statement_timeout * 1000)
                options = f"{given.get('options') or ''} -c statement_timeout={millis}"
                self._connect_kwargs["options"] = options.strip()
            try:
                self.connect_timeout = float(
                    given.get("connect_timeout", self._connect_kwargs["connect_timeout"])
                )
            except ValueError:
                raise BadArgumentError("PostgresStorage: connect_timeout must be a number") from None
        else:
            self._dsn = None
            self._owns_pool = False
            self._pool = dsn_or_pool
            self._connect_kwargs = {}
            self.connect_timeout = float(connect_timeout)

    def _error(self, op: str, exc: BaseException) -> StorageError:
        text = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, psycopg.errors.ConnectionTimeout):
            text += f" (connect_timeout {self.connect_timeout:g}s)"
        elif isinstance(exc, psycopg.errors.QueryCanceled):
            text += f" (statement_timeout {self.statement_timeout:g}s)"
        return StorageError(f"PostgresStorage.{op}: {text}")

    @contextlib.contextmanager
    def _watchdog(self, op: str, conn: psycopg.Connection[Any]) -> Iterator[None]:
        """Bound a statement in time even if the server never answers.

        The server enforces ``statement_timeout`` itself; a stopped or
        unreachable one cannot, so a timer shuts the socket down a little later
        and the blocked call fails (the pool then discards the connection).
        """
        if not self.statement_timeout:
            yield
            return
        fired = threading.Event()
        token = self._deadlines.arm(lambda: _shut_down(conn, fired))
        try:
            yield
        except psycopg.Error as exc:
            if not fired.is_set():
                raise
            raise StorageError(
                f"PostgresStorage.{op}: no answer from the server within the statement timeout"
                f" of {self.statement_timeout:g}s; a write may or may not have been applied"
            ) from exc
        finally:
            self._deadlines.disarm(token)

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        """The pool's health check on a connection it hands out, bounded like any statement."""
        with self._watchdog("check", conn):
            ConnectionPool.check_connection(conn)

    def _ready_pool(self, op: str) -> ConnectionPool[Any]:
        if self._closed:
            raise StorageError(f"PostgresStorage.{op}: the storage is closed")
        if self._pool is not None and self._migrated:
            return self._pool
        with self._lock:
            if self._pool is None:
                assert self._dsn is not None
                # One direct connection first: it fails fast with the server's
                # own reason (refused, bad password), where a pool would only
                # time out; and it runs the migration before the pool exists.
                try:
                    with psycopg.connect(self._dsn, **self._connect_kwargs) as conn:
                        with self._watchdog(op, conn):
                            self._run_migration(conn)
                except psycopg.Error as exc:
                    raise self._error(op, exc) from exc
                self._migrated = True
                pool: ConnectionPool[Any] = ConnectionPool(
                    self._dsn,
                    kwargs=self._connect_kwargs,
                    min_size=self._min_size,
                    max_size=self._max_size,
                    timeout=self.pool_timeout,
                    check=self._check,
                    name="seqflow",
                    open=False,
                )
                pool.open(wait=False)
                self._pool = pool
            elif not self._migrated:
                with self._connection(op, self._pool) as conn, self._watchdog(op, conn):
                    self._run_migration(conn)
                self._migrated = True
            return self._pool

    def _run_migration(self, conn: psycopg.Connection[Any]) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            fresh_columns = conn.execute(_HAS_DUE_SQL, (self.table,)).fetchone() is None
            conn.execute(self._schema)
            row = conn.execute(_DATA_TYPE_SQL, (self.table,)).fetchone()
            if row is not None and row[0] == "jsonb":
                conn.execute(_UPGRADE_TEMPLATE.format(table=self.table))
            if fresh_columns:
                # Rows saved before the lease columns existed: work out when each is due.
                rows = conn.execute(f"SELECT id, data FROM {self.table} WHERE status = 'paused'").fetchall()
                for task_id, text in rows:
                    # A whole task or a head: either has the fields due_at reads.
                    data = decode_json(text, "PostgresStorage", task_id)
                    conn.execute(f"UPDATE {self.table} SET due_at = %s WHERE id = %s",
                                 (due_at(data) if isinstance(data, dict) else None, task_id))

    @contextlib.contextmanager
    def _connection(
        self, op: str, pool: ConnectionPool[Any] | None = None
    ) -> Iterator[psycopg.Connection[Any]]:
        pool = pool if pool is not None else self._ready_pool(op)
        try:
            with pool.connection() as conn:
                yield conn
        except PoolTimeout as exc:
            raise StorageError(
                f"PostgresStorage.{op}: no database connection within the pool timeout"
                f" of {self.pool_timeout:g}s"
                f" (server down or pool exhausted): {exc}"
            ) from exc
        except psycopg.Error as exc:
            raise self._error(op, exc) from exc

    def _execute(
        self, op: str, query: str, params: tuple[Any, ...] = ()
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """Run one statement in its own transaction; the row count and the rows."""
        with self._connection(op) as conn, self._watchdog(op, conn):
            with conn.transaction() if not conn.autocommit else contextlib.nullcontext():
                cur = conn.execute(query, params)
                rows = cur.fetchall() if cur.description is not None else []
                return cur.rowcount, rows

    def migrate(self) -> None:
        """Create the table and indexes if missing, and turn a previous release's JSONB ``data`` into TEXT.

        An advisory lock serializes racing callers.
        """
        pool = self._ready_pool("migrate")
        with self._connection("migrate", pool) as conn, self._watchdog("migrate", conn):
            self._run_migration(conn)

    def save(self, task: Task, expected_version: int | None) -> None:
        """Insert-if-absent or compare-and-swap update of the head, with its log row, each a single statement."""
        data = task.to_dict()
        start = appendable(task, expected_version, data)
        head, counts = split_task(data)
        # Columns come from the persisted shape, so queries and load() agree on rounding.
        values = (
            task.status,
            task.version,
            from_iso(data["expiresAt"]),
            from_iso(data["wakeAt"]),
            from_iso(data["createdAt"]),
            from_iso(data["updatedAt"]),
            due_at(data),
            encode_task(head),
            encode_counts(counts),
            task.id,
        )
        add = _ADD_LOG.format(table=self.table)
        whole = encode_batch(batch_after(data, (0, 0, 0))) if start is None else None
        update = (f"UPDATE {self.table} SET status = %s, version = %s, expires_at = %s, wake_at = %s,"
                  " created_at = %s, updated_at = %s, due_at = %s, data = %s, log_counts = %s"
                  " WHERE id = %s AND version = %s")
        # Rewriting the log: the old rows go in the same statement (a CTE sees the snapshot before it).
        rewrite = f"gone AS (DELETE FROM {self.table}_log WHERE task_id IN (SELECT id FROM head)) "
        if expected_version is None:
            count, _ = self._execute(
                "save",
                f"WITH head AS (INSERT INTO {self.table} (status, version, expires_at, wake_at, created_at,"
                " updated_at, due_at, data, log_counts, id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                # Log rows left behind by an earlier release's delete, which knew no log table, go too.
                f" ON CONFLICT (id) DO NOTHING RETURNING id), {rewrite}" + add,
                values + (whole,),
            )
        else:
            count = 0
            if start is not None:
                count, _ = self._execute(
                    "save", f"WITH head AS ({update} AND log_counts = %s RETURNING id) " + add,
                    values + (expected_version, encode_counts(start), encode_batch(batch_after(data, start))))
                whole = None if count else encode_batch(batch_after(data, (0, 0, 0)))
            if not count:
                count, _ = self._execute(
                    "save", f"WITH head AS ({update} RETURNING id), {rewrite}" + add,
                    values + (expected_version, whole))
        if count != 1:
            # Only for the message: the write already failed atomically.
            _, rows = self._execute(
                "save", f"SELECT version FROM {self.table} WHERE id = %s", (task.id,)
            )
            stored = rows[0][0] if rows else None
            raise VersionConflictError(
                f"task {task.id!r} is at version {stored}, not {expected_version}",
                task_id=task.id,
            )
        mark_saved(task, counts)

    def _parse_row(self, row: Any) -> Task:
        return parse_stored(row[1], row[3], "PostgresStorage", row[0])

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the task's row and its log rows, one statement."""
        _, rows = self._execute(
            "load", f"SELECT {_READ_COLUMNS.format(table=self.table)} FROM {self.table} t WHERE t.id = %s",
            (task_id,)
        )
        if not rows:
            return None
        task = self._parse_row(rows[0])
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def load_head(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the task's row only (an earlier release's row is the whole task)."""
        _, rows = self._execute(
            "load_head", f"SELECT data FROM {self.table} WHERE id = %s", (task_id,)
        )
        if not rows:
            return None
        task = parse_head(rows[0][0], "PostgresStorage", task_id)
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def delete(self, task_id: str) -> bool:
        """Delete the task's row and its log rows, one statement."""
        _, rows = self._execute(
            "delete", f"WITH head AS (DELETE FROM {self.table} WHERE id = %s RETURNING id), "
            f"gone AS (DELETE FROM {self.table}_log WHERE task_id IN (SELECT id FROM head)) SELECT count(*) FROM head",
            (task_id,)
        )
        return bool(rows[0][0])

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """One query, filtered and ordered by the server; one extra row tells if more follow."""
        check_limit(limit)
        sql, params = list_query(self.table + " t", "%s", status, cursor, wake_before, limit,
                                 _READ_COLUMNS.format(table=self.table))
        _, rows = self._execute("list", sql, params)
        return rows_to_page(rows, limit, self._parse_row)

    def count_by_status(self) -> dict[str, int]:
        """One ``GROUP BY`` over the status index."""
        _, rows = self._execute("count", *count_query(self.table, "%s"))
        return {status: int(n) for status, n in rows}

    def sweep(self, now: float | None = None) -> int:
        """Delete expired rows and their log rows in one statement."""
        t = current_time() if now is None else now
        _, rows = self._execute(
            "sweep", f"WITH head AS (DELETE FROM {self.table} WHERE expires_at <= %s RETURNING id), "
            f"gone AS (DELETE FROM {self.table}_log WHERE task_id IN (SELECT id FROM head)) SELECT count(*) FROM head",
            (t,)
        )
        return int(rows[0][0])

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Lease the oldest due, unleased rows in one ``UPDATE`` over ``FOR UPDATE SKIP LOCKED``."""
        check_lease(worker_id, lease_seconds, limit)
        _, rows = self._execute("claim", _CLAIM_TEMPLATE.format(table=self.table),
                                (worker_id, now + lease_seconds, now, now, now, limit))
        rows.sort(key=lambda row: float(row[4]))
        return [self._parse_row(row) for row in rows]

    def renew(self, task_id: str, worker_id: str, lease_until: float) -> bool:
        """Move the lease's end, one statement guarded by the holder's id."""
        count, _ = self._execute(
            "renew", f"UPDATE {self.table} SET lease_until = %s WHERE id = %s AND lease_owner = %s",
            (lease_until, task_id, worker_id))
        return count == 1

    def release(self, task_id: str, worker_id: str) -> bool:
        """Clear the lease (which notifies listeners if the task is still due)."""
        count, _ = self._execute(
            "release", f"UPDATE {self.table} SET lease_owner = NULL, lease_until = NULL"
            " WHERE id = %s AND lease_owner = %s", (task_id, worker_id))
        return count == 1

    def next_due(self) -> float | None:
        """The earliest time a due row is unleased."""
        _, rows = self._execute(
            "next_due", f"SELECT MIN(GREATEST(due_at, lease_until)) FROM {self.table} WHERE due_at IS NOT NULL")
        return None if not rows or rows[0][0] is None else float(rows[0][0])

    def listen(self, wake: Callable[[], None]) -> Callable[[], None] | None:
        """``LISTEN`` on the table's channel in a thread with its own connection; reconnects after errors."""
        self._ready_pool("listen")
        stop = threading.Event()
        dsn = self._dsn

        def run() -> None:
            while not stop.is_set():
                try:
                    if dsn is None:
                        with self._connection("listen") as pooled:
                            self._listen_on(pooled, wake, stop)
                    else:
                        with psycopg.connect(dsn, **{**self._connect_kwargs, "autocommit": True}) as conn:
                            self._listen_on(conn, wake, stop)
                except (psycopg.Error, StorageError):
                    wake()  # something may have been missed while disconnected
                    stop.wait(1.0)

        thread = threading.Thread(target=run, name=f"seqflow-listen-{self.table}", daemon=True)
        thread.start()

        def stop_listening() -> None:
            stop.set()
            thread.join(timeout=2.0)

        return stop_listening

    def _listen_on(self, conn: psycopg.Connection[Any], wake: Callable[[], None], stop: threading.Event) -> None:
        if not conn.autocommit:
            conn.commit()
            conn.autocommit = True
        conn.execute(f'LISTEN "{self._channel}"')
        while not stop.is_set():
            # A bounded wait, so a stop request is seen within half a second.
            for _ in conn.notifies(timeout=0.5):
                wake()

    def close(self) -> None:
        """Close the pool if this storage created it."""
        self._closed = True
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None and self._owns_pool:
            pool.close()

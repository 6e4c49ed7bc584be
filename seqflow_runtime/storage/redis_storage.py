"""Tasks in Redis, through redis-py; every write is one Lua script, so it is atomic.

The keys are laid out as :data:`KEY_LAYOUT` shows. A task's head (the task
without its append-only lists; see :func:`~.base.split_task`) sits in a hash
next to its version and the lists' counts, and its log in a list with an
element per save (the entries that save added, ``RPUSH``-ed by the same
script that compare-and-swaps the head), so a step writes the head and one
small element whatever the log's length. A read takes the hash and the list
in one ``MULTI``/``EXEC``, so one snapshot. The hash of an earlier release
holds the whole task in ``data``; it still loads, and its next save writes it
in this layout. A task key (and its log key, with it)
expires natively (``PEXPIREAT``) ``expired_retention`` seconds after its
``expires_at``: until then ``load(include_expired=True)`` still finds it, so
the runtime can tell "expired" from "never existed"; ``load`` hides it from
``expires_at`` on, and ``sweep`` deletes it together with its index entries.
Index entries of keys Redis already dropped are skipped by ``list`` and
removed by ``sweep``.

Workers lease tasks through ``{prefix}due``, a sorted set scored by when each
runnable task may next be claimed: its due time, or while leased the lease's
end; and ``{prefix}lease:{id}`` (``SET NX PX``: the holder's id, expiring with
the lease). A claim is one script that takes due entries, leases the free
ones and re-scores them to the lease's end, so a dead worker's task comes due
again when its lease runs out. Saves and releases of a claimable task
``PUBLISH`` on ``{prefix}due``, which :meth:`RedisStorage.listen` subscribes to.

The scripts derive task keys from ids, so they need a standalone Redis (or a
prefix with a hash tag, ``{seqflow}:``, to pin every key to one Cluster slot).
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable
from typing import Any

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.commands.core import Script
from redis.retry import Retry

from ..errors import BadArgumentError, StorageError, VersionConflictError
from ..task import TASK_STATUSES, Task, from_iso
from .base import (
    Claimed,
    Storage,
    TaskPage,
    appendable,
    batch_after,
    check_lease,
    check_limit,
    current_time,
    decode_json,
    due_at,
    encode_batch,
    encode_counts,
    encode_task,
    mark_saved,
    matches,
    parse_head,
    parse_stored,
    split_task,
)

DEFAULT_PREFIX = "seqflow:"
"""The key prefix used when none is given."""

LAYOUT_VERSION = "1"
"""Stored at ``{prefix}schema``; a different value means keys this code cannot read."""

KEY_LAYOUT = """\
{prefix}task:{id}        hash: data (the task's head JSON), counts, version, status, wake_at, expires_at, due_at, write_id
{prefix}log:{id}         list: per save, the JSON of the log entries it added (expires with the task key)
{prefix}due              sorted set: runnable ids scored by when they may next be claimed
{prefix}lease:{id}       string: the worker holding the task's lease (expires with it)
{prefix}ids              sorted set: every id, score 0 (paged with ZRANGEBYLEX)
{prefix}status:{status}  sorted set: the ids with that status, score 0
{prefix}wake             sorted set: ids scored by wake_at (epoch seconds)
{prefix}expires          sorted set: ids scored by expires_at (epoch seconds)
{prefix}schema           string: the layout version, "1"
{prefix}leases           string: set once the due set was filled for tasks saved before it existed
"""
"""Redis's counterpart of a schema: the keys under the prefix (``seqflow:`` by default)."""

# KEYS: task key, ids, wake, expires, due, lease key, log key, then one status set per TASK_STATUSES entry.
# ARGV: id, expected version ("" = must be absent), version, status, head,
#       wake_at, expires_at ("" = none), PEXPIREAT ms ("" = none),
#       1-based KEYS index of the new status set, write id, due_at ("" = none), due channel,
#       counts, the counts appended after ("" = the batch is the whole log), batch.
SAVE_LUA = """\
local stored = redis.call('HGET', KEYS[1], 'version')
if stored == ARGV[3] and redis.call('HGET', KEYS[1], 'write_id') == ARGV[10] then
  return {1}
end
if ARGV[2] == '' then
  if stored then return {0, stored} end
elseif stored ~= ARGV[2] then
  return {0, stored or ''}
end
if ARGV[14] ~= '' and redis.call('HGET', KEYS[1], 'counts') ~= ARGV[14] then
  return {2}
end
redis.call('HSET', KEYS[1], 'data', ARGV[5], 'version', ARGV[3], 'status', ARGV[4], 'counts', ARGV[13],
           'wake_at', ARGV[6], 'expires_at', ARGV[7], 'write_id', ARGV[10], 'due_at', ARGV[11])
if ARGV[14] == '' then redis.call('DEL', KEYS[7]) end
redis.call('RPUSH', KEYS[7], ARGV[15])
for i = 1, 7, 6 do
  if ARGV[8] == '' then
    redis.call('PERSIST', KEYS[i])
  else
    redis.call('PEXPIREAT', KEYS[i], ARGV[8])
  end
end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
for i = 8, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
redis.call('ZADD', KEYS[tonumber(ARGV[9])], 0, ARGV[1])
if ARGV[6] == '' then
  redis.call('ZREM', KEYS[3], ARGV[1])
else
  redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
end
if ARGV[7] == '' then
  redis.call('ZREM', KEYS[4], ARGV[1])
else
  redis.call('ZADD', KEYS[4], ARGV[7], ARGV[1])
end
if ARGV[11] == '' then
  redis.call('ZREM', KEYS[5], ARGV[1])
elseif redis.call('EXISTS', KEYS[6]) == 0 then
  redis.call('ZADD', KEYS[5], ARGV[11], ARGV[1])
  redis.call('PUBLISH', ARGV[12], '')
end
return {1}
"""
"""Compare-and-swap: check the stored version, then write the hash, the log, their expiry and the indexes.

A save that appends names the counts it appends after; when the stored ones
differ (the writer did not load the stored log) nothing is written and the
script answers ``{2}``: the caller sends the whole log instead.
A leased task keeps its ``due`` score (the lease's end) until its holder releases it.

Each ``save`` call has its own write id. redis-py resends a command that timed
out; if the first send was applied, the resend finds its own write id and
reports success without writing again. A new ``save`` call with the same
expected version (a caller's retry) has another write id: it conflicts.
"""

# KEYS: task key, log key, then every index set. ARGV: id.
DELETE_LUA = """\
local n = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
for i = 3, #KEYS do redis.call('ZREM', KEYS[i], ARGV[1]) end
return n
"""
"""Delete a task's hash, its log and its index entries; 1 if the hash existed."""

# KEYS: every index set, the expires set third. ARGV: now, batch size, task key prefix.
SWEEP_LUA = """\
local ids = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local deleted = 0
for _, id in ipairs(ids) do
  deleted = deleted + redis.call('DEL', ARGV[3] .. id)
  redis.call('DEL', ARGV[4] .. id)
  for i = 1, #KEYS do redis.call('ZREM', KEYS[i], id) end
end
return {#ids, deleted}
"""
"""Delete one batch of expired tasks, their logs and index entries: ``{ids seen, hashes deleted}``."""

# KEYS: due. ARGV: now, limit, lease end, lease ms, worker id, key prefix.
CLAIM_LUA = """\
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, limit * 4 + 16)
local out = {}
for _, id in ipairs(ids) do
  if #out >= limit then break end
  local meta = redis.call('HMGET', ARGV[6] .. 'task:' .. id, 'due_at', 'expires_at')
  local lease = ARGV[6] .. 'lease:' .. id
  if not meta[1] or meta[1] == '' or (meta[2] and meta[2] ~= '' and tonumber(meta[2]) <= now) then
    redis.call('ZREM', KEYS[1], id)
  elseif tonumber(meta[1]) > now then
    redis.call('ZADD', KEYS[1], meta[1], id)
  elseif redis.call('SET', lease, ARGV[5], 'NX', 'PX', ARGV[4]) then
    redis.call('ZADD', KEYS[1], ARGV[3], id)
    out[#out + 1] = id
  else
    redis.call('ZADD', KEYS[1], now + math.max(redis.call('PTTL', lease), 1) / 1000, id)
  end
end
return out
"""
"""Lease up to ``limit`` due ids; entries found gone, expired, not yet due or still leased are re-scored."""

# KEYS: lease key, due. ARGV: worker id, lease ms, lease end, id.
RENEW_LUA = """\
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[4])
return 1
"""
"""Extend the holder's lease key and its ``due`` score; 0 if the caller no longer holds it."""

# KEYS: lease key, due, task key. ARGV: worker id, id, due channel.
RELEASE_LUA = """\
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
local due = redis.call('HGET', KEYS[3], 'due_at')
if due and due ~= '' then
  redis.call('ZADD', KEYS[2], due, ARGV[2])
  redis.call('PUBLISH', ARGV[3], '')
else
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return 1
"""
"""Drop the holder's lease and score the task by its own due time again; 0 if the caller held none."""

DEFAULT_SOCKET_TIMEOUT = 30.0
"""Seconds to wait for one reply (each attempt)."""

DEFAULT_CONNECT_TIMEOUT = 10.0
"""Seconds to open a connection."""

RETRIES = 2
"""Resends of a command that timed out or lost its connection (safe: see :data:`SAVE_LUA`)."""

_SWEEP_BATCH = 500
_META_FIELDS = ("status", "wake_at", "expires_at")


def _text(value: bytes | str) -> str:
    # Clients made with decode_responses=True hand back str, others bytes.
    return value.decode() if isinstance(value, bytes) else value


def _number(value: bytes | str | None) -> float | None:
    if value is None or value in (b"", ""):
        return None
    return float(value)


class RedisStorage(Storage):
    """Tasks in Redis; give a URL (``redis://``, ``rediss://``, ``unix://``) or a ``redis.Redis``.

    A client you pass in stays yours: :meth:`close` leaves it open. A client
    made here waits ``socket_timeout`` for each reply and ``connect_timeout``
    to connect, keeps its sockets alive with TCP keepalives, and resends a
    failed command :data:`RETRIES` times after a short backoff: an operation
    against a frozen server fails within ``(RETRIES + 1) * socket_timeout``
    plus about a second.
    """

    def __init__(
        self,
        url_or_client: str | redis.Redis,
        prefix: str = DEFAULT_PREFIX,
        *,
        expired_retention: float = 3600.0,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        for name, value in (("socket_timeout", socket_timeout), ("connect_timeout", connect_timeout)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0:
                raise BadArgumentError(f"RedisStorage: {name} must be a number of seconds > 0")
        if not isinstance(prefix, str) or not prefix:
            raise BadArgumentError(f"prefix must be a non-empty string, got {prefix!r}")
        if expired_retention < 0:
            raise BadArgumentError("expired_retention must be >= 0")
        self.prefix = prefix
        self.expired_retention = expired_retention
        self.socket_timeout = float(socket_timeout)
        if isinstance(url_or_client, str):
            try:
                self._client = redis.Redis.from_url(
                    url_or_client,
                    socket_timeout=socket_timeout,
                    socket_connect_timeout=connect_timeout,
                    socket_keepalive=True,
                    retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), RETRIES),
                )
            except ValueError as exc:
                raise BadArgumentError(f"RedisStorage: bad URL: {exc}") from exc
            self._owns_client = True
        else:
            self._client = url_or_client
            self._owns_client = False
        self._ids_key = prefix + "ids"
        self._wake_key = prefix + "wake"
        self._expires_key = prefix + "expires"
        self._due_key = prefix + "due"
        self._status_keys = [f"{prefix}status:{s}" for s in TASK_STATUSES]
        self._index_keys = [self._ids_key, self._wake_key, self._expires_key, self._due_key, *self._status_keys]
        self._save_script: Script = self._client.register_script(SAVE_LUA)
        self._delete_script: Script = self._client.register_script(DELETE_LUA)
        self._sweep_script: Script = self._client.register_script(SWEEP_LUA)
        self._claim_script: Script = self._client.register_script(CLAIM_LUA)
        self._renew_script: Script = self._client.register_script(RENEW_LUA)
        self._release_script: Script = self._client.register_script(RELEASE_LUA)
        self._migrated = False
        self._closed = False

    def _task_key(self, task_id: str) -> str:
        return f"{self.prefix}task:{task_id}"

    def _log_key(self, task_id: str) -> str:
        return f"{self.prefix}log:{task_id}"

    def _lease_key(self, task_id: str) -> str:
        return f"{self.prefix}lease:{task_id}"

    def _error(self, op: str, exc: BaseException) -> StorageError:
        text = str(exc) or type(exc).__name__
        if isinstance(exc, redis.TimeoutError) and self._owns_client:
            text += f" (socket_timeout {self.socket_timeout:g}s, {RETRIES} resends)"
        return StorageError(f"RedisStorage.{op}: {text}")

    def _call(self, op: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one client call (or script), turning redis-py's errors into StorageError."""
        if self._closed:
            raise StorageError(f"RedisStorage.{op}: the storage is closed")
        if not self._migrated:
            self._migrate(op)
        try:
            return fn(*args, **kwargs)
        except redis.RedisError as exc:
            raise self._error(op, exc) from exc

    def _migrate(self, op: str) -> None:
        key = self.prefix + "schema"
        try:
            self._client.set(key, LAYOUT_VERSION, nx=True)
            found = self._client.get(key)
        except redis.RedisError as exc:
            raise self._error(op, exc) from exc
        if found is None or _text(found) != LAYOUT_VERSION:
            raise StorageError(
                f"RedisStorage.{op}: keys under {self.prefix!r} use layout {found!r},"
                f" this version of seqflow needs {LAYOUT_VERSION!r}"
            )
        try:
            if self._client.set(self.prefix + "leases", "1", nx=True):
                self._fill_due()
        except redis.RedisError as exc:
            raise self._error(op, exc) from exc
        self._migrated = True

    def _fill_due(self) -> None:
        """Score the paused tasks of a release before leases in ``{prefix}due`` (``NX``: newer saves win)."""
        ids = [_text(i) for i in self._client.zrange(f"{self.prefix}status:paused", 0, -1) if isinstance(i, (str, bytes))]
        for start in range(0, len(ids), 500):
            batch = ids[start:start + 500]
            pipe = self._client.pipeline(transaction=False)
            for task_id in batch:
                pipe.hget(self._task_key(task_id), "data")
            for task_id, raw in zip(batch, pipe.execute()):
                # A whole task or a head: either has the fields due_at reads.
                data = None if raw is None else decode_json(raw, "RedisStorage", task_id)
                due = due_at(data) if isinstance(data, dict) else None
                if due is not None:
                    self._client.zadd(self._due_key, {task_id: due}, nx=True)

    def migrate(self) -> None:
        """Record the key layout version under the prefix (Redis needs no other schema)."""
        self._migrate("migrate")

    def save(self, task: Task, expected_version: int | None) -> None:
        """Compare-and-swap in one Lua script: version check, head, log, expiry and indexes."""
        data = task.to_dict()
        start = appendable(task, expected_version, data)
        head, counts = split_task(data)
        # Index scores come from the persisted shape, so they agree with load().
        wake_at = from_iso(data["wakeAt"])
        expires_at = from_iso(data["expiresAt"])
        due = due_at(data)
        expire_ms = ""
        if expires_at is not None:
            expire_ms = str(math.ceil((expires_at + self.expired_retention) * 1000))
        try:
            status_slot = 8 + TASK_STATUSES.index(task.status)
        except ValueError:
            raise BadArgumentError(f"task {task.id!r} has unknown status {task.status!r}") from None
        args = [
            task.id,
            "" if expected_version is None else str(expected_version),
            str(task.version),
            task.status,
            encode_task(head),
            "" if wake_at is None else repr(wake_at),
            "" if expires_at is None else repr(expires_at),
            expire_ms,
            str(status_slot),
            uuid.uuid4().hex,
            "" if due is None else repr(due),
            self._due_key,
            encode_counts(counts),
        ]
        keys = [
            self._task_key(task.id),
            self._ids_key,
            self._wake_key,
            self._expires_key,
            self._due_key,
            self._lease_key(task.id),
            self._log_key(task.id),
            *self._status_keys,
        ]
        result: Any = [2]
        if start is not None:
            result = self._call("save", self._save_script, keys=keys,
                                args=args + [encode_counts(start), encode_batch(batch_after(data, start))])
        if int(result[0]) == 2:
            result = self._call("save", self._save_script, keys=keys,
                                args=args + ["", encode_batch(batch_after(data, (0, 0, 0)))])
        if int(result[0]) != 1:
            stored = _text(result[1]) or None
            raise VersionConflictError(
                f"task {task.id!r} is at version {stored}, not {expected_version}",
                task_id=task.id,
            )
        mark_saved(task, counts)

    def _read(self, op: str, task_ids: list[str]) -> list[Task | None]:
        """The tasks (``None``: gone) with their logs, in one ``MULTI``/``EXEC`` (one snapshot)."""
        pipe = self._client.pipeline(transaction=True)
        for task_id in task_ids:
            pipe.hget(self._task_key(task_id), "data")
            pipe.lrange(self._log_key(task_id), 0, -1)
        replies = self._call(op, pipe.execute) if task_ids else []
        out: list[Task | None] = []
        for index, task_id in enumerate(task_ids):
            raw, batches = replies[2 * index], replies[2 * index + 1]
            out.append(None if raw is None else parse_stored(
                raw, ",".join(_text(b) for b in batches), "RedisStorage", task_id))
        return out

    def load(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the hash's ``data`` field and the log, in one transaction."""
        task = self._read("load", [task_id])[0]
        if task is None:
            return None
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def load_head(self, task_id: str, *, include_expired: bool = False) -> Task | None:
        """Read the hash's ``data`` field only."""
        raw = self._call("load_head", self._client.hget, self._task_key(task_id), "data")
        if raw is None:
            return None
        task = parse_head(raw, "RedisStorage", task_id)
        if not include_expired and task.expired(current_time()):
            return None
        return task

    def delete(self, task_id: str) -> bool:
        """Delete the hash and its index entries in one script."""
        removed = self._call(
            "delete",
            self._delete_script,
            keys=[self._task_key(task_id), self._log_key(task_id), *self._index_keys],
            args=[task_id],
        )
        return int(removed) > 0

    def list(
        self,
        status: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
        wake_before: float | None = None,
    ) -> TaskPage:
        """Walk an id index in lex order, filter on the hashes' small fields, then read the data."""
        check_limit(limit)
        if status is not None and status not in TASK_STATUSES:
            return TaskPage([], None)
        source = self._ids_key if status is None else f"{self.prefix}status:{status}"
        now = current_time()
        batch = min(max(limit + 1, 100), 1000)
        start = "-" if cursor is None else "(" + cursor
        wanted: list[str] = []
        # Gather one id more than the page holds: it says whether a next page exists.
        while len(wanted) <= limit:
            raw_ids = self._call(
                "list", self._client.zrangebylex, source, start, "+", 0, batch
            )
            ids = [_text(i) for i in raw_ids]
            if not ids:
                break
            pipe = self._client.pipeline(transaction=False)
            for task_id in ids:
                pipe.hmget(self._task_key(task_id), _META_FIELDS)
            metas = self._call("list", pipe.execute)
            for task_id, (st, wake, expires) in zip(ids, metas):
                if st is None:
                    continue  # the key expired natively; sweep drops the index entry
                expires_at = _number(expires)
                if expires_at is not None and expires_at <= now:
                    continue
                wake_at = _number(wake)
                if wake_before is not None and (wake_at is None or wake_at > wake_before):
                    continue
                if status is not None and _text(st) != status:
                    continue
                wanted.append(task_id)
                if len(wanted) > limit:
                    break
            if len(ids) < batch:
                break
            start = "(" + ids[-1]
        page_ids = wanted[:limit]
        tasks: list[Task] = []
        for task in self._read("list", page_ids):
            if task is None:
                continue  # deleted or expired since the metadata was read
            if not task.expired(now) and matches(task, status, wake_before):
                tasks.append(task)
        next_cursor = page_ids[-1] if len(wanted) > limit else None
        return TaskPage(tasks, next_cursor)

    def sweep(self, now: float | None = None) -> int:
        """Delete expired tasks and their index entries, one atomic batch at a time."""
        t = current_time() if now is None else now
        deleted = 0
        while True:
            seen, removed = self._call(
                "sweep",
                self._sweep_script,
                keys=self._index_keys,
                args=[repr(t), _SWEEP_BATCH, self.prefix + "task:", self.prefix + "log:"],
            )
            deleted += int(removed)
            if int(seen) < _SWEEP_BATCH:
                return deleted

    def claim(self, worker_id: str, now: float, lease_seconds: float, limit: int) -> Claimed:
        """Lease due ids in one script, then read the leased tasks."""
        check_lease(worker_id, lease_seconds, limit)
        ids = [_text(i) for i in self._call(
            "claim", self._claim_script, keys=[self._due_key],
            args=[repr(now), limit, repr(now + lease_seconds), max(1, math.ceil(lease_seconds * 1000)),
                  worker_id, self.prefix])]
        return [task for task in self._read("claim", ids) if task is not None]

    def renew(self, task_id: str, worker_id: str, lease_until: float) -> bool:
        """Extend the lease key and the ``due`` score if ``worker_id`` holds the lease."""
        millis = max(1, math.ceil((lease_until - current_time()) * 1000))
        done = self._call("renew", self._renew_script, keys=[self._lease_key(task_id), self._due_key],
                          args=[worker_id, millis, repr(lease_until), task_id])
        return int(done) == 1

    def release(self, task_id: str, worker_id: str) -> bool:
        """Drop the lease if ``worker_id`` holds it; the task is scored by its due time again."""
        done = self._call("release", self._release_script,
                          keys=[self._lease_key(task_id), self._due_key, self._task_key(task_id)],
                          args=[worker_id, task_id, self._due_key])
        return int(done) == 1

    def next_due(self) -> float | None:
        """The lowest ``due`` score."""
        first = self._call("next_due", self._client.zrange, self._due_key, 0, 0, withscores=True)
        return float(first[0][1]) if first else None

    def listen(self, wake: Callable[[], None]) -> Callable[[], None] | None:
        """Subscribe to ``{prefix}due`` in a thread; reconnects (and wakes once) after errors."""
        stop = threading.Event()

        def run() -> None:
            while not stop.is_set():
                try:
                    with self._client.pubsub(ignore_subscribe_messages=True) as pubsub:
                        pubsub.subscribe(self._due_key)
                        while not stop.is_set():
                            if pubsub.get_message(timeout=0.5) is not None:
                                wake()
                except redis.RedisError:
                    wake()
                    stop.wait(1.0)

        thread = threading.Thread(target=run, name=f"seqflow-listen-{self.prefix}", daemon=True)
        thread.start()

        def stop_listening() -> None:
            stop.set()
            thread.join(timeout=2.0)

        return stop_listening

    def close(self) -> None:
        """Close the client if this storage created it."""
        self._closed = True
        if self._owns_client:
            self._client.close()

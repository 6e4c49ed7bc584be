"""Worker leases (``claim``/``renew``/``release``/``next_due``), checked against every backend.

A claimed task must be invisible to every other claimer until its lease ends,
whether the claimers are threads or processes; a dead holder's lease runs out
and another claimer takes over; a stale holder's save loses by compare-and-swap.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.managers import SyncManager
from typing import TYPE_CHECKING, Any

import pytest

from seqflow_runtime.errors import BadArgumentError, VersionConflictError
from seqflow_runtime.storage.base import Storage
from seqflow_runtime.storage.url import create_storage
from seqflow_runtime.task import FetchRequest, Task

if TYPE_CHECKING:
    from conftest import Backend


def runnable(task_id: str, now: float, *, age: float = 0.0, wake_at: float | None = None,
             requests: int = 1, status: str = "paused", expires_at: float | None = None) -> Task:
    """A task waiting on ``requests`` requests (updated ``age`` seconds ago) and/or a timer."""
    return Task(id=task_id, code="await fetch('https://example.com/')", status=status,  # type: ignore[arg-type]
                fetch_requests=[FetchRequest(id=f"r{i}", url="https://example.com/") for i in range(requests)],
                wake_at=wake_at, version=1, created_at=now - age, updated_at=now - age,
                expires_at=expires_at if expires_at is not None else now + 3600)


def claim_ids(storage: Storage, worker: str, now: float, lease: float = 30.0, limit: int = 100) -> list[str]:
    return [t.id for t in storage.claim(worker, now, lease, limit)]


def test_claim_takes_only_runnable_tasks_oldest_first(backend: Backend) -> None:
    """Requests pending or a timer due: claimed, oldest due first; anything else never."""
    s, now = backend.storage, time.time()
    s.save(runnable("requests-new", now, age=1), None)
    s.save(runnable("requests-old", now, age=20), None)
    s.save(runnable("timer-due", now, requests=0, wake_at=now - 10), None)
    s.save(runnable("timer-later", now, requests=0, wake_at=now + 600), None)
    s.save(runnable("signal-only", now, requests=0), None)
    s.save(runnable("completed", now, requests=0, status="completed"), None)
    s.save(runnable("expired", now, age=30, expires_at=now - 1), None)
    assert claim_ids(s, "w1", now, lease=1000) == ["requests-old", "timer-due", "requests-new"]
    assert claim_ids(s, "w2", now) == []
    later = now + 601
    assert claim_ids(s, "w2", later, limit=5) == ["timer-later"]


def test_limit_and_validation(backend: Backend) -> None:
    """``limit`` bounds a claim; nonsense arguments are BadArgumentError."""
    s, now = backend.storage, time.time()
    for i in range(5):
        s.save(runnable(f"t{i}", now, age=10 - i), None)
    assert claim_ids(s, "w1", now, limit=2) == ["t0", "t1"]
    assert claim_ids(s, "w2", now, limit=2) == ["t2", "t3"]
    for worker, lease, limit in (("", 1.0, 1), ("w", 0, 1), ("w", float("nan"), 1), ("w", 1.0, 0),
                                 (None, 1.0, 1), ("w", True, 1)):
        with pytest.raises(BadArgumentError):
            s.claim(worker, now, lease, limit)  # type: ignore[arg-type]


def test_lease_expiry_renew_release(backend: Backend) -> None:
    """A lease hides the task until it ends; renew keeps it, release frees it, a lapsed one is taken over."""
    s = backend.storage
    s.save(runnable("job", time.time()), None)
    assert claim_ids(s, "w1", time.time(), lease=0.6) == ["job"]
    assert claim_ids(s, "w2", time.time()) == []
    assert s.renew("job", "w1", time.time() + 30)
    assert not s.renew("job", "w2", time.time() + 30)
    assert not s.release("job", "w2")
    time.sleep(0.7)
    assert claim_ids(s, "w2", time.time()) == [], "renewed: still held"
    assert s.release("job", "w1")
    assert not s.release("job", "w1")
    assert claim_ids(s, "w2", time.time(), lease=0.5) == ["job"]
    time.sleep(0.6)
    # w2 died: its lease lapsed, w3 takes over, and w2 can no longer renew or release.
    assert claim_ids(s, "w3", time.time()) == ["job"]
    assert not s.renew("job", "w2", time.time() + 30)
    assert not s.release("job", "w2")
    assert s.next_due() is not None and s.next_due() > time.time() + 20  # type: ignore[operator]


def test_holder_saves_keep_the_lease_and_stale_holders_lose(backend: Backend) -> None:
    """Saves by the holder keep the task hidden; after a takeover the old holder's save conflicts."""
    s = backend.storage
    s.save(runnable("job", time.time()), None)
    [task] = s.claim("w1", time.time(), 0.6, 10)
    task.version, task.updated_at = 2, time.time()
    s.save(task, 1)  # still runnable (new requests), still leased
    assert claim_ids(s, "w2", time.time()) == []
    time.sleep(0.7)
    [taken] = s.claim("w2", time.time(), 30, 10)
    assert taken.version == 2
    taken.version = 3
    taken.status, taken.fetch_requests, taken.result = "completed", [], "by w2"
    s.save(taken, 2)
    task.version = 3
    with pytest.raises(VersionConflictError):
        s.save(task, 2)
    stored = s.load("job")
    assert stored is not None and stored.result == "by w2"
    assert s.release("job", "w2")
    assert claim_ids(s, "w3", time.time()) == [] and s.next_due() is None


def test_next_due(backend: Backend) -> None:
    """The earliest due time, or the end of the lease hiding a due task."""
    s, now = backend.storage, time.time()
    assert s.next_due() is None
    s.save(runnable("timer", now, requests=0, wake_at=now + 100), None)
    assert s.next_due() == pytest.approx(now + 100, abs=0.01)
    s.save(runnable("req", now, age=5), None)
    assert s.next_due() == pytest.approx(now - 5, abs=0.01)
    assert claim_ids(s, "w1", now, lease=50) == ["req"]
    assert s.next_due() == pytest.approx(now + 50, abs=0.01)


def test_racing_threads_never_share_a_task(backend: Backend) -> None:
    """Eight threads claim 60 tasks in small batches: each task goes to exactly one of them."""
    s, now = backend.storage, time.time()
    for i in range(60):
        s.save(runnable(f"t{i:02}", now, age=i % 7), None)
    storages = [s if backend.name == "memory" else backend.fresh() for _ in range(8)]

    def drain(n: int) -> list[str]:
        got: list[str] = []
        while batch := claim_ids(storages[n], f"w{n}", time.time(), limit=3):
            got.extend(batch)
        return got

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(drain, range(8)))
    claimed = [task_id for got in results for task_id in got]
    assert sorted(claimed) == [f"t{i:02}" for i in range(60)]
    for other in storages:
        if other is not s:
            other.close()


def _claim_in_child(url: str, env: dict[str, str], worker: str, barrier: Any) -> tuple[list[str], int]:
    """Child: wait for every claimer, then claim batches until none are left."""
    os.environ.update(env)
    storage = create_storage(url)
    try:
        barrier.wait(timeout=60)
        got: list[str] = []
        while batch := [t.id for t in storage.claim(worker, time.time(), 30.0, 4)]:
            got.extend(batch)
        return got, os.getpid()
    except BaseException:
        barrier.abort()
        raise
    finally:
        storage.close()


def test_racing_processes_never_share_a_task(
    backend: Backend, child_processes: ProcessPoolExecutor, sync_manager: SyncManager
) -> None:
    """Four processes claim 80 tasks at once: each task goes to exactly one process."""
    if not backend.shared_across_processes:
        pytest.skip(f"{backend.name} storage lives inside one process")
    now = time.time()
    for i in range(80):
        backend.storage.save(runnable(f"t{i:02}", now, age=i % 5), None)
    barrier = sync_manager.Barrier(4)
    env = {k: os.environ[k] for k in ("FIRESTORE_EMULATOR_HOST",) if k in os.environ}
    jobs = [child_processes.submit(_claim_in_child, backend.url, env, f"p{n}", barrier) for n in range(4)]
    results = [job.result(timeout=120) for job in jobs]
    assert len({pid for _, pid in results}) == 4
    claimed = [task_id for got, _ in results for task_id in got]
    assert sorted(claimed) == [f"t{i:02}" for i in range(80)]


def test_tasks_of_a_release_before_leases_become_claimable(backend: Backend) -> None:
    """A table or key layout without the lease fields gets them on migration, with due times worked out."""
    s, now = backend.storage, time.time()
    s.save(runnable("old-requests", now, age=5), None)
    s.save(runnable("old-timer", now, requests=0, wake_at=now - 1), None)
    s.save(runnable("old-asleep", now, requests=0, wake_at=now + 600), None)
    if backend.name == "sqlite":
        import sqlite3

        storage_path = backend.url.removeprefix("sqlite://")
        with sqlite3.connect(storage_path) as conn:
            conn.execute("DROP INDEX seqflow_tasks_due_at_idx")
            for column in ("due_at", "lease_owner", "lease_until"):
                conn.execute(f"ALTER TABLE seqflow_tasks DROP COLUMN {column}")
    elif backend.name == "postgres":
        import psycopg

        dsn, table = backend.url.split("?table=")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP TRIGGER {table}_due_trigger ON {table}")
            conn.execute(f"ALTER TABLE {table} DROP COLUMN due_at, DROP COLUMN lease_owner,"
                         " DROP COLUMN lease_until")
    elif backend.name == "redis":
        import redis

        base, prefix = backend.url.split("?prefix=")
        client = redis.Redis.from_url(base)
        client.delete(prefix + "due", prefix + "leases")
        client.close()
    else:
        pytest.skip(f"{backend.name} has no schema of an earlier release to upgrade")
    upgraded = backend.fresh()
    try:
        assert claim_ids(upgraded, "w1", time.time()) == ["old-requests", "old-timer"]
    finally:
        upgraded.close()

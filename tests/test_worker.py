"""The worker, against real storages, a real local HTTP server and real OS processes.

Worker processes are ``python -m seqflow_runtime.cli worker``; the HTTP
server counts every request it receives, so "no request performed twice" is
checked where requests land. The default run takes a minute or two;
``SEQFLOW_SLOW_TESTS=1`` adds the larger pools.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from seqflow_runtime import Flow
from seqflow_runtime.errors import BadArgumentError
from seqflow_runtime.performer import idempotency_key
from seqflow_runtime.storage import MemoryStorage, Storage
from seqflow_runtime.storage.url import create_storage
from seqflow_runtime.task import FetchRequest, Task
from seqflow_runtime.worker import Worker
from tests.pg_cleanup import drop_postgres_storage

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_DSN = os.environ.get("SEQFLOW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
slow = pytest.mark.skipif(not os.environ.get("SEQFLOW_SLOW_TESTS"), reason="set SEQFLOW_SLOW_TESTS=1")


class Api:
    """A local JSON API that counts the requests it receives, by path and query."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        #: The Idempotency-Key of every request received, by path and query, in arrival order.
        self.keys: dict[str, list[str | None]] = {}
        self.lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                with api.lock:
                    api.hits[self.path] += 1
                    api.keys.setdefault(self.path, []).append(self.headers.get("idempotency-key"))
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                time.sleep(int(query.get("delay", ["0"])[0]) / 1000)
                body = json.dumps({"n": int(parts.path.rsplit("/", 1)[-1]), "path": self.path}).encode()
                try:
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client was killed mid-request

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self, path: str) -> int:
        with self.lock:
            return self.hits[path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgres"])
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite file, or a fresh table in the local PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'tasks.db'}"
        return
    table = f"worker_{secrets.token_hex(6)}"
    yield f"{POSTGRES_ADMIN_DSN}?table={table}"
    drop_postgres_storage(POSTGRES_ADMIN_DSN, table)


def start_worker(url: str, *extra: str, via_env: bool = False) -> subprocess.Popen[str]:
    """A ``seqflow worker`` process (its output goes to a pipe we read at the end); the storage as
    ``--storage`` or, ``via_env``, as ``SEQFLOW_STORAGE``."""
    # The test's API listens on loopback, which the outbound policy opens only when asked.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SEQFLOW_ALLOW_HOSTS": "127.0.0.1"}
    where = ["--storage", url]
    if via_env:
        env["SEQFLOW_STORAGE"], where = url, []
    return subprocess.Popen([sys.executable, "-m", "seqflow_runtime.cli", *where, "worker",
                             "--poll-interval", "0.2", *extra], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def stop_workers(procs: Sequence[subprocess.Popen[str]]) -> list[str]:
    """SIGTERM each process and collect its output; each must exit 0 within 30 s."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    outputs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=30)
        outputs.append(out)
        assert proc.returncode == 0, out
    return outputs


def wait_for(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def statuses(storage: Storage) -> Counter[str]:
    found: Counter[str] = Counter()
    cursor = None
    while True:
        page = storage.list(limit=1000, cursor=cursor)
        found.update(t.status for t in page.tasks)
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


# One program for every task (compiled once per process); each task's seeded Math.random picks its URLs.
FANOUT = """
const base = %(base)r, n = Math.floor(Math.random() * 1e12);
const [a, b] = await Promise.all([fetch(`${base}/a/${n}`), fetch(`${base}/b/${n}`)]);
const c = await fetch(`${base}/c/${(await a.json()).n}`);
[n, (await b.json()).n + (await c.json()).n];
"""


def fanout_paths(n: int) -> list[str]:
    return [f"/a/{n}", f"/b/{n}", f"/c/{n}"]


def run_pool(api: Api, url: str, tasks: int, workers: int) -> None:
    """``tasks`` fan-out tasks finished by ``workers`` processes: each request performed exactly once."""
    flow = Flow(storage=create_storage(url))
    for n in range(tasks):
        assert flow.execute(FANOUT % {"base": api.base}, id=f"t{n:04}").status == "paused"
    procs = [start_worker(url, "--concurrency", "16") for _ in range(workers)]
    try:
        # A generous deadline, not a speed target: a loaded machine may be slow.
        wait_for(lambda: statuses(flow.storage)["completed"] == tasks, 60 + tasks, f"{tasks} tasks to complete")
    finally:
        outputs = stop_workers(procs)
    assert statuses(flow.storage) == Counter(completed=tasks)
    results = [flow.get_task(f"t{n:04}").result for n in range(tasks)]
    assert all(total == 2 * n for n, total in results)
    expected = Counter(p for n, _ in results for p in fanout_paths(n))
    assert len(expected) == 3 * tasks
    assert api.hits == expected, "every request performed exactly once"
    finished = sum(out.count(": completed after") for out in outputs)
    assert finished == tasks, outputs
    flow.storage.close()


def test_pool_of_worker_processes(api: Api, storage_url: str) -> None:
    """Three worker processes on one storage finish 200 tasks; no request is performed twice."""
    run_pool(api, storage_url, 200, 3)


@slow
def test_big_pool_of_worker_processes(api: Api, storage_url: str) -> None:
    """As above, with 1,000 tasks and four processes."""
    run_pool(api, storage_url, 1000, 4)


def test_sigkill_mid_request_another_worker_takes_over(api: Api, storage_url: str) -> None:
    """A worker killed while performing a request: another finishes the task after the lease lapses.

    The request in flight is the only one performed twice (at-least-once delivery).
    """
    flow = Flow(storage=create_storage(storage_url))
    code = f"""
    const first = await (await fetch('{api.base}/first/1')).json();
    const slow = await (await fetch('{api.base}/slow/2?delay=800')).json();
    const last = await (await fetch('{api.base}/last/3')).json();
    return first.n + slow.n + last.n;
    """
    flow.execute(code, id="victim")
    doomed = start_worker(storage_url, "--lease-seconds", "1.5")
    try:
        wait_for(lambda: api.count("/slow/2?delay=800") == 1, 30, "the slow request to start")
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.communicate(timeout=30)
    assert flow.get_task("victim").fetch_requests[0].url.endswith("/slow/2?delay=800")
    heir = start_worker(storage_url)
    try:
        wait_for(lambda: flow.get_task("victim").status == "completed", 30, "the heir to finish")
    finally:
        stop_workers([heir])
    assert flow.get_task("victim").result == 6
    assert api.hits == Counter({"/first/1": 1, "/slow/2?delay=800": 2, "/last/3": 1})
    # The request performed twice carried the same key both times: the one derived from task and request.
    assert api.keys["/slow/2?delay=800"] == [idempotency_key("victim", "req-2")] * 2
    flow.storage.close()


def test_sigterm_finishes_the_step_in_flight_then_exits(api: Api, tmp_path: Path) -> None:
    """SIGTERM mid-request: the response is still saved, the lease released, the process exits 0."""
    url = f"sqlite://{tmp_path / 'tasks.db'}"
    flow = Flow(storage=create_storage(url))
    code = f"""
    const slow = await (await fetch('{api.base}/slow/1?delay=700')).json();
    const next = await (await fetch('{api.base}/next/2')).json();
    return slow.n + next.n;
    """
    flow.execute(code, id="job")
    proc = start_worker(url, via_env=True)
    wait_for(lambda: api.count("/slow/1?delay=700") == 1, 30, "the slow request to start")
    [out] = stop_workers([proc])
    assert "worker stopped" in out
    task = flow.get_task("job")
    assert task.status == "paused" and [r.url for r in task.fetch_requests] == [f"{api.base}/next/2"]
    # The lease was released: a new worker claims it at once, and nothing is performed twice.
    asyncio.run(Worker(flow, lease_seconds=60, allow_hosts=["127.0.0.1"]).run_until_idle())
    assert flow.get_task("job").result == 3
    assert api.hits == Counter({"/slow/1?delay=700": 1, "/next/2": 1})


def test_timers_fire_on_time(storage_url: str) -> None:
    """Due timers fire within a second of ``wake_at`` (PostgreSQL wakes on NOTIFY; SQLite sleeps to next due)."""
    flow = Flow(storage=create_storage(storage_url))
    waits = {"t300": 300, "t900": 900, "t1500": 1500}
    paused = {tid: flow.execute(f"await new Promise(r => setTimeout(r, {ms})); 'done'", id=tid)
              for tid, ms in waits.items()}

    async def main() -> None:
        worker = Worker(flow, poll_interval=5.0, allow_hosts=["127.0.0.1"])
        job = asyncio.create_task(worker.run())
        for _ in range(100):
            await asyncio.sleep(0.05)
            done = [(await worker.flow.get_task(tid)).status for tid in waits]
            if done == ["completed"] * len(waits):
                break
        worker.stop()
        await job

    asyncio.run(main())
    for tid, before in paused.items():
        done = flow.get_task(tid)
        assert done.result == "done"
        assert before.wake_at is not None
        late = done.updated_at - before.wake_at
        assert 0 <= late < 1.0, (tid, late)
    flow.storage.close()


async def _recording_perform(seen: list[tuple[str, list[str]]], active: list[int],
                             task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
    """A performer that answers from the URL after a short wait, recording what ran at once."""
    seen.append((task_id, [r.id for r in requests]))
    active[0] += 1
    active[1] = max(active[1], active[0])
    await asyncio.sleep(0.05)
    active[0] -= 1
    return {r.id: {"status": 200, "data": {"n": int(r.url.rsplit("/", 1)[-1])}} for r in requests}


def test_requests_of_a_pause_and_many_tasks_at_once() -> None:
    """One pause's requests go out together; up to ``concurrency`` tasks are worked on at once."""
    flow = Flow(storage=MemoryStorage())
    for n in range(12):
        flow.execute(FANOUT % {"base": "https://api.test"}, id=f"t{n:02}")
    seen: list[tuple[str, list[str]]] = []
    active = [0, 0]

    async def perform_all(task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
        return await _recording_perform(seen, active, task_id, requests)

    worker = Worker(flow, concurrency=5, perform_all=perform_all)
    asyncio.run(worker.run_until_idle())
    assert all(n * 2 == total for n, total in (flow.get_task(f"t{n:02}").result for n in range(12)))
    assert sorted(len(ids) for _, ids in seen) == [1] * 12 + [2] * 12
    assert active[1] == 5
    assert worker.stats.completed == 12 and worker.stats.steps == 24 and worker.stats.errors == 0


def test_hot_resume_keeps_the_program_live(caplog: pytest.LogCaptureFixture) -> None:
    """A task that pauses many times is continued without replaying its log at each step."""
    flow = Flow(storage=MemoryStorage())
    flow.execute("let s = 0; for (let i = 0; i < 30; i++) s += (await (await fetch('https://x.test/' + i)).json()).n;"
                 " s", id="long")

    async def perform_all(task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
        return {r.id: {"data": {"n": int(r.url.rsplit("/", 1)[-1])}} for r in requests}

    with caplog.at_level(logging.INFO, logger="seqflow.flow"):
        asyncio.run(Worker(flow, perform_all=perform_all).run_until_idle())
    assert flow.get_task("long").result == sum(range(30))
    lines = [r.getMessage() for r in caplog.records if "long:" in r.getMessage()]
    assert len(lines) == 30 and all("hot resume" in line for line in lines), lines[:3]


def test_a_broken_task_does_not_stop_the_worker() -> None:
    """A task whose stored log is garbage is logged and left to its lease; the others finish."""
    storage = MemoryStorage()
    flow = Flow(storage=storage)
    for n in range(3):
        flow.execute(FANOUT % {"base": "https://api.test"}, id=f"t{n}")
    broken = storage.load("t1")
    assert broken is not None
    broken.vm_state = {"format": "nonsense"}
    broken.version += 1
    storage.save(broken, broken.version - 1)
    seen: list[tuple[str, list[str]]] = []

    async def perform_all(task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
        return await _recording_perform(seen, [0, 0], task_id, requests)

    worker = Worker(flow, perform_all=perform_all, lease_seconds=60)
    asyncio.run(worker.run_until_idle())
    assert flow.get_task("t0").status == flow.get_task("t2").status == "completed"
    assert flow.get_task("t1").status == "paused" and worker.stats.errors == 1
    assert flow.get_task("t1").failed_attempts == 1
    # Still leased (its lease is the back-off): another claimer does not get it now.
    assert storage.claim("other", time.time(), 10, 10) == []


def test_a_task_no_worker_can_resume_ends_in_error(tmp_path: Path) -> None:
    """Stored logs corrupted in the SQLite file: after ``max_attempts`` failed resumes (each after its
    lease lapsed) the task ends ``error`` with code ``resume_failed``; a healthy task finishes meanwhile."""
    url = f"sqlite://{tmp_path / 'tasks.db'}"
    flow = Flow(storage=create_storage(url))
    for task_id in ("diverging", "garbage", "healthy"):
        flow.execute(FANOUT % {"base": "https://api.test"}, id=task_id)
    with sqlite3.connect(tmp_path / "tasks.db") as db:
        # A log whose request is not the one the program issues, and a log whose request is not an object
        # (a log row holds [events, requests, console lines] added by one save).
        db.execute("UPDATE seqflow_tasks_log SET data = json_set(data, '$[1][0].url', 'https://elsewhere.test/')"
                   " WHERE task_id = 'diverging'")
        db.execute("UPDATE seqflow_tasks_log SET data = json_set(data, '$[1][0]', 'garbage') WHERE task_id = 'garbage'")
    seen: list[tuple[str, list[str]]] = []

    async def perform_all(task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
        return await _recording_perform(seen, [0, 0], task_id, requests)

    async def main() -> Worker:
        # A Flow of its own: the executing Flow's live programs must not stand in for the stored logs.
        worker = Worker(create_storage(url), perform_all=perform_all, lease_seconds=0.2, poll_interval=0.1,
                        max_attempts=3)
        job = asyncio.create_task(worker.run())
        for _ in range(200):
            await asyncio.sleep(0.05)
            if [t.id for t in (await worker.flow.list_tasks(status="error")).tasks] == ["diverging", "garbage"]:
                break
        worker.stop()
        await job
        return worker

    worker = asyncio.run(main())
    assert flow.get_task("healthy").status == "completed"
    causes = {"diverging": "replay_divergence", "garbage": "corrupt_state"}
    for task_id, cause in causes.items():
        task = flow.get_task(task_id)
        assert task.status == "error" and task.failed_attempts == 3, task
        details = task.error_details or {}
        assert details["code"] == "resume_failed" and details["attempts"] == 3, details
        assert details["cause"]["code"] == cause, details
        assert task.error and task.error.startswith("ResumeFailedError: ")
        assert task.fetch_requests == [] and task.to_dict()["failedAttempts"] == 3
    assert worker.stats.errors == 6 and worker.stats.failed == 2
    assert statuses(flow.storage) == Counter(completed=1, error=2)
    # Each attempt performed the pause's requests again (the same ids, so the same idempotency keys).
    assert Counter(task_id for task_id, _ in seen) == Counter(healthy=2, diverging=3, garbage=3)
    flow.storage.close()


def test_bad_arguments() -> None:
    """Nonsense settings are BadArgumentError, before anything runs."""
    for kwargs in ({"concurrency": 0}, {"concurrency": True}, {"lease_seconds": -1},
                   {"poll_interval": float("inf")}):
        with pytest.raises(BadArgumentError):
            Worker(MemoryStorage(), **kwargs)
    with pytest.raises(BadArgumentError):
        Worker("sqlite:x.db")  # type: ignore[arg-type]

    class SeedsStorage:
        """The seeds' three-method storage: no leases."""

        def save(self, task: Task) -> None: ...
        def load(self, task_id: str) -> None: ...
        def delete(self, task_id: str) -> None: ...

    with pytest.raises(BadArgumentError, match="cannot lease"):
        Worker(Flow(storage=SeedsStorage()))


def test_cli_rejects_bad_allow_host(tmp_path: Path) -> None:
    """``--allow-host`` must be HOST[:PORT]; a bad one is a one-line error, exit 2."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for bad in ("http://x", "host:99999", "a/b", "user@host"):
        done = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "--storage",
                               f"sqlite://{tmp_path / 't.db'}", "worker", "--allow-host", bad],
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "HOST[:PORT]" in done.stderr, (bad, done.stderr)
    done = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "--storage", f"sqlite://{tmp_path / 't.db'}",
                           "worker"], env={**env, "SEQFLOW_ALLOW_HOSTS": "ok:80, bad:port"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "'bad:port'" in done.stderr, done.stderr
    done = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "--storage", f"sqlite://{tmp_path / 't.db'}",
                           "worker", "--max-attempts", "0"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--max-attempts" in done.stderr, done.stderr


@pytest.mark.parametrize("backend", ["postgres", "redis"])
def test_new_work_wakes_a_sleeping_worker(backend: str) -> None:
    """On PostgreSQL (NOTIFY) and Redis (pub/sub) a worker sleeping out a long poll wakes for new work."""
    prefix = f"seqflow-test:{secrets.token_hex(6)}:"
    table = f"wake_{secrets.token_hex(6)}"
    url = f"{POSTGRES_ADMIN_DSN}?table={table}" if backend == "postgres" else \
        f"{os.environ.get('SEQFLOW_TEST_REDIS', 'redis://127.0.0.1:6379/0')}?prefix={prefix}"
    storage = create_storage(url)
    flow = Flow(storage=storage)
    flow.execute("'warm'", id="warm-up")  # the first run in a process builds the JS runtime: seconds under load
    performed: list[float] = []

    async def perform_all(task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
        performed.append(time.monotonic())
        return {r.id: {"status": 204} for r in requests}

    async def main() -> None:
        worker = Worker(create_storage(url), poll_interval=30.0, perform_all=perform_all)
        job = asyncio.create_task(worker.run())
        await asyncio.sleep(1.0)  # the worker found nothing and sleeps out its 30 s poll
        created = time.monotonic()
        await asyncio.to_thread(flow.execute, "(await fetch('https://x.test/')).status", "late")
        while not performed and time.monotonic() - created < 10:
            await asyncio.sleep(0.02)
        worker.stop()
        await job
        assert performed and performed[0] - created < 1.0, performed

    try:
        asyncio.run(main())
        assert flow.get_task("late").result == 204
    finally:
        storage.close()
        if backend == "postgres":
            drop_postgres_storage(POSTGRES_ADMIN_DSN, table)
        else:
            import redis

            client = redis.Redis.from_url(url.split("?", 1)[0])
            keys = list(client.scan_iter(match=prefix + "*"))
            if keys:
                client.delete(*keys)
            client.close()

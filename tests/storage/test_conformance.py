"""The storage contract (``seqflow_runtime/storage/base.py``), checked against every backend.

Every test takes the ``backend`` fixture, so it runs for memory, file, sqlite,
postgres, redis and firestore alike, on real servers. Cross-process tests run
in worker processes started with the 'spawn' method; a worker rebuilds the
storage from the backend's URL (the only thing it is given).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.managers import SyncManager
from typing import TYPE_CHECKING, Any

import pytest

from seqflow_runtime.errors import BadArgumentError, StorageError, VersionConflictError
from seqflow_runtime.storage.base import Storage
from seqflow_runtime.storage.url import create_storage
from seqflow_runtime.task import FetchRequest, Task

if TYPE_CHECKING:
    from conftest import Backend

NOW = time.time()


def make_task(task_id: str, **changes: Any) -> Task:
    """A realistic paused task: two outstanding requests, a replay log, unicode everywhere."""
    task = Task(
        id=task_id,
        code='const r = await fetch("https://api.example.com/ünïcode"); return r.body;',
        status="paused",
        name="naïve café ☕ — 日本語 — עברית — 🎉",
        fetch_requests=[
            FetchRequest(
                id="req-1",
                url="https://api.example.com/items?q=%E2%9C%93&lang=日本",
                method="POST",
                headers={"Content-Type": "application/json", "X-Trace": "αβγ"},
                body='{"name": "Zoë", "emoji": "🚀"}',
            ),
            FetchRequest(id="req-2", url="https://example.org/other"),
        ],
        wake_at=NOW + 3600,
        vm_state={
            "format": 1,
            "events": [
                {"kind": "fetch", "id": "req-0", "status": 200, "body": "ok ✓"},
                {"kind": "random", "value": 0.123456789},
                {"kind": "now", "value": 1700000000123},
                {"kind": "log", "args": ["line\nbreak", "tab\tand \u2028 separator", None]},
            ],
            "nested": {"deep": [[1, 2.5, True, None], {"ключ": "значение"}]},
        },
        pause_count=2,
        version=1,
        created_at=NOW - 60,
        updated_at=NOW,
        expires_at=NOW + 86400,
        logs=[{"level": "info", "message": "started — ok"}],
    )
    for key, value in changes.items():
        setattr(task, key, value)
    return task


def assert_same(loaded: Task | None, saved: Task) -> None:
    """``loaded`` is ``saved`` as it reads back from its persisted shape."""
    assert loaded is not None
    assert loaded.to_dict() == saved.to_dict()
    assert loaded == saved.copy()


def all_pages(storage: Storage, **filters: Any) -> list[str]:
    """Follow cursors to the end; every id seen, in order."""
    ids: list[str] = []
    cursor: str | None = None
    for _ in range(10_000):
        page = storage.list(cursor=cursor, **filters)
        ids.extend(t.id for t in page.tasks)
        if page.next_cursor is None:
            return ids
        assert page.tasks, "a page with a next cursor must hold tasks"
        assert page.next_cursor == page.tasks[-1].id
        cursor = page.next_cursor
    raise AssertionError("list never ended")


# --- single-process behaviour ---------------------------------------------------------------


def test_round_trip(backend: Backend) -> None:
    """A realistic paused task reads back equal, also through a second instance."""
    task = make_task("round-trip")
    backend.storage.save(task, None)
    assert_same(backend.storage.load("round-trip"), task)
    assert backend.storage.load("no-such-task") is None
    # Another instance (another process would build the same) sees the same task.
    if backend.shared_across_processes:
        other = backend.fresh()
        try:
            assert_same(other.load("round-trip"), task)
        finally:
            other.close()


def test_create_twice_conflicts(backend: Backend) -> None:
    """Creating (expected version None) an existing task conflicts and changes nothing."""
    first = make_task("dup")
    backend.storage.save(first, None)
    with pytest.raises(VersionConflictError):
        backend.storage.save(make_task("dup", name="second"), None)
    assert_same(backend.storage.load("dup"), first)


def test_update_needs_current_version(backend: Backend) -> None:
    """An update with the stored version wins; a stale one conflicts and writes nothing."""
    storage = backend.storage
    v1 = make_task("cas")
    storage.save(v1, None)
    v2 = make_task("cas", version=2, status="completed", result={"total": 42}, fetch_requests=[])
    storage.save(v2, 1)
    assert_same(storage.load("cas"), v2)

    stale = make_task("cas", version=2, result="stale writer")
    with pytest.raises(VersionConflictError):
        storage.save(stale, 1)
    assert_same(storage.load("cas"), v2)

    # An update of a task that does not exist is a conflict too, and writes nothing.
    with pytest.raises(VersionConflictError):
        storage.save(make_task("never-created", version=4), 3)
    assert storage.load("never-created", include_expired=True) is None


def test_ttl_and_sweep(backend: Backend) -> None:
    """Expired tasks are hidden from load and list, kept for include_expired, removed by sweep."""
    storage = backend.storage
    now = time.time()
    expired = make_task("expired", expires_at=now - 10)
    live = make_task("live", expires_at=now + 3600)
    forever = make_task("forever", expires_at=None)
    for task in (expired, live, forever):
        storage.save(task, None)

    assert storage.load("expired") is None
    assert_same(storage.load("expired", include_expired=True), expired)
    assert [t.id for t in storage.list().tasks] == ["forever", "live"]

    assert storage.sweep() == 1
    assert storage.load("expired", include_expired=True) is None
    assert_same(storage.load("live"), live)
    assert_same(storage.load("forever"), forever)
    assert storage.sweep() == 0

    # sweep(now) uses the given clock: "live" is expired an hour from now.
    assert storage.sweep(now + 7200) == 1
    assert storage.load("live", include_expired=True) is None
    assert_same(storage.load("forever"), forever)


def test_delete(backend: Backend) -> None:
    """delete says whether it removed something, and the task is gone everywhere."""
    storage = backend.storage
    storage.save(make_task("doomed"), None)
    storage.save(make_task("kept"), None)
    assert storage.delete("doomed") is True
    assert storage.delete("doomed") is False
    assert storage.load("doomed") is None
    assert storage.load("doomed", include_expired=True) is None
    assert [t.id for t in storage.list().tasks] == ["kept"]
    # The id is free again.
    storage.save(make_task("doomed"), None)
    assert storage.load("doomed") is not None


# Ids whose order differs between byte order and locale collations, and
# characters some backends must escape ('/', '.', '..', '__x__', '%').
ODD_IDS = ["A-1", "a-1", "Z", "_x", "__reserved__", "a/b/c", "100%", "é-1", "日本-1", "~"]


def test_list_pages_1000_tasks(backend: Backend) -> None:
    """Cursors visit every live id once, in ascending order, with and without filters."""
    storage = backend.storage
    now = time.time()
    tasks = [
        make_task(
            f"task-{i:04d}",
            status="completed" if i % 3 == 0 else "paused",
            wake_at=None if i % 3 == 0 else now + i,
            vm_state={"events": [{"i": i}]},
            fetch_requests=[],
        )
        for i in range(1000 - len(ODD_IDS))
    ]
    tasks += [make_task(task_id, wake_at=now - 1) for task_id in ODD_IDS]
    # Expired tasks must never show up, whatever the filter.
    tasks += [
        make_task(f"task-{i:04d}-x", expires_at=now - 5, wake_at=now) for i in range(0, 1000, 97)
    ]
    # Threads: saves go through save() concurrently, which also exercises thread safety.
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda t: storage.save(t, None), reversed(tasks)))

    live = [t for t in tasks if t.expires_at is None or t.expires_at > now]
    expected = sorted(t.id for t in live)
    assert len(expected) == 1000

    first = storage.list(limit=100)
    assert len(first.tasks) == 100
    assert [t.id for t in first.tasks] == expected[:100]
    assert_same(first.tasks[0], next(t for t in tasks if t.id == expected[0]))
    assert all_pages(storage, limit=100) == expected

    completed = sorted(t.id for t in live if t.status == "completed")
    assert all_pages(storage, status="completed", limit=100) == completed
    assert all_pages(storage, status="paused", limit=250) == sorted(
        t.id for t in live if t.status == "paused"
    )
    assert all_pages(storage, status="error") == []

    cutoff = now + 300
    due = sorted(t.id for t in live if t.wake_at is not None and t.wake_at <= cutoff)
    assert all_pages(storage, wake_before=cutoff, limit=7) == due
    assert all_pages(storage, wake_before=cutoff, status="paused", limit=1000) == due

    # A cursor need not be an existing id; the last page has no next cursor.
    assert [t.id for t in storage.list(cursor="task-0994", limit=100).tasks] == [
        i for i in expected if i > "task-0994"
    ]
    assert storage.list(cursor=expected[-1]).next_cursor is None
    assert storage.list(cursor=expected[-1]).tasks == []
    with pytest.raises(BadArgumentError):
        storage.list(limit=0)


def test_every_status_and_the_flow_filters(backend: Backend) -> None:
    """Each status (``cancelled`` too) is stored and listed; ``Flow.list_tasks`` filters on every backend."""
    from seqflow_runtime.flow import Flow
    from seqflow_runtime.task import TASK_STATUSES

    storage = backend.storage
    now = time.time()
    for i, status in enumerate(TASK_STATUSES):
        storage.save(make_task(f"s-{status}", status=status, name=f"Job {i}", signals=[f"sig-{i}"],
                               wake_at=now + i * 100), None)
    for status in TASK_STATUSES:
        assert [t.id for t in storage.list(status=status).tasks] == [f"s-{status}"]
    stored = storage.load("s-cancelled")
    assert stored is not None and stored.signals == ["sig-3"]
    flow = Flow(storage=storage)
    assert [t.id for t in flow.list_tasks(name="Job 1").tasks] == ["s-completed"]
    assert [t.id for t in flow.list_tasks(search="JOB", status="cancelled").tasks] == ["s-cancelled"]
    assert [t.id for t in flow.list_tasks(search="s-", due_before=now + 150).tasks] == ["s-completed", "s-paused"]
    page = flow.list_tasks(search="job", limit=3)
    assert [t.id for t in page.tasks] == ["s-cancelled", "s-completed", "s-error"] and page.next_cursor == "s-error"
    assert [t.id for t in flow.list_tasks(search="job", cursor=page.next_cursor).tasks] == ["s-paused"]


def test_ids_starting_with_a_dot(backend: Backend) -> None:
    """Ids that look like hidden or relative names are stored and listed like any other."""
    storage = backend.storage
    for task_id in (".", "..", ".hidden", "plain"):
        storage.save(make_task(task_id), None)
        assert storage.load(task_id) is not None
    assert all_pages(storage, limit=2) == [".", "..", ".hidden", "plain"]


def big_vm_state(megabytes: float, seed: str) -> dict[str, Any]:
    """A replay log of just over ``megabytes`` MB of JSON; its escapes straddle chunk borders."""
    body = (seed + " ünïcödé ✓ \"quoted\" \\ back\\slash\n") * 16
    event_size = len(json.dumps({"kind": "fetch", "n": 99999, "body": body}))
    count = int(megabytes * 1_000_000 / event_size) + 1
    state = {"events": [{"kind": "fetch", "n": n, "body": body} for n in range(count)]}
    assert len(json.dumps(state)) > megabytes * 1_000_000
    return state


def firestore_chunk_count(storage: Storage, task_id: str) -> int:
    """How many chunk documents a Firestore task has (a peek inside, to catch leftovers)."""
    from seqflow_runtime.storage.firestore import FirestoreStorage

    assert isinstance(storage, FirestoreStorage)
    return len(list(storage._ref(task_id).collection("chunks").list_documents()))


def test_task_over_5_mb(backend: Backend) -> None:
    """A task with a replay log over 5 MB round-trips; shrinking and growing it reads back right."""
    storage = backend.storage
    big = make_task("big", vm_state=big_vm_state(5.2, "first"))
    storage.save(big, None)
    assert_same(storage.load("big"), big)
    small = make_task("big", version=2, vm_state={"events": []})
    storage.save(small, 1)
    assert_same(storage.load("big"), small)
    bigger = make_task("big", version=3, vm_state=big_vm_state(6.1, "second"))
    storage.save(bigger, 2)
    assert_same(storage.load("big"), bigger)
    # A stale writer of a big task changes nothing.
    with pytest.raises(VersionConflictError):
        storage.save(make_task("big", version=3, vm_state=big_vm_state(5.1, "stale")), 2)
    assert_same(storage.load("big"), bigger)
    assert [t.id for t in storage.list().tasks] == ["big"]
    if backend.name == "firestore":
        from seqflow_runtime.storage.firestore import CHUNK_BYTES

        # Only the current version's chunks remain.
        size = len(json.dumps(bigger.to_dict(), separators=(",", ":")))
        assert firestore_chunk_count(storage, "big") == -(-size // CHUNK_BYTES)
    assert storage.delete("big") is True
    assert storage.load("big", include_expired=True) is None
    if backend.name == "firestore":
        assert firestore_chunk_count(storage, "big") == 0


# --- several processes ----------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """Environment a worker needs to reach the servers (workers may predate the emulator)."""
    return {k: os.environ[k] for k in ("FIRESTORE_EMULATOR_HOST",) if k in os.environ}


def _race_to_save(
    url: str, env: dict[str, str], task_id: str, writer: int, barrier: Any
) -> tuple[int, str, int]:
    """Child: read the task, wait for every writer, then try to save the next version."""
    os.environ.update(env)
    try:
        storage = create_storage(url)
        task = storage.load(task_id)
        assert task is not None
        expected = task.version
        task.version += 1
        task.result = f"writer-{writer}"
        barrier.wait(timeout=60)
        try:
            storage.save(task, expected)
            outcome = "ok"
        except VersionConflictError:
            outcome = "conflict"
        storage.close()
    except BaseException as exc:  # report anything else to the parent
        outcome = f"error: {type(exc).__name__}: {exc}"
        barrier.abort()  # free the others rather than leave them waiting
    return writer, outcome, os.getpid()


def test_compare_and_swap_across_processes(
    backend: Backend, child_processes: ProcessPoolExecutor, sync_manager: SyncManager
) -> None:
    """Six processes race from the same version: exactly one save wins."""
    if not backend.shared_across_processes:
        pytest.skip(f"{backend.name} storage lives inside one process")
    writers = 6
    backend.storage.save(make_task("contended"), None)
    barrier = sync_manager.Barrier(writers)
    jobs = [
        child_processes.submit(_race_to_save, backend.url, child_env(), "contended", n, barrier)
        for n in range(writers)
    ]
    results = [job.result(timeout=120) for job in jobs]
    outcomes = {writer: outcome for writer, outcome, _ in results}
    pids = {pid for _, _, pid in results}
    assert len(pids) == writers and os.getpid() not in pids, "one OS process per writer"
    winners = [n for n, outcome in outcomes.items() if outcome == "ok"]
    assert len(winners) == 1, outcomes
    assert all(o == "conflict" for n, o in outcomes.items() if n != winners[0]), outcomes
    stored = backend.storage.load("contended")
    assert stored is not None
    assert stored.version == 2
    assert stored.result == f"writer-{winners[0]}"


def _race_to_signal(url: str, env: dict[str, str], task_id: str, sender: int, barrier: Any) -> tuple[int, str]:
    """Child: wait for every sender, then signal the task (a cold Flow: it replays the log)."""
    os.environ.update(env)
    try:
        from seqflow_runtime.flow import Flow

        storage = create_storage(url)
        barrier.wait(timeout=60)
        Flow(storage=storage).signal(task_id, "vote", sender)
        storage.close()
        outcome = "ok"
    except BaseException as exc:  # report anything else to the parent
        outcome = f"error: {type(exc).__name__}: {exc}"
        barrier.abort()
    return sender, outcome


def test_racing_signals_across_processes_lose_none(
    backend: Backend, child_processes: ProcessPoolExecutor, sync_manager: SyncManager
) -> None:
    """Six processes signal one task at once: each signal is logged once and delivered in log order."""
    if not backend.shared_across_processes:
        pytest.skip(f"{backend.name} storage lives inside one process")
    from seqflow_runtime.flow import Flow

    senders = 6
    Flow(storage=backend.storage).execute(
        "const votes = []; while (votes.length < 6) votes.push(await waitForSignal('vote')); votes", id="poll")
    barrier = sync_manager.Barrier(senders)
    jobs = [child_processes.submit(_race_to_signal, backend.url, child_env(), "poll", n, barrier)
            for n in range(senders)]
    assert sorted(job.result(timeout=180) for job in jobs) == [(n, "ok") for n in range(senders)]
    done = Flow(storage=backend.fresh()).get_task("poll")
    logged = [e["payload"] for e in (done.vm_state or {})["events"] if "signal" in e]
    assert sorted(logged) == list(range(senders))
    assert (done.status, done.result, done.version) == ("completed", logged, senders + 1)


def _sqlite_worker(url: str, worker: int, increments: int, barrier: Any) -> tuple[int, str, int]:
    """Child: bump a shared counter with CAS retries, and create tasks of its own."""
    try:
        storage = create_storage(url)
        barrier.wait(timeout=60)
        retries = 0
        for n in range(increments):
            storage.save(make_task(f"w{worker}-{n:03d}", vm_state={"worker": worker}), None)
            while True:
                counter = storage.load("counter")
                assert counter is not None
                expected = counter.version
                counter.version += 1
                counter.result = int(counter.result) + 1
                try:
                    storage.save(counter, expected)
                    break
                except VersionConflictError:
                    retries += 1
        storage.close()
        return worker, "ok", os.getpid()
    except BaseException as exc:
        barrier.abort()
        return worker, f"error: {type(exc).__name__}: {exc}", os.getpid()


def test_sqlite_two_processes_one_file(
    tmp_path: os.PathLike[str], child_processes: ProcessPoolExecutor, sync_manager: SyncManager
) -> None:
    """Two processes share one SQLite file without lost updates or lock errors."""
    url = "sqlite:" + os.path.join(os.fspath(tmp_path), "shared.db")
    storage = create_storage(url)
    storage.save(make_task("counter", result=0, vm_state=None), None)
    increments = 60
    barrier = sync_manager.Barrier(2)
    jobs = [child_processes.submit(_sqlite_worker, url, w, increments, barrier) for w in range(2)]
    results = [job.result(timeout=120) for job in jobs]
    assert [r[:2] for r in results] == [(0, "ok"), (1, "ok")], results
    assert results[0][2] != results[1][2], "two distinct processes"
    counter = storage.load("counter")
    assert counter is not None
    assert counter.result == 2 * increments  # no lost update
    assert counter.version == 1 + 2 * increments
    ids = all_pages(storage, limit=50)
    expected = [f"w{w}-{n:03d}" for w in range(2) for n in range(increments)]
    assert ids == sorted(expected + ["counter"])
    storage.close()


# --- cross-process resume through storage ---------------------------------------------------

WORKFLOW = """
const titles = [];
for (const id of [1, 2, 3]) {
  const res = await fetch('https://api.example.com/posts/' + id);
  titles.push((await res.json()).title);
}
return titles.join(' / ');
"""

RESUMER = """
import json, sys
from seqflow_runtime.flow import Flow
from seqflow_runtime.storage.url import create_storage
url, task_id = sys.argv[1], sys.argv[2]
statuses = []
for title in ("A", "B", "C"):
    # A new Flow per step: nothing is held in memory, every resume replays from storage.
    task = Flow(storage=create_storage(url)).resume(task_id, fetch_response={"data": {"title": title}})
    statuses.append(task.status)
print(json.dumps(statuses))
"""


def test_paused_task_resumed_to_completion_in_another_process(backend: Backend) -> None:
    """A task paused here is finished by a child process that has only the storage URL and the id."""
    if not backend.shared_across_processes:
        pytest.skip("memory storage lives in one process")
    from seqflow_runtime.flow import Flow

    task = Flow(storage=backend.storage).execute(WORKFLOW, id="cross-process")
    assert task.status == "paused"
    assert task.fetch_request is not None and task.fetch_request.url.endswith("/posts/1")
    done = subprocess.run([sys.executable, "-c", RESUMER, backend.url, "cross-process"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["paused", "paused", "completed"]
    final = Flow(storage=backend.fresh()).get_task("cross-process")
    assert (final.status, final.result, final.pause_count, final.version) == ("completed", "A / B / C", 3, 4)


# --- unreachable servers --------------------------------------------------------------------


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _closed_port_storage(name: str, monkeypatch: pytest.MonkeyPatch) -> Storage:
    port = closed_port()
    if name == "postgres":
        return create_storage(f"postgresql://postgres@127.0.0.1:{port}/test")
    if name == "redis":
        return create_storage(f"redis://127.0.0.1:{port}/0")
    pytest.importorskip("google.cloud.firestore")
    from seqflow_runtime.storage.firestore import FirestoreStorage

    # The client reads the emulator address when it is created.
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{port}")
    return FirestoreStorage("seqflow-test", "unreachable", timeout=2)


@pytest.mark.parametrize("name", ["postgres", "redis", "firestore"])
def test_unreachable_server_is_storage_error(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A closed port is a prompt StorageError naming the adapter and the operation."""
    storage = _closed_port_storage(name, monkeypatch)
    adapter = type(storage).__name__
    started = time.monotonic()
    with pytest.raises(StorageError) as info:
        storage.load("anything")
    assert f"{adapter}.load" in str(info.value)
    with pytest.raises(StorageError) as info:
        storage.save(make_task("anything"), None)
    assert f"{adapter}.save" in str(info.value)
    assert info.value.code == "storage_unavailable"
    assert time.monotonic() - started < 30  # bounded retries, not the library default minutes
    storage.close()


# --- create_storage -------------------------------------------------------------------------


def test_create_storage_local_urls(
    tmp_path: os.PathLike[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """file: and sqlite: URLs take relative and absolute paths; sqlite takes ?table=."""
    from seqflow_runtime.storage.file import FileStorage
    from seqflow_runtime.storage.memory import MemoryStorage
    from seqflow_runtime.storage.sqlite import SqliteStorage

    monkeypatch.chdir(tmp_path)
    assert isinstance(create_storage("memory:"), MemoryStorage)
    relative = create_storage("file:./tasks")
    assert isinstance(relative, FileStorage)
    assert os.fspath(relative.directory) == "tasks"
    absolute = create_storage(f"file://{os.fspath(tmp_path)}/abs")
    assert isinstance(absolute, FileStorage)
    assert os.fspath(absolute.directory) == os.path.join(os.fspath(tmp_path), "abs")
    db = create_storage("sqlite:./tasks.db?table=custom")
    assert isinstance(db, SqliteStorage)
    assert (db.path, db.table) == ("./tasks.db", "custom")
    db.save(make_task("x"), None)
    assert os.path.exists(os.path.join(os.fspath(tmp_path), "tasks.db"))
    db.close()
    assert isinstance(create_storage(f"sqlite://{os.fspath(tmp_path)}/abs.db"), SqliteStorage)


@pytest.mark.parametrize("url", ["mysql://localhost/db", "s3://bucket/x", "tasks.db", ""])
def test_create_storage_unknown_scheme_lists_schemes(url: str) -> None:
    """An unknown scheme is BadArgumentError, and the message says what would work."""
    with pytest.raises(BadArgumentError) as info:
        create_storage(url)
    for scheme in ("memory:", "file:", "sqlite:", "postgresql://", "redis://", "firestore://"):
        assert scheme in str(info.value)


@pytest.mark.parametrize(
    "url", ["sqlite:./x.db?bogus=1", "file:", "memory:/somewhere", "file://otherhost/dir"]
)
def test_create_storage_rejects_malformed_urls(url: str) -> None:
    """A known scheme with a path or parameter it cannot use is BadArgumentError."""
    with pytest.raises(BadArgumentError):
        create_storage(url)


@pytest.mark.parametrize(
    ("url", "module", "driver", "extra"),
    [
        ("postgresql://localhost/db", "postgres", "psycopg", "postgres"),
        ("redis://localhost", "redis_storage", "redis", "redis"),
        ("firestore://project/tasks", "firestore", "google.api_core", "firestore"),
    ],
)
def test_create_storage_names_missing_extra(
    url: str, module: str, driver: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing driver is a StorageError that names the pip extra to install."""
    # Simulate an environment without the driver: a None entry makes its import fail.
    monkeypatch.setitem(sys.modules, driver, None)
    monkeypatch.delitem(sys.modules, f"seqflow_runtime.storage.{module}", raising=False)
    with pytest.raises(StorageError) as info:
        create_storage(url)
    assert f"pip install 'seqflow-js[{extra}]'" in str(info.value)

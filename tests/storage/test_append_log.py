"""Append-only logs: a save writes only the log entries new since the version the writer loaded.

Each test runs for every backend (the ``backend`` fixture). What a backend
holds is checked through its own layout (records in a file, rows, list
elements) where that is what the test is about: that a step adds one small
piece, that a torn or racing append is never visible, that a task stored by an
earlier release (one whole JSON text) loads and is appended to.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pytest

from seqflow_runtime.errors import BadArgumentError, CorruptStateError, VersionConflictError
from seqflow_runtime.storage.base import Storage, encode_task
from seqflow_runtime.storage.url import create_storage
from seqflow_runtime.task import Task

from test_conformance import assert_same, child_env, make_task

if TYPE_CHECKING:
    from conftest import Backend


def log_task(task_id: str, **changes: Any) -> Task:
    """The conformance suite's realistic task, with a ``requests`` list in its log as well."""
    task = make_task(task_id, **changes)
    if task.vm_state is not None:
        task.vm_state["requests"] = [{"id": "req-1", "url": "https://api.example.com/items"}]
    return task


def grow(task: Task, start: int, count: int, size: int = 40) -> None:
    """Log ``count`` more events, requests and console lines on ``task`` (as a step does) and bump its version."""
    assert task.vm_state is not None
    for n in range(start, start + count):
        task.vm_state["events"].append({"deliver": f"r{n}", "response": {"status": 200, "data": "x" * size}})
        task.vm_state["requests"].append({"id": f"r{n}", "url": f"https://api.example.com/{n}"})
        task.logs.append({"level": "log", "message": f"step {n}"})
    task.version += 1


def pieces(backend: Backend, task_id: str) -> int | None:
    """How many appended pieces (records, rows, list elements) the backend holds for the task; ``None``: not kept so."""
    url = backend.url
    if backend.name == "file":
        path = os.path.join(unquote(url.removeprefix("file://")), task_id + ".json")
        with open(path, "rb") as f:
            return f.read().count(b"\n") // 2
    if backend.name == "sqlite":
        import sqlite3

        with sqlite3.connect(unquote(url.removeprefix("sqlite://"))) as conn:
            return int(conn.execute("SELECT count(*) FROM seqflow_tasks_log WHERE task_id = ?",
                                    (task_id,)).fetchone()[0])
    if backend.name == "postgres":
        import psycopg

        dsn, table = url.split("?table=")
        with psycopg.connect(dsn) as conn:
            row = conn.execute(f"SELECT count(*) FROM {table}_log WHERE task_id = %s", (task_id,)).fetchone()
            assert row is not None
            return int(row[0])
    if backend.name == "redis":
        import redis

        base, prefix = url.split("?prefix=")
        client = redis.Redis.from_url(base)
        try:
            return int(client.llen(f"{prefix}log:{task_id}"))
        finally:
            client.close()
    if backend.name == "firestore":
        from seqflow_runtime.storage.firestore import FirestoreStorage

        assert isinstance(backend.storage, FirestoreStorage)
        return len(list(backend.storage._ref(task_id).collection("log").list_documents()))
    return None


def store_whole(backend: Backend, task: Task) -> None:
    """Store ``task`` as an earlier release did: its whole JSON in one text, no log pieces."""
    backend.storage.save(task, None)
    text = encode_task(task.to_dict())
    url = backend.url
    if backend.name == "file":
        with open(os.path.join(unquote(url.removeprefix("file://")), task.id + ".json"), "w") as f:
            f.write(text)
    elif backend.name == "sqlite":
        import sqlite3

        with sqlite3.connect(unquote(url.removeprefix("sqlite://"))) as conn:
            conn.execute("UPDATE seqflow_tasks SET data = ?, log_counts = NULL WHERE id = ?", (text, task.id))
            conn.execute("DELETE FROM seqflow_tasks_log WHERE task_id = ?", (task.id,))
    elif backend.name == "postgres":
        import psycopg

        dsn, table = url.split("?table=")
        with psycopg.connect(dsn) as conn:
            conn.execute(f"UPDATE {table} SET data = %s, log_counts = NULL WHERE id = %s", (text, task.id))
            conn.execute(f"DELETE FROM {table}_log WHERE task_id = %s", (task.id,))
    elif backend.name == "redis":
        import redis

        base, prefix = url.split("?prefix=")
        client = redis.Redis.from_url(base)
        try:
            client.hset(f"{prefix}task:{task.id}", "data", text)
            client.hdel(f"{prefix}task:{task.id}", "counts")
            client.delete(f"{prefix}log:{task.id}")
        finally:
            client.close()
    elif backend.name == "firestore":
        from seqflow_runtime.storage.firestore import FirestoreStorage

        assert isinstance(backend.storage, FirestoreStorage)
        ref = backend.storage._ref(task.id)
        ref.update({"data": text, "chunks": 0, "head": None, "log_seq": 0, "log_counts": None,
                    "append_id": None})
    else:
        pytest.skip(f"{backend.name} has no layout of an earlier release")


def test_a_step_appends_one_piece_and_reads_back_whole(backend: Backend) -> None:
    """Ten steps on a loaded task: each adds one piece; every reader (a fresh instance too) sees the whole task."""
    storage = backend.storage
    task = log_task("steps")
    storage.save(task, None)
    before = pieces(backend, "steps")
    for step in range(10):
        loaded = storage.load("steps")
        assert loaded is not None and loaded.stored is not None
        grow(loaded, step * 3, 3)
        storage.save(loaded, loaded.version - 1)
        task = loaded
    assert_same(storage.load("steps"), task)
    if before is not None:
        assert pieces(backend, "steps") == before + 10
    if backend.shared_across_processes:
        other = backend.fresh()
        try:
            assert_same(other.load("steps"), task)
        finally:
            other.close()


def test_a_saved_task_appends_again_without_a_load(backend: Backend) -> None:
    """The task object a save returned from keeps appending (a live program's task, step after step)."""
    storage = backend.storage
    task = log_task("live")
    storage.save(task, None)
    for step in range(5):
        grow(task, step, 1)
        storage.save(task, task.version - 1)
    assert_same(storage.load("live"), task)
    assert storage.load("live").vm_state["events"][-1]["deliver"] == "r4"  # type: ignore[union-attr,index]


def test_load_head_reads_no_log(backend: Backend) -> None:
    """``load_head`` gives the task's fields and how much log is stored; a caller holding the log fills it in."""
    storage = backend.storage
    task = log_task("head")
    grow(task, 0, 7)
    task.version = 1
    storage.save(task, None)
    head = storage.load_head("head")
    assert head is not None and head.stored is not None
    assert head.version == 1 and head.status == "paused" and head.fetch_requests == task.fetch_requests
    assert (head.stored.events, head.stored.requests, head.stored.logs) == (
        len(task.vm_state["events"]), len(task.vm_state["requests"]), len(task.logs))  # type: ignore[index]
    assert storage.load_head("nobody") is None
    if head.stored.partial:  # a backend that reads heads only: such a task is no task to save
        head.version += 1
        with pytest.raises(BadArgumentError):
            storage.save(head, 1)
        assert_same(storage.load("head"), task)


def test_a_task_of_an_earlier_release_loads_and_is_appended_to(backend: Backend) -> None:
    """A whole-JSON task (an earlier release's layout) loads as it was; its next saves go to the new layout."""
    storage = backend.storage
    task = log_task("old")
    store_whole(backend, task)
    assert_same(storage.load("old"), task)
    assert storage.load_head("old") is not None
    loaded = storage.load("old")
    assert loaded is not None
    grow(loaded, 0, 2)
    storage.save(loaded, 1)
    assert_same(storage.load("old"), loaded)
    grow(loaded, 2, 2)
    storage.save(loaded, 2)
    assert_same(storage.load("old"), loaded)
    with pytest.raises(VersionConflictError):
        storage.save(log_task("old", version=9), 1)


def test_a_changed_history_is_written_whole(backend: Backend) -> None:
    """A writer that rewrote the log (``stored = None``) or whose idea of the stored log is stale writes it all."""
    storage = backend.storage
    task = log_task("history")
    grow(task, 0, 3)
    task.version = 1
    storage.save(task, None)
    loaded = storage.load("history")
    assert loaded is not None
    loaded.vm_state["events"][0] = {"clock": 1}  # type: ignore[index]
    loaded.logs = loaded.logs[:1]
    loaded.stored = None
    loaded.version += 1
    storage.save(loaded, 1)
    assert_same(storage.load("history"), loaded)
    # A shorter log than the stored one cannot be an append either, whatever the task claims.
    stale = storage.load("history")
    assert stale is not None
    stale.vm_state["events"] = stale.vm_state["events"][:1]  # type: ignore[index]
    stale.version += 1
    storage.save(stale, 2)
    assert_same(storage.load("history"), stale)


def test_odd_and_missing_log_parts_read_back_exactly(backend: Backend) -> None:
    """A vm_state whose events are not a list, no vm_state, and empty lists all read back as saved."""
    storage = backend.storage
    cases = {
        "odd": make_task("odd", vm_state={"events": 5, "requests": "no", "note": [1]}, logs=[]),
        "none": make_task("none", vm_state=None),
        "empty": make_task("empty", vm_state={"format": "x", "requests": [], "events": []}),
    }
    for task_id, task in cases.items():
        storage.save(task, None)
        assert_same(storage.load(task_id), task)
        loaded = storage.load(task_id)
        assert loaded is not None
        loaded.version += 1
        loaded.logs.append({"level": "log", "message": "more"})
        storage.save(loaded, 1)
        assert_same(storage.load(task_id), loaded)


def test_appended_entries_keep_key_order_negative_zero_and_lone_surrogates(backend: Backend) -> None:
    """What is appended reads back byte for byte: key order, -0.0, big numbers, NUL and lone surrogates."""
    storage = backend.storage
    task = log_task("exact")
    storage.save(task, None)
    loaded = storage.load("exact")
    assert loaded is not None
    odd = {"zeta": 1, "alpha": -0.0, "10": 1e21, "2": 2**53, "lone": "\ud800", "nul": "\x00", "small": 1.5e-7}
    loaded.vm_state["events"].append({"deliver": "r9", "response": {"data": odd}})  # type: ignore[index]
    loaded.logs.append({"level": "log", "message": "\udfff and \x00"})
    loaded.version += 1
    storage.save(loaded, 1)
    back = storage.load("exact")
    assert back is not None
    assert encode_task(back.to_dict()) == encode_task(loaded.to_dict())
    data = back.vm_state["events"][-1]["response"]["data"]  # type: ignore[index]
    assert list(data) == list(odd) and str(data["alpha"]) == "-0.0"


def test_a_huge_event_is_appended(backend: Backend) -> None:
    """One 6 MB event appended to a stored task reads back whole."""
    storage = backend.storage
    task = log_task("huge")
    storage.save(task, None)
    loaded = storage.load("huge")
    assert loaded is not None
    loaded.vm_state["events"].append({"deliver": "big", "response": {"body": "é" * (6 << 20)}})  # type: ignore[index]
    loaded.version += 1
    storage.save(loaded, 1)
    assert_same(storage.load("huge"), loaded)


def test_racing_appenders_one_wins_and_the_others_events_are_nowhere(backend: Backend) -> None:
    """Eight writers (own instances, own threads) append from the same version: one wins; only its events are stored."""
    writers = 8
    backend.storage.save(log_task("race"), None)
    stores = [backend.fresh() if backend.shared_across_processes else backend.storage for _ in range(writers)]
    barrier = threading.Barrier(writers)
    outcomes: dict[int, str] = {}

    def write(n: int) -> None:
        task = stores[n].load("race")
        assert task is not None
        task.vm_state["events"].append({"writer": n})  # type: ignore[index]
        task.logs.append({"level": "log", "message": f"writer {n}"})
        task.version += 1
        barrier.wait(timeout=60)
        try:
            stores[n].save(task, 1)
            outcomes[n] = "ok"
        except VersionConflictError:
            outcomes[n] = "conflict"

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    winners = [n for n, outcome in outcomes.items() if outcome == "ok"]
    assert len(outcomes) == writers and len(winners) == 1, outcomes
    stored = backend.storage.load("race")
    assert stored is not None and stored.version == 2
    assert [e for e in stored.vm_state["events"] if "writer" in e] == [{"writer": winners[0]}]  # type: ignore[union-attr]
    assert stored.logs[-1] == {"level": "log", "message": f"writer {winners[0]}"}
    # The loser's next try, from what it lost to, appends after the winner's entries.
    loser = backend.storage.load("race")
    assert loser is not None
    grow(loser, 100, 1)
    backend.storage.save(loser, 2)
    assert_same(backend.storage.load("race"), loser)
    if backend.shared_across_processes:
        for store in stores:
            store.close()


APPENDER = r"""
import sys, time
sys.path.insert(0, sys.argv[3])
from seqflow_runtime.storage.url import create_storage
storage = create_storage(sys.argv[1])
task = storage.load(sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    n += 1
    task.vm_state["events"].append({"deliver": f"r{n}", "response": {"body": "y" * 200000}})
    task.logs.append({"level": "log", "message": f"step {n}"})
    task.version += 1
    storage.save(task, task.version - 1)
"""


def test_kill_9_mid_append_leaves_the_last_whole_version(backend: Backend) -> None:
    """A writer killed at a random point of its appends: the task loads whole at some version, and takes appends."""
    if not backend.shared_across_processes:
        pytest.skip(f"{backend.name} storage lives inside one process")
    first = log_task("killed")
    backend.storage.save(first, None)
    base_events, base_logs = len(first.vm_state["events"]), len(first.logs)  # type: ignore[index]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, **child_env()}
    for delay in (0.3, 0.55, 0.8):
        child = subprocess.Popen([sys.executable, "-c", APPENDER, backend.url, "killed", root],
                                 stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        time.sleep(1.0)  # a write the killed writer had already sent may still land on a server
        task = backend.storage.load("killed")
        assert task is not None and task.vm_state is not None
        events = task.vm_state["events"]
        # Every version is whole: the events it holds are exactly the ones its writer had logged.
        assert len(task.logs) - base_logs == len(events) - base_events, (len(task.logs), len(events))
        assert all(len(e["response"]["body"]) == 200000 for e in events if "body" in e.get("response", {}))
        grow(task, 1000, 1)
        backend.storage.save(task, task.version - 1)
        assert_same(backend.storage.load("killed"), task)


def test_file_storage_ignores_a_torn_tail_and_cuts_it_off(tmp_path: Any) -> None:
    """Half a record at the end of a task file (a crash mid-append) is not read; the next append replaces it."""
    url = "file://" + str(tmp_path / "tasks")
    storage = create_storage(url)
    task = log_task("torn")
    storage.save(task, None)
    grow(task, 0, 2)
    storage.save(task, 1)
    path = tmp_path / "tasks" / "torn.json"
    good = path.read_bytes()
    for tail in (b"[{\"id\"", good[: len(good) // 3], good[-30:], b"\n#0000000005:0000", b"Q" * 5000):
        path.write_bytes(good + tail)
        assert_same(storage.load("torn"), task)
        assert storage.load_head("torn") is not None and storage.load_head("torn").version == 2  # type: ignore[union-attr]
    grow(task, 2, 1)
    storage.save(task, 2)
    assert path.read_bytes().startswith(good) and b"QQQQ" not in path.read_bytes()
    assert_same(storage.load("torn"), task)


def test_file_storage_refuses_a_file_with_no_whole_record(tmp_path: Any) -> None:
    """A task file with no whole record at all is corrupt, said so by a typed error."""
    storage = create_storage("file://" + str(tmp_path / "tasks"))
    storage.save(log_task("bad"), None)
    path = tmp_path / "tasks" / "bad.json"
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(CorruptStateError):
        storage.load("bad")


def test_a_flow_hot_step_reads_only_the_head(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Flow holding the live program loads only the head per step, and what it stores equals a cold run's."""
    from seqflow_runtime.flow import Flow

    code = "const out = []; for (let i = 0; i < 6; i++) { console.log('i', i); " \
           "out.push((await (await fetch('https://api.example.com/' + i)).json()).v); } out.join()"
    flow = Flow(storage=backend.storage)
    flow.execute(code, id="hot")
    loads: list[str] = []
    for name in ("load", "load_head"):
        original = getattr(backend.storage, name)

        def counting(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            loads.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(backend.storage, name, counting)
    for i in range(6):
        task = flow.resume("hot", fetch_response={"status": 200, "data": {"v": i}})
    reads_heads = type(backend.storage).load_head is not Storage.load_head  # else load_head is a whole load
    assert loads == ["load_head"] * 6 if reads_heads else ["load_head", "load"] * 6
    assert task.status == "completed" and task.result == "0,1,2,3,4,5"
    monkeypatch.undo()
    stored = backend.storage.load("hot")
    assert stored is not None and len(stored.logs) == 6
    cold = Flow(storage=create_storage("memory:"))
    cold.execute(code, id="hot")
    for i in range(6):
        cold = Flow(storage=cold.storage)
        expected = cold.resume("hot", fetch_response={"status": 200, "data": {"v": i}})
    def untimed(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in e.items() if k != "at"} for e in events]  # "at": when it arrived

    assert untimed(stored.vm_state["events"]) == untimed(expected.vm_state["events"])  # type: ignore[index]
    assert stored.logs == expected.logs

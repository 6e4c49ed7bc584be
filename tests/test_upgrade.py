"""Upgrades and migrations: paused tasks survive a new seqflow, and a deliberate code change."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from seqflow_runtime import (
    BadArgumentError,
    FileStorage,
    MemoryStorage,
    ReplayDivergenceError,
    SequentialFlow,
    TaskNotPausedError,
    VersionConflictError,
    create_flow,
)
from seqflow_runtime.errors import CodeMismatchError, ForeignStateError
from seqflow_runtime.flow import Flow
from seqflow_runtime.storage import SqliteStorage

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PREVIOUS_WHEEL = FIXTURES / "seqflow-0.1.0-py3-none-any.whl"

# Several pauses: a fetch, a timer, a Promise.all answered in two resumes, a timer, a POST.
# The random draw is in a URL, so replay under the new release must draw the same number.
WORKFLOW = """
  const r = Math.random();
  const log = [];
  const first = await (await fetch('https://api.example.com/start?r=' + r)).json();
  log.push(first.step);
  const t0 = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 50));
  log.push(Date.now() - t0 >= 50 ? 'slept' : 'early');
  const [a, b] = await Promise.all([fetch('https://api.example.com/a'), fetch('https://api.example.com/b')]);
  log.push((await a.json()).v + (await b.json()).v);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const last = await fetch('https://api.example.com/last', {method: 'POST', body: JSON.stringify(log)});
  log.push((await last.json()).ok);
  return log.join(' | ');
"""

OLD_RELEASE_SCRIPT = """
import json, sys, time
from seqflow_runtime import FileStorage, __version__, create_flow
from seqflow_runtime.storage import SqliteStorage

code = sys.stdin.read()
out = {"version": __version__}
for kind, where in (("file", sys.argv[1]), ("sqlite", sys.argv[2])):
    storage = FileStorage(where) if kind == "file" else SqliteStorage(where)
    flow = create_flow(storage)
    task = flow.execute(code, id="from-0.1.0")
    task = flow.resume(task.id, fetch_response={"data": {"step": "started"}})
    assert task.status == "paused" and task.wake_at is not None, task
    time.sleep(0.06)
    task = flow.resume(task.id)
    assert [r.id for r in task.fetch_requests] == ["req-2", "req-3"], task
    task = flow.resume(task.id, responses={"req-3": {"data": {"v": 2}}})
    out[kind] = {"status": task.status, "version": task.version, "requests": [r.id for r in task.fetch_requests],
                 "state": task.vm_state}
print(json.dumps(out))
"""

_OFFLINE = ("NewConnectionError", "Max retries", "Temporary failure in name resolution", "Network is unreachable",
            "No matching distribution found", "Could not find a version")


def _pip(venv_python: Path, *args: str) -> None:
    # Without PYTHONPATH: a checkout on it (with its egg-info) would look like an installed seqflow to pip.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv_python), "install", "-q", *args],
                          capture_output=True, text=True, env=env, timeout=120)
    if done.returncode != 0:
        if any(marker in done.stderr for marker in _OFFLINE):
            pytest.skip(f"pip cannot reach the package index to build the 0.1.0 environment: {done.stderr[-300:]}")
        raise AssertionError(f"pip install {args} failed:\n{done.stderr}")


def test_a_task_paused_by_the_previous_release_resumes_to_completion(tmp_path: Path) -> None:
    assert PREVIOUS_WHEEL.stat().st_size < 400_000
    venv = tmp_path / "venv-0.1.0"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    _pip(python, "esprima==4.0.1", "astor", "dill")
    _pip(python, "--no-deps", str(PREVIOUS_WHEEL))
    files, db = tmp_path / "tasks", tmp_path / "tasks.db"
    ran = subprocess.run([str(python), "-c", OLD_RELEASE_SCRIPT, str(files), str(db)], input=WORKFLOW,
                         capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert ran.returncode == 0, ran.stderr
    old = json.loads(ran.stdout)
    assert old["version"] == "0.1.0"
    for kind, storage in (("file", FileStorage(files)), ("sqlite", SqliteStorage(str(db)))):
        paused = old[kind]
        assert paused["status"] == "paused" and paused["requests"] == ["req-2"]
        assert "timezone" not in paused["state"] and paused["state"]["runtime"] == "0.1.0"
        flow = Flow(storage=storage)
        task = flow.resume("from-0.1.0", responses={"req-2": {"data": {"v": 40}}})
        assert task.status == "paused" and task.wake_at is not None and task.version == paused["version"] + 1
        time.sleep(max(0.0, task.wake_at - time.time()) + 0.01)
        task = Flow(storage=storage).resume("from-0.1.0")  # cold: replays the 0.1.0 log
        assert task.fetch_request is not None and task.fetch_request.method == "POST"
        assert task.fetch_request.body == '["started","slept",42]'
        done = Flow(storage=storage).resume("from-0.1.0", fetch_response={"data": {"ok": True}})
        assert done.status == "completed", done.error
        assert done.result == "started | slept | 42 | true"


def test_the_code_hash_is_the_source_and_dialect_only() -> None:
    task = create_flow().execute("await fetch('https://x.example/a'); 1")
    assert task.vm_state is not None
    state = dict(task.vm_state)
    # The hash 0.1.0 wrote (codegen "1" mixed in) is still read; a hash of other code is foreign.
    legacy = hashlib.sha256(f"standard\0" "1" f"\0{task.code}".encode()).hexdigest()
    assert state["codeHash"] == hashlib.sha256(f"standard\0{task.code}".encode()).hexdigest()
    done = create_flow(unsafe_trust_unsigned_state=True).resume(task.id, fetch_response={"data": {}}, vm_state={**state, "codeHash": legacy})
    assert done.result == 1
    with pytest.raises(ForeignStateError):
        create_flow(unsafe_trust_unsigned_state=True).resume(task.id, fetch_response={"data": {}}, vm_state={**state, "codeHash": "0" * 64})
    with pytest.raises(ForeignStateError):
        create_flow(unsafe_trust_unsigned_state=True).resume(task.id, fetch_response={"data": {}}, vm_state={**state, "code": "2"})


# -- 9. migrate --------------------------------------------------------------------------------------

SUM = """
  const a = await (await fetch('https://x.example/a')).json();
  const b = await (await fetch('https://x.example/b')).json();
  return a.n + b.n;
"""


def paused_at_b(storage: object) -> str:
    flow = create_flow(storage)
    task = flow.execute(SUM, id="m")
    flow.resume("m", fetch_response={"data": {"n": 6}})
    return task.id


def test_migrate_accepts_code_that_replays_to_the_same_pause() -> None:
    storage = MemoryStorage()
    holder = create_flow(storage)
    task = holder.execute(SUM, id="m")
    task = holder.resume("m", fetch_response={"data": {"n": 6}})  # holder keeps the live (old) program
    new_code = SUM.replace("a.n + b.n", "a.n * b.n")
    migrated = create_flow(storage).migrate("m", new_code)
    assert migrated.code == new_code and migrated.version == task.version + 1
    assert migrated.vm_state is not None and task.vm_state is not None
    assert migrated.vm_state["events"] == task.vm_state["events"]
    assert migrated.vm_state["seed"] == task.vm_state["seed"]
    assert [r.id for r in migrated.fetch_requests] == ["req-2"]
    # The Flow holding the old live program saw version 2: its unnamed answer is stale now...
    with pytest.raises(VersionConflictError):
        holder.resume("m", fetch_response={"data": {"n": 7}})
    # ...a named one is not; it notices the new version and replays the new code.
    done = holder.resume("m", fetch_response={"id": "req-2", "data": {"n": 7}})
    assert done.status == "completed" and done.result == 42


@pytest.mark.parametrize(("change", "named"), [
    (("'https://x.example/a'", "'https://x.example/A'"),
     "at request 1: the program now issues GET https://x.example/A where the log has GET https://x.example/a"),
    (("const a =", "await fetch('https://x.example/extra'); const a ="),
     "at request 1: the program now issues GET https://x.example/extra"),
    (("const b = await (await fetch('https://x.example/b')).json();", "const b = {n: 1};"),
     "completes during replay instead of reaching the task's pause; it never issues req-2 (GET https://x.example/b)"),
    (("const b = await", "await fetch('https://x.example/c'); const b = await"),
     "at request 2: the program now issues GET https://x.example/c where the log has GET https://x.example/b"),
])
def test_migrate_refuses_code_that_diverges_and_leaves_the_task_untouched(
        tmp_path: Path, change: tuple[str, str], named: str) -> None:
    storage = FileStorage(tmp_path)
    paused_at_b(storage)
    before = create_flow(storage).get_task("m")
    new_code = SUM.replace(*change)
    assert new_code != SUM
    with pytest.raises(ReplayDivergenceError) as info:
        create_flow(storage).migrate("m", new_code)
    assert named in str(info.value)
    assert info.value.code == "replay_divergence"
    after = create_flow(storage).get_task("m")
    assert after.to_dict() == before.to_dict()
    assert create_flow(storage).resume("m", fetch_response={"data": {"n": 7}}).result == 13


def test_migrate_refuses_a_different_timer_and_bad_calls() -> None:
    storage = MemoryStorage()
    flow = create_flow(storage)
    nap = "await new Promise((r) => setTimeout(r, 60000)); 'up'"
    task = flow.execute(nap, id="nap")
    with pytest.raises(ReplayDivergenceError, match="timer"):
        flow.migrate("nap", nap.replace("60000", "120000"))
    assert flow.migrate("nap", nap.replace("'up'", "'awake'")).version == task.version + 1
    with pytest.raises(BadArgumentError, match="does not parse"):
        flow.migrate("nap", "await (")
    with pytest.raises(BadArgumentError):
        flow.migrate("nap", 42)
    done = flow.execute("1 + 1", id="done")
    with pytest.raises(TaskNotPausedError):
        flow.migrate(done.id, "2")


def test_the_stored_code_wins_on_a_plain_resume_after_migrate() -> None:
    SequentialFlow.set_default_storage(MemoryStorage())
    old_code = "const u = fetch('https://x.example/u'); u.name"
    SequentialFlow.execute({"id": "seeds", "code": old_code})
    new_code = old_code + " + '!'"
    SequentialFlow._default().migrate("seeds", new_code)
    with pytest.raises(CodeMismatchError):
        SequentialFlow.resume({"taskId": "seeds", "originalCode": old_code, "fetchResponse": {"data": {"name": "A"}}})
    done = SequentialFlow.resume({"taskId": "seeds", "originalCode": new_code,
                                  "fetchResponse": {"data": {"name": "A"}}})
    assert done.result == "A!"


def test_migrate_keeps_the_logged_time_zone() -> None:
    storage = MemoryStorage()
    code = "const h = new Date(2024, 0, 1, 9).getTimezoneOffset(); await fetch('https://x.example/a'); h"
    Flow(storage=storage, timezone=ZoneInfo("Asia/Tokyo")).execute(code, id="tz")
    migrated = Flow(storage=storage).migrate("tz", code + " + 0")
    assert migrated.vm_state is not None and migrated.vm_state["timezone"] == "Asia/Tokyo"
    assert Flow(storage=storage).resume("tz", fetch_response={"data": {}}).result == -540


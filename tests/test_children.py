"""Child tasks (``runTask``): against real storages, a real local HTTP server and real OS processes."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from test_worker import Api, api, start_worker, statuses, stop_workers, storage_url, wait_for  # noqa: F401

from seqflow_runtime import Flow
from seqflow_runtime import children
from seqflow_runtime.children import child_task_id
from seqflow_runtime.cli import main
from seqflow_runtime.errors import ReplayDivergenceError, TaskNotPausedError
from seqflow_runtime.limits import Limits
from seqflow_runtime.storage import MemoryStorage
from seqflow_runtime.storage.url import create_storage
from seqflow_runtime.task import FetchRequest
from seqflow_runtime.worker import Worker

ROOT = Path(__file__).resolve().parent.parent

# A parent fans out to two children that each fetch, and sums what they return.
FAN_OUT = """
const child = `const r = await fetch(%(base)r + '/n/' + input.n); (await r.json()).n * 10`;
const [a, b] = await Promise.all([
  runTask(child, { input: { n: 1 }, name: 'one' }),
  runTask(child, { input: { n: 2 }, name: 'two' }),
]);
a + b
"""


def answer(request: FetchRequest) -> dict[str, Any]:
    """A response for ``/n/<k>``: ``{"n": k}``."""
    return {"status": 200, "data": {"n": int(request.url.rsplit("/", 1)[-1])}}


def test_parent_awaits_two_children_in_promise_all() -> None:
    flow = Flow(MemoryStorage())
    task = flow.execute(FAN_OUT % {"base": "https://api.example"}, id="p")
    assert task.status == "paused" and not task.fetch_requests
    assert task.children == [{"id": "task-1", "taskId": "p.task-1", "name": "one"},
                             {"id": "task-2", "taskId": "p.task-2", "name": "two"}]
    shown = flow.get_task("p").to_dict()
    assert shown["children"] == task.children and shown["checkAt"] is not None
    child = flow.get_task("p.task-1")
    assert child.status == "paused" and child.parent == {"taskId": "p", "requestId": "task-1"}
    assert child.fetch_request is not None and child.fetch_request.url == "https://api.example/n/1"
    # Answering the children by hand: the parent moves on when the second one ends.
    assert flow.resume("p.task-1", answer(child.fetch_request)).status == "completed"
    assert flow.get_task("p").children == [{"id": "task-2", "taskId": "p.task-2", "name": "two"}]
    second = flow.get_task("p.task-2")
    assert second.fetch_request is not None
    flow.resume("p.task-2", answer(second.fetch_request))
    done = flow.get_task("p")
    assert (done.status, done.result, done.children, done.check_at) == ("completed", 30, [], None)


def test_flow_run_drives_the_children() -> None:
    flow = Flow(MemoryStorage())
    task = flow.run(FAN_OUT % {"base": "https://api.example"}, id="p", fetch=answer)
    assert (task.status, task.result) == ("completed", 30)
    assert Counter(t.status for t in flow.list_tasks().tasks) == Counter(completed=3)


def test_a_child_failure_is_caught_by_the_parent() -> None:
    flow = Flow(MemoryStorage())
    code = """
    try { await runTask("null.x", { name: 'bad' }); }
    catch (e) { [e.name, e.status, e.taskId, e.cause.name, e instanceof Error, e.message] }
    """
    task = flow.execute(code, id="p")
    assert task.status == "completed"
    assert task.result == ["ChildTaskError", "error", "p.task-1", "TypeError", True,
                           "Child task p.task-1 failed: TypeError: Cannot read properties of null (reading 'x')"]
    # A child whose code does not parse fails the same way.
    task = flow.execute("try { await runTask('let let = 1') } catch (e) { e.cause.name }", id="q")
    assert task.result == "SyntaxError"
    # Unhandled, the ChildTaskError fails the parent.
    task = flow.execute("await runTask('throw new RangeError(\"no\")')", id="r")
    assert task.status == "error" and task.error_details is not None
    assert task.error_details["name"] == "ChildTaskError"


def test_cancelling_the_parent_cascades_to_its_children() -> None:
    flow = Flow(MemoryStorage())
    code = """
    try { await runTask("await runTask('await waitForSignal(`go`)')") }
    finally { await fetch('https://api.example/n/7') }
    """
    task = flow.execute(code, id="p")
    assert task.status == "paused"
    assert flow.get_task("p.task-1").children[0]["taskId"] == "p.task-1.task-1"
    assert flow.get_task("p.task-1.task-1").signals == ["go"]
    task = flow.cancel("p", "stop")
    # The parent's cleanup fetches; its child and grandchild were cancelled at once.
    assert task.status == "paused" and task.fetch_request is not None and task.children == []
    child, grandchild = flow.get_task("p.task-1"), flow.get_task("p.task-1.task-1")
    assert child.status == grandchild.status == "cancelled"
    assert child.error == "CancelledError: The task was cancelled: its parent task p no longer waits on it"
    assert grandchild.error is not None and "its parent task p.task-1 ended (cancelled)" in grandchild.error
    task = flow.resume("p", answer(task.fetch_request))
    assert task.status == "cancelled" and task.error == "CancelledError: The task was cancelled: stop"
    with pytest.raises(TaskNotPausedError):
        flow.signal("p.task-1.task-1", "go")


def test_children_the_parent_stops_waiting_on_are_cancelled() -> None:
    flow = Flow(MemoryStorage())
    code = """
    const slow = runTask("await waitForSignal('never')", { name: 'slow' });
    await Promise.race([slow, runTask("'fast'")]);
    """
    task = flow.execute(code, id="p")
    assert task.status == "completed" and task.result == "fast"
    slow = flow.get_task("p.task-1")
    assert slow.status == "cancelled" and slow.error is not None and "no longer waits" not in slow.error
    assert "ended (completed)" in slow.error
    # A task that starts a child and ends without awaiting it never creates it.
    assert flow.execute("runTask('1'); 2", id="q").result == 2
    assert flow.storage.load("q.task-1") is None


def test_hostile_script_starting_children_in_a_loop_hits_the_limit() -> None:
    flow = Flow(MemoryStorage(), limits=Limits(max_child_tasks=5))
    task = flow.execute("for (;;) { try { runTask('await waitForSignal(\"x\")') } catch (e) {} }", id="bomb")
    assert task.status == "error" and task.error_details is not None
    assert (task.error_details["code"], task.error_details["limit"]) == ("limit_exceeded", "max_child_tasks")
    assert [t.id for t in flow.list_tasks().tasks] == ["bomb"], "a task that ends never creates its children"
    # Nesting: every level starts one more; the third level down may not start any.
    nest = "await runTask(input.code, { input })"
    task = flow.execute(nest, id="deep", input={"code": nest})
    assert task.status == "error" and task.error_details is not None
    assert task.error_details["name"] == "ChildTaskError" and "max_child_depth" not in task.error_details
    assert flow.storage.load("deep.task-1.task-1.task-1") is None
    innermost = flow.get_task("deep.task-1.task-1")
    assert innermost.error_details is not None and innermost.error_details["limit"] == "max_child_depth"
    # Bad arguments are catchable errors.
    task = flow.execute("""[
      (() => { try { runTask(1) } catch (e) { return e.name } })(),
      (() => { try { runTask('1', { name: 5 }) } catch (e) { return e.name } })(),
      (() => { try { runTask('1', { input: 'x'.repeat(2000) }) } catch (e) { return e.name } })(),
    ]""", id="args")
    assert task.result[:2] == ["TypeError", "TypeError"]
    small = Flow(MemoryStorage(), limits=Limits(max_payload_bytes=1000))
    assert small.execute("try { runTask('1', { input: 'x'.repeat(2000) }) } catch (e) { e.name }").result == \
        "RangeError"


def test_a_lost_outcome_or_a_missing_child_is_seen_to_by_the_next_look() -> None:
    flow = Flow(MemoryStorage(), child_check=0.3)
    task = flow.execute("const a = await runTask('await waitForSignal(\"s\")'); a + 1", id="p")
    assert task.check_at == pytest.approx(task.updated_at + 0.3)
    # The child ends but its process dies before telling the parent: its state is saved by hand.
    child = flow.storage.load("p.task-1")
    assert child is not None
    child.status, child.result, child.signals = "completed", 41, []
    child.version += 1
    flow.storage.save(child, child.version - 1)
    # A worker claims the parent at its checkAt and resumes it: the resume looks at the children.
    time.sleep(0.35)
    asyncio.run(Worker(flow, poll_interval=0.1).run_until_idle())
    task = flow.get_task("p")
    assert (task.status, task.result) == ("completed", 42)
    # A child never stored (the parent's process died after saving its pause) is created by the look.
    flow.execute("await runTask('await waitForSignal(\"s\")')", id="q")
    assert flow.storage.delete("q.task-1")
    before = flow.get_task("q")
    time.sleep(0.35)
    asyncio.run(Worker(flow, poll_interval=0.1).run_until_idle())
    task = flow.get_task("q")
    # The look found nothing to deliver: it postponed the next one (more than once on a slow machine).
    assert task.status == "paused" and task.version > before.version
    assert task.check_at is not None and before.check_at is not None and task.check_at > before.check_at
    assert flow.get_task("q.task-1").signals == ["s"]
    assert flow.signal("q.task-1", "s", 5).status == "completed"
    assert flow.get_task("q").result == 5


RESUME_ELSEWHERE = """
import json, sys
from seqflow_runtime import Flow
from seqflow_runtime.storage.url import create_storage
flow = Flow(create_storage(sys.argv[1]))
task = flow.get_task(sys.argv[2])
task = flow.resume(task.id, {"status": 200, "data": {"n": int(task.fetch_request.url.rsplit("/", 1)[-1])}})
print(json.dumps(task.to_dict()))
"""


def test_replay_in_other_processes_starts_no_child_twice(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'tasks.db'}"
    code = """
    const first = await runTask("const r = await fetch('https://api.example/n/' + input); (await r.json()).n",
                                { input: 4 });
    const r = await fetch('https://api.example/n/' + (first + Math.floor(Math.random() * 1000) * 0));
    const second = await runTask("input * 2", { input: (await r.json()).n });
    [first, second, Date.now() > 0]
    """
    flow = Flow(create_storage(url))
    flow.execute(code, id="p")

    def elsewhere(task_id: str) -> dict[str, Any]:
        out = subprocess.run([sys.executable, "-c", RESUME_ELSEWHERE, url, task_id], capture_output=True,
                             text=True, check=True, env={"PYTHONPATH": str(ROOT)}, timeout=120)
        return dict(json.loads(out.stdout))

    assert elsewhere("p.task-1")["status"] == "completed"  # tells the parent, which fetches next
    parent = flow.get_task("p")
    assert parent.fetch_request is not None and parent.fetch_request.url == "https://api.example/n/4"
    done = elsewhere("p")  # replays the parent's log in a fresh process: task-1 is not started again
    assert done["status"] == "completed" and done["result"] == [4, 8, True]
    assert sorted(t.id for t in flow.list_tasks().tasks) == ["p", "p.task-1", "p.task-2"]
    assert flow.get_task("p.task-1").version == 2, "the first child was created once and stepped once"


def test_child_ids_are_derived_and_bounded() -> None:
    assert child_task_id("p", "task-3") == "p.task-3"
    long = child_task_id("x" * 255, "task-1")
    assert len(long) <= 255 and long.endswith(".task-1") and long == child_task_id("x" * 255, "task-1")
    assert long != child_task_id("x" * 254 + "y", "task-1")


def test_worker_processes_run_parents_and_children(api: Api, storage_url: str) -> None:
    flow = Flow(storage=create_storage(storage_url))
    for n in range(5):
        flow.execute(FAN_OUT % {"base": api.base}, id=f"p{n}")
    procs = [start_worker(storage_url, "--concurrency", "8") for _ in range(2)]
    try:
        wait_for(lambda: statuses(flow.storage)["completed"] == 15, 90, "15 tasks to complete")
    finally:
        stop_workers(procs)
    assert [flow.get_task(f"p{n}").result for n in range(5)] == [30] * 5
    assert api.hits == Counter({"/n/1": 5, "/n/2": 5}), "every child's request performed exactly once"
    flow.storage.close()


def test_migrate_keeps_the_input_and_the_children() -> None:
    flow = Flow(MemoryStorage())
    code = "const r = await runTask('await waitForSignal(`s`)'); input.k + r"
    flow.execute(code, id="m", input={"k": 1})
    migrated = flow.migrate("m", code.replace("input.k + r", "r + input.k"))
    assert migrated.vm_state is not None and migrated.vm_state["input"] == {"k": 1}
    assert migrated.children == [{"id": "task-1", "taskId": "m.task-1", "name": None}]
    flow.signal("m.task-1", "s", 2)
    assert flow.get_task("m").result == 3
    flow.execute(code, id="m2", input={"k": 1})
    with pytest.raises(ReplayDivergenceError, match="the program is idle where the log has the start of child task"):
        flow.migrate("m2", "await waitForSignal('x')")
    with pytest.raises(ReplayDivergenceError, match=r"child tasks \['task-1', 'task-2'\]\) where the task"):
        flow.migrate("m2", "const p = runTask('await waitForSignal(`s`)'); runTask('2'); const r = await p; r")
    with pytest.raises(ReplayDivergenceError, match="starts child task task-1 with other code, name or input"):
        flow.migrate("m2", code.replace("`s`", "`t`"))


def test_seqflow_run_drives_children_with_the_real_performer(tmp_path: Path, api: Api,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEQFLOW_ALLOW_HOSTS", "127.0.0.1")
    storage = f"sqlite:{tmp_path}/tasks.db"
    script = tmp_path / "fan.js"
    script.write_text(FAN_OUT % {"base": api.base} + "; await runTask(\"await waitForSignal('ok')\", {name: 'ask'})")
    assert main(["--storage", storage, "run", str(script), "--id", "fan"]) == 0
    out = capsys.readouterr().out
    assert "pause 1 of task fan: waiting on child task(s) fan.task-1, fan.task-2" in out
    assert out.strip().endswith("waiting on child task(s) fan.task-3, which wait on signals: see `seqflow show ID`")
    assert api.hits == Counter({"/n/1": 1, "/n/2": 1})
    assert main(["--storage", storage, "list"]) == 0
    assert "fan.task-3\tpaused\tpauses=1\task\tsignal ok" in capsys.readouterr().out
    assert main(["--storage", storage, "signal", "fan.task-3", "ok", "--payload", "1"]) == 0
    assert main(["--storage", storage, "show", "fan"]) == 0
    shown = capsys.readouterr().out
    assert "\ntask fan (fan.js): completed" in shown and '"child": "task-3"' in shown


def test_one_call_runs_a_bounded_cascade_and_the_next_look_does_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(children, "FOLLOW_UP_BUDGET", 3)
    flow = Flow(MemoryStorage())
    code = "let sum = 0; for (let i = 1; i <= 4; i++) sum += await runTask('input', { input: i }); sum"
    task = flow.execute(code, id="p")
    # Created task-1 (1), told the parent (2), created task-2 (3): task-2's outcome waits for the next look.
    assert task.status == "paused" and [c["id"] for c in task.children] == ["task-2"]
    assert flow.get_task("p.task-2").status == "completed"
    task = flow.drive("p", fetch=answer)
    assert (task.status, task.result) == ("completed", 10)


def test_a_child_outlives_its_deleted_parent_quietly(caplog: pytest.LogCaptureFixture) -> None:
    flow = Flow(MemoryStorage())
    flow.execute("await runTask('await waitForSignal(`s`)')", id="p")
    assert flow.delete_task("p")
    with caplog.at_level("WARNING"):
        assert flow.signal("p.task-1", "s", 1).status == "completed"
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_a_task_squatting_a_child_id_is_never_taken_for_the_child() -> None:
    flow = Flow(MemoryStorage())
    flow.execute("'not yours'", id="p.task-1")  # made before the parent, by someone else
    task = flow.execute("try { await runTask('1') } catch (e) { [e.name, e.cause.code] }", id="p")
    assert (task.status, task.result) == ("completed", ["ChildTaskError", "child_id_taken"])
    # The look at a parent's children says the same of a squatter it finds there.
    flow.execute("await runTask('await waitForSignal(`s`)')", id="q")
    flow.delete_task("q.task-1")
    flow.execute("'squatter'", id="q.task-1")
    task = flow.resume("q")
    assert task.status == "error" and task.error_details is not None
    assert "belongs to a task this task did not start" in task.error_details["message"]

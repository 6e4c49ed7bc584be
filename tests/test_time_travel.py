"""Time travel: a task's timeline of pauses, and new tasks forked from a past pause with other answers."""

from __future__ import annotations

import pytest

from seqflow_runtime.errors import BadArgumentError, TaskExistsError, TaskNotFoundError, UnknownRequestError
from seqflow_runtime.flow import Flow
from seqflow_runtime.storage import MemoryStorage
from seqflow_runtime.timeline import pause_positions, timeline

TWO_FETCHES = """console.log("start");
const a = await (await fetch("https://x.test/a")).json();
console.log("got a", a.v, Math.random() < 2, Date.now() > 0);
const b = await (await fetch("https://x.test/b?" + a.v)).json();
console.log("got b");
[a.v + b.v, input]"""


def finished(flow: Flow, task_id: str) -> None:
    flow.execute(TWO_FETCHES, id=task_id, input={"who": "me"})
    flow.resume(task_id, responses={"req-1": {"data": {"v": 1}}})
    flow.resume(task_id, responses={"req-2": {"status": 201, "data": {"v": 10}}})


def test_timeline_lists_pauses_answers_and_console_lines_in_order() -> None:
    flow = Flow(MemoryStorage())
    finished(flow, "t")
    task = flow.get_task("t")
    assert task.result == [11, {"who": "me"}]
    entries = timeline(task.vm_state or {}, task.logs, paused=False).entries
    kinds = [(e["kind"], e.get("n", e.get("message", e.get("status")))) for e in entries]
    assert kinds == [("console", "start"), ("pause", 0), ("response", 200), ("console", "got a 1 true true"),
                     ("pause", 1), ("response", 201), ("console", "got b")]
    assert [r["url"] for r in entries[1]["requests"]] == ["https://x.test/a"]
    response = entries[5]
    assert response["request"]["url"] == "https://x.test/b?1" and response["response"]["data"] == {"v": 10}
    assert isinstance(response["durationMs"], int) and response["durationMs"] >= 0


def test_fork_at_a_past_pause_with_another_answer_replays_to_there() -> None:
    storage = MemoryStorage()
    flow = Flow(storage)
    finished(flow, "orig")
    before = storage.load("orig")
    fork = Flow(storage).fork("orig", 0, responses={"req-1": {"data": {"v": 5}}}, id="fork")
    assert fork.status == "paused" and fork.name is None
    assert [r.url for r in fork.fetch_requests] == ["https://x.test/b?5"]
    assert [line["message"] for line in fork.logs] == ["start", "got a 5 true true"]
    state = fork.vm_state or {}
    original = (before.vm_state if before else None) or {}
    # The fork's log: the original's up to the pause (same seed and input), then the new answer.
    assert state["seed"] == original["seed"] and state["input"] == {"who": "me"}
    assert state["events"][:pause_positions(original["events"])[0]] == \
        original["events"][:pause_positions(original["events"])[0]]
    assert [r["url"] for r in state["requests"]] == ["https://x.test/a", "https://x.test/b?5"]
    done = Flow(storage).resume("fork", responses={"req-2": {"data": {"v": 100}}})  # cold: replays the fork's log
    assert done.status == "completed" and done.result == [105, {"who": "me"}]
    assert storage.load("orig") == before  # the original is untouched


def test_fork_without_answers_waits_at_that_pause_and_at_the_current_one() -> None:
    flow = Flow(MemoryStorage())
    finished(flow, "orig")
    at_second = flow.fork("orig", 1, id="second", name="again")
    assert at_second.status == "paused" and at_second.name == "again" and at_second.pause_count == 2
    assert [r.url for r in at_second.fetch_requests] == ["https://x.test/b?1"]
    assert len((at_second.vm_state or {})["requests"]) == 2
    waiting = flow.execute("await waitForSignal('go'); 'went'", id="sig")
    copy = flow.fork("sig", 0, id="sig-copy")
    assert copy.status == "paused" and copy.signals == ["go"]
    assert flow.signal("sig-copy", "go").result == "went" and flow.get_task("sig").status == waiting.status


@pytest.mark.parametrize("pause", [-1, 2, "0", True, None, 1.0])
def test_fork_refuses_a_pause_out_of_range(pause: object) -> None:
    flow = Flow(MemoryStorage())
    finished(flow, "orig")
    with pytest.raises(BadArgumentError, match="from 0 to 1"):
        flow.fork("orig", pause)


def test_fork_refuses_bad_targets_and_answers() -> None:
    flow = Flow(MemoryStorage())
    finished(flow, "orig")
    with pytest.raises(TaskNotFoundError):
        flow.fork("nope", 0)
    with pytest.raises(TaskExistsError):
        flow.fork("orig", 0, id="orig")
    with pytest.raises(UnknownRequestError):
        flow.fork("orig", 0, responses={"req-2": {"data": 1}})  # not yet issued at pause 0
    with pytest.raises(BadArgumentError):
        flow.fork("orig", 0, responses=[1])  # type: ignore[arg-type]
    assert flow.execute("let x = ;", id="bad").status == "error"
    with pytest.raises(BadArgumentError, match="no log"):
        flow.fork("bad", 0)
    assert flow.execute("1", id="never").status == "completed"
    with pytest.raises(BadArgumentError, match="never paused"):
        flow.fork("never", 0)
    assert [t.id for t in flow.list_tasks().tasks] == ["bad", "never", "orig"]  # nothing stored by a refusal


def test_timeline_of_a_log_that_no_longer_replays_still_lists_its_events() -> None:
    flow = Flow(MemoryStorage())
    finished(flow, "orig")
    state = dict(flow.get_task("orig").vm_state or {})
    state["requests"] = [{**state["requests"][0], "url": "https://x.test/other"}, *state["requests"][1:]]
    shown = timeline(state, [], paused=False)
    assert shown.note is not None and "replay_divergence" in shown.note
    assert [e["kind"] for e in shown.entries] == ["pause", "response", "pause", "response"]
    assert shown.entries[0]["known"] is False

"""Input, signals and cancellation: durable like fetch, replayed at the same points, across processes."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime import (
    BadArgumentError,
    FileStorage,
    Limits,
    MemoryStorage,
    ReplayDivergenceError,
    TaskNotPausedError,
    VersionConflictError,
    create_flow,
)
from seqflow_runtime.storage import SqliteStorage
from seqflow_runtime.task import Task
from test_durable import FakeClock, cold_flow, run_python

APPROVAL = """
const order = input.order;
const res = await fetch('https://shop.test/orders/' + order, {method: 'POST', body: JSON.stringify(input)});
const decision = await waitForSignal('approval', {timeout: 86_400_000});
if (!decision.approved) return 'rejected by ' + decision.by;
await fetch('https://shop.test/orders/' + order + '/ship', {method: 'POST'});
return 'shipped ' + order + ' after ' + decision.by;
"""


def events(task: Task, key: str) -> list[dict[str, Any]]:
    """The task's logged events of one kind."""
    return [e for e in (task.vm_state or {})["events"] if key in e]


# -- input ---------------------------------------------------------------------------------------


def test_input_is_a_fresh_copy_on_every_run(tmp_path: Path) -> None:
    flow = create_flow(FileStorage(tmp_path))
    given = {"order": "A-1", "items": [{"sku": "x", "qty": -0.0}], "note": "naïve ☕ \u2028"}
    code = """
    const before = JSON.stringify(input);
    input.order = 'changed'; input.items.push(1); input.extra = true;
    await fetch('https://shop.test/ping');
    return [before, JSON.stringify(input), Object.is(input.items[0].qty, -0), typeof input];
    """
    task = flow.execute(code, input=given)
    given["order"] = "the caller changed it afterwards"
    assert task.vm_state is not None and task.vm_state["input"]["order"] == "A-1"
    done = cold_flow(FileStorage(tmp_path)).resume(task.id, fetch_response={"status": 200})
    original = '{"order":"A-1","items":[{"sku":"x","qty":0}],"note":"naïve ☕ \u2028"}'
    changed = '{"order":"changed","items":[{"sku":"x","qty":0},1],"note":"naïve ☕ \u2028","extra":true}'
    # Replayed from the log in a new Flow: the script saw the stored input, not its own changes.
    assert done.result == [original, changed, True, "object"]
    stored = cold_flow(FileStorage(tmp_path)).get_task(task.id)
    assert stored.vm_state is not None and stored.vm_state["input"] == {
        "order": "A-1", "items": [{"sku": "x", "qty": -0.0}], "note": "naïve ☕ \u2028"}


def test_input_absent_is_undefined_and_null_is_null() -> None:
    flow = create_flow()
    assert flow.execute("typeof input").result == "undefined"
    assert flow.execute("input === null", input=None).result is True
    assert flow.execute({"code": "input.n * 2", "input": {"n": 21}}).result == 42


@pytest.mark.parametrize("bad", [float("nan"), {1: "int key"}, [{"ok": {None: 1}}], object(), {"s": {1, 2}}, b"bytes"])
def test_input_must_be_json(bad: Any) -> None:
    with pytest.raises(BadArgumentError) as info:
        create_flow().execute("input", input=bad)
    assert info.value.code == "bad_arguments" and "input" in str(info.value)


def test_input_cycles_depth_and_size_are_refused() -> None:
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    flow = create_flow(limits=Limits(max_payload_bytes=1000))
    for bad in (cyclic, deep, "x" * 1001):
        with pytest.raises(BadArgumentError):
            flow.execute("input", input=bad)
    assert flow.execute("input.length", input="x" * 990).result == 990


# -- signals -------------------------------------------------------------------------------------


def test_human_approval_end_to_end(tmp_path: Path) -> None:
    clock = FakeClock()
    flow = create_flow(FileStorage(tmp_path), clock=clock)
    task = flow.execute(APPROVAL, input={"order": "A-7"})
    assert task.fetch_request is not None and task.fetch_request.body == '{"order":"A-7"}'
    task = cold_flow(FileStorage(tmp_path), clock=clock).resume(task.id, fetch_response={"status": 201})
    assert (task.status, task.signals, task.fetch_requests) == ("paused", ["approval"], [])
    assert task.wake_at == pytest.approx(clock.now + 86_400)
    assert task.to_dict()["signals"] == ["approval"]
    task = cold_flow(FileStorage(tmp_path), clock=clock).signal(task.id, "approval",
                                                                {"approved": True, "by": "ana"})
    # The timeout's timer went with the wait it guarded.
    assert (task.status, task.signals, task.wake_at) == ("paused", [], None)
    assert task.fetch_request is not None and task.fetch_request.url.endswith("/A-7/ship")
    done = cold_flow(FileStorage(tmp_path), clock=clock).resume(task.id, fetch_response={"status": 200})
    assert (done.status, done.result) == ("completed", "shipped A-7 after ana")


def test_signal_times_out_with_a_timeout_error() -> None:
    clock = FakeClock()
    flow = create_flow(clock=clock)
    task = flow.execute("""
    try { await waitForSignal('approval', {timeout: 5000}); return 'signalled'; }
    catch (e) { return [e.name, e instanceof Error, e.message]; }
    """)
    assert (task.status, task.signals, task.wake_at) == ("paused", ["approval"], clock.now + 5)
    clock.now += 4
    assert flow.resume(task.id).version == task.version  # not due yet: nothing happens
    clock.now += 1
    done = cold_flow(flow.storage, clock=clock).resume(task.id)
    assert done.result == ["TimeoutError", True, 'No signal "approval" arrived within 5000 ms']
    # A signal after the timeout has nobody to go to: the task is finished.
    with pytest.raises(TaskNotPausedError) as info:
        flow.signal(task.id, "approval")
    assert info.value.code == "task_not_paused"


def test_signal_sent_before_the_wait_is_kept_in_order() -> None:
    flow = create_flow()
    task = flow.execute("""
    await fetch('https://x.test/slow');
    const got = [];
    got.push(await waitForSignal('step'));
    got.push(await waitForSignal('other'));
    got.push(await waitForSignal('step'));
    return got;
    """)
    for name, payload in (("step", 1), ("other", "o"), ("step", {"n": 2})):
        task = flow.signal(task.id, name, payload)
        assert (task.status, task.signals, len(task.fetch_requests)) == ("paused", [], 1)
    done = cold_flow(flow.storage).resume(task.id, fetch_response={"status": 200})
    assert done.result == [1, "o", {"n": 2}]


def test_two_signals_of_one_name_go_to_waits_in_order() -> None:
    flow = create_flow()
    task = flow.execute("""
    const first = waitForSignal('s'), second = waitForSignal('s');
    const order = [];
    second.then(v => order.push('second:' + v));
    first.then(v => order.push('first:' + v));
    await Promise.all([first, second]);
    return order;
    """)
    assert task.signals == ["s"]
    task = flow.signal(task.id, "s", "a")
    assert (task.status, task.signals) == ("paused", ["s"])
    assert cold_flow(flow.storage).signal(task.id, "s", "b").result == ["first:a", "second:b"]


def test_signal_races_a_fetch() -> None:
    code = """
    const r = await Promise.race([fetch('https://x.test/a').then(r => 'fetch ' + r.status),
                                  waitForSignal('stop').then(p => 'signal ' + p)]);
    return r;
    """
    flow = create_flow()
    task = flow.execute(code)
    assert (len(task.fetch_requests), task.signals) == (1, ["stop"])
    assert flow.signal(task.id, "stop", "now").result == "signal now"
    task = flow.execute(code)
    assert cold_flow(flow.storage).resume(task.id, fetch_response={"status": 204}).result == "fetch 204"
    # Promise.any: a rejected fetch leaves the signal to decide.
    task = flow.execute("""
    return await Promise.any([fetch('https://x.test/a'), waitForSignal('go')]);
    """)
    task = flow.resume(task.id, fetch_response={"error": "ECONNREFUSED"})
    assert (task.status, task.signals) == ("paused", ["go"])
    assert flow.signal(task.id, "go", [1]).result == [1]


def test_signal_arguments_are_checked_in_js() -> None:
    task = create_flow().execute("""
    const out = [];
    for (const args of [[42], [''], ['x'.repeat(256)], ['ok', 5], ['ok', {timeout: -1}], ['ok', {timeout: NaN}]]) {
      try { waitForSignal(...args); out.push('accepted'); } catch (e) { out.push(e.name); }
    }
    return out;
    """)
    assert task.result == ["TypeError", "RangeError", "RangeError", "TypeError", "RangeError", "RangeError"]


@pytest.mark.parametrize("name", [42, None, "", "x" * 256, b"approval"])
def test_signal_name_must_be_a_string(name: Any) -> None:
    flow = create_flow()
    task = flow.execute("await waitForSignal('approval')")
    with pytest.raises(BadArgumentError):
        flow.signal(task.id, name)
    assert flow.get_task(task.id).version == task.version


@pytest.mark.parametrize("payload", [float("inf"), {"k": float("nan")}, object(), {(1, 2): 3}])
def test_signal_payload_must_be_json(payload: Any) -> None:
    flow = create_flow()
    task = flow.execute("await waitForSignal('approval')")
    with pytest.raises(BadArgumentError) as info:
        flow.signal(task.id, "approval", payload)
    assert info.value.code == "bad_arguments"
    assert flow.get_task(task.id).vm_state == task.vm_state


def test_huge_signal_payload_is_refused_before_anything_is_stored() -> None:
    flow = create_flow(limits=Limits(max_payload_bytes=64 << 10))
    task = flow.execute("return (await waitForSignal('data')).length")
    with pytest.raises(BadArgumentError) as info:
        flow.signal(task.id, "data", "x" * (64 << 10))
    assert "max_payload_bytes" in str(info.value)
    assert flow.signal(task.id, "data", "x" * 60_000).result == 60_000


def test_buffered_signals_count_against_the_log_size() -> None:
    flow = create_flow(limits=Limits(max_log_bytes=200_000))
    task = flow.execute("await fetch('https://x.test/'); return 1")
    for _ in range(3):
        task = flow.signal(task.id, "spam", "x" * 60_000)
    assert task.status == "paused"
    task = flow.signal(task.id, "spam", "x" * 60_000)
    assert task.status == "error" and task.error_details is not None
    assert task.error_details["limit"] == "max_log_bytes"


def test_signals_to_finished_or_missing_tasks_are_typed_errors() -> None:
    flow = create_flow()
    done = flow.execute("1 + 1")
    failed = flow.execute("throw new Error('no')")
    for task in (done, failed):
        with pytest.raises(TaskNotPausedError, match="takes no signal"):
            flow.signal(task.id, "x")
        with pytest.raises(TaskNotPausedError):
            flow.cancel(task.id)
    with pytest.raises(Exception) as info:
        flow.signal("nope", "x")
    assert getattr(info.value, "code", None) == "task_not_found"


def test_racing_signals_lose_nothing(tmp_path: Path) -> None:
    """Many Flows (cold, so each replays) signal one task at once: every signal is delivered exactly once."""
    url = str(tmp_path / "tasks.db")
    task = create_flow(SqliteStorage(url)).execute("""
    const got = [];
    while (got.length < 8) got.push(await waitForSignal('n'));
    return got;
    """)
    errors: list[BaseException] = []

    def send(i: int) -> None:
        try:
            cold_flow(SqliteStorage(url)).signal(task.id, "n", i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = create_flow(SqliteStorage(url)).get_task(task.id)
    logged = [e["payload"] for e in events(final, "signal")]
    assert sorted(logged) == list(range(8))
    assert (final.status, final.result) == ("completed", logged)  # delivered in the order logged


def test_a_signal_with_a_stale_version_conflicts() -> None:
    flow = create_flow()
    task = flow.execute("await waitForSignal('a'); await waitForSignal('b')")
    moved = flow.signal(task.id, "a", version=task.version)
    with pytest.raises(VersionConflictError) as info:
        flow.signal(task.id, "b", version=task.version)
    assert info.value.code == "version_conflict"
    assert flow.signal(task.id, "b", version=moved.version).status == "completed"


# -- replay determinism ----------------------------------------------------------------------------


def test_a_logged_signal_replays_to_the_same_state() -> None:
    clock = FakeClock()
    flow = create_flow(clock=clock)
    code = """
    const seen = [];
    const first = await Promise.race([waitForSignal('a'), new Promise(r => setTimeout(() => r('timer'), 1000))]);
    seen.push(first, Date.now(), Math.random());
    seen.push(await waitForSignal('b'));
    seen.push((await fetch('https://x.test/')).status);
    return seen;
    """
    task = flow.execute(code, id="t")
    task = flow.signal("t", "b", "early")
    clock.now += 0.5
    task = flow.signal("t", "a", "A")
    assert task.fetch_request is not None
    # The cold replay rebuilds exactly the stored pause (or ReplayDivergenceError would say otherwise).
    done = cold_flow(flow.storage, clock=clock).resume("t", fetch_response={"status": 202})
    again = create_flow(clock=clock, unsafe_trust_unsigned_state=True).resume({"taskId": "t", "vmState": task.vm_state,
                                              "fetchResponse": {"status": 202}})
    assert done.status == "completed" and done.result == again.result
    assert done.result[0] == "A" and done.result[1] == 1_700_000_000_500 and done.result[3:] == ["early", 202]


def test_a_log_whose_signal_moved_is_a_divergence() -> None:
    flow = create_flow()
    task = flow.execute("await waitForSignal('a'); await waitForSignal('b'); await fetch('https://x.test/')")
    task = flow.signal(task.id, "a", 1)
    assert task.signals == ["b"]
    stored = flow.storage.load(task.id)
    assert stored is not None and stored.vm_state is not None
    for event in stored.vm_state["events"]:
        if event.get("signal") == "a":
            event["signal"] = "z"  # the program now still waits on 'a' where the task says 'b'
    flow.storage.save(stored, stored.version)
    with pytest.raises(ReplayDivergenceError) as info:
        cold_flow(flow.storage).signal(task.id, "b")
    assert info.value.code == "replay_divergence"


# -- cancellation ------------------------------------------------------------------------------------


CLEANUP = """
try {
  await fetch('https://x.test/work');
  return 'finished';
} catch (e) {
  console.log(e.name, e.reason, e instanceof Error, e.message);
  const undo = await fetch('https://x.test/undo', {method: 'DELETE'});
  console.log('undone', undo.status);
  throw e;
}
"""


def test_cancel_with_cleanup_that_fetches(tmp_path: Path) -> None:
    flow = create_flow(FileStorage(tmp_path))
    task = flow.execute(CLEANUP)
    task = cold_flow(FileStorage(tmp_path)).cancel(task.id, reason="customer asked")
    assert task.status == "paused"
    assert [r.url for r in task.fetch_requests] == ["https://x.test/undo"]
    assert task.logs[0]["message"] == "CancelledError customer asked true The task was cancelled: customer asked"
    # The cancelled request needs no answer any more.
    with pytest.raises(Exception) as info:
        flow.resume(task.id, responses={"req-1": {"status": 200}})
    assert getattr(info.value, "code", None) == "unknown_request"
    done = cold_flow(FileStorage(tmp_path)).resume(task.id, fetch_response={"status": 204})
    assert (done.status, done.error) == ("cancelled", "CancelledError: The task was cancelled: customer asked")
    assert done.to_dict()["status"] == "cancelled" and done.logs[-1]["message"] == "undone 204"
    assert [t.id for t in flow.list_tasks(status="cancelled").tasks] == [task.id]
    with pytest.raises(TaskNotPausedError):
        flow.cancel(task.id)


def test_cancel_during_cleanup_cancels_the_cleanup() -> None:
    flow = create_flow()
    task = flow.cancel(flow.execute(CLEANUP).id)
    assert task.fetch_request is not None and task.fetch_request.url.endswith("/undo")
    done = flow.cancel(task.id, "really")
    assert (done.status, done.error) == ("cancelled", "CancelledError: The task was cancelled: really")


def test_cancel_swallowed_completes() -> None:
    flow = create_flow()
    task = flow.execute("""
    const results = await Promise.allSettled([fetch('https://x.test/a'), waitForSignal('s'),
                                              fetch('https://x.test/b')]);
    return results.map(r => r.status + ':' + (r.reason && r.reason.name));
    """)
    assert (len(task.fetch_requests), task.signals) == (2, ["s"])
    done = flow.cancel(task.id)
    assert (done.status, done.result, done.error) == (
        "completed", ["rejected:CancelledError"] * 3, None)


def test_cancel_a_task_waiting_on_a_timer() -> None:
    clock = FakeClock()
    flow = create_flow(clock=clock)
    task = flow.execute("""
    setInterval(() => console.log('tick'), 100);
    try { await new Promise(r => setTimeout(r, 60_000)); } finally { console.log('never runs'); }
    """)
    assert task.wake_at == clock.now + 0.1
    done = cold_flow(flow.storage, clock=clock).cancel(task.id, "stop")
    assert (done.status, done.wake_at, done.logs) == ("cancelled", None, [])
    assert done.error_details is not None and done.error_details["name"] == "CancelledError"
    assert done.error == "CancelledError: The task was cancelled: stop"


def test_cancel_then_an_error_in_cleanup_is_an_error() -> None:
    flow = create_flow()
    task = flow.execute("try { await waitForSignal('x'); } catch { throw new TypeError('cleanup broke'); }")
    done = flow.cancel(task.id)
    assert done.status == "error" and done.error is not None and done.error.startswith("TypeError: cleanup broke")


@pytest.mark.parametrize("reason", [42, b"x", "x" * 1001])
def test_cancel_reason_must_be_short_text(reason: Any) -> None:
    flow = create_flow()
    task = flow.execute("await waitForSignal('x')")
    with pytest.raises(BadArgumentError):
        flow.cancel(task.id, reason)


# -- a cold resume in another process -----------------------------------------------------------------


def test_input_signal_and_cancel_survive_other_processes(tmp_path: Path) -> None:
    url = str(tmp_path / "tasks.db")
    code = """
    const got = [input.n];
    try {
      got.push(await waitForSignal('more'));
      await fetch('https://x.test/' + got.join('/'));
    } catch (e) {
      got.push(e.name + ':' + e.reason);
    }
    return got;
    """
    task = create_flow(SqliteStorage(url)).execute(code, id="p", input={"n": 1})
    assert task.signals == ["more"]
    step = "\n".join([
        "import json, sys",
        "from seqflow_runtime import create_flow",
        "from seqflow_runtime.storage import SqliteStorage",
        f"flow = create_flow(SqliteStorage({url!r}))",
        "task = getattr(flow, sys.argv[1])('p', *json.loads(sys.argv[2]))",
        "print(json.dumps([task.status, task.signals, [r.url for r in task.fetch_requests], task.result]))",
    ])
    out = run_python(step.replace("sys.argv[1]", "'signal'").replace("sys.argv[2]", repr('["more", 2]')))
    assert json.loads(out) == ["paused", [], ["https://x.test/1/2"], None]
    out = run_python(step.replace("sys.argv[1]", "'cancel'").replace("sys.argv[2]", repr('["bye"]')))
    assert json.loads(out) == ["completed", [], [], [1, 2, "CancelledError:bye"]]


def test_memory_storage_lists_by_new_filters() -> None:
    clock = FakeClock()
    flow = create_flow(MemoryStorage(), clock=clock, ttl=None)
    flow.execute("await waitForSignal('a')", id="a-approval", name="Approval")
    flow.execute("await new Promise(r => setTimeout(r, 10_000))", id="b-timer", name="nightly")
    flow.execute("await new Promise(r => setTimeout(r, 1_000))", id="c-timer", name="approval")
    flow.cancel(flow.execute("await waitForSignal('x')", id="d-cancelled").id)
    assert [t.id for t in flow.list_tasks(name="approval").tasks] == ["c-timer"]
    assert [t.id for t in flow.list_tasks(search="APPROVAL").tasks] == ["a-approval", "c-timer"]
    assert [t.id for t in flow.list_tasks(search="timer", due_before=clock.now + 5).tasks] == ["c-timer"]
    assert [t.id for t in flow.list_tasks(status="cancelled").tasks] == ["d-cancelled"]
    page = flow.list_tasks(search="-", limit=2)
    assert [t.id for t in page.tasks] == ["a-approval", "b-timer"] and page.next_cursor == "b-timer"
    page = flow.list_tasks(search="-", limit=2, cursor=page.next_cursor)
    assert [t.id for t in page.tasks] == ["c-timer", "d-cancelled"] and page.next_cursor is None
    for bad in ({"status": "done"}, {"name": 5}, {"due_before": "soon"}, {"limit": 0}):
        with pytest.raises(BadArgumentError):
            flow.list_tasks(**bad)


def test_the_readme_approval_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("### Signals, input and cancellation", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    scope: dict[str, Any] = {}
    exec(compile(example, "README.md", "exec"), scope)  # noqa: S102 - the documented example, as written
    task = scope["task"]
    assert (task.status, task.result) == ("completed", "shipped A-7")
    assert task.vm_state["input"] == {"order": "A-7", "total": 120}


def test_names_payloads_and_reasons_beyond_the_bmp() -> None:
    flow = create_flow()
    task = flow.execute("""
    const got = [await waitForSignal(input.name)];
    try { await waitForSignal('🎉', {timeout: 0}); } catch (e) { got.push(e.message); }
    try { await waitForSignal(input.name); } catch (e) { got.push(e.reason, e.reason.length, e.message); }
    return got;
    """, input={"name": "naïve 🎉"})
    assert task.signals == ["naïve 🎉"] and task.to_dict()["signals"] == ["naïve 🎉"]
    task = flow.signal(task.id, "naïve 🎉", {"🎉": "\U0001f600"})
    assert (task.status, task.signals) == ("paused", ["naïve 🎉"])
    done = cold_flow(flow.storage).cancel(task.id, "bye 👋")
    assert done.status == "completed"
    assert done.result == [{"🎉": "\U0001f600"}, 'No signal "🎉" arrived within 0 ms', "bye 👋", 6,
                           "The task was cancelled: bye 👋"]


def test_signal_races_a_timer() -> None:
    clock = FakeClock()
    flow = create_flow(clock=clock)
    code = """
    return await Promise.race([waitForSignal('go'), new Promise(r => setTimeout(() => r('timer'), 1000))]);
    """
    task = flow.execute(code)
    assert (task.signals, task.wake_at) == (["go"], clock.now + 1)
    clock.now += 1
    assert cold_flow(flow.storage, clock=clock).resume(task.id).result == "timer"
    with pytest.raises(TaskNotPausedError):
        flow.signal(task.id, "go")
    # A signal sent once the timer is due: the signal is delivered first, then the due timer fires.
    task = flow.execute(code)
    clock.now += 5
    assert flow.signal(task.id, "go", "signal").result == "signal"


def test_pending_signal_waits_are_limited() -> None:
    flow = create_flow(limits=Limits(max_signal_waits=50))
    task = flow.execute("for (let i = 0; i < 49; i++) waitForSignal('s' + i); await waitForSignal('s0')")
    assert task.status == "paused" and len(task.signals) == 49
    task = flow.execute("""
    try { for (let i = 0; ; i++) waitForSignal('x'.repeat(200) + i); } catch (e) { return 'caught'; }
    """)
    assert task.status == "error" and task.error_details is not None
    assert task.error_details["limit"] == "max_signal_waits" and task.signals == []

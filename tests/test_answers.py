"""Answers to a paused task: copied and normalised once, delivered to the request they mean, once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime import (
    BadArgumentError,
    FileStorage,
    MemoryStorage,
    RequestAlreadyAnsweredError,
    SequentialFlow,
    Task,
    UnknownRequestError,
    VersionConflictError,
    create_flow,
)
from seqflow_runtime.errors import CodeMismatchError
from seqflow_runtime.flow import Flow
from seqflow_runtime.limits import Limits
from seqflow_runtime.responses import MAX_DEPTH
from seqflow_runtime.storage import SqliteStorage

# Reads the first response, waits on a second fetch, then reports what it read: a cold
# resume at the second fetch rebuilds the first value from the stored log.
TWO_STEPS = """
  const first = await (await fetch('https://api.example.com/a')).json();
  const seen = JSON.stringify(first) + ' ' + Object.keys(first).join();
  await fetch('https://api.example.com/b');
  return [seen, JSON.stringify(first) + ' ' + Object.keys(first).join(), Object.is(first.z, -0)];
"""

THREE_FETCHES = """
  const out = [];
  for (const p of ['a', 'b', 'c']) out.push((await (await fetch('https://api.example.com/' + p)).json()).v);
  return out.join();
"""


def hot_and_cold(tmp_path: Path, code: str, first: Any, second: Any = None) -> tuple[Task, Task]:
    """Run ``code`` answering ``first`` then ``second``: all in one Flow (hot) and with a fresh Flow
    on the same FileStorage for the second answer (cold: it replays the stored log)."""
    second = second if second is not None else {"data": {}}
    hot_flow = create_flow(FileStorage(tmp_path / "hot"))
    task = hot_flow.execute(code)
    hot_flow.resume(task.id, fetch_response=first)
    hot = hot_flow.resume(task.id, fetch_response=second)
    cold_storage = FileStorage(tmp_path / "cold")
    task = create_flow(cold_storage).execute(code)
    create_flow(cold_storage).resume(task.id, fetch_response=first)
    cold = create_flow(cold_storage).resume(task.id, fetch_response=second)
    return hot, cold


# -- 1. the log never aliases the caller's dict ----------------------------------------------------


def test_mutating_a_response_after_resume_does_not_rewrite_history_hot_or_cold() -> None:
    storage = MemoryStorage()
    flow = create_flow(storage)
    task = flow.execute(TWO_STEPS)
    response = {"data": {"items": [1, 2], "n": 1}, "headers": {"x-a": "1"}}
    flow.resume(task.id, fetch_response=response)
    response["data"]["items"].append(3)  # type: ignore[index]
    response["data"]["n"] = 99  # type: ignore[index]
    response["headers"]["x-a"] = "changed"  # type: ignore[index]
    stored = storage.load(task.id)
    assert stored is not None and stored.vm_state is not None
    logged = [e for e in stored.vm_state["events"] if "deliver" in e]
    assert logged[0]["response"] == {"data": {"items": [1, 2], "n": 1}, "headers": {"x-a": "1"}}
    cold = create_flow(storage).resume(task.id, fetch_response={"data": {}})
    assert cold.result[0] == cold.result[1] == '{"items":[1,2],"n":1} items,n'
    # Hot: the Flow that took the response continues its live program; its next saved log is intact.
    task = flow.execute(TWO_STEPS)
    response = {"data": {"items": [1]}}
    flow.resume(task.id, fetch_response=response)
    response["data"]["items"].append(2)  # type: ignore[index]
    hot = flow.resume(task.id, fetch_response={"data": {}})
    assert hot.result[1] == '{"items":[1]} items'
    assert hot.vm_state is not None
    assert [e for e in hot.vm_state["events"] if "deliver" in e][0]["response"] == {"data": {"items": [1]}}


# -- 2. normalised to JSON values before the program sees them --------------------------------------


def test_json_key_conversion_is_the_rule_hot_and_cold(tmp_path: Path) -> None:
    first = {"data": {None: 1, True: 2, False: 3, 7: 4, 1.5: 5, "z": -0.0}}
    hot, cold = hot_and_cold(tmp_path, TWO_STEPS, first)
    expected = '{"7":4,"null":1,"true":2,"false":3,"1.5":5,"z":0} 7,null,true,false,1.5,z'
    assert hot.status == cold.status == "completed"
    assert hot.result == cold.result == [expected, expected, True]


def test_tuples_become_arrays_and_safe_integers_stay_exact(tmp_path: Path) -> None:
    first = {"data": {"t": (1, 2), "big": 2**53, "neg": -(2**53)}}
    hot, cold = hot_and_cold(tmp_path, TWO_STEPS, first)
    text = '{"t":[1,2],"big":9007199254740992,"neg":-9007199254740992} t,big,neg'
    assert hot.result == cold.result == [text, text, False]


@pytest.mark.parametrize(("response", "problem"), [
    ({"data": {"n": 2**53 + 1}}, "beyond a double's exact range"),
    ({"data": [-(10**30)]}, "beyond a double's exact range"),
    ({"data": {"x": float("nan")}}, "NaN"),
    ({"data": float("inf")}, "NaN and infinities"),
    ({"data": {float("nan"): 1}}, "NaN"),
    ({"data": {"when": object()}}, "not JSON serializable"),
    ({"data": {"s": {1, 2}}}, "not JSON serializable"),
    ({"data": {(1, 2): "tuple key"}}, "keys must be"),
    ({"bodyBase64": "not base64!"}, "bodyBase64 is not valid base64"),
    ({"bodyBase64": "YWJ"}, "bodyBase64 is not valid base64"),
    ({"headers": {"x-n": float("nan")}}, "finite number"),
    ({"headers": ["x"]}, "mapping"),
    ({"status": 700}, "100 to 599"),
    ({"body": 5}, "body must be a string"),
])
def test_responses_that_are_not_json_are_refused_up_front_and_the_task_lives_on(
        tmp_path: Path, response: dict[str, Any], problem: str) -> None:
    storage = FileStorage(tmp_path)
    hot = create_flow(storage)
    task = hot.execute(THREE_FETCHES)
    for flow in (hot, create_flow(storage)):  # the Flow holding the live program, then a cold one
        with pytest.raises(BadArgumentError, match=problem) as info:
            flow.resume(task.id, fetch_response=response)
        assert info.value.code == "bad_arguments"
    stored = create_flow(storage).get_task(task.id)
    assert stored.version == task.version and stored.vm_state == task.vm_state
    done = create_flow(storage)
    for v in (1, 2, 3):
        task = done.resume(task.id, fetch_response={"data": {"v": v}})
    assert task.status == "completed" and task.result == "1,2,3"


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deep_nesting_is_refused_without_exhausting_the_stack(tmp_path: Path, depth: int) -> None:
    deep: Any = 1
    for _ in range(depth):
        deep = [deep]
    for dialect, response in (("standard", {"data": deep}), ("sequential", deep)):
        storage = FileStorage(tmp_path / dialect)
        hot = create_flow(storage, dialect=dialect)
        task = hot.execute("const r = await fetch('https://x.example/deep'); 1")
        for flow in (hot, create_flow(storage)):
            with pytest.raises(BadArgumentError, match=f"deeper than {MAX_DEPTH} levels"):
                flow.resume(task.id, fetch_response=response)
        assert hot.resume(task.id, fetch_response={"data": 1}).status == "completed"


def test_nesting_at_the_limit_is_delivered_hot_and_cold(tmp_path: Path) -> None:
    deep: Any = {}
    for _ in range(MAX_DEPTH - 2):
        deep = {"d": deep}
    hot, cold = hot_and_cold(tmp_path, TWO_STEPS.replace("JSON.stringify(first)", "JSON.stringify(first).length"),
                             {"data": deep})
    assert hot.status == cold.status == "completed" and hot.result == cold.result


def test_circular_and_exponentially_shared_data_are_refused_or_over_size(tmp_path: Path) -> None:
    flow = create_flow(FileStorage(tmp_path), limits=Limits(max_response_bytes=10_000))
    loop: list[Any] = []
    loop.append(loop)
    task = flow.execute("try { await fetch('https://x.example/a'); } catch (e) { return e.message; }")
    with pytest.raises(BadArgumentError, match="circular"):
        flow.resume(task.id, fetch_response={"data": loop})
    shared: Any = [1]
    for _ in range(200):  # 2**200 leaves if encoded; refused by counting, not by encoding it
        shared = [shared, shared]
    task = flow.resume(task.id, fetch_response={"data": shared})
    assert task.status == "completed" and "max_response_bytes" in task.result


def test_a_deep_json_body_is_parsed_as_node_does_hot_and_cold(tmp_path: Path) -> None:
    code = """
      const r = await fetch('https://x.example/deep');
      let got;
      try { await r.json(); got = 'parsed'; } catch (e) { got = e.name; }
      await fetch('https://x.example/next');
      return got;
    """
    for depth in (5_000, 100_000):
        body = "[" * depth + "]" * depth
        hot, cold = hot_and_cold(tmp_path / str(depth), code, {"body": body})
        assert hot.status == cold.status == "completed"
        # response.json() is JSON.parse (not recursive): Node parses both depths too.
        assert hot.result == cold.result == "parsed"


# -- 4. an answer goes to the request it was meant for, once -----------------------------------------

PARALLEL = """
  const [a, b] = await Promise.all([fetch('https://x.example/a'), fetch('https://x.example/b')]);
  return (await a.json()).n * 10 + (await b.json()).n;
"""


def test_a_named_answer_goes_to_that_request_or_is_refused() -> None:
    flow = create_flow()
    task = flow.execute(PARALLEL)
    with pytest.raises(UnknownRequestError) as info:
        flow.resume(task.id, fetch_response={"id": "req-9", "data": {"n": 1}})
    assert info.value.code == "unknown_request"
    assert flow.get_task(task.id).version == task.version  # nothing went to req-1 instead
    task = flow.resume(task.id, fetch_response={"id": "req-2", "data": {"n": 2}})
    assert [r.id for r in task.fetch_requests] == ["req-1"]
    with pytest.raises(RequestAlreadyAnsweredError) as answered:
        flow.resume(task.id, fetch_response={"id": "req-2", "data": {"n": 3}})
    assert answered.value.code == "request_already_answered"
    with pytest.raises(RequestAlreadyAnsweredError):
        flow.resume(task.id, responses={"req-2": {"data": {"n": 3}}})
    with pytest.raises(UnknownRequestError):
        flow.resume(task.id, responses={"req-7": {"data": {"n": 3}}})
    with pytest.raises(BadArgumentError, match="names request 'req-2'"):
        flow.resume(task.id, responses={"req-1": {"id": "req-2", "data": {"n": 3}}})
    with pytest.raises(BadArgumentError, match="must be a string"):
        flow.resume(task.id, fetch_response={"id": 1, "data": {"n": 3}})
    done = flow.resume(task.id, fetch_response={"id": "req-1", "data": {"n": 1}})
    assert done.status == "completed" and done.result == 12


def test_an_unnamed_answer_binds_to_the_version_its_caller_saw() -> None:
    storage = MemoryStorage()
    seen_by_a, seen_by_b = create_flow(storage), create_flow(storage)
    task = seen_by_a.execute(THREE_FETCHES)
    snapshot = seen_by_b.get_task(task.id)
    seen_by_b.resume(task.id, fetch_response={"data": {"v": 1}})  # answers req-1
    # A last returned version 1: its unnamed answer meant req-1, which is answered now.
    with pytest.raises(VersionConflictError) as info:
        seen_by_a.resume(task.id, fetch_response={"data": {"v": 1}})
    assert info.value.code == "version_conflict"
    with pytest.raises(VersionConflictError):
        create_flow(storage).resume(snapshot, fetch_response={"data": {"v": 1}})  # a Task binds to its version
    with pytest.raises(VersionConflictError):
        create_flow(storage).resume(task.id, fetch_response={"data": {"v": 1}}, version=1)
    with pytest.raises(BadArgumentError):
        create_flow(storage).resume(task.id, fetch_response={"data": {"v": 1}}, version="2")  # type: ignore[arg-type]
    # After reloading, A answers what the task waits on now; a Flow that never saw it binds to the current one.
    current = seen_by_a.get_task(task.id)
    task = seen_by_a.resume(task.id, fetch_response={"data": {"v": 2}})
    assert task.version == current.version + 1
    task = create_flow(storage).resume(task, fetch_response={"data": {"v": 3}})
    assert task.status == "completed" and task.result == "1,2,3"
    assert stored_deliveries(storage, task.id) == ["req-1", "req-2", "req-3"]


def stored_deliveries(storage: Any, task_id: str) -> list[str]:
    stored = storage.load(task_id)
    return [e["deliver"] for e in stored.vm_state["events"] if "deliver" in e]


def test_the_seeds_dict_form_binds_to_the_request_in_its_vm_state() -> None:
    SequentialFlow.set_default_storage(MemoryStorage())
    code = "const a = fetch('https://x.example/a'); const b = fetch('https://x.example/b'); a.v + b.v"
    task = SequentialFlow.execute({"id": "bind", "code": code})
    first_state = task.vm_state
    task = SequentialFlow.resume({"taskId": "bind", "vmState": first_state, "originalCode": code,
                                  "fetchResponse": {"data": {"v": 1}}})
    assert task.fetch_request is not None and task.fetch_request.url == "https://x.example/b"
    # The same (now stale) vmState again: its outstanding request is req-1, never req-2.
    with pytest.raises(RequestAlreadyAnsweredError):
        SequentialFlow.resume({"taskId": "bind", "vmState": first_state, "originalCode": code,
                               "fetchResponse": {"data": {"v": 5}}})
    assert SequentialFlow.get_task("bind").version == task.version
    done = SequentialFlow.resume({"taskId": "bind", "vmState": task.vm_state, "fetchResponse": {"data": {"v": 2}}})
    assert done.status == "completed" and done.result == 3


def test_original_code_other_than_the_stored_code_is_refused() -> None:
    SequentialFlow.set_default_storage(MemoryStorage())
    code = "const u = fetch('https://x.example/u'); u.name"
    task = SequentialFlow.execute({"id": "oc", "code": code})
    for form in ({"taskId": "oc", "originalCode": code + " + '!'", "fetchResponse": {"data": {"name": "A"}}},
                 {"taskId": "oc", "vmState": task.vm_state, "originalCode": "1",
                  "fetchResponse": {"data": {"name": "A"}}}):
        with pytest.raises(CodeMismatchError) as info:
            SequentialFlow.resume(form)
        assert info.value.code == "code_mismatch"
    assert SequentialFlow.get_task("oc").version == task.version
    done = SequentialFlow.resume({"taskId": "oc", "originalCode": code, "fetchResponse": {"data": {"name": "A"}}})
    assert done.result == "A"


def _racer(db: str, task_id: str, rounds: int, ready: Any, go: Any, results: Any) -> None:
    flow = Flow(storage=SqliteStorage(db))
    for n in range(rounds):
        ready.wait()
        flow.get_task(task_id)
        go.wait()  # every racer has seen the same version before anyone answers
        try:
            flow.resume(task_id, fetch_response={"data": {"v": n}})
            results.put((n, "won"))
        except Exception as exc:  # noqa: BLE001 - the parent asserts on the code
            results.put((n, getattr(exc, "code", repr(exc))))


def test_racing_processes_with_unnamed_answers_have_exactly_one_winner_per_round(tmp_path: Path) -> None:
    racers, rounds = 3, 3
    db = str(tmp_path / "race.db")
    task = Flow(storage=SqliteStorage(db)).execute(THREE_FETCHES + ";")
    ctx = multiprocessing.get_context("spawn")
    ready, go, results = ctx.Barrier(racers), ctx.Barrier(racers), ctx.Queue()
    procs = [ctx.Process(target=_racer, args=(db, task.id, rounds, ready, go, results)) for _ in range(racers)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in range(racers * rounds)]
    for p in procs:
        p.join(timeout=60)
    for n in range(rounds):
        got = [code for r, code in outcomes if r == n]
        # A loser that reads after the last round's winner finds the task completed.
        losers = {"version_conflict", "task_not_paused"} if n == rounds - 1 else {"version_conflict"}
        assert got.count("won") == 1 and set(got) - {"won"} <= losers, got
    final = Flow(storage=SqliteStorage(db)).get_task(task.id)
    assert final.status == "completed" and final.result == "0,1,2"
    assert stored_deliveries(SqliteStorage(db), task.id) == ["req-1", "req-2", "req-3"]


# -- 5. unknown response keys ----------------------------------------------------------------------


def test_unknown_response_keys_are_refused_naming_the_known_ones() -> None:
    flow = create_flow()
    task = flow.execute(THREE_FETCHES)
    with pytest.raises(BadArgumentError) as info:
        flow.resume(task.id, fetch_response={"statuscode": 500, "json": {"v": 1}})
    message = str(info.value)
    assert "'statuscode'" in message and "'json'" in message
    assert "status, statusText" in message and "bodyBase64, data" in message
    with pytest.raises(BadArgumentError, match="'Data'"):
        flow.resume(task.id, responses={"req-1": {"status": 200, "Data": {"v": 1}}})
    seeds = {"id": "req-1", "timestamp": 1700000000, "success": True, "status": 200, "data": {"v": 1}}
    assert flow.resume(task.id, fetch_response=seeds).version == task.version + 1


def test_sequential_dialect_takes_raw_data_but_not_a_misspelt_envelope() -> None:
    flow = create_flow(dialect="sequential")
    code = "const a = fetch('https://x.example/a'); const b = fetch('https://x.example/b'); [a, b]"
    task = flow.execute(code)
    task = flow.resume(task.id, fetch_response={"statuscode": 500, "json": {"v": 1}})  # raw data
    with pytest.raises(BadArgumentError, match="statuscode"):
        flow.resume(task.id, fetch_response={"status": 200, "statuscode": 500})
    done = flow.resume(task.id, fetch_response={"id": 2, "name": "raw"})  # an id inside raw data is data
    assert done.result == [{"statuscode": 500, "json": {"v": 1}}, {"id": 2, "name": "raw"}]


# -- 6. an over-size response is the program's failed fetch ----------------------------------------


def test_an_over_size_response_is_a_catchable_failed_fetch_logged_as_such(tmp_path: Path) -> None:
    code = """
      const got = [];
      for (const p of ['a', 'b']) {
        try { got.push((await (await fetch('https://x.example/' + p)).json()).v); }
        catch (e) { got.push(e.name + ': ' + e.message); }
      }
      return got;
    """
    storage = FileStorage(tmp_path)
    limits = Limits(max_response_bytes=1_000)
    task = create_flow(storage, limits=limits).execute(code)
    task = create_flow(storage, limits=limits).resume(task.id, fetch_response={"data": {"v": "x" * 2_000}})
    assert task.status == "paused" and task.vm_state is not None
    logged = [e["response"] for e in task.vm_state["events"] if "deliver" in e]
    assert logged == [{"error": "the response is over max_response_bytes (1000 bytes)"}]
    done = create_flow(storage, limits=limits).resume(task.id, fetch_response={"data": {"v": 2}})  # cold replay
    assert done.status == "completed"
    assert done.result == ["TypeError: fetch failed: the response is over max_response_bytes (1000 bytes)", 2]


def test_editing_a_returned_vm_state_does_not_rewrite_the_live_log() -> None:
    storage = MemoryStorage()
    flow = create_flow(storage)
    task = flow.execute(TWO_STEPS)
    task = flow.resume(task.id, fetch_response={"data": {"items": [1], "n": 1}})
    assert task.vm_state is not None
    delivered = [e for e in task.vm_state["events"] if "deliver" in e][0]
    delivered["response"]["data"]["n"] = 99  # the caller edits what it was handed
    task.vm_state["events"].clear()
    hot = flow.resume(task.id, fetch_response={"data": {}})  # the same Flow: its live program, no replay
    assert hot.result[1] == '{"items":[1],"n":1} items,n'
    assert hot.vm_state is not None
    saved = [e for e in hot.vm_state["events"] if "deliver" in e][0]
    assert saved["response"] == {"data": {"items": [1], "n": 1}}


def test_editing_a_vm_state_handed_out_by_a_cold_resume_does_not_rewrite_the_live_log() -> None:
    """A cold resume (a new Flow replays the stored log) hands out the whole log at once: still no sharing."""
    storage = MemoryStorage()
    task = create_flow(storage).execute(THREE_FETCHES)
    task = create_flow(storage).resume(task.id, fetch_response={"data": {"v": "a", "z": -0.0, "big": 2**53}})
    flow = create_flow(storage)
    task = flow.resume(task.id, fetch_response={"data": {"v": "b\ud800"}})  # cold: replays the first answer
    assert task.status == "paused" and task.vm_state is not None
    for event in task.vm_state["events"]:
        if "deliver" in event:
            event["response"]["data"]["v"] = "edited"  # the caller edits what it was handed
    hot = flow.resume(task.id, fetch_response={"data": {"v": "c"}})  # the same Flow: its live program
    assert hot.result == "a,b\ud800,c"
    assert hot.vm_state is not None
    first = [e["response"]["data"] for e in hot.vm_state["events"] if "deliver" in e][0]
    assert first == {"v": "a", "z": -0.0, "big": 2**53} and str(first["z"]) == "-0.0"

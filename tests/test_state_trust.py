"""Forged state: a vm_state from a caller is trusted only when signed for its task (issue 8)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime import (
    BadArgumentError,
    CodeMismatchError,
    CorruptStateError,
    ForeignStateError,
    InMemoryStorage,
    MemoryStorage,
    ReplayDivergenceError,
    SequentialFlow,
    TamperedStateError,
    TaskExpiredError,
    UnsignedStateError,
    create_flow,
    execute_code,
    resume_execution,
)
from seqflow_runtime.replay import source_hash

ROOT = Path(__file__).resolve().parent.parent

# Believes whatever the log says /me answered; a second fetch keeps that answer in the state.
ROLE = """
  const me = await (await fetch('https://api.example.com/me')).json();
  await fetch('https://api.example.com/audit');
  return me.role;
"""
EVIL = "return 'pwned: ' + (await (await fetch('https://api.example.com/me')).json()).role;"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEQFLOW_SECRET", raising=False)
    SequentialFlow.set_default_storage(InMemoryStorage())


def paused_after_me(role: str = "user", **flow_options: Any) -> dict[str, Any]:
    """ROLE's state after /me answered ``role``: paused on /audit."""
    flow = create_flow(**flow_options)
    flow.execute(ROLE, id="t")
    task = flow.resume("t", fetch_response={"data": {"role": role}})
    assert task.status == "paused" and task.vm_state is not None
    return copy.deepcopy(task.vm_state)


def with_code(state: dict[str, Any], code: str) -> dict[str, Any]:
    """``state`` running ``code`` instead, with the code hash recomputed (what a forger does)."""
    forged = copy.deepcopy(state)
    forged["code"] = code
    forged["codeHash"] = source_hash(code, forged["dialect"])  # a log's hash is its source's (any codegen)
    return forged


def with_role(state: dict[str, Any], role: str) -> dict[str, Any]:
    forged = copy.deepcopy(state)
    delivered = [e for e in forged["events"] if "deliver" in e]
    delivered[0]["response"]["data"]["role"] = role
    return forged


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh Python process (the repo on its path); returns stdout."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- rule 1: unsigned states are refused unless the flow opts in ------------------------------------


def test_unsigned_state_is_refused_with_a_stable_code_and_how_to_fix_it() -> None:
    state = paused_after_me()
    assert "signature" not in state
    with pytest.raises(UnsignedStateError) as info:
        create_flow().resume("t", fetch_response={"data": {}}, vm_state=state)
    assert info.value.code == "unsigned_state"
    assert "create_flow(secret=...)" in info.value.message and "SEQFLOW_SECRET" in info.value.message
    assert "unsafe_trust_unsigned_state=True" in info.value.message


def test_code_swapped_with_hash_recomputed_is_refused() -> None:
    unsigned = with_code(paused_after_me(), EVIL)
    with pytest.raises(UnsignedStateError):
        create_flow().resume("t", fetch_response={"data": {}}, vm_state=unsigned)
    signed = with_code(paused_after_me(secret="k"), EVIL)
    with pytest.raises(TamperedStateError) as info:
        create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=signed)
    assert info.value.code == "tampered_state"


def test_edited_logged_response_is_refused() -> None:
    with pytest.raises(UnsignedStateError):
        create_flow().resume("t", fetch_response={"data": {}}, vm_state=with_role(paused_after_me(), "admin"))
    forged = with_role(paused_after_me(secret="k"), "admin")
    with pytest.raises(TamperedStateError):
        create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=forged)


def test_opt_in_trusts_unsigned_state_forgeries_included() -> None:
    unsafe = create_flow(unsafe_trust_unsigned_state=True)
    honest = unsafe.resume("t", fetch_response={"data": {}}, vm_state=paused_after_me())
    assert (honest.status, honest.result) == ("completed", "user")
    # What the flag means: the caller decides what the program saw, and what code runs.
    forged = unsafe.resume("t", fetch_response={"data": {}}, vm_state=with_role(paused_after_me(), "admin"))
    assert forged.result == "admin"
    swapped = with_code(create_flow().execute(ROLE, id="t").vm_state or {}, EVIL)
    assert unsafe.resume("t", fetch_response={"data": {"role": "x"}}, vm_state=swapped).result == "pwned: x"


def test_signed_state_round_trip_and_the_opt_in_still_checks_a_present_signature() -> None:
    state = paused_after_me(secret="k")
    done = create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=state)
    assert (done.status, done.result) == ("completed", "user")
    lenient = create_flow(secret="k", unsafe_trust_unsigned_state=True)
    with pytest.raises(TamperedStateError):
        lenient.resume("t", fetch_response={"data": {}}, vm_state=with_role(state, "admin"))
    stripped = {k: v for k, v in state.items() if k != "signature"}
    with pytest.raises(UnsignedStateError):
        create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=stripped)
    assert lenient.resume("t", fetch_response={"data": {}}, vm_state=stripped).result == "user"


def test_signed_state_without_a_secret_to_check_it_is_unsigned_state() -> None:
    with pytest.raises(UnsignedStateError) as info:
        create_flow().resume("t", fetch_response={"data": {}}, vm_state=paused_after_me(secret="k"))
    assert "no secret to check" in info.value.message


@pytest.mark.parametrize("field,value", [
    ("code", "return 1"), ("codeHash", "0" * 64), ("dialect", "sequential"), ("seed", 7),
    ("runtime", "9.9.9"), ("format", "seqflow/2"), ("requests", []), ("events", []), ("extra", True),
])
def test_signature_covers_every_field(field: str, value: Any) -> None:
    state = paused_after_me(secret="k")
    state[field] = value
    with pytest.raises(TamperedStateError):
        create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=state)


@pytest.mark.parametrize("signature", [5, None, "", "é" * 64, "0" * 64, ["x"], "a" * 100_000])
def test_hostile_signature_values_are_typed_errors(signature: Any) -> None:
    state = paused_after_me(secret="k")
    state["signature"] = signature
    with pytest.raises((TamperedStateError, UnsignedStateError)):
        create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=state)


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize("state", [
    "not a dict", 5, [], {"format": "seqflow/1", "events": [{1: "int key", "a": 2}], "signature": "x"},
    {"format": "seqflow/1", "events": {1, 2}, "signature": "x"}, {"nan": float("nan"), "signature": "x"},
    {"format": "seqflow/1", "events": [nested(100_000)], "signature": "x"},
])
def test_malformed_states_are_corrupt_state(state: Any) -> None:
    with pytest.raises(CorruptStateError):
        create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=state)


# -- rule 3: bound to the task id; key rotation --------------------------------------------------------


def test_state_signed_for_another_task_is_refused() -> None:
    state = paused_after_me(secret="k")
    with pytest.raises(TamperedStateError) as info:
        create_flow(secret="k").resume("other", fetch_response={"data": {}}, vm_state=state)
    assert "'other'" in info.value.message


def test_key_rotation_first_secret_signs_all_verify() -> None:
    old_state = paused_after_me(secret="old")
    rotated = create_flow(secret=["new", b"old"])
    task = rotated.resume("t", fetch_response={"data": {}}, vm_state=old_state)
    assert task.result == "user"
    new_state = paused_after_me(secret=["new", "old"])
    assert create_flow(secret="new").resume("t", fetch_response={"data": {}}, vm_state=new_state).result == "user"
    with pytest.raises(TamperedStateError):
        create_flow(secret="old").resume("t", fetch_response={"data": {}}, vm_state=new_state)
    with pytest.raises(TamperedStateError):
        create_flow(secret="other").resume("t", fetch_response={"data": {}}, vm_state=old_state)


@pytest.mark.parametrize("secret", ["", b"", [], ["k", ""], [5], 5])
def test_bad_secrets_are_bad_arguments(secret: Any) -> None:
    with pytest.raises(BadArgumentError):
        create_flow(secret=secret)


def test_secret_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEQFLOW_SECRET", "from-env")
    state = paused_after_me()
    assert "signature" in state
    assert create_flow(secret="from-env").resume("t", fetch_response={"data": {}}, vm_state=state).result == "user"
    monkeypatch.delenv("SEQFLOW_SECRET")
    with pytest.raises(UnsignedStateError):
        create_flow().resume("t", fetch_response={"data": {}}, vm_state=state)


def test_signature_survives_a_javascript_json_round_trip() -> None:
    # Floats that JavaScript writes as integers (1.0, -0.0, 1e21) and a different key order.
    flow = create_flow(secret="k")
    flow.execute(ROLE, id="t")
    data = {"role": "user", "score": 1.0, "zero": -0.0, "big": 1e21, "ratio": 0.1, "text": "é😀\u2028"}
    task = flow.resume("t", fetch_response={"data": data})
    sent = json.dumps(task.vm_state)
    node = subprocess.run(
        ["node", "-e", "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const o=JSON.parse(s);"
         "const r={};for(const k of Object.keys(o).reverse())r[k]=o[k];process.stdout.write(JSON.stringify(r))})"],
        input=sent, capture_output=True, text=True, timeout=60, check=True)
    assert node.stdout != sent
    back = json.loads(node.stdout)
    done = create_flow(secret="k").resume("t", fetch_response={"data": {}}, vm_state=back)
    assert (done.status, done.result) == ("completed", "user")


# -- caller states never stand in for stored tasks ------------------------------------------------------


def test_stateless_resume_does_not_replace_the_stored_task_in_the_hot_cache() -> None:
    storage = MemoryStorage()
    flow = create_flow(storage, secret="k")
    first = flow.execute(ROLE, id="t")
    # A legitimately signed state of the same task and version, resumed with another answer...
    side = flow.resume("t", fetch_response={"data": {"role": "admin"}}, vm_state=first.vm_state)
    assert side.status == "paused" and storage.load("t").version == 1
    # ...must not become the stored task's live program.
    flow.resume("t", fetch_response={"data": {"role": "user"}})
    done = flow.resume("t", fetch_response={"data": {}})
    assert (done.status, done.result) == ("completed", "user")


# -- rule 4: storage is trusted, but a resume checks the stored fields against the log ---------------


def test_stored_state_is_not_checked_for_a_signature() -> None:
    storage = MemoryStorage()
    create_flow(storage).execute(ROLE, id="t")
    assert "signature" not in (storage.load("t").vm_state or {})
    task = create_flow(storage, secret="k").resume("t", fetch_response={"data": {"role": "user"}})
    assert task.status == "paused" and "signature" in (task.vm_state or {})


def test_stored_requests_that_the_log_does_not_produce_are_refused_on_resume() -> None:
    storage = MemoryStorage()
    create_flow(storage).execute(ROLE, id="t")
    task = storage.load("t")
    assert task is not None
    task.fetch_requests[0].url = "https://evil.example.com/me"
    storage.save(task, task.version)
    with pytest.raises(ReplayDivergenceError):
        create_flow(storage).resume("t", fetch_response={"data": {"role": "user"}})
    assert storage.load("t").fetch_requests[0].url == "https://evil.example.com/me"


def test_stored_code_that_is_not_the_logs_is_refused_on_resume() -> None:
    storage = MemoryStorage()
    SequentialFlow.set_default_storage(storage)
    SequentialFlow.execute({"id": "t", "code": SEQ})
    task = storage.load("t")
    assert task is not None
    task.code = "'what the caller is shown'"
    storage.save(task, task.version)
    with pytest.raises(ForeignStateError):
        SequentialFlow.resume({"taskId": "t", "originalCode": task.code, "fetchResponse": {"role": "user"}})


@pytest.mark.parametrize("shift", [-59.0, 0.002])
def test_stored_wake_time_that_the_log_does_not_produce_is_refused_on_resume(shift: float) -> None:
    storage = MemoryStorage()
    create_flow(storage).execute("await new Promise(r => setTimeout(r, 60000)); 'woke'", id="t")
    task = storage.load("t")
    assert task is not None and task.wake_at is not None
    task.wake_at += shift
    storage.save(task, task.version)
    with pytest.raises(ReplayDivergenceError):
        create_flow(storage).resume("t")


# -- rule 2: the seeds' facade prefers the stored task ----------------------------------------------------

SEQ = "const me = fetch('https://api.example.com/me'); const audit = fetch('https://api.example.com/audit'); me.role"


def test_facade_prefers_the_stored_task_over_the_callers_vm_state() -> None:
    storage = InMemoryStorage()
    SequentialFlow.set_default_storage(storage)
    first = SequentialFlow.execute({"id": "f", "code": SEQ})
    second = SequentialFlow.resume({"taskId": "f", "vmState": first.vm_state, "originalCode": SEQ,
                                    "fetchResponse": {"role": "user"}})
    assert second.status == "paused"
    forged = {**(second.vm_state or {}), "code": "'pwned'", "events": []}
    done = SequentialFlow.resume({"taskId": "f", "vmState": forged, "originalCode": SEQ, "fetchResponse": {}})
    assert (done.status, done.result) == ("completed", "user")
    assert storage.load("f").status == "completed"


def test_facade_does_not_fall_back_to_the_callers_state_for_an_expired_stored_task() -> None:
    state = SequentialFlow.execute({"id": "f", "code": SEQ}, options={"ttl": 1e-6, "secret": "k"}).vm_state
    time.sleep(0.01)
    with pytest.raises(TaskExpiredError):
        SequentialFlow.resume({"taskId": "f", "vmState": state, "fetchResponse": {"role": "user"}},
                              options={"secret": "k"})


def test_facade_refuses_original_code_that_is_not_the_stored_code() -> None:
    SequentialFlow.set_default_storage(InMemoryStorage())
    first = SequentialFlow.execute({"id": "f", "code": SEQ})
    with pytest.raises(CodeMismatchError) as info:
        SequentialFlow.resume({"taskId": "f", "vmState": first.vm_state, "originalCode": "'other'",
                               "fetchResponse": {"role": "user"}})
    assert info.value.code == "code_mismatch"
    with pytest.raises(CodeMismatchError):
        SequentialFlow.resume(task_id="f", original_code="'other'", fetch_response={"role": "user"})
    with pytest.raises(BadArgumentError):
        SequentialFlow.resume({"taskId": "f", "originalCode": 5, "fetchResponse": {"role": "user"}})
    assert SequentialFlow.get_task("f").version == 1


def test_facade_without_the_task_in_storage_needs_a_signed_state() -> None:
    SequentialFlow.set_default_storage(InMemoryStorage())
    state = SequentialFlow.execute({"id": "f", "code": SEQ}).vm_state
    SequentialFlow.set_default_storage(InMemoryStorage())  # another instance: it has never seen "f"
    request = {"taskId": "f", "vmState": state, "originalCode": SEQ, "fetchResponse": {"role": "user"}}
    with pytest.raises(UnsignedStateError):
        SequentialFlow.resume(request)
    with pytest.raises(UnsignedStateError):
        SequentialFlow.resume(task_id="f", vm_state=state, fetch_response={"role": "user"})
    with pytest.raises(CodeMismatchError):
        SequentialFlow.resume({**request, "originalCode": "'other'"})
    unsafe = SequentialFlow.resume(request, options={"unsafe_trust_unsigned_state": True})
    assert unsafe.status == "paused"


def test_facade_without_storage_resumes_a_signed_state() -> None:
    SequentialFlow.set_default_storage(InMemoryStorage())
    state = SequentialFlow.execute({"id": "f", "code": SEQ}, options={"secret": "k"}).vm_state
    SequentialFlow.set_default_storage(InMemoryStorage())
    request = {"taskId": "f", "vmState": state, "originalCode": SEQ, "fetchResponse": {"role": "user"}}
    second = SequentialFlow.resume(request, options={"secret": "k"})
    assert second.status == "paused"
    done = SequentialFlow.resume({**request, "vmState": second.vm_state, "fetchResponse": {}},
                                 options={"secret": "k"})
    assert (done.status, done.result) == ("completed", "user")
    with pytest.raises(TamperedStateError):
        SequentialFlow.resume({**request, "taskId": "g"}, options={"secret": "k"})


# -- fetchflow's stateless API ---------------------------------------------------------------------------

FETCHFLOW = "const r = await fetch('https://api.example.com/me'); (await r.json()).role"


def test_fetchflow_refuses_a_forged_state() -> None:
    paused = execute_code(FETCHFLOW)
    assert "signature" in paused["state"]
    forged = with_code(paused["state"], "'pwned'")
    with pytest.raises(TamperedStateError):
        resume_execution(forged, {"data": {"role": "user"}})
    assert resume_execution(paused["state"], {"data": {"role": "user"}}) == {"type": "completed", "result": "user"}


def test_fetchflow_state_resumes_in_another_process_only_with_a_shared_secret() -> None:
    script = ("import json\nfrom seqflow_runtime import execute_code\n"
              f"print(json.dumps(execute_code({FETCHFLOW!r})['state']))\n")
    foreign = json.loads(run_python(script))
    with pytest.raises(TamperedStateError):
        resume_execution(foreign, {"data": {"role": "user"}})
    shared = json.loads(run_python(script, env={"SEQFLOW_SECRET": "shared"}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEQFLOW_SECRET", "shared")
        assert resume_execution(shared, {"data": {"role": "user"}})["result"] == "user"

"""Every backend gives a task back byte for byte, and a retried save lands at most once.

A replay log is only as good as its bytes: a reordered object, a ``-0`` turned
into ``0`` or a lost lone surrogate makes the replayed program ask for other
requests than the ones logged, and every later resume fails. Each test runs for
all six backends (the ``backend`` fixture).
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

import pytest

from seqflow_runtime.errors import VersionConflictError
from seqflow_runtime.flow import Flow
from seqflow_runtime.storage.base import Storage, encode_task
from seqflow_runtime.storage.url import create_storage

from test_conformance import child_env, make_task

if TYPE_CHECKING:
    from conftest import Backend

# The first response decides the second request's URL, so a log that reads back
# different from what was written makes the replay diverge.
PROGRAM = r"""
console.log('\0', '\ud800');
const first = await (await fetch('https://api.example.com/first')).json();
const keys = Object.keys(first.obj).join(',');
const facts = [keys, Object.is(first.negz, -0), String(first.e21), String(first.small),
  first.lone.length, first.lone.charCodeAt(0), first.nul === '\0', String(first.big), String(first.huge)];
const second = await (await fetch('https://api.example.com/second?facts=' + encodeURIComponent(JSON.stringify(facts)))).json();
return {facts, obj: first.obj, negz: first.negz, echo: second.ok};
"""

# Key orders JSONB would change (it sorts by length, then bytes), -0, floats
# Python and JS spell with exponents, a lone surrogate, NUL, and the largest exact integer.
FIRST_RESPONSE: dict[str, Any] = {
    "obj": {"zeta": 1, "alpha": 2, "10": 3, "2": 4, "b": 5, "aa": 6},
    "negz": -0.0,
    "e21": 1e21,
    "small": 1.5e-7,
    "lone": "\ud800",
    "nul": "\x00",
    "big": 2**53,  # the largest integer a response may carry (beyond it: bad_arguments)
    "huge": 1e30,
}

# What Node prints for the same program and response (JSON.parse of the same text).
FACTS = ["2,10,zeta,alpha,b,aa", True, "1e+21", "1.5e-7", 1, 55296, True, "9007199254740992", "1e+30"]
EXPECTED_RESULT = {
    "facts": FACTS,
    "obj": {"2": 4, "10": 3, "zeta": 1, "alpha": 2, "b": 5, "aa": 6},
    "negz": 0,  # JS results leave as JSON would: -0 is 0
    "echo": True,
}


def _answer_second(storage: Storage, task_id: str) -> tuple[str, Any, Any, int]:
    """A fresh Flow (nothing hot: it must replay the log) answers the second request."""
    task = Flow(storage=storage).resume(task_id, fetch_response={"data": {"ok": True}})
    return task.status, task.result, task.error, os.getpid()


def _cold_resume(url: str, env: dict[str, str], task_id: str) -> tuple[str, Any, Any, int]:
    """Child: the same, on a storage rebuilt from its URL."""
    os.environ.update(env)
    storage = create_storage(url)
    try:
        return _answer_second(storage, task_id)
    finally:
        storage.close()


def test_paused_task_round_trips_exactly_and_resumes_cold(
    backend: Backend, child_processes: ProcessPoolExecutor
) -> None:
    """A real paused task with hostile log values resumes in another process without divergence."""
    flow = Flow(storage=backend.storage)
    task = flow.execute(PROGRAM, id="exact")
    assert task.status == "paused"
    task = flow.resume("exact", fetch_response={"data": FIRST_RESPONSE})
    assert task.status == "paused", task.error
    assert task.fetch_request is not None and "facts=" in task.fetch_request.url
    written = encode_task(task.to_dict())

    reader = backend.fresh() if backend.shared_across_processes else backend.storage
    stored = reader.load("exact")
    assert stored is not None
    assert encode_task(stored.to_dict()) == written  # byte for byte
    assert stored.vm_state is not None
    logged = stored.vm_state["events"][0]["response"]["data"]
    assert list(logged["obj"]) == ["zeta", "alpha", "10", "2", "b", "aa"]
    assert math.copysign(1.0, logged["negz"]) == -1.0
    assert (logged["lone"], logged["nul"], logged["big"], logged["huge"]) == (
        "\ud800", "\x00", 2**53, 1e30)
    assert repr(logged["e21"]) == "1e+21" and repr(logged["small"]) == "1.5e-07"
    assert stored.logs == [{"level": "log", "message": "\x00 \ud800"}]

    if backend.shared_across_processes:
        job = child_processes.submit(_cold_resume, backend.url, child_env(), "exact")
        status, result, error, pid = job.result(timeout=120)
        assert pid != os.getpid()
    else:
        # Memory lives in this process: a new Flow still has nothing hot.
        status, result, error, _ = _answer_second(backend.storage, "exact")
    assert (status, error) == ("completed", None)
    assert result == EXPECTED_RESULT and list(result["obj"]) == list(EXPECTED_RESULT["obj"])

    final = Flow(storage=reader).get_task("exact")
    assert final.result == EXPECTED_RESULT
    assert list(final.result["obj"]) == ["2", "10", "zeta", "alpha", "b", "aa"]
    if reader is not backend.storage:
        reader.close()


def test_nul_in_console_output_does_not_break_later_saves(backend: Backend) -> None:
    """A guest logging NUL and lone surrogates keeps pausing, resuming and finishing."""
    flow = Flow(storage=backend.storage)
    code = r"""
    for (let i = 0; i < 3; i++) {
      console.log('step\0' + i, '\udfff');
      await fetch('https://api.example.com/' + i);
    }
    return 'done\0';
    """
    task = flow.execute(code, id="nul-logs")
    for _ in range(3):
        assert task.status == "paused", task.error
        task = Flow(storage=backend.storage).resume("nul-logs", fetch_response={"data": 1})
    assert (task.status, task.result) == ("completed", "done\x00")
    stored = backend.storage.load("nul-logs")
    assert stored is not None and stored.result == "done\x00"
    assert [entry["message"] for entry in stored.logs] == [f"step\x00{i} \udfff" for i in range(3)]


def test_retried_save_lands_at_most_once(backend: Backend) -> None:
    """Repeating a save that already landed (its outcome looked unknown) conflicts and changes nothing.

    Two racing writers can build byte-identical tasks (same version, same
    data), so "the same bytes are stored" cannot tell a retry from a rival:
    the retry is refused, and the caller loads the task to see where it stands.
    """
    storage = backend.storage
    first = make_task("retry")
    second = make_task("retry", version=2, status="completed", result={"b": 1, "a": -0.0},
                       fetch_requests=[], wake_at=None)
    storage.save(first, None)
    with pytest.raises(VersionConflictError):
        storage.save(first, None)
    storage.save(second, 1)
    with pytest.raises(VersionConflictError):
        storage.save(second, 1)
    stored = storage.load("retry")
    assert stored is not None and encode_task(stored.to_dict()) == encode_task(second.to_dict())
    # The indexes saw one update: listed once, under the new status only.
    assert [t.id for t in storage.list().tasks] == ["retry"]
    assert [t.id for t in storage.list(status="completed").tasks] == ["retry"]
    assert storage.list(status="paused").tasks == []

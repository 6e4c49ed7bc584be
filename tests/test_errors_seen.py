"""What a failed task tells its reader: the thrown value, the error's name, the stack, internal errors."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime import BadArgumentError, FileStorage, Flow, create_flow
from seqflow_runtime.task import Task


def failed(code: str, **options: Any) -> Task:
    task = create_flow().execute(code, **options)
    assert task.status == "error", task.result
    assert task.error_details is not None
    return task


@pytest.mark.parametrize(("code", "value", "message", "error"), [
    ("throw {code: 42}", {"code": 42}, "{ code: 42 }", "Uncaught { code: 42 } (line 1)"),
    ("throw 'x'", "x", "x", "Uncaught 'x' (line 1)"),
    ("const a = 1;\nfunction f() {\n  throw 42;\n}\nf();", 42, "42", "Uncaught 42 (line 3)"),
    ("throw -0", 0, "-0", "Uncaught -0 (line 1)"),
    ("throw null", None, "null", "Uncaught null (line 1)"),
    ("throw undefined", None, "undefined", "Uncaught undefined (line 1)"),
    ("throw [1, 'a', {b: undefined}]", [1, "a", {}], "[ 1, 'a', { b: undefined } ]",
     "Uncaught [ 1, 'a', { b: undefined } ] (line 1)"),
    ("throw {z: 1, a: 2, 1: 3}", {"1": 3, "z": 1, "a": 2}, "{ '1': 3, z: 1, a: 2 }",
     "Uncaught { '1': 3, z: 1, a: 2 } (line 1)"),
    # Rejected across an await: the top level stops at the await (line 2).
    ("async function f() { await null; throw {retry: true} }\nawait f()", {"retry": True}, "{ retry: true }",
     "Uncaught { retry: true } (line 2)"),
    # An unhandled rejection that never passed through the top level has no position.
    ("Promise.reject('late')", "late", "late", "Uncaught 'late'"),
])
def test_thrown_values_are_kept_as_data(code: str, value: Any, message: str, error: str) -> None:
    task = failed(code)
    details = task.error_details or {}
    assert details["value"] == value
    assert list(details["value"]) == list(value) if isinstance(value, dict) else True  # JS key order
    assert (details["name"], details["message"], details["code"]) == ("Uncaught", message, "guest_error")
    assert task.error == error
    assert details["stack"] == error.split(" (line ")[0]
    assert details["line"] == (int(error.split(" (line ")[1][:-1]) if "(line" in error else None)


def test_thrown_value_survives_storage(tmp_path: Path) -> None:
    flow = Flow(storage=FileStorage(str(tmp_path)))
    task = flow.execute("const r = await fetch('https://x.example/a'); throw {status: r.status, tags: ['t']}")
    task = flow.resume(task.id, fetch_response={"status": 503})
    stored = Flow(storage=FileStorage(str(tmp_path))).get_task(task.id)
    assert stored.error_details is not None and stored.error_details["value"] == {"status": 503, "tags": ["t"]}
    assert stored.to_dict()["errorDetails"]["value"] == {"status": 503, "tags": ["t"]}


def test_an_error_keeps_its_own_properties_as_value() -> None:
    task = failed("const e = new TypeError('bad'); e.code = 'E_BAD'; throw e")
    details = task.error_details or {}
    assert (details["name"], details["message"], details["value"]) == ("TypeError", "bad", {"code": "E_BAD"})
    assert task.error == "TypeError: bad (line 1)"


SUBCLASS = """class MyErr extends Error {
  constructor(m) { super(m); this.name = 'MyErr'; }
}
function f() {
  throw new MyErr('boom');
}
f();
"""


def test_a_subclass_that_sets_its_name_is_named_by_it() -> None:
    task = failed(SUBCLASS)
    details = task.error_details or {}
    assert task.error == "MyErr: boom (line 5)"
    assert details["name"] == "MyErr" and details["message"] == "boom"
    # As in Node (v20: "MyErr: boom\n    at f (job.js:5:9)\n    at Object.<anonymous> (job.js:7:1)"):
    # the header carries the name set after super(), the constructors are not frames.
    lines = details["stack"].split("\n")
    assert lines[0] == "MyErr: boom"
    assert lines[1].startswith("    at f (script.js:5:")
    assert lines[2] == "    at script.js:7:1"
    assert "MyErr (" not in details["stack"]


def test_a_subclass_of_a_subclass_leaves_out_every_constructor() -> None:
    task = failed(SUBCLASS.replace("f();", "class Deeper extends MyErr { constructor() { super('deep'); "
                                            "this.name = 'Deeper'; } }\nthrow new Deeper();"))
    stack = (task.error_details or {})["stack"].split("\n")
    assert stack == ["Deeper: deep", "    at script.js:8:1"]


def test_a_stack_the_program_replaced_is_reported_as_it_is() -> None:
    task = failed("const e = new Error('m'); e.stack = 'custom stack'; e.name = 'Z'; throw e")
    details = task.error_details or {}
    assert (details["name"], details["stack"], task.error) == ("Z", "custom stack", "Z: m")


def test_a_stack_read_inside_the_program_is_unchanged() -> None:
    task = create_flow().execute("const e = new Error('m'); e.name = 'N'; e.stack.split('\\n')[0]")
    assert task.result == "Error: m"  # our stack is formatted when the error is made


@pytest.mark.parametrize("code", [
    "const e = new Error('m'); Object.defineProperty(e, 'name', {get() { throw new Error('no') }}); throw e",
    "const e = new Error('m'); Object.defineProperty(e, 'message', {get() { while (true) {} }}); throw e",
    "throw {toJSON() { throw 1 }, get x() { throw 2 }}",
    "throw new Proxy({}, {get() { throw 3 }, ownKeys() { throw 4 }})",
    "const o = {}; o.self = o; throw o",
    "throw Object.create(null)",
    "throw Symbol('s')",
    "throw function named() {}",
])
def test_hostile_thrown_values_are_still_reported(code: str) -> None:
    task = failed(code)
    details = task.error_details or {}
    # An endless getter spends the step budget while the error is described: the limit ends the task.
    assert details["code"] == ("limit_exceeded" if "while (true)" in code else "guest_error"), details
    assert task.error and "Python" not in task.error and "Traceback" not in task.error


def test_the_stack_names_the_file_given_to_execute() -> None:
    task = failed(SUBCLASS, filename="job.js")
    stack = (task.error_details or {})["stack"]
    assert "    at f (job.js:5:" in stack and "script.js" not in stack
    caught = create_flow().execute("try { null.x } catch (e) { e.stack }", filename="dir/job.js")
    assert caught.result == "TypeError: Cannot read properties of null (reading 'x')\n    at dir/job.js:1:7"


@pytest.mark.parametrize("filename", ["", 3, "a\nb", "x" * 256])
def test_a_bad_filename_is_refused(filename: Any) -> None:
    with pytest.raises(BadArgumentError) as caught:
        create_flow().execute("1", filename=filename)
    assert caught.value.code == "bad_arguments"


class FailingClock:
    """A host clock that fails once, on the program's first reading, like a flaky time source."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        if self.calls == 2:
            raise OSError("clock_gettime failed in <seqflow:deadbeef> at /opt/secret/path.py")
        return 1_700_000_000.0


def test_an_internal_error_says_nothing_python(caplog: pytest.LogCaptureFixture) -> None:
    flow = Flow(clock=FailingClock())
    with caplog.at_level(logging.ERROR, logger="seqflow"):
        task = flow.execute("const a = 1;\nconst b = a + 1;\nconst t = Date.now();\nt", id="broken")
    details = task.error_details or {}
    assert task.status == "error" and details["code"] == "internal_error"
    assert (details["line"], details["name"]) == (3, "InternalError")
    for text in (task.error or "", details["message"], details["stack"]):
        assert "line 3" in text and "internal_error" in text
        for leak in ("OSError", "clock_gettime", "<seqflow:", "/opt/secret", "Traceback", ".py"):
            assert leak not in text
    # The Python detail goes to the log, for the operator.
    records = [r for r in caplog.records if r.name == "seqflow" and r.exc_info]
    assert records and records[0].exc_info is not None and records[0].exc_info[0] is OSError
    assert "clock_gettime failed" in caplog.text


def test_the_file_name_holds_across_pauses_of_one_run() -> None:
    # Flow.run (and `seqflow run FILE`) continues the live program after each pause.
    task = create_flow().run("const r = await fetch('https://x.example/a');\nthrow new Error('after ' + r.status);",
                             filename="job.js", fetch=lambda request: {"status": 503})
    assert task.status == "error" and task.pause_count == 1
    assert (task.error_details or {})["stack"] == "Error: after 503\n    at job.js:2:1"


def test_the_file_name_holds_across_a_cold_resume(tmp_path: Any) -> None:
    from seqflow_runtime import FileStorage

    storage = FileStorage(str(tmp_path))
    task = create_flow(storage).execute(
        "const r = await fetch('https://x.example/a');\nthrow new Error('after ' + r.status);", filename="job.js")
    assert task.status == "paused"
    done = create_flow(storage).resume(task.id, fetch_response={"status": 503})  # a fresh Flow replays the log
    assert (done.error_details or {})["stack"] == "Error: after 503\n    at job.js:2:1"

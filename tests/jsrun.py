"""Test helpers: run a JS snippet on a fresh realm and get its result as Python data."""

from __future__ import annotations

from typing import Any

from seqflow_runtime.js.convert import to_python
from seqflow_runtime.js.execute import GuestError, describe_exception, describe_thrown, start_program
from seqflow_runtime.js.runtime import Runtime
from seqflow_runtime.limits import Limits
from seqflow_transpile import transpile


class JSFailure(Exception):
    """The snippet threw (or hit a limit); ``error`` says how."""

    def __init__(self, error: GuestError) -> None:
        super().__init__(error.text)
        self.error = error


def evaluate(source: str, limits: Limits | None = None, dialect: str = "standard") -> tuple[Runtime, Any]:
    """Run ``source`` to completion; returns the realm and the raw JS completion value."""
    program = transpile(source, dialect)
    rt = Runtime(limits)
    try:
        promise = start_program(rt, program)
        rt.jobs.run()
    except BaseException as exc:  # noqa: BLE001 - tests inspect every failure
        raise JSFailure(describe_exception(rt, exc)) from None
    if promise.state == "rejected":
        raise JSFailure(describe_thrown(rt, promise.result))
    if promise.state != "fulfilled":
        raise AssertionError("the script is still waiting (a promise that never settles)")
    return rt, promise.result


def run_js(source: str, limits: Limits | None = None, dialect: str = "standard") -> Any:
    """The snippet's completion value as Python data (objects → dict, arrays → list)."""
    rt, value = evaluate(source, limits, dialect)
    return to_python(rt, value)


def js_error(source: str, limits: Limits | None = None) -> GuestError:
    """The error a snippet ends with (fails the test if it completes)."""
    try:
        value = run_js(source, limits)
    except JSFailure as failure:
        return failure.error
    raise AssertionError(f"expected an error, got {value!r}")

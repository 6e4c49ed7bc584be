"""Test helpers: run a JS snippet on a fresh realm and get its result as Python data."""

from __future__ import annotations

from typing import Any

from seqflow_runtime.js.builtins import install_everything
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


def evaluate(source: str, limits: Limits | None = None, dialect: str = "standard",
             eager: bool = False) -> tuple[Runtime, Any]:
    """Run ``source`` to completion; returns the realm and the raw JS completion value.

    ``eager``: every built-in group installed before the script starts (else the web
    platform's wait for their first use).
    """
    program = transpile(source, dialect)
    rt = Runtime(limits)
    if eager:
        install_everything(rt)
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


def run_js(source: str, limits: Limits | None = None, dialect: str = "standard", eager: bool = False) -> Any:
    """The snippet's completion value as Python data (objects → dict, arrays → list)."""
    rt, value = evaluate(source, limits, dialect, eager)
    return to_python(rt, value)


def js_error(source: str, limits: Limits | None = None) -> GuestError:
    """The error a snippet ends with (fails the test if it completes)."""
    try:
        value = run_js(source, limits)
    except JSFailure as failure:
        return failure.error
    raise AssertionError(f"expected an error, got {value!r}")


# ``same`` is Object.is (written out so these tests only need the built-ins under
# test); ``show`` renders a value so that -0, NaN and strings stay distinguishable.
PRELUDE = r"""
function same(a, b) { return a === b ? (a !== 0 || 1 / a === 1 / b) : (a !== a && b !== b); }
function show(v) {
  if (typeof v === 'number') return same(v, -0) ? '-0' : '' + v;
  if (typeof v === 'string') return 's:' + v;
  return typeof v + ':' + v;
}
"""


def batch_script(exprs: list[str]) -> str:
    """One script evaluating every expression (errors become ``ERR <name>``), joined by U+0001."""
    fns = ",\n".join(f"function () {{ return ({e}); }}" for e in exprs)
    return PRELUDE + (
        f"var cases = [{fns}];\n"
        "var out = '';\n"
        "for (var i = 0; i < cases.length; i++) {\n"
        "  var r;\n"
        "  try { r = show(cases[i]()); } catch (e) { r = 'ERR ' + e.name; }\n"
        "  out += (i ? '\\u0001' : '') + r;\n"
        "}\n"
        "out"
    )


def values(*exprs: str) -> list[str]:
    """The shown value of each expression, from a single realm."""
    result = run_js(batch_script(list(exprs)))
    assert isinstance(result, str)
    return result.split("\x01")


def check(table: list[tuple[str, str]]) -> None:
    """Every expression of ``table`` shows as expected."""
    got = values(*(e for e, _ in table))
    mismatches = [(e, want, g) for (e, want), g in zip(table, got) if g != want]
    assert not mismatches


class Throws:
    """Expect the expression to throw an error of this name (and message prefix)."""

    def __init__(self, name: str, message: str | None = None) -> None:
        self.name = name
        self.message = message

    def __repr__(self) -> str:
        return f"Throws({self.name}, {self.message!r})"


def run_table(exprs: list[str]) -> dict[str, Any]:
    """Evaluate every expression in one realm: ``[0, value]`` or ``[1, error name, message]``."""
    lines = ["var __results = [];"]
    for e in exprs:
        lines.append(
            "__results.push((function () { try { return [0, (" + e + ")]; }"
            " catch (e) { return [1, e && e.name, e && e.message]; } })());"
        )
    lines.append("__results")
    out = run_js("\n".join(lines))
    assert len(out) == len(exprs)
    return dict(zip(exprs, out))


def check_entry(results: dict[str, Any], expr: str, expected: Any) -> None:
    """Assert one :func:`run_table` result: a value, or a :class:`Throws`."""
    got = results[expr]
    if isinstance(expected, Throws):
        assert got[0] == 1 and got[1] == expected.name, f"{expr}: expected {expected}, got {got}"
        assert str(got[2]).startswith(expected.message or ""), f"{expr}: message {got[2]!r}"
    else:
        assert got[0] == 0, f"{expr} threw {got[1:]}"
        assert got[1] == expected, f"{expr}: expected {expected!r}, got {got[1]!r}"


#: A case starting with one of these is a function body (with its own ``return``).
STATEMENT_STARTS = ("var ", "let ", "const ", "function ", "function*", "class ", "try ", "if ", "for ")


def run_cases(cases: list[tuple[str, Any]], prelude: str = "", before_each: str = "") -> list[Any]:
    """Run every ``(source, expected)`` case in one realm: ``[0, value]`` or ``[1, name, message]``.

    A source starting like a statement is a function body with its own ``return``;
    ``before_each`` runs before every case (e.g. to reset a log).
    """
    lines = [prelude, "var __results = [];"]
    for src, _ in cases:
        body = src if src.startswith(STATEMENT_STARTS) else f"return ({src});"
        lines.append(
            before_each + "__results[__results.length] = (function () { try { return [0, (function () {"
            + body
            + "})()]; } catch (e) { return [1, e && e.name, e && e.message]; } })();"
        )
    lines.append("__results")
    out = run_js("\n".join(lines))
    assert isinstance(out, list) and len(out) == len(cases)
    return out


def check_case(src: str, got: Any, expected: Any) -> None:
    """Compare one :func:`run_cases` result with its expectation (a :class:`Throws` message is contained)."""
    if isinstance(expected, Throws):
        assert got[0] == 1, f"{src}: expected {expected}, got value {got[1]!r}"
        assert got[1] == expected.name, f"{src}: expected {expected}, got {got[1:]}"
        if expected.message is not None:
            assert expected.message in got[2], f"{src}: expected message {expected.message!r}, got {got[2]!r}"
    else:
        assert got[0] == 0, f"{src} threw {got[1:]}"
        assert got[1] == expected, f"{src}: expected {expected!r}, got {got[1]!r}"


def check_cases(cases: list[tuple[str, Any]], prelude: str = "", before_each: str = "") -> None:
    """Run a case table and report every mismatch at once."""
    failures = []
    for (src, expected), got in zip(cases, run_cases(cases, prelude, before_each)):
        try:
            check_case(src, got, expected)
        except AssertionError as exc:
            failures.append(str(exc).split("\nassert")[0])
    assert not failures, "\n".join(failures)

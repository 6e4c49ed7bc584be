"""Running a transpiled program in a runtime, and describing how it ended.

Generated code is executed with no Python builtins and only the names it
was written against (``undefined``, ``NaN``, ``Infinity``); everything else
it can touch comes through ``rt``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from seqflow_transpile import Program

from ..limits import LimitExceeded
from . import ops
from .errors_stack import js_frames, register_program
from .values import JSObject, JSThrow, type_error, undefined

_BASE_NAMESPACE = {"undefined": undefined, "NaN": math.nan, "Infinity": math.inf}


def load_main(program: Program) -> Callable[..., Any]:
    """The program's ``main`` function, in a namespace with no Python builtins."""
    namespace: dict[str, Any] = {"__builtins__": {}}
    namespace.update(_BASE_NAMESPACE)
    exec(program.code, namespace)  # noqa: S102 - our own generated code, sandboxed namespace
    main: Callable[..., Any] = namespace["main"]
    return main


def start_program(rt: Any, program: Program) -> Any:
    """Run ``program``'s top level; returns the promise of its completion value."""
    register_program(program.filename, program)
    main = load_main(program)
    result = main(rt)
    start_async: Callable[[Any], Any] = rt.intrinsics["start_async"]
    return start_async(result)


def run_nested(rt: Any, program: Program) -> Any:
    """Run a program synchronously inside a running realm (the ``Function`` constructor)."""
    register_program(program.filename, program)
    result = load_main(program)(rt)
    if hasattr(result, "send"):
        raise type_error("await is only valid in async functions")
    return result


@dataclass
class GuestError:
    """How a guest failure is reported: JS name, message, stack and position."""

    name: str
    message: str
    stack: str
    line: int | None = None
    column: int | None = None
    code: str = "guest_error"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """``Name: message (line N)`` for a task's ``error``."""
        where = f" (line {self.line})" if self.line is not None else ""
        return f"{self.name}: {self.message}{where}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready details."""
        return {
            "name": self.name,
            "message": self.message,
            "stack": self.stack,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            **self.extra,
        }


def describe_thrown(rt: Any, value: Any) -> GuestError:
    """A thrown JS value as a :class:`GuestError`."""
    if isinstance(value, JSObject):
        name = _safe_string(rt, value.get("name")) or "Error"
        message = _safe_string(rt, value.get("message"))
        stack = _safe_string(rt, value.get("stack")) or f"{name}: {message}"
    else:
        name = "Uncaught"
        message = _safe_string(rt, value)
        stack = f"Uncaught {message}"
    line, column = _first_position(stack)
    return GuestError(name, message, stack, line, column)


def describe_exception(rt: Any, exc: BaseException) -> GuestError:
    """Any exception escaping guest code as a :class:`GuestError` (never re-raised)."""
    if isinstance(exc, LimitExceeded):
        frames = js_frames(exc.__traceback__, None)
        line, column = (frames[0][1], frames[0][2]) if frames else (None, None)
        return GuestError("RangeError", exc.message, f"RangeError: {exc.message}", line, column,
                          code="limit_exceeded", extra={"limit": exc.limit})
    if isinstance(exc, (JSThrow, RecursionError, NameError)):
        try:
            return describe_thrown(rt, rt.caught(exc))
        except BaseException:  # noqa: BLE001 - reporting must not fail
            pass
    frames = js_frames(exc.__traceback__, None)
    line, column = (frames[0][1], frames[0][2]) if frames else (None, None)
    message = f"internal error: {type(exc).__name__}: {exc}"
    return GuestError("InternalError", message, f"InternalError: {message}", line, column,
                      code="internal_error")


def _safe_string(rt: Any, value: Any) -> str:
    if value is undefined:
        return ""
    try:
        return ops.to_string(value)
    except BaseException:  # noqa: BLE001 - a hostile toString must not break reporting
        return "<unprintable>"


def _first_position(stack: str) -> tuple[int | None, int | None]:
    for line in stack.splitlines()[1:]:
        tail = line.rstrip(")").rsplit(":", 2)
        if len(tail) == 3 and tail[1].isdigit() and tail[2].isdigit():
            return int(tail[1]), int(tail[2])
    return None, None

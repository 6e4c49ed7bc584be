"""Running a transpiled program in a runtime, and describing how it ended.

Generated code is executed with no Python builtins and only the names it
was written against (``undefined``, ``NaN``, ``Infinity``); everything else
it can touch comes through ``rt``.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from seqflow_transpile import Program

from ..errors import BadArgumentError
from ..limits import LimitExceeded
from . import ops
from .convert import to_python
from .errors_stack import js_frames, register_program, reported_stack
from .inspect import inspect, inspect_thrown
from .runtime import JSError
from .values import JSObject, JSThrow, type_error, undefined

_LOG = logging.getLogger("seqflow")
_THROW_SITE = "uncaught_site"
#: The name a thrown value that is not an Error is reported under (as Node's REPL does).
UNCAUGHT = "Uncaught"
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
    return start_async(_noting_throw_site(rt, result) if hasattr(result, "send") else result)


def _noting_throw_site(rt: Any, top_level: Any) -> Any:
    """The program's top level, noting the JS position a thrown value leaves it from.

    An Error carries its position in its stack; a thrown string or object has
    none, and by the time the program's promise is rejected the Python
    traceback that knew it is gone.
    """
    try:
        return (yield from top_level)
    except JSThrow as exc:
        line, column = _innermost(exc)
        if line is not None:
            rt.intrinsics[_THROW_SITE] = (exc.value, line, column)
        raise


def run_nested(rt: Any, program: Program, *context: Any) -> Any:
    """Run a program synchronously inside a running realm (the ``Function`` constructor, ``eval``).

    ``context`` is what its ``main`` takes after ``rt`` (direct eval code: its caller's scope).
    """
    register_program(program.filename, program)
    result = load_main(program)(rt, *context)
    if hasattr(result, "send"):
        raise type_error("await is only valid in async functions")
    return result


def check_filename(filename: Any) -> str:
    """``filename`` if it can name a script in a JS stack, else a ``BadArgumentError``."""
    if not isinstance(filename, str) or not filename or len(filename) > 255 or not filename.isprintable():
        raise BadArgumentError("filename must be a non-empty printable string of at most 255 characters")
    return filename


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
        """``Name: message (line N)`` for a task's ``error`` (``Uncaught 42`` for a non-Error value)."""
        where = f" (line {self.line})" if self.line is not None else ""
        if self.name == UNCAUGHT:
            return f"{self.stack}{where}"
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


def describe_thrown(rt: Any, value: Any, site: tuple[int, int] | None = None) -> GuestError:
    """A thrown JS value as a :class:`GuestError`; ``extra["value"]`` is the value as Python data.

    An Error is reported as ``Name: message`` with its stack; any other value
    under the name ``Uncaught``, its message as Node prints it (``text``,
    ``{ code: 42 }``) and its stack and ``error`` text as Node's REPL does
    (``Uncaught 'text'``); ``site`` (JS line, column) is where it was thrown,
    when known, else the place it left the top level.
    """
    extra = {"value": _guarded(lambda: to_python(rt, value), None)}
    if isinstance(value, JSError):
        name = _safe_string(rt, _safe_get(value, "name"), "Error")
        message = _safe_string(rt, _safe_get(value, "message"), "")
        header = f"{name}: {message}" if name and message else name or message
        stack = _safe_get(value, "stack")
        text = reported_stack(value, stack, header) if type(stack) is str else header
        line, column = _first_position(text)
        return GuestError(name, message, text, line, column, extra=extra)
    # The message is what Node prints for it (a string as it is); the stack, as its REPL does, quotes strings.
    message = _guarded(lambda: inspect(rt, value), "<unprintable>")
    shown = _guarded(lambda: inspect_thrown(rt, value), "<unprintable>")
    noted = rt.intrinsics.get(_THROW_SITE)
    if site is None and noted is not None and noted[0] is value:
        site = noted[1], noted[2]
    line, column = site if site is not None else (None, None)
    return GuestError(UNCAUGHT, message, f"{UNCAUGHT} {shown}", line, column, extra=extra)


def describe_exception(rt: Any, exc: BaseException) -> GuestError:
    """Any exception escaping guest code as a :class:`GuestError` (never re-raised).

    A failure of seqflow itself is reported as ``internal_error`` with the JS
    line only; the Python traceback goes to the ``seqflow`` logger, never
    into the task, which the program's author reads.
    """
    line, column = _innermost(exc)
    if isinstance(exc, LimitExceeded):
        return GuestError("RangeError", exc.message, f"RangeError: {exc.message}", line, column,
                          code="limit_exceeded", extra={"limit": exc.limit})
    if isinstance(exc, (JSThrow, RecursionError, NameError)):
        try:
            return describe_thrown(rt, rt.caught(exc), None if line is None else (line, column or 0))
        except Exception:  # noqa: BLE001 - reported below as an internal error
            pass
    where = f" at line {line}, column {column}" if line is not None else ""
    message = f"seqflow failed while running this program{where} (internal_error; details in the seqflow log)"
    _LOG.error("internal error while running a program%s", where, exc_info=exc)
    return GuestError("InternalError", message, f"InternalError: {message}", line, column,
                      code="internal_error")


def _innermost(exc: BaseException) -> tuple[int | None, int | None]:
    """The JS line and column of the innermost generated-code frame ``exc`` passed through."""
    frames = js_frames(exc.__traceback__, None)
    return (frames[0][1], frames[0][2]) if frames else (None, None)


def _guarded(make: Callable[[], Any], fallback: Any) -> Any:
    """``make()``, or ``fallback`` when guest code it runs (a getter, ``toJSON``) throws or runs out."""
    try:
        return make()
    except Exception:  # noqa: BLE001 - a hostile value must not break reporting
        return fallback


def _safe_get(value: JSObject, key: str) -> Any:
    return _guarded(lambda: value.get(key), undefined)


def _safe_string(rt: Any, value: Any, default: str) -> str:
    if value is undefined:
        return default
    text: str = _guarded(lambda: ops.to_string(value), "<unprintable>")
    return text


def _first_position(stack: str) -> tuple[int | None, int | None]:
    for line in stack.splitlines()[1:]:
        tail = line.rstrip(")").rsplit(":", 2)
        if len(tail) == 3 and tail[1].isdigit() and tail[2].isdigit():
            return int(tail[1]), int(tail[2])
    return None, None

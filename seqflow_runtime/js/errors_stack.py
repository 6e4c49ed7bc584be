"""JS stack traces from Python frames of generated code.

Each compiled program registers its source map under its code's file name;
a stack walks the Python frames, keeps those of generated code and reports
the JS function name and ``line:column`` the source map gives.
"""

from __future__ import annotations

import types
import weakref
from typing import Any

#: Error.stackTraceLimit's default in V8.
STACK_LIMIT = 10

_PROGRAMS: "weakref.WeakValueDictionary[str, Any]" = weakref.WeakValueDictionary()


def register_program(filename: str, program: Any) -> None:
    """Make frames of ``program`` (compiled as ``filename``) visible in JS stacks."""
    _PROGRAMS[filename] = program


def js_frames(tb: types.TracebackType | None, frame: types.FrameType | None) -> list[tuple[str | None, int, int]]:
    """(function name, JS line, JS column) for each generated-code frame, innermost first."""
    raw: list[tuple[types.FrameType, int]] = []
    t = tb
    while t is not None:
        raw.append((t.tb_frame, t.tb_lineno))
        t = t.tb_next
    raw.reverse()
    outer = raw[-1][0].f_back if raw else frame
    while outer is not None:
        raw.append((outer, outer.f_lineno or 0))
        outer = outer.f_back
    out: list[tuple[str | None, int, int]] = []
    skip_caller = False
    for f, lineno in raw:
        program = _PROGRAMS.get(f.f_code.co_filename)
        if program is None:
            continue
        if skip_caller:
            skip_caller = False
            continue
        smap = program.source_map
        pos = smap.lookup(lineno)
        if pos is None:
            continue
        code = f.f_code
        if code.co_name.startswith("_iteration"):
            # A per-iteration loop body belongs to the function that runs the loop.
            caller = f.f_back
            code = caller.f_code if caller is not None else code
            skip_caller = True
        name = smap.function_names.get(code.co_firstlineno)
        out.append((name, pos[0], pos[1]))
        if len(out) >= STACK_LIMIT:
            break
    return out


def constructor_caller(frame: types.FrameType | None, new_target: Any) -> types.FrameType | None:
    """The frame that called ``new`` on ``new_target``: V8 leaves the constructors out of a stack."""
    code = getattr(getattr(new_target, "fn", None), "__code__", None)
    f = frame
    while code is not None and f is not None:
        if f.f_code is code:
            return f.f_back
        f = f.f_back
    return frame


def stamp_stack(err: Any, header: str, frames: str) -> None:
    """Give ``err`` its ``stack`` (``header`` + ``frames``), remembering how it was made.

    V8 formats a stack when it is first read, so a subclass that sets
    ``this.name`` after ``super()`` is named by it; :func:`reported_stack`
    re-heads a stack the program never replaced the same way.
    """
    from .values import HIDDEN

    text = header + frames
    err.write_slot("stack", text, HIDDEN)
    err.made_stack = (header, text)


def reported_stack(err: Any, stack: str, header: str) -> str:
    """``stack`` with ``header`` in place of the one it was made with, unless the program replaced it."""
    made = getattr(err, "made_stack", None)
    if made is None or made[1] != stack:
        return stack
    return header + stack[len(made[0]):]


def js_stack(tb: types.TracebackType | None, frame: types.FrameType | None, filename: str = "script.js") -> str:
    """The ``\\n    at ...`` lines of an Error's ``stack``."""
    lines = []
    for name, line, column in js_frames(tb, frame):
        where = f"{filename}:{line}:{column}"
        lines.append(f"\n    at {name} ({where})" if name else f"\n    at {where}")
    return "".join(lines)

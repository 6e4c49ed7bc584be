"""``console`` (WHATWG Console Standard), formatted as Node.js does; output is captured by the runtime.

Beside the logging methods: ``table`` (Node's box-drawn table), ``group`` /
``groupCollapsed`` / ``groupEnd`` (two spaces of indentation per level),
``count`` / ``countReset``, ``time`` / ``timeLog`` / ``timeEnd`` (read from the
logged clock, so a replay prints the same durations), ``assert``, ``dir`` and
``trace`` (the JS stack). The library itself never prints.
"""

from __future__ import annotations

import sys
import unicodedata
from typing import TYPE_CHECKING, Any

from seqflow_transpile.utf16 import from_js_string

from .. import ops
from ..errors_stack import js_stack
from ..inspect import MAX_DEPTH, format_log_args, inspect
from .deferred import later, method, pend
from ..values import HIDDEN, JSArray, JSObject, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

LEVELS = {"log": "log", "info": "info", "debug": "debug", "warn": "warn", "error": "error"}


def string_width(text: str) -> int:
    """Columns a string takes in a terminal (Node's getStringWidth): wide characters 2, combining 0."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
               for c in from_js_string(text))


def render_table(head: list[str], columns: list[list[str | None]]) -> str:
    """Node's ``cli_table``: a box-drawn table, cells left-aligned, missing cells empty."""
    rows = max((len(c) for c in columns), default=0)
    widths = [string_width(h) for h in head]
    cells = [[(column[j] if j < len(column) and column[j] is not None else "") for column in columns]
             for j in range(rows)]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], string_width(str(cell)))

    def line(row: list[str]) -> str:
        return "│ " + " │ ".join(c + " " * (widths[i] - string_width(c)) for i, c in enumerate(row)) + " │"

    divider = ["─" * (w + 2) for w in widths]
    out = ["┌" + "┬".join(divider) + "┐", line(head), "├" + "┼".join(divider) + "┤"]
    out.extend(line([str(c) for c in row]) for row in cells)
    out.append("└" + "┴".join(divider) + "┘")
    return "\n".join(out)


def install(rt: "Runtime") -> None:
    """``console.log`` and friends, each appending to ``rt.console_output``."""
    console = JSObject(rt.ObjectPrototype)
    pend(rt, console)  # its methods are made when a script first looks at console
    rt.console_output = []
    rt.console_bytes = 0

    def methods() -> None:
        """console's methods, made when a script first looks at console."""
        indent = [""]
        counts: dict[str, int] = {}
        timers: dict[str, float] = {}

        def emit(level: str, text: str) -> None:
            if indent[0]:
                text = "\n".join(indent[0] + line for line in text.split("\n"))
            rt.record_console(level, text)

        def make(level: str) -> Any:
            def log(this: Any, *args: Any) -> Any:
                emit(level, format_log_args(rt, args))
                return undefined

            return log

        for name, level in LEVELS.items():
            method(rt, console, name, make(level), 0)

        def label_of(label: Any) -> str:
            return "default" if label is undefined else ops.to_string(label)

        def group(this: Any, *args: Any) -> Any:
            if args:
                emit("log", format_log_args(rt, args))
            indent[0] += "  "
            return undefined

        def group_end(this: Any, *_: Any) -> Any:
            indent[0] = indent[0][:-2]
            return undefined

        def count(this: Any, label: Any = undefined, *_: Any) -> Any:
            key = label_of(label)
            counts[key] = counts.get(key, 0) + 1
            emit("info", f"{key}: {counts[key]}")
            return undefined

        def count_reset(this: Any, label: Any = undefined, *_: Any) -> Any:
            key = label_of(label)
            # Node reports an unknown label as a process warning, outside the console: nothing here.
            if key in counts:
                counts[key] = 0
            return undefined

        def elapsed(ms: float) -> str:
            """Node's formatTime: ms with 3 decimals, seconds, then m:ss.mmm and h:mm:ss.mmm."""
            if ms >= 3_600_000:
                h, rest = divmod(ms, 3_600_000)
                m, rest = divmod(rest, 60_000)
                return f"{int(h)}:{int(m):02d}:{rest / 1000:06.3f} (h:mm:ss.mmm)"
            if ms >= 60_000:
                m, rest = divmod(ms, 60_000)
                return f"{int(m)}:{rest / 1000:06.3f} (m:ss.mmm)"
            if ms >= 1000:
                return f"{ms / 1000:.3f}s"
            return f"{ms:.3f}ms"

        def time(this: Any, label: Any = undefined, *_: Any) -> Any:
            key = label_of(label)
            if key not in timers:  # a repeated label is a Node process warning, outside the console
                timers[key] = rt.now()
            return undefined

        def time_log(end: bool) -> Any:
            def log(this: Any, label: Any = undefined, *data: Any) -> Any:
                key = label_of(label)
                if key not in timers:  # a Node process warning, outside the console
                    return undefined
                text = f"{key}: {elapsed(rt.now() - timers[key])}"
                if end:
                    del timers[key]
                elif data:
                    text += " " + format_log_args(rt, data)
                emit("info", text)
                return undefined

            return log

        def assert_(this: Any, condition: Any = undefined, *data: Any) -> Any:
            if not ops.truthy(condition):
                # Node concatenates the first argument whatever it is (a template string).
                data = ("Assertion failed" + (": " + ops.to_string(data[0]) if data else ""), *data[1:])
                emit("warn", format_log_args(rt, data))
            return undefined

        def dir_(this: Any, value: Any = undefined, options: Any = undefined, *_: Any) -> Any:
            depth = rt.get(options, "depth") if isinstance(options, JSObject) else undefined
            start = MAX_DEPTH - int(ops.to_number(depth)) if ops.is_number(depth) and ops.to_number(depth) < 2 else 0
            emit("log", inspect(rt, value, max(start, 0), quote_strings=True))
            return undefined

        def trace(this: Any, *args: Any) -> Any:
            message = format_log_args(rt, args)
            emit("error", f"Trace{': ' + message if message else ''}{js_stack(None, sys._getframe(1), rt.filename)}")
            return undefined

        def table(this: Any, data: Any = undefined, properties: Any = undefined, *_: Any) -> Any:
            if not isinstance(data, JSObject):
                emit("log", format_log_args(rt, (data,)))
                return undefined
            if properties is not undefined and not isinstance(properties, JSArray):
                raise rt.error("TypeError", 'The "properties" argument must be an instance of Array')
            wanted = None if properties is undefined else [ops.to_property_key(p) for p in rt.iterate(properties)]
            emit("log", table_text(data, wanted))
            return undefined

        def cell(value: Any) -> str:
            """Node's table cells: util.inspect at depth 0 (-1 for an object of more than two keys)."""
            many = isinstance(value, JSObject) and not isinstance(value, JSArray) and \
                len(list(value.enumerable_own_keys())) > 2
            return inspect(rt, value, MAX_DEPTH + (1 if many else 0), quote_strings=True)

        def table_text(data: JSObject, wanted: list[Any] | None) -> str:
            index = [str(k) for k in data.enumerable_own_keys()]
            columns: dict[Any, list[str | None]] = {}
            values: list[str | None] = []
            has_primitives = False
            for i, key in enumerate(index):
                item = rt.get(data, key)
                primitive = not isinstance(item, JSObject)
                if wanted is None and primitive:
                    has_primitives = True
                    values.extend([None] * (i - len(values)))
                    values.append(cell(item))
                    continue
                keys = wanted if wanted is not None else list(item.enumerable_own_keys())
                for k in keys:
                    column = columns.setdefault(k, [])
                    column.extend([None] * (i - len(column)))
                    column.append("" if primitive or not item.has_own(k) else cell(rt.get(item, k)))
            head = ["(index)", *(str(k) for k in columns)]
            body: list[list[str | None]] = [list(index), *columns.values()]
            if has_primitives:
                head.append("Values")
                body.append(values)
            return render_table(head, body)

        for name, fn, n in (("group", group, 0), ("groupCollapsed", group, 0), ("groupEnd", group_end, 0),
                            ("count", count, 0), ("countReset", count_reset, 0), ("time", time, 0),
                            ("timeLog", time_log(False), 0), ("timeEnd", time_log(True), 0), ("assert", assert_, 0),
                            ("dir", dir_, 0), ("trace", trace, 0), ("table", table, 1)):
            method(rt, console, name, fn, n)

    later(console, methods)
    rt.global_object.put("console", console, HIDDEN)

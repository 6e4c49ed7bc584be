"""``console``: output is captured by the runtime (never printed by the library itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import HIDDEN, JSObject, undefined

if TYPE_CHECKING:
    from ..runtime import Runtime

LEVELS = {"log": "log", "info": "info", "debug": "debug", "warn": "warn", "error": "error", "trace": "debug"}


def install(rt: "Runtime") -> None:
    """``console.log`` and friends, each appending to ``rt.console_output``."""
    from ..inspect import format_log_args

    console = JSObject(rt.ObjectPrototype)
    rt.console_output = []
    rt.console_bytes = 0

    def make(level: str) -> Any:
        def log(this: Any, *args: Any) -> Any:
            text = format_log_args(rt, args)
            rt.record_console(level, text)
            return undefined

        return log

    for name, level in LEVELS.items():
        rt.define(console, name, make(level), 0)
    rt.global_object.put("console", console, HIDDEN)

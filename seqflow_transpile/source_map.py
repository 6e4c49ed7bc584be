"""The source map of a transpiled program: generated Python lines back to JS positions."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class SourceMap:
    """Python line → JS (line, column) of the statement that produced it."""

    py_lines: list[int] = field(default_factory=list)
    js_positions: list[tuple[int, int]] = field(default_factory=list)
    #: Python ``def`` line → the JS name of the function it implements.
    function_names: dict[int, str] = field(default_factory=dict)

    def lookup(self, py_line: int) -> tuple[int, int] | None:
        """The JS position of the statement covering ``py_line``."""
        i = bisect_right(self.py_lines, py_line) - 1
        return self.js_positions[i] if i >= 0 else None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"py_lines": self.py_lines, "js_positions": self.js_positions}

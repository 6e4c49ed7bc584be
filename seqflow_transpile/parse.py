"""Parse a script with esprima, so that top-level ``await`` and ``return`` work.

esprima 4 parses ES2017 and accepts neither at the top level, so the script is
wrapped in an async function whose header shares line 1 with the script's
first line: every line number stays the script's own, and only columns on
line 1 shift (by :data:`PREFIX`'s length, which :func:`parse_script` undoes in
error positions and the code generator undoes in its source map).

Syntax esprima cannot parse (newer than ES2017) is reported by name.
"""

from __future__ import annotations

import re
from typing import Any

import esprima
from esprima.parser import Parser
from esprima.scanner import Scanner

from .errors import JSSyntaxError, UnsupportedSyntaxError

PREFIX = "(async function(){"
#: The wrapper for a sloppy script that uses ``await`` as an identifier (no
#: top-level await then); as long as :data:`PREFIX`, so positions stay the same.
PLAIN_PREFIX = "(      function(){"
SUFFIX = "\n})"

# Newer-than-ES2017 syntax, recognised by the text at the parser's error position.
_UNSUPPORTED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\?\.(?!\d)"), "optional chaining (?.)"),
    (re.compile(r"\?\?="), "logical assignment (??=)"),
    (re.compile(r"\?\?"), "nullish coalescing (??)"),
    (re.compile(r"(\|\||&&)="), "logical assignment (||=, &&=)"),
    (re.compile(r"\d[\d_]*n\b"), "BigInt literals"),
    (re.compile(r"\d_\d"), "numeric separators"),
    (re.compile(r"#[A-Za-z_$]"), "private class members (#name)"),
    (re.compile(r"catch\s*\{"), "optional catch binding (catch without a parameter)"),
    (re.compile(r"for\s+await\b"), "for await...of"),
    (re.compile(r"async\s+(function\s*)?\*"), "async generators"),
    (re.compile(r"\bimport\s*[.(]|\bimport\b|\bexport\b"), "ES modules (import/export)"),
]


class _JSRegExpScanner(Scanner):  # type: ignore[misc]
    """esprima's scanner, minus its check of regex literals against *Python's* ``re``.

    That check rejects valid JavaScript (named groups, ``\\p{...}``); the
    runtime compiles each literal with its JS-to-Python translator instead,
    and an invalid one throws a JS SyntaxError where it is evaluated.
    """

    def testRegExp(self, pattern: str, flags: str) -> None:  # noqa: N802 - esprima's name
        return None


class _Parser(Parser):  # type: ignore[misc]
    """esprima's parser with :class:`_JSRegExpScanner` (this parser only, no global patching)."""

    def __init__(self, code: str, options: dict[str, Any]) -> None:
        super().__init__(code, options=options)
        self.scanner.__class__ = _JSRegExpScanner


def _construct_at(source: str, index: int) -> str | None:
    """Name the unsupported construct that starts near ``index``, if any."""
    window = source[max(0, index - 16) : index + 8]
    for pattern, name in _UNSUPPORTED:
        if pattern.search(window):
            return name
    before = source[max(0, index - 200) : index]
    if re.search(r"\bclass\b[^{}]*\{[^}]*$", before) and re.match(r"\s*=", source[index:]):
        return "class fields"
    return None


def parse_script(source: str) -> Any:
    """Parse ``source`` and return the list of its top-level statements (ESTree nodes).

    Raises :class:`JSSyntaxError` (or :class:`UnsupportedSyntaxError` for
    syntax newer than ES2017) with the script's own line and column.
    """
    try:
        return _parse_wrapped(PREFIX, source)
    except esprima.Error as exc:
        if re.search(r"\bawait\b", source):
            try:
                return _parse_wrapped(PLAIN_PREFIX, source)
            except esprima.Error:
                pass  # report the error of the usual (async) reading
        line = int(getattr(exc, "lineNumber", 1) or 1)
        column = int(getattr(exc, "column", 1) or 1)
        index = int(getattr(exc, "index", 0) or 0) - len(PREFIX)
        if line == 1:
            column -= len(PREFIX)
        if index >= len(source):
            line, column = source.count("\n") + 1, len(source) - source.rfind("\n")
        description = str(getattr(exc, "description", None) or exc)
        construct = _construct_at(source, max(index, 0))
        if construct is not None:
            raise UnsupportedSyntaxError(
                f"{construct} is not supported yet", line, max(column, 1)
            ) from None
        raise JSSyntaxError(description, line, max(column, 1)) from None


def _parse_wrapped(prefix: str, source: str) -> Any:
    """The statements of ``source`` parsed as the body of the function ``prefix`` opens."""
    tree = _Parser(prefix + source + SUFFIX, {"loc": True, "range": True}).parseScript()
    return tree.body[0].expression.body.body


def js_position(node: Any) -> tuple[int, int]:
    """The script's own 1-based line and column of ``node``."""
    start = node.loc.start
    column = start.column + 1
    if start.line == 1:
        column -= len(PREFIX)
    return start.line, column

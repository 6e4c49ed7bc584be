"""The error base shared by every seqflow layer.

It lives in the lowest package so that the transpiler and the runtime raise the
same family: callers catch :class:`SeqflowError` and branch on its ``code``.
"""

from __future__ import annotations


class SeqflowError(Exception):
    """Base of every error seqflow raises to its caller; ``code`` is stable."""

    code = "seqflow_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, object]:
        """The error as JSON-ready data: ``{"code", "message", **details}``."""
        return {"code": self.code, "message": self.message, **self.details}


class JSSyntaxError(SeqflowError):
    """The JavaScript source does not parse; ``line``/``column`` point at it."""

    code = "syntax_error"

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})", line=line, column=column)
        self.description = message
        self.line = line
        self.column = column


class UnsupportedSyntaxError(JSSyntaxError):
    """Syntax seqflow does not run (module syntax: ``import``/``export``, ``import.meta``, ``import()``)."""

    code = "unsupported_syntax"


class TooComplexError(JSSyntaxError):
    """Valid JavaScript nested deeper than the transpiler or CPython's compiler can take.

    The message names the limit (nesting depth, statically nested blocks,
    parentheses); the script is reported like a syntax error, never as a
    Python exception.
    """

    code = "too_complex"

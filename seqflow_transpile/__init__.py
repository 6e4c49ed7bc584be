"""JavaScript → readable Python generator functions.

>>> program = transpile("const x = 5; x * 2")
>>> print(program.python_source)   # def main(rt): ...

The result runs on :mod:`seqflow_runtime`; it depends on nothing of the
runtime but the helper names it calls on ``rt``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import JSSyntaxError, SeqflowError, TooComplexError, UnsupportedSyntaxError

if TYPE_CHECKING:
    from .parse import contains_arguments
    from .program import DIALECTS, Program, transpile, transpile_eval

#: Names imported from :mod:`.program` on first use: the parser and code generator load only when a
#: process first transpiles (a process that finds its programs in the disk cache never does).
_FROM_PROGRAM = ("DIALECTS", "Program", "transpile", "transpile_eval")


def __getattr__(name: str) -> Any:
    if name in _FROM_PROGRAM:
        from . import program

        value = getattr(program, name)
        globals()[name] = value
        return value
    if name == "contains_arguments":
        from .parse import contains_arguments

        globals()[name] = contains_arguments
        return contains_arguments
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "transpile",
    "transpile_eval",
    "contains_arguments",
    "Program",
    "DIALECTS",
    "SeqflowError",
    "JSSyntaxError",
    "UnsupportedSyntaxError",
    "TooComplexError",
]
__version__ = "0.1.0"

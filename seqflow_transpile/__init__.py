"""JavaScript → readable Python generator functions.

>>> program = transpile("const x = 5; x * 2")
>>> print(program.python_source)   # def main(rt): ...

The result runs on :mod:`seqflow_runtime`; it depends on nothing of the
runtime but the helper names it calls on ``rt``.
"""

from __future__ import annotations

from .errors import JSSyntaxError, SeqflowError, TooComplexError, UnsupportedSyntaxError
from .parse import contains_arguments
from .program import DIALECTS, Program, transpile, transpile_eval

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

"""Turn JavaScript identifiers into Python identifiers that cannot collide.

A JS name is kept when it is a legal Python name that the generated code does
not reserve; otherwise it is changed as little as possible (``$`` becomes
``S_``, a keyword gets a trailing ``_``), and a numeric suffix resolves clashes.
"""

from __future__ import annotations

import keyword
import unicodedata

#: Names the generated code uses for itself; a JS binding never gets one of these.
RESERVED = frozenset(
    {
        "rt", "undefined", "NaN", "Infinity", "this", "main", "args", "arguments",
        "new_target", "self", "__builtins__", "__name__",
    }
    | set(keyword.kwlist)
    | set(keyword.softkwlist)
)


def python_base_name(name: str) -> str:
    """The Python spelling of a JS identifier, before clash resolution."""
    out = name.replace("$", "S_")
    if not out.isidentifier() or unicodedata.normalize("NFKC", out) != out:
        # Python folds some Unicode identifiers (NFKC); spell those out so two
        # distinct JS names can never meet as one Python name.
        out = "".join(
            ch if (ch.isascii() and (ch.isalnum() or ch == "_")) else f"u{ord(ch):04x}"
            for ch in out
        )
        if not out or out[0].isdigit():
            out = "_" + out
    if out.startswith("__"):
        # Dunder names have meaning to Python; keep JS's spelling out of them.
        out = "u" + out
    if out in RESERVED or keyword.iskeyword(out):
        out += "_"
    return out


def unique_name(base: str, taken: set[str]) -> str:
    """``base`` or ``base_2``, ``base_3``... whichever is not in ``taken``; records it."""
    name = base
    n = 2
    while name in taken or name in RESERVED:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name

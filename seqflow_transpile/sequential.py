"""Source preparation for the ``sequential`` dialect (the seed libraries' code).

The seeds end scripts with a bare object literal meant as the result::

    const user = fetch('api/user/1');
    { user: user.name, postCount: posts.length }

In JavaScript a statement starting with ``{`` is a block, so that line does
not parse. When the final statement is a brace group that fails to parse as a
block but parses as an object literal, it is wrapped in parentheses (same
line, same columns but one).
"""

from __future__ import annotations

import esprima

from .parse import OPTIONS, PREFIX, SUFFIX, strip_hashbang


def _final_brace_group(source: str) -> int | None:
    """Index of the ``{`` that opens a trailing top-level brace group, if the script ends with one."""
    try:
        tokens = esprima.tokenize(strip_hashbang(source), OPTIONS)
    except esprima.Error:
        return None
    if not tokens or tokens[-1].value not in ("}", ";"):
        return None
    end = len(tokens) - 1
    if tokens[end].value == ";":
        end -= 1
    if end < 0 or tokens[end].value != "}":
        return None
    depth = 0
    for i in range(end, -1, -1):
        value = tokens[i].value
        if value == "}":
            depth += 1
        elif value == "{":
            depth -= 1
            if depth == 0:
                prev = tokens[i - 1].value if i > 0 else ";"
                if prev in (";", "}") or i == 0:
                    return int(tokens[i].range[0])
                return None
    return None


def prepare_sequential(source: str) -> str:
    """``source`` with a trailing object-literal statement parenthesised (see module docs)."""
    start = _final_brace_group(source)
    if start is None:
        return source
    try:
        esprima.parseScript(PREFIX + strip_hashbang(source) + SUFFIX)
        return source  # it is a valid block: leave JavaScript's meaning alone
    except esprima.Error:
        pass
    candidate = source[:start] + "(" + source[start:].rstrip().rstrip(";") + ")"
    try:
        esprima.parseScript(PREFIX + strip_hashbang(candidate) + SUFFIX)
    except esprima.Error:
        return source
    return candidate

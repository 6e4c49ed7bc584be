"""What the string built-ins need of regular expressions without compiling one.

``String.prototype.replace`` with a string pattern expands a ``$`` template
(``GetSubstitution``), and the RegExp built-ins cache what they derive from
guest strings; neither needs the pattern translator of :mod:`.regexp_syntax`
or the ``regex`` engine, which a realm imports only when it first compiles a
RegExp.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final, ParamSpec, TypeVar

_DIGITS = "0123456789"

#: The largest array length / ``limit`` of split (2**32 - 1).
MAX_UINT32: Final = 4294967295

def lazy_pattern(text: str) -> Callable[[], re.Pattern[str]]:
    """A function that returns ``re.compile(text)``, compiling it on the first call.

    A realm's first built-ins import many modules: a pattern only some method
    uses is compiled by the first script that calls it, not by every process.
    """

    @functools.cache
    def compiled() -> re.Pattern[str]:
        return re.compile(text)

    return compiled


#: Calls whose string arguments are longer than this (in all) are not kept by :func:`small_lru_cache`.
CACHE_MAX_CHARS = 4096

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _text_size(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, tuple):
        return sum(_text_size(v) for v in value)
    return 0


def small_lru_cache(maxsize: int) -> Callable[[Callable[_P, _T]], Callable[_P, _T]]:
    """``functools.lru_cache`` for functions of guest strings, bounded in bytes as well as entries.

    The cache is process-wide, so a call with long text (a huge pattern or
    template from a script) is computed every time and never kept.
    """

    def decorate(fn: Callable[_P, _T]) -> Callable[_P, _T]:
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        @functools.wraps(fn)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
            if kwargs or _text_size(args) > CACHE_MAX_CHARS:
                return fn(*args, **kwargs)
            return cached(*args)

        return wrapper

    return decorate



def expand_replacement(
    template: str,
    matched: str,
    position: int,
    subject: str,
    groups: Sequence[str | None],
    named: Mapping[str, str | None] | None,
) -> str:
    """Expand a JS replacement template (``GetSubstitution``, ES2018+ rules).

    ``groups`` holds captures 1..m (``None`` = did not participate);
    ``named`` is the ``groups`` object of the match, or ``None`` when the
    regexp has no named groups (then ``$<`` is literal).

    * ``$$`` -> ``$``; ``$&`` -> the match; `` $` `` / ``$'`` -> text before /
      after it.
    * ``$n``/``$nn``: a two-digit index greater than m is read as ``$n``
      followed by a digit; indexes outside 1..m (``$0``, ``$00``) stay literal;
      an unmatched group gives ``""``.
    * ``$<name>`` -> that named capture, ``""`` if unknown or unmatched; with
      no closing ``>`` the ``$<`` is literal.
    * Any other ``$`` is literal.
    """
    if "$" not in template:
        return template
    out: list[str] = []
    count = len(groups)
    index = 0
    length = len(template)
    while index < length:
        ch = template[index]
        if ch != "$" or index + 1 >= length:
            out.append(ch)
            index += 1
            continue
        nxt = template[index + 1]
        if nxt == "$":
            out.append("$")
            index += 2
        elif nxt == "&":
            out.append(matched)
            index += 2
        elif nxt == "`":
            out.append(subject[:position])
            index += 2
        elif nxt == "'":
            out.append(subject[min(position + len(matched), len(subject)) :])
            index += 2
        elif nxt in _DIGITS:
            digit_count = 2 if index + 2 < length and template[index + 2] in _DIGITS else 1
            number = int(template[index + 1 : index + 1 + digit_count])
            if number > count and digit_count == 2:
                digit_count = 1
                number = int(nxt)
            if 1 <= number <= count:
                out.append(groups[number - 1] or "")
            else:
                out.append(template[index : index + 1 + digit_count])
            index += 1 + digit_count
        elif nxt == "<" and named is not None:
            close = template.find(">", index + 2)
            if close < 0:
                out.append("$<")
                index += 2
            else:
                out.append(named.get(template[index + 2 : close]) or "")
                index = close + 1
        else:
            out.append("$")
            index += 1
    return "".join(out)

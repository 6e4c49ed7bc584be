"""JS strings as Python strings of UTF-16 code units.

The runtime stores an astral character as its surrogate pair, so ``len`` and
indexing behave as in JavaScript. These two functions cross that boundary;
both return their argument untouched in the all-BMP case.
"""

from __future__ import annotations

import re

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _split(match: re.Match[str]) -> str:
    cp = ord(match.group()) - 0x10000
    return chr(0xD800 + (cp >> 10)) + chr(0xDC00 + (cp & 0x3FF))


def _join(match: re.Match[str]) -> str:
    pair = match.group()
    return chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + (ord(pair[1]) - 0xDC00))


def to_js_string(text: str) -> str:
    """A Python string in the runtime's UTF-16 form (astral characters as surrogate pairs)."""
    if text.isascii():
        return text
    return _ASTRAL.sub(_split, text)


def from_js_string(text: str) -> str:
    """A runtime string as a normal Python string (surrogate pairs joined; lone ones kept)."""
    if text.isascii():
        return text
    return _PAIR.sub(_join, text)

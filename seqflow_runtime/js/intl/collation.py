"""String comparison: ECMA-402 §10 (Intl.Collator), an approximation of the Unicode default collation.

``babel`` carries no collation data, so every locale compares by the root
order approximated here, not ICU's tailored tables: base letters first (case-
and accent-insensitive, with whitespace and punctuation before digits before
letters), then accents, then case; no contractions or locale tailoring (Swedish
``ä`` sorts with ``a``, not after ``z``). ``sensitivity``, ``numeric``,
``caseFirst`` and ``ignorePunctuation`` are honoured.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from seqflow_transpile.utf16 import from_js_string

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class CollatorOptions:
    """A Collator's resolved slots (§10.1.1) that change comparison."""

    sensitivity: str = "variant"
    numeric: bool = False
    case_first: str = "false"
    ignore_punctuation: bool = False


DEFAULT = CollatorOptions()


def _visible(text: str, o: CollatorOptions) -> str:
    """``text`` without what ``ignorePunctuation`` ignores (punctuation, spaces)."""
    if not o.ignore_punctuation:
        return text
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZ" and not ch.isspace())


def _key(s: str, o: CollatorOptions) -> tuple[list[tuple[int, int, int]], list[int], list[int]]:
    """Primary (base characters; a digit run as one number when numeric), secondary (accents), tertiary (case)."""
    text = unicodedata.normalize("NFD", _visible(from_js_string(s), o))
    primary: list[tuple[int, int, int]] = []
    tertiary: list[int] = []
    upper_first = o.case_first == "upper"
    i = 0
    while i < len(text):
        ch = text[i]
        if o.numeric and ch.isdigit():
            run = _DIGITS.match(text, i)
            if run is not None and run.group().isascii():
                primary.append((1, int(run.group()), 0))
                i = run.end()
                continue
        i += 1
        if unicodedata.combining(ch):
            continue
        category = unicodedata.category(ch)[0]
        group = 2 if category == "L" else 1 if category == "N" else 0
        for folded in ch.casefold():
            primary.append((group, ord(folded), 0))
        tertiary.append((0 if ch.isupper() else 1) if upper_first else (1 if ch.isupper() else 0))
    secondary = [ord(ch) for ch in text.casefold()]
    return primary, secondary, tertiary


def compare(a: str, b: str, o: CollatorOptions = DEFAULT) -> int:
    """CompareStrings (§10.3.3.1) as -1/0/1 at the collator's sensitivity.

    At ``variant`` sensitivity canonically equivalent strings compare equal and
    other distinct strings never do.
    """
    if a == b:
        return 0
    ka, kb = _key(a, o), _key(b, o)
    levels: tuple[int, ...] = {"base": (0,), "accent": (0, 1), "case": (0, 2)}.get(o.sensitivity, (0, 1, 2))
    for level in levels:
        if ka[level] != kb[level]:
            return -1 if ka[level] < kb[level] else 1  # type: ignore[operator]
    if o.sensitivity != "variant":
        return 0
    na = unicodedata.normalize("NFC", _visible(from_js_string(a), o))
    nb = unicodedata.normalize("NFC", _visible(from_js_string(b), o))
    if na == nb:
        return 0
    return -1 if na < nb else 1

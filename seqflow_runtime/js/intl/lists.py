"""List formatting: ECMA-402 §13 (Intl.ListFormat) over CLDR list patterns (``babel``)."""

from __future__ import annotations

from .locales import locale_data

Parts = list[tuple[str, str]]

_TABLE = {"conjunction": "standard", "disjunction": "or", "unit": "unit"}


def _patterns(locale: str, kind: str, style: str) -> dict[str, str]:
    """The four patterns, each from the style, else its type's long style, else "standard" (CLDR's
    inheritance, which babel's tables leave to the reader), else root's ``"{0}, {1}"``."""
    name = _TABLE[kind] + ("" if style == "long" else "-" + style)
    table = locale_data(locale, "list_patterns")
    chain = [table.get(key) or {} for key in (name, _TABLE[kind], "standard")]
    return {key: str(next((p[key] for p in chain if key in p), "{0}, {1}")) for key in ("start", "middle", "end", "2")}


def _fill(pattern: str, first: Parts, second: Parts) -> Parts:
    """A ``{0} … {1}`` pattern around two already formatted part lists."""
    out: Parts = []
    rest = pattern
    while rest:
        i0, i1 = rest.find("{0}"), rest.find("{1}")
        nxt = min(i for i in (i0, i1, len(rest)) if i >= 0)
        if nxt:
            out.append(("literal", rest[:nxt]))
        if nxt == len(rest):
            break
        out.extend(first if nxt == i0 else second)
        rest = rest[nxt + 3:]
    return out


def format_to_parts(locale: str, kind: str, style: str, items: list[str]) -> Parts:
    """CreatePartsFromList (§13.5.2): the elements joined by the locale's start/middle/end/pair patterns."""
    if not items:
        return []
    if len(items) == 1:
        return [("element", items[0])]
    p = _patterns(locale, kind, style)
    if len(items) == 2:
        return _fill(p["2"], [("element", items[0])], [("element", items[1])])
    parts = _fill(p["end"], [("element", items[-2])], [("element", items[-1])])
    for item in reversed(items[1:-2]):
        parts = _fill(p["middle"], [("element", item)], parts)
    return _fill(p["start"], [("element", items[0])], parts)

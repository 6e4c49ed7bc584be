"""Relative times: ECMA-402 §17 (Intl.RelativeTimeFormat) over CLDR date fields (``babel``)."""

from __future__ import annotations

import math
import re

from .locales import locale_data
from .numbers import NumberOptions, format_digits_for_plural, format_to_parts as number_parts
from .plurals import select

Parts = list[tuple[str, str]]
UNITS = ("second", "minute", "hour", "day", "week", "month", "quarter", "year")


def format_to_parts(locale: str, numbering: str, style: str, numeric: str, value: float, unit: str) -> Parts:
    """PartitionRelativeTimePattern (§17.5.2): ``value`` (finite) ``unit``s from now, as parts.

    The number's own parts carry the unit (``{type: "integer", value: "3", unit: "day"}`` in JS).
    """
    fields = locale_data(locale, "date_fields")
    entry = fields.get(unit if style == "long" else f"{unit}-{style}") or fields[unit]
    if numeric == "auto" and value == int(value):
        relative = entry.get("relative") or {}
        if int(value) in relative:
            return [("literal", str(relative[int(value)]))]
    past = value < 0 or (value == 0 and math.copysign(1.0, value) < 0)
    options = NumberOptions(locale=locale, numbering=numbering)
    number = number_parts(options, abs(value))
    category = select(locale, False, format_digits_for_plural(options, abs(value)))
    forms = entry["past" if past else "future"]
    pattern = str(forms.get(category) or forms["other"])
    out: Parts = []
    for piece in re.split(r"(\{0\})", pattern):
        if piece == "{0}":
            out.extend(number)
        elif piece:
            out.append(("literal", piece))
    return out

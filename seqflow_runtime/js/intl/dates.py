"""Date and time formatting: ECMA-402 §11 (Intl.DateTimeFormat) over CLDR date patterns.

Options become a CLDR pattern once, at construction: ``dateStyle``/
``timeStyle`` pick the locale's date, time and date-time patterns; component
options become a skeleton (``"yMMMd"``, ``"jms"``) matched against the
locale's available formats (``babel``'s skeleton matcher), with field widths
then widened to what was asked, as ICU's pattern generator does. Formatting
walks the pattern's fields and lets ``babel`` render each one.

Differences from Node 20's ICU, asserted in the tests: U+202F (narrow no-break
space, CLDR 42+) becomes a plain space everywhere, as V8 does; a date style
joined with a time style uses CLDR's plain ``"{1}, {0}"`` form where ICU uses
the ``atTime`` one ("Tuesday, March 5, 2024, 2:04 PM" rather than "... at
2:04 PM"), which ``babel`` does not carry; only the Gregorian calendar;
years 1 to 9999 (a date outside them is a RangeError).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any, Callable

from ..values import range_error
from .locales import babel_locale, locale_data
from .numbers import NUMBERING_ZERO

Parts = list[tuple[str, str]]

#: ECMA-402 Table 16 order, each with its skeleton letters per option value.
COMPONENTS: dict[str, dict[str, str]] = {
    "weekday": {"narrow": "EEEEE", "short": "EEE", "long": "EEEE"},
    "era": {"narrow": "GGGGG", "short": "G", "long": "GGGG"},
    "year": {"2-digit": "yy", "numeric": "y"},
    "month": {"2-digit": "MM", "numeric": "M", "narrow": "MMMMM", "short": "MMM", "long": "MMMM"},
    "day": {"2-digit": "dd", "numeric": "d"},
    "dayPeriod": {"narrow": "BBBBB", "short": "B", "long": "BBBB"},
    "hour": {"2-digit": "jj", "numeric": "j"},
    "minute": {"2-digit": "mm", "numeric": "m"},
    "second": {"2-digit": "ss", "numeric": "s"},
    "fractionalSecondDigits": {"1": "S", "2": "SS", "3": "SSS"},
    "timeZoneName": {"short": "z", "long": "zzzz", "shortOffset": "O", "longOffset": "OOOO",
                     "shortGeneric": "v", "longGeneric": "vvvv"},
}
_HOUR_LETTER = {"h11": "K", "h12": "h", "h23": "H", "h24": "k"}
_PART_TYPE = {
    "G": "era", "y": "year", "Y": "year", "u": "year", "M": "month", "L": "month", "d": "day",
    "E": "weekday", "c": "weekday", "e": "weekday", "a": "dayPeriod", "b": "dayPeriod", "B": "dayPeriod",
    "h": "hour", "H": "hour", "K": "hour", "k": "hour", "m": "minute", "s": "second",
    "S": "fractionalSecond", "z": "timeZoneName", "Z": "timeZoneName", "O": "timeZoneName",
    "v": "timeZoneName", "V": "timeZoneName", "x": "timeZoneName", "X": "timeZoneName",
}
#: An hour (0-23) in each hour cycle's field: h12 1-12, h23 0-23, h11 0-11, h24 1-24.
_HOUR_OF: dict[str, Callable[[int], int]] = {
    "h": lambda h: h % 12 or 12, "H": lambda h: h, "K": lambda h: h % 12, "k": lambda h: h or 24}
_TEXT_MIN = 3  # a field this long or longer is a name ("MMM"), shorter ones are digits


@dataclass(frozen=True)
class DateOptions:
    """A DateTimeFormat's resolved slots (§11.1.2): the locale, zone, and the pattern they give."""

    locale: str
    numbering: str
    time_zone: str
    hour_cycle: str | None
    pattern: str
    #: The component options as resolved (``{"year": "numeric", ...}``), in Table 16 order.
    components: dict[str, str] = field(default_factory=dict)
    date_style: str | None = None
    time_style: str | None = None


def locale_hour_cycle(locale: str) -> str:
    """The locale's preferred hour cycle, read from its short time pattern."""
    pattern = str(babel_locale(locale).time_formats["short"].pattern)
    letters = [c for c in _unquoted(pattern) if c in "hHKk"]
    return {"h": "h12", "H": "h23", "K": "h11", "k": "h24"}[letters[0] if letters else "H"]


def _unquoted(pattern: str) -> str:
    return re.sub(r"'[^']*'", "", pattern)


def style_pattern(locale: str, date_style: str | None, time_style: str | None, hour_cycle: str | None) -> str:
    """The pattern for ``dateStyle``/``timeStyle`` (§11.1.2 with the locale's DateTimeFormat styles)."""
    loc = babel_locale(locale)
    date = str(loc.date_formats[date_style].pattern) if date_style else None
    time = str(loc.time_formats[time_style].pattern) if time_style else None
    if time is not None and hour_cycle is not None:
        time = _with_hour_cycle(time, hour_cycle)
    if date is not None and time is not None:
        glue = str(locale_data(locale, "datetime_formats")[date_style])
        return glue.replace("{1}", date).replace("{0}", time)
    return date or time or ""


def _with_hour_cycle(pattern: str, hour_cycle: str) -> str:
    """A time pattern switched to ``hour_cycle``; a 24-hour one loses its AM/PM field."""
    letter = _HOUR_LETTER[hour_cycle]
    out = re.sub(r"[hHKk]+", lambda m: letter * len(m.group()), pattern)
    if letter in "Hk":
        out = re.sub(r"\s*\ba+\b\s*|\s*[\u202f ]?a+", "", out).strip()
    elif "a" not in _unquoted(out):
        out += " a"  # a 24-hour locale's time made 12-hour gets the day period after it, as ICU does
    return out


def skeleton_pattern(locale: str, components: dict[str, str], hour_cycle: str | None) -> str:
    """The locale's best pattern for the requested components (ICU DateTimePatternGenerator in spirit)."""
    hour = _HOUR_LETTER[hour_cycle or locale_hour_cycle(locale)]
    skeleton = "".join(COMPONENTS[name][value].replace("j", hour) for name, value in components.items())
    date_part = "".join(c for c in skeleton if c in "GyMdE")
    time_part = "".join(c for c in skeleton if c not in "GyMdE")
    whole = _match(locale, skeleton)
    if whole is not None or not date_part or not time_part:
        pattern = whole or _match(locale, date_part or time_part) or _fallback(skeleton)
    else:
        date = _match(locale, date_part) or _fallback(date_part)
        time = _match(locale, time_part) or _fallback(time_part)
        length = "full" if "EEEE" in date_part and "MMMM" in date_part else \
            "long" if "MMMM" in date_part else "medium" if "MMM" in date_part else "short"
        glue = str(locale_data(locale, "datetime_formats")[length])
        pattern = glue.replace("{1}", date).replace("{0}", time)
    # The available formats are h12 or h23 ones: the asked cycle (h11, h24) takes over the hour field.
    return re.sub(r"'[^']*'|[hHKk]+", lambda m: m.group() if m.group()[0] == "'" else hour * len(m.group()),
                  pattern)


@lru_cache(maxsize=512)
def _match(locale: str, skeleton: str) -> str | None:
    """The available format for ``skeleton`` with every requested field, adjusted to the requested widths.

    Fractional seconds join the seconds field after the locale's decimal sign,
    and a zone name the locale has no format with goes after the rest (CLDR's
    ``appendItems``), as ICU's pattern generator does.
    """
    from babel.dates import match_skeleton

    fraction = len(re.sub(r"[^S]", "", skeleton))
    zone = re.search(r"([zOv])\1*", skeleton)
    core = re.sub(r"S+", "", skeleton)
    formats = babel_locale(locale).datetime_skeletons
    pattern = None
    bare = re.sub(r"[zOv]+", "", core)
    # A zone appended to a time (not to a date alone: a zone is a time field, glued like one).
    for attempt in (core, bare if zone and re.search(r"[hHkKjms]", bare) else None):
        if not attempt:
            continue
        key = match_skeleton(attempt, formats, allow_different_fields=True)
        if key is not None:
            candidate = str(formats[key].pattern)
            if set(_fields(attempt)) - {"a"} == set(_fields(_unquoted(candidate))) - {"a"}:
                pattern = _adjust_widths(candidate, _fields(attempt))
                if attempt is not core and zone is not None:
                    pattern = f"{pattern} {zone.group()}"
                break
    if pattern is None:
        return None
    if fraction:
        decimal = str(locale_data(locale, "number_symbols")["latn"]["decimal"])
        pattern = re.sub(r"s+", lambda m: f"{m.group()}'{decimal}'{'S' * fraction}", pattern, count=1)
    return pattern


def _canonical(letter: str) -> str:
    return {"L": "M", "c": "E", "h": "H", "K": "H", "k": "H", "b": "a", "B": "a", "O": "z", "v": "z"}.get(
        letter, letter)


def _fields(pattern: str) -> dict[str, str]:
    """A skeleton's or pattern's fields by canonical letter (``{"M": "MMMM", "z": "v"}``)."""
    return {_canonical(m.group()[0]): m.group() for m in re.finditer(r"([A-Za-z])\1*", pattern)}


def _is_text(field: str) -> bool:
    return field[0] in "EcGabBzOv" or (field[0] in "ML" and len(field) >= _TEXT_MIN)


def _adjust_widths(pattern: str, wanted: dict[str, str]) -> str:
    """The pattern's fields at the skeleton's widths: names as asked, digits at least as wide; the zone as asked."""
    def adjust(m: re.Match[str]) -> str:
        text = m.group()
        if text.startswith("'"):
            return text
        want = wanted.get(_canonical(text[0]))
        if want is None or text[0] in "abB":
            return text
        if text[0] in "zOv":
            return want
        if _is_text(text) and _is_text(want):
            return text[0] * len(want)
        if not _is_text(text) and not _is_text(want):
            return text[0] * max(len(want), len(text))
        return text
    return re.sub(r"'[^']*'|([A-Za-z])\1*", adjust, pattern)


def _fallback(skeleton: str) -> str:
    """Without an available format (a rare combination), the fields joined plainly."""
    return " ".join(m.group() for m in re.finditer(r"([A-Za-z])\1*", skeleton))


# -- formatting --------------------------------------------------------------------------------------


def to_datetime(t: float, zone: tzinfo | None) -> datetime:
    """A time value (ms) in ``zone``; a RangeError for NaN and for years outside 1-9999."""
    if not math.isfinite(t):
        raise range_error("Invalid time value")
    try:
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=t) if zone is None else \
            (datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=t)).astimezone(zone)
    except OverflowError:
        raise range_error("Intl.DateTimeFormat formats dates of years 1 to 9999 only") from None


def _gmt(dt: datetime, locale: str, long: bool) -> str:
    """The localized GMT format ("GMT+1", "GMT+05:30"; "GMT+0"/"GMT+00:00"... as ICU: zero is "GMT")."""
    offset = dt.utcoffset() or timedelta(0)
    gmt = str(locale_data(locale, "zone_formats")["gmt"])
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    if long:
        text = f"{sign}{hours:02d}:{minutes:02d}"
    else:
        text = f"{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
    return gmt.replace("%s", text)


def _zone_name(dt: datetime, letters: str, locale: str, zone_name: str) -> str:
    from babel.dates import get_timezone_name

    loc = babel_locale(locale)
    if letters[0] == "O":
        return _gmt(dt, locale, len(letters) >= 4)
    if zone_name == "UTC" and letters[0] == "z":
        return "UTC" if len(letters) < 4 else str(get_timezone_name(dt, "long", locale=loc))
    if zone_name == "UTC" and letters[0] == "v":
        return _gmt(dt, locale, False)
    long = len(letters) >= 4
    try:
        if letters[0] == "v":  # generic ("Central European Time"): babel names the zone itself, not a moment
            name = str(get_timezone_name(dt.tzinfo, "long" if long else "short", locale=loc))
        else:
            name = str(get_timezone_name(dt, "long" if long else "short", locale=loc))
    except (KeyError, LookupError, ValueError):
        name = ""
    # babel answers an offset ("+0100") where CLDR has no name; ICU shows the localized GMT form there.
    return _gmt(dt, locale, False) if not name or name[0] in "+-" else name


def format_to_parts(o: DateOptions, t: float, zone: tzinfo | None) -> Parts:
    """FormatDateTimePattern (§11.5.5): the time value ``t`` as ``formatToParts`` parts."""
    from babel.dates import DateTimeFormat, tokenize_pattern

    dt = to_datetime(t, zone)
    fmt = DateTimeFormat(dt, babel_locale(o.locale))
    zero = NUMBERING_ZERO.get(o.numbering, "0")
    parts: Parts = []
    for kind, value in tokenize_pattern(o.pattern):
        if kind == "chars":
            text = str(value)
            if parts and parts[-1][0] == "literal":
                parts[-1] = ("literal", parts[-1][1] + text)
            else:
                parts.append(("literal", text))
            continue
        letter, count = str(value[0]), int(value[1])
        letters = letter * count
        if letter in "zZOvVxX":
            text = _zone_name(dt, letters, o.locale, o.time_zone)
        elif letter == "S":
            text = f"{dt.microsecond // 1000:03d}"[:count]
        elif letter in "hHKk":
            text = str(_HOUR_OF[letter](dt.hour)).zfill(count)
        else:
            text = str(fmt[letters])
        if zero != "0":
            text = "".join(chr(ord(zero) + ord(c) - 48) if "0" <= c <= "9" else c for c in text)
        parts.append((_PART_TYPE.get(letter, "literal"), text))
    return parts


def format_date(o: DateOptions, t: float, zone: tzinfo | None) -> str:
    """FormatDateTime (§11.5.6): the parts joined, U+202F as a plain space (as V8's ``format``;
    its ``formatToParts`` keeps U+202F, and so does ours)."""
    return "".join(text for _, text in format_to_parts(o, t, zone)).replace("\u202f", " ")


def pattern_components(pattern: str) -> dict[str, str]:
    """The component options a pattern shows (``resolvedOptions``: ICU reports the pattern's widths)."""
    out: dict[str, str] = {}
    for m in re.finditer(r"'[^']*'|([A-Za-z])\1*", pattern):
        text = m.group()
        if text.startswith("'"):
            continue
        name = _COMPONENT_OF.get(text[0])
        if name is None or name in out:
            continue
        n = len(text)
        if name == "fractionalSecondDigits":
            out[name] = str(n)
        elif name == "timeZoneName":
            out[name] = next(k for k, v in COMPONENTS[name].items() if v == text[0] * min(n, 4)) \
                if text[0] * min(n, 4) in COMPONENTS[name].values() else "short"
        elif name in ("weekday", "era", "dayPeriod"):
            out[name] = "long" if n == 4 else "narrow" if n == 5 else "short"
        elif n >= _TEXT_MIN:
            out[name] = "long" if n == 4 else "narrow" if n == 5 else "short"
        else:
            out[name] = "2-digit" if n == 2 else "numeric"
    return out


def pattern_hour_cycle(pattern: str) -> str | None:
    """The hour cycle of a pattern's hour field, if it has one."""
    letters = [c for c in _unquoted(pattern) if c in "hHKk"]
    return {"h": "h12", "H": "h23", "K": "h11", "k": "h24"}[letters[0]] if letters else None


_COMPONENT_OF = {
    "E": "weekday", "c": "weekday", "G": "era", "y": "year", "M": "month", "L": "month", "d": "day",
    "B": "dayPeriod", "h": "hour", "H": "hour", "K": "hour", "k": "hour", "m": "minute", "s": "second",
    "S": "fractionalSecondDigits", "z": "timeZoneName", "O": "timeZoneName", "v": "timeZoneName",
}

"""Pure algorithms behind JavaScript's ``Date`` (ECMAScript 2017, section 20.3).

Everything here works on *time values*: ``float`` milliseconds since
1970-01-01T00:00:00Z, with ``NaN`` standing for an invalid date, exactly as a
``Date`` object stores them in its ``[[DateValue]]`` slot.  There is no JS
object model in this module; the ``Date`` built-in wraps these functions and
does the ``ToNumber``/``this``-value plumbing itself.

Design notes (the "why"):

* The calendar primitives (``day``, ``year_from_time``, ``make_day`` ...) are
  plain integer arithmetic, not :mod:`datetime`, because JS dates cover
  years -271821 to 275760 and ``datetime`` stops at 1..9999.
* Results are ``float`` throughout because every spec value is a Number and
  ``NaN`` has to flow through the primitives unchanged.
* The sandboxed runtime must be deterministic, so the *local time zone is a
  parameter* (``tz``): any PEP 495 aware :class:`datetime.tzinfo` such as
  :class:`zoneinfo.ZoneInfo`, or ``None`` for UTC.  Nothing here reads the
  host's clock or time zone.
* String formats follow ES2018+ (where ``toString``/``toUTCString`` became
  normative); ES2017 left them implementation-defined and every engine
  already produced these shapes.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Final, Optional

__all__ = [
    "TimeZone",
    "MS_PER_DAY",
    "MS_PER_HOUR",
    "MS_PER_MINUTE",
    "MS_PER_SECOND",
    "MAX_TIME",
    "INVALID_DATE",
    "to_integer",
    "day",
    "time_within_day",
    "days_in_year",
    "day_from_year",
    "time_from_year",
    "year_from_time",
    "in_leap_year",
    "day_within_year",
    "month_from_time",
    "date_from_time",
    "week_day",
    "hour_from_time",
    "min_from_time",
    "sec_from_time",
    "ms_from_time",
    "make_time",
    "make_day",
    "make_date",
    "time_clip",
    "local_offset_ms",
    "local_time",
    "utc_from_local",
    "timezone_offset_minutes",
    "utc_args_to_time",
    "local_args_to_time",
    "parse_date",
    "to_iso_string",
    "to_utc_string",
    "to_string",
    "to_date_string",
    "to_time_string",
    "to_locale_string",
    "to_locale_date_string",
    "to_locale_time_string",
]

TimeZone = Optional[tzinfo]
"""The local time zone: a PEP 495 aware tzinfo (e.g. ``ZoneInfo``) or ``None`` for UTC."""

MS_PER_SECOND: Final = 1000.0
"""msPerSecond (20.3.1.10)."""
MS_PER_MINUTE: Final = 60000.0
"""msPerMinute (20.3.1.10)."""
MS_PER_HOUR: Final = 3600000.0
"""msPerHour (20.3.1.10)."""
MS_PER_DAY: Final = 86400000.0
"""msPerDay (20.3.1.2)."""
MAX_TIME: Final = 8.64e15
"""Largest magnitude a time value may have: 100,000,000 days (20.3.1.1)."""
INVALID_DATE: Final = "Invalid Date"
"""What the string conversions return for a NaN time value."""

_NAN: Final = math.nan

# Integer twins of the constants: the calendar maths below runs on Python ints
# so it is exact over the whole ±8.64e15 range (and beyond, for make_day).
_MS_DAY: Final = 86_400_000
_DAYS_PER_400Y: Final = 146_097  # a Gregorian cycle; also a whole number of weeks
_MS_PER_400Y: Final = _DAYS_PER_400Y * _MS_DAY

# Day of the year on which each month starts (index 0 = January), non-leap.
_MONTH_START: Final = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)

_WEEKDAY_ABBR: Final = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_MONTH_ABBR: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)
_UTC_NAME: Final = "Coordinated Universal Time"


# ---------------------------------------------------------------------------
# Number helpers
# ---------------------------------------------------------------------------


def to_integer(x: float) -> float:
    """ES2017 ToInteger on an already-numeric argument: NaN → +0, ±∞ kept, else truncate."""
    if math.isnan(x):
        return 0.0
    if math.isinf(x) or x == math.floor(x):
        # Already integral: returning x itself keeps the sign of -0 as the spec does.
        return x
    # Truncation toward zero with the sign kept, so -0.5 gives -0 like the spec's
    # "sign(number) × floor(abs(number))".  math.trunc of a float is exact.
    return math.copysign(float(math.trunc(x)), x)


def _finite(*xs: float) -> bool:
    """True when every argument is a finite Number (the spec's guard in MakeTime/MakeDay/MakeDate)."""
    return all(math.isfinite(x) for x in xs)


# ---------------------------------------------------------------------------
# 20.3.1.2 - 20.3.1.10: calendar primitives
# ---------------------------------------------------------------------------


def day(t: float) -> float:
    """Day(t): the day number containing time value *t* (floor(t / msPerDay))."""
    if not math.isfinite(t):
        return _NAN
    # Python's float // is exact floor division (computed via fmod), whereas
    # floor(t / msPerDay) can round across a day boundary for |t| near 8.64e15.
    return t // MS_PER_DAY


def time_within_day(t: float) -> float:
    """TimeWithinDay(t): milliseconds since the start of t's day (t modulo msPerDay, non-negative)."""
    if not math.isfinite(t):
        return _NAN
    return t % MS_PER_DAY


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_year(y: float) -> float:
    """DaysInYear(y): 366 in Gregorian leap years, else 365 (NaN for non-finite y)."""
    if not math.isfinite(y):
        return _NAN
    # The spec's three modulo tests, applied literally so non-integral y
    # (never produced by the built-ins, but possible here) gives 365.
    if y % 4 != 0:
        return 365.0
    if y % 100 != 0:
        return 366.0
    if y % 400 != 0:
        return 365.0
    return 366.0


def _day_from_year_int(y: int) -> int:
    # DayFromYear with floor division on ints: exact for any year.
    return 365 * (y - 1970) + (y - 1969) // 4 - (y - 1901) // 100 + (y - 1601) // 400


def day_from_year(y: float) -> float:
    """DayFromYear(y): day number of the first day of year *y*."""
    if not math.isfinite(y):
        return _NAN
    if y == math.floor(y):
        return float(_day_from_year_int(int(y)))
    f = math.floor
    return 365.0 * (y - 1970) + f((y - 1969) / 4) - f((y - 1901) / 100) + f((y - 1601) / 400)


def time_from_year(y: float) -> float:
    """TimeFromYear(y): time value of the start of year *y*."""
    return MS_PER_DAY * day_from_year(y)


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month 0-11, date 1-31) of a day number, proleptic Gregorian.

    Howard Hinnant's days_from_civil inverse: shifting the year to start on
    March 1st puts the leap day last, so month lengths follow a fixed pattern
    and no table or loop is needed.  Works for any integer (floor division).
    """
    z = days + 719_468  # day 0 of the shifted calendar is 0000-03-01
    era = z // _DAYS_PER_400Y
    doe = z - era * _DAYS_PER_400Y  # [0, 146096]
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365  # [0, 399]
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # [0, 365]
    mp = (5 * doy + 2) // 153  # [0, 11], March-based
    date = doy - (153 * mp + 2) // 5 + 1
    month = mp + 2 if mp < 10 else mp - 10  # back to January-based, 0-11
    year = yoe + era * 400 + (1 if month <= 1 else 0)
    return year, month, date


def _day_int(t: float) -> int:
    return int(t // MS_PER_DAY)


def year_from_time(t: float) -> float:
    """YearFromTime(t): the Gregorian year containing time value *t*."""
    if not math.isfinite(t):
        return _NAN
    return float(_civil_from_days(_day_int(t))[0])


def in_leap_year(t: float) -> float:
    """InLeapYear(t): 1 if *t* falls in a leap year, 0 otherwise (NaN for NaN)."""
    if not math.isfinite(t):
        return _NAN
    return 1.0 if _is_leap(_civil_from_days(_day_int(t))[0]) else 0.0


def day_within_year(t: float) -> float:
    """DayWithinYear(t): zero-based day of the year of *t*."""
    if not math.isfinite(t):
        return _NAN
    d = _day_int(t)
    return float(d - _day_from_year_int(_civil_from_days(d)[0]))


def month_from_time(t: float) -> float:
    """MonthFromTime(t): zero-based month (0 = January) of *t*."""
    if not math.isfinite(t):
        return _NAN
    return float(_civil_from_days(_day_int(t))[1])


def date_from_time(t: float) -> float:
    """DateFromTime(t): day of the month (1-31) of *t*."""
    if not math.isfinite(t):
        return _NAN
    return float(_civil_from_days(_day_int(t))[2])


def week_day(t: float) -> float:
    """WeekDay(t): 0 = Sunday ... 6 = Saturday (day 0, 1970-01-01, was a Thursday)."""
    if not math.isfinite(t):
        return _NAN
    return float((_day_int(t) + 4) % 7)


def hour_from_time(t: float) -> float:
    """HourFromTime(t): hour of the day, 0-23."""
    if not math.isfinite(t):
        return _NAN
    return (t // MS_PER_HOUR) % 24.0


def min_from_time(t: float) -> float:
    """MinFromTime(t): minute of the hour, 0-59."""
    if not math.isfinite(t):
        return _NAN
    return (t // MS_PER_MINUTE) % 60.0


def sec_from_time(t: float) -> float:
    """SecFromTime(t): second of the minute, 0-59."""
    if not math.isfinite(t):
        return _NAN
    return (t // MS_PER_SECOND) % 60.0


def ms_from_time(t: float) -> float:
    """msFromTime(t): millisecond of the second, 0-999."""
    if not math.isfinite(t):
        return _NAN
    return t % MS_PER_SECOND


# ---------------------------------------------------------------------------
# 20.3.1.11 - 20.3.1.15: constructors of time values
# ---------------------------------------------------------------------------


def make_time(hour: float, minute: float, sec: float, ms: float) -> float:
    """MakeTime(hour, min, sec, ms): milliseconds from the four fields, each ToInteger'd.

    NaN if any argument is not finite.  Out-of-range fields are allowed and
    simply carry (e.g. minute 90 is 1h30m), which the setters rely on.
    """
    if not _finite(hour, minute, sec, ms):
        return _NAN
    h, m, s, milli = to_integer(hour), to_integer(minute), to_integer(sec), to_integer(ms)
    # Evaluated left to right in double precision, as the spec demands
    # ("as if using the ECMAScript operators * and +").
    return h * MS_PER_HOUR + m * MS_PER_MINUTE + s * MS_PER_SECOND + milli


def make_day(year: float, month: float, date: float) -> float:
    """MakeDay(year, month, date): day number of the given (0-based month) date.

    Month overflow carries into the year (``make_day(2024, 12, 1)`` is
    2025-01-01) and date overflow into following days.  NaN if any argument
    is not finite.  The year/month part is computed exactly with integers for
    any finite year, so no arbitrary year limit applies; the final ``+ date``
    is double arithmetic like the spec's ``Day(t) + dt - 1``.  The caller's
    TimeClip rejects results outside the supported range.
    """
    if not _finite(year, month, date):
        return _NAN
    y, m, dt = to_integer(year), to_integer(month), to_integer(date)
    ym = int(y) + int(m // 12)
    mn = int(m % 12)
    first = _day_from_year_int(ym) + _MONTH_START[mn] + (1 if mn >= 2 and _is_leap(ym) else 0)
    try:
        first_f = float(first)
    except OverflowError:
        # "if this is not possible (because some argument is out of range), return NaN"
        return _NAN
    return first_f + dt - 1.0


def make_date(day_: float, time: float) -> float:
    """MakeDate(day, time): ``day * msPerDay + time``, NaN if either is not finite."""
    if not _finite(day_, time):
        return _NAN
    return day_ * MS_PER_DAY + time


def time_clip(time: float) -> float:
    """TimeClip(time): NaN unless finite and within ±8.64e15 ms; otherwise ToInteger(time).

    Negative zero is normalised to +0 (ES2017 allows either; later editions
    and all engines return +0).
    """
    if not math.isfinite(time) or abs(time) > MAX_TIME:
        return _NAN
    # -0.0 + 0.0 is +0.0; every other value is unchanged by the addition.
    return to_integer(time) + 0.0


# ---------------------------------------------------------------------------
# Local time (20.3.1.7 - 20.3.1.9)
# ---------------------------------------------------------------------------

# datetime only covers years 1..9999.  Moving a time value by whole 400-year
# Gregorian cycles keeps month, day *and weekday* identical, so a tz rule
# evaluated in the shifted year gives the same answer it would in the real
# one: far-future years keep today's DST rules (zoneinfo's POSIX footer),
# far-past years keep the zone's earliest offset (usually LMT).  The target
# windows leave a margin so adding an offset can never leave datetime's range.
_SAFE_MIN_YEAR: Final = 100
_SAFE_MAX_YEAR: Final = 9000


def _cycle_shift(year: int) -> int:
    """How many 400-year cycles to add so *year* lands in the datetime-safe window."""
    if year > _SAFE_MAX_YEAR:
        return -((year - _SAFE_MAX_YEAR + 399) // 400)
    if year < _SAFE_MIN_YEAR:
        return (_SAFE_MIN_YEAR - year + 399) // 400
    return 0


def _naive_datetime(t: float) -> datetime:
    """A naive datetime for finite *t*, shifted by whole 400-year cycles into datetime's range."""
    ti = math.floor(t)
    year = _civil_from_days(ti // _MS_DAY)[0]
    shift = _cycle_shift(year) * _MS_PER_400Y
    days, ms = divmod(ti + shift, _MS_DAY)
    y, mo, d = _civil_from_days(days)
    return datetime(y, mo + 1, d) + timedelta(milliseconds=ms)


def _offset_ms(delta: Optional[timedelta]) -> float:
    if delta is None:
        return 0.0
    # Offsets are whole seconds in practice; round rather than floor so a
    # sub-millisecond tzinfo offset cannot produce an off-by-one.
    return float(round(delta / timedelta(milliseconds=1)))


def _zone_at(t: float, tz: tzinfo) -> tuple[float, Optional[str]]:
    """(offset ms, zone abbreviation) in effect at UTC time value *t* (finite)."""
    local = _naive_datetime(t).replace(tzinfo=timezone.utc).astimezone(tz)
    return _offset_ms(local.utcoffset()), local.tzname()


def local_offset_ms(t: float, tz: TimeZone) -> float:
    """LocalTZA + DaylightSavingTA(t): offset of local time from UTC at UTC time value *t*.

    Positive east of Greenwich (Berlin in winter: 3,600,000).  DST aware.
    ``tz=None`` means UTC (offset 0).  NaN for a non-finite *t*.
    """
    if not math.isfinite(t):
        return _NAN
    if tz is None:
        return 0.0
    return _zone_at(t, tz)[0]


def local_time(t: float, tz: TimeZone) -> float:
    """LocalTime(t): ``t + local_offset_ms(t, tz)``; feed it to the field primitives for getHours etc."""
    return t + local_offset_ms(t, tz)


def utc_from_local(t_local: float, tz: TimeZone) -> float:
    """UTC(t): the UTC time value for local time value *t_local*.

    For local times that happen twice (DST ends) or never (DST starts) the
    offset in effect *before* the transition is used, as the spec requires:
    in Berlin 2024-10-27 02:30 means 02:30 CEST, and the skipped
    2024-03-31 02:30 is read with CET and so becomes 03:30 CEST.  PEP 495's
    ``fold=0`` has exactly these semantics, for gaps as well as folds.
    """
    if not math.isfinite(t_local):
        return _NAN
    if tz is None:
        return t_local
    offset = _offset_ms(_naive_datetime(t_local).replace(tzinfo=tz, fold=0).utcoffset())
    return t_local - offset


def timezone_offset_minutes(t: float, tz: TimeZone) -> float:
    """getTimezoneOffset(): ``(t - LocalTime(t)) / msPerMinute`` (positive west of Greenwich)."""
    if not math.isfinite(t):
        return _NAN
    return (t - local_time(t, tz)) / MS_PER_MINUTE


# ---------------------------------------------------------------------------
# Date.UTC and the multi-argument Date constructor (20.3.2.1, 20.3.3.4)
# ---------------------------------------------------------------------------


def _full_year(year: float) -> float:
    # Two-digit years 0..99 mean 1900..1999 in both Date.UTC and new Date(y, m).
    if not math.isnan(year):
        yi = to_integer(year)
        if 0 <= yi <= 99:
            return 1900.0 + yi
    return year


def _args_to_local(
    year: float, month: float, date: float, h: float, m: float, s: float, ms: float
) -> float:
    return make_date(make_day(_full_year(year), month, date), make_time(h, m, s, ms))


def utc_args_to_time(
    year: float,
    month: float,
    date: float = 1.0,
    h: float = 0.0,
    m: float = 0.0,
    s: float = 0.0,
    ms: float = 0.0,
) -> float:
    """Date.UTC(year, month[, date[, hours[, minutes[, seconds[, ms]]]]]) on numeric arguments.

    Years 0..99 (after ToInteger) are taken as 1900..1999.  Returns the
    TimeClip'd time value (NaN when out of range or any field is not finite).
    """
    return time_clip(_args_to_local(year, month, date, h, m, s, ms))


def local_args_to_time(
    year: float,
    month: float,
    date: float = 1.0,
    h: float = 0.0,
    m: float = 0.0,
    s: float = 0.0,
    ms: float = 0.0,
    tz: TimeZone = None,
) -> float:
    """``new Date(year, month, ...)``: like :func:`utc_args_to_time` but the fields are local time in *tz*."""
    return time_clip(utc_from_local(_args_to_local(year, month, date, h, m, s, ms), tz))


# ---------------------------------------------------------------------------
# Date.parse (20.3.3.2)
# ---------------------------------------------------------------------------

# 20.3.1.16 Date Time String Format (with 20.3.1.16.1 expanded years).  ASCII
# digits only: Python's \d would also match e.g. Arabic-Indic digits.
# Deliberate extensions, both accepted by V8 and QuickJS alike: any number of
# fraction digits (the first three count) and an offset without the colon
# (+0100), and a "Z" right after a date-only form ("2024-03-05Z", which is
# UTC anyway).  A space instead of "T" is accepted when the full date is
# present, as V8, SpiderMonkey and JavaScriptCore do for "2024-03-05 10:20:30".
_ISO_RE: Final = re.compile(
    r"""
    (?P<year>[0-9]{4}|[+-][0-9]{6})
    (?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?
    (?:
        (?P<sep>[T\ ])
        (?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})
        (?::(?P<second>[0-9]{2})(?:\.(?P<frac>[0-9]+))?)?
        (?P<zone>Z|(?P<osign>[+-])(?P<ohour>[0-9]{2}):?(?P<omin>[0-9]{2}))?
      | (?P<dzone>Z)
    )?
    """,
    re.VERBOSE,
)


def _valid_clock(hour: int, minute: int, second: int, ms: int) -> bool:
    # 24:00 is allowed only as the end-of-day midnight (24:00:00.000).
    if hour == 24:
        return minute == 0 and second == 0 and ms == 0
    return 0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59


def _frac_ms(frac: Optional[str]) -> int:
    # Only millisecond precision exists; extra digits are truncated, not rounded
    # (what V8 and QuickJS do).
    if not frac:
        return 0
    return int(frac[:3].ljust(3, "0"))


def _fields_to_time(
    year: int, month: int, date: int, hour: int, minute: int, second: int, ms: int
) -> float:
    return make_date(
        make_day(float(year), float(month - 1), float(date)),
        make_time(float(hour), float(minute), float(second), float(ms)),
    )


def _parse_iso(s: str, tz: TimeZone) -> Optional[float]:
    """The Date Time String Format; None if *s* is not in it (so other formats get a try)."""
    m = _ISO_RE.fullmatch(s)
    if m is None:
        return None
    if m["sep"] == " " and m["day"] is None:
        return None
    ytext = m["year"]
    if ytext == "-000000":
        # 20.3.1.16.1: year 0 must be written +000000; "-000000" is invalid.
        return _NAN
    year = int(ytext)
    month = int(m["month"] or 1)
    date = int(m["day"] or 1)
    hour = int(m["hour"] or 0)
    minute = int(m["minute"] or 0)
    second = int(m["second"] or 0)
    ms = _frac_ms(m["frac"])
    # Days 29-31 are accepted for every month and roll over (2024-02-30 is
    # 2024-03-01): V8 and QuickJS agree on that, and MakeDay defines it.
    if not (1 <= month <= 12 and 1 <= date <= 31 and _valid_clock(hour, minute, second, ms)):
        return _NAN
    t = _fields_to_time(year, month, date, hour, minute, second, ms)
    zone = m["zone"]
    if zone == "Z":
        return t
    if zone is not None:
        oh, om = int(m["ohour"]), int(m["omin"])
        if oh > 23 or om > 59:
            return _NAN
        offset = (oh * 60 + om) * MS_PER_MINUTE
        return t - offset if m["osign"] == "+" else t + offset
    if m["hour"] is None:
        # ES2016+: date-only forms are UTC ...
        return t
    # ... but date-time forms without an offset are local time.
    return utc_from_local(t, tz)


# --- the "legacy" formats -------------------------------------------------

_TOKEN_RE: Final = re.compile(r"\s+|[0-9]+|[A-Za-z]+|[,/:.+-]")

_MONTH_WORDS: Final = {
    name: i
    for i, full in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december",
        )
    )
    for name in (full, full[:3])
} | {"sept": 8}

_WEEKDAY_WORDS: Final = {
    name
    for full in ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
    for name in (full, full[:3])
}

_UTC_WORDS: Final = frozenset({"gmt", "utc", "ut", "z"})

# RFC 2822 section 4.3 obsolete zone names: the only abbreviations with a
# single fixed meaning (engines disagree on everything else, e.g. "CET").
_NAMED_OFFSETS_MIN: Final = {
    "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
}


def _tokenize(s: str) -> Optional[list[str]]:
    """Split into digit runs, lower-cased letter runs and punctuation; drop spaces and (comments).

    None if *s* contains a character no accepted format uses.
    """
    tokens: list[str] = []
    i, n = 0, len(s)
    while i < n:
        if s[i] == "(":
            # Parenthesised comments, e.g. toString()'s "(Central European
            # Standard Time)", may nest and carry any text; they are ignored.
            depth = 0
            while i < n:
                if s[i] == "(":
                    depth += 1
                elif s[i] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            if depth != 0:
                return None
            i += 1
            continue
        m = _TOKEN_RE.match(s, i)
        if m is None:
            return None
        text = m.group()
        if not text.isspace():
            tokens.append(text.lower())
        i = m.end()
    return tokens


class _Tokens:
    """A cursor over the token list; every ``take_*`` returns None without moving on mismatch."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, ahead: int = 0) -> str:
        i = self.pos + ahead
        return self.tokens[i] if i < len(self.tokens) else ""

    def at_end(self) -> bool:
        return self.pos >= len(self.tokens)

    def take(self, text: str) -> bool:
        if self.peek() == text:
            self.pos += 1
            return True
        return False

    def take_number(self, min_digits: int = 1, max_digits: int = 99) -> Optional[str]:
        tok = self.peek()
        if tok.isdigit() and tok.isascii() and min_digits <= len(tok) <= max_digits:
            self.pos += 1
            return tok
        return None

    def take_month(self) -> Optional[int]:
        month = _MONTH_WORDS.get(self.peek())
        if month is not None:
            self.pos += 1
        return month


def _legacy_year(digits: str, sign: str) -> int:
    # One- or two-digit years follow the usual 50-year window (V8's rule:
    # "24" is 2024, "99" is 1999).  Counting digits rather than the value
    # keeps "0000" (toUTCString of year 0) meaning year 0.
    value = int(digits)
    if not sign and len(digits) <= 2:
        return value + (2000 if value < 50 else 1900)
    return -value if sign == "-" else value


def _take_year(tk: _Tokens, signed: bool) -> Optional[int]:
    sign = ""
    if signed and tk.peek() in ("+", "-") and tk.peek(1).isdigit():
        sign = tk.peek()
        tk.pos += 1
    digits = tk.take_number(1, 6)
    if digits is None:
        return None
    return _legacy_year(digits, sign)


def _take_date(tk: _Tokens) -> Optional[tuple[int, int, int]]:
    """(year, month 1-12, day) from one of the accepted date shapes."""
    month = tk.take_month()
    if month is not None:
        # "Mar 05 2024" (toString) / "March 5, 2024"
        d = tk.take_number(1, 2)
        if d is None:
            return None
        tk.take(",")
        y = _take_year(tk, signed=True)
        return None if y is None else (y, month + 1, int(d))
    first = tk.take_number()
    if first is None:
        return None
    month = tk.take_month()
    if month is not None:
        # "05 Mar 2024" (toUTCString)
        if len(first) > 2:
            return None
        tk.take(",")
        y = _take_year(tk, signed=True)
        return None if y is None else (y, month + 1, int(first))
    if not tk.take("/"):
        return None
    second = tk.take_number(1, 2)
    if second is None or not tk.take("/"):
        return None
    if len(first) >= 3:
        # "2024/03/05": year first.
        third = tk.take_number(1, 2)
        return None if third is None else (_legacy_year(first, ""), int(second), int(third))
    # "3/5/2024": US month/day/year (what toLocaleDateString() produces).
    y = _take_year(tk, signed=False)
    return None if y is None else (y, int(first), int(second))


def _take_time(tk: _Tokens) -> Optional[tuple[int, int, int, int]]:
    """(hour, minute, second, ms) from "H:MM[:SS[.fff]] [AM|PM]"; the caller checks it is there."""
    h = tk.take_number(1, 2)
    if h is None or not tk.take(":"):
        return None
    mi = tk.take_number(2, 2)
    if mi is None:
        return None
    sec, ms = "0", 0
    if tk.take(":"):
        s = tk.take_number(2, 2)
        if s is None:
            return None
        sec = s
        if tk.take("."):
            frac = tk.take_number()
            if frac is None:
                return None
            ms = _frac_ms(frac)
    hour = int(h)
    ampm = tk.peek()
    if ampm in ("am", "pm"):
        tk.pos += 1
        # 12-hour clock: 0..12 allowed, 12 AM is midnight and 12 PM is noon.
        if hour > 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    return hour, int(mi), int(sec), ms


def _take_offset(tk: _Tokens) -> Optional[int]:
    """Signed minutes from "+HHMM" or "+HH:MM" at the cursor."""
    sign = tk.peek()
    if sign not in ("+", "-"):
        return None
    tk.pos += 1
    hh = tk.take_number(2, 4)
    if hh is None:
        return None
    if len(hh) == 4:
        oh, om = int(hh[:2]), int(hh[2:])
    elif len(hh) == 2 and tk.take(":"):
        mm = tk.take_number(2, 2)
        if mm is None:
            return None
        oh, om = int(hh), int(mm)
    else:
        return None
    if oh > 23 or om > 59:
        return None
    return (oh * 60 + om) * (-1 if sign == "-" else 1)


def _take_zone(tk: _Tokens) -> tuple[bool, Optional[int]]:
    """(ok, offset minutes or None for local time) for the optional zone suffix."""
    word = tk.peek()
    if word in _UTC_WORDS:
        tk.pos += 1
        if tk.peek() in ("+", "-"):
            off = _take_offset(tk)
            return (off is not None), off
        return True, 0
    if word in _NAMED_OFFSETS_MIN:
        tk.pos += 1
        return True, _NAMED_OFFSETS_MIN[word]
    if word in ("+", "-"):
        off = _take_offset(tk)
        return (off is not None), off
    return True, None  # no zone: local time


def _parse_legacy(s: str, tz: TimeZone) -> float:
    """The non-ISO shapes engines accept: toString/toUTCString output, "March 5, 2024", "2024/03/05 10:20"...

    Grammar (case-insensitive, parenthesised comments ignored):
    ``[weekday [,]] date [,] [time [AM|PM]] [zone]`` where date is
    ``Month D[,] Y`` | ``D Month[,] Y`` | ``YYYY/M/D`` | ``M/D/Y``, time is
    ``H:MM[:SS[.fff]]`` and zone is ``GMT|UTC|UT|Z`` optionally followed by
    ``±HHMM``/``±HH:MM``, a bare offset, or an RFC 2822 US zone (EST ...).
    Without a zone the fields are local time (as in every engine).
    """
    tokens = _tokenize(s)
    if not tokens:
        return _NAN
    tk = _Tokens(tokens)
    if tk.peek() in _WEEKDAY_WORDS:
        # The weekday is decoration; engines ignore a wrong one too.
        tk.pos += 1
        tk.take(",")
    ymd = _take_date(tk)
    if ymd is None:
        return _NAN
    year, month, date = ymd
    tk.take(",")  # toLocaleString()'s "3/5/2024, 10:20:30 AM"
    hour = minute = second = ms = 0
    if tk.peek().isdigit() and tk.peek(1) == ":":
        clock = _take_time(tk)
        if clock is None:
            return _NAN
        hour, minute, second, ms = clock
    ok, offset_min = _take_zone(tk)
    if not ok or not tk.at_end():
        return _NAN
    if not (1 <= month <= 12 and 1 <= date <= 31 and _valid_clock(hour, minute, second, ms)):
        return _NAN
    t = _fields_to_time(year, month, date, hour, minute, second, ms)
    if offset_min is None:
        return utc_from_local(t, tz)
    return t - offset_min * MS_PER_MINUTE


def parse_date(s: str, tz: TimeZone) -> float:
    """Date.parse(s): the time value *s* denotes, or NaN.

    Accepts the ECMAScript Date Time String Format (date-only forms are UTC,
    date-time forms without an offset are local time in *tz*) and the
    implementation-specific formats that toString(), toUTCString(),
    toLocaleString() and common usage produce; see ``_parse_legacy``.
    Anything else, and any out-of-range field or result, gives NaN.
    """
    iso = _parse_iso(s, tz)
    t = iso if iso is not None else _parse_legacy(s, tz)
    return time_clip(t)


# ---------------------------------------------------------------------------
# String conversions (20.3.4.35 - 20.3.4.43, ES2018+ shapes)
# ---------------------------------------------------------------------------


class _Fields:
    """The broken-down fields of a finite time value, computed once."""

    __slots__ = ("year", "month", "date", "weekday", "hour", "minute", "second", "ms")

    def __init__(self, t: float) -> None:
        ti = math.floor(t)
        days, msday = divmod(ti, _MS_DAY)
        self.year, self.month, self.date = _civil_from_days(days)
        self.weekday = (days + 4) % 7
        self.hour, rest = divmod(msday, 3_600_000)
        self.minute, rest = divmod(rest, 60_000)
        self.second, self.ms = divmod(rest, 1000)


def _year_text(year: int) -> str:
    # ES2018+ DateString/toUTCString: sign only when negative, at least 4 digits.
    return ("-" if year < 0 else "") + f"{abs(year):04d}"


def _date_text(f: _Fields) -> str:
    return f"{_WEEKDAY_ABBR[f.weekday]} {_MONTH_ABBR[f.month]} {f.date:02d} {_year_text(f.year)}"


def _clock_text(f: _Fields) -> str:
    return f"{f.hour:02d}:{f.minute:02d}:{f.second:02d}"


def _zone_text(t: float, tz: TimeZone) -> str:
    """TimeZoneString: "GMT+0100 (CET)" for UTC time value *t*."""
    if tz is None:
        offset, name = 0.0, _UTC_NAME
    else:
        offset, name_or_none = _zone_at(t, tz)
        name = name_or_none or ""
    # The spec takes HourFromTime/MinFromTime of |offset|, i.e. truncates
    # seconds: Berlin's LMT +0:53:28 prints as +0053, like V8.
    a = int(abs(offset))
    sign = "+" if offset >= 0 else "-"
    text = f"GMT{sign}{a // 3_600_000:02d}{a // 60_000 % 60:02d}"
    return f"{text} ({name})" if name else text


def to_iso_string(t: float) -> str:
    """Date.prototype.toISOString: "2024-03-05T10:20:30.000Z", "+275760-09-13T00:00:00.000Z".

    Years outside 0..9999 use the expanded ±YYYYYY form.  Raises
    ``ValueError("Invalid time value")`` for NaN (or anything TimeClip
    rejects); the caller turns it into a RangeError.
    """
    if math.isnan(time_clip(t)):
        raise ValueError("Invalid time value")
    f = _Fields(t)
    if 0 <= f.year <= 9999:
        year = f"{f.year:04d}"
    else:
        year = ("+" if f.year > 0 else "-") + f"{abs(f.year):06d}"
    return (
        f"{year}-{f.month + 1:02d}-{f.date:02d}"
        f"T{_clock_text(f)}.{f.ms:03d}Z"
    )


def to_utc_string(t: float) -> str:
    """Date.prototype.toUTCString: "Tue, 05 Mar 2024 10:20:30 GMT" ("Invalid Date" for NaN)."""
    if not math.isfinite(t):
        return INVALID_DATE
    f = _Fields(t)
    return (
        f"{_WEEKDAY_ABBR[f.weekday]}, {f.date:02d} {_MONTH_ABBR[f.month]} "
        f"{_year_text(f.year)} {_clock_text(f)} GMT"
    )


def to_string(t: float, tz: TimeZone) -> str:
    """Date.prototype.toString: "Tue Mar 05 2024 11:20:30 GMT+0100 (CET)" in local time.

    The parenthesised name is ``tz.tzname()`` (an abbreviation such as
    "CET"/"CEST"); for ``tz=None`` it is "Coordinated Universal Time".
    "Invalid Date" for NaN.
    """
    if not math.isfinite(t):
        return INVALID_DATE
    f = _Fields(local_time(t, tz))
    return f"{_date_text(f)} {_clock_text(f)} {_zone_text(t, tz)}"


def to_date_string(t: float, tz: TimeZone) -> str:
    """Date.prototype.toDateString: "Tue Mar 05 2024" in local time ("Invalid Date" for NaN)."""
    if not math.isfinite(t):
        return INVALID_DATE
    return _date_text(_Fields(local_time(t, tz)))


def to_time_string(t: float, tz: TimeZone) -> str:
    """Date.prototype.toTimeString: "11:20:30 GMT+0100 (CET)" in local time ("Invalid Date" for NaN)."""
    if not math.isfinite(t):
        return INVALID_DATE
    return f"{_clock_text(_Fields(local_time(t, tz)))} {_zone_text(t, tz)}"


def _locale_date(f: _Fields) -> str:
    # en-US (ICU) shows the era year without the era: 1 BC (year 0) is "1",
    # 2 BC (year -1) is "2".  V8 and SpiderMonkey print the same.
    year = f.year if f.year > 0 else 1 - f.year
    return f"{f.month + 1}/{f.date}/{year}"


def _locale_time(f: _Fields) -> str:
    hour12 = f.hour % 12 or 12
    suffix = "AM" if f.hour < 12 else "PM"
    # A plain space before AM/PM: newer ICU emits U+202F there, which breaks
    # naive string handling; V8 reverted to the plain space for that reason.
    return f"{hour12}:{f.minute:02d}:{f.second:02d} {suffix}"


def to_locale_string(t: float, tz: TimeZone) -> str:
    """Date.prototype.toLocaleString in en-US form: "3/5/2024, 10:20:30 AM" ("Invalid Date" for NaN)."""
    if not math.isfinite(t):
        return INVALID_DATE
    f = _Fields(local_time(t, tz))
    return f"{_locale_date(f)}, {_locale_time(f)}"


def to_locale_date_string(t: float, tz: TimeZone) -> str:
    """Date.prototype.toLocaleDateString in en-US form: "3/5/2024" ("Invalid Date" for NaN)."""
    if not math.isfinite(t):
        return INVALID_DATE
    return _locale_date(_Fields(local_time(t, tz)))


def to_locale_time_string(t: float, tz: TimeZone) -> str:
    """Date.prototype.toLocaleTimeString in en-US form: "10:20:30 AM" ("Invalid Date" for NaN)."""
    if not math.isfinite(t):
        return INVALID_DATE
    return _locale_time(_Fields(local_time(t, tz)))

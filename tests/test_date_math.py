"""Tests for seqflow_runtime.js.date_math, the pure algorithms behind JS ``Date``.

Three kinds of evidence:

* hand-written expectations for the classic cases (epoch, leap years, range
  limits, DST transitions in America/New_York and Europe/Berlin);
* an independent Python oracle (``datetime``) for years 1..9999;
* QuickJS (the ``quickjs`` package) as a JavaScript oracle, run with its
  process time zone pinned so local-time answers are reproducible.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

try:
    import seqflow_runtime.js.date_math  # noqa: F401
except ModuleNotFoundError:
    # The project is not installed in the venv and pyproject sets no pytest
    # `pythonpath`, so a bare `pytest` cannot see the repo root; add it.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from seqflow_runtime.js import date_math as dm
from seqflow_runtime.js.date_math import (
    INVALID_DATE,
    date_from_time,
    day,
    day_from_year,
    day_within_year,
    days_in_year,
    hour_from_time,
    in_leap_year,
    local_args_to_time,
    local_offset_ms,
    local_time,
    make_date,
    make_day,
    make_time,
    min_from_time,
    month_from_time,
    ms_from_time,
    parse_date,
    sec_from_time,
    time_clip,
    time_from_year,
    time_within_day,
    timezone_offset_minutes,
    to_date_string,
    to_integer,
    to_iso_string,
    to_locale_date_string,
    to_locale_string,
    to_locale_time_string,
    to_string,
    to_time_string,
    to_utc_string,
    utc_args_to_time,
    utc_from_local,
    week_day,
    year_from_time,
)

NAN = math.nan
INF = math.inf
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3_600_000.0
MAX = 8.64e15

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, ms: int = 0) -> float:
    """Independent oracle: the time value of a UTC date (1-based month), via datetime."""
    dt = datetime(y, mo, d, h, mi, s, ms * 1000, tzinfo=timezone.utc)
    return float((dt - _EPOCH) // timedelta(milliseconds=1))


def is_nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


def same(a: float, b: float | None) -> bool:
    """Equality where NaN (ours) matches NaN/None (JSON from the oracle)."""
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return math.isnan(a)
    return a == b


# ---------------------------------------------------------------------------
# QuickJS oracle
# ---------------------------------------------------------------------------


@contextmanager
def process_tz(name: str) -> Iterator[None]:
    """Pin the C library's local zone (QuickJS uses localtime_r) and restore it afterwards."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


JS = Callable[[str], Any]


@pytest.fixture(scope="module")
def js() -> Iterator[JS]:
    """Evaluate a JS expression in QuickJS (TZ=UTC) and return it decoded from JSON."""
    quickjs = pytest.importorskip("quickjs")
    ctx = quickjs.Context()

    def run(expr: str) -> Any:
        return json.loads(ctx.eval(f"JSON.stringify({expr})"))

    with process_tz("UTC"):
        yield run


def js_number(x: float) -> str:
    """A JS source literal for a float."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)


# ---------------------------------------------------------------------------
# ToInteger, Day, TimeWithinDay
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "expected"),
    [(NAN, 0.0), (2.7, 2.0), (-2.7, -2.0), (INF, INF), (-INF, -INF), (0.0, 0.0), (1e300, 1e300)],
)
def test_to_integer(x: float, expected: float) -> None:
    assert to_integer(x) == expected


def test_to_integer_keeps_negative_zero() -> None:
    assert math.copysign(1.0, to_integer(-0.5)) == -1.0
    assert math.copysign(1.0, to_integer(-0.0)) == -1.0


@pytest.mark.parametrize(
    ("t", "d", "within"),
    [
        (0.0, 0.0, 0.0),
        (-1.0, -1.0, 86_399_999.0),
        (86_400_000.0, 1.0, 0.0),
        (86_399_999.0, 0.0, 86_399_999.0),
        (-86_400_000.0, -1.0, 0.0),
        (-86_400_001.0, -2.0, 86_399_999.0),
        (MAX, 100_000_000.0, 0.0),
        (-MAX, -100_000_000.0, 0.0),
        # Right next to the range ends, where t / msPerDay would round wrongly.
        (MAX - 1, 99_999_999.0, 86_399_999.0),
        (-MAX + 1, -100_000_000.0, 1.0),
    ],
)
def test_day_and_time_within_day(t: float, d: float, within: float) -> None:
    assert day(t) == d
    assert time_within_day(t) == within


# ---------------------------------------------------------------------------
# Years
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("y", "days"),
    [
        (1970, 365), (2023, 365), (2024, 366), (1900, 365), (2000, 366), (2100, 365),
        (1600, 366), (0, 366), (-1, 365), (-4, 366), (-100, 365), (-400, 366),
        (275760, 366), (-271821, 365),
    ],
)
def test_days_in_year(y: int, days: int) -> None:
    assert days_in_year(float(y)) == days


@pytest.mark.parametrize(
    ("y", "d"),
    [(1970, 0), (1971, 365), (1969, -365), (1972, 730), (1973, 1096), (2000, 10957),
     (1900, -25567), (0, -719528), (1, -719162)],
)
def test_day_from_year(y: int, d: int) -> None:
    assert day_from_year(float(y)) == d
    assert time_from_year(float(y)) == d * 86_400_000.0


def test_day_from_year_matches_datetime() -> None:
    for y in range(1, 10000, 37):
        assert day_from_year(float(y)) == utc(y, 1, 1) / 86_400_000


@pytest.mark.parametrize(
    ("t", "year"),
    [
        (0.0, 1970), (-1.0, 1969), (utc(2024, 12, 31, 23, 59, 59, 999), 2024),
        (utc(2025, 1, 1), 2025), (utc(2000, 2, 29), 2000), (utc(1, 1, 1), 1),
        (utc(1, 1, 1) - 1, 0), (MAX, 275760), (-MAX, -271821),
        (-62198755200000.0, -1), (-62167219200000.0, 0),
    ],
)
def test_year_from_time(t: float, year: int) -> None:
    assert year_from_time(t) == year


def test_in_leap_year() -> None:
    assert in_leap_year(utc(2024, 7, 1)) == 1
    assert in_leap_year(utc(2023, 7, 1)) == 0
    assert in_leap_year(utc(1900, 7, 1)) == 0
    assert in_leap_year(utc(2000, 7, 1)) == 1
    assert in_leap_year(MAX) == 1  # 275760 is divisible by 4, not by 100
    assert in_leap_year(-MAX) == 0


def test_day_within_year() -> None:
    assert day_within_year(0.0) == 0
    assert day_within_year(utc(2024, 12, 31)) == 365
    assert day_within_year(utc(2023, 12, 31)) == 364
    assert day_within_year(utc(2024, 3, 1)) == 60


# ---------------------------------------------------------------------------
# Month, date, weekday, clock fields
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "month", "date"),
    [
        (0.0, 0, 1),
        (utc(2024, 2, 29), 1, 29),
        (utc(2024, 2, 29) + 86_400_000, 2, 1),  # Feb 29 is followed by Mar 1
        (utc(2023, 2, 28) + 86_400_000, 2, 1),  # no Feb 29 in 2023
        (utc(1900, 2, 28) + 86_400_000, 2, 1),  # 1900 is not a leap year
        (utc(2000, 2, 28) + 86_400_000, 1, 29),  # 2000 is
        (utc(2024, 12, 31), 11, 31),
        (-1.0, 11, 31),
        (MAX, 8, 13),
        (-MAX, 3, 20),
    ],
)
def test_month_and_date(t: float, month: int, date: int) -> None:
    assert month_from_time(t) == month
    assert date_from_time(t) == date


@pytest.mark.parametrize(
    ("t", "wd"),
    [
        (0.0, 4),  # Thursday
        (-1.0, 3),
        (utc(2024, 3, 5), 2),  # Tuesday
        (utc(2000, 1, 1), 6),
        (MAX, 6),  # Saturday, 13 Sep 275760
        (-MAX, 2),  # Tuesday, 20 Apr -271821
    ],
)
def test_week_day(t: float, wd: int) -> None:
    assert week_day(t) == wd


def test_clock_fields() -> None:
    t = utc(2024, 3, 5, 10, 20, 30, 123)
    assert (hour_from_time(t), min_from_time(t), sec_from_time(t), ms_from_time(t)) == (10, 20, 30, 123)
    # Negative time values count backwards from midnight.
    assert (hour_from_time(-1), min_from_time(-1), sec_from_time(-1), ms_from_time(-1)) == (23, 59, 59, 999)
    assert (hour_from_time(-MAX), ms_from_time(-MAX)) == (0, 0)


@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_primitives_propagate_nan(bad: float) -> None:
    for fn in (day, time_within_day, year_from_time, in_leap_year, month_from_time, date_from_time,
               week_day, hour_from_time, min_from_time, sec_from_time, ms_from_time,
               day_within_year, days_in_year, day_from_year, time_from_year):
        assert is_nan(fn(bad)), fn.__name__


def test_fields_match_datetime_for_years_1_to_9999() -> None:
    rng = random.Random(7)
    lo, hi = utc(1, 1, 1), utc(9999, 12, 31, 23, 59, 59, 999)
    for _ in range(2000):
        t = float(rng.randint(int(lo), int(hi)))
        d = _EPOCH + timedelta(milliseconds=t)
        got = (year_from_time(t), month_from_time(t) + 1, date_from_time(t), week_day(t),
               hour_from_time(t), min_from_time(t), sec_from_time(t), ms_from_time(t))
        want = (d.year, d.month, d.day, (d.weekday() + 1) % 7, d.hour, d.minute, d.second,
                d.microsecond // 1000)
        assert got == want, t


# ---------------------------------------------------------------------------
# MakeTime, MakeDay, MakeDate, TimeClip
# ---------------------------------------------------------------------------


def test_make_time() -> None:
    assert make_time(1, 2, 3, 4) == 3_723_004
    assert make_time(1.9, 2.9, 3.9, 4.9) == 3_723_004  # ToInteger truncates
    assert make_time(-1.5, 0, 0, 0) == -HOUR  # ... toward zero
    assert make_time(0, 90, 0, 0) == 90 * 60_000  # fields may overflow
    assert make_time(25, 0, 0, -1) == 25 * HOUR - 1
    for bad in (NAN, INF, -INF):
        assert is_nan(make_time(bad, 0, 0, 0))
        assert is_nan(make_time(0, 0, 0, bad))


def test_make_day() -> None:
    assert make_day(1970, 0, 1) == 0
    assert make_day(2024, 12, 1) == make_day(2025, 0, 1) == utc(2025, 1, 1) / 86_400_000
    assert make_day(2024, -1, 1) == make_day(2023, 11, 1)
    assert make_day(2024, -13, 1) == make_day(2022, 11, 1)
    assert make_day(2024, 1, 30) == make_day(2024, 2, 1)  # Feb 30 2024 = Mar 1
    assert make_day(2023, 1, 29) == make_day(2023, 2, 1)
    assert make_day(2024, 1, 29) == utc(2024, 2, 29) / 86_400_000
    assert make_day(2024, 0, 0) == make_day(2023, 11, 31)
    assert make_day(2024, 0, -365) == make_day(2022, 11, 31)
    assert make_day(2024.7, 1.9, 29.99) == make_day(2024, 1, 29)
    assert make_day(-271821, 3, 20) == -100_000_000
    assert make_day(275760, 8, 13) == 100_000_000
    assert make_day(0, 0, 1) == -719528
    assert make_day(-1, 11, 31) == -719529
    for bad in (NAN, INF, -INF):
        assert is_nan(make_day(bad, 0, 1))
        assert is_nan(make_day(2024, bad, 1))
        assert is_nan(make_day(2024, 0, bad))


def test_make_day_has_no_arbitrary_year_limit() -> None:
    # Huge years give huge (finite) day numbers; TimeClip rejects them later.
    assert make_day(1e9, 0, 1) > 3e11
    assert is_nan(time_clip(make_date(make_day(1e9, 0, 1), 0)))
    # A day offset can bring an out-of-range year back into range.
    assert utc_args_to_time(275761, 0, -365) == utc_args_to_time(275760, 0, 1)
    # Beyond what a double can hold: NaN rather than an OverflowError.
    assert is_nan(make_day(1e308, 0, 1))


def test_make_date() -> None:
    assert make_date(1, 1) == 86_400_001
    assert make_date(-1, 0) == -86_400_000
    assert is_nan(make_date(NAN, 0))
    assert is_nan(make_date(0, INF))


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (0.0, 0.0), (MAX, MAX), (-MAX, -MAX), (MAX + 1, NAN), (-MAX - 1, NAN),
        (1.9, 1.0), (-1.9, -1.0), (NAN, NAN), (INF, NAN), (-INF, NAN), (1e300, NAN),
    ],
)
def test_time_clip(t: float, expected: float) -> None:
    got = time_clip(t)
    assert (is_nan(got) and is_nan(expected)) or got == expected


def test_time_clip_gives_positive_zero() -> None:
    assert math.copysign(1.0, time_clip(-0.0)) == 1.0
    assert math.copysign(1.0, time_clip(-0.5)) == 1.0


# ---------------------------------------------------------------------------
# Date.UTC and new Date(y, m, ...)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1970, 0), 0.0),
        ((2024, 1, 29), utc(2024, 2, 29)),
        ((2024, 2, 5, 10, 20, 30, 123), utc(2024, 3, 5, 10, 20, 30, 123)),
        ((99, 0), utc(1999, 1, 1)),  # 0..99 means 1900..1999
        ((0, 0), utc(1900, 1, 1)),
        ((99.9, 0), utc(1999, 1, 1)),  # after ToInteger
        ((100, 0), utc(100, 1, 1)),
        ((2024, 12, 1), utc(2025, 1, 1)),
        ((2024, 0, 1, 24), utc(2024, 1, 2)),
        ((2024, 0, 1, 0, 0, 0, -1), utc(2023, 12, 31, 23, 59, 59, 999)),
        ((275760, 8, 13), MAX),
        ((275760, 8, 13, 0, 0, 0, 1), NAN),
        ((-271821, 3, 20), -MAX),
        ((-271821, 3, 19, 23, 59, 59, 999), NAN),
        ((NAN, 0), NAN),
        ((2024, NAN), NAN),
        ((2024, 0, INF), NAN),
        ((-1, 0), -62198755200000.0),  # negative years are not remapped
    ],
)
def test_utc_args_to_time(args: tuple[float, ...], expected: float) -> None:
    got = utc_args_to_time(*args)
    assert (is_nan(got) and is_nan(expected)) or got == expected


def test_local_args_to_time() -> None:
    assert local_args_to_time(2024, 0, 15, 12, tz=BERLIN) == utc(2024, 1, 15, 11)
    assert local_args_to_time(2024, 6, 15, 12, tz=BERLIN) == utc(2024, 7, 15, 10)
    assert local_args_to_time(2024, 6, 15, 12, tz=NEW_YORK) == utc(2024, 7, 15, 16)
    assert local_args_to_time(2024, 6, 15, 12) == utc(2024, 7, 15, 12)  # tz=None is UTC
    assert local_args_to_time(24, 0, 1, tz=None) == utc(1924, 1, 1)
    # Skipped local time (Berlin spring forward): read with the earlier offset.
    assert local_args_to_time(2024, 2, 31, 2, 30, tz=BERLIN) == utc(2024, 3, 31, 1, 30)
    # The local range limit is applied after conversion to UTC.
    assert local_args_to_time(275760, 8, 13, 1, tz=BERLIN) == MAX - HOUR
    assert is_nan(local_args_to_time(275760, 8, 13, 2, 0, 0, 1, tz=BERLIN))
    assert is_nan(local_args_to_time(NAN, 0, tz=BERLIN))


# ---------------------------------------------------------------------------
# Local time: offsets, DST transitions, UTC(t)
# ---------------------------------------------------------------------------

BERLIN_DST_START = utc(2024, 3, 31, 1)  # 02:00 CET -> 03:00 CEST
BERLIN_DST_END = utc(2024, 10, 27, 1)  # 03:00 CEST -> 02:00 CET
NY_DST_START = utc(2024, 3, 10, 7)  # 02:00 EST -> 03:00 EDT
NY_DST_END = utc(2024, 11, 3, 6)  # 02:00 EDT -> 01:00 EST


@pytest.mark.parametrize(
    ("t", "tz", "offset_h"),
    [
        (utc(2024, 1, 15), BERLIN, 1),
        (utc(2024, 7, 15), BERLIN, 2),
        (BERLIN_DST_START - 1, BERLIN, 1),
        (BERLIN_DST_START, BERLIN, 2),
        (BERLIN_DST_END - 1, BERLIN, 2),
        (BERLIN_DST_END, BERLIN, 1),
        (utc(2024, 1, 15), NEW_YORK, -5),
        (utc(2024, 7, 15), NEW_YORK, -4),
        (NY_DST_START - 1, NEW_YORK, -5),
        (NY_DST_START, NEW_YORK, -4),
        (NY_DST_END - 1, NEW_YORK, -4),
        (NY_DST_END, NEW_YORK, -5),
        (utc(2024, 7, 15), None, 0),
        # Far future: today's DST rules continue (400-year shift keeps weekdays).
        (utc_args_to_time(100000, 6, 1), BERLIN, 2),
        (utc_args_to_time(100000, 0, 1), BERLIN, 1),
        (utc_args_to_time(275760, 6, 1), NEW_YORK, -4),
        (MAX, BERLIN, 2),
    ],
)
def test_local_offset(t: float, tz: dm.TimeZone, offset_h: int) -> None:
    assert local_offset_ms(t, tz) == offset_h * HOUR
    assert local_time(t, tz) == t + offset_h * HOUR
    assert timezone_offset_minutes(t, tz) == -offset_h * 60


def test_local_offset_far_past_is_local_mean_time() -> None:
    lmt_berlin = (53 * 60 + 28) * 1000.0  # +0:53:28
    lmt_new_york = -(4 * 3600 + 56 * 60 + 2) * 1000.0  # -4:56:02
    for t in (utc(1800, 6, 1), utc(1, 1, 1), -62198755200000.0, utc_args_to_time(-5000, 6, 1), -MAX):
        assert local_offset_ms(t, BERLIN) == lmt_berlin
        assert local_offset_ms(t, NEW_YORK) == lmt_new_york


def test_local_offset_nan() -> None:
    assert is_nan(local_offset_ms(NAN, BERLIN))
    assert is_nan(local_time(NAN, None))
    assert is_nan(utc_from_local(NAN, BERLIN))
    assert is_nan(timezone_offset_minutes(NAN, NEW_YORK))


def _local(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> float:
    """A *local* time value: the same arithmetic as utc(), read as wall-clock time."""
    return utc(y, mo, d, h, mi)


@pytest.mark.parametrize(
    ("local", "tz", "expected"),
    [
        (_local(2024, 1, 15, 12), BERLIN, utc(2024, 1, 15, 11)),
        (_local(2024, 7, 15, 12), BERLIN, utc(2024, 7, 15, 10)),
        # Berlin: 02:30 on 31 Mar 2024 never happens; the offset before the
        # transition (CET, +1) applies, so it lands on 03:30 CEST.
        (_local(2024, 3, 31, 2, 30), BERLIN, utc(2024, 3, 31, 1, 30)),
        (_local(2024, 3, 31, 1, 59), BERLIN, utc(2024, 3, 31, 0, 59)),
        (_local(2024, 3, 31, 3, 0), BERLIN, utc(2024, 3, 31, 1, 0)),
        # Berlin: 02:30 on 27 Oct 2024 happens twice; the earlier (CEST) wins.
        (_local(2024, 10, 27, 2, 30), BERLIN, utc(2024, 10, 27, 0, 30)),
        (_local(2024, 10, 27, 3, 0), BERLIN, utc(2024, 10, 27, 2, 0)),
        # New York, same rules.
        (_local(2024, 3, 10, 2, 30), NEW_YORK, utc(2024, 3, 10, 7, 30)),
        (_local(2024, 3, 10, 3, 0), NEW_YORK, utc(2024, 3, 10, 7, 0)),
        (_local(2024, 11, 3, 1, 30), NEW_YORK, utc(2024, 11, 3, 5, 30)),
        (_local(2024, 11, 3, 2, 0), NEW_YORK, utc(2024, 11, 3, 7, 0)),
        (_local(2024, 7, 15), None, utc(2024, 7, 15)),
    ],
)
def test_utc_from_local(local: float, tz: dm.TimeZone, expected: float) -> None:
    assert utc_from_local(local, tz) == expected


def test_utc_from_local_inverts_local_time_outside_transitions() -> None:
    rng = random.Random(11)
    for tz in (BERLIN, NEW_YORK):
        for _ in range(300):
            t = float(rng.randint(int(-MAX) + 86_400_000, int(MAX) - 86_400_000))
            # Skip the hours around a transition, where local time is ambiguous.
            if local_offset_ms(t - 3 * HOUR, tz) != local_offset_ms(t + 3 * HOUR, tz):
                continue
            assert utc_from_local(local_time(t, tz), tz) == t


# ---------------------------------------------------------------------------
# Date.parse
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", utc(2024, 1, 1)),
        ("2024-03", utc(2024, 3, 1)),
        ("2024-03-05", utc(2024, 3, 5)),  # date-only: UTC
        ("2024-03-05Z", utc(2024, 3, 5)),
        ("2024-03-05T10:20Z", utc(2024, 3, 5, 10, 20)),
        ("2024-03-05T10:20:30Z", utc(2024, 3, 5, 10, 20, 30)),
        ("2024-03-05T10:20:30.123Z", utc(2024, 3, 5, 10, 20, 30, 123)),
        ("2024-03-05T10:20:30.1Z", utc(2024, 3, 5, 10, 20, 30, 100)),
        ("2024-03-05T10:20:30.12345Z", utc(2024, 3, 5, 10, 20, 30, 123)),
        ("2024-03-05T10:20:30+01:00", utc(2024, 3, 5, 9, 20, 30)),
        ("2024-03-05T10:20:30-05:30", utc(2024, 3, 5, 15, 50, 30)),
        ("2024-03-05T10:20:30+0100", utc(2024, 3, 5, 9, 20, 30)),
        ("2024-03-05T10:20:30.000-00:00", utc(2024, 3, 5, 10, 20, 30)),
        ("2024T10:20Z", utc(2024, 1, 1, 10, 20)),
        ("2024-03T10:20Z", utc(2024, 3, 1, 10, 20)),
        ("2024-03-05T24:00Z", utc(2024, 3, 6)),
        ("2024-03-05T24:00:00.000Z", utc(2024, 3, 6)),
        ("2024-02-29", utc(2024, 2, 29)),
        ("2024-02-30", utc(2024, 3, 1)),  # days up to 31 roll over, as in V8 and QuickJS
        ("2023-02-29", utc(2023, 3, 1)),
        ("2024-04-31", utc(2024, 5, 1)),
        ("+002024-03-05", utc(2024, 3, 5)),
        ("+000000-01-01T00:00:00Z", -62167219200000.0),
        ("-000001-01-01T00:00:00Z", -62198755200000.0),
        ("+275760-09-13T00:00:00.000Z", MAX),
        ("-271821-04-20T00:00:00.000Z", -MAX),
        ("-271821-04-19T23:00:00.000-01:00", -MAX),
        ("1970-01-01T00:00:00.000Z", 0.0),
        ("2024-03-05 10:20:30Z", utc(2024, 3, 5, 10, 20, 30)),
    ],
)
def test_parse_iso_utc(text: str, expected: float) -> None:
    for tz in (None, BERLIN, NEW_YORK):  # none of these depend on the local zone
        assert parse_date(text, tz) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024-13-01", "2024-00-10", "2024-01-00", "2024-02-32", "2024-03-05T25:00",
        "2024-03-05T24:00:01Z", "2024-03-05T24:00:00.001Z", "2024-03-05T23:60Z",
        "2024-03-05T23:59:60Z", "-000000-01-01T00:00:00Z", "+275760-09-13T00:00:00.001Z",
        "-271821-04-19T23:59:59.999Z", "2024-03-05T10Z", "2024-03-05T10:20:30+01",
        "2024-03-05T10:20:30.000+24:00", "2024-03-05T10:20:30+01:60", "2024-03-05T10:20:30.Z",
        "2024-03-05T10:20:30,5Z", "2024-03-05T10:20:30.000Z ", " 2024-03-05T10:20Z",
        "2024-03-05t10:20:30z", "2024-3-5", "+2024-03-05", "20240305", "2024-03-05T1020",
        "2024-03-05T10:20:3", "2024-03-05T10:20:30Z+01:00", "2024-03-05+01:00", "24-03-05",
        "2024-03 10:20", "２０２４-03-05",
        "", "foo", "10:20:30", "Mar 32, 2024", "2024/13/01", "32/3/2024", "Mar 5, 2024 10",
        "Mar 5, 2024 13:00 PM", "2024/03/05 23:60", "Mar 5, 2024 10:20:60", "Ma 5 2024",
        "2024 Mar 5", "Mar 2024 5", "Tue Mar 05 2024 10:20:30 GMT+1",
        "Tue, 05 Mar 2024 10:20:30 CET", "Mar 5 2024 (unclosed", "Mar 5 2024 10:20:30 +2400",
        "2024/03/05 24:00:01", "Mar 5, 2024 24:00 AM",
    ],
)
def test_parse_invalid(text: str) -> None:
    assert is_nan(parse_date(text, BERLIN))
    assert is_nan(parse_date(text, None))


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # Date-time forms without an offset are local time (ES2016+).
        ("2024-03-05T10:20:30", None, utc(2024, 3, 5, 10, 20, 30)),
        ("2024-03-05T10:20:30", BERLIN, utc(2024, 3, 5, 9, 20, 30)),
        ("2024-07-05T10:20:30.5", BERLIN, utc(2024, 7, 5, 8, 20, 30, 500)),
        ("2024-03-05T10:20", NEW_YORK, utc(2024, 3, 5, 15, 20)),
        ("2024-03-05 10:20:30", NEW_YORK, utc(2024, 3, 5, 15, 20, 30)),
        ("2024-03-05T24:00", NEW_YORK, utc(2024, 3, 6, 5)),
        # ... with the spec's rule across DST transitions.
        ("2024-03-31T02:30:00", BERLIN, utc(2024, 3, 31, 1, 30)),
        ("2024-10-27T02:30:00", BERLIN, utc(2024, 10, 27, 0, 30)),
        ("2024-03-10T02:30:00", NEW_YORK, utc(2024, 3, 10, 7, 30)),
        ("2024-11-03T01:30:00", NEW_YORK, utc(2024, 11, 3, 5, 30)),
        # Date-only forms stay UTC even with a local zone.
        ("2024-03-05", NEW_YORK, utc(2024, 3, 5)),
    ],
)
def test_parse_iso_local(text: str, tz: dm.TimeZone, expected: float) -> None:
    assert parse_date(text, tz) == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # toString() / toUTCString() output.
        ("Tue Mar 05 2024 10:20:30 GMT+0100 (Central European Standard Time)", NEW_YORK,
         utc(2024, 3, 5, 9, 20, 30)),
        ("Tue Mar 05 2024 11:20:30 GMT+0100 (CET)", None, utc(2024, 3, 5, 10, 20, 30)),
        ("Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)", BERLIN, 0.0),
        ("Tue, 05 Mar 2024 10:20:30 GMT", BERLIN, utc(2024, 3, 5, 10, 20, 30)),
        ("Tue, 5 Mar 2024 10:20:30 +0000", BERLIN, utc(2024, 3, 5, 10, 20, 30)),
        ("Tue, 05 Mar 2024 10:20:30 UTC", BERLIN, utc(2024, 3, 5, 10, 20, 30)),
        ("Tue, 05 Mar 2024 10:20:30 UT", BERLIN, utc(2024, 3, 5, 10, 20, 30)),
        ("Tue, 05 Mar 2024 10:20:30 Z", BERLIN, utc(2024, 3, 5, 10, 20, 30)),
        ("Tue, 05 Mar 2024 10:20:30 EST", BERLIN, utc(2024, 3, 5, 15, 20, 30)),
        ("Tue, 05 Mar 2024 10:20:30 PDT", BERLIN, utc(2024, 3, 5, 17, 20, 30)),
        ("Tue Mar 05 2024 10:20:30 GMT+01:00", None, utc(2024, 3, 5, 9, 20, 30)),
        ("Mar 5, 2024 10:20:30 GMT-0500", None, utc(2024, 3, 5, 15, 20, 30)),
        ("Sat, 13 Sep 275760 00:00:00 GMT", None, MAX),
        ("Tue, 20 Apr -271821 00:00:00 GMT", None, -MAX),
        ("Fri, 01 Jan -0001 00:00:00 GMT", None, -62198755200000.0),
        ("Sat, 01 Jan 0000 00:00:00 GMT", None, -62167219200000.0),
        ("Tue Apr 20 -271821 00:00:00 GMT+0000", None, -MAX),
        # Human forms: local time.
        ("March 5, 2024", NEW_YORK, utc(2024, 3, 5, 5)),
        ("Mar 5, 2024 10:20:30", NEW_YORK, utc(2024, 3, 5, 15, 20, 30)),
        ("Mar 5, 2024 10:20:30", BERLIN, utc(2024, 3, 5, 9, 20, 30)),
        ("Mar 5, 2024 10:20:30.123", None, utc(2024, 3, 5, 10, 20, 30, 123)),
        ("mar 5 2024", None, utc(2024, 3, 5)),
        ("MARCH 5, 2024", None, utc(2024, 3, 5)),
        ("Sept 5, 2024", None, utc(2024, 9, 5)),
        ("5 March 2024", None, utc(2024, 3, 5)),
        ("5 Mar 2024 10:20", None, utc(2024, 3, 5, 10, 20)),
        ("Tuesday, March 5, 2024", None, utc(2024, 3, 5)),
        ("Wed Mar 05 2024", None, utc(2024, 3, 5)),  # a wrong weekday is ignored
        ("Tue Mar 05 2024", BERLIN, utc(2024, 3, 4, 23)),  # toDateString() output
        ("2024/03/05", NEW_YORK, utc(2024, 3, 5, 5)),
        ("2024/3/5", None, utc(2024, 3, 5)),
        ("2024/03/05 10:20", NEW_YORK, utc(2024, 3, 5, 15, 20)),
        ("2024/03/05 10:20:30.5", None, utc(2024, 3, 5, 10, 20, 30, 500)),
        ("2024/03/05 24:00", None, utc(2024, 3, 6)),
        ("12/25/2024", None, utc(2024, 12, 25)),
        ("3/5/2024, 10:20:30 AM", NEW_YORK, utc(2024, 3, 5, 15, 20, 30)),
        ("Mar 5 2024 10:20:30 PM", None, utc(2024, 3, 5, 22, 20, 30)),
        ("Mar 5, 2024 10:20:30 am", None, utc(2024, 3, 5, 10, 20, 30)),
        ("Mar 5, 2024 12:00 AM", None, utc(2024, 3, 5)),
        ("Mar 5, 2024 12:00 PM", None, utc(2024, 3, 5, 12)),
        ("Mar 5, 2024 0:00 AM", None, utc(2024, 3, 5)),
        ("Mar 5, 24", None, utc(2024, 3, 5)),  # two-digit years: 00-49 -> 20xx
        ("3/5/99", None, utc(1999, 3, 5)),  # 50-99 -> 19xx
        ("Feb 30, 2024", None, utc(2024, 3, 1)),
        ("(comment) Mar 5 2024 (another (nested) one)", None, utc(2024, 3, 5)),
        ("Mar 10, 2024 02:30", NEW_YORK, utc(2024, 3, 10, 7, 30)),
        ("Nov 3, 2024 01:30", NEW_YORK, utc(2024, 11, 3, 5, 30)),
    ],
)
def test_parse_other_formats(text: str, tz: dm.TimeZone, expected: float) -> None:
    assert parse_date(text, tz) == expected


def _sample_times(rng: random.Random, n: int) -> list[float]:
    """Whole-second time values over the full range plus the edges."""
    out = [0.0, -1000.0, MAX, -MAX, 951782400000.0, -62167219200000.0, -62198755200000.0]
    while len(out) < n:
        out.append(float(rng.randint(-8_640_000_000_000, 8_640_000_000_000) * 1000))
    return out


@pytest.mark.parametrize("tz", [None, BERLIN, NEW_YORK], ids=["utc", "berlin", "new_york"])
def test_parse_round_trips_to_string(tz: dm.TimeZone) -> None:
    # 20.3.3.2: Date.parse(x.toString()) and Date.parse(x.toUTCString()) give
    # x.valueOf() back for whole-second x.  Sub-minute LMT offsets (before
    # ~1890) cannot survive toString's +HHMM, so zoned samples start in 1900.
    rng = random.Random(3)
    for t in _sample_times(rng, 400):
        assert parse_date(to_utc_string(t), tz) == t
        assert parse_date(to_iso_string(t), tz) == t
        if tz is None or t >= utc(1900, 1, 1):
            assert parse_date(to_string(t, tz), tz) == t, to_string(t, tz)


def test_parse_round_trips_locale_string() -> None:
    rng = random.Random(5)
    lo = utc(100, 1, 1)
    for t in _sample_times(rng, 300):
        if t >= lo:
            assert parse_date(to_locale_string(t, None), None) == t


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------

T = utc(2024, 3, 5, 10, 20, 30)


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (utc(2024, 3, 5, 10, 20, 30, 7), "2024-03-05T10:20:30.007Z"),
        (-1.0, "1969-12-31T23:59:59.999Z"),
        (MAX, "+275760-09-13T00:00:00.000Z"),
        (-MAX, "-271821-04-20T00:00:00.000Z"),
        (-62198755200000.0, "-000001-01-01T00:00:00.000Z"),
        (-62167219200000.0, "0000-01-01T00:00:00.000Z"),
        (utc(9999, 12, 31, 23, 59, 59, 999), "9999-12-31T23:59:59.999Z"),
        (utc(9999, 12, 31, 23, 59, 59, 999) + 1, "+010000-01-01T00:00:00.000Z"),
    ],
)
def test_to_iso_string(t: float, text: str) -> None:
    assert to_iso_string(t) == text


@pytest.mark.parametrize("bad", [NAN, INF, MAX + 1])
def test_to_iso_string_invalid(bad: float) -> None:
    with pytest.raises(ValueError, match="Invalid time value"):
        to_iso_string(bad)


def test_to_utc_string() -> None:
    assert to_utc_string(T) == "Tue, 05 Mar 2024 10:20:30 GMT"
    assert to_utc_string(0.0) == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert to_utc_string(-62198755200000.0) == "Fri, 01 Jan -0001 00:00:00 GMT"
    assert to_utc_string(-62167219200000.0) == "Sat, 01 Jan 0000 00:00:00 GMT"
    assert to_utc_string(MAX) == "Sat, 13 Sep 275760 00:00:00 GMT"
    assert to_utc_string(-MAX) == "Tue, 20 Apr -271821 00:00:00 GMT"
    assert to_utc_string(NAN) == INVALID_DATE == "Invalid Date"


def test_to_string() -> None:
    assert to_string(T, BERLIN) == "Tue Mar 05 2024 11:20:30 GMT+0100 (CET)"
    assert to_string(utc(2024, 7, 5, 10, 20, 30), BERLIN) == "Fri Jul 05 2024 12:20:30 GMT+0200 (CEST)"
    assert to_string(T, NEW_YORK) == "Tue Mar 05 2024 05:20:30 GMT-0500 (EST)"
    assert to_string(T, None) == "Tue Mar 05 2024 10:20:30 GMT+0000 (Coordinated Universal Time)"
    assert to_string(0.0, NEW_YORK) == "Wed Dec 31 1969 19:00:00 GMT-0500 (EST)"
    # Across the Berlin spring-forward instant.
    assert to_string(BERLIN_DST_START - 1, BERLIN) == "Sun Mar 31 2024 01:59:59 GMT+0100 (CET)"
    assert to_string(BERLIN_DST_START, BERLIN) == "Sun Mar 31 2024 03:00:00 GMT+0200 (CEST)"
    # Local mean time offsets print truncated to minutes, as the spec says.
    assert to_string(-62198755200000.0, BERLIN) == "Fri Jan 01 -0001 00:53:28 GMT+0053 (LMT)"
    assert to_string(-62198755200000.0, NEW_YORK) == "Thu Dec 31 -0002 19:03:58 GMT-0456 (LMT)"
    assert to_string(MAX, BERLIN) == "Sat Sep 13 275760 02:00:00 GMT+0200 (CEST)"
    assert to_string(NAN, BERLIN) == "Invalid Date"


def test_fixed_offset_tzinfo() -> None:
    plus_530 = timezone(timedelta(hours=5, minutes=30))
    assert local_offset_ms(T, plus_530) == 5.5 * HOUR
    assert to_string(T, plus_530) == "Tue Mar 05 2024 15:50:30 GMT+0530 (UTC+05:30)"
    assert parse_date("2024-03-05T15:50:30", plus_530) == T


def test_to_date_and_time_string() -> None:
    assert to_date_string(T, BERLIN) == "Tue Mar 05 2024"
    assert to_date_string(utc(2024, 3, 5, 23, 30), BERLIN) == "Wed Mar 06 2024"
    assert to_date_string(utc(2024, 3, 5, 3), NEW_YORK) == "Mon Mar 04 2024"
    assert to_date_string(-MAX, None) == "Tue Apr 20 -271821"
    assert to_time_string(T, BERLIN) == "11:20:30 GMT+0100 (CET)"
    assert to_time_string(T, None) == "10:20:30 GMT+0000 (Coordinated Universal Time)"
    assert to_date_string(NAN, None) == to_time_string(NAN, None) == "Invalid Date"


def test_locale_strings() -> None:
    assert to_locale_date_string(T, None) == "3/5/2024"
    assert to_locale_time_string(T, None) == "10:20:30 AM"
    assert to_locale_string(T, None) == "3/5/2024, 10:20:30 AM"
    assert to_locale_string(T, BERLIN) == "3/5/2024, 11:20:30 AM"
    assert to_locale_string(T, NEW_YORK) == "3/5/2024, 5:20:30 AM"
    assert to_locale_time_string(utc(2024, 3, 5), None) == "12:00:00 AM"
    assert to_locale_time_string(utc(2024, 3, 5, 12), None) == "12:00:00 PM"
    assert to_locale_time_string(utc(2024, 3, 5, 23, 59, 59), None) == "11:59:59 PM"
    assert to_locale_string(utc(2024, 12, 25, 13, 5, 9), None) == "12/25/2024, 1:05:09 PM"
    # en-US shows the era year without the era, like V8/ICU: year 0 is 1 BC.
    assert to_locale_date_string(-62167219200000.0, None) == "1/1/1"
    assert to_locale_date_string(-62198755200000.0, None) == "1/1/2"
    assert to_locale_string(-MAX, None) == "4/20/271822, 12:00:00 AM"
    assert to_locale_string(MAX, None) == "9/13/275760, 12:00:00 AM"
    for fn in (to_locale_string, to_locale_date_string, to_locale_time_string):
        assert fn(NAN, BERLIN) == "Invalid Date"


# ---------------------------------------------------------------------------
# QuickJS oracle comparisons
# ---------------------------------------------------------------------------

FIELD_GETTERS = (
    "getUTCFullYear", "getUTCMonth", "getUTCDate", "getUTCDay",
    "getUTCHours", "getUTCMinutes", "getUTCSeconds", "getUTCMilliseconds",
)


def _random_time_values(n: int) -> list[float]:
    """~n time values: the whole ±8.64e15 range, the modern era, and the exact edges."""
    rng = random.Random(20240305)
    edges = [0.0, -1.0, 1.0, MAX, -MAX, MAX - 1, -MAX + 1, 951782400000.0, -2203891200000.0,
             -62167219200000.0, -62198755200000.0, -62135596800001.0, 253402300800000.0]
    out = list(edges)
    while len(out) < n:
        kind = rng.random()
        if kind < 0.6:
            out.append(float(rng.randint(-8_640_000_000_000_000, 8_640_000_000_000_000)))
        elif kind < 0.9:
            out.append(float(rng.randint(-5_000_000_000_000, 5_000_000_000_000)))
        else:
            # Right at day boundaries, where floor/modulo mistakes show.
            d = rng.randint(-100_000_000, 99_999_999)
            out.append(d * 86_400_000.0 + rng.choice((-1, 0, 1, 86_399_999)))
    return [t for t in out if abs(t) <= MAX]


RANDOM_TIMES = _random_time_values(1000)


def test_oracle_fields_and_strings(js: JS) -> None:
    assert len(RANDOM_TIMES) >= 990
    rows = js(
        f"{json.dumps(RANDOM_TIMES)}.map(t => {{ const d = new Date(t); return ["
        + ", ".join(f"d.{g}()" for g in FIELD_GETTERS)
        + ", d.toISOString(), d.toUTCString(), d.toString(), d.toDateString(), d.toTimeString(),"
        " Date.parse(d.toISOString()), Date.parse(d.toUTCString())]; })"
    )
    mismatches = []
    for t, row in zip(RANDOM_TIMES, rows, strict=True):
        ours = [year_from_time(t), month_from_time(t), date_from_time(t), week_day(t),
                hour_from_time(t), min_from_time(t), sec_from_time(t), ms_from_time(t),
                to_iso_string(t), to_utc_string(t),
                # QuickJS prints no "(zone name)" suffix; the rest must be identical.
                to_string(t, None).removesuffix(" (Coordinated Universal Time)"),
                to_date_string(t, None),
                to_time_string(t, None).removesuffix(" (Coordinated Universal Time)"),
                parse_date(to_iso_string(t), None),
                # toUTCString drops milliseconds; so does its parse.
                parse_date(to_utc_string(t), None)]
        if ours != row:
            mismatches.append((t, ours, row))
    assert mismatches == []


def test_oracle_date_utc(js: JS) -> None:
    rng = random.Random(99)
    cases: list[list[float]] = [
        [2024, 1, 29], [1900, 1, 29], [2000, 1, 29], [99, 0], [0, 0, 1], [100, 0], [-1, 0],
        [2024, 12, 1], [2024, -1, 1], [2024, 0, 0], [2024, 0, 1, 24, 60, 60, 1000],
        [275760, 8, 13], [275760, 8, 13, 0, 0, 0, 1], [-271821, 3, 20], [-271821, 3, 19],
        [275761, 0, -365], [2024.9, 1.9, 29.9, 10.5, 20.5, 30.5, 123.9],
        [-2024.5, -1.5, -3.5, -1.5, -1.5, -1.5, -1.5], [1e9, 0], [-1e9, 0], [2024, 1e10],
        [2024, 0, 1e10], [2024, 0, 1, 1e12], [2024, 0, 1, 0, 0, 0, 1e17],
        [NAN, 0], [2024, NAN], [INF, 0], [2024, 0, -INF], [2024, 0, 1, 0, 0, 0, INF],
    ]
    for _ in range(600):
        kind = rng.random()
        if kind < 0.4:
            year = rng.randint(-271821, 275760)
        elif kind < 0.6:
            year = rng.randint(-150, 150)
        else:
            year = rng.randint(1800, 2200)
        args: list[float] = [year, rng.randint(-30, 30), rng.randint(-400, 400),
                             rng.randint(-50, 50), rng.randint(-100, 100),
                             rng.randint(-100, 100), rng.randint(-2000, 2000)]
        if rng.random() < 0.2:
            args = [a + rng.choice((0.25, 0.5, 0.99, -0.5)) for a in args]
        cases.append(args[: rng.randint(2, 7)])
    src = "[" + ",".join("Date.UTC(" + ",".join(js_number(a) for a in c) + ")" for c in cases) + "]"
    expected = js(src)
    mismatches = [(c, utc_args_to_time(*c), e) for c, e in zip(cases, expected, strict=True)
                  if not same(utc_args_to_time(*c), e)]
    assert mismatches == []


ORACLE_PARSE_CASES = [
    "2024", "2024-03", "2024-03-05", "2024-03-05Z", "2024-03-05T10:20Z",
    "2024-03-05T10:20:30Z", "2024-03-05T10:20:30.123Z", "2024-03-05T10:20:30.1Z",
    "2024-03-05T10:20:30.12345Z", "2024-03-05T10:20:30+01:00", "2024-03-05T10:20:30-11:45",
    "2024-03-05T10:20:30+0100", "2024-03-05T10:20:30.000+23:59", "2024-03-05T24:00:00.000Z",
    "2024-02-29", "2024-02-30", "2024-02-31", "2023-02-29", "2024-04-31", "1900-02-29",
    "+002024-03-05", "-000001-01-01T00:00:00Z", "+275760-09-13T00:00:00.000Z",
    "+275760-09-13T00:00:00.001Z", "-271821-04-20T00:00:00.000Z", "-271821-04-19T23:59:59.999Z",
    "1970-01-01T00:00:00.000-00:00", "2024-03-05T10:20:30+01", "2024-03-05T10:20:30,5Z",
    "2024-03-05T10:20:30.Z", "20240305",
    "2024-03-05T10:20:30Z+01:00", "2024-03-05T10:20:30.000Z ", "foo", "", "10:20:30",
    "Tue Mar 05 2024 10:20:30 GMT+0100 (Central European Standard Time)",
    "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)",
    "Tue, 05 Mar 2024 10:20:30 GMT", "Tue, 5 Mar 2024 10:20:30 +0000",
    "Tue, 05 Mar 2024 10:20:30 UTC", "Tue, 05 Mar 2024 10:20:30 UT", "Tue, 05 Mar 2024 10:20:30 Z",
    "Sat, 13 Sep 275760 00:00:00 GMT", "Sat Sep 13 275760 00:00:00 GMT+0000",
    "Mar 32, 2024", "2024/13/01", "Ma 5 2024", "Mar 5, 2024 13:00 PM",
    # Local-time forms: QuickJS runs with TZ=UTC, ours with tz=None.
    "2024-03-05T10:20", "2024-03-05T10:20:30", "2024-03-05T10:20:30.123", "2024-03-05T24:00",
]


@pytest.mark.parametrize("text", ORACLE_PARSE_CASES)
def test_oracle_parse(js: JS, text: str) -> None:
    assert same(parse_date(text, None), js(f"Date.parse({json.dumps(text)})"))


def test_oracle_parse_random_iso(js: JS) -> None:
    rng = random.Random(42)
    texts = []
    for t in RANDOM_TIMES[:500]:
        iso = to_iso_string(t)
        minutes = rng.randint(-23 * 60 - 59, 23 * 60 + 59)
        if rng.random() < 0.5 and abs(t) < MAX - 86_400_000:
            # Re-express the same instant with a numeric offset.
            f = iso_fields(t + minutes * 60_000.0)
            sign = "+" if minutes >= 0 else "-"
            iso = f"{f}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        texts.append(iso)
    expected = js(f"{json.dumps(texts)}.map(s => Date.parse(s))")
    mismatches = [(s, parse_date(s, None), e) for s, e in zip(texts, expected, strict=True)
                  if not same(parse_date(s, None), e)]
    assert mismatches == []


def iso_fields(t: float) -> str:
    """toISOString without the trailing Z (the wall-clock part)."""
    return to_iso_string(t)[:-1]


def test_oracle_local_time_in_real_zones() -> None:
    """QuickJS with TZ=Europe/Berlin / America/New_York agrees on offsets and new Date(y, m, ...).

    Only away from DST transitions for the local -> UTC direction: QuickJS
    1.19 looks the offset up at "local time read as UTC", which is wrong for
    a few hours around each transition (V8 agrees with us there; the exact
    behaviour is pinned by the hand-written tests above).
    """
    quickjs = pytest.importorskip("quickjs")
    rng = random.Random(1234)
    # 1970-2037 is where the host C library and zoneinfo certainly share data.
    times = [float(rng.randint(0, 2_000_000_000) * 1000) for _ in range(300)]
    times += [BERLIN_DST_START + k * 1_800_000.0 for k in range(-3, 4)]
    times += [BERLIN_DST_END + k * 1_800_000.0 for k in range(-3, 4)]
    times += [NY_DST_START + k * 1_800_000.0 for k in range(-3, 4)]
    times += [NY_DST_END + k * 1_800_000.0 for k in range(-3, 4)]
    all_args = [[rng.randint(1971, 2037), rng.randint(0, 11), rng.randint(1, 28),
                 rng.randint(0, 23), rng.randint(0, 59)] for _ in range(300)]
    for name in ("Europe/Berlin", "America/New_York"):
        zone = ZoneInfo(name)

        def calm(a: list[int]) -> bool:
            t = utc_args_to_time(*map(float, a))
            return local_offset_ms(t - 2 * 86_400_000, zone) == local_offset_ms(t + 2 * 86_400_000, zone)

        local_args = [a for a in all_args if calm(a)]
        assert len(local_args) > 250
        with process_tz(name):
            ctx = quickjs.Context()
            offsets = json.loads(ctx.eval(
                f"JSON.stringify({json.dumps(times)}.map(t => new Date(t).getTimezoneOffset()))"))
            locals_ = json.loads(ctx.eval(
                "JSON.stringify([" + ",".join(f"new Date({a[0]},{a[1]},{a[2]},{a[3]},{a[4]}).getTime()"
                                               for a in local_args) + "])"))
        assert [timezone_offset_minutes(t, zone) for t in times] == offsets, name
        ours = [local_args_to_time(float(a[0]), float(a[1]), float(a[2]), float(a[3]), float(a[4]), tz=zone)
                for a in local_args]
        assert ours == locals_, name

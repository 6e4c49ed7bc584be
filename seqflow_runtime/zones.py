"""Time zones by name, so a task's log can record the zone its ``Date`` ran in.

A log names its zone: an IANA key (``"Europe/Paris"``), ``"UTC"``, or a
fixed offset (``"+05:30"``, ``"-08:00"``). Replay rebuilds the zone from that
name, so a resume under another process's or Flow's zone sees the same local
times the program saw before.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import BadArgumentError, CorruptStateError

_OFFSET = re.compile(r"([+-])(\d\d):(\d\d)(?::(\d\d))?")


def zone_name(zone: tzinfo | None) -> str:
    """The name a log records for ``zone`` (``None`` is UTC); refuses a zone without a stable name."""
    if zone is None:
        return "UTC"
    if isinstance(zone, ZoneInfo) and zone.key:
        return zone.key
    if isinstance(zone, timezone):
        offset = zone.utcoffset(None)
        if not offset:
            return "UTC"
        sign = "-" if offset < timedelta(0) else "+"
        seconds = int(abs(offset).total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    raise BadArgumentError(
        f"timezone must be a zoneinfo.ZoneInfo or a fixed datetime.timezone (a log names it), got {zone!r}")


@lru_cache(maxsize=1)
def _zone_keys() -> dict[str, str]:
    return {key.lower(): key for key in available_timezones()}


def canonical_zone_name(name: str) -> str | None:
    """An IANA zone name as ``Intl.DateTimeFormat``'s ``timeZone`` takes it (any case), in its
    canonical case; ``"UTC"`` for the UTC aliases; ``None`` when there is no such zone."""
    lowered = name.lower()
    if lowered in ("utc", "etc/utc", "etc/gmt", "gmt", "etc/universal", "etc/zulu", "universal", "zulu"):
        return "UTC"
    if _OFFSET.fullmatch(name):
        return name
    return _zone_keys().get(lowered)


def zone_from_name(name: str) -> tzinfo | None:
    """The zone a log names (``None`` for UTC, the runtime's default); a bad name is ``CorruptStateError``."""
    if name == "UTC":
        return None
    match = _OFFSET.fullmatch(name)
    if match:
        sign, hours, minutes, secs = match.groups()
        offset = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(secs or 0))
        if offset >= timedelta(hours=24):
            raise CorruptStateError(f"vmState time zone offset {name!r} is out of range")
        return timezone(-offset if sign == "-" else offset)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise CorruptStateError(f"vmState names an unknown time zone {name!r}") from None

"""FileStorage's file format: a task file is a sequence of checksummed records, appended to.

Each record is one line of JSON, ``[head, batch]`` (see
:func:`~.base.split_task`: the task's head and the log entries it adds), then
a footer line of fixed width, ``#<length>:<crc32>``, giving the JSON line's
length in bytes and its CRC-32. Stored JSON is ASCII with every newline
escaped, so each record is exactly two lines.

The newest record's head is the task, and the concatenation of every
record's batch its log; so a save appends one record, and reading the
current version reads only the last one, backwards from the end. A record
cut short (a writer killed mid-append, a full disk) has no valid footer: it
and anything after it are ignored, and the last whole record stays the task;
the next writer cuts the torn tail off before appending.

A file of an earlier release is one JSON object (it starts with ``{``); it is
read as a whole task, and the next save rewrites it in this format.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from typing import Any

from ..errors import CorruptStateError

_FOOTER = b"#%010d:%08x\n"
FOOTER_SIZE = len(_FOOTER % (0, 0))
"""Bytes of a footer: ``#``, ten digits of length, ``:``, eight hex digits of CRC-32, newline."""


def record(head: dict[str, Any], batch: list[Any]) -> bytes:
    """The bytes of one record: the JSON line and its footer."""
    payload = json.dumps([head, batch], separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return payload + b"\n" + _FOOTER % (len(payload), zlib.crc32(payload))


@dataclass
class Contents:
    """What a task file holds: the last whole record's head, every whole record's batch, and where they end."""

    head: dict[str, Any] | None
    batches: list[Any] = field(default_factory=list)
    #: The offset just past the last whole record (a torn tail starts there).
    end: int = 0
    #: An earlier release's whole task (then ``head`` is ``None``).
    whole: dict[str, Any] | None = None


def _footer(data: bytes, at: int) -> tuple[int, int] | None:
    """The length and CRC of the footer at ``data[at:]``, or ``None`` if none is there."""
    footer = data[at:at + FOOTER_SIZE]
    if len(footer) != FOOTER_SIZE or footer[:1] != b"#" or footer[11:12] != b":" or footer[-1:] != b"\n":
        return None
    try:
        return int(footer[1:11]), int(footer[12:20], 16)
    except ValueError:
        return None


def _payload(data: bytes, start: int, length: int, crc: int) -> Any:
    """The JSON of the payload at ``data[start:start+length]`` if its CRC matches, else ``None``."""
    payload = data[start:start + length]
    if len(payload) != length or zlib.crc32(payload) != crc:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None


def _valid(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], dict)


def scan(data: bytes, name: str, task_id: str) -> Contents:
    """Every whole record of a file's bytes, from the start; a torn tail ends the scan."""
    if data[:1] == b"{":
        try:
            whole = json.loads(data)
        except ValueError as exc:
            raise CorruptStateError(f"FileStorage: {name} is not valid JSON", task_id=task_id) from exc
        if not isinstance(whole, dict):
            raise CorruptStateError(f"FileStorage: {name} is not a JSON object", task_id=task_id)
        return Contents(None, whole=whole, end=len(data))
    contents = Contents(None)
    position = 0
    while True:
        newline = data.find(b"\n", position)
        found = None if newline < 0 else _footer(data, newline + 1)
        if found is None or found[0] != newline - position:
            break
        value = _payload(data, position, *found)
        if not _valid(value):
            break
        contents.head = value[0]
        contents.batches.append(value[1])
        position = newline + 1 + FOOTER_SIZE
        contents.end = position
    if contents.head is None:
        raise CorruptStateError(f"FileStorage: {name} holds no whole record", task_id=task_id)
    return contents


def last_head(fd: int, size: int) -> dict[str, Any] | None:
    """The last record's head, read backwards from the end of the open file; ``None`` if the tail is not a whole record.

    ``None`` sends the caller to :func:`scan` (an earlier release's file, or a torn tail).
    """
    if size < FOOTER_SIZE + 3:
        return None
    found = _footer(os.pread(fd, FOOTER_SIZE, size - FOOTER_SIZE), 0)
    if found is None:
        return None
    length, crc = found
    start = size - FOOTER_SIZE - 1 - length
    if start < 0:
        return None
    # The byte before the payload must end the previous record's footer (or be the file's start).
    before = 0 if start == 0 else 1
    data = os.pread(fd, length + 1 + before, start - before)
    if data[-1:] != b"\n" or (before and data[:1] != b"\n"):
        return None
    value = _payload(data, before, length, crc)
    return value[0] if _valid(value) else None

"""The live programs of paused tasks a Flow keeps in memory for hot resumes.

Bounded in entries and in bytes: each program is sized by its realm's memory
account (an estimate that errs high, see :mod:`.js.guard`), the least
recently used ones go first, and a program bigger than the whole budget is
not kept at all. A task not kept resumes cold, by replaying its log: slower,
never different.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .replay import Execution


@dataclass
class HotEntry:
    """One task's live program at one version of the task."""

    version: int
    execution: Execution
    #: The bytes counted against the cache's budget.
    size: int


class HotCache:
    """Task id -> :class:`HotEntry`, least recently used first, within ``max_entries`` and ``max_bytes``."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        #: The bytes of all entries held.
        self.bytes = 0
        self._entries: OrderedDict[str, HotEntry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, task_id: str) -> bool:
        return task_id in self._entries

    def pop(self, task_id: str) -> HotEntry | None:
        """Take the entry out (only one resume may use a live program), or ``None``."""
        entry = self._entries.pop(task_id, None)
        if entry is not None:
            self.bytes -= entry.size
        return entry

    def put(self, task_id: str, entry: HotEntry) -> bool:
        """Keep ``entry`` as the most recent, evicting the oldest past the bounds; ``False`` (and
        nothing kept for the task) when it alone is over the byte budget."""
        self.pop(task_id)
        if entry.size > self.max_bytes:
            return False
        self._entries[task_id] = entry
        self.bytes += entry.size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, oldest = self._entries.popitem(last=False)
            self.bytes -= oldest.size
        return True

"""A realm's size limits and memory account (:class:`Guard`).

Every limit lives on the realm's guard, never in a module global, so two
tasks with different limits can run at once in two threads. Code that has
the realm at hand reads the guard through it (``rt.check_string``, a bound
method); the realm-free value layer (an array growing through an index
write) finds the guard of the realm running on this thread with
:func:`running_guard`, which the realm sets for the length of a run.

Memory is accounted, not measured, on the hot paths: creating a large string
or growing an array charges its size, and small allocations are estimated
from the growth of the interpreter's block count, sampled at every step
slice. The process's resident size is sampled there too: it sees what the
account cannot (a big dict, a buffer made by a built-in). When the account
passes ``max_memory_bytes``, or the process grew by more than the room the
program had left at the last look (at least an eighth of the limit), the account is checked against the truth
(:func:`reachable_bytes`, a walk of what the program can reach); only a
program that really holds that much is stopped.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import threading
import types
from itertools import chain
from typing import TYPE_CHECKING, Any, Callable, Iterator, NoReturn

from .values import range_error

if TYPE_CHECKING:
    from ..limits import Limits

#: Strings and arrays shorter than this are not charged one by one (the block estimate covers them).
CHARGE_THRESHOLD = 4096
#: Bytes per interpreter block in the estimate of small allocations (a small object or dict).
BLOCK_BYTES = 64
#: How generated code's file names begin (``<seqflow:HASH>``).
GUEST_FILENAME_PREFIX = "<seqflow:"
#: Objects visited between deadline checks in :func:`reachable_bytes`.
_WALK_SLICE = 50_000


class Guard:
    """One realm's size limits and memory account."""

    __slots__ = ("max_string_length", "max_array_length", "max_memory_bytes", "memory", "next_check",
                 "blocks", "stop", "measure", "gap", "recent", "rss_mark", "room", "pending")

    def __init__(self, limits: Limits, stop: Callable[[str, str], NoReturn],
                 measure: Callable[[int], int]) -> None:
        self.max_string_length = limits.max_string_length
        self.max_array_length = limits.max_array_length
        self.max_memory_bytes = limits.max_memory_bytes
        #: Bytes charged (an estimate; see the module docs).
        self.memory = 0
        #: The account above which the truth is measured.
        self.next_check = limits.max_memory_bytes
        #: The last two large strings charged (to credit them back once the program drops them).
        self.recent: list[str | None] = [None, None]
        #: The account's growth allowed past a measurement before the next one.
        self.gap = limits.max_memory_bytes // 2
        #: The interpreter's block count at the last sample; -1 until :meth:`start` (a run begins, or the
        #: first sample of a realm run without one): reading it walks the heap, and a realm is made for
        #: every execution and replay, whose run starts the count again at once.
        self.blocks = -1
        #: The process's resident size at the last look (from :meth:`start` on), and how far it may grow
        #: before the next one.
        self.rss_mark = 0
        self.room = limits.max_memory_bytes
        #: Bytes a built-in is building that the program cannot reach yet (the walk cannot see them).
        self.pending = 0
        #: Ends the task with a limit error (the realm's ``hit_limit``).
        self.stop = stop
        #: The bytes the program really holds, walking no further than the given bound.
        self.measure = measure

    def check_string(self, s: str) -> str:
        """``s`` if it is within the string length limit (else RangeError), charging a large one."""
        n = len(s)
        if n > self.max_string_length:
            raise range_error("Invalid string length")
        if n >= CHARGE_THRESHOLD:
            older = self.recent[0]
            # `s = s + x` in a loop: the string made two charges ago is now held by this guard
            # alone (the list, the local, the call's argument), so the program dropped it: credit it.
            if older is not None and sys.getrefcount(older) <= 3:
                self.memory -= 2 * len(older)
            self.recent[0] = self.recent[1]
            self.recent[1] = s
            # Two bytes a unit, without scanning the text (the walk measures the truth when it matters).
            self.charge(2 * n)
        return s

    def check_length(self, n: int) -> None:
        """RangeError if a string of ``n`` code units would be over the limit (before building it)."""
        if n > self.max_string_length:
            raise range_error("Invalid string length")

    def check_array_length(self, n: int) -> None:
        """RangeError if an array may not have ``n`` elements."""
        if n > self.max_array_length:
            raise range_error("Invalid array length")

    def grow_array(self, n: int, added: int) -> None:
        """An array grows to ``n`` elements, ``added`` of them new: check the limit, charge the growth."""
        if n > self.max_array_length:
            raise range_error("Invalid array length")
        self.charge(8 * added)

    def charge(self, nbytes: int) -> None:
        """Add ``nbytes`` to the account; past the limit, check the truth."""
        self.memory += nbytes
        if self.memory > self.next_check:
            self.verify()

    def start(self) -> None:
        """A run begins: growth is counted from here."""
        self.blocks = sys.getallocatedblocks()
        self.rss_mark = process_rss()

    def sample(self) -> None:
        """Fold the interpreter's block growth since the last sample into the account; check the
        truth when the account or the process grew too much."""
        if self.blocks < 0:
            self.start()  # nothing to fold yet: counted from here
            return
        blocks = sys.getallocatedblocks()
        self.memory = max(0, self.memory + (blocks - self.blocks) * BLOCK_BYTES)
        self.blocks = blocks
        if self.memory > self.next_check or process_rss() - self.rss_mark > self.room:
            self.verify()

    def building(self, since_blocks: int) -> None:
        """A built-in is making values the program cannot reach yet (blocks counted from
        ``since_blocks``): hold them as pending, and sample. The built-in clears ``pending`` after."""
        self.pending = max(0, (sys.getallocatedblocks() - since_blocks) * BLOCK_BYTES)
        self.sample()

    def verify(self) -> None:
        """Measure what the program holds: stop it over the limit, else correct the account."""
        limit = self.max_memory_bytes
        real = self.measure(limit) + self.pending
        if real > limit:
            self.stop("max_memory_bytes", f"Memory limit exceeded (max_memory_bytes: {limit} bytes)")
        self.memory = real
        # The account overestimates, so leave room before the next walk, more after each one: a
        # program growing towards the limit is walked a few times, not at every slice.
        self.gap = min(self.gap * 2, limit)
        self.next_check = max(limit, real + self.gap)
        # Growth of the process past what the program may still add is worth a look (a program that
        # holds close to the limit is looked at after an eighth of it, not at every slice).
        self.room = max(limit - real, limit >> 3)
        self.start()


def _statm_rss() -> int:
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * _PAGE


def _peak_rss() -> int:
    # Where there is no /proc (macOS: bytes, elsewhere KiB): the peak, which still grows with the heap.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak << 10


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
#: The process's resident bytes, read cheaply (a few microseconds, once per step slice).
process_rss: Callable[[], int] = _statm_rss if os.path.exists("/proc/self/statm") else _peak_rss


_running = threading.local()


def running_guard() -> Guard | None:
    """The guard of the realm running on this thread (``None`` outside a run)."""
    guard: Guard | None = getattr(_running, "guard", None)
    return guard


def set_running_guard(guard: Guard | None) -> Guard | None:
    """Make ``guard`` this thread's running one; returns the previous one (to restore)."""
    previous = running_guard()
    _running.guard = guard
    return previous


def _host_namespaces() -> set[int]:
    return {id(vars(m)) for m in list(sys.modules.values()) if m is not None}


_OPAQUE = (type, types.ModuleType, types.CodeType, types.BuiltinFunctionType, types.FrameType)


def _guest_frame_locals() -> list[Any]:
    """The variables of the generated (guest) functions running on this thread's stack:
    a running frame is reachable from no object."""
    out: list[Any] = []
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename.startswith(GUEST_FILENAME_PREFIX):
            out.append(frame.f_locals)
        frame = frame.f_back
    return out


def reachable_bytes(roots: list[Any], bound: int, keep_going: Callable[[], None]) -> int:
    """The bytes of the objects reachable from ``roots`` and the running guest frames,
    stopping once past ``bound``.

    Module namespaces, classes, code and host frames are the host's, not the
    program's, and are not followed. ``keep_going`` is called every few
    thousand objects (it raises to abandon the walk, e.g. at a deadline).

    The walk must not need memory comparable to what it measures: it is
    depth-first over iterators (dicts and lists are read in place, not
    copied), and an object whose only reference is the one being followed
    cannot be met again, so only shared objects are remembered.
    """
    skip = _host_namespaces()
    seen: set[int] = set(skip)
    # Each frame: the children still to visit, and the reference count of a child held only there.
    stack: list[tuple[Iterator[Any], int]] = [(iter([*roots, *_guest_frame_locals()]), 0)]
    total = 0
    visited = 0
    sizeof = sys.getsizeof
    refcount = sys.getrefcount
    was_enabled = gc.isenabled()
    # A collection during the walk could change a dict being read in place.
    gc.disable()
    try:
        while stack:
            children, unique = stack[-1]
            for obj in children:
                t = type(obj)
                if t not in _LEAVES and isinstance(obj, _OPAQUE):
                    continue
                if refcount(obj) > unique:
                    oid = id(obj)
                    if oid in seen:
                        continue
                    seen.add(oid)
                if t in _LEAVES:
                    # Most of a big heap is strings and numbers: counted, nothing to follow.
                    total += sizeof(obj)
                    continue
                total += sizeof(obj, 64)
                if total > bound:
                    return total
                visited += 1
                if visited % _WALK_SLICE == 0:
                    keep_going()
                stack.append(_children(obj))
                break
            else:
                stack.pop()
    finally:
        if was_enabled:
            gc.enable()
    return total


def _children(obj: Any) -> tuple[Iterator[Any], int]:
    """What ``obj`` refers to, and the reference count of a child it alone holds: its reference,
    the walk's loop variable, ``getrefcount``'s argument (and a copied list's)."""
    t = type(obj)
    if t is dict:
        return chain(obj, obj.values()), 3
    if t is list:
        return iter(obj), 3
    return iter(gc.get_referents(obj)), 4


_LEAVES = frozenset({str, int, float, bool, bytes})

"""Room for deeply nested scripts: the parser and code generator recurse per nesting level.

esprima, the scope analysis, the generator and astor all recurse once (or
several times) per level of JS nesting, so a script with a few hundred nested
parentheses exhausts Python's default recursion limit. :func:`call_deep` first
runs the work as is (the common case costs nothing); only when that hits the
recursion limit does it run it again on a thread with a large C stack and a
recursion limit raised to :data:`DEEP_RECURSION_LIMIT` for that call.

The recursion limit is process-wide in CPython 3.11, so other threads see the
raised limit while the call runs; the bound was chosen well below the depth at
which guest code recursing through native callbacks overflows a default 8 MiB
thread stack (measured: 20,000 frames run clean there, 30,000 crash), and the
lock keeps at most one such call at a time.

Whoever raises the limit for a while (this module, the runtime installing
built-ins deep in a guest's recursion) does it through :class:`more_recursion`,
so that overlapping raisings in different threads never leave it raised: the
limit is the highest asked for while any raising lasts, and the one before the
first of them after the last.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import Callable, TypeVar

T = TypeVar("T")

#: The recursion limit while a deep script is transpiled (about 1,000 JS nesting levels).
DEEP_RECURSION_LIMIT = 12_000
#: The stack of the thread that transpiles a deep script (reserved, committed as used).
DEEP_STACK_BYTES = 512 * 1024 * 1024

_lock = threading.Lock()

_limit_lock = threading.Lock()
#: The raisings under way (their ``(extra, at_least)``).
_raisings: list[tuple[int, int]] = []
#: The limit from before the first raising under way (None: the limit is that one).
_base_limit: int | None = None


class more_recursion:
    """While the ``with`` block runs: a recursion limit ``extra`` above the usual one, and at least
    ``at_least`` (the highest of all raisings under way in any thread).

    Leaving lowers it again. From deeper than the lowered limit that fails (RecursionError, raised as
    the block ends) and the limit stays raised until another raising ends: enter it well within the
    usual limit. Entering and leaving call no Python function, so they need no frame of their own.
    """

    __slots__ = ("raising",)

    def __init__(self, extra: int = 0, at_least: int = 0) -> None:
        self.raising = (extra, at_least)

    def __enter__(self) -> None:
        global _base_limit
        with _limit_lock:
            current = sys.getrecursionlimit()
            base = current if _base_limit is None else _base_limit
            extra, at_least = self.raising
            # Only ever raised here, which cannot fail (as lowering can, from too deep).
            sys.setrecursionlimit(max(current, base + extra, at_least))
            _base_limit = base
            _raisings.append(self.raising)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        global _base_limit
        with _limit_lock:
            _raisings.remove(self.raising)
            base = limit = _base_limit or sys.getrecursionlimit()
            for extra, at_least in _raisings:
                limit = max(limit, base + extra, at_least)
            if limit != sys.getrecursionlimit():
                sys.setrecursionlimit(limit)  # fails from too deep: the base is kept for the next raising
            if not _raisings:
                _base_limit = None


def call_deep(work: Callable[[], T]) -> T:
    """``work()``, retried with deep recursion room if it hits the recursion limit.

    Raises :class:`RecursionError` when even the raised limit is not enough.
    """
    try:
        return work()
    except RecursionError:
        pass
    return _on_deep_thread(work)


def _on_deep_thread(work: Callable[[], T]) -> T:
    outcome: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # noqa: BLE001 - handed back to the calling thread
            failure.append(exc)

    thread = threading.Thread(target=target, name="seqflow-deep-transpile", daemon=True)
    with _lock, more_recursion(at_least=DEEP_RECURSION_LIMIT):
        previous_stack = threading.stack_size()
        try:
            # The stack size applies to threads started while it is set.
            threading.stack_size(DEEP_STACK_BYTES)
            try:
                thread.start()
            finally:
                threading.stack_size(previous_stack)
            thread.join()
        except (RuntimeError, ValueError, MemoryError):
            # No thread (or no stack that size) to be had: the script stays too deep.
            raise RecursionError("no room to transpile a deeply nested script") from None
    if failure:
        raise failure[0]
    return outcome[0]

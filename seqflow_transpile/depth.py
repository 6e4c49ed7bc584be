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
"""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")

#: The recursion limit while a deep script is transpiled (about 1,000 JS nesting levels).
DEEP_RECURSION_LIMIT = 12_000
#: The stack of the thread that transpiles a deep script (reserved, committed as used).
DEEP_STACK_BYTES = 512 * 1024 * 1024

_lock = threading.Lock()


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
    with _lock:
        previous_limit = sys.getrecursionlimit()
        previous_stack = threading.stack_size()
        sys.setrecursionlimit(max(previous_limit, DEEP_RECURSION_LIMIT))
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
        finally:
            sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return outcome[0]

"""Deadlines for blocking calls, kept by one thread instead of a timer thread per call.

A storage arms a deadline before a statement and disarms it after; if the
deadline passes first, the thread calls the armed action (shutting a socket
down, so the blocked call fails). Starting a thread per statement cost more
than a hot step's own work on a loaded machine; this thread lives while
deadlines are armed and stops after :data:`IDLE_SECONDS` without any.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

IDLE_SECONDS = 5.0
"""How long the thread waits with nothing armed before it stops (the next arm starts another)."""


class Watchdog:
    """Call an action when its deadline passes unless it was disarmed first.

    Every deadline of one watchdog is armed with the same ``delay``, so they
    come due in the order they were armed: an ordered dict is the queue.
    """

    def __init__(self, delay: float, name: str) -> None:
        self.delay = delay
        self.name = name
        self._armed: OrderedDict[int, tuple[float, Callable[[], None]]] = OrderedDict()
        self._tokens = itertools.count()
        self._wake = threading.Condition()
        self._running = False

    def arm(self, action: Callable[[], None]) -> int:
        """Call ``action`` (on the watchdog's thread) ``delay`` seconds from now; the token disarms it."""
        token = next(self._tokens)
        with self._wake:
            self._armed[token] = (time.monotonic() + self.delay, action)
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name=self.name, daemon=True).start()
        return token

    def disarm(self, token: int) -> None:
        """Forget the deadline (it may already have fired)."""
        with self._wake:
            self._armed.pop(token, None)

    def _run(self) -> None:
        with self._wake:
            try:
                self._serve()
            finally:
                self._running = False  # also if an action raised: the next arm starts a thread again

    def _serve(self) -> None:
        """Fire due actions until nothing was armed for :data:`IDLE_SECONDS` (called holding the lock)."""
        idle_since = time.monotonic()
        while True:
            now = time.monotonic()
            if not self._armed:
                if now - idle_since >= IDLE_SECONDS:
                    return
                self._wake.wait(IDLE_SECONDS - (now - idle_since))
                continue
            idle_since = now
            token, (deadline, action) = next(iter(self._armed.items()))
            if deadline > now:
                self._wake.wait(deadline - now)
                continue
            del self._armed[token]
            self._wake.release()
            try:
                action()
            finally:
                self._wake.acquire()

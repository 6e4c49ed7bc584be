"""Prometheus-style histograms, and the replay figures a Flow's runs report into them.

Only what seqflow needs of the Prometheus text format (exposition 0.0.4):
cumulative ``_bucket{le=...}`` lines, ``_sum`` and ``_count``. No dependency:
the numbers are kept here and rendered by the server's ``/metrics``.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence

#: Seconds buckets for durations (a replay, a worker's lag).
SECONDS_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
#: Event-count buckets for replay lengths.
EVENT_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


class Histogram:
    """Observations counted into fixed upper bounds (``le``), with their sum; safe from any thread."""

    def __init__(self, bounds: Sequence[float]) -> None:
        self.bounds = tuple(sorted(bounds))
        self.counts = [0] * (len(self.bounds) + 1)  # the last one is +Inf
        self.sum = 0.0
        self._lock = threading.Lock()

    def observe(self, value: float) -> None:
        """Count ``value`` in the first bucket whose bound is at least ``value``."""
        with self._lock:
            self.counts[bisect.bisect_left(self.bounds, value)] += 1
            self.sum += value

    @property
    def count(self) -> int:
        """Observations so far."""
        return sum(self.counts)

    def merged(self, others: Sequence[Histogram]) -> Histogram:
        """A new histogram with this one's and ``others``' observations (same bounds)."""
        out = Histogram(self.bounds)
        for h in (self, *others):
            out.counts = [a + b for a, b in zip(out.counts, h.counts)]
            out.sum += h.sum
        return out

    def render(self, name: str, help_text: str) -> list[str]:
        """The Prometheus text lines of this histogram named ``name``."""
        lines = [f"# HELP {name} {help_text}", f"# TYPE {name} histogram"]
        running = 0
        for bound, count in zip((*self.bounds, None), self.counts):
            running += count
            le = "+Inf" if bound is None else _number(bound)
            lines.append(f'{name}_bucket{{le="{le}"}} {running}')
        lines += [f"{name}_sum {_number(self.sum)}", f"{name}_count {running}"]
        return lines


class RunMetrics:
    """What a Flow's runs cost: logged events replayed and seconds taken, per execute/resume/signal.

    Pass :meth:`observe` as a Flow's ``on_run``.
    """

    def __init__(self) -> None:
        self.replayed = Histogram(EVENT_BUCKETS)
        self.seconds = Histogram(SECONDS_BUCKETS)

    def observe(self, what: str, replayed: int, seconds: float) -> None:
        """Record one run (``what``: execute, resume, hot resume, signal...)."""
        self.replayed.observe(replayed)
        self.seconds.observe(seconds)


def _number(value: float) -> str:
    """A float as Prometheus reads it (Python's shortest round-trip spelling)."""
    return repr(float(value))

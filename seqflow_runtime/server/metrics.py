"""``GET /metrics``: tasks by status, the in-process workers' counters, replay and lag histograms (Prometheus text).

Task counts come from the storage (one ``GROUP BY`` on SQL backends), at most
once per :data:`COUNTS_TTL` seconds and off the flow's thread; everything else
is this process's since it started.
"""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from ..metrics import SECONDS_BUCKETS, Histogram
from ..task import TASK_STATUSES
from .state import ServerState, server_state

#: Quantiles of the step latency the summary reports.
QUANTILES = (0.5, 0.9, 0.99)
#: Seconds a storage count of the tasks by status is reused.
COUNTS_TTL = 5.0

_COUNTERS = (
    ("claimed", "tasks claimed by this process's workers"),
    ("steps", "resumes stored (a pause's responses delivered, or a timer fired)"),
    ("completed", "tasks that completed"),
    ("failed", "tasks that ended in an error or were cancelled"),
    ("lost", "steps lost to another writer (compare-and-swap)"),
    ("errors", "tasks that could not be resumed, and storage errors"),
)


def _metric(lines: list[str], name: str, kind: str, text: str, samples: dict[str, float]) -> None:
    lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value}" for labels, value in samples.items()]


async def _task_counts(state: ServerState) -> dict[str, int]:
    cached_at, counts = state.task_counts
    if time.monotonic() - cached_at > COUNTS_TTL:
        counts = await asyncio.to_thread(state.flow.flow.storage.count_by_status)
        state.task_counts = (time.monotonic(), counts)
    return counts


async def metrics(request: Request) -> PlainTextResponse:
    """``GET /metrics``: tasks by status, requests, retries, webhooks, replay length and duration, worker lag."""
    state = server_state(request)
    workers = state.workers
    lines: list[str] = []
    counts = await _task_counts(state)
    _metric(lines, "seqflow_tasks", "gauge", "stored tasks by status (all processes; refreshed every "
            f"{COUNTS_TTL:g} s)", {f'{{status="{s}"}}': counts.get(s, 0) for s in TASK_STATUSES})
    for name, text in _COUNTERS:
        _metric(lines, f"seqflow_worker_{name}_total", "counter", text,
                {"": sum(getattr(w.stats, name) for w in workers)})
    _metric(lines, "seqflow_requests_performed_total", "counter", "requests performed by this process's workers",
            {"": sum(w.stats.performed for w in workers)})
    _metric(lines, "seqflow_request_retries_total", "counter", "requests sent again after a failure or a 429/5xx",
            {"": sum(w.retried for w in workers)})
    _metric(lines, "seqflow_webhooks_total", "counter", "webhook attempts by outcome (retried: will be tried again)",
            {f'{{outcome="{o}"}}': sum(getattr(w.stats, f"webhooks_{o}") for w in workers)
             for o in ("delivered", "retried", "failed")})
    latencies = sorted(x for w in workers for x in w.stats.latencies)
    lines += ["# HELP seqflow_step_seconds seconds from a pause's last response to the next pause stored",
              "# TYPE seqflow_step_seconds summary"]
    for q in QUANTILES:
        if latencies:
            lines.append(f'seqflow_step_seconds{{quantile="{q}"}} '
                         f"{latencies[min(len(latencies) - 1, int(q * len(latencies)))]:.6f}")
    lines += [f"seqflow_step_seconds_sum {sum(latencies):.6f}", f"seqflow_step_seconds_count {len(latencies)}"]
    lines += state.runs.replayed.render("seqflow_replay_events", "logged events replayed per run (0: a hot resume)")
    lines += state.runs.seconds.render("seqflow_run_seconds", "seconds per execute, resume, signal or cancel")
    lag = Histogram(SECONDS_BUCKETS).merged([w.stats.lag for w in workers])
    lines += lag.render("seqflow_worker_lag_seconds", "seconds from a task being due to a worker claiming it")
    _metric(lines, "seqflow_workers", "gauge", "workers running in this process", {"": len(workers)})
    _metric(lines, "seqflow_event_streams", "gauge", "open event streams (GET /api/v1/tasks/{id}/events)",
            {"": state.watch.streams})
    _metric(lines, "seqflow_event_reads_total", "counter", "storage reads the event streams' poller made",
            {"": state.watch.reads})
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")

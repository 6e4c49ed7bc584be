"""``GET /metrics``: the in-process workers' counters and step latencies, in Prometheus' text format."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse

from .state import server_state

#: Quantiles of the step latency the summary reports.
QUANTILES = (0.5, 0.9, 0.99)

_COUNTERS = (
    ("claimed", "tasks claimed by this process's workers"),
    ("steps", "resumes stored (a pause's responses delivered, or a timer fired)"),
    ("completed", "tasks that completed"),
    ("failed", "tasks that ended in an error or were cancelled"),
    ("lost", "steps lost to another writer (compare-and-swap)"),
    ("errors", "tasks that could not be resumed, and storage errors"),
)


async def metrics(request: Request) -> PlainTextResponse:
    """``GET /metrics``: worker counters and step latency (this process, since it started)."""
    workers = server_state(request).workers
    lines: list[str] = []
    for name, text in _COUNTERS:
        lines += [f"# HELP seqflow_worker_{name}_total {text}", f"# TYPE seqflow_worker_{name}_total counter",
                  f"seqflow_worker_{name}_total {sum(getattr(w.stats, name) for w in workers)}"]
    latencies = sorted(x for w in workers for x in w.stats.latencies)
    lines += ["# HELP seqflow_step_seconds seconds from a pause's last response to the next pause stored",
              "# TYPE seqflow_step_seconds summary"]
    for q in QUANTILES:
        if latencies:
            lines.append(f'seqflow_step_seconds{{quantile="{q}"}} '
                         f"{latencies[min(len(latencies) - 1, int(q * len(latencies)))]:.6f}")
    lines += [f"seqflow_step_seconds_sum {sum(latencies):.6f}", f"seqflow_step_seconds_count {len(latencies)}",
              "# HELP seqflow_workers workers running in this process", "# TYPE seqflow_workers gauge",
              f"seqflow_workers {len(workers)}"]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")

"""Resource limits for guest code, with their defaults.

A limit that is hit ends the task with ``status="error"`` and the limit's
code in ``error_details``; guest code cannot catch it, and once one is hit
no further guest step runs (a ``finally`` cannot carry on).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    """Per-execution limits. Every field has a documented default."""

    #: Loop iterations, calls and jobs, per run (steps replayed from the log do not count again).
    max_steps: int = 50_000_000
    #: Wall-clock seconds one run (execute or resume, replay included) may take.
    max_run_seconds: float = 30.0
    #: Approximate bytes a task's strings, arrays and objects may hold (counted, not measured).
    max_memory_bytes: int = 256 << 20
    #: Longest string, in UTF-16 code units.
    max_string_length: int = 1 << 27
    #: Longest array.
    max_array_length: int = 10_000_000
    #: Clock readings (``Date.now()``, ``new Date()``, timers) one run may log.
    max_clock_reads: int = 100_000
    #: Values (objects, arrays, primitives) in a task's result.
    max_result_nodes: int = 1_000_000
    #: Pauses (fetch/timer waits) over a task's life.
    max_pauses: int = 10_000
    #: Outstanding requests at one pause.
    max_outstanding_requests: int = 100
    #: Pending ``waitForSignal`` calls at one time.
    max_signal_waits: int = 1000
    #: Child tasks (``runTask``) one task may start over its life.
    max_child_tasks: int = 100
    #: How deep child tasks may nest: a task started by ``runTask`` this many levels down may not start one.
    max_child_depth: int = 2
    #: Size of the persisted log, in bytes of JSON.
    max_log_bytes: int = 64 << 20
    #: Size of one response body, in bytes.
    max_response_bytes: int = 16 << 20
    #: Console output kept per task, in bytes.
    max_console_bytes: int = 1 << 20
    #: JavaScript source size, in bytes.
    max_source_bytes: int = 256 << 10
    #: Size of a task's ``input``, of one signal's payload and of a child task's result as its parent gets it,
    #: in bytes of JSON.
    max_payload_bytes: int = 1 << 20
    #: Bytes of paused tasks' live programs one Flow keeps for hot resumes (each sized by its
    #: memory account); a task over it resumes cold, by replay.
    hot_cache_bytes: int = 256 << 20

    def to_dict(self) -> dict[str, float]:
        """The limits as a plain dict."""
        return asdict(self)


class LimitExceeded(Exception):
    """A guest hit a limit. Not a JS exception: ``try``/``catch`` cannot stop it."""

    code = "limit_exceeded"

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.message = message

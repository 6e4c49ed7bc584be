"""A task's history as people read it: its pauses, what answered each, and its console lines between them.

A *pause* is a point where the program had nothing left to run and waited on
the outside: the idle point before each event that came from outside (a
response, a timer firing, a signal, a cancellation; see :mod:`.replay`), and
the task's current pause if it is still paused. Pause ``n`` (from 0) is the
idle point before the ``n``-th such event. :meth:`Flow.fork
<seqflow_runtime.flow.Flow.fork>` starts a new task from one of them.

:func:`timeline` replays the log once (bounded by the Flow's limits like any
replay) to learn what the program waited on at each pause and where its
console lines fall; a log that no longer replays (another seqflow, a limit)
still gets its events listed, without those details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seqflow_transpile import transpile

from .errors import SeqflowError
from .limits import Limits
from .loop import Blocked
from .replay import Execution, Log

#: Keys of the log events that do not come from outside (read or done while the program runs).
_RUNNING_KEYS = ("clock", "withdraw")


def pause_positions(events: list[dict[str, Any]]) -> list[int]:
    """Indices in ``events`` of the events from outside: pause ``n`` is the idle point just before the ``n``-th."""
    return [i for i, event in enumerate(events) if not any(key in event for key in _RUNNING_KEYS)]


@dataclass
class Snapshot:
    """What the program waited on at a pause, and how many console lines it had written by then."""

    blocked: Blocked
    console: int


class _Recorder(Execution):
    """An execution that notes, before each logged event from outside, what the program waits on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.snapshots: list[Snapshot] = []

    def _apply(self, event: dict[str, Any]) -> None:
        self.snapshots.append(Snapshot(self.loop.blocked(), len(self.rt.console_output)))
        super()._apply(event)


@dataclass
class Timeline:
    """A task's history as a list of entries (dicts with a ``kind``), and why details are missing, if they are.

    Kinds: ``pause`` (``n``, ``requests`` outstanding, ``wakeAt`` ms,
    ``signals``, ``current``), ``response`` (``request``, ``response``,
    ``status``, ``durationMs``), ``timer``, ``signal`` (``name``,
    ``payload``), ``cancel`` (``reason``), ``console`` (``level``,
    ``message``). Every entry from the log has ``at`` (epoch ms) when known.
    """

    entries: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None


def timeline(state: dict[str, Any], console: list[dict[str, Any]], paused: bool,
             limits: Limits | None = None) -> Timeline:
    """The timeline of the log ``state`` (a task's ``vmState``); ``console`` is the task's stored output."""
    log = Log.from_state(state)
    requests = {str(r.get("id")): r for r in log.requests}
    snapshots, final, note = _replay(log, limits)
    if snapshots is None:
        console_at: list[int] = [0] * len(log.events)
    else:
        console_at = [s.console for s in snapshots]
    out: list[dict[str, Any]] = []
    shown = 0
    for n, index in enumerate(pause_positions(log.events)):
        upto = console_at[n] if n < len(console_at) else shown
        out += [{"kind": "console", **line} for line in console[shown:upto]]
        shown = max(shown, upto)
        snapshot = snapshots[n] if snapshots is not None and n < len(snapshots) else None
        out.append(_pause(n, snapshot.blocked if snapshot else None, current=False))
        out.append(_event(log.events[index], requests))
    out += [{"kind": "console", **line} for line in console[shown:]]
    if paused:
        out.append(_pause(len(pause_positions(log.events)), final, current=True))
    return Timeline(out, note)


def _replay(log: Log, limits: Limits | None) -> tuple[list[Snapshot] | None, Blocked | None, str | None]:
    """Replay ``log`` noting each pause; on any failure, ``None`` and why."""
    try:
        program = transpile(log.code, log.dialect)
        execution = _Recorder(program, log, limits, timezone=log.zone(None))
        outcome = execution.run(live=False)
    except SeqflowError as exc:
        return None, None, f"the log does not replay here ({exc.code}: {exc.message}), so pauses show no details"
    final = Blocked(outcome.requests, outcome.wake_at, outcome.signals) if outcome.status == "paused" else None
    return execution.snapshots, final, None


def _pause(n: int, blocked: Blocked | None, current: bool) -> dict[str, Any]:
    return {"kind": "pause", "n": n, "current": current, "known": blocked is not None,
            "requests": blocked.requests if blocked else [], "wakeAt": blocked.wake_at if blocked else None,
            "signals": blocked.signals if blocked else []}


def _event(event: dict[str, Any], requests: dict[str, dict[str, Any]]) -> dict[str, Any]:
    at = event.get("at")
    if "deliver" in event:
        request = requests.get(str(event["deliver"]), {"id": event["deliver"]})
        response = event.get("response") or {}
        issued = request.get("at")
        status = None if "error" in response else response.get("status", 200)
        return {"kind": "response", "at": at, "request": request, "response": response, "status": status,
                "durationMs": at - issued if isinstance(at, int) and isinstance(issued, int) else None}
    if "wake" in event:
        return {"kind": "timer", "at": event["wake"]}
    if "signal" in event:
        return {"kind": "signal", "at": at, "name": event["signal"], "payload": event.get("payload")}
    return {"kind": "cancel", "at": at, "reason": event.get("cancel")}

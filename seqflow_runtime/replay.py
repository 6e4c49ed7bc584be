"""Drive a program against its log: replay the past, then continue with new events.

A task's durable state is a :class:`Log`: the code, a seed, every request the
program issued, and in order every event that came from outside:

- ``{"clock": ms}``: a clock reading (``Date.now()``, ``new Date()``, timers);
- ``{"deliver": id, "response": {...}}``: a response, at a point where the
  program had nothing else to do;
- ``{"wake": ms}``: at such a point, the earliest timer was due and fired;
- ``{"withdraw": id}``: the program aborted an outstanding request (an
  ``AbortSignal`` on its fetch); logged so that a caller reading the log
  knows the request needs no answer any more;
- ``{"signal": name, "payload": value}``: a signal arrived (``Flow.signal``),
  handed to the first ``waitForSignal(name)`` or kept for the next one;
- ``{"cancel": reason}``: the task was cancelled (``Flow.cancel``);
- ``{"start": id, "code", "name", "input"}``: the program started a child
  task (``runTask``), logged where it did, like a clock reading;
- ``{"child": id, "taskId", "status", "result", "error"}``: the child task
  ``id`` ended, at a point where the program had nothing else to do.

Each new request and each event from outside but a timer's carries ``at``,
the wall-clock epoch milliseconds it was issued or arrived (for people and
the dashboard's durations; replay never compares it, and older logs lack it).

The log also keeps the task's ``input`` (``Flow.execute(input=...)``), which
the program sees as its global ``input``.

Replaying runs the program from the start and hands it the logged events at
the same points. Determinism is the runtime's: ``Math.random`` is seeded, the
clock is the log, the loop is single-threaded. Anything the program does
differently (another request, a clock reading where there was none) is a
:class:`~seqflow_runtime.errors.ReplayDivergenceError` naming the first
difference; nothing is silently accepted.
"""

from __future__ import annotations

import hashlib
import json
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import tzinfo
from types import FrameType
from typing import Any, Callable

from seqflow_transpile import Program

from .errors import CorruptStateError, ForeignStateError, ReplayDivergenceError
from .js.builtins.signals import CANCELLED_ERROR
from .js.convert import from_python, to_python
from .js.execute import GuestError, describe_exception, describe_thrown, start_program
from .js.runtime import Runtime
from .js.values import HIDDEN
from .limits import LimitExceeded, Limits
from .loop import EventLoop, UncaughtInCallback
from .logs import get_logger
from .task import copy_json
from .version import __version__
from .zones import zone_from_name

STATE_FORMAT = "seqflow/1"
logger = get_logger("replay")
#: The codegen version that releases up to 0.1.0 mixed into a log's code hash.
_LEGACY_CODEGEN = "1"


def source_hash(code: str, dialect: str) -> str:
    """A log's code identity: SHA-256 of the dialect and the JS source only.

    The generated Python is not part of it, so a newer seqflow (another
    codegen) replays older logs; divergence detection is the safety net.
    """
    return hashlib.sha256(f"{dialect}\0{code}".encode("utf-8", "surrogatepass")).hexdigest()


def _legacy_hash(code: str, dialect: str) -> str:
    return hashlib.sha256(f"{dialect}\0{_LEGACY_CODEGEN}\0{code}".encode("utf-8", "surrogatepass")).hexdigest()


def _hand_out(live: list[dict[str, Any]], public: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A caller's copy of ``live``, sharing no entry with it, at O(new entries) per call.

    Entries added since the last call go to the caller as they are and the
    log keeps deep copies instead, so nothing a caller holds is ever the live
    log's (a caller who edits a returned ``vm_state`` cannot rewrite history).
    """
    start = len(public)
    public.extend(live[start:])
    # A cold resume hands out the whole log once: the copy is made in C (marshal), not by a JSON round trip.
    live[start:] = copy_json(live[start:])
    return list(public)


def _entries_size(entries: list[dict[str, Any]]) -> int:
    """The UTF-8 size of ``entries``' JSON, one byte more each (a separator), in one C call for all of them.

    The list's JSON is the entries' joined by ", " between brackets: ``2 + sum + 2 (n - 1)`` bytes, so
    ``sum + n`` is that minus ``n``.
    """
    if not entries:
        return 0
    return len(json.dumps(entries, ensure_ascii=False).encode("utf-8", "surrogatepass")) - len(entries)


@dataclass
class Log:
    """The replay log: everything needed to rebuild a program's state."""

    code: str
    code_hash: str
    dialect: str
    seed: int
    events: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    runtime_version: str = __version__
    #: The ``Date`` time zone the program runs in, by name (``None``: a log from before 0.2, which ran in the Flow's).
    timezone: str | None = None
    #: The name JS stacks give the script (``execute(..., filename=)``); ``None``: the default.
    filename: str | None = None
    #: The locale data (``"CLDR 49"``) the program's Intl formatted with; ``None`` until it used Intl.
    #: A replay under other data is accepted unless it changes what the program does (a request, a
    #: clock reading): then it diverges as any replay does, and the error names both versions.
    locale_data: str | None = None
    #: Whether the task was given an input (``input`` is then its value, JSON-shaped; else ``input`` is undefined).
    has_input: bool = False
    input: Any = None
    #: How deep in a tree of child tasks the program runs: 0 unless a ``runTask`` started it.
    depth: int = 0
    # What earlier states handed to callers hold (see :meth:`to_state`), and how much of the log that is.
    _public_events: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)
    _public_requests: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)
    # Running byte counts, so the log-size limit costs O(new events) per pause.
    _counted_events: int = field(default=0, repr=False, compare=False)
    _counted_requests: int = field(default=0, repr=False, compare=False)
    _bytes: int = field(default=0, repr=False, compare=False)

    def byte_size(self) -> int:
        """The size of :meth:`to_state`'s JSON, counted incrementally (to within a few bytes)."""
        if self._bytes == 0:
            self._bytes = 256 + len(json.dumps([self.code, self.input], ensure_ascii=False)
                                    .encode("utf-8", "surrogatepass"))
        self._bytes += _entries_size(self.events[self._counted_events:])
        self._bytes += _entries_size(self.requests[self._counted_requests:])
        self._counted_events = len(self.events)
        self._counted_requests = len(self.requests)
        return self._bytes

    def to_state(self) -> dict[str, Any]:
        """The portable JSON form (``vmState``), unsigned (:mod:`.state_trust` signs it)."""
        state: dict[str, Any] = {
            "format": STATE_FORMAT,
            "runtime": self.runtime_version,
            "codeHash": self.code_hash,
            "dialect": self.dialect,
            "seed": self.seed,
            "code": self.code,
            **({"timezone": self.timezone} if self.timezone is not None else {}),
            **({"filename": self.filename} if self.filename is not None else {}),
            **({"localeData": self.locale_data} if self.locale_data is not None else {}),
            **({"input": self.input} if self.has_input else {}),
            **({"depth": self.depth} if self.depth else {}),
            # Copies of the lists: the live log keeps growing after this state is handed out.
            "requests": list(self.requests),
            "events": list(self.events),
        }
        return state

    def hand_out(self, state: dict[str, Any]) -> dict[str, Any]:
        """``state`` (this log's latest :meth:`to_state`, already saved) as a caller may keep it.

        The caller's events and requests are never the live log's: entries new
        since the last hand-out go to the caller and the log keeps copies, so a
        caller who edits a returned ``vm_state`` cannot rewrite the history a
        live (hot) program saves next. O(new entries) per pause.
        """
        if len(state.get("events", ())) != len(self.events) or len(state.get("requests", ())) != len(self.requests):
            return state  # not this log's latest state (a limit kept the previous one)
        return {**state, "requests": _hand_out(self.requests, self._public_requests),
                "events": _hand_out(self.events, self._public_events)}

    @classmethod
    def from_state(cls, state: Any) -> Log:
        """Read a ``vmState``; refuses corrupt and foreign states (trust is :mod:`.state_trust`'s job)."""
        if not isinstance(state, dict):
            raise CorruptStateError("vmState must be a JSON object")
        if state.get("format") != STATE_FORMAT:
            raise ForeignStateError(f"vmState format {state.get('format')!r} is not {STATE_FORMAT!r}")
        try:
            log = cls(
                code=str(state["code"]),
                code_hash=str(state["codeHash"]),
                dialect=str(state["dialect"]),
                seed=int(state["seed"]),
                events=list(state["events"]),
                requests=list(state["requests"]),
                runtime_version=str(state.get("runtime", "")),
                timezone=None if state.get("timezone") is None else str(state["timezone"]),
                filename=None if state.get("filename") is None else str(state["filename"]),
                locale_data=None if state.get("localeData") is None else str(state["localeData"]),
                has_input="input" in state,
                input=state.get("input"),
                depth=int(state.get("depth", 0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptStateError(f"vmState is missing or has a bad field: {exc}") from None
        if not all(isinstance(e, dict) for e in log.events) or not all(isinstance(r, dict) for r in log.requests):
            raise CorruptStateError("vmState events and requests must be objects")
        if log.code_hash not in (source_hash(log.code, log.dialect), _legacy_hash(log.code, log.dialect)):
            raise ForeignStateError("vmState's codeHash does not match its code")
        return log

    def zone(self, default: tzinfo | None) -> tzinfo | None:
        """The time zone to replay in: the logged one, else (an older log) ``default``."""
        return default if self.timezone is None else zone_from_name(self.timezone)

    def outstanding_ids(self) -> list[str]:
        """Ids of logged requests without a logged response and not withdrawn, in issue order."""
        settled = self.delivered_ids() | self.withdrawn_ids()
        return [str(r.get("id")) for r in self.requests if str(r.get("id")) not in settled]

    def withdrawn_ids(self) -> set[str]:
        """Request ids the program aborted before they were answered."""
        return {str(e["withdraw"]) for e in self.events if "withdraw" in e}

    def child_start(self, child_id: str) -> dict[str, Any] | None:
        """The logged start of the child task ``child_id`` (``{start, code, name, input}``), if any."""
        return next((e for e in self.events if e.get("start") == child_id), None)

    def delivered_ids(self) -> set[str]:
        """Request ids that already have a response in the log."""
        return {str(e["deliver"]) for e in self.events if "deliver" in e}


@dataclass
class Outcome:
    """Where a run stopped."""

    status: str  # "paused" | "completed" | "error" | "cancelled"
    result: Any = None
    error: GuestError | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    wake_at: float | None = None
    #: The signal names a paused program waits on.
    signals: list[str] = field(default_factory=list)
    #: The child tasks a paused program waits on (``{id, name}``).
    children: list[dict[str, Any]] = field(default_factory=list)
    console: list[dict[str, Any]] = field(default_factory=list)


def _same_request(logged: dict[str, Any], issued: dict[str, Any]) -> bool:
    logged_headers = logged.get("headers") or {}
    issued_headers = issued.get("headers") or {}
    if "content-type" not in logged_headers and logged.get("body") is not None:
        # Logs from before 0.3 lack the content type fetch now adds for a body: not a divergence.
        issued_headers = {k: v for k, v in issued_headers.items() if k != "content-type"}
    return (
        logged.get("url") == issued.get("url")
        and logged.get("method", "GET") == issued.get("method", "GET")
        and logged.get("body") == issued.get("body")
        and logged_headers == issued_headers
    )


def _describe_request(request: dict[str, Any]) -> str:
    text = f"{request.get('method', 'GET')} {request.get('url')}"
    if request.get("body") is not None:
        text += f" (body {str(request['body'])[:60]!r})"
    return text


class Execution:
    """One live run of a program: replays its log, then takes new events."""

    def __init__(
        self,
        program: Program,
        log: Log,
        limits: Limits | None = None,
        clock: Callable[[], float] = time.time,
        timezone: tzinfo | None = None,
    ) -> None:
        self.program = program
        self.log = log
        self.wall_clock = clock
        self.cursor = 0
        self.request_cursor = 0
        self.replayed_console = 0
        self.incoming: deque[dict[str, Any]] = deque()
        self.rt = Runtime(limits, seed=log.seed, clock=self._clock, timezone=log.zone(timezone))
        self.rt.dialect = log.dialect
        if log.filename is not None:
            self.rt.filename = log.filename
        if log.has_input:
            # A fresh JS value per run: what the program does to it never reaches the log.
            self.rt.global_object.put("input", from_python(self.rt, log.input), HIDDEN)
        self.loop = EventLoop(self.rt, self._on_request, self._on_withdraw, self._on_child, log.depth)
        #: Child task starts logged (not replayed) since the last :meth:`take_started`: the Flow creates them.
        self.started: list[dict[str, Any]] = []
        self.main: Any = None
        self.finished: Outcome | None = None
        #: New clock readings logged in the current run (``max_clock_reads``).
        self.clock_reads = 0
        # A live run right after a replay (one resume) shares the replay's deadline.
        self._deadline_carried = False
        # Whether this run consumed logged events (replayed steps do not count against the budget).
        self._replayed = False
        # What the program holds beyond the realm, for the memory check.
        self.rt.roots.append(self)

    # -- hooks the runtime calls ---------------------------------------------------------

    def _clock(self) -> float:
        events = self.log.events
        if self.cursor < len(events):
            event = events[self.cursor]
            if "clock" not in event:
                raise ReplayDivergenceError(
                    f"replay diverged: the program read the clock where the log has {self._event_text(event)}",
                    position=self.cursor)
            self.cursor += 1
            return float(event["clock"])
        self.clock_reads += 1
        if self.clock_reads > self.rt.limits.max_clock_reads:
            self.rt.hit_limit("max_clock_reads",
                              f"Clock reading limit exceeded ({self.rt.limits.max_clock_reads} per run)")
        value = float(int(self.wall_clock() * 1000))
        self._log_event({"clock": int(value)})
        return value

    def _on_request(self, request: dict[str, Any]) -> None:
        logged = self.log.requests
        if self.request_cursor < len(logged):
            expected = logged[self.request_cursor]
            if expected.get("id") != request["id"] or not _same_request(expected, request):
                raise ReplayDivergenceError(
                    f"replay diverged at request {self.request_cursor + 1}: the program now issues "
                    f"{_describe_request(request)} where the log has {_describe_request(expected)}",
                    position=self.request_cursor,
                    logged=expected,
                    issued=request,
                )
        else:
            entry = {k: v for k, v in request.items() if v not in (None, {}, "GET") or k == "id"}
            # When it was issued (epoch ms): for people reading the log; replay never compares it.
            entry["at"] = int(self.wall_clock() * 1000)
            logged.append(entry)
        self.request_cursor += 1

    def _on_withdraw(self, request_id: str) -> None:
        events = self.log.events
        if self.cursor < len(events):
            event = events[self.cursor]
            if event.get("withdraw") != request_id:
                raise ReplayDivergenceError(
                    f"replay diverged: the program aborts {request_id} where the log has {self._event_text(event)}",
                    position=self.cursor)
            self.cursor += 1
            return
        self._log_event({"withdraw": request_id})

    def _on_child(self, start: dict[str, Any]) -> None:
        events = self.log.events
        if self.cursor < len(events):
            event = events[self.cursor]
            logged = {k: v for k, v in event.items() if k != "start"}
            if event.get("start") != start["id"] or logged != {k: v for k, v in start.items() if k != "id"}:
                what = self._event_text(event)
                if event.get("start") == start["id"]:
                    what += f" (name {event.get('name')!r}, code {str(event.get('code'))[:60]!r})"
                raise ReplayDivergenceError(
                    f"replay diverged: the program starts child task {start['id']} with other code, name or input "
                    f"(name {start['name']!r}, code {start['code'][:60]!r}) where the log has {what}",
                    position=self.cursor)
            self.cursor += 1
            return
        event = {"start": start["id"], **{k: v for k, v in start.items() if k != "id"}}
        self._log_event(event)
        self.started.append(event)

    def take_started(self) -> list[dict[str, Any]]:
        """The child task starts logged since the last call (the Flow creates those tasks)."""
        started, self.started = self.started, []
        return started

    @staticmethod
    def _event_text(event: dict[str, Any]) -> str:
        if "deliver" in event:
            return f"the response to {event['deliver']}"
        if "withdraw" in event:
            return f"the withdrawal of {event['withdraw']}"
        if "wake" in event:
            return "a timer firing"
        if "signal" in event:
            return f"the signal {event['signal']!r}"
        if "cancel" in event:
            return "a cancellation"
        if "start" in event:
            return f"the start of child task {event['start']}"
        if "child" in event:
            return f"the end of child task {event['child']}"
        return "a clock reading"

    # -- driving ---------------------------------------------------------------------------

    @property
    def replaying(self) -> bool:
        """Whether logged events remain to be consumed."""
        return self.cursor < len(self.log.events)

    def feed(self, deliveries: list[tuple[str, dict[str, Any]]]) -> None:
        """Queue new responses (request id, response envelope) for the next :meth:`run`."""
        for request_id, response in deliveries:
            self.incoming.append({"deliver": request_id, "response": response})

    def send(self, event: dict[str, Any]) -> None:
        """Queue a signal (``{"signal", "payload"}``) or cancellation (``{"cancel"}``) for the next :meth:`run`."""
        self.incoming.append(event)

    def run(self, live: bool = True) -> Outcome:
        """Run until the program completes, fails, or waits on something outside.

        With ``live=False`` it stops where the log ends (the pause point), even
        if a timer is due by now: that is what replaying a task means. A run
        has a fresh step budget and deadline (a live run right after a replay
        keeps the replay's deadline: one resume). A limit, once hit, ends the
        task whatever the program's ``catch``/``finally`` do; a host
        interruption (Ctrl-C) that arrived meanwhile is raised again here.
        """
        if self.finished is not None:
            return self.finished
        rt = self.rt
        deadline = rt.deadline
        previous = rt.begin_run()
        if self._deadline_carried:
            rt.deadline = deadline
        self._deadline_carried = not live
        self.clock_reads = 0
        self._replayed = False
        restore = self._catch_interrupts()
        try:
            try:
                outcome = self._guarded_run(live)
            except ReplayDivergenceError as exc:
                raise self._locale_data_note(exc) from None
            self._note_locale_data()
            if rt.host_interrupt is not None:
                raise rt.host_interrupt
            hit = rt.limit_hit
            if hit is not None and (outcome.error is None or outcome.error.extra.get("limit") != hit.limit):
                # The program swallowed the limit (a `finally` that returns): it still ends the task.
                outcome = self._finish(Outcome("error", error=describe_exception(rt, hit)))
            if self.finished is not None:
                self._close_generators()
            return outcome
        finally:
            restore()
            rt.end_run(previous)

    def _note_locale_data(self) -> None:
        """Record the locale data this run formatted with (the first Intl use sets ``rt.locale_data``)."""
        if self.rt.locale_data is not None:
            self.log.locale_data = self.rt.locale_data

    def _locale_data_note(self, exc: ReplayDivergenceError) -> ReplayDivergenceError:
        """``exc``, saying so when the log's locale data differs from this process's (a likely cause)."""
        logged, now = self.log.locale_data, self.rt.locale_data
        if logged is None or now is None or logged == now:
            return exc
        exc.message = f"{exc.message} (the log was made with locale data {logged}, this replay uses {now})"
        exc.args = (exc.message,)
        exc.details.update(loggedLocaleData=logged, localeData=now)
        return exc

    def _guarded_run(self, live: bool) -> Outcome:
        try:
            if self.main is None:
                self.main = start_program(self.rt, self.program)
            return self._loop(live)
        except ReplayDivergenceError:
            raise
        except (UncaughtInCallback,) as exc:
            return self._finish(Outcome("error", error=describe_exception(self.rt, exc.exc)))
        except BaseException as exc:  # noqa: BLE001 - guest failures end the task, never the host
            if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
            return self._finish(Outcome("error", error=describe_exception(self.rt, exc)))

    def _catch_interrupts(self) -> Callable[[], None]:
        """While guest code runs on the main thread, Ctrl-C is recorded on the realm before it is
        raised, so a guest ``finally`` that swallows it cannot turn it into a completed task."""
        if threading.current_thread() is not threading.main_thread() or \
                signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            return lambda: None
        rt = self.rt

        def on_sigint(signum: int, frame: FrameType | None) -> None:
            rt.interrupt(KeyboardInterrupt())
            raise KeyboardInterrupt

        def restore() -> None:
            signal.signal(signal.SIGINT, signal.default_int_handler)

        signal.signal(signal.SIGINT, on_sigint)
        return restore

    def _close_generators(self) -> None:
        """Close the ended task's suspended guest generators now, so that none runs guest code later
        when the host collects it (every guest step in a ``finally`` then stops the close)."""
        rt = self.rt
        rt.stop_guest()
        for gen in list(rt.generators):
            try:
                gen.close()
            except BaseException as exc:  # noqa: BLE001 - a guest finally must not reach the host
                if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                    raise
        rt.generators.clear()

    def _log_event(self, event: dict[str, Any]) -> None:
        """Append a new event to the log (charged to the program's memory)."""
        self.log.events.append(event)
        self.cursor += 1
        self.rt.guard.charge(128)

    def _take_new(self, event: dict[str, Any]) -> None:
        """Log and apply an event from outside; replay ending here starts a fresh step budget."""
        if self._replayed:
            self._replayed = False
            self.rt.reset_steps()
        if "wake" not in event:
            # When it arrived (epoch ms; a timer's firing is its own time): a request's duration is its
            # response's ``at`` minus its own. The program never sees it, so replay ignores it.
            event = {**event, "at": int(self.wall_clock() * 1000)}
        self._log_event(event)
        self._apply(event)

    def _loop(self, live: bool) -> Outcome:
        loop = self.loop
        events = self.log.events
        while True:
            loop.run_jobs()
            state = self.main.state
            if state != "pending":
                if self.replaying:
                    raise ReplayDivergenceError(
                        "replay diverged: the program finished before the end of its log",
                        position=self.cursor)
                if self.rt.limit_hit is not None:
                    raise self.rt.limit_hit
                if state == "fulfilled":
                    result = to_python(self.rt, self.main.result)
                    return self._finish(Outcome("completed", result=result))
                error = describe_thrown(self.rt, self.main.result)
                # A cancelled program that lets the cancellation through ends cancelled, not failed.
                cancelled = loop.cancel_requested and error.name == CANCELLED_ERROR
                return self._finish(Outcome("cancelled" if cancelled else "error", error=error))
            if self.cursor < len(events):
                event = events[self.cursor]
                self.cursor += 1
                # Each logged event starts a fresh step budget: replayed steps were paid for when they ran.
                self.rt.reset_steps()
                self._replayed = True
                self._apply(event)
                continue
            if not live:
                return self._paused()
            if self.incoming:
                event = self.incoming.popleft()
                if event.get("deliver") in loop.withdrawn:
                    continue  # answered in the same resume as the program aborted it: dropped, as by fetch
                if "child" in event and event["child"] not in loop.children:
                    continue  # a child the program no longer waits on (cancelled meanwhile): dropped
                self._take_new(event)
                continue
            due = loop.earliest_timer()
            if due is not None:
                now = float(int(self.wall_clock() * 1000))
                if due <= now:
                    self._take_new({"wake": int(now)})
                    continue
            return self._paused()

    def _paused(self) -> Outcome:
        blocked = self.loop.blocked()
        if not blocked.requests and blocked.wake_at is None and not blocked.signals and not blocked.children:
            if self.loop.cancel_requested:
                # Cancelled while its waits could never settle (a timer's callback cleared): cancelled.
                error = describe_thrown(self.rt, self.rt.intrinsics["cancelled_error"](self.loop.cancel_reason))
                return self._finish(Outcome("cancelled", error=error))
            message = "The program is waiting on a promise that can never settle (nothing is outstanding)"
            return self._finish(Outcome("error", error=GuestError("Error", message, f"Error: {message}",
                                                                  code="deadlock")))
        return Outcome(
            "paused",
            requests=blocked.requests,
            wake_at=None if blocked.wake_at is None else blocked.wake_at / 1000.0,
            signals=blocked.signals,
            children=blocked.children,
            console=list(self.rt.console_output),
        )

    def _apply(self, event: dict[str, Any]) -> None:
        if "deliver" in event:
            request_id = str(event["deliver"])
            outstanding = self.loop.outstanding.get(request_id)
            if outstanding is None:
                raise ReplayDivergenceError(
                    f"replay diverged: the log answers {request_id}, which the program has not requested here",
                    position=self.cursor - 1)
            settle = self.rt.intrinsics["settle_fetch"]
            response = event.get("response") or {}
            self.loop.deliver(request_id, lambda promise: settle(promise, response, outstanding.request))
        elif "wake" in event:
            if not self.loop.fire_due_timer(float(event["wake"])):
                raise ReplayDivergenceError("replay diverged: the log fires a timer the program does not have",
                                            position=self.cursor - 1)
        elif "signal" in event:
            self.loop.deliver_signal(str(event["signal"]), event.get("payload"))
        elif "cancel" in event:
            reason = event["cancel"]
            self.loop.cancel(None if reason is None else str(reason))
        elif "child" in event and str(event["child"]) in self.loop.children:
            self.loop.deliver_child(str(event["child"]), event)
        else:
            raise ReplayDivergenceError(
                f"replay diverged: the program is idle where the log has {self._event_text(event)}",
                position=self.cursor - 1)

    def _finish(self, outcome: Outcome) -> Outcome:
        outcome.console = list(self.rt.console_output)
        self.finished = outcome
        return outcome


def replay(program: Program, log: Log, limits: Limits | None = None,
           clock: Callable[[], float] = time.time, timezone: tzinfo | None = None) -> tuple[Execution, Outcome]:
    """Run ``program`` through all of ``log``; returns the live execution and where it stands."""
    started = time.perf_counter()
    execution = Execution(program, log, limits, clock, timezone)
    outcome = execution.run(live=False)
    logger.debug("replayed %d events and %d requests in %.1f ms: %s", len(log.events), len(log.requests),
                 (time.perf_counter() - started) * 1000.0, outcome.status)
    return execution, outcome


__all__ = ["Log", "Outcome", "Execution", "replay", "source_hash", "LimitExceeded", "STATE_FORMAT"]

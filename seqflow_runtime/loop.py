"""The event loop: microtasks, durable timers and outstanding fetches.

The loop never waits. It runs jobs until none is runnable and then reports
why it stopped (:class:`Blocked`): the caller (the replay driver) decides
whether to deliver a logged or new event, or to pause the task. Time is
whatever the clock hook says, and the replay driver logs every reading, so
timers fire at the same points on every replay.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from .js.values import JSThrow, call, undefined
from .limits import LimitExceeded


@dataclass
class Timer:
    """A ``setTimeout``/``setInterval`` registration."""

    id: int
    due: float
    callback: Any
    args: tuple[Any, ...]
    interval: float | None = None


@dataclass
class Outstanding:
    """A fetch the program is waiting on."""

    request: dict[str, Any]
    promise: Any
    seq: int


@dataclass
class SignalWait:
    """A ``waitForSignal(name)`` the program is waiting on; ``timer`` is its timeout's, if any."""

    name: str
    promise: Any
    timer: int | None = None


@dataclass
class ChildWait:
    """A ``runTask(...)`` the program is waiting on: the child task's start (``{id, code, name, input}``)."""

    start: dict[str, Any]
    promise: Any


@dataclass
class Blocked:
    """What the loop is waiting for when no job is runnable."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    wake_at: float | None = None
    #: Names of the signals awaited, in the order of their first wait, each once.
    signals: list[str] = field(default_factory=list)
    #: The child tasks awaited (``{id, name}``), in the order they were started.
    children: list[dict[str, Any]] = field(default_factory=list)


class EventLoop:
    """Jobs, timers and fetches of one running program (the runtime's ``host``)."""

    def __init__(self, rt: Any, on_request: Callable[[dict[str, Any]], None],
                 on_withdraw: Callable[[str], None] = lambda request_id: None,
                 on_child: Callable[[dict[str, Any]], None] = lambda start: None, depth: int = 0) -> None:
        self.rt = rt
        self.on_request = on_request
        self.on_withdraw = on_withdraw
        self.on_child = on_child
        #: How deep in a tree of child tasks this program runs (0: started by a caller, not by ``runTask``).
        self.depth = depth
        #: Child tasks started so far (ids ``task-1``, ``task-2``... are stable within the task).
        self.children_started = 0
        #: The child tasks the program waits on, by id, in start order.
        self.children: dict[str, ChildWait] = {}
        #: Requests the program aborted while they were outstanding (a late answer to one is dropped).
        self.withdrawn: set[str] = set()
        self.outstanding: dict[str, Outstanding] = {}
        self.timers: list[tuple[float, int, Timer]] = []
        self.cancelled: set[int] = set()
        self.next_timer = 1
        self.next_request = 1
        #: Signal waits in the order they began (a signal goes to the first of its name).
        self.signal_waits: list[SignalWait] = []
        #: Payloads of signals that arrived while nothing waited on their name, per name in arrival order.
        self.signal_buffer: dict[str, deque[Any]] = {}
        #: Whether a cancellation has been delivered (the program then ends ``cancelled`` unless it completes).
        self.cancel_requested = False
        #: The latest cancellation's reason.
        self.cancel_reason: str | None = None
        rt.host = self

    # -- the guest side (called by the fetch and timer built-ins) ----------------------

    def start_fetch(self, request: dict[str, Any]) -> Any:
        """Register a request; returns the pending promise the program awaits."""
        if len(self.outstanding) >= self.rt.limits.max_outstanding_requests:
            raise LimitExceeded(
                "max_outstanding_requests",
                f"Too many outstanding requests (limit {self.rt.limits.max_outstanding_requests})",
            )
        request_id = f"req-{self.next_request}"
        self.next_request += 1
        request = {"id": request_id, **request}
        self.on_request(request)
        promise = self.rt.intrinsics["new_promise"]()
        self.outstanding[request_id] = Outstanding(request, promise, self.next_request)
        return promise

    def withdraw(self, promise: Any) -> str | None:
        """Withdraw the outstanding request ``promise`` belongs to (an aborted fetch); returns its id."""
        for request_id, outstanding in self.outstanding.items():
            if outstanding.promise is promise:
                del self.outstanding[request_id]
                self.withdrawn.add(request_id)
                self.on_withdraw(request_id)
                return request_id
        return None

    def start_child(self, code: str, name: str | None, has_input: bool, input: Any) -> Any:
        """Register a child task (``runTask``); returns the promise of its result."""
        limits = self.rt.limits
        if self.depth >= limits.max_child_depth:
            raise LimitExceeded("max_child_depth",
                                f"Child task nesting limit exceeded (a task {self.depth} levels down may not "
                                f"start tasks; limit {limits.max_child_depth})")
        if self.children_started >= limits.max_child_tasks:
            raise LimitExceeded("max_child_tasks", f"Child task limit exceeded ({limits.max_child_tasks} per task)")
        self.children_started += 1
        start: dict[str, Any] = {"id": f"task-{self.children_started}", "code": code, "name": name}
        if has_input:
            start["input"] = input
        self.on_child(start)
        promise = self.rt.intrinsics["new_promise"]()
        self.children[start["id"]] = ChildWait(start, promise)
        return promise

    def deliver_child(self, child_id: str, outcome: dict[str, Any]) -> None:
        """Settle the wait on a child task with how it ended (``{status, result, error}``)."""
        wait = self.children.pop(child_id)
        self.rt.intrinsics["settle_child"](wait.promise, outcome)

    def set_timer(self, delay: float, callback: Any, args: tuple[Any, ...], repeat: bool) -> int:
        """Schedule a callback ``delay`` ms from now (clock hook)."""
        timer_id = self.next_timer
        self.next_timer += 1
        delay = max(0.0, delay)
        timer = Timer(timer_id, self.rt.now() + delay, callback, args, delay if repeat else None)
        heapq.heappush(self.timers, (timer.due, timer_id, timer))
        return timer_id

    def clear_timer(self, timer_id: int) -> None:
        """Cancel a timer (unknown ids are ignored, as in browsers)."""
        self.cancelled.add(timer_id)

    def wait_signal(self, name: str, timeout: float | None) -> Any:
        """The promise ``waitForSignal(name)`` returns: settled now by a buffered signal, else waiting.

        With ``timeout`` (ms) a durable timer rejects it with a ``TimeoutError`` unless a signal comes first.
        """
        intrinsics = self.rt.intrinsics
        promise = intrinsics["new_promise"]()
        buffered = self.signal_buffer.get(name)
        if buffered:
            payload = buffered.popleft()
            if not buffered:
                del self.signal_buffer[name]
            intrinsics["settle_signal"](promise, payload)
            return promise
        if len(self.signal_waits) >= self.rt.limits.max_signal_waits:
            raise LimitExceeded("max_signal_waits",
                                f"Too many pending signal waits (limit {self.rt.limits.max_signal_waits})")
        wait = SignalWait(name, promise)
        if timeout is not None:
            def expire() -> None:
                self.signal_waits.remove(wait)
                intrinsics["reject_promise"](promise, intrinsics["signal_timeout_error"](name, timeout))

            wait.timer = self.set_timer(timeout, self.rt.native(lambda this, *_: expire(), "", 0), (), False)
        self.signal_waits.append(wait)
        return promise

    def deliver_signal(self, name: str, payload: Any) -> None:
        """Hand a signal to the earliest wait on ``name``, or keep it for the next one."""
        for wait in self.signal_waits:
            if wait.name == name:
                self.signal_waits.remove(wait)
                if wait.timer is not None:
                    self.clear_timer(wait.timer)
                self.rt.intrinsics["settle_signal"](wait.promise, payload)
                return
        self.signal_buffer.setdefault(name, deque()).append(payload)

    def cancel(self, reason: str | None) -> None:
        """Deliver a cancellation: every pending fetch, signal wait and child task wait rejects with a
        ``CancelledError`` (the Flow cancels the child tasks themselves).

        Timers are cleared (their callbacks never run). Waits the program starts
        afterwards (its cleanup) behave normally, as in Temporal's Python SDK.
        """
        self.cancel_requested = True
        self.cancel_reason = reason
        intrinsics = self.rt.intrinsics
        pending = [o.promise for o in sorted(self.outstanding.values(), key=lambda o: o.seq)]
        self.withdrawn.update(self.outstanding)
        self.outstanding.clear()
        pending.extend(wait.promise for wait in self.signal_waits)
        self.signal_waits.clear()
        pending.extend(wait.promise for wait in self.children.values())
        self.children.clear()
        self.timers.clear()
        self.cancelled.clear()
        for promise in pending:
            intrinsics["reject_promise"](promise, intrinsics["cancelled_error"](reason))

    # -- the driver side -------------------------------------------------------------------

    def run_jobs(self) -> None:
        """Run microtasks until none is left, one step each (an endless promise chain spends the budget)."""
        queue = self.rt.jobs.queue
        tick = self.rt.tick
        while queue:
            tick()
            queue.popleft()()

    def earliest_timer(self) -> float | None:
        """When the next live timer is due."""
        while self.timers and self.timers[0][1] in self.cancelled:
            heapq.heappop(self.timers)
        return self.timers[0][0] if self.timers else None

    def fire_due_timer(self, now: float) -> bool:
        """Run the earliest timer if it is due at ``now``; returns whether one ran."""
        due = self.earliest_timer()
        if due is None or due > now:
            return False
        # A timer firing is a step: an interval at delay 0 cannot fire forever for free.
        self.rt.tick()
        _, _, timer = heapq.heappop(self.timers)
        if timer.interval is not None:
            timer.due = max(now, timer.due) + max(timer.interval, 1.0)
            heapq.heappush(self.timers, (timer.due, timer.id, timer))
        try:
            call(timer.callback, undefined, *timer.args)
        except JSThrow as exc:
            # An exception in a timer callback is uncaught: it ends the program.
            raise UncaughtInCallback(exc) from exc
        return True

    def blocked(self) -> Blocked:
        """The outstanding requests (in issue order), the earliest timer, the awaited signals and child tasks."""
        requests = [o.request for o in sorted(self.outstanding.values(), key=lambda o: o.seq)]
        signals = list(dict.fromkeys(wait.name for wait in self.signal_waits))
        children = [{"id": wait.start["id"], "name": wait.start["name"]} for wait in self.children.values()]
        return Blocked(requests, self.earliest_timer(), signals, children)

    def deliver(self, request_id: str, settle: Callable[[Any], None]) -> None:
        """Settle an outstanding request's promise via ``settle(promise)``."""
        outstanding = self.outstanding.pop(request_id)
        settle(outstanding.promise)


class UncaughtInCallback(Exception):
    """A timer callback threw: the program ends with that error."""

    def __init__(self, exc: JSThrow) -> None:
        super().__init__(str(exc))
        self.exc = exc

"""Tasks: execute a script, pause it on fetch, persist it, resume it anywhere.

:class:`Flow` is the library API. A task's durable state is its replay log
(``vm_state``); resuming replays the program against it, or, when this
process still holds the live program at exactly the stored version,
continues it directly (hot resume). Every save is a compare-and-swap on the
task's version, so of racing resumes exactly one wins.
"""

from __future__ import annotations

import dataclasses

import enum
import functools
import json
import secrets
import time
import uuid
import warnings
from collections import OrderedDict
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar, cast

from seqflow_transpile import DIALECTS, JSSyntaxError, Program, transpile

from .errors import (
    BadArgumentError,
    CodeMismatchError,
    ForeignStateError,
    RequestAlreadyAnsweredError,
    ReplayDivergenceError,
    TaskExistsError,
    TaskExpiredError,
    TaskNotFoundError,
    TaskNotPausedError,
    UnknownRequestError,
    VersionConflictError,
)
from .children import CHILD_CHECK, FollowUps, Work, child_event, child_task_id, is_child_of, taken_event
from .hot_cache import HotCache, HotEntry
from .js.builtins.signals import MAX_SIGNAL_NAME
from .js.execute import check_filename
from .limits import Limits
from .logs import get_logger
from .outbound import hosts_from_env
from .replay import Execution, Log, Outcome, replay, source_hash
from .responses import normalise_response, request_named
from .state_trust import Secret, StateTrust
from .storage import MemoryStorage, Storage, TaskPage
from .storage.base import check_limit, filtered_page
from .storage.legacy import adapt_storage
from .task import TASK_STATUSES, FetchRequest, Task
from .telemetry import span
from .timeline import pause_positions
from .webhooks import check_callback_url
from .zones import zone_name

if TYPE_CHECKING:
    from .performer import Performer

#: Paused tasks' live programs a Flow keeps at most (``Limits.hot_cache_bytes`` bounds their bytes).
HOT_CACHE_SIZE = 64
#: Task versions a Flow remembers having handed out (for binding unnamed answers).
SEEN_CACHE_SIZE = 10_000
#: Seconds a task may wait on its caller after each save, unless the Flow is given another ``ttl``.
DEFAULT_TTL = 7200.0
#: Times ``signal``/``cancel`` without a ``version`` retry after losing a race to another writer.
SEND_ATTEMPTS = 20

logger = get_logger("flow")


def _describe(request: Mapping[str, Any]) -> str:
    return f"{request.get('id')} ({request.get('method', 'GET')} {request.get('url')})"


def _same_time(a: float | None, b: float | None) -> bool:
    """Equal to the millisecond (stored timestamps are not bit-exact floats); NaN and inf never match."""
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.0005


TaskMethod = TypeVar("TaskMethod", bound=Callable[..., Task])


def _traced(name: str, first_is_id: bool = True) -> Callable[[TaskMethod], TaskMethod]:
    """Run a Flow method that returns a task inside the span ``name`` (see :mod:`.telemetry`); the task
    id is an attribute from the start when the method's first argument is one, else once the task exists."""

    def wrap(method: TaskMethod) -> TaskMethod:
        @functools.wraps(method)
        def traced(self: Flow, *args: Any, **kwargs: Any) -> Task:
            given = (args[0] if args else kwargs.get("task_id")) if first_is_id else None
            with span(name, {"seqflow.task_id": given if isinstance(given, str) else None}) as live:
                task = method(self, *args, **kwargs)
                live.set("seqflow.task_id", task.id)
                live.set("seqflow.status", task.status)
                live.set("seqflow.version", task.version)
                return task

        return cast(TaskMethod, traced)

    return wrap


class _Unset(enum.Enum):
    """Marks a parameter the caller did not give (``ttl``: the default, not an explicit choice)."""

    DEFAULT = "default"


def _json_value(value: Any, what: str, limit: int) -> Any:
    """``value`` as plain JSON data (a deep copy), refused with ``BadArgumentError`` unless it is
    JSON (no NaN, no cycles, string keys) of at most ``limit`` bytes."""
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise BadArgumentError(f"{what} must be a JSON value: {exc}") from None
    # json.dumps turns int, float, bool and None keys into strings silently; JSON has only string keys.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if not all(isinstance(k, str) for k in item):
                raise BadArgumentError(f"{what} must be a JSON value: object keys must be strings")
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise BadArgumentError(f"{what} is {size} bytes of JSON, more than max_payload_bytes ({limit})")
    return json.loads(text)


class Flow:
    """Execute and resume durable JavaScript tasks against a storage.

    ``ttl`` is the idle time, in seconds, a paused task waits on its caller
    before it expires: counted from each save, and for a task waiting on a
    timer from the timer's due time (a timer never lets its task expire
    before it is due); ``None`` means tasks never expire. ``secret`` (or a
    list: the first signs, all verify; default ``$SEQFLOW_SECRET``) signs each
    ``vm_state`` for its task with HMAC-SHA256, and ``resume(vm_state=...)``
    accepts only states so signed unless ``unsafe_trust_unsigned_state``
    (see :mod:`.state_trust`);
    ``dialect`` is the default for :meth:`execute` ("standard" or
    "sequential"). ``clock`` returns epoch seconds (tests pass a fake one);
    ``timezone`` is the local time zone JS ``Date`` sees (UTC by default; a
    ``zoneinfo.ZoneInfo`` or a fixed ``datetime.timezone``, recorded by name
    in each new task's log); ``on_console`` receives each new console entry
    once (never again during replay); ``hot_cache_size`` is how many paused
    tasks' live programs this Flow keeps for hot resumes (a worker keeps one
    per task it works on); ``child_check`` is the seconds after which a
    worker looks again at a task's pending child tasks (see :mod:`.children`).
    """

    def __init__(
        self,
        storage: Any = None,
        ttl: float | None | _Unset = _Unset.DEFAULT,
        limits: Limits | None = None,
        secret: Secret = None,
        dialect: str = "standard",
        clock: Callable[[], float] = time.time,
        timezone: tzinfo | None = None,
        on_console: Callable[[str, dict[str, Any]], None] | None = None,
        unsafe_trust_unsigned_state: bool = False,
        hot_cache_size: int = HOT_CACHE_SIZE,
        child_check: float = CHILD_CHECK,
    ) -> None:
        if dialect not in DIALECTS:
            raise BadArgumentError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
        self._ttl_explicit = ttl is not _Unset.DEFAULT
        if ttl is _Unset.DEFAULT:
            ttl = DEFAULT_TTL
        if ttl is not None and (not isinstance(ttl, (int, float)) or isinstance(ttl, bool) or not 0 < ttl < float("inf")):
            raise BadArgumentError("ttl must be a positive number of seconds, or None (never expires)")
        self.storage: Storage = adapt_storage(storage if storage is not None else MemoryStorage())
        self.ttl: float | None = None if ttl is None else float(ttl)
        self.limits = limits or Limits()
        self.trust = StateTrust(secret, unsafe_trust_unsigned_state)
        self.dialect = dialect
        self.clock = clock
        self.timezone = timezone
        self._zone_name = zone_name(timezone)
        self.on_console = on_console
        #: Called after each run that stored a step with (what, logged events replayed, seconds), for
        #: metrics (see :class:`.metrics.RunMetrics`); set by whoever reports them.
        self.on_run: Callable[[str, int, float], None] | None = None
        if not isinstance(hot_cache_size, int) or isinstance(hot_cache_size, bool) or hot_cache_size < 0:
            raise BadArgumentError("hot_cache_size must be an integer >= 0")
        self._hot = HotCache(hot_cache_size, self.limits.hot_cache_bytes)
        if not isinstance(child_check, (int, float)) or isinstance(child_check, bool) or not 0 < child_check < 1e9:
            raise BadArgumentError("child_check must be a positive number of seconds")
        self.child_check = float(child_check)
        self._follow_ups = FollowUps()
        self._seen: OrderedDict[str, int] = OrderedDict()

    # -- execute ---------------------------------------------------------------------------

    @_traced("seqflow.execute", first_is_id=False)
    def execute(self, code: Any, id: str | None = None, name: str | None = None,
                dialect: str | None = None, filename: str | None = None, input: Any = _Unset.DEFAULT,
                auto_fetch: bool = True, callback_url: str | None = None) -> Task:
        """Run ``code`` until it completes, fails or waits; persist and return the task.

        ``input`` (any JSON value, at most ``max_payload_bytes``) is the
        script's global ``input``, a copy made afresh on every run and kept in
        the log; without it ``input`` is undefined. ``code`` may also be the
        seeds' request dict ``{"id", "name", "code", "input"}``.
        A ``UserWarning`` says when the Flow's explicit ``ttl`` is shorter than
        the task's first timer wait (the task is still kept until due + ttl).
        ``filename`` is the name JS stacks give the script (``at f (job.js:3:9)``).
        ``auto_fetch=False`` (``autoFetch``) keeps workers from performing the
        task's requests: a client answers them (timers still fire).
        ``callback_url`` (``callbackUrl``) is where workers POST the task's
        signed webhook once it ends (see :mod:`.webhooks`).
        """
        if isinstance(code, Mapping):
            request = dict(code)
            code = request.get("code")
            id = request.get("id", id)
            name = request.get("name", name)
            dialect = request.get("dialect", dialect)
            input = request.get("input", input)
            auto_fetch = request.get("autoFetch", auto_fetch)
            callback_url = request.get("callbackUrl", callback_url)
        if not isinstance(auto_fetch, bool):
            raise BadArgumentError("autoFetch must be true or false")
        if callback_url is not None:
            callback_url = check_callback_url(callback_url)
        dialect = dialect or self.dialect
        if dialect not in DIALECTS:
            raise BadArgumentError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
        if not isinstance(code, str):
            raise BadArgumentError("code must be a string of JavaScript")
        if len(code.encode("utf-8", "surrogatepass")) > self.limits.max_source_bytes:
            raise BadArgumentError(f"code is larger than max_source_bytes ({self.limits.max_source_bytes})")
        task_id = self._check_id(id) if id is not None else uuid.uuid4().hex
        if name is not None and not isinstance(name, str):
            raise BadArgumentError("name must be a string")
        given_input = input is not _Unset.DEFAULT
        if given_input:
            input = _json_value(input, "input", self.limits.max_payload_bytes)
        log = Log(code=code, code_hash=source_hash(code, dialect), dialect=dialect, seed=secrets.randbits(32),
                  timezone=self._zone_name, filename=None if filename is None else check_filename(filename),
                  has_input=given_input, input=input if given_input else None)
        return self._create(task_id, name, log, None, auto_fetch, callback_url)

    def _create(self, task_id: str, name: str | None, log: Log, parent: dict[str, Any] | None,
                auto_fetch: bool = True, callback_url: str | None = None) -> Task:
        """Store and run a new task for ``log`` (``parent``: the link of a child task to its parent)."""
        if self.storage.load(task_id, include_expired=True) is not None:
            raise TaskExistsError(f"a task with id {task_id!r} already exists", task_id=task_id)
        now = self.clock()
        task = Task(id=task_id, code=log.code, status="paused", name=name, dialect=log.dialect,
                    created_at=now, updated_at=now, expires_at=self._expiry(now, None), parent=parent,
                    auto_fetch=auto_fetch, callback_url=callback_url)
        try:
            program = transpile(log.code, log.dialect)
        except JSSyntaxError as exc:
            task.status = "error"
            task.error = f"SyntaxError: {exc.message}"
            task.error_details = {"name": "SyntaxError", "message": exc.description, "line": exc.line,
                                  "column": exc.column, "code": exc.code, "stack": f"SyntaxError: {exc.message}"}
            self._save(task, None)
            return self._follow_up(task, None, [], 0)
        started = time.perf_counter()
        execution = Execution(program, log, self.limits, self.clock, self.timezone)
        outcome = execution.run()
        self._apply_outcome(task, outcome, log, console_seen=0)
        self._save(task, None)
        self._remember(task, execution)
        self._saw(task)
        self._log_run("execute", task, 0, started)
        self._warn_short_ttl(task, now)
        return self._follow_up(task, execution, [], 0)

    def _warn_short_ttl(self, task: Task, now: float) -> None:
        """Warn when an explicit TTL is shorter than the first timer wait (the task outlives it)."""
        if not self._ttl_explicit or self.ttl is None or task.wake_at is None or task.fetch_requests:
            return
        wait = task.wake_at - now
        if self.ttl < wait:
            warnings.warn(
                f"ttl ({self.ttl:g} s) is shorter than task {task.id!r}'s first timer wait ({wait:g} s): "
                f"the TTL is idle time waiting on the caller, so the task is kept until its timer is due "
                f"plus the TTL", stacklevel=3)

    # -- resume ----------------------------------------------------------------------------

    @_traced("seqflow.resume")
    def resume(self, task_id: Any, fetch_response: Any = None,
               responses: Mapping[str, Any] | None = None, vm_state: Any = None,
               version: int | None = None, **seed_fields: Any) -> Task:
        """Continue a paused task with responses (or, with none, a due timer).

        ``responses={request_id: response}`` answers any subset of the
        outstanding requests. ``fetch_response`` answers the request its
        ``id`` names, else the first outstanding request *of the state the
        caller saw*: ``version`` (stale: ``VersionConflictError``), else the
        version of a ``Task`` given as ``task_id``, else the version this Flow
        last returned or loaded for the task (a Flow that never saw it: the
        current one). ``vm_state`` resumes from a state the caller kept (no
        storage read or write). ``task_id`` may also be the seeds' dict
        ``{"taskId", "vmState", "originalCode", "fetchResponse"}``; there an
        unnamed answer goes to the request outstanding in that ``vmState``,
        and ``originalCode`` must be the task's code.
        """
        original_code: Any = None
        bind_state: Any = None
        if isinstance(task_id, Task):
            version = task_id.version if version is None else version
            task_id = task_id.id
        elif isinstance(task_id, Mapping):
            request = dict(task_id)
            task_id = request.get("taskId", request.get("id"))
            fetch_response = request.get("fetchResponse", fetch_response)
            responses = request.get("responses", responses)
            vm_state = request.get("vmState", vm_state)
            original_code = request.get("originalCode")
            bind_state = request.get("vmState")
        if seed_fields:
            unknown = ", ".join(sorted(seed_fields))
            raise BadArgumentError(f"unexpected arguments to resume: {unknown}")
        if fetch_response is not None and responses:
            raise BadArgumentError("give either fetch_response or responses, not both")
        if responses is not None and not isinstance(responses, Mapping):
            raise BadArgumentError("responses must be a mapping of request id to response")
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise BadArgumentError("version must be an integer (a task's version)")
        task_id = self._check_id(task_id)
        stateless = vm_state is not None
        # Taken out of the cache (not just read): only one concurrent resume may use a live program.
        hot = None if stateless else self._hot.pop(task_id)
        if stateless:
            log = Log.from_state(self.trust.verify(vm_state, task_id))
            now = self.clock()
            task = Task(id=task_id, code=log.code, status="paused", dialect=log.dialect,
                        created_at=now, updated_at=now, expires_at=self._expiry(now, None))
        else:
            task, hot = self._load_at(task_id, hot)
            if task.status != "paused":
                raise TaskNotPausedError(f"task {task_id!r} is {task.status}, not paused", task_id=task_id)
            if version is None and fetch_response is not None and bind_state is None \
                    and request_named(fetch_response, task.dialect == "sequential") is None:
                version = self._seen.get(task_id)  # an unnamed answer means what this Flow last showed
            if version is not None and task.version != version:
                raise VersionConflictError(
                    f"task {task_id!r} is at version {task.version}, not {version}: another resume answered "
                    f"first; reload the task to see what it waits on now",
                    task_id=task_id, expected=version, actual=task.version)
            # The live program of exactly this version needs no re-reading of the stored log.
            # Storage is trusted: a stored state's signature is not checked.
            log = hot.execution.log if hot is not None else Log.from_state(task.vm_state)
        if original_code is not None and original_code != log.code:
            raise CodeMismatchError(
                f"originalCode is not task {task_id!r}'s code: a resume runs the stored code; "
                f"use Flow.migrate to change it", task_id=task_id)
        bound = None
        if bind_state is not None and fetch_response is not None:
            given = log if stateless else Log.from_state(self.trust.verify(bind_state, task_id))
            bound = next(iter(given.outstanding_ids()), None)
        started = time.perf_counter()
        execution, paused = self._execution_at_pause(task, log, hot)
        deliveries = self._deliveries(paused, log, fetch_response, responses, bound)
        events_before = len(execution.log.events)
        console_seen = len(paused.console)
        waited = list(task.children)
        execution.feed(deliveries)
        missing = [] if stateless or deliveries else self._look_at_children(task, execution)
        outcome = execution.run()
        if outcome.status == "paused" and len(execution.log.events) == events_before:
            # Nothing happened (no answer, no due timer): the task is unchanged, but for the next look at
            # its children.
            if not stateless:
                if task.check_at is not None and task.check_at <= self.clock():
                    self._postpone_check(task)
                self._remember(task, execution)
                self._saw(task)
                return self._follow_up(task, execution, [], events_before, missing)
            return task
        self._apply_outcome(task, outcome, execution.log, console_seen)
        if not stateless:
            try:
                self._save(task, task.version - 1)
            except VersionConflictError:
                self._hot.pop(task_id)
                logger.info("task %s: lost a resume race at version %d", task_id, task.version - 1)
                raise
            self._saw(task)
            # Only a stored task's program is kept live: one built from a caller's state must
            # never stand in for the stored task of the same id and version.
            self._remember(task, execution)
        self._log_run("resume" if hot is None else "hot resume", task, 0 if hot else events_before, started)
        if stateless:
            return task
        return self._follow_up(task, execution, waited, events_before, missing)

    def _execution_at_pause(self, task: Task, log: Log, hot: HotEntry | None) -> tuple[Execution, Outcome]:
        """The live program at the task's pause point: ``hot`` (held in memory) or rebuilt by replay."""
        if (task.code, task.dialect) != (log.code, log.dialect):
            # What runs is the log's code: the task's must say the same (the facade checks originalCode on it).
            raise ForeignStateError("the stored task's code or dialect is not its log's", task_id=task.id)
        if hot is not None:
            blocked = hot.execution.loop.blocked()
            paused = Outcome("paused", requests=blocked.requests, signals=blocked.signals,
                             children=blocked.children, console=list(hot.execution.rt.console_output))
            return hot.execution, paused
        with span("seqflow.replay", {"seqflow.task_id": task.id, "seqflow.events": len(log.events)}):
            execution, outcome = replay(self._program(log), log, self.limits, self.clock, self.timezone)
        if outcome.status != "paused":
            raise ReplayDivergenceError(
                f"replay diverged: the program {outcome.status} during replay instead of reaching its pause",
                task_id=task.id)
        if task.version > 0:
            # The stored fields must be what the log produces (see README "Trusting vm_state").
            expected = [r.to_dict() for r in task.fetch_requests]
            got = [FetchRequest.from_dict(r).to_dict() for r in outcome.requests]
            children = [c["id"] for c in outcome.children] != [c.get("id") for c in task.children]
            if got != expected or not _same_time(outcome.wake_at, task.wake_at) or outcome.signals != task.signals \
                    or children:
                raise ReplayDivergenceError(
                    "replay diverged: the program waits on other requests, timers, signals or child tasks than the task "
                    "recorded",
                    task_id=task.id, expected=[r["id"] for r in expected], got=[r["id"] for r in got],
                    expected_wake_at=task.wake_at, got_wake_at=outcome.wake_at,
                    expected_signals=task.signals, got_signals=outcome.signals)
        return execution, outcome

    def _program(self, log: Log) -> Program:
        try:
            return transpile(log.code, log.dialect)
        except JSSyntaxError as exc:
            raise ForeignStateError(f"the state's code does not parse: {exc.message}") from None

    def _deliveries(self, paused: Outcome, log: Log, fetch_response: Any,
                    responses: Mapping[str, Any] | None, bound: str | None) -> list[tuple[str, dict[str, Any]]]:
        """Match the caller's answers to what the program waits on; each goes to its request or is refused."""
        outstanding = [r["id"] for r in paused.requests]
        lenient = log.dialect == "sequential"
        out: list[tuple[str, dict[str, Any]]] = []
        if fetch_response is not None:
            target = request_named(fetch_response, lenient) or bound
            if target is None:
                if not outstanding:
                    raise BadArgumentError("the task waits on no request (a timer or signals): resume it without a "
                                           "response, or send a signal")
                target = outstanding[0]
            out.append((target, fetch_response))
        for request_id, response in (responses or {}).items():
            named = request_named(response, lenient)
            if named is not None and named != request_id:
                raise BadArgumentError(f"the response given for {request_id!r} names request {named!r}")
            out.append((request_id, response))
        for request_id, _ in out:
            if request_id not in outstanding:
                if request_id in log.delivered_ids():
                    raise RequestAlreadyAnsweredError(f"request {request_id!r} was already answered",
                                                      request_id=request_id)
                if request_id in log.withdrawn_ids():
                    raise UnknownRequestError(f"request {request_id!r} was withdrawn: the program aborted it",
                                              request_id=request_id, outstanding=outstanding)
                raise UnknownRequestError(f"the task has no outstanding request {request_id!r}",
                                          request_id=request_id, outstanding=outstanding)
        limit = self.limits.max_response_bytes
        return [(request_id, normalise_response(response, lenient, limit)) for request_id, response in out]

    # -- signals and cancellation --------------------------------------------------------------

    @_traced("seqflow.signal")
    def signal(self, task_id: Any, name: Any, payload: Any = None, version: int | None = None) -> Task:
        """Send the signal ``name`` with ``payload`` (any JSON value) to a paused task; run it to its next pause.

        The signal is appended to the task's log: it settles the first pending
        ``waitForSignal(name)``, or waits in the log for the next one (each
        name's signals are delivered in the order sent). With ``version`` a
        task that moved on is a ``VersionConflictError``; without it a lost
        race to another writer is retried on the new state, so no signal is
        lost. A task that is not paused: ``TaskNotPausedError``.
        """
        if not isinstance(name, str) or not 0 < len(name) <= MAX_SIGNAL_NAME:
            raise BadArgumentError(f"a signal name must be a string of 1 to {MAX_SIGNAL_NAME} characters")
        payload = _json_value(payload, "the signal's payload", self.limits.max_payload_bytes)
        return self._send(task_id, {"signal": name, "payload": payload}, version, f"signal {name!r}")

    @_traced("seqflow.cancel")
    def cancel(self, task_id: Any, reason: Any = None, version: int | None = None) -> Task:
        """Cancel a paused task: every await pending in it rejects with a ``CancelledError``.

        Its timers are cleared. The program may catch the error and clean up
        (its new fetches, timers and signal waits work as usual); the task
        ends ``cancelled`` when the error (or nothing the program can still
        wait on) ends it, else as the program ends. ``reason`` (a string) is
        the error's ``reason`` and in its message. ``version`` as in :meth:`signal`.
        """
        if reason is not None and (not isinstance(reason, str) or len(reason) > 1000):
            raise BadArgumentError("a cancellation reason must be a string of at most 1000 characters")
        return self._send(task_id, {"cancel": reason}, version, "cancellation")

    def _send(self, task_id: Any, event: dict[str, Any], version: int | None, what: str) -> Task:
        """Log ``event`` at a paused task's pause, run on and save; retried on a lost race unless ``version``."""
        task = self._send_if(task_id, event, version, what, None)
        assert task is not None  # without a child to wait on, _send_if raises instead of skipping
        return task

    def _send_if(self, task_id: Any, event: dict[str, Any], version: int | None, what: str,
                 child: str | None) -> Task | None:
        """:meth:`_send`; with ``child`` (a child task's start id), ``None`` unless the task is paused and
        waits on that child (the event is then its outcome, which nothing else needs)."""
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise BadArgumentError("version must be an integer (a task's version)")
        task_id = self._check_id(task_id)
        attempt = 0
        while True:
            attempt += 1
            task, hot = self._load_at(task_id, self._hot.pop(task_id))
            if child is not None and (task.status != "paused" or child not in [c.get("id") for c in task.children]):
                if hot is not None:
                    self._hot.put(task_id, hot)  # untouched: still the live program of the stored version
                return None
            if task.status != "paused":
                raise TaskNotPausedError(f"task {task_id!r} is {task.status}: it takes no {what}", task_id=task_id)
            if version is not None and task.version != version:
                raise VersionConflictError(
                    f"task {task_id!r} is at version {task.version}, not {version}",
                    task_id=task_id, expected=version, actual=task.version)
            log = hot.execution.log if hot is not None else Log.from_state(task.vm_state)
            started = time.perf_counter()
            execution, paused = self._execution_at_pause(task, log, hot)
            events_before = len(execution.log.events)
            waited = list(task.children)
            execution.send(event)
            outcome = execution.run()
            self._apply_outcome(task, outcome, execution.log, len(paused.console))
            try:
                self._save(task, task.version - 1)
            except VersionConflictError:
                if version is not None or attempt == SEND_ATTEMPTS:
                    raise
                logger.info("task %s: %s lost a race at version %d; sending again", task_id, what,
                            task.version - 1)
                continue
            self._saw(task)
            self._remember(task, execution)
            self._log_run(what, task, 0 if hot else events_before, started)
            return self._follow_up(task, execution, waited, events_before)

    # -- child tasks -----------------------------------------------------------------------------

    def _follow_up(self, task: Task, execution: Execution | None, waited: list[dict[str, Any]],
                   events_before: int, missing: list[dict[str, Any]] | None = None) -> Task:
        """After ``task``'s step is saved: create the children it started (and ``missing``, the logged
        starts of children not stored), tell its parent if it ended, cancel the children it waited on
        and no longer does. Returns the newest state of ``task`` (the work may have stepped it on)."""
        work: list[Work] = []
        if execution is not None and task.status == "paused":
            # A task that ended with children just started never waits on them: they are not created.
            depth = execution.log.depth + 1
            work.extend((functools.partial(self._create_child, task, start, depth), True)
                        for start in [*execution.take_started(), *(missing or ())])
        if waited:
            events = execution.log.events[events_before:] if execution is not None else []
            ended = {str(e["child"]) for e in events if "child" in e}
            still = {c.get("id") for c in task.children}
            reason = f"its parent task {task.id} " + ("no longer waits on it" if task.status == "paused"
                                                      else f"ended ({task.status})")
            work.extend((functools.partial(self._cancel_child, str(c["taskId"]), reason), False)
                        for c in waited if c.get("id") not in still and c.get("id") not in ended)
        if task.status != "paused" and task.parent is not None:
            work.append((functools.partial(self._tell_parent, task), True))
        if not work:
            return task
        return self._follow_ups.run(work).get(task.id, task)

    def _create_child(self, parent: Task, start: dict[str, Any], depth: int) -> Task | None:
        """Create and run the child task of a logged start, in its parent's dialect (``None`` if it exists:
        created before, by this step's first attempt or a look at the parent's children)."""
        code, start_id, name = str(start["code"]), str(start["start"]), start.get("name")
        log = Log(code=code, code_hash=source_hash(code, parent.dialect), dialect=parent.dialect,
                  seed=secrets.randbits(32), timezone=self._zone_name, has_input="input" in start,
                  input=start.get("input"), depth=depth)
        child_id = child_task_id(parent.id, start_id)
        try:
            return self._create(child_id, None if name is None else str(name), log,
                                {"taskId": parent.id, "requestId": start_id})
        except TaskExistsError:
            existing = self.storage.load(child_id, include_expired=True)
            if existing is None or is_child_of(existing, parent.id, start_id):
                return None
            return self._send_if(parent.id, taken_event(child_id, start_id), None, f"the start of {child_id}",
                                 start_id)

    def _tell_parent(self, child: Task) -> Task | None:
        """Deliver an ended child's outcome to its parent, if the parent still exists and waits on it."""
        link = child.parent or {}
        start_id = str(link.get("requestId"))
        event = child_event(child, start_id, self.limits.max_payload_bytes)
        try:
            return self._send_if(str(link.get("taskId")), event, None, f"the end of child task {child.id}",
                                 start_id)
        except (TaskNotFoundError, TaskExpiredError):
            return None  # the parent was deleted or expired: nobody waits for the outcome

    def _cancel_child(self, child_id: str, reason: str) -> Task | None:
        """Cancel a child task its parent no longer waits on (nothing if it ended or is gone)."""
        try:
            return self._send(child_id, {"cancel": reason}, None, "cancellation")
        except (TaskNotPausedError, TaskNotFoundError, TaskExpiredError):
            return None

    def _look_at_children(self, task: Task, execution: Execution) -> list[dict[str, Any]]:
        """Hand ``execution`` the outcome of every pending child that ended without its parent hearing of it;
        returns the logged starts of pending children that are not stored (to be created)."""
        missing = []
        for child in task.children:
            child_id, start_id = str(child.get("taskId")), str(child.get("id"))
            stored = self.storage.load(child_id, include_expired=True)
            if stored is None:
                start = execution.log.child_start(start_id)
                if start is not None:
                    missing.append(start)
            elif not is_child_of(stored, task.id, start_id):
                execution.send(taken_event(child_id, start_id))
            elif stored.status != "paused":
                execution.send(child_event(stored, start_id, self.limits.max_payload_bytes))
        return missing

    def _postpone_check(self, task: Task) -> None:
        """Save ``task`` with its next look at its children ``child_check`` seconds from now."""
        now = self.clock()
        task.check_at = now + self.child_check
        task.updated_at = now
        task.expires_at = self._expiry(now, task.wake_at)
        task.version += 1
        self._save(task, task.version - 1)

    # -- migrate -----------------------------------------------------------------------------

    @_traced("seqflow.migrate")
    def migrate(self, task_id: str, new_code: Any) -> Task:
        """Give a paused task new code: its log is replayed against ``new_code``.

        Accepted (the new code stored with the same log, version + 1) when the
        new code issues exactly the logged requests, consumes exactly the
        logged events and reaches an equivalent pause (the same outstanding
        requests and timer). Otherwise ``ReplayDivergenceError`` naming the
        first differing request, and the task is left untouched.
        """
        task_id = self._check_id(task_id)
        if not isinstance(new_code, str):
            raise BadArgumentError("new code must be a string of JavaScript")
        if len(new_code.encode("utf-8", "surrogatepass")) > self.limits.max_source_bytes:
            raise BadArgumentError(f"code is larger than max_source_bytes ({self.limits.max_source_bytes})")
        task = self._load(task_id)
        if task.status != "paused":
            raise TaskNotPausedError(f"task {task_id!r} is {task.status}, not paused", task_id=task_id)
        old = Log.from_state(task.vm_state)
        try:
            program = transpile(new_code, old.dialect)
        except JSSyntaxError as exc:
            raise BadArgumentError(f"the new code does not parse: {exc.message}") from None
        new = Log(code=new_code, code_hash=source_hash(new_code, old.dialect), dialect=old.dialect,
                  seed=old.seed, events=list(old.events), requests=list(old.requests), timezone=old.timezone,
                  filename=old.filename, has_input=old.has_input, input=old.input, depth=old.depth)
        started = time.perf_counter()
        execution, outcome = replay(program, new, self.limits, self.clock, self.timezone)
        self._check_equivalent_pause(task, old, execution, outcome)
        self._hot.pop(task_id)
        now = self.clock()
        task.code = new_code
        task.vm_state = self.trust.sign(new.to_state(), task.id)
        task.stored = None  # the console is the new code's: the whole task is written again
        task.logs = outcome.console
        task.version += 1
        task.updated_at = now
        task.expires_at = self._expiry(now, task.wake_at)
        self._save(task, task.version - 1)
        self._remember(task, execution)
        self._saw(task)
        self._log_run("migrate", task, len(old.events), started)
        return task

    @staticmethod
    def _check_equivalent_pause(task: Task, old: Log, execution: Execution, outcome: Outcome) -> None:
        """Refuse a migration whose replay does not end at the task's pause, naming the first difference."""
        issued = execution.log.requests[:execution.request_cursor]
        if outcome.status != "paused":
            missing = old.requests[len(issued):]
            what = f"; it never issues {_describe(missing[0])}" if missing else ""
            ended = "completes" if outcome.status == "completed" else "fails"
            raise ReplayDivergenceError(
                f"the new code {ended} during replay instead of reaching the task's pause{what}",
                task_id=task.id)
        if len(issued) < len(old.requests):
            first = old.requests[len(issued)]
            raise ReplayDivergenceError(f"the new code pauses without issuing logged request {_describe(first)}",
                                        task_id=task.id, logged=first)
        if len(issued) > len(old.requests):
            extra = issued[len(old.requests)]
            raise ReplayDivergenceError(f"the new code issues {_describe(extra)}, which the log does not have",
                                        task_id=task.id, issued=extra)
        expected = [r.id for r in task.fetch_requests]
        got = [r["id"] for r in outcome.requests]
        children = [c["id"] for c in outcome.children]
        waited = [c.get("id") for c in task.children]
        if got != expected or outcome.wake_at != task.wake_at or outcome.signals != task.signals \
                or children != waited:
            raise ReplayDivergenceError(
                f"the new code pauses waiting on {got or 'no request'} (timer {outcome.wake_at}, signals "
                f"{outcome.signals}, child tasks {children}) where the task waits on {expected or 'no request'} "
                f"(timer {task.wake_at}, signals {task.signals}, child tasks {waited})", task_id=task.id)

    # -- time travel -------------------------------------------------------------------------

    @_traced("seqflow.fork")
    def fork(self, task_id: Any, at_pause: Any, responses: Mapping[str, Any] | None = None,
             id: str | None = None, name: str | None = None) -> Task:
        """Start a new task from pause ``at_pause`` of task ``task_id``, optionally answered differently.

        Pause ``n`` (from 0) is the idle point before the ``n``-th event from
        outside in the task's log (see :mod:`.timeline`); a paused task's
        current pause is the last. The new task's log is the original's up to
        that pause (its code, seed, input, clock readings and requests so
        far), replayed to there, then ``responses`` (``{request_id:
        response}`` for requests outstanding at that pause) delivered and run
        on, as by :meth:`resume`; without them it waits at that pause. The
        original task is not touched. ``id`` (default: a new one) and
        ``name`` (default: the original's) are the new task's.
        """
        source = self._load(self._check_id(task_id))
        if source.vm_state is None:
            raise BadArgumentError(f"task {source.id!r} has no log to fork (its code never ran)")
        new_id = self._check_id(id) if id is not None else uuid.uuid4().hex
        if name is not None and not isinstance(name, str):
            raise BadArgumentError("name must be a string")
        if responses is not None and not isinstance(responses, Mapping):
            raise BadArgumentError("responses must be a mapping of request id to response")
        log = Log.from_state(source.vm_state)
        positions = pause_positions(log.events)
        last = len(positions) if source.status == "paused" else len(positions) - 1
        if not isinstance(at_pause, int) or isinstance(at_pause, bool) or not 0 <= at_pause <= last:
            raise BadArgumentError(f"at_pause must be an integer from 0 to {last}: task {source.id!r} has "
                                   f"{last + 1} pause(s)" if last >= 0 else f"task {source.id!r} never paused")
        if self.storage.load(new_id, include_expired=True) is not None:
            raise TaskExistsError(f"a task with id {new_id!r} already exists", task_id=new_id)
        cut = Log(code=log.code, code_hash=log.code_hash, dialect=log.dialect, seed=log.seed,
                  events=log.events[:positions[at_pause]] if at_pause < len(positions) else list(log.events),
                  requests=list(log.requests), timezone=log.timezone, filename=log.filename,
                  has_input=log.has_input, input=log.input, depth=log.depth)
        started = time.perf_counter()
        execution, paused = replay(self._program(log), cut, self.limits, self.clock, self.timezone)
        if paused.status != "paused":
            raise ReplayDivergenceError(f"replay diverged: the program {paused.status} before pause {at_pause}",
                                        task_id=source.id)
        # Requests issued after the pause belong to the original's future, not the fork's.
        del cut.requests[execution.request_cursor:]
        now = self.clock()
        task = Task(id=new_id, code=source.code, status="paused", name=source.name if name is None else name,
                    dialect=source.dialect, created_at=now, updated_at=now,
                    pause_count=at_pause + (1 if responses else 0))
        outcome = paused
        if responses:
            execution.feed(self._deliveries(paused, cut, None, responses, None))
            outcome = execution.run()
        self._apply_outcome(task, outcome, cut, len(paused.console))
        self._save(task, None)
        self._saw(task)
        self._remember(task, execution)
        self._log_run(f"fork of {source.id} at pause {at_pause}", task, len(cut.events), started)
        return task

    # -- outcome → task ----------------------------------------------------------------------

    def _apply_outcome(self, task: Task, outcome: Outcome, log: Log, console_seen: int) -> None:
        now = self.clock()
        task.updated_at = now
        task.expires_at = self._expiry(now, outcome.wake_at if outcome.status == "paused" else None)
        task.version += 1
        task.failed_attempts = 0
        task.logs = outcome.console
        if self.on_console is not None:
            for entry in outcome.console[console_seen:]:
                self.on_console(task.id, entry)
        previous_state = task.vm_state
        task.vm_state = self.trust.sign(log.to_state(), task.id)
        task.status = outcome.status  # type: ignore[assignment]
        task.fetch_requests = [FetchRequest.from_dict(r) for r in outcome.requests]
        task.wake_at = outcome.wake_at
        task.signals = list(outcome.signals)
        task.children = [{"id": c["id"], "taskId": child_task_id(task.id, c["id"]), "name": c["name"]}
                         for c in outcome.children]
        task.check_at = now + self.child_check if task.children else None
        if outcome.status == "paused":
            task.pause_count += 1
            if task.pause_count > self.limits.max_pauses:
                self._fail_limit(task, previous_state, "max_pauses",
                                 f"Pause limit exceeded ({self.limits.max_pauses} pauses)")
                return
            size = log.byte_size()
            if size > self.limits.max_log_bytes:
                self._fail_limit(task, previous_state, "max_log_bytes",
                                 f"Log size limit exceeded ({size} > {self.limits.max_log_bytes} bytes)")
                return
        if outcome.status == "completed":
            task.result = outcome.result
        elif outcome.status in ("error", "cancelled") and outcome.error is not None:
            task.error = outcome.error.text
            task.error_details = outcome.error.to_dict()

    def _expiry(self, now: float, wake_at: float | None) -> float | None:
        """When a task saved at ``now`` expires: ``ttl`` idle seconds, counted from its timer if later."""
        if self.ttl is None:
            return None
        return max(now, wake_at if wake_at is not None else now) + self.ttl

    def _log_run(self, what: str, task: Task, replayed: int, started: float) -> None:
        seconds = time.perf_counter() - started
        if self.on_run is not None:
            self.on_run(what, replayed, seconds)
        duration_ms = seconds * 1000.0
        logger.info("task %s: %s -> %s at version %d (%d logged events replayed, %.1f ms)", task.id, what,
                    task.status, task.version, replayed, duration_ms,
                    extra={"task_id": task.id, "operation": what, "status": task.status, "version": task.version,
                           "replayed": replayed, "duration_ms": round(duration_ms, 3)})
        if task.status == "paused":
            logger.debug("task %s: paused on %s, wake_at %s", task.id, [r.id for r in task.fetch_requests],
                         task.wake_at)

    def _fail_limit(self, task: Task, previous_state: Any, limit: str, message: str) -> None:
        """End a task on a persistence limit, keeping its last good log."""
        task.status = "error"
        task.vm_state = previous_state
        task.fetch_requests = []
        task.wake_at = None
        task.signals = []
        task.children = []
        task.check_at = None
        task.error = f"RangeError: {message}"
        task.error_details = {"name": "RangeError", "message": message, "code": "limit_exceeded",
                              "limit": limit, "stack": f"RangeError: {message}", "line": None, "column": None}

    # -- storage -------------------------------------------------------------------------------

    def _save(self, task: Task, expected_version: int | None) -> None:
        if expected_version is None:
            task.version = max(task.version, 1)
            try:
                self.storage.save(task, None)
            except VersionConflictError:
                raise TaskExistsError(f"a task with id {task.id!r} already exists", task_id=task.id) from None
            return
        self.storage.save(task, expected_version)

    def _load(self, task_id: str, head: bool = False) -> Task:
        task = (self.storage.load_head if head else self.storage.load)(task_id, include_expired=True)
        if task is None:
            raise TaskNotFoundError(f"no task with id {task_id!r}", task_id=task_id)
        if task.expired(self.clock()):
            raise TaskExpiredError(f"task {task_id!r} expired", task_id=task_id)
        return task

    def _load_at(self, task_id: str, hot: HotEntry | None) -> tuple[Task, HotEntry | None]:
        """The stored task, and ``hot`` if it is the live program of exactly the stored version.

        With such a program the log is not read from storage (a hot step costs
        the same whatever the log's length): the program's log and console,
        which are what was saved at that version, stand in for the stored ones.
        """
        if hot is None:
            return self._load(task_id), None
        task = self._load(task_id, head=True)
        log, console = hot.execution.log, hot.execution.rt.console_output
        stored = task.stored
        if hot.version != task.version or hot.execution.finished is not None or stored is None \
                or not isinstance(task.vm_state, dict) \
                or (stored.events, stored.requests, stored.logs) != (len(log.events), len(log.requests), len(console)):
            return self._load(task_id), None
        lists = {"events": list(log.events), "requests": list(log.requests)}
        task.vm_state = {key: lists.get(key, value) for key, value in task.vm_state.items()}
        task.logs = list(console)
        task.stored = dataclasses.replace(stored, partial=False)  # whole again: it may be saved
        return task, hot

    def _saw(self, task: Task) -> None:
        """Remember the version of ``task`` this Flow handed out: its unnamed answers bind to it."""
        self._seen[task.id] = task.version
        self._seen.move_to_end(task.id)
        while len(self._seen) > SEEN_CACHE_SIZE:
            self._seen.popitem(last=False)

    def _remember(self, task: Task, execution: Execution) -> None:
        """Keep a paused task's live program (hot resume); the caller's ``vm_state`` shares nothing with it."""
        if task.status != "paused":
            self._hot.pop(task.id)
            return
        if task.vm_state is not None:
            task.vm_state = execution.log.hand_out(task.vm_state)
        # Sized by the realm's memory account: a program over the whole budget is not kept (it
        # resumes cold, by replay).
        self._hot.put(task.id, HotEntry(task.version, execution, execution.rt.guard.memory))

    @staticmethod
    def _check_id(task_id: Any) -> str:
        if not isinstance(task_id, str) or not task_id or len(task_id) > 255:
            raise BadArgumentError("task id must be a non-empty string of at most 255 characters")
        if not task_id.isascii():
            try:
                task_id.encode("utf-8")
            except UnicodeEncodeError:
                # A lone surrogate: every storage keys tasks by UTF-8 text, which cannot hold one.
                raise BadArgumentError("task id must be valid Unicode text (it has a lone surrogate)") from None
        return task_id

    # -- queries ---------------------------------------------------------------------------------

    def get_task(self, task_id: str) -> Task:
        """The stored task (``TaskNotFoundError``/``TaskExpiredError`` otherwise)."""
        task = self._load(self._check_id(task_id))
        self._saw(task)
        return task

    def delete_task(self, task_id: str) -> bool:
        """Delete a task; ``True`` if it existed."""
        self._hot.pop(task_id)
        self._seen.pop(task_id, None)
        return self.storage.delete(self._check_id(task_id))

    def list_tasks(self, status: str | None = None, limit: int = 100, cursor: str | None = None,
                   name: str | None = None, search: str | None = None,
                   due_before: float | None = None) -> TaskPage:
        """A page of tasks by ascending id; pass ``page.next_cursor`` for the next.

        Filters: ``status``; ``name`` (exactly); ``search`` (a case-insensitive
        substring of the id or name); ``due_before`` (epoch seconds: tasks
        whose timer is due by then). ``name`` and ``search`` scan the
        storage's pages (see :func:`~.storage.base.filtered_page`).
        """
        if status is not None and status not in TASK_STATUSES:
            raise BadArgumentError(f"unknown status {status!r}; use one of {', '.join(TASK_STATUSES)}")
        for label, text in (("name", name), ("search", search), ("cursor", cursor)):
            if text is not None and not isinstance(text, str):
                raise BadArgumentError(f"{label} must be a string")
        if due_before is not None and (not isinstance(due_before, (int, float)) or isinstance(due_before, bool)
                                       or due_before != due_before):
            raise BadArgumentError("due_before must be a number of epoch seconds")
        check_limit(limit)
        wake_before = None if due_before is None else float(due_before)
        if name is None and search is None:
            return self.storage.list(status=status, limit=limit, cursor=cursor, wake_before=wake_before)
        return filtered_page(self.storage, status, wake_before, cursor, limit, name, search)

    # -- driving a task to the end in this process -------------------------------------------------

    def run(self, code: Any, id: str | None = None, name: str | None = None, dialect: str | None = None,
            fetch: Callable[[FetchRequest], Mapping[str, Any]] | None = None,
            on_pause: Callable[[Task], None] | None = None,
            sleep: Callable[[float], None] = time.sleep, filename: str | None = None,
            performer: Performer | None = None) -> Task:
        """Execute ``code`` and keep resuming it, performing each pause's requests, until it ends.

        The requests are performed for real, those of one pause in parallel, by
        ``performer`` (by default a :class:`~seqflow_runtime.performer.Performer`
        with the allowlist in ``SEQFLOW_ALLOW_HOSTS`` and secrets from
        ``SEQFLOW_SECRET_<NAME>``; ``pip install 'seqflow-js[http]'``), or one
        at a time by ``fetch(request)``, which returns a response dict. The task
        is persisted after every pause, so an interrupted run can be continued
        with :meth:`drive`.
        """
        task = self.execute(code, id=id, name=name, dialect=dialect, filename=filename)
        return self.drive(task.id, fetch=fetch, on_pause=on_pause, sleep=sleep, task=task, performer=performer)

    def drive(self, task_id: str, fetch: Callable[[FetchRequest], Mapping[str, Any]] | None = None,
              on_pause: Callable[[Task], None] | None = None,
              sleep: Callable[[float], None] = time.sleep, task: Task | None = None,
              performer: Performer | None = None) -> Task:
        """Resume a stored task repeatedly (performing its requests, as :meth:`run`) until it ends or waits only on
        signals; the child tasks it waits on are driven the same way, one after the other."""
        task = task or self.get_task(task_id)
        if fetch is not None:
            one_by_one = fetch
            return self._drive(task, lambda t: {r.id: dict(one_by_one(r)) for r in t.fetch_requests}, on_pause, sleep)
        from .performer import Performer, perform_blocking

        chosen = performer or Performer(allow_hosts=hosts_from_env())
        return perform_blocking(chosen, lambda answer: self._drive(task, answer, on_pause, sleep))

    def _drive(self, task: Task, answer: Callable[[Task], dict[str, dict[str, Any]]],
               on_pause: Callable[[Task], None] | None, sleep: Callable[[float], None]) -> Task:
        while task.status == "paused":
            if on_pause is not None:
                on_pause(task)
            if task.fetch_requests:
                task = self.resume(task.id, responses=answer(task))
                continue
            if task.children:
                before = task.version
                task = self._drive_children(task, answer, sleep)
                if task.version != before:
                    continue
            if task.wake_at is None:
                return task  # only signals can move it on: someone else sends them
            else:
                delay = (task.wake_at or 0) - self.clock()
                if delay > 0:
                    sleep(delay)
                task = self.resume(task.id)
        return task

    def _drive_children(self, task: Task, answer: Callable[[Task], dict[str, dict[str, Any]]],
                        sleep: Callable[[float], None]) -> Task:
        """Drive each child ``task`` waits on as far as it goes; the parent's newest state."""
        for child in list(task.children):
            stored = self.storage.load(str(child.get("taskId")))
            if stored is not None and stored.status == "paused":
                self._drive(stored, answer, None, sleep)
        latest = self._load(task.id)
        if latest.version != task.version or latest.status != "paused":
            return latest
        # An outcome that did not reach the parent, or a child never stored, is seen to here.
        return self.resume(task.id)


def create_flow(storage: Any = None, ttl: float | None | _Unset = _Unset.DEFAULT, limits: Limits | None = None,
                secret: Secret = None, dialect: str = "standard",
                unsafe_trust_unsigned_state: bool = False, **options: Any) -> Flow:
    """A :class:`Flow` (``storage`` may be given positionally, as in the seeds)."""
    return Flow(storage=storage, ttl=ttl, limits=limits, secret=secret, dialect=dialect,
                unsafe_trust_unsigned_state=unsafe_trust_unsigned_state, **options)

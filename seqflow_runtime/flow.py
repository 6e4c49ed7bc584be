"""Tasks: execute a script, pause it on fetch, persist it, resume it anywhere.

:class:`Flow` is the library API. A task's durable state is its replay log
(``vm_state``); resuming replays the program against it, or, when this
process still holds the live program at exactly the stored version,
continues it directly (hot resume). Every save is a compare-and-swap on the
task's version, so of racing resumes exactly one wins.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Callable, Mapping

from seqflow_transpile import DIALECTS, JSSyntaxError, Program, transpile

from .errors import (
    BadArgumentError,
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
from .js.execute import check_filename
from .limits import Limits
from .replay import Execution, Log, Outcome, replay
from .storage import MemoryStorage, Storage, TaskPage
from .storage.legacy import adapt_storage
from .task import FetchRequest, Task

RESPONSE_KEYS = frozenset({"status", "statusText", "headers", "data", "body", "bodyBase64", "error", "success"})
#: Response fields the log keeps (``id``/``timestamp`` of the seeds' envelopes are dropped).
_KEPT_KEYS = ("status", "statusText", "headers", "data", "body", "bodyBase64", "error")
HOT_CACHE_SIZE = 64


@dataclass
class _Hot:
    version: int
    execution: Execution


class Flow:
    """Execute and resume durable JavaScript tasks against a storage.

    ``ttl`` is in seconds (refreshed on every save); ``secret`` signs each
    ``vm_state`` with HMAC-SHA256 so an altered state is refused; ``dialect``
    is the default for :meth:`execute` ("standard" or "sequential").
    ``clock`` returns epoch seconds (tests pass a fake one); ``timezone`` is the
    local time zone JS ``Date`` sees (UTC by default); ``on_console`` receives
    each new console entry once (never again during replay).
    """

    def __init__(
        self,
        storage: Any = None,
        ttl: float = 7200.0,
        limits: Limits | None = None,
        secret: str | bytes | None = None,
        dialect: str = "standard",
        clock: Callable[[], float] = time.time,
        timezone: tzinfo | None = None,
        on_console: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        if dialect not in DIALECTS:
            raise BadArgumentError(f"unknown dialect {dialect!r}; use one of {', '.join(DIALECTS)}")
        if not isinstance(ttl, (int, float)) or isinstance(ttl, bool) or ttl <= 0:
            raise BadArgumentError("ttl must be a positive number of seconds")
        self.storage: Storage = adapt_storage(storage if storage is not None else MemoryStorage())
        self.ttl = float(ttl)
        self.limits = limits or Limits()
        self.secret = secret.encode() if isinstance(secret, str) else secret
        self.dialect = dialect
        self.clock = clock
        self.timezone = timezone
        self.on_console = on_console
        self._hot: OrderedDict[str, _Hot] = OrderedDict()

    # -- execute ---------------------------------------------------------------------------

    def execute(self, code: Any, id: str | None = None, name: str | None = None,
                dialect: str | None = None, filename: str | None = None) -> Task:
        """Run ``code`` until it completes, fails or waits; persist and return the task.

        ``code`` may also be the seeds' request dict ``{"id", "name", "code"}``.
        ``filename`` is the name JS stacks give the script (``at f (job.js:3:9)``).
        """
        if isinstance(code, Mapping):
            request = dict(code)
            code = request.get("code")
            id = request.get("id", id)
            name = request.get("name", name)
            dialect = request.get("dialect", dialect)
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
        if self.storage.load(task_id, include_expired=True) is not None:
            raise TaskExistsError(f"a task with id {task_id!r} already exists", task_id=task_id)
        now = self.clock()
        task = Task(id=task_id, code=code, status="paused", name=name, dialect=dialect,
                    created_at=now, updated_at=now, expires_at=now + self.ttl)
        try:
            program = transpile(code, dialect)
        except JSSyntaxError as exc:
            task.status = "error"
            task.error = f"SyntaxError: {exc.message}"
            task.error_details = {"name": "SyntaxError", "message": exc.description, "line": exc.line,
                                  "column": exc.column, "code": exc.code, "stack": f"SyntaxError: {exc.message}"}
            self._save(task, None)
            return task
        log = Log(code=code, code_hash=program.code_hash, dialect=dialect, seed=secrets.randbits(32))
        execution = Execution(program, log, self.limits, self.clock, self.timezone)
        if filename is not None:
            execution.rt.filename = check_filename(filename)
        outcome = execution.run()
        self._apply_outcome(task, outcome, log, console_seen=0)
        self._save(task, None)
        self._remember(task, execution)
        return task

    # -- resume ----------------------------------------------------------------------------

    def resume(self, task_id: Any, fetch_response: Any = None,
               responses: Mapping[str, Any] | None = None, vm_state: Any = None,
               **seed_fields: Any) -> Task:
        """Continue a paused task with responses (or, with none, a due timer).

        ``fetch_response`` answers the first outstanding request,
        ``responses={request_id: response}`` any subset; ``vm_state`` resumes
        from a state the caller kept (no storage read or write). ``task_id``
        may also be the seeds' dict ``{"taskId", "vmState", "originalCode",
        "fetchResponse"}``.
        """
        if isinstance(task_id, Mapping):
            request = dict(task_id)
            task_id = request.get("taskId", request.get("id"))
            fetch_response = request.get("fetchResponse", fetch_response)
            responses = request.get("responses", responses)
            vm_state = request.get("vmState", vm_state)
        if seed_fields:
            unknown = ", ".join(sorted(seed_fields))
            raise BadArgumentError(f"unexpected arguments to resume: {unknown}")
        if fetch_response is not None and responses:
            raise BadArgumentError("give either fetch_response or responses, not both")
        if responses is not None and not isinstance(responses, Mapping):
            raise BadArgumentError("responses must be a mapping of request id to response")
        task_id = self._check_id(task_id)
        stateless = vm_state is not None
        # Taken out of the cache (not just read): only one concurrent resume may use a live program.
        hot = None if stateless else self._hot.pop(task_id, None)
        if stateless:
            log = Log.from_state(vm_state, self.secret)
            now = self.clock()
            task = Task(id=task_id, code=log.code, status="paused", dialect=log.dialect,
                        created_at=now, updated_at=now, expires_at=now + self.ttl)
        else:
            task = self._load(task_id)
            if task.status != "paused":
                raise TaskNotPausedError(f"task {task_id!r} is {task.status}, not paused", task_id=task_id)
            if hot is not None and (hot.version != task.version or hot.execution.finished is not None):
                hot = None
            # The live program of exactly this version needs no re-reading of the stored log.
            log = hot.execution.log if hot is not None else Log.from_state(task.vm_state, self.secret)
        execution, paused = self._execution_at_pause(task, log, hot)
        deliveries = self._deliveries(paused, log, fetch_response, responses)
        events_before = len(execution.log.events)
        console_seen = len(paused.console)
        execution.feed(deliveries)
        outcome = execution.run()
        if outcome.status == "paused" and len(execution.log.events) == events_before:
            # Nothing happened (no answer, no due timer): the task is unchanged.
            self._remember(task, execution)
            return task
        self._apply_outcome(task, outcome, execution.log, console_seen)
        if not stateless:
            try:
                self._save(task, task.version - 1)
            except VersionConflictError:
                self._hot.pop(task_id, None)
                raise
        self._remember(task, execution)
        return task

    def _execution_at_pause(self, task: Task, log: Log, hot: _Hot | None) -> tuple[Execution, Outcome]:
        """The live program at the task's pause point: ``hot`` (held in memory) or rebuilt by replay."""
        if hot is not None:
            blocked = hot.execution.loop.blocked()
            paused = Outcome("paused", requests=blocked.requests, console=list(hot.execution.rt.console_output))
            return hot.execution, paused
        execution, outcome = replay(self._program(log), log, self.limits, self.clock, self.timezone)
        if outcome.status != "paused":
            raise ReplayDivergenceError(
                f"replay diverged: the program {outcome.status} during replay instead of reaching its pause",
                task_id=task.id)
        if task.version > 0:
            expected = [r.id for r in task.fetch_requests]
            if [r["id"] for r in outcome.requests] != expected:
                raise ReplayDivergenceError(
                    "replay diverged: the program waits on other requests than the task recorded",
                    task_id=task.id, expected=expected, got=[r["id"] for r in outcome.requests])
        return execution, outcome

    def _program(self, log: Log) -> Program:
        try:
            program = transpile(log.code, log.dialect)
        except JSSyntaxError as exc:
            raise ForeignStateError(f"the state's code does not parse: {exc.message}") from None
        if program.code_hash != log.code_hash:
            raise ForeignStateError("the state was made by other code or another codegen version")
        return program

    def _deliveries(self, paused: Outcome, log: Log, fetch_response: Any,
                    responses: Mapping[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
        """Validate the caller's answers against what the program waits on."""
        outstanding = [r["id"] for r in paused.requests]
        sequential = log.dialect == "sequential"
        out: list[tuple[str, dict[str, Any]]] = []
        if fetch_response is not None:
            if not outstanding:
                raise BadArgumentError("the task waits on a timer, not a request: resume it without a response")
            target = outstanding[0]
            named = fetch_response.get("id") if isinstance(fetch_response, Mapping) else None
            if isinstance(named, str) and named in outstanding:
                target = named
            out.append((target, self._envelope(fetch_response, sequential)))
        for request_id, response in (responses or {}).items():
            if request_id not in outstanding:
                if request_id in log.delivered_ids():
                    raise RequestAlreadyAnsweredError(f"request {request_id!r} was already answered",
                                                      request_id=request_id)
                raise UnknownRequestError(f"the task has no outstanding request {request_id!r}",
                                          request_id=request_id, outstanding=outstanding)
            out.append((request_id, self._envelope(response, sequential)))
        return out

    def _envelope(self, response: Any, lenient: bool) -> dict[str, Any]:
        """A response as the log stores it; raw data is accepted in the sequential dialect."""
        if not isinstance(response, Mapping) and not lenient:
            raise BadArgumentError("a response must be a dict (status, headers, data, body, error, ...)")
        if isinstance(response, Mapping) and (RESPONSE_KEYS & set(response) or not lenient):
            envelope = {k: response[k] for k in _KEPT_KEYS if k in response and response[k] is not None}
            status = envelope.get("status", 200)
            if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
                raise BadArgumentError(f"response status must be an integer from 100 to 599, got {status!r}")
            if response.get("success") is False and "error" not in envelope and "status" not in response:
                envelope["status"] = 500
            if "headers" in envelope and not isinstance(envelope["headers"], Mapping):
                raise BadArgumentError("response headers must be a mapping of names to values")
            for key in ("statusText", "body", "bodyBase64", "error"):
                if key in envelope and not isinstance(envelope[key], str):
                    raise BadArgumentError(f"response {key} must be a string")
        else:
            envelope = {"data": response}
        try:
            size = len(json.dumps(envelope, ensure_ascii=False, allow_nan=False).encode("utf-8", "surrogatepass"))
        except (TypeError, ValueError) as exc:
            raise BadArgumentError(f"response must be JSON data: {exc}") from None
        if size > self.limits.max_response_bytes:
            raise BadArgumentError(
                f"response is {size} bytes, over max_response_bytes ({self.limits.max_response_bytes})")
        return envelope

    # -- outcome → task ----------------------------------------------------------------------

    def _apply_outcome(self, task: Task, outcome: Outcome, log: Log, console_seen: int) -> None:
        now = self.clock()
        task.updated_at = now
        task.expires_at = now + self.ttl
        task.version += 1
        task.logs = outcome.console
        if self.on_console is not None:
            for entry in outcome.console[console_seen:]:
                self.on_console(task.id, entry)
        previous_state = task.vm_state
        task.vm_state = log.to_state(self.secret)
        task.status = outcome.status  # type: ignore[assignment]
        task.fetch_requests = [FetchRequest.from_dict(r) for r in outcome.requests]
        task.wake_at = outcome.wake_at
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
        elif outcome.status == "error" and outcome.error is not None:
            task.error = outcome.error.text
            task.error_details = outcome.error.to_dict()

    def _fail_limit(self, task: Task, previous_state: Any, limit: str, message: str) -> None:
        """End a task on a persistence limit, keeping its last good log."""
        task.status = "error"
        task.vm_state = previous_state
        task.fetch_requests = []
        task.wake_at = None
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

    def _load(self, task_id: str) -> Task:
        task = self.storage.load(task_id, include_expired=True)
        if task is None:
            raise TaskNotFoundError(f"no task with id {task_id!r}", task_id=task_id)
        if task.expired(self.clock()):
            raise TaskExpiredError(f"task {task_id!r} expired", task_id=task_id)
        return task

    def _remember(self, task: Task, execution: Execution) -> None:
        if task.status != "paused":
            self._hot.pop(task.id, None)
            return
        self._hot[task.id] = _Hot(task.version, execution)
        self._hot.move_to_end(task.id)
        while len(self._hot) > HOT_CACHE_SIZE:
            self._hot.popitem(last=False)

    @staticmethod
    def _check_id(task_id: Any) -> str:
        if not isinstance(task_id, str) or not task_id or len(task_id) > 255:
            raise BadArgumentError("task id must be a non-empty string of at most 255 characters")
        return task_id

    # -- queries ---------------------------------------------------------------------------------

    def get_task(self, task_id: str) -> Task:
        """The stored task (``TaskNotFoundError``/``TaskExpiredError`` otherwise)."""
        return self._load(self._check_id(task_id))

    def delete_task(self, task_id: str) -> bool:
        """Delete a task; ``True`` if it existed."""
        self._hot.pop(task_id, None)
        return self.storage.delete(self._check_id(task_id))

    def list_tasks(self, status: str | None = None, limit: int = 100, cursor: str | None = None) -> TaskPage:
        """A page of tasks by ascending id; pass ``page.next_cursor`` for the next."""
        if status is not None and status not in ("paused", "completed", "error"):
            raise BadArgumentError(f"unknown status {status!r}")
        return self.storage.list(status=status, limit=limit, cursor=cursor)

    # -- driving a task to the end in this process -------------------------------------------------

    def run(self, code: Any, id: str | None = None, name: str | None = None, dialect: str | None = None,
            fetch: Callable[[FetchRequest], Mapping[str, Any]] | None = None,
            on_pause: Callable[[Task], None] | None = None,
            sleep: Callable[[float], None] = time.sleep, filename: str | None = None) -> Task:
        """Execute ``code`` and keep resuming it, performing each request, until it ends.

        ``fetch(request)`` returns a response dict; by default requests are
        made for real with httpx (``pip install 'seqflow-js[http]'``). The task
        is persisted after every pause, so an interrupted run can be
        continued with :meth:`drive`.
        """
        task = self.execute(code, id=id, name=name, dialect=dialect, filename=filename)
        return self.drive(task.id, fetch=fetch, on_pause=on_pause, sleep=sleep, task=task)

    def drive(self, task_id: str, fetch: Callable[[FetchRequest], Mapping[str, Any]] | None = None,
              on_pause: Callable[[Task], None] | None = None,
              sleep: Callable[[float], None] = time.sleep, task: Task | None = None) -> Task:
        """Resume a stored task repeatedly (performing its requests) until it completes or fails."""
        if fetch is None:
            from .http import perform

            fetch = perform
        task = task or self.get_task(task_id)
        while task.status == "paused":
            if on_pause is not None:
                on_pause(task)
            if task.fetch_requests:
                answers = {r.id: dict(fetch(r)) for r in task.fetch_requests}
                task = self.resume(task.id, responses=answers)
            else:
                delay = (task.wake_at or 0) - self.clock()
                if delay > 0:
                    sleep(delay)
                task = self.resume(task.id)
        return task


def create_flow(storage: Any = None, ttl: float = 7200.0, limits: Limits | None = None,
                secret: str | bytes | None = None, dialect: str = "standard", **options: Any) -> Flow:
    """A :class:`Flow` (``storage`` may be given positionally, as in the seeds)."""
    return Flow(storage=storage, ttl=ttl, limits=limits, secret=secret, dialect=dialect, **options)

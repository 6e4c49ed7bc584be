"""The worker: claims runnable tasks from a shared storage, performs their requests, fires their timers.

A task is runnable when it is paused with requests outstanding (unless a
client answers them: ``autoFetch`` false), or with a timer that is due, or
when it has ended with a webhook still to send (see
:func:`.storage.base.due_at` and :mod:`.webhooks`). Any number of workers,
in any processes, share one storage: each claims a batch with a lease
(:meth:`.storage.Storage.claim`), so no two work on one task at once. For each
claimed task a worker performs all the requests of the pause concurrently,
resumes the task with every response (:meth:`.flow.Flow.resume`, which saves
by compare-and-swap), and while the task keeps pausing on new requests goes
on with it, keeping its live program in the Flow's hot cache (no replay);
then it releases the lease. Leases are renewed while the work lasts; a
worker that dies stops renewing, its leases lapse, and another worker takes
the tasks over.

Delivery is at least once: a request whose response was not yet saved when
its worker died is performed again by the next one (with the same request id,
from which an idempotency key is derived). Nothing is lost: a save by a
worker that lost its lease fails with ``VersionConflictError`` and the new
holder's work stands.

Between claims a worker sleeps until the next task is due, at most
``poll_interval`` seconds, and wakes early when the storage announces work
(PostgreSQL ``LISTEN``/``NOTIFY``, Redis pub/sub) or a slot frees up.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .aio import AsyncFlow
from .errors import BadArgumentError, SeqflowError, StorageError, VersionConflictError
from .flow import HOT_CACHE_SIZE, Flow
from .logs import get_logger
from .metrics import SECONDS_BUCKETS, Histogram
from .performer import Performer
from .storage import Storage
from .storage.base import due_at
from .task import FetchRequest, Task
from .telemetry import span
from .webhooks import WebhookSender, record_webhook

logger = get_logger("worker")

#: Step latencies a worker's stats keep.
LATENCIES_KEPT = 100_000
#: Seconds a worker waits at least between claims that found nothing (guards against a busy loop).
MIN_SLEEP = 0.05
#: Failed resumes after which a worker gives a task up (status ``error``, code :data:`RESUME_FAILED`).
MAX_ATTEMPTS = 5
#: ``error_details["code"]`` of a task the workers gave up on.
RESUME_FAILED = "resume_failed"


class PerformAll(Protocol):
    """Performs one pause's requests: request id -> resume envelope (as :meth:`.Performer.perform_all` returns)."""

    async def __call__(self, task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
        """Every request's response envelope (network failures as envelopes with ``error``), by request id."""


@dataclass
class WorkerStats:
    """What a worker did: tasks it finished or left, steps (resumes) it saved, and lost races."""

    claimed: int = 0
    steps: int = 0
    completed: int = 0
    failed: int = 0
    lost: int = 0
    errors: int = 0
    #: Requests performed (each answered with a response or a network error).
    performed: int = 0
    #: Webhook attempts that were delivered, that will be tried again, and that gave up.
    webhooks_delivered: int = 0
    webhooks_retried: int = 0
    webhooks_failed: int = 0
    #: Seconds from a task being due to this worker claiming it.
    lag: Histogram = field(default_factory=lambda: Histogram(SECONDS_BUCKETS))
    #: Seconds from the last response of a pause arriving to the next pause being stored, per step
    #: (the most recent :data:`LATENCIES_KEPT`).
    latencies: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCIES_KEPT))


class Worker:
    """Works on the runnable tasks of a Flow's storage until stopped.

    ``flow_or_storage`` is a :class:`Flow` (its storage, secret and limits are
    used), an :class:`~.aio.AsyncFlow`, or a :class:`Storage` (a Flow is made
    for it). ``concurrency`` bounds the tasks worked on at once,
    ``lease_seconds`` how long a claim lasts without renewal (renewed every
    third of it), ``poll_interval`` the longest sleep between claims.
    ``perform_all`` performs one pause's requests (default:
    a :class:`.Performer` with ``allow_hosts``, one connection slot per
    concurrent task for each host). ``on_step(task,
    latency)`` is called after each saved step. A task that fails to resume
    (a corrupt or diverging log, a fault in the host) is counted in its
    ``failed_attempts`` and tried again once its lease lapses; at the
    ``max_attempts``-th failure it is given up: status ``error``,
    ``error_details["code"] == "resume_failed"`` (see :func:`give_up`).
    A task created with ``autoFetch: false`` has its timers fired but its
    requests left to a client. A finished task with a pending webhook gets one
    attempt per claim from ``webhooks`` (default: a :class:`.WebhookSender`
    without a secret, which records failed attempts; see :mod:`.webhooks`).
    """

    def __init__(
        self,
        flow_or_storage: Flow | AsyncFlow | Storage,
        *,
        concurrency: int = 16,
        lease_seconds: float = 30.0,
        perform_all: PerformAll | None = None,
        poll_interval: float = 1.0,
        allow_hosts: Sequence[str] = (),
        worker_id: str | None = None,
        on_step: Callable[[Task, float], None] | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        webhooks: WebhookSender | None = None,
    ) -> None:
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not 1 <= concurrency <= 10_000:
            raise BadArgumentError("concurrency must be an integer from 1 to 10000")
        if not isinstance(max_attempts, int) or isinstance(max_attempts, bool) or not 1 <= max_attempts <= 10_000:
            raise BadArgumentError("max_attempts must be an integer from 1 to 10000")
        for name, value in (("lease_seconds", lease_seconds), ("poll_interval", poll_interval)):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 86400:
                raise BadArgumentError(f"{name} must be a positive number of seconds")
        if isinstance(flow_or_storage, AsyncFlow):
            self.flow = flow_or_storage
        elif isinstance(flow_or_storage, Flow):
            self.flow = AsyncFlow(flow_or_storage)
        elif isinstance(flow_or_storage, Storage):
            self.flow = AsyncFlow(Flow(storage=flow_or_storage, hot_cache_size=max(HOT_CACHE_SIZE, concurrency)))
        else:
            raise BadArgumentError("a Worker needs a Flow, an AsyncFlow or a Storage")
        self.storage: Storage = self.flow.flow.storage
        if type(self.storage).claim is Storage.claim:
            raise BadArgumentError(f"{type(self.storage).__name__} cannot lease tasks, so no worker can use it")
        self.concurrency = concurrency
        self.lease_seconds = float(lease_seconds)
        self.poll_interval = float(poll_interval)
        #: The worker's own performer (closed when the worker stops) unless ``perform_all`` is given.
        self._performer: Performer | None = None
        if perform_all is None:
            self._performer = Performer(allow_hosts=allow_hosts, per_host_limit=concurrency)
            perform_all = self._performer.perform_all
        self.perform_all: PerformAll = perform_all
        self.webhooks = webhooks or WebhookSender(None, allow_hosts=allow_hosts)
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.on_step = on_step
        self.max_attempts = max_attempts
        self.stats = WorkerStats()
        self._inflight: dict[str, asyncio.Task[None]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stopping = False

    @property
    def retried(self) -> int:
        """Requests its performer sent again after a failure (0 with a ``perform_all`` of the caller's)."""
        return 0 if self._performer is None else self._performer.retried

    # -- control ---------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop claiming; tasks in flight finish their current step, then their leases are released.

        Safe from any thread and from signal handlers. A second call while
        stopping cancels the work in flight (its leases are still released; a
        request that was being performed is performed again by the next worker).
        """
        loop = self._loop
        if loop is None:
            self._stopping = True
            return
        loop.call_soon_threadsafe(self._stop_in_loop)

    def poke(self) -> None:
        """Claim now instead of after the sleep (a task was just stored that may be runnable); any thread."""
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._poke)

    def _stop_in_loop(self) -> None:
        if self._stopping:
            for job in self._inflight.values():
                job.cancel()
        self._stopping = True
        self._poke()

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    # -- the loop --------------------------------------------------------------------------------

    async def run(self) -> None:
        """Claim and work until :meth:`stop`; in-flight tasks are finished (or released) before returning."""
        await self._serve(until_idle=False)

    async def run_until_idle(self) -> None:
        """Work until nothing is in flight and nothing is due now (tasks due later are left for later)."""
        await self._serve(until_idle=True)

    def run_sync(self, *, until_idle: bool = False, handle_signals: bool = True) -> None:
        """:meth:`run` (or :meth:`run_until_idle`) in a new event loop; SIGTERM/SIGINT call :meth:`stop`."""

        async def main() -> None:
            loop = asyncio.get_running_loop()
            installed = []
            if handle_signals:
                for sig in (signal.SIGTERM, signal.SIGINT):
                    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                        loop.add_signal_handler(sig, self.stop)
                        installed.append(sig)
            try:
                await self._serve(until_idle=until_idle)
            finally:
                for sig in installed:
                    loop.remove_signal_handler(sig)

        asyncio.run(main())

    async def _serve(self, until_idle: bool) -> None:
        loop = asyncio.get_running_loop()
        self._loop, self._wake = loop, asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(self._poke)

        stop_listening = await asyncio.to_thread(self.storage.listen, wake)
        renewer = asyncio.create_task(self._renew_forever())
        logger.info("worker %s: started (concurrency %d, lease %gs)", self.worker_id, self.concurrency,
                    self.lease_seconds)
        try:
            while not self._stopping:
                self._wake.clear()
                free = self.concurrency - len(self._inflight)
                claimed = await self._claim(free) if free > 0 else []
                if until_idle and not claimed and not self._inflight:
                    break
                if claimed and len(claimed) == free:
                    continue  # there may be more waiting
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), await self._sleep_time(free))
            if self._inflight:
                await asyncio.gather(*self._inflight.values(), return_exceptions=True)
        finally:
            for job in self._inflight.values():
                job.cancel()
            if self._inflight:
                await asyncio.gather(*self._inflight.values(), return_exceptions=True)
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
            if stop_listening is not None:
                await asyncio.to_thread(stop_listening)
            if self._performer is not None:
                await self._performer.aclose()
            await self.webhooks.aclose()
            self._loop = self._wake = None
            logger.info("worker %s: stopped (%s)", self.worker_id, self.stats)

    async def _claim(self, free: int) -> list[Task]:
        try:
            claimed = await asyncio.to_thread(self.storage.claim, self.worker_id, time.time(), self.lease_seconds,
                                              free)
        except SeqflowError as exc:
            logger.warning("worker %s: claim failed: %s", self.worker_id, exc)
            self.stats.errors += 1
            return []
        now = time.time()
        for task in claimed:
            self.stats.claimed += 1
            due = due_at(task.to_dict())
            if due is not None:
                self.stats.lag.observe(max(0.0, now - due))
            job = asyncio.create_task(self._work(task))
            self._inflight[task.id] = job
            job.add_done_callback(functools.partial(self._finished, task.id))
        return claimed

    def _finished(self, task_id: str, _: asyncio.Task[None]) -> None:
        self._inflight.pop(task_id, None)
        self._poke()

    async def _sleep_time(self, free: int) -> float:
        """Until the next task is due, within [MIN_SLEEP, poll_interval]; a full worker waits for a free slot."""
        if free <= 0:
            return self.poll_interval
        try:
            due = await asyncio.to_thread(self.storage.next_due)
        except SeqflowError as exc:
            logger.warning("worker %s: next_due failed: %s", self.worker_id, exc)
            return self.poll_interval
        if due is None:
            return self.poll_interval
        return min(self.poll_interval, max(MIN_SLEEP, due - time.time()))

    async def _renew_forever(self) -> None:
        """Every third of a lease, extend the leases of the tasks in flight; a lost lease cancels its work."""
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            for task_id, job in list(self._inflight.items()):
                try:
                    held = await asyncio.to_thread(self.storage.renew, task_id, self.worker_id,
                                                   time.time() + self.lease_seconds)
                except SeqflowError as exc:
                    logger.warning("worker %s: renewing %s failed: %s", self.worker_id, task_id, exc,
                                   extra={"worker_id": self.worker_id, "task_id": task_id, "status": exc.code})
                    continue
                if not held:
                    logger.warning("worker %s: lost the lease on %s", self.worker_id, task_id,
                                   extra={"worker_id": self.worker_id, "task_id": task_id, "status": "lease_lost"})
                    job.cancel()

    # -- one task --------------------------------------------------------------------------------

    async def _work(self, task: Task) -> None:
        """Drive one claimed task while it keeps pausing on requests (one span); then release it."""
        with span("seqflow.worker.task", {"seqflow.task_id": task.id, "seqflow.worker_id": self.worker_id}):
            await self._drive(task)

    async def _drive(self, task: Task) -> None:
        release = True
        try:
            while task.status == "paused":
                if task.fetch_requests and task.auto_fetch:
                    responses = await self.perform_all(task.id, task.fetch_requests)
                    self.stats.performed += len(responses)
                    arrived = time.perf_counter()
                    task = await self.flow.resume(task.id, responses=responses, version=task.version)
                else:
                    arrived = time.perf_counter()
                    before = task.version
                    task = await self.flow.resume(task.id, version=task.version)
                    if task.version == before:
                        break  # the timer is not due by this process's clock yet
                self._stepped(task, time.perf_counter() - arrived)
                if task.status != "paused" or not task.fetch_requests or not task.auto_fetch or self._stopping:
                    break
            if task.status != "paused" and due_at(task.to_dict()) is not None:
                await self._send_webhook(task)
        except VersionConflictError:
            # Someone else moved the task on (a caller, or a worker after our lease lapsed): theirs stands.
            self.stats.lost += 1
            logger.info("worker %s: task %s was moved on by someone else", self.worker_id, task.id,
                        extra={"worker_id": self.worker_id, "task_id": task.id, "status": "lost"})
        except StorageError as exc:  # the storage, not the task: nothing to count; the lease lapses
            self.stats.errors += 1
            release = False
            logger.warning("worker %s: task %s: storage failed: %s", self.worker_id, task.id, exc,
                           extra={"worker_id": self.worker_id, "task_id": task.id, "status": exc.code})
        except Exception as exc:  # a broken task must not stop the worker; its lease lapses as a back-off
            self.stats.errors += 1
            release = await self._failed(task.id, exc)
        finally:
            if release:
                await self._release(task.id)

    async def _send_webhook(self, task: Task) -> None:
        """One attempt at a finished task's webhook, its outcome stored (a lost race raises VersionConflictError)."""
        state = await self.webhooks.attempt(task)
        await self.flow.call(record_webhook, self.storage, task, state)
        fields = {"worker_id": self.worker_id, "task_id": task.id, "attempt": state["attempts"],
                  "status": state["state"]}
        if state["state"] == "delivered":
            self.stats.webhooks_delivered += 1
            logger.info("worker %s: task %s: webhook delivered", self.worker_id, task.id, extra=fields)
        elif state["state"] == "failed":
            self.stats.webhooks_failed += 1
            logger.warning("worker %s: task %s: webhook given up after %d attempt(s): %s", self.worker_id, task.id,
                           state["attempts"], state["lastError"], extra=fields)
        else:
            self.stats.webhooks_retried += 1
            logger.info("worker %s: task %s: webhook attempt %d failed (%s); next at %s", self.worker_id, task.id,
                        state["attempts"], state["lastError"], state["nextAt"], extra=fields)

    async def _failed(self, task_id: str, exc: Exception) -> bool:
        """Count a failed resume in the stored task, giving it up at ``max_attempts``; True if given up."""
        try:
            task = await self.flow.call(record_failure, self.storage, task_id, exc, self.max_attempts)
        except SeqflowError as failure:  # including a lost race: someone else moved the task on
            logger.warning("worker %s: task %s failed to resume (%s: %s) and the failure was not recorded: %s",
                           self.worker_id, task_id, type(exc).__name__, exc, failure,
                           extra={"worker_id": self.worker_id, "task_id": task_id, "status": failure.code})
            return False
        attempt = 0 if task is None else task.failed_attempts
        fields = {"worker_id": self.worker_id, "task_id": task_id, "attempt": attempt,
                  "status": RESUME_FAILED if task is not None and task.status == "error" else "retry",
                  "error_code": getattr(exc, "code", type(exc).__name__)}
        if task is not None and task.status == "error":
            self.stats.failed += 1
            logger.error("worker %s: task %s given up after %d failed attempts: %s: %s", self.worker_id, task_id,
                         attempt, type(exc).__name__, exc, extra=fields)
            if self.on_step is not None:
                self.on_step(task, 0.0)
            return True
        logger.error("worker %s: task %s failed to resume (attempt %d of %d): %s: %s", self.worker_id, task_id,
                     attempt, self.max_attempts, type(exc).__name__, exc, extra=fields)
        return False

    def _stepped(self, task: Task, latency: float) -> None:
        logger.debug("worker %s: task %s stepped to %s at version %d (%.1f ms from the last response)",
                     self.worker_id, task.id, task.status, task.version, latency * 1000,
                     extra={"worker_id": self.worker_id, "task_id": task.id, "status": task.status,
                            "version": task.version, "duration_ms": round(latency * 1000, 3)})
        self.stats.steps += 1
        self.stats.latencies.append(latency)
        if task.status == "completed":
            self.stats.completed += 1
        elif task.status != "paused":
            self.stats.failed += 1
        if self.on_step is not None:
            self.on_step(task, latency)

    async def _release(self, task_id: str) -> None:
        try:
            # Shielded: a cancelled task must still give its lease back.
            await asyncio.shield(asyncio.to_thread(self.storage.release, task_id, self.worker_id))
        except SeqflowError as exc:
            logger.warning("worker %s: releasing %s failed (its lease will lapse): %s", self.worker_id, task_id,
                           exc)


def record_failure(storage: Storage, task_id: str, exc: Exception, max_attempts: int) -> Task | None:
    """Add a failed resume to the stored paused task (compare-and-swap); at ``max_attempts`` give it up.

    ``None`` when the task is gone or no longer paused (nothing to count).
    """
    task = storage.load(task_id, include_expired=True)
    if task is None or task.status != "paused":
        return None
    task.failed_attempts += 1
    if task.failed_attempts >= max_attempts:
        give_up(task, exc)
    task.version += 1
    task.updated_at = time.time()
    storage.save(task, task.version - 1)
    return task


def give_up(task: Task, exc: Exception) -> None:
    """Mark a task no worker could resume as failed: status ``error``, code :data:`RESUME_FAILED`.

    The log stays, for a post-mortem; ``error_details["cause"]`` is the last
    failure's type, code and message.
    """
    cause = {"type": type(exc).__name__, "code": getattr(exc, "code", None), "message": str(exc)}
    message = (f"no worker could resume the task in {task.failed_attempts} attempts; "
               f"last: {cause['type']}: {cause['message']}")
    task.status = "error"
    task.error = f"ResumeFailedError: {message}"
    task.error_details = {"name": "ResumeFailedError", "message": message, "code": RESUME_FAILED,
                          "attempts": task.failed_attempts, "cause": cause, "stack": task.error,
                          "line": None, "column": None}
    task.fetch_requests = []
    task.wake_at = None
    task.signals = []

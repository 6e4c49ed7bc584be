"""The task record: what a paused, completed or failed program looks like to its caller.

A task is plain data. ``to_dict`` gives the seeds' camelCase JSON shape and
``from_dict`` reads it back; storage backends persist exactly that shape.
"""

from __future__ import annotations

import dataclasses
import marshal
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal

from .errors import CorruptStateError

TaskStatus = Literal["paused", "completed", "error", "cancelled"]
#: Every status a task can have: ``cancelled`` is a task that let a ``Flow.cancel`` end it.
TASK_STATUSES: tuple[str, ...] = ("paused", "completed", "error", "cancelled")


def iso(ts: float | None) -> str | None:
    """Epoch seconds as an ISO-8601 UTC string (``None`` stays ``None``)."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).isoformat().replace("+00:00", "Z")


def from_iso(value: object) -> float | None:
    """Read a timestamp written by :func:`iso` (or a bare number) as epoch seconds."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    raise CorruptStateError(f"not a timestamp: {value!r}")


@dataclass
class FetchRequest:
    """One outstanding request of a paused task; ``id`` is unique within the task.

    ``redirect`` is fetch's redirect mode (``follow``, ``error`` or ``manual``);
    ``retry`` the script's narrowing of the performer's retry policy
    (``{"maxAttempts": n, "maxDelay": ms}``) or ``None``. Both are in the JSON
    shape only when they differ from these defaults.
    """

    id: str
    url: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    redirect: str = "follow"
    retry: dict[str, Any] | None = None

    def _extras(self) -> dict[str, Any]:
        extras: dict[str, Any] = {}
        if self.redirect != "follow":
            extras["redirect"] = self.redirect
        if self.retry is not None:
            extras["retry"] = dict(self.retry)
        return extras

    @property
    def options(self) -> dict[str, Any]:
        """The seeds' ``options`` view: ``{method, headers, body}`` (and ``redirect``, ``retry`` when set)."""
        return {"method": self.method, "headers": dict(self.headers), "body": self.body, **self._extras()}

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: ``{id, url, method, headers, body, options}`` (and ``redirect``, ``retry`` when set)."""
        return {
            "id": self.id,
            "url": self.url,
            "method": self.method,
            "headers": dict(self.headers),
            "body": self.body,
            **self._extras(),
            "options": self.options,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FetchRequest:
        """Read the shape written by :meth:`to_dict` (or a logged request)."""
        retry = data.get("retry")
        return cls(
            id=str(data["id"]),
            url=str(data["url"]),
            method=str(data.get("method", "GET")),
            headers=dict(data.get("headers") or {}),
            body=data.get("body"),
            redirect=str(data.get("redirect") or "follow"),
            retry=dict(retry) if retry is not None else None,
        )


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON-shaped tree: same key order, ``-0.0``, big ints and lone surrogates.

    ``marshal`` copies such a tree in C, about twice as fast as walking it in
    Python; a value it cannot carry falls back to the walk.
    """
    try:
        return marshal.loads(marshal.dumps(value))
    except ValueError:
        return _walk_copy(value)


def _walk_copy(value: Any) -> Any:
    """New dicts and lists all the way down (tuples become lists, as through JSON); shared leaves."""
    if isinstance(value, dict):
        return {key: _walk_copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_walk_copy(item) for item in value]
    return value


# Python attribute name -> the seeds' JSON key.
_CAMEL = {
    "error_details": "errorDetails",
    "fetch_request": "fetchRequest",
    "fetch_requests": "fetchRequests",
    "wake_at": "wakeAt",
    "vm_state": "vmState",
    "pause_count": "pauseCount",
    "failed_attempts": "failedAttempts",
    "auto_fetch": "autoFetch",
    "callback_url": "callbackUrl",
    "check_at": "checkAt",
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "expires_at": "expiresAt",
}
_TIMESTAMPS = ("wake_at", "created_at", "updated_at", "expires_at", "check_at")
#: Fields that are the storage's bookkeeping, not the task's data: never in the JSON shape.
_NOT_PERSISTED = ("stored",)


@dataclass(frozen=True)
class StoredLog:
    """How much of a task's append-only parts a storage holds, and at which version.

    The parts are the log's ``events`` and ``requests`` (in ``vm_state``) and
    the console ``logs``; each only grows. A storage sets this on every task it
    loads or saves, and a later save of that task at ``version`` writes only
    the entries past these counts. ``None`` for a part that is not a list.
    """

    version: int
    events: int | None
    requests: int | None
    logs: int | None
    #: The task came from ``Storage.load_head``: its lists are empty, so it cannot be saved as it is.
    partial: bool = False


@dataclass
class Task:
    """A program run: its code, where it stands, and the log that can rebuild it.

    ``vm_state`` is the durable state (the replay log, portable JSON);
    everything else is derived from running the code against it and kept so
    that callers and storage queries can see it without replaying. A paused
    task waits on ``fetch_requests``, the timer due at ``wake_at`` and the
    ``signals`` and the child tasks in ``children``; a ``cancelled`` one has
    the cancellation in ``error``.
    """

    id: str
    code: str
    status: TaskStatus
    name: str | None = None
    dialect: str = "standard"
    result: Any = None
    error: str | None = None
    error_details: dict[str, Any] | None = None
    fetch_requests: list[FetchRequest] = field(default_factory=list)
    wake_at: float | None = None
    #: Names of the signals a paused task waits on (``waitForSignal``), each once.
    signals: list[str] = field(default_factory=list)
    vm_state: dict[str, Any] | None = None
    pause_count: int = 0
    version: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0
    expires_at: float | None = None
    logs: list[dict[str, Any]] = field(default_factory=list)
    #: Workers' failed attempts to resume the task since its last step (see ``Worker(max_attempts=...)``).
    failed_attempts: int = 0
    #: Whether workers perform the task's requests; ``False``: a client answers them (workers still fire timers).
    auto_fetch: bool = True
    #: Where the task's webhook is POSTed once it ends (see :mod:`.webhooks`), or ``None``.
    callback_url: str | None = None
    #: The webhook's delivery: ``{"state": "pending"|"delivered"|"failed", "attempts", "nextAt", ...}``,
    #: ``None`` until the first attempt (see :mod:`.webhooks`).
    webhook: dict[str, Any] | None = None
    #: The child tasks (``runTask``) a paused task waits on: ``{id, taskId, name}`` each (``id`` is the
    #: start's id within this task, ``taskId`` the child task's).
    children: list[dict[str, Any]] = field(default_factory=list)
    #: For a child task, its parent: ``{taskId, requestId}``; else ``None``.
    parent: dict[str, Any] | None = None
    #: While children are pending, when a worker looks at them again in case an outcome never reached the
    #: task (a process died between saving the child and telling the parent); see ``Flow.CHILD_CHECK``.
    check_at: float | None = None
    #: What the storage this task came from holds of its log (set by the storage; not task data).
    #: ``None`` makes the next save write the whole task; set it to ``None`` after rewriting history.
    stored: StoredLog | None = field(default=None, repr=False, compare=False)

    @property
    def fetch_request(self) -> FetchRequest | None:
        """The first outstanding request, or ``None``."""
        return self.fetch_requests[0] if self.fetch_requests else None

    def expired(self, now: float) -> bool:
        """Whether the task's TTL has passed at ``now`` (epoch seconds)."""
        return self.expires_at is not None and self.expires_at <= now

    def copy(self) -> Task:
        """A deep copy through the persisted shape: shares no list or dict with ``self``.

        Storage hands these out so callers cannot alias its state; the one walk
        over the JSON tree (``vm_state``, ``result``, ``logs``...) is the only copy.
        """
        return Task.from_dict(copy_json(self.to_dict()))

    def to_dict(self) -> dict[str, Any]:
        """The seeds' JSON shape with camelCase keys and ISO timestamps."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name in _NOT_PERSISTED:
                continue
            value = getattr(self, f.name)
            if f.name == "fetch_requests":
                value = [r.to_dict() for r in value]
            elif f.name in _TIMESTAMPS:
                value = iso(value)
            out[_CAMEL.get(f.name, f.name)] = value
        first = self.fetch_request
        out["fetchRequest"] = first.to_dict() if first else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Task:
        """Read the shape written by :meth:`to_dict`; a bad shape is ``CorruptStateError``."""
        try:
            kwargs: dict[str, Any] = {}
            for f in dataclasses.fields(cls):
                key = _CAMEL.get(f.name, f.name)
                if key not in data or f.name in _NOT_PERSISTED:
                    continue
                value = data[key]
                if f.name == "fetch_requests":
                    value = [FetchRequest.from_dict(r) for r in value or []]
                elif f.name in _TIMESTAMPS:
                    value = from_iso(value)
                kwargs[f.name] = value
            task = cls(**kwargs)
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptStateError(f"stored task is malformed: {exc}") from exc
        if task.status not in TASK_STATUSES:
            raise CorruptStateError(f"stored task has unknown status {task.status!r}")
        return task

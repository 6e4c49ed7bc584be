"""Webhooks: a signed POST to a task's ``callbackUrl`` once it ends (completed, error or cancelled).

Delivery is durable and at least once. A finished task with a ``callbackUrl``
whose webhook is still ``pending`` is due for the workers (see
:func:`.storage.base.due_at`), so any worker in any process claims it with a
lease, sends one attempt, and stores the outcome in the task's ``webhook``
field by compare-and-swap: ``delivered`` on a 2xx answer; ``failed`` when the
outbound policy refuses the address or after :data:`MAX_ATTEMPTS`; otherwise
still ``pending`` with ``nextAt`` after an exponential backoff
(:data:`FIRST_DELAY` seconds, doubling, at most :data:`MAX_DELAY`). A server
that restarts loses nothing: the pending delivery is in the stored task.

The request goes through a :class:`.Performer` (the outbound policy, checked
after DNS and on redirects; an ``Idempotency-Key`` stable across attempts) and
carries :data:`SIGNATURE_HEADER` ``t=<unix seconds>,v1=<hex>``: HMAC-SHA256
with the webhook secret over ``b"<t>." + body`` (the raw body bytes), so a
receiver checks both the body and its age (:func:`verify`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import BadArgumentError
from .task import FetchRequest, Task, iso
from .version import __version__

if TYPE_CHECKING:
    from .performer import Performer
    from .storage import Storage

#: The header carrying the signature.
SIGNATURE_HEADER = "Seqflow-Signature"
#: The header naming the event (``task.completed``, ``task.error``, ``task.cancelled``).
EVENT_HEADER = "Seqflow-Event"
#: The environment variable ``seqflow serve`` and ``seqflow worker`` read the secret from.
SECRET_ENV = "SEQFLOW_WEBHOOK_SECRET"
#: Attempts before a webhook is given up (``failed``).
MAX_ATTEMPTS = 15
#: Seconds before the second attempt; each later wait doubles, up to :data:`MAX_DELAY`.
FIRST_DELAY = 1.0
MAX_DELAY = 3600.0
#: Longest callback URL accepted.
MAX_URL_LENGTH = 2048
#: Seconds a receiver accepts a signature's timestamp from the present, either way (:func:`verify`).
TOLERANCE = 300

#: Bytes of a receiver's answer read at most (only its status matters; a longer one fails the attempt).
MAX_ANSWER_BYTES = 64 * 1024

#: Request errors no later attempt can fix.
_PERMANENT = frozenset({"outbound_refused", "bad_url", "redirect_refused"})


def check_callback_url(url: Any) -> str:
    """``url`` if it is an absolute ``http(s)`` URL with a host; ``BadArgumentError`` otherwise."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        raise BadArgumentError(f"callbackUrl must be a URL of at most {MAX_URL_LENGTH} characters")
    # A placeholder would be filled with a secret's value by a performer that has secrets.
    if "{{" in url or any(c.isspace() or ord(c) < 0x20 for c in url):
        raise BadArgumentError("callbackUrl must not hold whitespace, control characters or '{{'")
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.username
        _ = parts.port
    except ValueError:
        valid = False
    if not valid:
        raise BadArgumentError(f"callbackUrl must be an http(s) URL with a host, got {url!r}")
    return url


def secret_from_env() -> str | None:
    """The webhook secret in :data:`SECRET_ENV`, or ``None`` when unset or empty."""
    return os.environ.get(SECRET_ENV) or None


def signature(secret: bytes, timestamp: int, body: bytes) -> str:
    """The :data:`SIGNATURE_HEADER` value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: bytes, body: bytes, header: str, now: float | None = None, tolerance: float = TOLERANCE) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` and its timestamp is within ``tolerance`` seconds."""
    fields = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value
    stamp = fields.get("t", "")
    if not stamp.isdigit() or abs((time.time() if now is None else now) - int(stamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(stamp), body), f"t={stamp},v1={fields.get('v1', '')}")


def payload(task: Task) -> bytes:
    """The webhook body: ``{"event", "task": {id, name, status, result, error, errorDetails, ...}}``.

    ASCII JSON in which ``{{`` never appears (it is written ``{\\u007b``, the
    same JSON value), so no performer ever reads a secret placeholder in it.
    """
    body = {"event": f"task.{task.status}", "task": {
        "id": task.id, "name": task.name, "status": task.status, "result": task.result, "error": task.error,
        "errorDetails": task.error_details, "pauseCount": task.pause_count, "version": task.version,
        "createdAt": iso(task.created_at), "updatedAt": iso(task.updated_at)}}
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return text.replace("{{", "{\\u007b").encode("ascii")


def backoff(attempts: int, first: float = FIRST_DELAY, most: float = MAX_DELAY) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt."""
    return float(min(most, first * 2.0 ** min(attempts - 1, 64)))


class WebhookSender:
    """Sends one attempt of a finished task's webhook and says what to store (see the module docstring).

    ``secret`` signs the bodies; without one an attempt fails (and is
    retried later, perhaps by a worker that has it) rather than going out
    unsigned. ``allow_hosts`` opens the outbound policy as for a
    :class:`.Performer`.
    """

    def __init__(self, secret: str | bytes | None, *, allow_hosts: Sequence[str] = (),
                 first_delay: float = FIRST_DELAY, max_delay: float = MAX_DELAY, max_attempts: int = MAX_ATTEMPTS,
                 timeout: float = 30.0, clock: Callable[[], float] = time.time) -> None:
        if isinstance(secret, str):
            secret = secret.encode("utf-8")
        if secret is not None and not secret:
            raise BadArgumentError("a webhook secret must not be empty")
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
            raise BadArgumentError("max_attempts must be a positive integer")
        self.secret = secret
        self.allow_hosts = list(allow_hosts)
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.max_attempts = max_attempts
        self.timeout = timeout
        self.clock = clock
        self._performer: Performer | None = None

    def _performer_now(self) -> Performer:
        if self._performer is None:
            from .performer import Performer
            from .retry import RetryPolicy

            # One send per attempt: the retries are the durable ones, recorded in the task.
            self._performer = Performer(allow_hosts=self.allow_hosts, retry=RetryPolicy(max_attempts=1),
                                        secrets=lambda name: None, max_response_bytes=MAX_ANSWER_BYTES,
                                        read_timeout=self.timeout,
                                        total_timeout=self.timeout)
        return self._performer

    async def attempt(self, task: Task) -> dict[str, Any]:
        """Send the webhook of finished ``task`` once; its new ``webhook`` state."""
        state = dict(task.webhook or {})
        attempts = int(state.get("attempts", 0)) + 1
        now = self.clock()
        status: int | None = None
        if self.secret is None:
            error, code = f"this worker has no webhook secret ({SECRET_ENV})", "no_webhook_secret"
        else:
            body = payload(task)
            headers = {"content-type": "application/json", EVENT_HEADER: f"task.{task.status}",
                       SIGNATURE_HEADER: signature(self.secret, int(now), body),
                       "user-agent": f"seqflow/{__version__}"}
            request = FetchRequest(id="webhook", url=str(task.callback_url), method="POST", headers=headers,
                                   body=body.decode("ascii"))
            envelope = await self._performer_now().perform(task.id, request)
            status = envelope.get("status")
            code = envelope.get("errorCode") or f"http_{status}"
            error = envelope.get("error") or f"the receiver answered {status}"
        state.update(attempts=attempts, lastAttemptAt=iso(now), lastStatus=status)
        if status is not None and 200 <= status < 300:
            state.update(state="delivered", deliveredAt=iso(now), nextAt=None, lastError=None)
        elif code in _PERMANENT or attempts >= self.max_attempts:
            state.update(state="failed", nextAt=None, lastError=error, errorCode=code)
        else:
            # Counted from the failure, not from the send: a slow receiver gets its whole wait.
            state.update(state="pending", nextAt=iso(self.clock() + backoff(attempts, self.first_delay, self.max_delay)),
                         lastError=error, errorCode=code)
        return state

    async def aclose(self) -> None:
        """Close the pooled connections."""
        if self._performer is not None:
            await self._performer.aclose()


def record_webhook(storage: Storage, task: Task, state: dict[str, Any]) -> Task | None:
    """Store ``state`` as ``task``'s webhook if the stored task is still that version (compare-and-swap).

    ``None`` when the task is gone; a task moved on raises ``VersionConflictError``.
    """
    stored = storage.load(task.id, include_expired=True)
    if stored is None:
        return None
    stored.webhook = state
    stored.version = task.version + 1
    storage.save(stored, task.version)
    return stored

"""Performing a paused task's requests for real: concurrent, retried, bounded and policed.

:class:`Performer` sends the requests of a pause in parallel over one pooled
``httpx.AsyncClient`` (at most ``per_host_limit`` at once to one host), and
answers each with a resume envelope: ``status``, ``statusText``, ``headers``,
``url``, ``redirected`` and ``data`` (JSON), ``body`` (text) or ``bodyBase64``;
or ``{"error": message, "errorCode": code}``, which the script sees as a
``TypeError`` from ``fetch`` whose ``cause.code`` is the code. It never raises
for what a script or a server does.

On the way: ``{{secrets.NAME}}`` placeholders are filled (:mod:`.secret_store`),
every request carries a stable ``Idempotency-Key``, failures are retried
(:mod:`.retry`), every address it connects to (after DNS, on every redirect)
passes the outbound policy (:mod:`.outbound`), redirects are followed per the
request's ``redirect`` mode, and a body over ``max_response_bytes`` is never
read past the cap.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import random
import ssl
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence, TypeVar

from .errors import BadArgumentError, MissingExtraError
from .limits import Limits
from .logs import get_logger
from .outbound import OutboundPolicy, OutboundRefused
from .responses import normalise_response
from .retry import IDEMPOTENT_METHODS, RetryPolicy, retry_after
from .secret_store import EnvSecrets, SecretProvider, Substitution, UnknownSecret, has_placeholder
from .task import FetchRequest, Task
from .telemetry import span
from .version import install_hint

if TYPE_CHECKING:
    import httpx

logger = get_logger("performer")
T = TypeVar("T")

#: Largest response body read, in bytes (the runtime's own limit on a response).
DEFAULT_MAX_RESPONSE_BYTES = Limits().max_response_bytes
#: Redirects followed at most (Fetch 4.4).
MAX_REDIRECTS = 20
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Headers a redirect to another origin drops (Fetch 4.4 drops authorization; cookies are the same kind).
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
_BODY_HEADERS = ("content-type", "content-length", "content-encoding", "content-language", "content-location")


def require_http() -> None:
    """Fail early, before any task exists, when the ``http`` extra (httpx) is missing."""
    try:
        import httpx  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(f"performing requests needs httpx: {install_hint('http')}") from exc


def idempotency_key(task_id: str, request_id: str) -> str:
    """The ``Idempotency-Key`` of a task's request: the same on every attempt, in every process."""
    digest = hashlib.sha256(json.dumps([task_id, request_id]).encode("utf-8")).hexdigest()
    return f"seqflow-{digest[:40]}"


def perform_blocking(performer: Performer, work: Callable[[Callable[[Task], dict[str, dict[str, Any]]]], T]) -> T:
    """Run synchronous ``work`` with a function that performs a paused task's requests (in parallel) and waits.

    The requests run on an event loop of their own, closed with the
    performer's connections when ``work`` returns (Ctrl-C cancels the requests
    in flight and raises ``KeyboardInterrupt``). From a thread that already
    runs an event loop, the work moves to a helper thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        with ThreadPoolExecutor(1, thread_name_prefix="seqflow-perform") as helper:
            return helper.submit(lambda: perform_blocking(performer, work)).result()
    with asyncio.Runner() as runner:
        try:
            return work(lambda task: runner.run(performer.perform_all(task.id, task.fetch_requests)))
        finally:
            runner.run(performer.aclose())


class PerformError(Exception):
    """A request that ends in an error envelope: a message for the script and a stable code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class _Prepared:
    """A request ready to send: secrets filled, idempotency key set."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    redirect: str
    #: Names of headers whose value came from a secret (dropped on a redirect to another origin).
    secret_headers: frozenset[str]
    #: Names of the secrets the request carries, and whether its body has one.
    secret_names: frozenset[str]
    secret_body: bool


@dataclass
class _Reply:
    """The final response of one attempt (redirects followed), its body not read yet."""

    response: httpx.Response
    url: str
    redirected: bool
    #: The per-host slot held until the body is read.
    slot: asyncio.Semaphore


class Performer:
    """Sends paused tasks' requests; one instance is shared by many tasks (it pools connections).

    A performer belongs to the event loop it first performs in; :meth:`aclose`
    closes its connections, after which it can be used again (in any loop).
    """

    def __init__(self, *, retry: RetryPolicy | None = None, secrets: SecretProvider | None = None,
                 allow_hosts: Sequence[str] = (), max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 per_host_limit: int = 8, connect_timeout: float = 10.0, read_timeout: float = 30.0,
                 total_timeout: float = 300.0, idempotency_keys: bool = True, max_connections: int = 100,
                 secret_hosts: Mapping[str, Sequence[str]] | None = None, ssl_context: ssl.SSLContext | None = None,
                 rng: random.Random | None = None,
                 on_result: Callable[[str, FetchRequest, dict[str, Any], float], None] | None = None) -> None:
        require_http()
        for name, value in (("max_response_bytes", max_response_bytes), ("per_host_limit", per_host_limit),
                            ("max_connections", max_connections)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise BadArgumentError(f"{name} must be a positive integer, got {value!r}")
        for name, seconds in (("connect_timeout", connect_timeout), ("read_timeout", read_timeout),
                              ("total_timeout", total_timeout)):
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < float("inf"):
                raise BadArgumentError(f"{name} must be a positive number of seconds, got {seconds!r}")
        try:
            self.policy = OutboundPolicy(allow_hosts)
        except (TypeError, ValueError) as exc:
            raise BadArgumentError(f"allow_hosts: {exc}") from None
        self.retry = retry or RetryPolicy()
        self.secrets: Callable[[str], str | None] = secrets or EnvSecrets()
        self.max_response_bytes = max_response_bytes
        self.per_host_limit = per_host_limit
        self.connect_timeout = float(connect_timeout)
        self.read_timeout = float(read_timeout)
        self.total_timeout = float(total_timeout)
        self.idempotency_keys = idempotency_keys
        self.max_connections = max_connections
        if isinstance(secret_hosts, str) or any(isinstance(h, str) for h in (secret_hosts or {}).values()):
            raise BadArgumentError("secret_hosts maps a secret's name to a list of host names")
        #: Secret name -> the hosts a request carrying it may go to (a secret not named here may go anywhere).
        self.secret_hosts = {name: frozenset(h.lower().rstrip(".") for h in hosts)
                             for name, hosts in (secret_hosts or {}).items()}
        #: Verifies servers' certificates (default: httpx's, with certifi's CAs).
        self.ssl_context = ssl_context
        self.rng = rng or random.Random()
        #: Called after each request with (task id, request, envelope, seconds taken).
        self.on_result = on_result
        #: Requests sent again after a failure or a retryable status, since the performer was made (metrics).
        self.retried = 0
        self._client: httpx.AsyncClient | None = None
        self._hosts: dict[tuple[str, str, int | None], asyncio.Semaphore] = {}

    # -- the public face --------------------------------------------------------------------------

    async def perform_all(self, task_id: str, requests: Sequence[FetchRequest]) -> dict[str, dict[str, Any]]:
        """All requests of one pause concurrently: ``{request_id: envelope}``."""
        envelopes = await asyncio.gather(*(self.perform(task_id, request) for request in requests))
        return {request.id: envelope for request, envelope in zip(requests, envelopes)}

    async def perform(self, task_id: str, request: FetchRequest) -> dict[str, Any]:
        """The resume envelope for one request (``{"error", "errorCode"}`` for a failure; never raises)."""
        started = time.perf_counter()
        secrets = Substitution(self.secrets)
        # The URL as the script wrote it: placeholders, never a secret's value.
        with span("seqflow.perform", {"seqflow.task_id": task_id, "seqflow.request_id": request.id,
                                      "http.request.method": request.method, "url.full": request.url}) as live:
            try:
                envelope, attempts = await self._perform(task_id, request, secrets)
            except PerformError as exc:
                envelope, attempts = {"error": secrets.redact(str(exc)), "errorCode": exc.code}, 0
            except Exception as exc:  # noqa: BLE001 - the boundary with the network: a script must get an answer
                trace = secrets.redact("".join(traceback.format_exception(exc)))
                logger.error("task %s: performing %s %s failed unexpectedly:\n%s", task_id, request.method,
                             request.url, trace, extra={"task_id": task_id, "request_id": request.id})
                envelope, attempts = {"error": f"request failed ({type(exc).__name__})",
                                      "errorCode": "internal_error"}, 0
            status = envelope.get("status")
            live.set("http.response.status_code", status)
            live.set("seqflow.error_code", envelope.get("errorCode"))
            live.set("seqflow.attempts", attempts)
        elapsed = time.perf_counter() - started
        outcome = status if status is not None else envelope.get("errorCode")
        logger.info("task %s: %s %s %s -> %s in %.0f ms (%d attempt(s))", task_id, request.id, request.method,
                    request.url, outcome, elapsed * 1000, attempts,
                    extra={"task_id": task_id, "request_id": request.id, "attempt": attempts, "status": outcome,
                           "duration_ms": round(elapsed * 1000, 3)})
        if self.on_result is not None:
            self.on_result(task_id, request, envelope, elapsed)
        return envelope

    async def aclose(self) -> None:
        """Close pooled connections (the performer opens new ones if used again)."""
        client, self._client = self._client, None
        self._hosts = {}
        if client is not None:
            await client.aclose()

    # -- one request: attempts and retries --------------------------------------------------------

    async def _perform(self, task_id: str, request: FetchRequest, secrets: Substitution
                       ) -> tuple[dict[str, Any], int]:
        prepared = self._prepare(task_id, request, secrets)
        policy = self.retry.narrowed(request.retry)
        repeatable = prepared.method in IDEMPOTENT_METHODS or "idempotency-key" in prepared.headers
        attempt = 0
        while True:
            attempt += 1
            last = attempt >= policy.max_attempts
            try:
                # The clock starts once the request has its host slot (see _exchange): waiting in line is no timeout.
                async with asyncio.timeout(None) as deadline:
                    outcome = await self._attempt(prepared, secrets, policy, attempt, not last and repeatable,
                                                  deadline)
            except TimeoutError:
                failure, sent = PerformError(f"no complete response within {self.total_timeout:g} s", "timeout"), True
            except PerformError:
                raise
            except Exception as exc:  # noqa: BLE001 - sorted (or raised again) by _network_error
                failure, sent = _network_error(exc)
            else:
                if isinstance(outcome, dict):
                    return outcome, attempt
                logger.info("task %s: %s answered a retryable status; retrying in %.2f s", task_id, request.id,
                            outcome, extra={"task_id": task_id, "request_id": request.id, "attempt": attempt})
                self.retried += 1
                await asyncio.sleep(outcome)
                continue
            # A request that never reached the server can be sent again whatever its method.
            if last or not (repeatable or not sent):
                raise failure
            wait = policy.backoff(attempt, self.rng)
            logger.info("task %s: %s failed (%s); retrying in %.2f s", task_id, request.id,
                        secrets.redact(str(failure)), wait,
                        extra={"task_id": task_id, "request_id": request.id, "attempt": attempt,
                               "status": failure.code})
            self.retried += 1
            await asyncio.sleep(wait)

    async def _attempt(self, prepared: _Prepared, secrets: Substitution, policy: RetryPolicy, attempt: int,
                       may_retry: bool, deadline: asyncio.Timeout) -> dict[str, Any] | float:
        """One send (redirects followed): the envelope, or the seconds to wait before retrying."""
        reply = await self._exchange(prepared, deadline)
        try:
            if may_retry and reply.response.status_code in policy.retry_statuses:
                asked = retry_after(reply.response.headers.get("retry-after"), time.time())
                if asked is None:
                    return policy.backoff(attempt, self.rng)
                if asked <= policy.max_delay:
                    return asked
            return await self._envelope(reply, secrets)
        finally:
            await reply.response.aclose()
            reply.slot.release()

    def _prepare(self, task_id: str, request: FetchRequest, secrets: Substitution) -> _Prepared:
        try:
            url = secrets.fill(request.url)
            headers = {name.lower(): secrets.fill(value) for name, value in request.headers.items()}
            body = None if request.body is None else secrets.fill(request.body).encode("utf-8", "replace")
        except UnknownSecret as exc:
            raise PerformError(str(exc), "unknown_secret") from None
        for name, value in headers.items():
            if any(c in value for c in "\r\n\0") or any(ord(c) > 0xFF for c in value):
                raise PerformError(f"header {name!r} would carry a secret that is not a valid header value",
                                   "bad_secret")
        if self.idempotency_keys and "idempotency-key" not in headers:
            headers["idempotency-key"] = idempotency_key(task_id, request.id)
        secret_headers = frozenset(name.lower() for name, value in request.headers.items() if has_placeholder(value))
        return _Prepared(request.method, url, headers, body, request.redirect, secret_headers,
                         frozenset(secrets.names), has_placeholder(request.body))

    # -- one attempt: the exchange and its redirects -------------------------------------------------

    def _client_now(self) -> httpx.AsyncClient:
        import httpx

        from .guarded_transport import GuardedTransport

        if self._client is None:
            self._client = httpx.AsyncClient(
                transport=GuardedTransport(self.policy, httpx.Limits(max_connections=self.max_connections),
                                           self.ssl_context),
                timeout=httpx.Timeout(self.read_timeout, connect=self.connect_timeout, pool=None),
                follow_redirects=False, trust_env=False)
        return self._client

    async def _exchange(self, prepared: _Prepared, deadline: asyncio.Timeout) -> _Reply:
        """Send ``prepared``, following redirects per its mode; the final response, its body unread.

        ``deadline`` is set to ``total_timeout`` from when the first hop gets its host slot.
        """
        import httpx

        client = self._client_now()
        method, url, headers, body = prepared.method, prepared.url, dict(prepared.headers), prepared.body
        for hop in range(MAX_REDIRECTS + 1):
            try:
                target = httpx.URL(url)
            except (httpx.InvalidURL, ValueError, TypeError):
                raise PerformError(f"invalid URL {url!r}", "bad_url") from None
            if target.scheme not in ("http", "https") or not target.host:
                raise PerformError(f"cannot fetch {url!r}: only http and https URLs with a host are supported",
                                   "bad_url")
            if hop == 0:
                self._check_secret_hosts(prepared, target)
            slot = self._host_slot(target)
            await slot.acquire()
            if hop == 0:
                deadline.reschedule(asyncio.get_running_loop().time() + self.total_timeout)
            try:
                # Header values are byte strings (Fetch's ByteString), sent as Latin-1 like Node does.
                raw = {name.encode("ascii"): value.encode("latin-1") for name, value in headers.items()}
                response = await client.send(client.build_request(method, target, headers=raw, content=body),
                                             stream=True)
            except BaseException:
                slot.release()
                raise
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or location is None or prepared.redirect == "manual":
                return _Reply(response, str(target), hop > 0, slot)
            await response.aclose()
            slot.release()
            if prepared.redirect == "error":
                raise PerformError(f"{url} redirects to {location}, and the request's redirect mode is 'error'",
                                   "redirect_refused")
            try:
                following = target.join(location)
            except (httpx.InvalidURL, ValueError, TypeError):
                raise PerformError(f"{url} redirects to an invalid URL {location!r}", "bad_url") from None
            if response.status_code == 303 and method not in ("GET", "HEAD") or \
                    response.status_code in (301, 302) and method == "POST":
                # Fetch 4.4 step 12: the redirect is a GET without the body.
                method, body = "GET", None
                for name in _BODY_HEADERS:
                    headers.pop(name, None)
            if (following.scheme, following.host, following.port) != (target.scheme, target.host, target.port):
                if body is not None and prepared.secret_body:
                    raise PerformError(f"{url} redirects to another origin, and the body it would send there "
                                       "carries a secret", "secret_not_allowed")
                for name in _CREDENTIAL_HEADERS | prepared.secret_headers:
                    headers.pop(name, None)
            url = str(following)
        raise PerformError(f"more than {MAX_REDIRECTS} redirects", "too_many_redirects")

    def _check_secret_hosts(self, prepared: _Prepared, target: httpx.URL) -> None:
        """Refuse a request carrying a secret to a host the secret is not meant for (as httpx parsed the URL)."""
        host = target.host.lower().rstrip(".")
        for name in sorted(prepared.secret_names):
            hosts = self.secret_hosts.get(name)
            if hosts is not None and host not in hosts:
                raise PerformError(f"secret {name!r} may not be sent to {host} (secret_hosts)", "secret_not_allowed")

    def _host_slot(self, url: httpx.URL) -> asyncio.Semaphore:
        key = (url.scheme, url.host, url.port)
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = asyncio.Semaphore(self.per_host_limit)
        return slot

    async def _envelope(self, reply: _Reply, secrets: Substitution) -> dict[str, Any]:
        """The resume envelope of a final response: its body read up to the cap, secrets redacted."""
        response = reply.response
        body = await self._read_capped(response)
        redacted = secrets.redact_bytes(body) if secrets.used else body
        envelope: dict[str, Any] = {
            "status": response.status_code,
            "statusText": secrets.redact(response.reason_phrase),
            "headers": {name: secrets.redact(value) for name, value in response.headers.items()},
            "url": secrets.redact(reply.url),
            "redirected": reply.redirected,
        }
        envelope.update(_body_fields(redacted, response.headers.get("content-type", ""), response.charset_encoding))
        if "data" in envelope:
            try:
                normalise_response({"data": envelope["data"]}, False, sys.maxsize)
            except BadArgumentError:
                # JSON the runtime cannot take as is (NaN, integers past 2**53, deep nesting): the script
                # parses the text itself, by JSON.parse's own rules.
                del envelope["data"]
                envelope.update(_text_fields(redacted, response.charset_encoding))
        return envelope

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """The (decoded) body, refusing it as soon as it is over ``max_response_bytes``."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            raise PerformError(f"the response is over max_response_bytes ({self.max_response_bytes} bytes; "
                               f"it declares {declared})", "response_too_large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_response_bytes:
                raise PerformError(f"the response is over max_response_bytes ({self.max_response_bytes} bytes)",
                                   "response_too_large")
            chunks.append(chunk)
        return b"".join(chunks)


def _body_fields(body: bytes, content_type: str, charset: str | None) -> dict[str, Any]:
    """``data`` for a JSON body that parses, else the text (or base64) fields."""
    if "json" in content_type.lower():
        try:
            return {"data": json.loads(body.decode(charset or "utf-8"))}
        except (ValueError, LookupError, RecursionError):
            pass
    return _text_fields(body, charset)


def _text_fields(body: bytes, charset: str | None) -> dict[str, Any]:
    try:
        return {"body": body.decode(charset or "utf-8")}
    except (UnicodeDecodeError, LookupError):
        return {"bodyBase64": base64.b64encode(body).decode("ascii")}


def _network_error(exc: Exception) -> tuple[PerformError, bool]:
    """A failed exchange as the script's error, and whether the request may have reached the server."""
    import httpx

    if isinstance(exc, OutboundRefused):
        raise PerformError(str(exc), "outbound_refused") from None
    if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
        return PerformError(f"could not connect: {exc or type(exc).__name__}", "connect_failed"), False
    if isinstance(exc, httpx.TimeoutException):
        return PerformError(f"timed out: {exc or type(exc).__name__}", "timeout"), True
    if isinstance(exc, httpx.UnsupportedProtocol):
        raise PerformError(str(exc), "bad_url") from None
    if isinstance(exc, (httpx.TransportError, httpx.DecodingError, httpx.StreamError)):
        return PerformError(f"{type(exc).__name__}: {exc}", "network_error"), True
    raise exc

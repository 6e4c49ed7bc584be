"""An httpx transport that connects only where the outbound policy allows.

The check sits in the network backend of httpcore's connection pool, where a
host name becomes a socket: the backend resolves the name itself, checks
every address it got, and connects to a checked address. A DNS answer that
changes between the check and the connection (rebinding) therefore changes
nothing, redirects are checked like any new connection, and TLS still
verifies the certificate against the name (httpcore takes SNI from the URL).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import select
import socket
import ssl
import sys
from typing import Any

import anyio
import httpcore
import httpx

from .outbound import IPAddress, OutboundPolicy, OutboundRefused

# httpcore imports sniffio whenever it makes a lock or an event (several times per request) and falls back to
# asyncio when that fails; anyio 4 no longer installs sniffio, and Python does not remember a failed import, so
# each attempt searched every directory of sys.path (about a fifth of a busy worker's event-loop time). A None
# entry makes the import fail at once, with the same ImportError.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]  # None is how sys.modules marks a module absent


def _readable(sock: socket.socket) -> bool:
    """Whether reading ``sock`` would not block (data, or the peer's close): an idle pooled connection that
    is readable has expired. A closed socket counts as readable."""
    if sock.fileno() < 0:
        return True
    if not hasattr(select, "poll"):
        return bool(select.select([sock], [], [], 0)[0])
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    """A connection's stream that answers httpcore's "is_readable" from the socket it keeps.

    httpcore asks every pooled connection whether it expired before each request it places; anyio's stream
    answers by building its whole attribute table (a ``getpeername`` call among others) each time, which
    made the pool's bookkeeping cost more than the request on a busy worker.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream, sock: socket.socket | None = None) -> None:
        self.inner = inner
        self.sock: socket.socket | None = sock if sock is not None else inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """The inner stream's read."""
        return await self.inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """The inner stream's write."""
        await self.inner.write(buffer, timeout)

    async def aclose(self) -> None:
        """The inner stream's close."""
        await self.inner.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        """TLS over the same socket (whose readability still tells whether the peer closed)."""
        return _Stream(await self.inner.start_tls(ssl_context, server_hostname, timeout), self.sock)

    def get_extra_info(self, info: str) -> Any:
        """"is_readable" from the kept socket; anything else from the inner stream."""
        if info == "is_readable" and self.sock is not None:
            return _readable(self.sock)
        return self.inner.get_extra_info(info)


async def resolve(host: str, port: int, timeout: float | None) -> list[IPAddress]:
    """Every address ``host`` resolves to (an address literal is itself), as httpcore errors on failure."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        with anyio.fail_after(timeout):
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from None
    # A scoped IPv6 address ("fe80::1%eth0") is checked without its zone.
    addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos))
    if not addresses:
        raise httpcore.ConnectError(f"cannot resolve {host}")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """anyio's network backend behind the outbound policy."""

    def __init__(self, policy: OutboundPolicy) -> None:
        self.policy = policy
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None
                          ) -> httpcore.AsyncNetworkStream:
        """Resolve, check every address (one refused address refuses the host), connect to the first that answers."""
        addresses = await resolve(host, port, timeout)
        for ip in addresses:
            self.policy.check(host, ip, port)
        failure: Exception | None = None
        for ip in addresses:
            try:
                return _Stream(await self.inner.connect_tcp(str(ip), port, timeout, local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # resolve() returns at least one address
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        """Never: a script names hosts, not local sockets."""
        raise OutboundRefused("unix sockets are never reachable")

    async def sleep(self, seconds: float) -> None:
        """The inner backend's sleep."""
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose network backend is :class:`GuardedBackend`."""

    def __init__(self, policy: OutboundPolicy, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None) -> None:
        ssl_context = ssl_context or httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        # httpx has no parameter for the pool's network backend; httpcore's pool has one.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )

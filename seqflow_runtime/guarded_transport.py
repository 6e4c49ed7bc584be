"""An httpx transport that connects only where the outbound policy allows.

The check sits in the network backend of httpcore's connection pool, where a
host name becomes a socket: the backend resolves the name itself, checks
every address it got, and connects to a checked address. A DNS answer that
changes between the check and the connection (rebinding) therefore changes
nothing, redirects are checked like any new connection, and TLS still
verifies the certificate against the name (httpcore takes SNI from the URL).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from typing import Any

import anyio
import httpcore
import httpx

from .outbound import IPAddress, OutboundPolicy, OutboundRefused


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
                return await self.inner.connect_tcp(str(ip), port, timeout, local_address, socket_options)
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

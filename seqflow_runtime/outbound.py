"""The outbound policy: which addresses a performed request may reach.

A script is hostile, so the host it names is not trusted to be on the public
internet. Every address a request would connect to, after DNS resolution, is
checked: loopback, private, shared (CGNAT), link-local (cloud metadata lives
at 169.254.169.254), multicast, unspecified and reserved addresses are
refused, in IPv4, IPv6 and IPv4 embedded in IPv6 (mapped, NAT64, 6to4). An
allowlist opens a host name, an address or a network, optionally on one port.

This module is policy only (no I/O); the performer resolves and connects to
the address it checked, so a DNS answer that changes in between (rebinding)
changes nothing.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from typing import Sequence, Union

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

#: Environment variable with comma-separated allowlist entries (``seqflow run``, the worker, ``Flow.run``).
ALLOW_HOSTS_ENV = "SEQFLOW_ALLOW_HOSTS"

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
             ipaddress.ip_address("100.100.100.200")}


class OutboundRefused(Exception):
    """A request (or one of its redirects) would reach an address the policy refuses."""


def embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), else ``ip`` itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour is not None:
            return ip.sixtofour
    return ip


def refusal_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address a script may reach (``None`` when it is)."""
    ip = embedded_ipv4(ip)
    if ip in _METADATA:
        return "a cloud metadata address"
    for test, reason in ((ip.is_unspecified, "an unspecified address"), (ip.is_loopback, "a loopback address"),
                         (ip.is_link_local, "a link-local address"), (ip.is_multicast, "a multicast address"),
                         (ip.is_private, "a private address")):
        if test:
            return reason
    return None if ip.is_global else "not a public address"


@dataclass(frozen=True)
class AllowEntry:
    """One allowlist entry: a host name, an address or a network, on any port or one."""

    host: str | None
    network: IPNetwork | None
    port: int | None

    @classmethod
    def parse(cls, text: str) -> AllowEntry:
        """Read ``host``, ``host:port``, ``10.0.0.0/8``, ``[::1]:9000`` or ``::1``; ``ValueError`` otherwise."""
        entry = text.strip()
        if not entry:
            raise ValueError("an empty allowlist entry")
        port: int | None = None
        if entry.startswith("["):
            address, _, rest = entry[1:].partition("]")
            if rest:
                port = _port(rest.removeprefix(":"), text)
            entry = address
        elif entry.count(":") == 1:
            entry, _, port_text = entry.partition(":")
            port = _port(port_text, text)
        try:
            return cls(None, ipaddress.ip_network(entry, strict=False), port)
        except ValueError:
            pass
        if not entry or any(c in entry for c in "/@ []"):
            raise ValueError(f"not a host, address or network: {text!r}")
        return cls(entry.lower().rstrip("."), None, port)

    def opens(self, host: str, ip: IPAddress, port: int) -> bool:
        """Whether this entry opens a connection to ``ip`` (resolved from ``host``) on ``port``."""
        if self.port is not None and self.port != port:
            return False
        if self.host is not None:
            return self.host == host.lower().rstrip(".")
        assert self.network is not None
        return ip in self.network or embedded_ipv4(ip) in self.network


def _port(text: str, entry: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"bad port in allowlist entry {entry!r}")
    return int(text)


class OutboundPolicy:
    """Refuses non-public addresses unless an allowlist entry opens them."""

    def __init__(self, allow_hosts: Sequence[str] = ()) -> None:
        if isinstance(allow_hosts, str):
            raise TypeError("allow_hosts is a sequence of entries, not one string")
        self.entries = tuple(AllowEntry.parse(entry) for entry in allow_hosts)

    def check(self, host: str, ip: IPAddress, port: int) -> None:
        """Raise :class:`OutboundRefused` when ``host`` (resolved to ``ip``) may not be reached on ``port``."""
        reason = refusal_reason(ip)
        if reason is None or any(entry.opens(host, ip, port) for entry in self.entries):
            return
        shown = host if host == str(ip) else f"{host} ({ip})"
        raise OutboundRefused(f"refused to connect to {shown}: {reason} (allow it with allow_hosts / "
                              f"--allow-host / {ALLOW_HOSTS_ENV})")


def hosts_from_env() -> list[str]:
    """The allowlist entries in ``SEQFLOW_ALLOW_HOSTS`` (comma-separated; empty when unset)."""
    return [entry.strip() for entry in os.environ.get(ALLOW_HOSTS_ENV, "").split(",") if entry.strip()]

"""Bearer-key authentication for every route but the health check (ASGI middleware, so streams pass through)."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from .http import error_response

#: Paths answered without a key (load balancers probe them).
OPEN_PATHS = frozenset({"/healthz"})


def key_matches(given: str, keys: Sequence[bytes]) -> bool:
    """Whether ``given`` is one of ``keys``; every key is compared, each in constant time."""
    candidate = given.encode("utf-8", "surrogatepass")
    found = False
    for key in keys:
        found |= hmac.compare_digest(candidate, key)
    return found


class BearerAuth:
    """Refuses a request without ``Authorization: Bearer KEY`` for one of ``keys`` (401 ``unauthorized``)."""

    def __init__(self, app: ASGIApp, keys: Sequence[str]) -> None:
        self.app = app
        self.keys = [k.encode("utf-8", "surrogatepass") for k in keys]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.keys or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and key_matches(token.strip(), self.keys):
            await self.app(scope, receive, send)
            return
        response = error_response(401, "unauthorized", "this server needs an API key: Authorization: Bearer KEY")
        response.headers["WWW-Authenticate"] = "Bearer"
        await response(scope, receive, send)

"""Bearer-key authentication for every route but the health check and the dashboard's sign-in (ASGI middleware,
so streams pass through). A signed-in browser's cookie (see :mod:`.session`) counts as the Bearer header."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from .http import error_response
from .session import cookie_key, header

#: Paths answered without a key (load balancers probe the first; a browser signs in on the second).
OPEN_PATHS = frozenset({"/healthz", "/login"})
#: Path prefixes answered without a key: the dashboard's stylesheet and script (nothing secret).
OPEN_PREFIXES = ("/static/",)
#: The APIs' paths (and everything under ``/api/``): a GET elsewhere without a key is a page load, sent to sign in.
API_PATHS = frozenset({"/task", "/call", "/status", "/metrics", "/openapi.json"})


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
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not self.keys or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        scheme, _, token = (header(scope, b"authorization") or "").partition(" ")
        cookie = cookie_key(scope)
        if scheme.lower() == "bearer" and key_matches(token.strip(), self.keys) or \
                cookie is not None and key_matches(cookie, self.keys):
            await self.app(scope, receive, send)
            return
        response: Response
        if scope["method"] == "GET" and not path.startswith("/api/") and path not in API_PATHS:
            response = RedirectResponse(f"/login?{urlencode({'next': path})}", status_code=303)
        else:
            response = error_response(401, "unauthorized", "this server needs an API key: Authorization: Bearer KEY")
            response.headers["WWW-Authenticate"] = "Bearer"
        await response(scope, receive, send)

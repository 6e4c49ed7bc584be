"""The dashboard's sign-in cookie, and the same-origin rule that keeps other sites from posting to the server.

A browser cannot attach ``Authorization: Bearer`` to page loads, links or
``EventSource``, so the dashboard's sign-in form (``/login``) checks the API
key and sets it as a cookie: ``HttpOnly`` (page scripts never read it),
``SameSite=Strict`` (other sites' pages do not send it), ``Secure`` over HTTPS.
Every route accepts that cookie as it accepts the Bearer header.

Cross-site request forgery: a state-changing request (any method but GET,
HEAD, OPTIONS) that a browser marks as coming from another site (its
``Origin`` is not this server's host, or ``Sec-Fetch-Site`` says
``cross-site``/``same-site``) is refused with 403 ``cross_origin``, with or
without keys (a keyless server on loopback is as exposed to a hostile page as
any other). Clients that are not browsers send neither header and pass.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from .http import error_response

#: The cookie holding a signed-in browser's API key.
COOKIE = "seqflow_key"
#: Methods that change nothing, so no origin check is needed.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def header(scope: Scope, name: bytes) -> str | None:
    """The request header ``name`` (lower case), or ``None``."""
    for key, value in scope["headers"]:
        if key == name:
            text: str = value.decode("latin-1")
            return text
    return None


def cookie_key(scope: Scope) -> str | None:
    """The API key a signed-in browser sent in its cookie, or ``None``."""
    raw = header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None and morsel.value else None


def set_cookie_header(key: str, secure: bool) -> str:
    """The ``Set-Cookie`` value that signs a browser in with ``key`` (for the browser's session)."""
    jar: SimpleCookie = SimpleCookie()
    jar[COOKIE] = key
    morsel = jar[COOKIE]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "Strict"
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()


def clear_cookie_header() -> str:
    """The ``Set-Cookie`` value that signs a browser out."""
    return f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"


def cross_site(scope: Scope) -> bool:
    """Whether a browser says the request comes from a page of another site than this server's."""
    fetch_site = header(scope, b"sec-fetch-site")
    if fetch_site in ("cross-site", "same-site"):
        return True
    origin = header(scope, b"origin")
    if origin is None:
        return False
    host = header(scope, b"host")
    return origin == "null" or host is None or urlsplit(origin).netloc.lower() != host.lower()


class SameOriginGuard:
    """Refuses state-changing requests from other sites' pages (403 ``cross_origin``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and cross_site(scope):
            response = error_response(403, "cross_origin", "a page of another site may not change anything here")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

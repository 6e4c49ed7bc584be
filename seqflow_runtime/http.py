"""Performing a task's requests for real (``Flow.run`` and the CLI), with httpx."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from .errors import MissingExtraError
from .task import FetchRequest
from .version import install_hint

if TYPE_CHECKING:
    import httpx

TIMEOUT = 30.0


def require_http() -> None:
    """Fail early, before any task exists, when the ``http`` extra (httpx) is missing."""
    try:
        import httpx  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError(f"performing requests needs httpx: {install_hint('http')}") from exc


def perform(request: FetchRequest, timeout: float = TIMEOUT, client: httpx.Client | None = None) -> dict[str, Any]:
    """Send ``request`` (through ``client``'s connection pool, if given); the response as a resume envelope
    (network failures as ``error``)."""
    require_http()
    import httpx

    try:
        response = (client or httpx).request(request.method, request.url, headers=request.headers or None,
                                 content=request.body, timeout=timeout, follow_redirects=True)
    except httpx.HTTPError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    envelope: dict[str, Any] = {
        "status": response.status_code,
        "statusText": response.reason_phrase,
        "headers": dict(response.headers),
    }
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        try:
            envelope["data"] = response.json()
            return envelope
        except ValueError:
            pass
    try:
        envelope["body"] = response.content.decode(response.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        envelope["bodyBase64"] = base64.b64encode(response.content).decode("ascii")
    return envelope

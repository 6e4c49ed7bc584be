"""``create_app``: the Starlette application, its in-process workers, and how errors become responses."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..aio import AsyncFlow
from ..errors import BadArgumentError, SeqflowError
from ..flow import Flow
from ..logs import get_logger
from ..storage import Storage
from ..webhooks import WebhookSender
from ..worker import Worker
from . import api, compat, dashboard, fork
from .auth import BearerAuth
from .http import MAX_BODY_BYTES, HTTPError, JSONResponse, error_response, from_seqflow_error
from .metrics import metrics
from .openapi import openapi_document
from .session import SameOriginGuard
from .state import ServerState, server_state

logger = get_logger("server")

#: Codes for the HTTP errors Starlette raises itself (unknown route, wrong method).
_STARLETTE_CODES = {404: "not_found", 405: "method_not_allowed"}


async def healthz(request: Request) -> JSONResponse:
    """``GET /healthz``: up, and how many workers run here (never needs a key)."""
    return JSONResponse({"ok": True, "workers": len(server_state(request).workers)})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPError)
    return error_response(exc.status, exc.code, exc.message, **exc.details)


async def _seqflow_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SeqflowError)
    return from_seqflow_error(exc)


async def _starlette_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, _STARLETTE_CODES.get(exc.status_code, "http_error"), str(exc.detail))


async def _internal_error(request: Request, exc: Exception) -> Response:
    # A bug of seqflow, not of the caller: logged with its traceback, answered without it.
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", f"internal error: {type(exc).__name__}")


def create_app(flow_or_storage: Flow | AsyncFlow | Storage, *, api_keys: Sequence[str] = (), workers: int = 1,
               allow_hosts: Sequence[str] = (), worker_concurrency: int = 16,
               max_body_bytes: int = MAX_BODY_BYTES, webhook_secret: str | None = None) -> Starlette:
    """The server's ASGI app over ``flow_or_storage``, with ``workers`` in-process workers (0: none).

    The workers perform requests to public hosts and to ``allow_hosts``; for
    more throughput run more processes on one storage.
    With ``api_keys``, every route but ``/healthz`` and the dashboard's
    sign-in needs ``Authorization: Bearer KEY`` (or the cookie ``/login``
    sets). The dashboard is at ``/``. Request bodies over ``max_body_bytes`` are 413.
    ``webhook_secret`` signs the webhooks of tasks created with a ``callbackUrl``
    (refused without it; see :mod:`seqflow_runtime.webhooks`).
    """
    if isinstance(flow_or_storage, AsyncFlow):
        flow = flow_or_storage
    elif isinstance(flow_or_storage, Flow):
        flow = AsyncFlow(flow_or_storage)
    elif isinstance(flow_or_storage, Storage):
        flow = AsyncFlow(Flow(storage=flow_or_storage))
    else:
        raise BadArgumentError("create_app needs a Flow, an AsyncFlow or a Storage")
    if not isinstance(workers, int) or isinstance(workers, bool) or not 0 <= workers <= 64:
        raise BadArgumentError("workers must be an integer from 0 to 64")
    if any(not isinstance(k, str) or not k for k in api_keys):
        raise BadArgumentError("API keys must be non-empty strings")
    # The workers share the API's AsyncFlow: one thread runs every script step (a Flow is not
    # thread-safe, and steps hold the GIL anyway), and its hot cache serves both.
    state = ServerState(flow=flow, max_body_bytes=max_body_bytes, api_keys=tuple(api_keys),
                        webhook_secret=bool(webhook_secret))
    state.workers = [Worker(flow, concurrency=worker_concurrency, allow_hosts=allow_hosts,
                            webhooks=WebhookSender(webhook_secret, allow_hosts=allow_hosts),
                            on_step=lambda task, _: state.watch.changed(task.id, task)) for _ in range(workers)]
    flow.flow.on_run = state.runs.observe

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        running = [asyncio.create_task(w.run()) for w in state.workers]
        watching = asyncio.create_task(state.watch.run())
        try:
            yield
        finally:
            watching.cancel()
            # Graceful: each worker finishes the step it is on and releases its leases.
            for worker in state.workers:
                worker.stop()
            await asyncio.gather(*running, return_exceptions=True)
            await flow.aclose()

    served = [Route("/healthz", healthz, methods=["GET"]), Route("/metrics", metrics, methods=["GET"]),
              *compat.routes, *api.routes, *fork.routes]
    document = openapi_document(served)

    async def openapi(request: Request) -> JSONResponse:
        """``GET /openapi.json``: this document."""
        return JSONResponse(document)

    app = Starlette(
        routes=[*served, Route("/openapi.json", openapi, methods=["GET"]), *dashboard.routes],
        middleware=[Middleware(SameOriginGuard), Middleware(BearerAuth, keys=list(api_keys))],
        exception_handlers={HTTPError: _http_error, SeqflowError: _seqflow_error,
                            HTTPException: _starlette_error, Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.seqflow = state
    return app

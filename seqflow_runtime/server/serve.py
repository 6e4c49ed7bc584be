"""Serving the app with uvicorn until SIGTERM/SIGINT, then exiting normally (status 0) after a graceful shutdown."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

import uvicorn
from starlette.applications import Starlette


#: Seconds a stopping server waits for open connections (event streams) before closing them.
GRACE = 5


class _Server(uvicorn.Server):
    """uvicorn's server, except that a stop signal is not raised again once the shutdown is done.

    (uvicorn re-raises it so the process dies of the signal; a deliberate stop
    that completed cleanly should exit 0, as ``seqflow worker`` does.)
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def serve(app: Starlette, host: str, port: int) -> None:
    """Serve ``app`` on ``host:port`` until stopped; the app's lifespan stops its workers gracefully."""
    # Open event streams (a dashboard tab following a paused task) never end by themselves: after
    # GRACE seconds the shutdown closes them; the workers still finish their steps (the lifespan).
    _Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                           timeout_graceful_shutdown=GRACE)).run()

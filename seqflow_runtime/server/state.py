"""What the routes share: the API's AsyncFlow, the in-process workers, the limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from ..aio import AsyncFlow
from ..worker import Worker
from .http import MAX_BODY_BYTES


@dataclass
class ServerState:
    """The app's shared objects (``app.state.seqflow``)."""

    flow: AsyncFlow
    workers: list[Worker] = field(default_factory=list)
    max_body_bytes: int = MAX_BODY_BYTES
    #: The API keys (none: the server is open, on loopback only); the dashboard's sign-in checks them.
    api_keys: tuple[str, ...] = ()

    def wake_workers(self) -> None:
        """Tell the workers a task may have become runnable, so they claim it now rather than after a poll."""
        for worker in self.workers:
            worker.poke()


def server_state(request: Request) -> ServerState:
    """The state of the app serving ``request``."""
    state: ServerState = request.app.state.seqflow
    return state

"""What the routes share: the API's AsyncFlow, the in-process workers, the limits, the event streams' watch."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from ..aio import AsyncFlow
from ..metrics import RunMetrics
from ..task import Task
from ..worker import Worker
from .http import MAX_BODY_BYTES
from .watch import TaskWatch


@dataclass
class ServerState:
    """The app's shared objects (``app.state.seqflow``)."""

    flow: AsyncFlow
    workers: list[Worker] = field(default_factory=list)
    max_body_bytes: int = MAX_BODY_BYTES
    #: The API keys (none: the server is open, on loopback only); the dashboard's sign-in checks them.
    api_keys: tuple[str, ...] = ()
    #: Whether webhooks can be signed here (a task with a ``callbackUrl`` is refused otherwise).
    webhook_secret: bool = False
    #: The replay figures of every run in this process (``/metrics``).
    runs: RunMetrics = field(default_factory=RunMetrics)
    #: When the storage's tasks were last counted by status (monotonic seconds), and the counts (``/metrics``).
    task_counts: tuple[float, dict[str, int]] = (float("-inf"), {})
    #: The event streams' waits on tasks.
    watch: TaskWatch = field(init=False)

    def __post_init__(self) -> None:
        self.watch = TaskWatch(self.flow.flow.storage)

    def wake_workers(self) -> None:
        """Tell the workers a task may have become runnable, so they claim it now rather than after a poll."""
        for worker in self.workers:
            worker.poke()

    def moved(self, task: Task) -> None:
        """``task`` was just stored by this process: wake the workers and the task's event streams."""
        self.wake_workers()
        self.watch.changed(task.id, task)


def server_state(request: Request) -> ServerState:
    """The state of the app serving ``request``."""
    state: ServerState = request.app.state.seqflow
    return state

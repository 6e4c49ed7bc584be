"""Child tasks (``runTask``): their ids, the outcome their parent gets, and the work a step leaves behind.

A child task's id is derived from its parent's id and the start's id within
the parent (``task-1``, ``task-2``...), so every replay and every process that
creates it names the same task, and creating it twice is a
``TaskExistsError`` the Flow ignores. When a task's step is saved, the Flow
has follow-up work: create the children it started, tell its parent that it
ended, cancel the children it no longer waits on. That work may step other
tasks, which leave work of their own; :class:`FollowUps` runs it all as one
queue in the thread that saved the first step (never as a recursion as deep
as the tree of tasks), and at most :data:`FOLLOW_UP_BUDGET` of the creations
and deliveries in one call: a tree of children that all end at once must not
hold its caller for minutes. What the budget leaves is not lost: a parent's
next look at its children (``check_at``) creates the missing ones and
delivers the ended ones. Cancellations always run (nothing would redo them).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from .errors import SeqflowError
from .logs import get_logger
from .task import Task

logger = get_logger("flow")

#: Seconds after a task's save at which a worker looks at its pending children again, in case an outcome
#: never reached it (a process died between saving the child and telling the parent); see ``Task.check_at``.
CHILD_CHECK = 60.0
#: Child creations and outcome deliveries one Flow call runs at most (the rest wait for the parent's next look).
FOLLOW_UP_BUDGET = 1000
#: Longest task id (as ``Flow`` accepts).
_MAX_ID = 255


def child_task_id(parent_id: str, start_id: str) -> str:
    """The id of the child task ``start_id`` of ``parent_id``: ``<parent>.<start>``, hashed when longer than
    a task id may be."""
    plain = f"{parent_id}.{start_id}"
    if len(plain) <= _MAX_ID:
        return plain
    digest = hashlib.sha256(plain.encode("utf-8")).hexdigest()[:40]
    return f"{parent_id[:_MAX_ID - len(start_id) - 42]}~{digest}.{start_id}"


def child_event(child: Task, start_id: str, max_bytes: int) -> dict[str, Any]:
    """The log event that tells a parent how its child ``start_id`` ended (a result over ``max_bytes`` of JSON
    is delivered as a failure: the parent's log must stay bounded)."""
    event: dict[str, Any] = {"child": start_id, "taskId": child.id, "status": child.status}
    if child.status == "completed":
        size = len(json.dumps(child.result, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        if size <= max_bytes:
            event["result"] = child.result
            return event
        event["status"] = "error"
        event["error"] = {"name": "RangeError", "code": "limit_exceeded", "limit": "max_payload_bytes",
                          "message": f"The child task's result is {size} bytes of JSON, more than {max_bytes}"}
        return event
    details = child.error_details or {}
    event["error"] = {key: details[key] for key in ("name", "message", "code") if details.get(key) is not None}
    if "message" not in event["error"]:
        event["error"]["message"] = child.error or ""
    return event


#: A piece of follow-up work, and whether a parent's next look redoes it if it is left undone.
Work = tuple[Callable[[], "Task | None"], bool]


def taken_event(child_id: str, start_id: str) -> dict[str, Any]:
    """The outcome a parent gets when its child's id belongs to a task it did not start (made by
    someone else, before it): a failure, never that task's result."""
    return {"child": start_id, "taskId": child_id, "status": "error",
            "error": {"name": "Error", "code": "child_id_taken",
                      "message": f"task id {child_id} belongs to a task this task did not start"}}


def is_child_of(task: Task, parent_id: str, start_id: str) -> bool:
    """Whether ``task`` is the child ``start_id`` of ``parent_id`` (not a task that took its id)."""
    return task.parent == {"taskId": parent_id, "requestId": start_id}


class FollowUps(threading.local):
    """The follow-up work of the steps saved in this thread, run as one queue by the outermost step."""

    def __init__(self) -> None:
        self.queue: deque[Work] = deque()
        self.running = False
        #: The newest state of each task a follow-up stepped (the outermost caller returns its own).
        self.latest: dict[str, Task] = {}

    def run(self, work: list[Work]) -> dict[str, Task]:
        """Queue ``work``; in the outermost call, run the queue dry and return the tasks it stepped."""
        self.queue.extend(work)
        if self.running:
            return {}
        self.running = True
        self.latest = {}
        budget = FOLLOW_UP_BUDGET
        try:
            while self.queue:
                action, redone = self.queue.popleft()
                if redone:
                    if budget <= 0:
                        continue
                    budget -= 1
                try:
                    stepped = action()
                except SeqflowError as exc:
                    # The step that left this work is saved; a worker's look at the parent's children
                    # (``check_at``) does it again.
                    logger.warning("child task follow-up failed: %s: %s", exc.code, exc,
                                   extra={"status": exc.code})
                    continue
                if stepped is not None:
                    self.latest[stepped.id] = stepped
            if budget <= 0:
                logger.info("child task follow-ups over the budget of %d were left to the parents' next look",
                            FOLLOW_UP_BUDGET)
            return self.latest
        finally:
            self.queue.clear()
            self.running = False

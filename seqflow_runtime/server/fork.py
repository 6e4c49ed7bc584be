"""``POST /api/v1/tasks/{id}/fork``: time travel, a new task started from a past pause of another (``Flow.fork``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.routing import Route

from ..task import Task
from .http import JSONResponse, body_field, read_json_object, task_json
from .state import ServerState, server_state


async def fork_task(state: ServerState, task_id: str, at_pause: Any, responses: dict[str, Any] | None,
                    new_id: str | None, name: str | None) -> Task:
    """Fork ``task_id`` at ``at_pause`` on the flow's thread, and let the workers take the new task."""
    task = await state.flow.call(state.flow.flow.fork, task_id, at_pause, responses=responses, id=new_id, name=name)
    state.wake_workers()
    return task


async def fork(request: Request) -> JSONResponse:
    """``POST /api/v1/tasks/{id}/fork {"atPause", "responses"?, "id"?, "name"?}``: 201 with the new task."""
    state = server_state(request)
    body = await read_json_object(request, state.max_body_bytes)
    at_pause: int = body_field(body, "atPause", int, required=True)
    task = await fork_task(state, request.path_params["id"], at_pause, body_field(body, "responses", dict),
                           body_field(body, "id", str), body_field(body, "name", str))
    return JSONResponse(task_json(task), status_code=201,
                        headers={"Location": f"/api/v1/tasks/{quote(task.id, safe='')}"})


routes = [Route("/api/v1/tasks/{id}/fork", fork, methods=["POST"])]

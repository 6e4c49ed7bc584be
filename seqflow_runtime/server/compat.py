"""flowstate-server's API: ``POST /task``, ``POST /call``, ``GET /status[?id=]``.

Shapes as flowstate-server's README gives them (``{"success": true, "task": {...}}``);
the task runs on by itself, its requests performed by the server's workers.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ..task import Task
from .http import JSONResponse, body_field, read_json_object
from .state import server_state
from .submit import start_task

#: Tasks ``GET /status`` lists at most (the REST API pages through any number).
STATUS_LIMIT = 1000


def seed_task(task: Task) -> dict[str, Any]:
    """flowstate-server's task summary, with the result or error once there is one."""
    first = task.fetch_request
    out: dict[str, Any] = {
        "id": task.id, "name": task.name, "status": task.status, "pauseCount": task.pause_count,
        "fetchRequest": None if first is None else {"id": first.id, "url": first.url},
    }
    if task.status == "completed":
        out["result"] = task.result
    elif task.error is not None:
        out["error"] = task.error
    return out


async def post_task(request: Request) -> JSONResponse:
    """``POST /task {"id", "name", "code"}``: start a task; the server performs its requests."""
    state = server_state(request)
    body = await read_json_object(request, state.max_body_bytes)
    task = await start_task(state, body)
    return JSONResponse({"success": True, "task": seed_task(task)})


async def post_call(request: Request) -> JSONResponse:
    """``POST /call {"taskId", "fetchResponse"}``: resume a paused task with a response by hand."""
    state = server_state(request)
    body = await read_json_object(request, state.max_body_bytes)
    task_id = body_field(body, "taskId", str, required=True)
    response = body_field(body, "fetchResponse", dict, required=True)
    task = await state.flow.resume(task_id, fetch_response=response)
    state.wake_workers()
    return JSONResponse({"success": True, "task": seed_task(task)})


async def get_status(request: Request) -> JSONResponse:
    """``GET /status?id=ID``: one task; ``GET /status``: all tasks (the first :data:`STATUS_LIMIT`)."""
    state = server_state(request)
    task_id = request.query_params.get("id")
    if task_id is not None:
        return JSONResponse({"success": True, "task": seed_task(await state.flow.get_task(task_id))})
    page = await state.flow.list_tasks(limit=STATUS_LIMIT)
    return JSONResponse({"success": True, "tasks": [seed_task(t) for t in page.tasks]})


routes = [
    Route("/task", post_task, methods=["POST"]),
    Route("/call", post_call, methods=["POST"]),
    Route("/status", get_status, methods=["GET"]),
]

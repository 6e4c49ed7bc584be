"""The REST API under ``/api/v1``: tasks (create, list, get, delete), answers, signals, cancel, log, transpile."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from seqflow_transpile import transpile

from ..task import Task
from .http import HTTPError, JSONResponse, body_field, read_json_object, task_json
from .state import server_state
from .submit import code_and_dialect, start_task

#: Seconds of silence after which the events stream sends a comment, so proxies keep it open.
EVENTS_KEEPALIVE = 15.0


Handler = TypeVar("Handler", bound=Callable[..., Any])


def body_schema(schema: dict[str, Any]) -> Callable[[Handler], Handler]:
    """Declare the JSON Schema of a handler's request body, for the OpenAPI document (``request_schema``)."""

    def declare(handler: Handler) -> Handler:
        setattr(handler, "request_schema", schema)
        return handler

    return declare


def _task_id(request: Request) -> str:
    task_id: str = request.path_params["id"]
    return task_id


@body_schema({"type": "object", "required": ["code"], "properties": {
    "code": {"type": "string"}, "id": {"type": "string"}, "name": {"type": "string"}, "input": {},
    "dialect": {"enum": ["standard", "sequential"]},
    "autoFetch": {"type": "boolean", "default": True,
                  "description": "false: workers leave the requests to a client (POST .../responses)"},
    "callbackUrl": {"type": "string", "format": "uri",
                    "description": "where a signed webhook is POSTed once the task ends"}}})
async def create_task(request: Request) -> JSONResponse:
    """``POST /api/v1/tasks {"code", "id"?, "name"?, "input"?, "dialect"?}``: 201 with the task."""
    state = server_state(request)
    task = await start_task(state, await read_json_object(request, state.max_body_bytes))
    return JSONResponse(task_json(task), status_code=201, headers={"Location": f"/api/v1/tasks/{quote(task.id, safe='')}"})


async def list_tasks(request: Request) -> JSONResponse:
    """``GET /api/v1/tasks?status=&limit=&cursor=&search=``: a page of tasks by id, and the next page's cursor."""
    state = server_state(request)
    params = request.query_params
    limit_text = params.get("limit", "100")
    if not limit_text.isdigit():
        raise HTTPError(400, "bad_arguments", "limit must be an integer from 1 to 10000")
    page = await state.flow.call(state.flow.flow.list_tasks, status=params.get("status") or None,
                                 limit=int(limit_text), cursor=params.get("cursor") or None,
                                 search=params.get("search") or None)
    return JSONResponse({"tasks": [task_json(t) for t in page.tasks], "nextCursor": page.next_cursor})


async def get_task(request: Request) -> JSONResponse:
    """``GET /api/v1/tasks/{id}``."""
    return JSONResponse(task_json(await server_state(request).flow.get_task(_task_id(request))))


async def delete_task(request: Request) -> Response:
    """``DELETE /api/v1/tasks/{id}``: 204, or 404 ``task_not_found``."""
    task_id = _task_id(request)
    state = server_state(request)
    if not await state.flow.delete_task(task_id):
        raise HTTPError(404, "task_not_found", f"no task with id {task_id!r}", taskId=task_id)
    state.watch.changed(task_id, None)
    return Response(status_code=204)


@body_schema({"type": "object", "minProperties": 1, "additionalProperties": {"type": "object"},
              "description": "responses keyed by request id"})
async def answer(request: Request) -> JSONResponse:
    """``POST /api/v1/tasks/{id}/responses {"REQUEST_ID": response, ...}``: resume with these answers."""
    state = server_state(request)
    responses = await read_json_object(request, state.max_body_bytes)
    if not responses:
        raise HTTPError(400, "bad_arguments", "give at least one response, keyed by request id")
    task = await state.flow.resume(_task_id(request), responses=responses)
    state.moved(task)
    return JSONResponse(task_json(task))


async def send_signal(request: Request) -> JSONResponse:
    """``POST /api/v1/tasks/{id}/signals/{name} {"payload"?}``: deliver a signal, run to the next pause."""
    state = server_state(request)
    body = await read_json_object(request, state.max_body_bytes, empty_ok=True)
    task = await state.flow.call(state.flow.flow.signal, _task_id(request), request.path_params["name"],
                                 body.get("payload"))
    state.moved(task)
    return JSONResponse(task_json(task))


async def cancel(request: Request) -> JSONResponse:
    """``POST /api/v1/tasks/{id}/cancel {"reason"?}``: cancel a paused task (its cleanup runs on)."""
    state = server_state(request)
    body = await read_json_object(request, state.max_body_bytes, empty_ok=True)
    task = await state.flow.call(state.flow.flow.cancel, _task_id(request), body_field(body, "reason", str))
    state.moved(task)
    return JSONResponse(task_json(task))


async def task_log(request: Request) -> JSONResponse:
    """``GET /api/v1/tasks/{id}/log``: the task's replay log (its ``vmState``) as JSON."""
    task = await server_state(request).flow.get_task(_task_id(request))
    return JSONResponse({"id": task.id, "version": task.version, "log": task.vm_state})


async def events(request: Request) -> StreamingResponse:
    """``GET /api/v1/tasks/{id}/events``: Server-Sent Events, one ``task`` event per stored change, until it ends."""
    state = server_state(request)
    task_id = _task_id(request)
    first = await state.flow.get_task(task_id)  # an unknown task is a 404 before the stream starts

    async def stream() -> AsyncIterator[str]:
        task: Task | None = first
        yield _sse(task_json(first), first.version)
        with state.watch.stream():
            while task is not None and task.status == "paused":
                try:
                    task = await state.watch.next(task_id, task.version, EVENTS_KEEPALIVE)
                except TimeoutError:
                    yield ": keep-alive\n\n"  # which also finds out a client that left
                    continue
                if task is None:
                    yield _sse({"code": "task_not_found", "error": f"task {task_id!r} was deleted or expired"},
                               None, "gone")
                else:
                    yield _sse(task_json(task), task.version)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _sse(data: dict[str, Any], version: int | None, event: str = "task") -> str:
    head = f"id: {version}\n" if version is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


async def transpile_code(request: Request) -> JSONResponse:
    """``POST /api/v1/transpile {"code", "dialect"?}``: the generated Python (400 with line and column for bad JS)."""
    state = server_state(request)
    body = await read_json_object(request, state.max_body_bytes)
    code, dialect = code_and_dialect(state, body)
    program = await state.flow.call(transpile, code, dialect)
    return JSONResponse({"python": program.python_source})


routes = [
    Route("/api/v1/tasks", create_task, methods=["POST"]),
    Route("/api/v1/tasks", list_tasks, methods=["GET"]),
    Route("/api/v1/tasks/{id}", get_task, methods=["GET"]),
    Route("/api/v1/tasks/{id}", delete_task, methods=["DELETE"]),
    Route("/api/v1/tasks/{id}/responses", answer, methods=["POST"]),
    Route("/api/v1/tasks/{id}/signals/{name}", send_signal, methods=["POST"]),
    Route("/api/v1/tasks/{id}/cancel", cancel, methods=["POST"]),
    Route("/api/v1/tasks/{id}/log", task_log, methods=["GET"]),
    Route("/api/v1/tasks/{id}/events", events, methods=["GET"]),
    Route("/api/v1/transpile", transpile_code, methods=["POST"]),
]

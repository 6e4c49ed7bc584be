"""Request bodies and error responses shared by the server's routes: bounded JSON in, stable codes out."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse as StarletteJSONResponse

from seqflow_transpile.errors import JSSyntaxError, SeqflowError

from ..task import Task

#: Request body size the server reads at most (the code's own limit is the Flow's ``max_source_bytes``).
MAX_BODY_BYTES = 4 * 1024 * 1024

#: HTTP status per error code; a code not here is a 400 (the caller's input) unless it is the storage's.
_STATUS = {
    "task_not_found": 404,
    "task_expired": 410,
    "task_exists": 409,
    "task_not_paused": 409,
    "version_conflict": 409,
    "request_already_answered": 409,
    "storage_error": 503,
    "missing_extra": 500,
    "corrupt_state": 500,
    "foreign_state": 500,
    "tampered_state": 500,
    "unsigned_state": 500,
    "replay_divergence": 500,
}


class JSONResponse(StarletteJSONResponse):
    """JSON with non-ASCII escaped: a JS string may hold a lone surrogate, which UTF-8 cannot carry but ``\\ud800`` can."""

    def render(self, content: object) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


class HTTPError(Exception):
    """An error the server answers with ``status`` and ``{"success": false, "error", "code"}``."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


def error_response(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    """The one error shape of every route (the seed's ``success``/``error`` plus a stable ``code``)."""
    return JSONResponse({"success": False, "error": message, "code": code, **details}, status_code=status)


def from_seqflow_error(exc: SeqflowError) -> JSONResponse:
    """A library error as a response: its code, its message, and where a syntax error is."""
    details: dict[str, Any] = {}
    if isinstance(exc, JSSyntaxError):
        details = {"line": exc.line, "column": exc.column}
    elif "task_id" in exc.details:
        details = {"taskId": exc.details["task_id"]}
    return error_response(_STATUS.get(exc.code, 400), exc.code, exc.message, **details)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 ``body_too_large`` as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPError(413, "body_too_large", f"the request body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPError(413, "body_too_large", f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json_object(request: Request, limit: int, *, empty_ok: bool = False) -> dict[str, Any]:
    """The body as a JSON object (400 ``bad_json`` if it is not JSON, ``bad_arguments`` if not an object)."""
    body = await read_body(request, limit)
    if not body.strip() and empty_ok:
        return {}
    try:
        value = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise HTTPError(400, "bad_json", f"the request body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise HTTPError(400, "bad_arguments", "the request body must be a JSON object")
    return value


def body_field(body: dict[str, Any], name: str, kind: type, required: bool = False) -> Any:
    """``body[name]`` if it has type ``kind`` (or is absent/null and not required); 400 otherwise."""
    value = body.get(name)
    if value is None:
        if required:
            raise HTTPError(400, "bad_arguments", f"{name!r} is required")
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise HTTPError(400, "bad_arguments", f"{name!r} must be a {kind.__name__}")
    return value


def task_json(task: Task) -> dict[str, Any]:
    """A task as the API shows it: the seeds' camelCase ``to_dict`` without ``vmState`` (that is ``/log``)."""
    out = task.to_dict()
    del out["vmState"]
    return out

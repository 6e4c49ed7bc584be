"""The OpenAPI document of the server's routes (``GET /openapi.json``), built from the routes themselves."""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from typing import Any

from starlette.routing import Route

from ..version import __version__

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["success", "error", "code"],
    "properties": {"success": {"const": False}, "error": {"type": "string"},
                   "code": {"type": "string", "description": "stable error code"},
                   "line": {"type": "integer"}, "column": {"type": "integer"}},
}
_JSON_OBJECT = {"content": {"application/json": {"schema": {"type": "object"}}}}


def _operation(route: Route, method: str) -> dict[str, Any]:
    doc = inspect.getdoc(route.endpoint) or ""
    op: dict[str, Any] = {
        "operationId": f"{route.endpoint.__name__}_{method.lower()}",
        "summary": doc.splitlines()[0] if doc else route.path,
        "responses": {
            "2XX": {"description": "success", **_JSON_OBJECT},
            "default": {"description": "an error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }
    params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
              for name in re.findall(r"{(\w+)}", route.path)]
    if params:
        op["parameters"] = params
    if method == "POST":
        schema = getattr(route.endpoint, "request_schema", None)
        op["requestBody"] = ({"required": True, "content": {"application/json": {"schema": schema}}}
                             if schema is not None else {"required": False, **_JSON_OBJECT})
    if route.path == "/healthz":
        op["security"] = []
    return op


def openapi_document(routes: Sequence[Route]) -> dict[str, Any]:
    """OpenAPI 3.1 for ``routes``: one operation per method, summarised by its handler's docstring."""
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        for method in sorted((route.methods or set()) - {"HEAD"}):
            paths.setdefault(route.path, {})[method.lower()] = _operation(route, method)
    return {
        "openapi": "3.1.0",
        "info": {"title": "seqflow server", "version": __version__},
        "paths": paths,
        "components": {"schemas": {"Error": _ERROR_SCHEMA},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }

"""What the dashboard's templates show, made from tasks and logs: text for values, forms back into responses.

Everything here returns plain text; the templates escape it (Jinja2's
autoescape), so a hostile task name, result, console line or response body is
shown as the characters it is.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from ..task import Task, iso
from .http import HTTPError

#: Characters of one value (a result, a response body) a page shows at most.
MAX_SHOWN = 100_000
#: A generated Python line's ``# L<n>`` marker.
_MARKER = re.compile(r"^(.*?)\s*# L(\d+)$")


def shown(text: str) -> str:
    """``text``, cut at :data:`MAX_SHOWN` characters with a note saying so."""
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[:MAX_SHOWN]}\n… ({len(text) - MAX_SHOWN} more characters not shown)"


def json_text(value: Any) -> str:
    """A JSON value, indented for reading."""
    return shown(json.dumps(value, indent=2, ensure_ascii=False))


def python_lines(source: str) -> list[tuple[str, int | None]]:
    """The generated Python's lines, each split from its ``# L<n>`` marker (the JS line, or ``None``)."""
    out: list[tuple[str, int | None]] = []
    for line in source.splitlines():
        match = _MARKER.match(line)
        out.append((match.group(1), int(match.group(2))) if match else (line, None))
    return out


def body_view(response: dict[str, Any]) -> dict[str, Any]:
    """A logged response's body for the viewer: its kind (json, text, base64, error), text and size."""
    if "error" in response:
        kind, text = "error", str(response["error"])
    elif "data" in response:
        kind, text = "json", json.dumps(response["data"], indent=2, ensure_ascii=False)
    elif "bodyBase64" in response:
        kind, text = "base64", str(response["bodyBase64"])
    else:
        kind, text = "text", str(response.get("body") or "")
    return {"kind": kind, "text": shown(text), "size": len(text)}


def annotate(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timeline with each response's body view, and each pause's next answer (the fork form's default)."""
    for i, entry in enumerate(entries):
        if entry["kind"] == "response":
            entry["body"] = body_view(entry["response"])
        if entry["kind"] == "pause":
            following = entries[i + 1] if i + 1 < len(entries) else None
            entry["answered"] = None
            if following is not None and following["kind"] == "response":
                view = body_view(following["response"])
                entry["answered"] = {"request_id": following["request"].get("id"), "kind": view["kind"],
                                     "status": following["status"] or 200,
                                     "text": view["text"] if view["kind"] in ("json", "text", "error") else ""}
    return entries


def response_from_form(fields: dict[str, str]) -> dict[str, Any]:
    """The response an answer form describes (``status``, ``kind``: json, text or error, ``body``)."""
    status_text = fields.get("status", "200").strip() or "200"
    if not status_text.isdigit() or not 100 <= int(status_text) <= 599:
        raise HTTPError(400, "bad_arguments", "the HTTP status must be a number from 100 to 599")
    body = fields.get("body", "")
    kind = fields.get("kind", "json")
    if kind == "error":
        return {"error": body or "network error"}
    if kind == "text":
        return {"status": int(status_text), "body": body}
    if kind != "json":
        raise HTTPError(400, "bad_arguments", "the body is json, text or error")
    return {"status": int(status_text), "data": json_field(body, "the response body", None)}


def json_field(text: str, what: str, empty: Any) -> Any:
    """``text`` parsed as JSON (``empty`` when blank); a 400 ``bad_json`` naming ``what`` otherwise."""
    if not text.strip():
        return empty
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise HTTPError(400, "bad_json", f"{what} is not JSON: {exc}") from None


def waiting(task: Task) -> str:
    """What a paused task waits on, in a few words (the list's column)."""
    if task.status != "paused":
        return ""
    parts = [f"{len(task.fetch_requests)} request{'s' if len(task.fetch_requests) != 1 else ''}"] \
        if task.fetch_requests else []
    if task.wake_at is not None:
        parts.append("a timer")
    if task.signals:
        parts.append("signal " + ", ".join(task.signals))
    return "; ".join(parts)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _ms_clock(ms: float | None) -> str:
    if ms is None:
        return ""
    moment = datetime.fromtimestamp(ms / 1000.0, timezone.utc)
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def environment() -> Environment:
    """The templates, autoescaped, with the filters they use."""
    env = Environment(loader=PackageLoader("seqflow_runtime.server", "templates"),
                      autoescape=select_autoescape(default=True))
    env.filters.update(iso=iso, clock=_clock, ms_clock=_ms_clock, json=json_text,
                       urlpart=lambda text: quote(str(text), safe=""))
    env.globals["waiting"] = waiting
    return env

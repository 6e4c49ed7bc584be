"""The dashboard at ``/``: server-rendered pages to watch, debug, answer and fork tasks.

Pages are Jinja2 templates (``templates/``) with one small script and
stylesheet (``static/``), no build step. The task list polls its own
fragment; a task page follows ``/api/v1/tasks/{id}/events``. Forms post
back here and redirect (post/redirect/get); a refused action shows the
page again with the error. Auth and cross-site protection are the app's
middleware (:mod:`.auth`, :mod:`.session`); ``/login`` sets the cookie.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from seqflow_transpile import JSSyntaxError, transpile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import SeqflowError
from ..task import TASK_STATUSES, Task
from ..timeline import Timeline, timeline
from .auth import key_matches
from .dashboard_view import annotate, environment, json_field, json_text, python_lines, response_from_form, shown
from .fork import fork_task
from .http import HTTPError, from_seqflow_error, read_body
from .session import clear_cookie_header, cookie_key, set_cookie_header
from .state import server_state

#: Tasks a status count reads at most (the storages have no count query); more shows as "500+".
COUNT_CAP = 500
#: Tasks a list page shows.
PAGE_SIZE = 50
#: Timeline entries a task page shows at most (the latest; a page must stay usable for a long-lived task).
MAX_ENTRIES = 2000
#: Bytes a form post may have.
MAX_FORM_BYTES = 1024 * 1024
#: Headers of every page: scripts and styles from this server only, no framing, no sniffing.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

_TEMPLATES = environment()


def _page(request: Request, name: str, http_status: int = 200, **context: Any) -> Response:
    keys = server_state(request).api_keys
    html = _TEMPLATES.get_template(name).render({"signed_in": bool(keys), "error": None, "error_code": None,
                                                 **context})
    # A JS string may hold a lone surrogate, which UTF-8 cannot encode: shown as its escape.
    return Response(html.encode("utf-8", "backslashreplace"), status_code=http_status,
                    media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def _task_url(task_id: str) -> str:
    return f"/tasks/{quote(task_id, safe='')}"


async def _form(request: Request) -> dict[str, str]:
    body = await read_body(request, MAX_FORM_BYTES)
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


# -- the task list --------------------------------------------------------------------------------


async def task_list(request: Request) -> Response:
    """``GET /?status=&q=&cursor=``: the tasks, counts per status, filters; ``fragment=1``: the results only."""
    state = server_state(request)
    params = request.query_params
    status = params.get("status") or None
    if status not in (None, *TASK_STATUSES):
        status = None
    q = params.get("q", "")
    flow = state.flow
    page = await flow.call(flow.flow.list_tasks, status=status, limit=PAGE_SIZE, cursor=params.get("cursor") or None,
                           search=q or None)
    counts = {}
    for name in TASK_STATUSES:
        found = len((await flow.call(flow.flow.list_tasks, status=name, limit=COUNT_CAP + 1)).tasks)
        counts[name] = f"{COUNT_CAP}+" if found > COUNT_CAP else str(found)
    total = sum(int(c.rstrip("+")) for c in counts.values())
    query = {k: v for k, v in (("status", status or ""), ("q", q)) if v}

    def filter_url(chosen: str) -> str:
        return "/?" + urlencode({**query, "status": chosen} if chosen else {k: v for k, v in query.items()
                                                                             if k != "status"})

    context: dict[str, Any] = dict(tasks=page.tasks, counts=counts, total=f"{total}+" if "+" in "".join(counts.values()) else total,
                   statuses=TASK_STATUSES, status=status, q=q, filter_url=filter_url,
                   next_url="/?" + urlencode({**query, "cursor": page.next_cursor}) if page.next_cursor else None,
                   live_url="/?" + urlencode({**query, "cursor": params.get("cursor", ""), "fragment": "1"}))
    return _page(request, "_results.html" if params.get("fragment") else "list.html", 200, **context)


# -- a task ---------------------------------------------------------------------------------------


def _task_context(task: Task, shown_timeline: Timeline | None) -> dict[str, Any]:
    """Everything the task page shows but the source."""
    details = task.error_details or {}
    entries = shown_timeline.entries if shown_timeline else []
    has_input = isinstance(task.vm_state, dict) and "input" in task.vm_state
    return dict(
        task=task, has_input=has_input,
        input_text=json_text(task.vm_state.get("input")) if has_input and task.vm_state else "",
        result_text=json_text(task.result), stack=shown(str(details.get("stack") or "")),
        error_line=details.get("line") if isinstance(details.get("line"), int) else None,
        timeline=annotate(entries[-MAX_ENTRIES:]),
        timeline_note=" ".join(note for note in (
            shown_timeline.note if shown_timeline else None,
            f"Showing the last {MAX_ENTRIES} of {len(entries)} entries." if len(entries) > MAX_ENTRIES else None)
            if note) or None,
    )


def _timeline_of(task: Task, limits: Any) -> Timeline | None:
    if not isinstance(task.vm_state, dict):
        return None
    try:
        return timeline(task.vm_state, task.logs, task.status == "paused", limits)
    except SeqflowError as exc:  # a log this seqflow cannot read at all
        return Timeline([], f"the log cannot be read ({exc.code}: {exc.message})")


def _source(task: Task) -> dict[str, Any]:
    try:
        py_lines: list[tuple[str, int | None]] | None = python_lines(transpile(task.code, task.dialect).python_source)
        py_error = None
    except JSSyntaxError as exc:
        py_lines, py_error = None, exc.message
    return dict(js_lines=task.code.replace("\r\n", "\n").split("\n"), py_lines=py_lines, py_error=py_error)


async def task_page(request: Request, error: HTTPError | None = None) -> Response:
    """``GET /tasks/{id}``: the task, its timeline and source; ``fragment=1``: the live part only."""
    state = server_state(request)
    flow = state.flow
    task_id: str = request.path_params["id"]
    try:
        task = await flow.get_task(task_id)
    except SeqflowError:
        return _page(request, "not_found.html", 404)
    context = _task_context(task, await flow.call(_timeline_of, task, flow.flow.limits))
    if error is not None:
        context.update(error=error.message, error_code=error.code)
    status = 200 if error is None else error.status
    if request.query_params.get("fragment"):
        return _page(request, "_live.html", status, **context)
    return _page(request, "task.html", status, **context, **(await flow.call(_source, task)))


async def _act(request: Request, action: Any) -> Response:
    """Run ``action(state, task_id, form)`` and go to the page it names; on a refusal, show the task with why."""
    state = server_state(request)
    task_id: str = request.path_params["id"]
    try:
        form = await _form(request)
        target = await action(state, task_id, form)
    except (SeqflowError, HTTPError) as exc:
        if isinstance(exc, SeqflowError):
            exc = HTTPError(from_seqflow_error(exc).status_code, exc.code, exc.message)
        return await task_page(request, exc)
    state.wake_workers()
    return RedirectResponse(_task_url(target), status_code=303)


async def _answer(state: Any, task_id: str, form: dict[str, str]) -> str:
    await state.flow.resume(task_id, responses={form.get("request_id", ""): response_from_form(form)})
    return task_id


async def _signal(state: Any, task_id: str, form: dict[str, str]) -> str:
    payload = json_field(form.get("payload", ""), "the payload", None)
    await state.flow.signal(task_id, form.get("name", ""), payload)
    return task_id


async def _cancel(state: Any, task_id: str, form: dict[str, str]) -> str:
    await state.flow.cancel(task_id, form.get("reason") or None)
    return task_id


async def _fork(state: Any, task_id: str, form: dict[str, str]) -> str:
    at_pause = form.get("at_pause", "")
    if not at_pause.isdigit():
        raise HTTPError(400, "bad_arguments", "pick a pause to fork from")
    request_id = form.get("request_id", "")
    responses = {request_id: response_from_form(form)} if request_id else None
    task = await fork_task(state, task_id, int(at_pause), responses, form.get("new_id") or None, None)
    return task.id


async def answer(request: Request) -> Response:
    """``POST /tasks/{id}/answer`` (form): answer one pending request by hand."""
    return await _act(request, _answer)


async def send_signal(request: Request) -> Response:
    """``POST /tasks/{id}/signal`` (form): send a signal with an optional JSON payload."""
    return await _act(request, _signal)


async def cancel(request: Request) -> Response:
    """``POST /tasks/{id}/cancel`` (form): cancel the task."""
    return await _act(request, _cancel)


async def fork(request: Request) -> Response:
    """``POST /tasks/{id}/fork`` (form): start a new task from a past pause, and go to it."""
    return await _act(request, _fork)


# -- signing in -----------------------------------------------------------------------------------


def _local_path(target: str | None) -> str:
    """``target`` if it is a path on this server (never another site's URL), else ``/``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def login(request: Request) -> Response:
    """``GET /login``: the sign-in form; ``POST /login`` (form ``key``): check the key, set the cookie."""
    keys = server_state(request).api_keys
    if not keys:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        return _page(request, "login.html", next=_local_path(request.query_params.get("next")))
    form = await _form(request)
    target = _local_path(form.get("next"))
    if not key_matches(form.get("key", ""), [k.encode("utf-8", "surrogatepass") for k in keys]):
        return _page(request, "login.html", 401, next=target)  # no hint which part was wrong
    response = RedirectResponse(target, status_code=303)
    response.headers.append("Set-Cookie", set_cookie_header(form["key"], request.url.scheme == "https"))
    return response


async def logout(request: Request) -> Response:
    """``POST /logout``: forget the cookie."""
    response = RedirectResponse("/login" if cookie_key(request.scope) else "/", status_code=303)
    response.headers.append("Set-Cookie", clear_cookie_header())
    return response


_STATIC = StaticFiles(directory=Path(__file__).with_name("static"))

routes: list[BaseRoute] = [
    Route("/", task_list, methods=["GET"]),
    Route("/tasks/{id}", task_page, methods=["GET"]),
    Route("/tasks/{id}/answer", answer, methods=["POST"]),
    Route("/tasks/{id}/signal", send_signal, methods=["POST"]),
    Route("/tasks/{id}/cancel", cancel, methods=["POST"]),
    Route("/tasks/{id}/fork", fork, methods=["POST"]),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Mount("/static", _STATIC, name="static"),
]

"""``POST /api/v1/tasks/{id}/fork`` and the same-origin guard, against a real ``seqflow serve`` process."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.test_server import Serve

CODE = "const a = await (await fetch('https://x.test/a')).json();\n" \
       "const b = await (await fetch('https://x.test/b?' + a.v)).json();\n[a.v, b.v]"


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    server = Serve(f"sqlite://{tmp_path_factory.mktemp('fork') / 'tasks.db'}", "--workers", "0")
    yield server
    server.stop()


def finished(serve: Serve, task_id: str) -> None:
    serve.http.post("/api/v1/tasks", json={"code": CODE, "id": task_id}).raise_for_status()
    serve.http.post(f"/api/v1/tasks/{task_id}/responses", json={"req-1": {"data": {"v": 1}}}).raise_for_status()
    serve.http.post(f"/api/v1/tasks/{task_id}/responses", json={"req-2": {"data": {"v": 2}}}).raise_for_status()


def test_fork_a_past_pause_with_another_response(serve: Serve) -> None:
    finished(serve, "o-1")
    forked = serve.http.post("/api/v1/tasks/o-1/fork", json={"atPause": 0, "id": "f-1", "name": "what if",
                                                             "responses": {"req-1": {"data": {"v": 7}}}})
    assert forked.status_code == 201, forked.text
    assert forked.headers["location"] == "/api/v1/tasks/f-1"
    task = forked.json()
    assert task["status"] == "paused" and task["name"] == "what if"
    assert [r["url"] for r in task["fetchRequests"]] == ["https://x.test/b?7"]
    log = serve.http.get("/api/v1/tasks/f-1/log").json()["log"]
    assert [r["url"] for r in log["requests"]] == ["https://x.test/a", "https://x.test/b?7"]
    done = serve.http.post("/api/v1/tasks/f-1/responses", json={"req-2": {"data": {"v": 3}}}).json()
    assert done["status"] == "completed" and done["result"] == [7, 3]
    assert serve.http.get("/api/v1/tasks/o-1").json()["result"] == [1, 2]
    waiting = serve.http.post("/api/v1/tasks/o-1/fork", json={"atPause": 1}).json()  # a new id, no answer
    assert waiting["status"] == "paused" and waiting["id"] != "o-1"
    assert [r["url"] for r in waiting["fetchRequests"]] == ["https://x.test/b?1"]
    assert "/api/v1/tasks/{id}/fork" in serve.http.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"atPause": 5}, 400, "bad_arguments"),
    ({"atPause": "0"}, 400, "bad_arguments"),
    ({}, 400, "bad_arguments"),
    ({"atPause": 0, "responses": [1]}, 400, "bad_arguments"),
    ({"atPause": 0, "responses": {"req-9": {"data": 1}}}, 400, "unknown_request"),
    ({"atPause": 0, "id": "o-2"}, 409, "task_exists"),
])
def test_fork_refusals(serve: Serve, body: dict[str, object], status: int, code: str) -> None:
    if serve.http.get("/api/v1/tasks/o-2").status_code == 404:
        finished(serve, "o-2")
    refused = serve.http.post("/api/v1/tasks/o-2/fork", json=body)
    assert (refused.status_code, refused.json()["code"]) == (status, code), refused.text
    missing = serve.http.post("/api/v1/tasks/nope/fork", json={"atPause": 0})
    assert missing.status_code == 404 and missing.json()["code"] == "task_not_found"


def test_other_sites_pages_cannot_change_anything(serve: Serve) -> None:
    serve.http.post("/api/v1/tasks", json={"code": "await waitForSignal('x')", "id": "guarded"}).raise_for_status()
    for headers in ({"Origin": "http://evil.test"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Origin": serve.base, "Sec-Fetch-Site": "same-site"}):
        for path in ("/api/v1/tasks/guarded/cancel", "/tasks/guarded/cancel"):
            refused = httpx.post(serve.base + path, headers=headers)
            assert refused.status_code == 403 and refused.json()["code"] == "cross_origin"
    assert serve.http.get("/api/v1/tasks/guarded").json()["status"] == "paused"
    same = httpx.post(serve.base + "/api/v1/tasks/guarded/signals/x",
                      headers={"Origin": serve.base, "Sec-Fetch-Site": "same-origin"})
    assert same.status_code == 200 and same.json()["status"] == "completed"
    # Reading is not guarded: a cross-site GET cannot read the answer anyway (no CORS).
    assert httpx.get(serve.base + "/api/v1/tasks/guarded", headers={"Origin": "http://evil.test"}).status_code == 200


def test_pages_escape_and_survive_odd_text(serve: Serve) -> None:
    hostile = "<script>alert(1)</script>\udc00"
    body = {"code": f"console.log({json.dumps(hostile)}); input", "id": "odd-page", "name": hostile, "input": hostile}
    serve.http.post("/api/v1/tasks", content=json.dumps(body).encode()).raise_for_status()  # \udc00 as JSON has it
    for path in ("/", "/tasks/odd-page", "/?q=%3Cscript%3E", "/tasks/odd-page?fragment=1"):
        page = serve.http.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    assert serve.http.get("/tasks/no-such").status_code == 404
    assert serve.http.get("/static/dashboard.js").headers["content-type"].startswith(("text/javascript",
                                                                                      "application/javascript"))

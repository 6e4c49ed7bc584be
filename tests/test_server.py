"""``seqflow serve`` as an HTTP client sees it: a real server process on a free loopback port, a local API it fetches from.

Storage is a fresh SQLite file (one test runs on PostgreSQL); the local API
(tests/http_server.py) is let through the outbound policy with ``--allow-host``.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.http_server import Handler, Server, start_server

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_DSN = os.environ.get("SEQFLOW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Serve:
    """A ``seqflow serve`` process and an HTTP client for it."""

    def __init__(self, storage: str, *extra: str, env: dict[str, str] | None = None, port: int | None = None,
                 keys: tuple[str, ...] = ()) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "seqflow_runtime.cli", "--storage", storage, "serve", "--port", str(self.port),
             *extra], env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        headers = {"Authorization": f"Bearer {keys[0]}"} if keys else {}
        self.http = httpx.Client(base_url=self.base, timeout=10, headers=headers)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"seqflow serve exited: {self.proc.communicate()[0]}")
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("seqflow serve did not come up")
            time.sleep(0.1)

    def stop(self) -> str:
        """SIGTERM, then its output; it must exit 0 (graceful)."""
        self.http.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=30)
        assert self.proc.returncode == 0, out
        return out

    def wait(self, task_id: str, status: str = "completed", timeout: float = 20) -> dict[str, Any]:
        """Poll the REST API until the task has ``status``."""
        deadline = time.monotonic() + timeout
        while True:
            task: dict[str, Any] = self.http.get(f"/api/v1/tasks/{task_id}").json()
            if task.get("status") == status:
                return task
            if time.monotonic() > deadline:
                raise AssertionError(f"task {task_id} is {task.get('status')}, not {status}: {task}")
            time.sleep(0.05)


def json_route(payload: Any, delay: float = 0.0) -> Any:
    def route(handler: Handler) -> None:
        time.sleep(delay)
        handler.reply(200, json.dumps(payload).encode())
    return route


@pytest.fixture(scope="module")
def api() -> Iterator[Server]:
    server = start_server()
    server.routes["/posts/1"] = json_route({"id": 1, "title": "sunt aut facere"})
    server.routes["/data"] = json_route({"result": "data"})
    for i in range(20):
        server.routes[f"/items/{i}"] = json_route({"n": i})
    server.routes["/slow"] = json_route({"slow": True}, delay=1.0)
    yield server
    server.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite://{tmp_path / 'tasks.db'}"


@pytest.fixture(scope="module")
def serve(api: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    """One server for the tests that can share it (each uses its own task ids)."""
    server = Serve(f"sqlite://{tmp_path_factory.mktemp('serve') / 'tasks.db'}", "--allow-host",
                   f"127.0.0.1:{api.port}")
    yield server
    server.stop()


def curl(*args: str) -> Any:
    done = subprocess.run(["curl", "-s", *args], capture_output=True, text=True, timeout=30, check=True)
    return json.loads(done.stdout)


def test_seed_readme_curl_examples(serve: Serve, api: Server) -> None:
    # The seed README's commands verbatim, but for host and port (and its one public URL, now local).
    hello = curl("-X", "POST", f"{serve.base}/task", "-H", "Content-Type: application/json", "-d",
                 '{\n  "id": "hello-world",\n  "code": "console.log(\\"Hello World\\"); \\"completed\\""\n}')
    assert hello == {"success": True, "task": {"id": "hello-world", "name": None, "status": "completed",
                                               "pauseCount": 0, "fetchRequest": None, "result": "completed"}}
    url = f"{api.base}/posts/1"
    started = curl("-X", "POST", f"{serve.base}/task", "-H", "Content-Type: application/json", "-d",
                   json.dumps({"id": "api-call", "code": f'const response = await fetch("{url}"); '
                               f'const data = await response.json(); data.title;'}))
    assert started["success"] is True
    assert started["task"]["status"] == "paused" and started["task"]["pauseCount"] == 1
    assert started["task"]["fetchRequest"]["url"] == url and started["task"]["fetchRequest"]["id"]
    serve.wait("api-call")
    status = curl(f"{serve.base}/status?id=api-call")
    assert status["task"]["status"] == "completed" and status["task"]["result"] == "sunt aut facere"
    everything = curl(f"{serve.base}/status")
    assert {"api-call", "hello-world"} <= {t["id"] for t in everything["tasks"]}
    assert len(api.hits("/posts/1")) == 1


def test_post_call_resumes_by_hand(api: Server, sqlite_url: str) -> None:
    serve = Serve(sqlite_url, "--workers", "0")
    try:
        started = serve.http.post("/task", json={"id": "my-task-1", "name": "My Task",
                                                 "code": "let result = await fetch('https://api.example.com/data');"
                                                         " result.json();"}).json()
        request_id = started["task"]["fetchRequest"]["id"]
        done = serve.http.post("/call", json={"taskId": "my-task-1", "fetchResponse": {
            "id": request_id, "success": True, "status": 200, "statusText": "OK", "data": {"result": "data"}}})
        assert done.status_code == 200
        assert done.json()["task"] == {"id": "my-task-1", "name": "My Task", "status": "completed",
                                       "pauseCount": 1, "fetchRequest": None, "result": {"result": "data"}}
        again = serve.http.post("/call", json={"taskId": "my-task-1", "fetchResponse": {"id": request_id}})
        assert again.status_code == 409 and again.json()["code"] == "task_not_paused"
        assert again.json()["success"] is False
        missing = serve.http.get("/status", params={"id": "nope"})
        assert missing.status_code == 404 and missing.json()["code"] == "task_not_found"
    finally:
        serve.stop()


def test_fetches_and_a_timer_complete_by_themselves(serve: Serve, api: Server) -> None:
    code = f"""
        let sum = 0;
        for (let i = 0; i < 20; i++) sum += (await (await fetch("{api.base}/items/" + i)).json()).n;
        await new Promise(resolve => setTimeout(resolve, 1500));
        ({{ sum, input }})
    """
    created = serve.http.post("/api/v1/tasks", json={"code": code, "id": "many", "input": {"who": "me"}})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/tasks/many"
    assert created.json()["status"] == "paused" and "vmState" not in created.json()
    task = serve.wait("many")
    assert task["result"] == {"sum": 190, "input": {"who": "me"}} and task["pauseCount"] == 21
    assert all(len(api.hits(f"/items/{i}")) == 1 for i in range(20))
    log = serve.http.get("/api/v1/tasks/many/log").json()
    assert log["id"] == "many" and len(log["log"]["requests"]) == 20
    assert serve.http.post("/api/v1/tasks", json={"code": "1", "id": "many"}).json()["code"] == "task_exists"
    metrics = serve.http.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    values = dict(line.rsplit(" ", 1) for line in metrics.text.splitlines() if not line.startswith("#"))
    assert int(values["seqflow_worker_steps_total"]) >= 21 and int(values["seqflow_worker_completed_total"]) >= 1
    assert float(values['seqflow_step_seconds{quantile="0.99"}']) > 0 and values["seqflow_workers"] == "1"


def test_openapi_document(serve: Serve) -> None:
    document = serve.http.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]["/api/v1/tasks"]) == {"get", "post"}
    assert document["paths"]["/api/v1/tasks/{id}/signals/{name}"]["post"]["parameters"][1]["name"] == "name"
    assert document["paths"]["/healthz"]["get"]["security"] == []
    assert {"/task", "/call", "/status", "/metrics", "/api/v1/transpile"} <= set(document["paths"])


def test_signal_cancel_delete_list_and_events(serve: Serve) -> None:
    wait = "const v = await waitForSignal('approve'); 'approved by ' + v.by"
    serve.http.post("/api/v1/tasks", json={"code": wait, "id": "sig-1"}).raise_for_status()
    serve.http.post("/api/v1/tasks", json={"code": wait, "id": "sig-2", "name": "second"}).raise_for_status()
    with serve.http.stream("GET", "/api/v1/tasks/sig-1/events") as stream:
        lines = stream.iter_lines()
        first = [next(lines) for _ in range(3)]
        assert first[0] == "id: 1" and first[1] == "event: task"
        assert json.loads(first[2].removeprefix("data: "))["signals"] == ["approve"]
        signalled = serve.http.post("/api/v1/tasks/sig-1/signals/approve", json={"payload": {"by": "ann"}})
        assert signalled.json()["result"] == "approved by ann"
        rest = [line for line in lines if line.startswith("data: ")]
        assert json.loads(rest[-1].removeprefix("data: "))["status"] == "completed"
    cancelled = serve.http.post("/api/v1/tasks/sig-2/cancel", json={"reason": "no longer needed"})
    assert cancelled.json()["status"] == "cancelled" and "no longer needed" in cancelled.json()["error"]
    assert serve.http.post("/api/v1/tasks/sig-2/cancel").json()["code"] == "task_not_paused"
    page = serve.http.get("/api/v1/tasks", params={"limit": 1, "search": "SIG-"}).json()
    assert [t["id"] for t in page["tasks"]] == ["sig-1"] and page["nextCursor"]
    page = serve.http.get("/api/v1/tasks", params={"limit": 1, "search": "sig-", "cursor": page["nextCursor"]}).json()
    assert [t["id"] for t in page["tasks"]] == ["sig-2"]
    cancelled = serve.http.get("/api/v1/tasks", params={"status": "cancelled"}).json()["tasks"]
    assert [t["id"] for t in cancelled] == ["sig-2"]
    assert serve.http.delete("/api/v1/tasks/sig-2").status_code == 204
    gone = serve.http.delete("/api/v1/tasks/sig-2")
    assert gone.status_code == 404 and gone.json()["code"] == "task_not_found"
    assert serve.http.get("/api/v1/tasks/sig-2/events").status_code == 404


def test_answer_requests_and_transpile(api: Server, sqlite_url: str) -> None:
    serve = Serve(sqlite_url, "--workers", "0")
    try:
        code = "const [a, b] = await Promise.all([fetch('https://x.test/a'), fetch('https://x.test/b')]);" \
               " (await a.text()) + (await b.json()).v"
        task = serve.http.post("/api/v1/tasks", json={"code": code}).json()
        ids = [r["id"] for r in task["fetchRequests"]]
        answered = serve.http.post(f"/api/v1/tasks/{task['id']}/responses",
                                   json={ids[0]: {"body": "x="}, ids[1]: {"status": 200, "data": {"v": 1}}})
        assert answered.status_code == 200, answered.text
        assert answered.json()["status"] == "completed" and answered.json()["result"] == "x=1"
        python = serve.http.post("/api/v1/transpile", json={"code": "let x = 1;\nx + 1"}).json()["python"]
        assert "# L2" in python
        bad = serve.http.post("/api/v1/transpile", json={"code": "let x = ;"})
        assert bad.status_code == 400 and bad.json()["code"] == "syntax_error"
    finally:
        serve.stop()


def test_bad_input(serve: Serve) -> None:
    http = serve.http
    bad_js = http.post("/api/v1/tasks", json={"code": "let x = 1;\nlet y = ;", "id": "bad"})
    assert bad_js.status_code == 400
    assert {k: bad_js.json()[k] for k in ("code", "line", "column")} == {"code": "syntax_error", "line": 2,
                                                                        "column": 9}
    assert http.get("/api/v1/tasks/bad").status_code == 404  # nothing stored
    malformed = http.post("/api/v1/tasks", content=b'{"code": ', headers={"content-type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["code"] == "bad_json"
    assert http.post("/task", content=b"[1, 2]").json()["code"] == "bad_arguments"
    assert http.post("/api/v1/tasks", json={"id": "x"}).json()["code"] == "bad_arguments"
    assert http.post("/api/v1/tasks", json={"code": 5}).json()["code"] == "bad_arguments"
    assert http.post("/api/v1/tasks", json={"code": "1", "dialect": "jsx"}).json()["code"] == "bad_arguments"
    assert http.post("/api/v1/tasks", json={"code": "1", "id": ""}).json()["code"] == "bad_arguments"
    huge = http.post("/api/v1/tasks", content=b"{" + b" " * (5 * 1024 * 1024) + b"}")
    assert huge.status_code == 413 and huge.json()["code"] == "body_too_large"
    big_code = http.post("/api/v1/tasks", json={"code": "//" + "x" * (2 * 1024 * 1024)})
    assert big_code.status_code == 413 and big_code.json()["code"] == "code_too_large"
    deep = http.post("/api/v1/tasks", content=b"[" * 100_000 + b"]" * 100_000)
    assert deep.status_code == 400 and deep.json()["code"] == "bad_json"
    unknown = http.get("/api/v1/tasks/no-such-task")
    assert unknown.status_code == 404 and unknown.json()["code"] == "task_not_found"
    assert http.post("/api/v1/tasks/no-such-task/signals/x").json()["code"] == "task_not_found"
    assert http.get("/api/v1/nothing-here").json()["code"] == "not_found"
    assert http.put("/api/v1/tasks").json()["code"] == "method_not_allowed"
    assert http.get("/api/v1/tasks", params={"limit": "-1"}).json()["code"] == "bad_arguments"
    assert http.get("/api/v1/tasks", params={"status": "sleeping"}).json()["code"] == "bad_arguments"
    assert http.get("/healthz").json()["ok"] is True
    # JSON may carry lone surrogates (JS strings do); UTF-8 and storage keys cannot.
    surrogate = http.post("/api/v1/tasks", content=b'{"code": "1", "id": "a\\ud800"}')
    assert surrogate.status_code == 400 and surrogate.json()["code"] == "bad_arguments"
    odd = http.post("/api/v1/tasks", content=b'{"code": "\'x\\ud800\' + input", "id": "odd \\u00e9?#", '
                                              b'"name": "\\udc00", "input": "\\ud83d"}')
    assert odd.status_code == 201, odd.text
    assert odd.headers["location"] == "/api/v1/tasks/odd%20%C3%A9%3F%23"
    stored = http.get("/api/v1/tasks/odd%20%C3%A9%3F%23").json()
    assert stored["result"] == "x\ud800\ud83d" and stored["name"] == "\udc00"


def test_auth(api: Server, sqlite_url: str) -> None:
    serve = Serve(sqlite_url, "--api-key", "k-one", env={"SEQFLOW_API_KEYS": "ignored-when-flags-given"},
                  keys=("k-one",))
    try:
        assert serve.http.get("/api/v1/tasks").status_code == 200
        for headers in ({}, {"Authorization": "Bearer k-two"}, {"Authorization": "Basic k-one"},
                        {"Authorization": "Bearer"}, {"Authorization": "Bearer k-one-and-more"}):
            refused = httpx.get(serve.base + "/status", headers=headers)
            assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
            assert refused.headers["www-authenticate"] == "Bearer"
        assert httpx.get(serve.base + "/healthz").status_code == 200
    finally:
        serve.stop()
    serve = Serve(sqlite_url, env={"SEQFLOW_API_KEYS": "a, b"}, keys=("b",))
    try:
        assert serve.http.get("/status").status_code == 200
        assert httpx.get(serve.base + "/status", headers={"Authorization": "Bearer c"}).status_code == 401
    finally:
        out = serve.stop()
    assert "2 API key(s)" in out
    refused = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "--storage", sqlite_url, "serve",
                              "--host", "0.0.0.0", "--port", str(free_port())], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT), "SEQFLOW_API_KEYS": ""}, timeout=30)
    assert refused.returncode == 2 and "loopback only" in refused.stderr


def test_unauthenticated_server_says_so(api: Server, sqlite_url: str) -> None:
    port = free_port()
    serve = Serve(sqlite_url, env={"PORT": str(port)}, port=port)
    try:
        taken = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "--storage", sqlite_url, "serve"],
                               capture_output=True, text=True, timeout=30,
                               env={**os.environ, "PYTHONPATH": str(ROOT), "PORT": str(port)})
        assert taken.returncode == 2 and f"could not start on 127.0.0.1:{port}" in taken.stderr
        assert "address already in use" in taken.stderr
    finally:
        assert "UNAUTHENTICATED" in serve.stop()


def test_restart_mid_task(api: Server, sqlite_url: str) -> None:
    allow = ("--allow-host", f"127.0.0.1:{api.port}")
    serve = Serve(sqlite_url, *allow)
    code = f"""
        const a = await (await fetch("{api.base}/slow")).json();
        await new Promise(r => setTimeout(r, 1500));
        const b = await (await fetch("{api.base}/data")).json();
        [a.slow, b.result]
    """
    serve.http.post("/api/v1/tasks", json={"code": code, "id": "r"}).raise_for_status()
    time.sleep(0.3)  # the slow request is in flight: SIGTERM lets the step finish, then the lease is released
    serve.stop()
    assert serve.proc.returncode == 0
    second = Serve(sqlite_url, *allow)
    try:
        assert second.wait("r")["result"] == [True, "data"]
        assert len(api.hits("/data")) == 1
    finally:
        second.stop()


def test_two_servers_on_postgres(api: Server) -> None:
    table = f"serve_{secrets.token_hex(6)}"
    url = f"{POSTGRES_ADMIN_DSN}?table={table}"
    paths = [f"/pg/{i}/{k}" for i in range(20) for k in range(3)]
    for n, path in enumerate(paths):
        api.routes[path] = json_route({"n": n})
    servers = [Serve(url, "--allow-host", f"127.0.0.1:{api.port}") for _ in range(2)]
    try:
        code = "let s = 0; for (let k = 0; k < 3; k++) s += (await (await fetch(`%s/pg/${input}/${k}`)).json()).n; s"
        for i in range(20):  # created on either server, performed by whichever worker claims them
            servers[i % 2].http.post("/api/v1/tasks", json={"code": code % api.base, "id": f"pg-{i}",
                                                           "input": i}).raise_for_status()
        results = [servers[(i + 1) % 2].wait(f"pg-{i}")["result"] for i in range(20)]
        assert results == [9 * i + 3 for i in range(20)]
        assert [len(api.hits(path)) for path in paths] == [1] * len(paths)  # no request performed twice
    finally:
        for server in servers:
            server.stop()
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(f"DROP FUNCTION IF EXISTS {table}_notify()")

"""``seqflow serve`` as an HTTP client sees it: a real server process on a free loopback port, a local API it fetches from.

Storage is a fresh SQLite file (one test runs on PostgreSQL); the local API
(tests/http_server.py) is let through the outbound policy with ``--allow-host``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import re
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

from seqflow_runtime.webhooks import verify
from tests.pg_cleanup import drop_postgres_storage
from tests.http_server import Handler, Server, start_server

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_DSN = os.environ.get("SEQFLOW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
WEBHOOK_SECRET = "whsec-server-test"


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
        return self.until(task_id, lambda task: task.get("status") == status, timeout)

    def until(self, task_id: str, done: Any, timeout: float = 20) -> dict[str, Any]:
        """Poll the REST API until ``done(task)`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            task: dict[str, Any] = self.http.get(f"/api/v1/tasks/{task_id}").json()
            if done(task):
                return task
            if time.monotonic() > deadline:
                raise AssertionError(f"task {task_id} never got there: {task}")
            time.sleep(0.05)

    def metrics(self) -> dict[str, float]:
        """``/metrics``, parsed strictly (see :func:`parse_prometheus`)."""
        response = self.http.get("/metrics")
        assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
        return parse_prometheus(response.text)


_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABELS = r'\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\}'
_SAMPLE = re.compile(rf"({_NAME})((?:{_LABELS})?) (\S+)")
_SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"), "summary": ("", "_sum", "_count")}


def parse_prometheus(text: str) -> dict[str, float]:
    """Prometheus' text format (0.0.4), checked line by line: ``{"name{labels}": value}``.

    Every sample belongs to a family declared by ``# TYPE`` before it, no sample
    repeats, and a histogram's buckets are cumulative up to ``+Inf`` = ``_count``.
    """
    assert text.endswith("\n")
    types: dict[str, str] = {}
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("# HELP "):
            assert re.fullmatch(_NAME, line.split(" ")[2]), line
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram", "summary", "untyped") and name not in types, line
            types[name] = kind
            continue
        match = _SAMPLE.fullmatch(line)
        assert match is not None, f"not a sample line: {line!r}"
        name, labels, value = match.groups()
        assert any(name == family + suffix and kind in _SUFFIXES for family, kind in types.items()
                   for suffix in _SUFFIXES.get(kind, ())) or name in types, f"{name} has no # TYPE"
        assert name + labels not in samples, f"{name + labels} repeats"
        samples[name + labels] = float(value)
    for family, kind in types.items():
        if kind == "histogram":
            buckets = [(float(key.split('"')[1]), value) for key, value in samples.items()
                       if key.startswith(family + '_bucket{le="')]
            assert buckets[-1][0] == math.inf and buckets == sorted(buckets)
            assert [v for _, v in buckets] == sorted(v for _, v in buckets)
            assert buckets[-1][1] == samples[family + "_count"]
    return samples


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
    server.routes["/hook"] = json_route({})
    failures = [503]
    server.routes["/retry-once"] = lambda h: h.reply(failures.pop() if failures else 200, b'{"ok": true}')
    yield server
    server.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite://{tmp_path / 'tasks.db'}"


@pytest.fixture(scope="module")
def serve(api: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    """One server for the tests that can share it (each uses its own task ids)."""
    server = Serve(f"sqlite://{tmp_path_factory.mktemp('serve') / 'tasks.db'}", "--allow-host",
                   f"127.0.0.1:{api.port}", "--webhook-secret", WEBHOOK_SECRET)
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
        unsigned = serve.http.post("/api/v1/tasks", json={"code": "1", "callbackUrl": "https://hooks.test/"})
        assert unsigned.status_code == 400 and unsigned.json()["code"] == "webhook_secret_missing"
    finally:
        serve.stop()


def twenty_fetches_and_a_timer(serve: Serve, api: Server, items: str) -> None:
    """A task of 20 fetches (of ``items``/0..19) and a 2-second timer runs to its end on the server by itself."""
    code = f"""
        let sum = 0;
        for (let i = 0; i < 20; i++) sum += (await (await fetch("{api.base}{items}/" + i)).json()).n;
        await new Promise(resolve => setTimeout(resolve, 2000));
        ({{ sum, input }})
    """
    created = serve.http.post("/api/v1/tasks", json={"code": code, "id": "many", "input": {"who": "me"}})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/tasks/many"
    assert created.json()["status"] == "paused" and "vmState" not in created.json()
    task = serve.wait("many")
    assert task["result"] == {"sum": 190, "input": {"who": "me"}} and task["pauseCount"] == 21
    assert all(len(api.hits(f"{items}/{i}")) == 1 for i in range(20))
    log = serve.http.get("/api/v1/tasks/many/log").json()
    assert log["id"] == "many" and len(log["log"]["requests"]) == 20


def test_fetches_and_a_timer_complete_by_themselves_on_postgres(api: Server) -> None:
    for i in range(20):
        api.routes[f"/pg-items/{i}"] = json_route({"n": i})
    table = f"serve_{secrets.token_hex(6)}"
    server = Serve(f"{POSTGRES_ADMIN_DSN}?table={table}", "--allow-host", f"127.0.0.1:{api.port}")
    try:
        twenty_fetches_and_a_timer(server, api, "/pg-items")
    finally:
        server.stop()
        drop_postgres_storage(POSTGRES_ADMIN_DSN, table)


def test_fetches_and_a_timer_complete_by_themselves(serve: Serve, api: Server) -> None:
    twenty_fetches_and_a_timer(serve, api, "/items")
    assert serve.http.post("/api/v1/tasks", json={"code": "1", "id": "many"}).json()["code"] == "task_exists"
    retried = serve.http.post("/api/v1/tasks", json={"code": f"(await fetch('{api.base}/retry-once')).status"})
    serve.wait(retried.json()["id"])
    values = serve.metrics()
    assert values["seqflow_worker_steps_total"] >= 21 and values["seqflow_worker_completed_total"] >= 2
    assert values['seqflow_step_seconds{quantile="0.99"}'] > 0 and values["seqflow_workers"] == 1
    assert values["seqflow_requests_performed_total"] >= 21 and values["seqflow_request_retries_total"] >= 1
    assert values["seqflow_replay_events_count"] >= 22 and values["seqflow_run_seconds_sum"] > 0
    assert values["seqflow_worker_lag_seconds_count"] >= 3  # a claim drives a task through many pauses
    assert values['seqflow_tasks{status="completed"}'] >= 2  # counted by the storage
    assert values['seqflow_webhooks_total{outcome="delivered"}'] >= 0


def test_openapi_document(serve: Serve) -> None:
    document = serve.http.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]["/api/v1/tasks"]) == {"get", "post"}
    assert document["paths"]["/api/v1/tasks/{id}/signals/{name}"]["post"]["parameters"][1]["name"] == "name"
    assert document["paths"]["/healthz"]["get"]["security"] == []
    create = document["paths"]["/api/v1/tasks"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert create["required"] == ["code"] and {"autoFetch", "callbackUrl", "input"} <= set(create["properties"])
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


def test_auto_fetch_false_and_webhooks(serve: Serve, api: Server) -> None:
    api.routes["/manual"] = json_route({"never": "fetched"})
    failures = [500, 502]
    api.routes["/hook-flaky"] = lambda h: h.reply(failures.pop(0) if failures else 200, b"{}")
    code = (f"const t = new Promise(r => setTimeout(() => r('tick'), 300));"
            f" const r = await fetch('{api.base}/manual'); [await t, (await r.json()).v]")
    created = serve.http.post("/api/v1/tasks", json={"code": code, "id": "by-hand", "autoFetch": False,
                                                     "callbackUrl": f"{api.base}/hook"})
    assert created.status_code == 201, created.text
    assert created.json()["autoFetch"] is False and created.json()["callbackUrl"] == f"{api.base}/hook"
    # The server's worker fires the timer but leaves the request to us.
    fired = serve.until("by-hand", lambda task: task["wakeAt"] is None)
    assert fired["status"] == "paused" and fired["version"] == 2 and not api.hits("/manual")
    request_id = fired["fetchRequests"][0]["id"]
    done = serve.http.post("/api/v1/tasks/by-hand/responses", json={request_id: {"data": {"v": 3}}})
    assert done.json()["result"] == ["tick", 3]
    hooked = serve.until("by-hand", lambda task: (task["webhook"] or {}).get("state") == "delivered")
    assert hooked["webhook"]["attempts"] == 1
    [hit] = api.hits("/hook")
    assert verify(WEBHOOK_SECRET.encode(), hit.body, hit.headers["seqflow-signature"])
    assert json.loads(hit.body) == {"event": "task.completed", "task": {
        "id": "by-hand", "name": None, "status": "completed", "result": ["tick", 3], "error": None,
        "errorDetails": None, "pauseCount": 2, "version": 3, "createdAt": hooked["createdAt"],
        "updatedAt": hooked["updatedAt"]}}
    # A receiver that fails twice: retried after 1 s, then 2 s.
    serve.http.post("/api/v1/tasks", json={"code": "null.x", "id": "hook-flaky",
                                           "callbackUrl": f"{api.base}/hook-flaky"}).raise_for_status()
    flaky = serve.until("hook-flaky", lambda task: (task["webhook"] or {}).get("state") == "delivered")
    assert flaky["status"] == "error" and flaky["webhook"]["attempts"] == 3
    assert [json.loads(h.body)["event"] for h in api.hits("/hook-flaky")] == ["task.error"] * 3
    # A callback the outbound policy refuses (loopback, not allowed) is given up at once.
    serve.http.post("/api/v1/tasks", json={"code": "1", "id": "hook-refused",
                                           "callbackUrl": "http://127.0.0.1:9/hook"}).raise_for_status()
    refused = serve.until("hook-refused", lambda task: task["webhook"] is not None)
    assert refused["webhook"]["state"] == "failed" and refused["webhook"]["errorCode"] == "outbound_refused"
    for bad in ({"callbackUrl": "ftp://x.test/"}, {"callbackUrl": 5}, {"autoFetch": "no"}):
        refusal = serve.http.post("/api/v1/tasks", json={"code": "1", **bad})
        assert refusal.status_code == 400 and refusal.json()["code"] == "bad_arguments", bad
    assert len(api.hits("/hook")) == 1


def test_idle_event_streams_do_not_starve_the_api(serve: Serve) -> None:
    ids = [f"idle-{i}" for i in range(50)]
    for task_id in ids:
        serve.http.post("/api/v1/tasks", json={"code": "await waitForSignal('go')", "id": task_id}
                        ).raise_for_status()

    async def main() -> None:
        limits = httpx.Limits(max_connections=len(ids) + 10)
        async with httpx.AsyncClient(base_url=serve.base, timeout=30, limits=limits) as http:
            async with contextlib.AsyncExitStack() as streams:
                lines = []
                for task_id in ids:
                    response = await streams.enter_async_context(http.stream("GET", f"/api/v1/tasks/{task_id}/events"))
                    lines.append(response.aiter_lines())
                for stream in lines:
                    assert [await anext(stream) for _ in range(3)][1] == "event: task"
                before = serve.metrics()
                assert before["seqflow_event_streams"] == len(ids)
                started = time.monotonic()
                created = [await http.post("/api/v1/tasks", json={"code": "1 + 1"}) for _ in range(20)]
                assert [c.json()["result"] for c in created] == [2] * 20
                await asyncio.sleep(max(0.0, 2.0 - (time.monotonic() - started)))
                elapsed = time.monotonic() - started
                reads = serve.metrics()["seqflow_event_reads_total"] - before["seqflow_event_reads_total"]
                # One storage read per watched task per second (the poller), whatever the streams do.
                assert reads <= len(ids) * (elapsed + 1), (reads, elapsed)
                await http.post("/api/v1/tasks/idle-7/signals/go")
                async for line in lines[7]:
                    if line.startswith("data: ") and json.loads(line[6:])["status"] == "completed":
                        break

    asyncio.run(main())
    deadline = time.monotonic() + 10
    while serve.metrics()["seqflow_event_streams"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert serve.metrics()["seqflow_event_streams"] == 0  # the clients left: their waits are gone
    for task_id in ids:
        serve.http.delete(f"/api/v1/tasks/{task_id}")


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
    allow = ("--allow-host", f"127.0.0.1:{api.port}", "--webhook-secret", WEBHOOK_SECRET)
    failures = [500]
    api.routes["/hook-restart"] = lambda h: h.reply(failures.pop() if failures else 200, b"{}")
    serve = Serve(sqlite_url, *allow)
    # A webhook whose first attempt fails: the retry is stored, so the next server sends it.
    serve.http.post("/api/v1/tasks", json={"code": "'hooked'", "id": "h",
                                           "callbackUrl": f"{api.base}/hook-restart"}).raise_for_status()
    serve.until("h", lambda task: task["webhook"] is not None)
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
        hooked = second.until("h", lambda task: task["webhook"]["state"] == "delivered")
        assert hooked["webhook"]["attempts"] == 2 and len(api.hits("/hook-restart")) == 2
    finally:
        second.stop()


def test_servers_and_workers_on_postgres(api: Server) -> None:
    """Two servers and two ``seqflow worker`` processes on one PostgreSQL: 200 tasks, a server restarted mid-run."""
    table = f"serve_{secrets.token_hex(6)}"
    url = f"{POSTGRES_ADMIN_DSN}?table={table}"
    count = 200
    paths = [f"/mp/{i}/{k}" for i in range(count) for k in range(2)]
    for n, path in enumerate(paths):
        api.routes[path] = json_route({"n": n})
    allow = ("--allow-host", f"127.0.0.1:{api.port}")
    secret = {"SEQFLOW_WEBHOOK_SECRET": WEBHOOK_SECRET}
    servers = [Serve(url, *allow, env=secret) for _ in range(2)]
    workers = [subprocess.Popen(
        [sys.executable, "-m", "seqflow_runtime.cli", "--storage", url, "worker", *allow, "--poll-interval", "0.2"],
        env={**os.environ, "PYTHONPATH": str(ROOT), **secret}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True) for _ in range(2)]
    api.routes["/mp-hook"] = json_route({})
    try:
        code = "let s = 0; for (let k = 0; k < 2; k++) s += (await (await fetch(`%s/mp/${input}/${k}`)).json()).n; s"
        manual = f"const t = new Promise(r => setTimeout(r, 200)); await fetch('{api.base}/mp-manual'); await t"
        servers[1].http.post("/api/v1/tasks", json={"code": manual, "id": "mp-manual", "autoFetch": False}
                             ).raise_for_status()
        for i in range(count):  # created on either server, performed by whichever worker claims them
            if i == count // 2:  # a server restarted mid-run, on its port: the tasks go on meanwhile
                port = servers[0].port
                servers[0].stop()
                servers[0] = Serve(url, *allow, port=port, env=secret)
            hook = {"callbackUrl": f"{api.base}/mp-hook"} if i % 50 == 0 else {}
            servers[i % 2].http.post("/api/v1/tasks", json={"code": code % api.base, "id": f"mp-{i:03}",
                                                            "input": i, **hook}).raise_for_status()
        deadline = time.monotonic() + 120
        while True:
            done = servers[0].http.get("/api/v1/tasks", params={"status": "completed", "limit": 1000}).json()
            if len(done["tasks"]) == count or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        results = {t["id"]: t["result"] for t in done["tasks"]}
        assert results == {f"mp-{i:03}": 4 * i + 1 for i in range(count)}
        assert [len(api.hits(path)) for path in paths] == [1] * len(paths)  # no request performed twice
        keys = [hit.headers["idempotency-key"] for path in paths for hit in api.hits(path)]
        assert len(set(keys)) == len(paths)
        untouched = servers[1].http.get("/api/v1/tasks/mp-manual").json()
        assert untouched["status"] == "paused" and untouched["wakeAt"] is None and not api.hits("/mp-manual")
        assert servers[1].metrics()['seqflow_tasks{status="completed"}'] == count
        # Webhooks, sent by whichever worker claimed them, each once and signed with the shared secret.
        for i in range(0, count, 50):
            servers[0].until(f"mp-{i:03}", lambda task: (task["webhook"] or {}).get("state") == "delivered")
        hooks = sorted(json.loads(hit.body)["task"]["id"] for hit in api.hits("/mp-hook"))
        assert hooks == [f"mp-{i:03}" for i in range(0, count, 50)]
        assert all(verify(WEBHOOK_SECRET.encode(), hit.body, hit.headers["seqflow-signature"])
                   for hit in api.hits("/mp-hook"))
    finally:
        for server in servers:
            server.stop()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            out, _ = worker.communicate(timeout=30)
            assert worker.returncode == 0, out
        drop_postgres_storage(POSTGRES_ADMIN_DSN, table)

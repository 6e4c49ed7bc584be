"""AsyncFlow inside a real Starlette app (through httpx's ASGI transport): the event loop never blocks."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest

pytest.importorskip("starlette")
httpx = pytest.importorskip("httpx")

from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse, PlainTextResponse, Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from seqflow_runtime import Flow  # noqa: E402
from seqflow_runtime.aio import AsyncFlow  # noqa: E402
from seqflow_runtime.errors import BadArgumentError, SeqflowError  # noqa: E402
from seqflow_runtime.storage import MemoryStorage  # noqa: E402

STATUS = {"task_not_found": 404, "version_conflict": 409, "request_already_answered": 409, "task_not_paused": 409}


def make_app(flow: AsyncFlow) -> Starlette:
    """A small task API: start, show, answer; seqflow errors become JSON with their stable code."""

    async def start(request: Request) -> Response:
        body = await request.json()
        task = await flow.execute(body["code"], id=body.get("id"), name=body.get("name"), input=body.get("input"))
        return JSONResponse(task.to_dict(), status_code=201)

    async def listing(request: Request) -> Response:
        page = await flow.list_tasks(status=request.query_params.get("status"),
                                     name=request.query_params.get("name"), search=request.query_params.get("q"))
        return JSONResponse([t.id for t in page.tasks])

    async def signal(request: Request) -> Response:
        body = await request.json()
        task = await flow.signal(request.path_params["id"], body["name"], body.get("payload"))
        return JSONResponse(task.to_dict())

    async def cancel(request: Request) -> Response:
        task = await flow.cancel(request.path_params["id"], (await request.json()).get("reason"))
        return JSONResponse(task.to_dict())

    async def show(request: Request) -> Response:
        return JSONResponse((await flow.get_task(request.path_params["id"])).to_dict())

    async def answer(request: Request) -> Response:
        body = await request.json()
        task = await flow.resume(request.path_params["id"], responses=body["responses"], version=body.get("version"))
        return JSONResponse(task.to_dict())

    async def ping(request: Request) -> Response:
        return PlainTextResponse("pong")

    async def seqflow_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SeqflowError)
        return JSONResponse({"code": exc.code, "message": exc.message}, status_code=STATUS.get(exc.code, 400))

    return Starlette(routes=[Route("/tasks", start, methods=["POST"]), Route("/tasks", listing),
                             Route("/tasks/{id}", show), Route("/tasks/{id}/signal", signal, methods=["POST"]),
                             Route("/tasks/{id}/cancel", cancel, methods=["POST"]),
                             Route("/tasks/{id}/answer", answer, methods=["POST"]), Route("/ping", ping)],
                     exception_handlers={SeqflowError: seqflow_error})


def client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app.test")


def test_start_answer_show_over_http() -> None:
    """A task started, answered and shown through the app; errors carry their code."""

    async def main() -> None:
        async with AsyncFlow(storage=MemoryStorage()) as flow, client(make_app(flow)) as http:
            started = await http.post("/tasks", json={"id": "t1", "code": "const r = await fetch('https://x.test/a');"
                                                      " (await r.json()).name.toUpperCase()"})
            assert started.status_code == 201 and started.json()["status"] == "paused"
            request_id = started.json()["fetchRequest"]["id"]
            done = await http.post("/tasks/t1/answer", json={"responses": {request_id: {"data": {"name": "ada"}}}})
            assert done.json()["status"] == "completed" and done.json()["result"] == "ADA"
            assert (await http.get("/tasks/t1")).json()["result"] == "ADA"
            missing = await http.get("/tasks/nope")
            assert missing.status_code == 404 and missing.json()["code"] == "task_not_found"

    asyncio.run(main())


def test_a_long_script_does_not_block_the_event_loop() -> None:
    """While one request runs a CPU-heavy script, other requests are served at once."""
    heavy = "let s = 0; for (let i = 0; i < 400000; i++) s = (s + i * i) % 1000003; s"

    async def main() -> None:
        async with AsyncFlow(storage=MemoryStorage()) as flow, client(make_app(flow)) as http:
            started = time.perf_counter()
            long_job = asyncio.create_task(http.post("/tasks", json={"code": heavy}))
            await asyncio.sleep(0.05)
            pings = []
            for _ in range(5):
                before = time.perf_counter()
                assert (await http.get("/ping")).text == "pong"
                pings.append(time.perf_counter() - before)
            assert not long_job.done(), "the script should still be running"
            response = await long_job
            total = time.perf_counter() - started
            assert response.json()["status"] == "completed"
            assert max(pings) < total / 4, (pings, total)

    asyncio.run(main())


def test_racing_answers_one_wins() -> None:
    """Twenty concurrent answers to one pause: exactly one is applied, the rest are refused with a code."""

    async def main() -> None:
        async with AsyncFlow(storage=MemoryStorage()) as flow, client(make_app(flow)) as http:
            task = (await http.post("/tasks", json={"id": "r", "code": "(await fetch('https://x.test/')).status"})).json()
            request_id, version = task["fetchRequest"]["id"], task["version"]

            async def answer(status: int) -> Any:
                return await http.post("/tasks/r/answer", json={"responses": {request_id: {"status": status}},
                                                                "version": version})

            replies = await asyncio.gather(*(answer(200 + n) for n in range(20)))
            codes = Counter(r.status_code for r in replies)
            assert codes == Counter({200: 1, 409: 19}), codes
            assert {r.json()["code"] for r in replies if r.status_code == 409} <= {"task_not_paused", "version_conflict"}
            winner = next(r.json() for r in replies if r.status_code == 200)
            assert (await http.get("/tasks/r")).json()["result"] == winner["result"]

    asyncio.run(main())


def test_input_signal_cancel_and_filters_over_http() -> None:
    """A human approval through the app: input, a signal sent over HTTP, a cancellation with cleanup."""
    code = """
      try {
        const decision = await waitForSignal('approval');
        return input.order + (decision.approved ? ' approved by ' : ' rejected by ') + decision.by;
      } catch (e) {
        await fetch('https://shop.test/release/' + input.order);
        throw e;
      }
    """

    async def main() -> None:
        async with AsyncFlow(storage=MemoryStorage()) as flow, client(make_app(flow)) as http:
            for order in ("A-1", "A-2"):
                started = await http.post("/tasks", json={"id": order, "code": code, "name": "approval",
                                                          "input": {"order": order}})
                assert started.json()["signals"] == ["approval"], started.json()
            done = await http.post("/tasks/A-1/signal", json={"name": "approval",
                                                              "payload": {"approved": True, "by": "ana"}})
            assert done.json()["status"] == "completed" and done.json()["result"] == "A-1 approved by ana"
            again = await http.post("/tasks/A-1/signal", json={"name": "approval"})
            assert again.status_code == 409 and again.json()["code"] == "task_not_paused"
            cleaning = await http.post("/tasks/A-2/cancel", json={"reason": "customer left"})
            assert cleaning.json()["status"] == "paused"
            assert cleaning.json()["fetchRequest"]["url"] == "https://shop.test/release/A-2"
            request_id = cleaning.json()["fetchRequest"]["id"]
            ended = await http.post("/tasks/A-2/answer", json={"responses": {request_id: {"status": 204}}})
            assert ended.json()["status"] == "cancelled"
            assert ended.json()["errorDetails"]["name"] == "CancelledError"
            assert "customer left" in ended.json()["errorDetails"]["message"]
            assert (await http.get("/tasks", params={"status": "cancelled"})).json() == ["A-2"]
            assert (await http.get("/tasks", params={"name": "approval"})).json() == ["A-1", "A-2"]
            assert (await http.get("/tasks", params={"q": "a-2"})).json() == ["A-2"]
            bad = await http.post("/tasks/A-2/signal", json={"name": ""})
            assert bad.status_code == 400 and bad.json()["code"] == "bad_arguments"

    asyncio.run(main())


def test_flow_or_options_not_both() -> None:
    """An AsyncFlow wraps a given Flow or makes one from options; both at once is BadArgumentError."""
    with pytest.raises(BadArgumentError):
        AsyncFlow(Flow(), ttl=5)

"""Webhooks and ``autoFetch: false`` with a real Worker, real storages and a real local receiver.

The receiver (tests/http_server.py) records every POST; signatures are checked
with :func:`seqflow_runtime.webhooks.verify`, as the README tells receivers to.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator

import pytest

from seqflow_runtime import Flow
from seqflow_runtime.errors import BadArgumentError
from seqflow_runtime.storage.base import due_at
from seqflow_runtime.storage.url import create_storage
from seqflow_runtime.task import FetchRequest
from seqflow_runtime.webhooks import (
    SIGNATURE_HEADER,
    WebhookSender,
    backoff,
    check_callback_url,
    payload,
    signature,
    verify,
)
from seqflow_runtime.worker import Worker
from tests.http_server import Handler, Server, start_server
from tests.test_worker import storage_url  # noqa: F401 - the fixture: a fresh SQLite file or PostgreSQL table

SECRET = b"whsec-test-secret"


@pytest.fixture
def receiver() -> Iterator[Server]:
    server = start_server()
    server.routes["/ok"] = lambda h: h.reply(204)
    failures = [500, 503]

    def flaky(handler: Handler) -> None:
        handler.reply(failures.pop(0) if failures else 200, b"{}")

    server.routes["/flaky"] = flaky
    server.routes["/data"] = lambda h: h.reply(200, b'{"v": 7}')
    yield server
    server.close()


def test_signature_and_verify() -> None:
    body = b'{"event":"task.completed"}'
    header = signature(SECRET, 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify(SECRET, body, header, now=1_700_000_100)
    assert not verify(SECRET, body + b" ", header, now=1_700_000_100)  # tampered body
    assert not verify(b"other", body, header, now=1_700_000_100)  # wrong secret
    assert not verify(SECRET, body, header, now=1_700_001_000)  # too old: a replay
    assert not verify(SECRET, body, "v1=" + header.split("v1=")[1], now=1_700_000_000)  # no timestamp
    assert not verify(SECRET, body, "garbage", now=1_700_000_000)
    assert [backoff(n, 1.0, 10.0) for n in (1, 2, 3, 4, 5, 99)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_payload_never_holds_a_placeholder() -> None:
    flow = Flow()
    task = flow.execute("({text: '{{secrets.API_KEY}} and {{{x}}}', n: 1})")
    body = payload(task)
    assert b"{{" not in body
    data = json.loads(body)
    assert data["event"] == "task.completed" and data["task"]["result"] == {"text": "{{secrets.API_KEY}} and {{{x}}}",
                                                                          "n": 1}


def test_callback_url_checked_at_creation() -> None:
    flow = Flow()
    for bad in ("ftp://x.test/", "/relative", "http://", "http://u:p@x.test/", "http://x.test/{{secrets.K}}",
                "http://x.test/ a", "x" * 3000, 5, "http://x.test:99999/"):
        with pytest.raises(BadArgumentError):
            flow.execute("1", callback_url=bad)  # type: ignore[arg-type]
    with pytest.raises(BadArgumentError):
        flow.execute({"code": "1", "autoFetch": "no"})
    assert check_callback_url("https://hooks.example.com/x?y=1") == "https://hooks.example.com/x?y=1"


def test_due_times() -> None:
    flow = Flow()
    manual = flow.execute("const t = new Promise(r => setTimeout(r, 5000)); await fetch('https://x.test/'); await t",
                          auto_fetch=False)
    assert manual.fetch_requests and manual.wake_at is not None
    assert due_at(manual.to_dict()) == pytest.approx(manual.wake_at, abs=1e-5)  # the timer only: the request is the client's
    waiting = flow.execute("await fetch('https://x.test/')", auto_fetch=False)
    assert due_at(waiting.to_dict()) is None
    done = flow.execute("1", callback_url="https://hooks.test/")
    assert due_at(done.to_dict()) == pytest.approx(done.updated_at, abs=1e-5)
    done.webhook = {"state": "pending", "attempts": 1, "nextAt": "2030-01-01T00:00:00Z"}
    assert due_at(done.to_dict()) == 1893456000.0
    for state in ("delivered", "failed"):
        done.webhook = {"state": state, "attempts": 1}
        assert due_at(done.to_dict()) is None
    assert due_at(flow.execute("1").to_dict()) is None


def test_worker_delivers_retries_refuses_and_leaves_requests_to_the_client(storage_url: str,
                                                                          receiver: Server) -> None:
    flow = Flow(storage=create_storage(storage_url))
    flow.storage.migrate()
    base = receiver.base
    flow.execute("const r = await fetch('%s/data'); (await r.json()).v * 6" % base, id="ok",
                 callback_url=f"{base}/ok")
    flow.execute("throw new Error('boom')", id="flaky", callback_url=f"{base}/flaky")
    flow.execute("'refused'", id="refused", callback_url="http://127.0.0.1:9/hook")
    manual = ("const t = new Promise(r => setTimeout(() => r('tick'), 200));"
              " const r = await fetch('%s/data'); [await t, (await r.json()).v]" % base)
    flow.execute(manual, id="manual", auto_fetch=False)
    performed: list[str] = []

    async def perform_all(task_id: str, requests: list[FetchRequest]) -> dict[str, dict[str, object]]:
        performed.append(task_id)
        return {r.id: {"status": 200, "data": {"v": 7}} for r in requests}

    sender = WebhookSender(SECRET, allow_hosts=[f"127.0.0.1:{receiver.port}"], first_delay=0.5)

    async def main() -> None:
        worker = Worker(flow, poll_interval=0.1, perform_all=perform_all, webhooks=sender)
        job = asyncio.create_task(worker.run())
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            hooks = [(await worker.flow.get_task(t)).webhook or {} for t in ("ok", "flaky", "refused")]
            timer = (await worker.flow.get_task("manual")).wake_at is None
            if [h.get("state") for h in hooks] == ["delivered", "delivered", "failed"] and timer:
                break
        worker.stop()
        await job
        stats = worker.stats
        assert (stats.webhooks_delivered, stats.webhooks_retried, stats.webhooks_failed) == (2, 2, 1)

    asyncio.run(main())
    ok, flaky, refused, waiting = (flow.get_task(t) for t in ("ok", "flaky", "refused", "manual"))
    assert ok.result == 42 and ok.webhook is not None and ok.webhook["attempts"] == 1
    [hit] = receiver.hits("/ok")
    assert hit.method == "POST" and hit.headers["content-type"] == "application/json"
    assert hit.headers["seqflow-event"] == "task.completed"
    assert verify(SECRET, hit.body, hit.headers[SIGNATURE_HEADER.lower()])
    sent = json.loads(hit.body)
    assert sent["task"]["id"] == "ok" and sent["task"]["result"] == 42 and "vmState" not in sent["task"]
    # Two failures, then a success, each wait twice the one before; one Idempotency-Key for all.
    hits = receiver.hits("/flaky")
    assert len(hits) == 3 and flaky.webhook is not None and flaky.webhook["attempts"] == 3
    assert all(verify(SECRET, h.body, h.headers["seqflow-signature"]) for h in hits)
    assert json.loads(hits[0].body)["event"] == "task.error"
    assert len({h.headers["idempotency-key"] for h in hits}) == 1
    gaps = [b.at - a.at for a, b in zip(hits, hits[1:])]
    assert gaps[0] >= 0.5 and gaps[1] >= 1.0, gaps
    assert refused.webhook is not None and refused.webhook["errorCode"] == "outbound_refused"
    assert refused.webhook["attempts"] == 1
    # autoFetch false: the timer fired, the request is still the client's.
    assert "manual" not in performed and waiting.status == "paused" and waiting.wake_at is None
    assert [r.url for r in waiting.fetch_requests] == [f"{base}/data"] and not receiver.hits("/data")
    request = waiting.fetch_requests[0].id
    assert flow.resume("manual", responses={request: {"status": 200, "data": {"v": 5}}}).result == ["tick", 5]
    flow.storage.close()


def test_a_worker_without_a_secret_sends_nothing(receiver: Server) -> None:
    flow = Flow()
    flow.execute("1", id="t", callback_url=f"{receiver.base}/ok")
    worker = Worker(flow, webhooks=WebhookSender(None, allow_hosts=["127.0.0.1"], first_delay=60))
    asyncio.run(worker.run_until_idle())
    webhook = flow.get_task("t").webhook
    assert webhook is not None and webhook["state"] == "pending" and webhook["errorCode"] == "no_webhook_secret"
    assert not receiver.hits("/ok")


def test_hostile_receivers(receiver: Server) -> None:
    """A redirect to a metadata address is refused (checked on every hop); an answer over 64 KiB is not read
    (it fails the attempt, to be tried again)."""
    receiver.routes["/to-metadata"] = lambda h: h.reply(307, headers={"location": "http://169.254.169.254/latest"})
    receiver.routes["/huge"] = lambda h: h.reply(200, b"x" * (20 * 1024 * 1024))
    flow = Flow()
    flow.execute("1", id="redirected", callback_url=f"{receiver.base}/to-metadata")
    flow.execute("2", id="huge", callback_url=f"{receiver.base}/huge")
    worker = Worker(flow, webhooks=WebhookSender(SECRET, allow_hosts=[f"127.0.0.1:{receiver.port}"]))
    asyncio.run(worker.run_until_idle())
    redirected, huge = flow.get_task("redirected").webhook, flow.get_task("huge").webhook
    assert redirected is not None and redirected["state"] == "failed", redirected
    assert redirected["errorCode"] in ("outbound_refused", "redirect_refused") and redirected["attempts"] == 1
    assert huge is not None and huge["state"] == "pending" and huge["errorCode"] == "response_too_large", huge

"""OpenTelemetry spans (read back through the SDK's in-memory exporter) and structured log fields."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from http_server import Handler, Server, start_server
from seqflow_runtime import Flow
from seqflow_runtime.errors import TaskNotPausedError
from seqflow_runtime.performer import Performer
from seqflow_runtime.storage import MemoryStorage
from seqflow_runtime.worker import Worker

ROOT = Path(__file__).resolve().parent.parent


def test_without_opentelemetry_spans_are_no_ops() -> None:
    """Without the otel extra (the package made unimportable) tasks run and every span does nothing."""
    script = """
import sys
sys.modules["opentelemetry"] = None  # as if not installed
from seqflow_runtime import Flow, telemetry
assert telemetry._otel is None
flow = Flow(hot_cache_size=0)
task = flow.execute("(await fetch('https://x.test/')).status", id="t")
print(flow.resume("t", responses={task.fetch_requests[0].id: {"status": 204}}).result)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and done.stdout.strip() == "204", done.stderr


try:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import StatusCode
except ImportError:
    HAVE_SDK = False
else:
    HAVE_SDK = True
    _EXPORTER = InMemorySpanExporter()
needs_sdk = pytest.mark.skipif(not HAVE_SDK, reason="opentelemetry-sdk is not installed (a dev dependency)")


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """The exporter of the process's tracer provider (set once: OpenTelemetry allows one global provider)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    yield _EXPORTER
    _EXPORTER.clear()


@pytest.fixture
def server() -> Iterator[Server]:
    state = start_server()
    yield state
    state.close()


def named(spans: InMemorySpanExporter, name: str) -> list[ReadableSpan]:
    """The finished spans called ``name``."""
    return [s for s in spans.get_finished_spans() if s.name == name]


@needs_sdk
def test_execute_resume_replay_spans(spans: InMemorySpanExporter) -> None:
    """Each Flow operation is a span with the task's id, status and version; a cold resume has a replay span
    inside its resume span; a refused call is a span with an error status and the exception."""
    flow = Flow(storage=MemoryStorage(), hot_cache_size=0)  # no live programs: every resume replays
    task = flow.execute("const r = await fetch('https://x.test/a'); r.status", id="t1")
    flow.resume("t1", responses={task.fetch_requests[0].id: {"status": 201}})
    with pytest.raises(TaskNotPausedError):
        flow.signal("t1", "go")
    [execute] = named(spans, "seqflow.execute")
    assert dict(execute.attributes or {}) == {"seqflow.task_id": "t1", "seqflow.status": "paused",
                                              "seqflow.version": 1}
    [resume] = named(spans, "seqflow.resume")
    assert dict(resume.attributes or {}) == {"seqflow.task_id": "t1", "seqflow.status": "completed",
                                             "seqflow.version": 2}
    [replay] = named(spans, "seqflow.replay")
    assert replay.parent is not None and replay.parent.span_id == resume.context.span_id
    assert dict(replay.attributes or {}) == {"seqflow.task_id": "t1", "seqflow.events": 0}
    [refused] = named(spans, "seqflow.signal")
    assert refused.status.status_code == StatusCode.ERROR
    assert dict(refused.attributes or {}) == {"seqflow.task_id": "t1"}
    assert [e.attributes["exception.type"] for e in refused.events if e.attributes] == [
        "seqflow_runtime.errors.TaskNotPausedError"]


@needs_sdk
def test_worker_spans_nest_perform_and_resume(spans: InMemorySpanExporter, server: Server,
                                              caplog: pytest.LogCaptureFixture) -> None:
    """A worker's task span holds a span per performed request (method, URL as written, status, attempts)
    and the resume span; the loggers carry the same facts as record fields."""

    def created(handler: Handler) -> None:
        handler.reply(201, b'{"ok": true}')

    server.routes["/orders"] = created
    flow = Flow(storage=MemoryStorage())
    flow.execute(f"const [a, b] = await Promise.all([fetch('{server.base}/orders', {{method: 'POST'}}),"
                 f" fetch('{server.base}/missing')]); [a.status, b.status]", id="w1")
    worker = Worker(flow, perform_all=Performer(allow_hosts=["127.0.0.1"]).perform_all)
    with caplog.at_level(logging.DEBUG, logger="seqflow"):
        asyncio.run(worker.run_until_idle())
    assert flow.get_task("w1").result == [201, 404]
    [job] = named(spans, "seqflow.worker.task")
    assert dict(job.attributes or {}) == {"seqflow.task_id": "w1", "seqflow.worker_id": worker.worker_id}
    performed = sorted(named(spans, "seqflow.perform"), key=lambda s: str((s.attributes or {})["url.full"]))
    assert [dict(s.attributes or {}) for s in performed] == [
        {"seqflow.task_id": "w1", "seqflow.request_id": "req-2", "http.request.method": "GET",
         "url.full": f"{server.base}/missing", "http.response.status_code": 404, "seqflow.attempts": 1},
        {"seqflow.task_id": "w1", "seqflow.request_id": "req-1", "http.request.method": "POST",
         "url.full": f"{server.base}/orders", "http.response.status_code": 201, "seqflow.attempts": 1},
    ]
    [resume] = named(spans, "seqflow.resume")
    assert all(s.parent is not None and s.parent.span_id == job.context.span_id for s in [*performed, resume])
    assert job.context.trace_id == resume.context.trace_id

    def fields(logger: str, *keys: str) -> list[dict[str, Any]]:
        return [{k: getattr(r, k) for k in keys} for r in caplog.records
                if r.name == logger and hasattr(r, "task_id")]

    performer_fields = fields("seqflow.performer", "task_id", "request_id", "attempt", "status")
    assert sorted(performer_fields, key=lambda f: f["request_id"]) == [
        {"task_id": "w1", "request_id": "req-1", "attempt": 1, "status": 201},
        {"task_id": "w1", "request_id": "req-2", "attempt": 1, "status": 404}]
    assert all(isinstance(r.duration_ms, float) for r in caplog.records if r.name == "seqflow.performer")
    assert fields("seqflow.flow", "task_id", "operation", "status", "version") == [
        {"task_id": "w1", "operation": "hot resume", "status": "completed", "version": 2}]
    assert fields("seqflow.worker", "task_id", "status", "version")[-1] == {
        "task_id": "w1", "status": "completed", "version": 2}

"""``seqflow bench --only worker``: worker throughput and step latency on PostgreSQL and SQLite.

A local HTTP server runs in a process of its own (``python -m
seqflow_runtime.bench_worker serve``: uvicorn when the ``server`` extra is
installed, else the standard library's threading server). For each row, N
tasks, each making R sequential requests to it, are created first; then 1 or
4 worker processes (``python -m seqflow_runtime.bench_worker work URL OUT``:
a :class:`~.worker.Worker` with its real :class:`~.performer.Performer`, as
``seqflow worker`` runs it) work until nothing is left to do and exit.
Tasks per second counts from the first worker starting its loop to the last
step stored; latency is from a pause's last response arriving to the next
pause being stored, per step. The floor is a plain asyncio + httpx script
making the same requests with no durability at all (run before and after
the workers; the better run is shown). ``SEQFLOW_BENCH_TASKS`` and
``SEQFLOW_BENCH_REQUESTS`` set N and R (default 1,000 and 10).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SCRIPT = """
let total = 0;
for (let i = 0; i < %(requests)d; i++) total += (await (await fetch('%(base)s/' + i)).json()).n;
total
"""
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
#: Tasks one worker process works on at once (``seqflow worker --concurrency``).
CONCURRENCY = 32
#: Worker processes per row.
PROCESSES = (1, 4)
#: Seconds one row may take before its workers are stopped.
ROW_TIMEOUT = 3600.0


def _answer(path: str) -> bytes:
    """The JSON body for ``/<n>``: ``{"n": n}``."""
    return json.dumps({"n": int(path.rsplit("/", 1)[-1] or 0)}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = _answer(self.path)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


async def _asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The same answers as an ASGI app (for uvicorn)."""
    if scope["type"] != "http":
        return
    body = _answer(scope["path"])
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _serve_main() -> None:
    """The server process: print the base URL on one line, then serve until killed."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(f"http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    try:
        import uvicorn
    except ImportError:
        sock.close()
        server = ThreadingHTTPServer(("127.0.0.1", int(sock.getsockname()[1])), _Handler)
        server.daemon_threads = True
        server.serve_forever()
        return
    config = uvicorn.Config(_asgi_app, log_level="warning", lifespan="off", access_log=False, backlog=4096)
    uvicorn.Server(config).run(sockets=[sock])


def _serve() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "seqflow_runtime.bench_worker", "serve"], env=_child_env(),
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def _percentiles(values: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    if len(values) < 2:
        return (values[0] * 1000, values[0] * 1000) if values else (0.0, 0.0)
    cuts = statistics.quantiles(values, n=100)
    return cuts[49] * 1000, cuts[98] * 1000


def _completed(storage: Any) -> int:
    done, cursor = 0, None
    while True:
        page = storage.list(status="completed", limit=1000, cursor=cursor)
        done += len(page.tasks)
        if page.next_cursor is None:
            return done
        cursor = page.next_cursor


def _run_workers(url: str, base: str, tasks: int, requests: int, processes: int) -> list[str]:
    """Create the tasks, run ``processes`` workers until none has anything left to do; one table row.

    A task a worker could not finish (a storage error lets its lease lapse) is claimable again only
    when the lease runs out, after every worker may have left: then another round of workers starts.
    """
    from .flow import Flow
    from .storage.url import create_storage

    flow = Flow(storage=create_storage(url), ttl=None)
    code = SCRIPT % {"requests": requests, "base": base}
    for n in range(tasks):
        flow.execute(code, id=f"b{n:05}")
    reports: list[dict[str, Any]] = []
    deadline = time.monotonic() + ROW_TIMEOUT
    try:
        while time.monotonic() < deadline:
            reports.extend(_round(url, processes, deadline))
            if _completed(flow.storage) == tasks:
                break
            time.sleep(1.0)
        else:
            raise RuntimeError(f"only {_completed(flow.storage)} of {tasks} tasks completed in {ROW_TIMEOUT:g} s")
    finally:
        flow.storage.close()
    latencies = [x for r in reports for x in r["latencies"]]
    started = min(r["started"] for r in reports)
    finished = max(r["last_step"] for r in reports if r["last_step"] is not None)
    p50, p99 = _percentiles(latencies)
    return [str(processes), f"{tasks / (finished - started):.1f}", f"{p50:.1f} ms", f"{p99:.1f} ms"]


def _round(url: str, processes: int, deadline: float) -> list[dict[str, Any]]:
    """Run ``processes`` worker processes until each has nothing left to do; their reports."""
    with tempfile.TemporaryDirectory() as directory:
        outs = [Path(directory) / f"w{i}.json" for i in range(processes)]
        procs = [subprocess.Popen([sys.executable, "-m", "seqflow_runtime.bench_worker", "work", url, str(out)],
                                  env=_child_env()) for out in outs]
        for proc in procs:
            try:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return [json.loads(out.read_text()) for out in outs if out.exists()]


async def _floor(base: str, tasks: int, requests: int) -> list[str]:
    """The same requests from asyncio + httpx, nothing stored: the floor."""
    import httpx

    # The same httpcore import fix the workers' performer has (see guarded_transport): a fair floor.
    from . import guarded_transport  # noqa: F401

    gaps: list[float] = []
    limit = asyncio.Semaphore(CONCURRENCY)

    async def one(client: httpx.AsyncClient) -> None:
        async with limit:
            total, arrived = 0, 0.0
            for i in range(requests):
                if i:
                    gaps.append(time.perf_counter() - arrived)
                response = await client.get(f"{base}/{i}")
                total += response.json()["n"]
                arrived = time.perf_counter()

    started = time.perf_counter()
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=CONCURRENCY)) as client:
        await asyncio.gather(*(one(client) for _ in range(tasks)))
    elapsed = time.perf_counter() - started
    p50, p99 = _percentiles(gaps)
    return ["floor: asyncio + httpx, no storage", "1", f"{tasks / elapsed:.1f}", f"{p50:.3f} ms", f"{p99:.3f} ms"]


def bench_worker() -> None:
    """The worker table: 1 and 4 processes on PostgreSQL and SQLite, beside the floor."""
    from .bench import table

    tasks = int(os.environ.get("SEQFLOW_BENCH_TASKS", "1000"))
    requests = int(os.environ.get("SEQFLOW_BENCH_REQUESTS", "10"))
    server, base = _serve()
    # The floor runs before and after the workers and keeps its better figure: a machine shared with
    # other work should not make the floor look slower than the workers it bounds.
    floors = [asyncio.run(_floor(base, tasks, requests))]
    rows: list[list[str]] = []
    try:
        with tempfile.TemporaryDirectory() as directory:
            storages = {"postgres": f"{POSTGRES}?table=bench_{secrets.token_hex(4)}",
                        "sqlite": f"sqlite://{directory}/bench.db"}
            for name, url in storages.items():
                for processes in PROCESSES:
                    try:
                        row = _run_workers(url, base, tasks, requests, processes)
                    except Exception as exc:  # noqa: BLE001 - a missing server skips its row
                        rows.append([name, str(processes), "unavailable", str(exc)[:60], ""])
                        continue
                    finally:
                        _drop(url)
                    rows.append([name, *row])
        floors.append(asyncio.run(_floor(base, tasks, requests)))
    finally:
        server.kill()
        server.wait()
    rows.insert(0, max(floors, key=lambda row: float(row[2])))
    table(f"Worker ({tasks} tasks x {requests} sequential requests to a local server, concurrency "
          f"{CONCURRENCY} per process; latency: response arrived -> next pause stored)",
          ["storage", "processes", "tasks/s", "p50 latency", "p99 latency"], rows)


def _drop(url: str) -> None:
    """Empty the benchmark's storage for the next row."""
    if url.startswith("sqlite:"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite://") + suffix).unlink(missing_ok=True)
        return
    try:
        import psycopg
    except ImportError:
        return
    table = url.rsplit("table=", 1)[1]
    try:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}_log")
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(f"DROP FUNCTION IF EXISTS {table}_notify()")
    except psycopg.OperationalError:
        pass  # no server: nothing was created


def _worker_main(url: str, out: str) -> None:
    """One benchmark worker process: work until nothing is left to do, then write its figures to ``out``."""
    from .storage.url import create_storage
    from .worker import Worker

    report: dict[str, Any] = {"started": time.time(), "last_step": None}

    def step(task: Any, latency: float) -> None:
        report["last_step"] = time.time()

    worker = Worker(create_storage(url), concurrency=CONCURRENCY, poll_interval=0.2, on_step=step,
                    allow_hosts=["127.0.0.1"])
    worker.run_sync(until_idle=True)
    report["latencies"] = list(worker.stats.latencies)
    Path(out).write_text(json.dumps(report))


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        _serve_main()
    else:
        _worker_main(sys.argv[2], sys.argv[3])

"""``seqflow bench --only worker``: worker throughput and step latency on PostgreSQL and SQLite.

N tasks, each making R sequential requests to a local HTTP server, are
created first; then 1 or 4 worker processes (``python -m
seqflow_runtime.bench_worker URL OUT``) work until every task is complete.
Tasks per second counts from the first worker starting its loop to the last
step stored; latency is from a pause's last response arriving to the next
pause being stored, per step. The floor is a plain asyncio + httpx script
making the same requests with no durability at all (run before and after
the workers; the better run is shown). ``SEQFLOW_BENCH_TASKS``
and ``SEQFLOW_BENCH_REQUESTS`` set N and R (default 1,000 and 10).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
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
CONCURRENCY = 32


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = json.dumps({"n": int(self.path.rsplit("/", 1)[-1] or 0)}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


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
    """Create the tasks, run ``processes`` workers until all complete; one table row."""
    from .flow import Flow
    from .storage.url import create_storage

    flow = Flow(storage=create_storage(url), ttl=None)
    code = SCRIPT % {"requests": requests, "base": base}
    for n in range(tasks):
        flow.execute(code, id=f"b{n:05}")
    with tempfile.TemporaryDirectory() as directory:
        outs = [str(Path(directory) / f"w{i}.json") for i in range(processes)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        procs = [subprocess.Popen([sys.executable, "-m", "seqflow_runtime.bench_worker", url, out], env=env)
                 for out in outs]
        deadline = time.monotonic() + 3600
        while _completed(flow.storage) < tasks and time.monotonic() < deadline:
            time.sleep(0.2)
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=120)
        reports = [json.loads(Path(out).read_text()) for out in outs]
    flow.storage.close()
    latencies = [x for r in reports for x in r["latencies"]]
    started = min(r["started"] for r in reports)
    finished = max(r["last_step"] for r in reports if r["last_step"] is not None)
    p50, p99 = _percentiles(latencies)
    return [str(processes), f"{tasks / (finished - started):.1f}", f"{p50:.1f} ms", f"{p99:.1f} ms"]


async def _floor(base: str, tasks: int, requests: int) -> list[str]:
    """The same requests from asyncio + httpx, nothing stored: the floor."""
    import httpx

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
    async with httpx.AsyncClient() as client:
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
                for processes in (1, 4):
                    try:
                        row = _run_workers(url, base, tasks, requests, processes)
                    except Exception as exc:  # noqa: BLE001 - a missing server skips its row
                        rows.append([name, str(processes), "unavailable", str(exc)[:60], ""])
                        continue
                    rows.append([name, *row])
                    _drop(url)
        floors.append(asyncio.run(_floor(base, tasks, requests)))
    finally:
        server.shutdown()
    rows.insert(0, max(floors, key=lambda row: float(row[2])))
    table(f"Worker ({tasks} tasks x {requests} sequential requests to a local server, concurrency "
          f"{CONCURRENCY} per process; latency: response arrived -> next pause stored)",
          ["storage", "processes", "tasks/s", "p50 latency", "p99 latency"], rows)


def _drop(url: str) -> None:
    """Empty the benchmark's storage for the next row."""
    if url.startswith("sqlite:"):
        Path(url.removeprefix("sqlite://")).unlink(missing_ok=True)
        return
    import psycopg

    table = url.rsplit("table=", 1)[1]
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"DROP FUNCTION IF EXISTS {table}_notify()")


def _worker_main(url: str, out: str) -> None:
    """One benchmark worker process: work until SIGTERM, then write its figures to ``out``."""
    from .storage.url import create_storage
    from .worker import Worker

    report: dict[str, Any] = {"started": time.time(), "last_step": None}

    def step(task: Any, latency: float) -> None:
        report["last_step"] = time.time()

    worker = Worker(create_storage(url), concurrency=CONCURRENCY, poll_interval=0.2, on_step=step,
                    allow_hosts=["127.0.0.1"])
    worker.run_sync()
    report["latencies"] = list(worker.stats.latencies)
    Path(out).write_text(json.dumps(report))


if __name__ == "__main__":
    _worker_main(sys.argv[1], sys.argv[2])

"""``seqflow bench --only server``: ``POST /api/v1/tasks`` throughput and latency, and time to completion.

A real ``seqflow serve`` process (one in-process worker) on SQLite and on
PostgreSQL, loaded from this process by an async httpx client over loopback
with :data:`CLIENTS` connections. Two kinds of task: ``1 + 1``, which
completes inside the POST (the API's own cost: parse, transpile cache, run,
one save), and a script of :data:`REQUESTS` sequential fetches to a local
server, which the worker performs after the POST returns. Requests per second
count the POST phase; latency is per POST as the client sees it; "all
completed" is from the first POST until the storage holds every task
completed. ``SEQFLOW_BENCH_SERVER_TASKS`` sets the tasks per row (default 1,000).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time

from .bench_worker import POSTGRES, SCRIPT, _drop, _percentiles, _serve

#: Concurrent client connections.
CLIENTS = 32
#: Fetches each task of the second kind makes.
REQUESTS = 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    """``seqflow serve`` on ``url``, once it answers its health check."""
    import httpx

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "seqflow_runtime.cli", "--storage", url, "serve", "--port",
                             str(port), "--allow-host", "127.0.0.1", "--concurrency", str(CLIENTS)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"seqflow serve exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("seqflow serve did not come up")


async def _load(port: int, code: str, tasks: int, prefix: str) -> tuple[float, list[float]]:
    """POST ``tasks`` tasks over :data:`CLIENTS` connections: the seconds taken and each POST's latency."""
    import httpx

    latencies: list[float] = []
    queue = iter(range(tasks))

    async def client(http: httpx.AsyncClient) -> None:
        for n in queue:
            started = time.perf_counter()
            response = await http.post("/api/v1/tasks", json={"code": code, "id": f"{prefix}{n:06}"})
            latencies.append(time.perf_counter() - started)
            if response.status_code != 201:
                raise RuntimeError(f"POST /api/v1/tasks answered {response.status_code}: {response.text[:200]}")

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=120) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(CLIENTS)))
        return time.perf_counter() - started, latencies


def _row(name: str, url: str, kind: str, code: str, tasks: int) -> list[str]:
    from .storage.url import create_storage

    port = _free_port()
    proc = _start(url, port)
    storage = create_storage(url)
    try:
        began = time.perf_counter()
        posting, latencies = asyncio.run(_load(port, code, tasks, "s"))
        deadline = time.monotonic() + 3600
        while storage.count_by_status().get("completed", 0) < tasks and time.monotonic() < deadline:
            time.sleep(0.05)
        completed = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.wait(timeout=120)
        storage.close()
    p50, p99 = _percentiles(latencies)
    return [name, kind, f"{tasks / posting:.0f}", f"{p50:.1f} ms", f"{p99:.1f} ms", f"{completed:.2f} s",
            f"{tasks / completed:.0f}"]


def bench_server() -> None:
    """The server table: SQLite and PostgreSQL, a task done in its POST and one of fetches done by the worker."""
    from .bench import table

    tasks = int(os.environ.get("SEQFLOW_BENCH_SERVER_TASKS", "1000"))
    server, base = _serve()
    kinds = {"1 + 1": "1 + 1", f"{REQUESTS} fetches": SCRIPT % {"requests": REQUESTS, "base": base}}
    rows: list[list[str]] = []
    try:
        with tempfile.TemporaryDirectory() as directory:
            for name in ("sqlite", "postgres"):
                for kind, code in kinds.items():
                    url = (f"sqlite://{directory}/server-{len(rows)}.db" if name == "sqlite"
                           else f"{POSTGRES}?table=bench_{secrets.token_hex(4)}")
                    try:
                        rows.append(_row(name, url, kind, code, tasks))
                    except Exception as exc:  # noqa: BLE001 - a missing database skips its row
                        rows.append([name, kind, "unavailable", str(exc)[:60], "", "", ""])
                    finally:
                        _drop(url)
    finally:
        server.shutdown()
    table(f"Server ({tasks} tasks per row, POST /api/v1/tasks from {CLIENTS} connections over loopback; "
          f"one seqflow serve process, one in-process worker)",
          ["storage", "task", "POST req/s", "p50 latency", "p99 latency", "all completed", "tasks/s"], rows)


"""Benchmarks: ``python -m seqflow_runtime.bench`` (or ``seqflow bench``) prints the tables.

Everything is measured in one run on this machine, side by side with the
yardsticks: Js2Py (pure-Python JS) and the ``quickjs`` package (a native
engine, the ceiling); both come from the ``bench`` extra and are never used
by the library. Each figure is the best of several repetitions.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import time
from typing import Any, Callable

from .version import install_hint

# The same ES5 source runs on all three engines (Js2Py has no ES2015 without babel).
PROGRAMS: dict[str, str] = {
    "recursive fib(20)": """
        function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
        fib(20)""",
    "objects and arrays": """
        var rows = [];
        for (var i = 0; i < 20000; i++) { rows.push({id: i, name: 'n' + i, tags: [i % 3, i % 5]}); }
        var total = 0;
        for (var j = 0; j < rows.length; j++) { total += rows[j].tags[0] + rows[j].tags[1]; }
        total""",
    "string building": """
        var s = '';
        for (var i = 0; i < 20000; i++) { s += String.fromCharCode(97 + i % 26); if (i % 100 === 0) s += '\\n'; }
        s.split('\\n').length + s.toUpperCase().indexOf('XYZ')""",
    "JSON round trip": """
        var data = [];
        for (var i = 0; i < 2000; i++) { data.push({id: i, ok: i % 2 === 0, v: [i, i * 1.5, 'x' + i]}); }
        var n = 0;
        for (var k = 0; k < 5; k++) { n += JSON.parse(JSON.stringify(data)).length; }
        n""",
    "array methods with callbacks": """
        var xs = [];
        for (var i = 0; i < 20000; i++) xs.push(i);
        var r = xs.map(function (x) { return x * 2; })
                  .filter(function (x) { return x % 3 === 0; })
                  .reduce(function (a, b) { return a + b; }, 0);
        r + xs.some(function (x) { return x > 19998; })""",
    "class-heavy (prototypes)": """
        function Shape(name) { this.name = name; }
        Shape.prototype.area = function () { return 0; };
        function Rect(w, h) { Shape.call(this, 'rect'); this.w = w; this.h = h; }
        Rect.prototype = Object.create(Shape.prototype);
        Rect.prototype.constructor = Rect;
        Rect.prototype.area = function () { return this.w * this.h; };
        function Square(s) { Rect.call(this, s, s); this.name = 'square'; }
        Square.prototype = Object.create(Rect.prototype);
        Square.prototype.constructor = Square;
        var sum = 0;
        for (var i = 0; i < 5000; i++) {
          var sh = i % 2 ? new Rect(i, 2) : new Square(i);
          sum += sh.area() + (sh instanceof Rect ? 1 : 0);
        }
        sum""",
}


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time in seconds of ``repeat`` calls, and the last result.

    Each call starts after a full collection, so no engine pays for the
    garbage another one left behind.
    """
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    """Print an aligned plain-text table."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


def _ours(source: str) -> Callable[[], Any]:
    from seqflow_transpile import transpile

    from .js.convert import to_python
    from .js.execute import start_program
    from .js.runtime import Runtime

    program = transpile(source)

    def run() -> Any:
        rt = Runtime()
        promise = start_program(rt, program)
        rt.jobs.run()
        return to_python(rt, promise.result)

    return run


def bench_language() -> None:
    """Our transpiled code vs Js2Py vs quickjs on small programs."""
    try:
        import js2py
        import quickjs
    except ImportError:
        print(f"\nlanguage: install the bench extra ({install_hint('bench')}) for Js2Py and quickjs")
        return
    rows = []
    for name, source in PROGRAMS.items():
        ours_t, ours_v = best_of(_ours(source))

        def run_js2py() -> Any:
            ctx = js2py.EvalJs()
            return ctx.eval(source)

        run_js2py()  # warm Js2Py's translation cache: we time execution, not its parser
        js2py_t, js2py_v = best_of(run_js2py, repeat=1)
        qjs_t, qjs_v = best_of(lambda: quickjs.Context().eval(source))
        agree = "yes" if float(ours_v) == float(js2py_v) == float(qjs_v) else f"no ({ours_v}/{js2py_v}/{qjs_v})"
        rows.append([name, f"{ours_t * 1000:.1f}", f"{js2py_t * 1000:.1f}", f"{qjs_t * 1000:.2f}",
                     f"{js2py_t / ours_t:.1f}x", f"{ours_t / qjs_t:.0f}x", agree])
    table("Language (ms per run, best of 3 for seqflow and quickjs, 1 for Js2Py; realm creation included)",
          ["program", "seqflow", "Js2Py", "quickjs", "vs Js2Py", "vs quickjs", "same result"], rows)


def _functions_source(count: int) -> str:
    """A script of ``count`` small functions (about 72 bytes each) and a call of the last."""
    return "\n".join(
        f"function f{i}(a, b) {{ const xs = [a, b, {i}]; let s = 0; for (const x of xs) {{ s += x * {i}; }}"
        f" return s > 10 ? `big ${{s}}` : {{v: s, k: 'k{i}'}}; }}" for i in range(count)) + f"\nf{count - 1}(1, 2)\n"


def bench_transpile() -> None:
    """Transpile throughput, cold (parse + codegen + render + compile) and cached in memory."""
    from seqflow_transpile import program as program_module
    from seqflow_transpile import transpile
    from seqflow_transpile.disk_cache import disk_cache

    source = _functions_source(600)
    size_kb = len(source.encode()) / 1024

    def cold() -> Any:
        program_module.program_cache.clear()
        return transpile(source)

    directory = disk_cache.directory
    disk_cache.configure(None)  # cold means cold: no program from the disk cache either
    try:
        cold_t, _ = best_of(cold)
    finally:
        disk_cache.configure(directory)
    cached_t, _ = best_of(lambda: transpile(source), repeat=5)
    table("Transpile throughput", ["source", "cold", "cached"],
          [[f"{size_kb:.0f} KB, 600 functions", f"{size_kb / cold_t:.0f} KB/s ({cold_t * 1000:.0f} ms)",
            f"{size_kb / cached_t:,.0f} KB/s"]])


#: A fresh process's figures: CPU time of ``import seqflow_runtime``, then wall and CPU time of its first
#: ``execute`` (the script on stdin), as one JSON line.
_STARTUP_CHILD = """
import json, sys, time
cpu = time.process_time()
import seqflow_runtime
imported = time.process_time() - cpu
source = sys.stdin.read()
wall, cpu = time.perf_counter(), time.process_time()
task = seqflow_runtime.Flow(storage=seqflow_runtime.MemoryStorage()).execute(source)
print(json.dumps({"import": imported, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "status": task.status}))
"""


def _fresh(source: str, env: dict[str, str]) -> dict[str, Any]:
    import subprocess

    done = subprocess.run([sys.executable, "-c", _STARTUP_CHILD], input=source, capture_output=True, text=True,
                          env=env, check=True)
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if report["status"] != "completed":
        raise RuntimeError(f"the startup script ended {report['status']}")
    return report


def bench_startup() -> None:
    """A fresh process: importing the runtime, and its first execute of a 20 KB script (program cache warm or off)."""
    import os
    from pathlib import Path

    source = _functions_source(145)
    with tempfile.TemporaryDirectory() as directory:
        # Bytecode cached as an installed package has it (in a scratch place: the source tree stays clean).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPYCACHEPREFIX=str(Path(directory) / "pycache"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                            env.get("PYTHONPATH")])))
        warm = dict(env, SEQFLOW_PROGRAM_CACHE=str(Path(directory) / "programs"))
        off = dict(env, SEQFLOW_PROGRAM_CACHE="off")
        _fresh(source, warm)  # compiles the bytecode and fills the program cache
        runs = {name: [_fresh(source, e) for _ in range(5)] for name, e in (("warm", warm), ("off", off))}
    imports = [r["import"] for r in runs["warm"] + runs["off"]]

    def row(what: str, values: list[float]) -> list[str]:
        return [what, f"{statistics.median(values) * 1000:.1f} ms", f"{min(values) * 1000:.1f} ms"]

    size_kb = len(source.encode()) / 1024
    table("Startup (fresh processes, bytecode cached; median and best of 5)", ["what", "median", "best"], [
        row("import seqflow_runtime (CPU)", imports),
        row(f"first execute of a {size_kb:.0f} KB script, program cache warm (CPU)", [r["cpu"] for r in runs["warm"]]),
        row("  the same, wall clock", [r["wall"] for r in runs["warm"]]),
        row("first execute, program cache off (it transpiles; CPU)", [r["cpu"] for r in runs["off"]]),
    ])


def bench_realm() -> None:
    """The cost of a fresh realm (every execution and every replay makes one), and of every built-in
    group it installs on first use."""
    from .js.builtins import install_everything
    from .js.runtime import Runtime

    rows = []
    for label, make in (("Runtime() (web built-ins wait for first use)", Runtime),
                        ("Runtime() and every built-in installed", lambda: install_everything(Runtime()))):
        times = []
        for _ in range(30):
            started = time.perf_counter()
            make()
            times.append(time.perf_counter() - started)
        rows.append([label, f"{statistics.median(times) * 1000:.2f} ms", f"{min(times) * 1000:.2f} ms"])
    table("Realm creation", ["what", "median", "best"], rows)


DURABLE = """
const seen = [];
for (let i = 0; i < %d; i++) {
  const res = await fetch('https://api.example.com/items/' + i);
  const item = await res.json();
  seen.push(item.id);
}
seen.length
"""


def _response(i: int) -> dict[str, Any]:
    payload = {"id": i, "name": f"item {i}", "tags": ["a", "b"], "pad": "x" * 120}
    return {"status": 200, "data": payload}


def bench_durable() -> None:
    """N sequential fetches through pause → store → load → resume."""
    from .flow import Flow
    from .storage import MemoryStorage

    rows = []
    previous: tuple[float, int] | None = None
    for n in (10, 100, 1000):
        response_bytes = len(json.dumps(_response(0)["data"]))
        storage = MemoryStorage()
        hot = Flow(storage=storage)
        task = hot.execute(DURABLE % n, id="hot")
        hot_times = []
        for i in range(n):
            started = time.perf_counter()
            task = hot.resume("hot", fetch_response=_response(i))
            hot_times.append(time.perf_counter() - started)
        assert task.status == "completed" and task.result == n
        # Cold: a flow with no live program replays the whole log at every resume.
        cold_storage = MemoryStorage()
        Flow(storage=cold_storage).execute(DURABLE % n, id="cold")
        for i in range(n - 1):
            Flow(storage=cold_storage).resume("cold", fetch_response=_response(i))
        stored = cold_storage.load("cold")
        assert stored is not None
        state_bytes = len(json.dumps(stored.vm_state))
        events = len(stored.vm_state["events"]) if stored.vm_state else 0
        cold_t, last = best_of(lambda: Flow(storage=_clone(cold_storage)).resume("cold", fetch_response=_response(n - 1)))
        assert last.status == "completed"
        per_step_overhead = (state_bytes - (n - 1) * response_bytes) / max(n - 1, 1)
        marginal = "" if previous is None else f"{(cold_t - previous[0]) * 1000 / (events - previous[1]):.3f} ms"
        previous = (cold_t, events)
        rows.append([str(n), f"{cold_t * 1000:.1f} ms", f"{cold_t * 1000 / max(events, 1):.3f} ms", marginal,
                     f"{statistics.median(hot_times) * 1000:.3f} ms", f"{state_bytes / 1024:.1f} KB",
                     f"{response_bytes} + {per_step_overhead:.0f} B"])
    table("Durable resume (MemoryStorage; response body ~200 bytes of JSON)",
          ["N fetches", "cold resume (replay)", "per logged event", "marginal per event", "hot resume (median)",
           "state at pause N", "state per step (response + log)"], rows)


def _clone(storage: Any) -> Any:
    from .storage import MemoryStorage

    copy = MemoryStorage()
    page = storage.list(limit=10000)
    for task in page.tasks:
        copy.save(task, None)
    return copy


def bench_storage() -> None:
    """Save + load latency and stored bytes per adapter (a paused task with 100 responses)."""
    from .flow import Flow
    from .storage import MemoryStorage
    from .storage.url import create_storage

    flow = Flow(storage=MemoryStorage())
    flow.execute(DURABLE % 101, id="src")
    for i in range(100):
        task = flow.resume("src", fetch_response=_response(i))
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        urls = {"memory": "memory:", "file": f"file:{directory}/files", "sqlite": f"sqlite:{directory}/t.db",
                "postgres": "postgresql://postgres@127.0.0.1:5432/postgres", "redis": "redis://127.0.0.1:6379/0"}
        for name, url in urls.items():
            try:
                storage = create_storage(url)
                storage.delete("bench-task")
            except Exception as exc:  # noqa: BLE001 - a missing server skips its row
                rows.append([name, "unavailable", "", "", str(exc)[:60]])
                continue
            task.id = "bench-task"
            version: int | None = None
            saves, loads = [], []
            for _ in range(20):
                started = time.perf_counter()
                storage.save(task, version)
                saves.append(time.perf_counter() - started)
                version = task.version
                started = time.perf_counter()
                loaded = storage.load("bench-task")
                loads.append(time.perf_counter() - started)
                assert loaded is not None
                task.version += 1
            task.version = version or 1
            cycle_flow = Flow(storage=storage)
            cycle_flow.storage.delete("cycle")
            cycle_flow.execute(DURABLE % 3, id="cycle")
            started = time.perf_counter()
            Flow(storage=storage).resume("cycle", fetch_response=_response(0))
            cycle = time.perf_counter() - started
            size = len(json.dumps(task.to_dict()))
            rows.append([name, f"{statistics.median(saves) * 1000:.2f} ms", f"{statistics.median(loads) * 1000:.2f} ms",
                         f"{size / 1024:.1f} KB", f"{cycle * 1000:.1f} ms"])
            storage.delete("bench-task")
            storage.delete("cycle")
            storage.close()
    table("Storage (paused task with 100 logged responses)",
          ["adapter", "save", "load", "stored JSON", "cold resume cycle"], rows)


# A task that fetches forever: every resume is one more logged event.
_ENDLESS = """
const seen = [];
for (let i = 0; ; i++) {
  const res = await fetch('https://api.example.com/items/' + i);
  const item = await res.json();
  seen.push(item.id);
}
"""


def _task_at(events: int) -> Any:
    """A paused task of :data:`_ENDLESS` with ``events`` logged responses (built hot, in memory)."""
    from .flow import Flow
    from .storage import MemoryStorage

    flow = Flow(storage=MemoryStorage())
    task = flow.execute(_ENDLESS, id="hot-step")
    for i in range(events):
        task = flow.resume("hot-step", fetch_response=_response(i))
    return task


def bench_hot_step() -> None:
    """One step of a task whose live program a Flow holds (load, run, save), at growing log lengths, per adapter."""
    from .flow import Flow
    from .storage.url import create_storage

    sizes = (100, 1000, 5000)
    built = {n: _task_at(n) for n in sizes}
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        urls = {"memory": "memory:", "file": f"file:{directory}/files", "sqlite": f"sqlite:{directory}/t.db",
                "postgres": "postgresql://postgres@127.0.0.1:5432/postgres", "redis": "redis://127.0.0.1:6379/0"}
        for name, url in urls.items():
            row = [name]
            for n in sizes:
                try:
                    storage = create_storage(url)
                    storage.delete("hot-step")
                except Exception as exc:  # noqa: BLE001 - a missing server skips its row
                    row.append(f"unavailable: {str(exc)[:40]}")
                    continue
                task = built[n].copy()
                storage.save(task, None)
                flow = Flow(storage=storage)
                flow.resume("hot-step", fetch_response=_response(n))  # the first resume replays: now it is live
                walls, cpus = [], []
                for i in range(n + 1, n + 31):
                    started, cpu = time.perf_counter(), time.process_time()
                    flow.resume("hot-step", fetch_response=_response(i))
                    walls.append(time.perf_counter() - started)
                    cpus.append(time.process_time() - cpu)
                row.append(f"{statistics.median(walls) * 1000:.2f} ms ({statistics.median(cpus) * 1000:.2f} CPU)")
                storage.delete("hot-step")
                storage.close()
            rows.append(row)
    table("Hot step (the Flow holds the live program: load the head, run, append): median wall (and CPU) time",
          ["adapter", *(f"{n} logged events" for n in sizes)], rows)


def bench_worker() -> None:
    """Worker processes on PostgreSQL and SQLite (its own module: it starts a server and processes)."""
    from .bench_worker import bench_worker as run

    run()


def bench_server() -> None:
    """``seqflow serve`` under load on SQLite and PostgreSQL (its own module: it starts the server)."""
    from .bench_server import bench_server as run

    run()


SECTIONS: dict[str, Callable[[], None]] = {
    "language": bench_language,
    "transpile": bench_transpile,
    "startup": bench_startup,
    "realm": bench_realm,
    "durable": bench_durable,
    "storage": bench_storage,
    "hot": bench_hot_step,
    "worker": bench_worker,
    "server": bench_server,
}


def main(only: str | None = None, awfy: str | None = None) -> int:
    """Run every section (or ``only`` one) and print its table; ``awfy``: the Are-We-Fast-Yet suite's directory."""
    from .bench_awfy import bench_awfy

    print(f"seqflow benchmarks, {time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}")
    def awfy_section() -> None:
        bench_awfy(awfy)

    sections = {**SECTIONS, "awfy": awfy_section}
    if only is not None and only not in sections:
        print(f"unknown section {only!r}; choose one of {', '.join(sections)}")
        return 2
    for name, section in sections.items():
        if only is None or only == name:
            section()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))

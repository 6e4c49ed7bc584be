"""The Are-We-Fast-Yet benchmarks: ``seqflow bench --only awfy --awfy PATH``.

The suite (github.com/smarr/are-we-fast-yet, ``benchmarks/JavaScript`` and
``benchmarks/Python``) is read from a checkout; nothing of it ships with
seqflow. ``PATH`` (or ``$SEQFLOW_AWFY``) is a directory holding ``JavaScript/``
and ``Python/`` as in the suite's ``benchmarks/`` folder.

Each benchmark runs on three engines, each run in a fresh process: its
JavaScript on seqflow (translate time reported apart from run time), the same
JavaScript on the ``quickjs`` package, and its Python version on this CPython;
three runs per engine (Havlak one), the fastest shown. Every run calls the
suite's own ``innerBenchmarkLoop``, which checks its result with the suite's
``verifyResult``; a run that does not verify is reported, not timed.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The environment variable naming the suite's directory when ``--awfy`` is not given.
AWFY_ENV = "SEQFLOW_AWFY"


@dataclass(frozen=True)
class Bench:
    """One benchmark: its class name, its file stem, and how many times the harness runs it."""

    name: str
    stem: str
    #: Calls of ``innerBenchmarkLoop`` (the suite's outer iterations).
    outer: int
    #: The argument of each call (the suite's inner iterations; some benchmarks verify only known ones).
    inner: int
    #: Fresh processes per engine; the table shows the fastest (one run of CPython varies by a third here).
    runs: int = 3


#: Iterations sized so that CPython spends 0.1 to 0.4 s of CPU on each benchmark; where ``verifyResult``
#: knows only some inner counts, one of those: CD 10 aircraft, Mandelbrot 500 (2 s on CPython), NBody 1
#: step per call (so it measures building the system as much as advancing it), Havlak 1 (its smallest
#: workload: 5 to 9 s on CPython; it runs last, once per engine, and takes most of the time).
BENCHMARKS: tuple[Bench, ...] = (
    Bench("DeltaBlue", "deltablue", 1, 1500),
    Bench("Richards", "richards", 1, 2),
    Bench("Json", "json", 1, 10),
    Bench("CD", "cd", 1, 10),
    Bench("Bounce", "bounce", 1, 150),
    Bench("List", "list", 1, 200),
    Bench("Mandelbrot", "mandelbrot", 1, 500),
    Bench("NBody", "nbody", 20000, 1),
    Bench("Permute", "permute", 1, 100),
    Bench("Queens", "queens", 1, 150),
    Bench("Sieve", "sieve", 1, 200),
    Bench("Storage", "storage", 1, 60),
    Bench("Towers", "towers", 1, 50),
    Bench("Havlak", "havlak", 1, 1, runs=1),
)

#: What the suite's modules expect of Node.js: ``require`` of each other and ``process.stdout`` (a
#: failed verification writes why).
_PRELUDE = """\
const __modules = {};
function require(name) { return __modules[name.slice(2)]; }
const process = { stdout: { write(text) { console.log(text); } } };
"""


class AwfyError(Exception):
    """The suite is missing or a run failed to start."""


def suite_dir(path: str | None) -> Path:
    """The suite's directory: ``path``, else ``$SEQFLOW_AWFY``; it must hold ``JavaScript/`` and ``Python/``."""
    chosen = path or os.environ.get(AWFY_ENV)
    if not chosen:
        raise AwfyError(f"give the Are-We-Fast-Yet benchmarks directory with --awfy PATH or ${AWFY_ENV}")
    root = Path(chosen)
    if not (root / "JavaScript" / "benchmark.js").is_file() or not (root / "Python" / "benchmark.py").is_file():
        raise AwfyError(f"{root} does not hold JavaScript/benchmark.js and Python/benchmark.py")
    return root


def js_source(root: Path, bench: Bench) -> str:
    """One script: the suite's modules (each in its own scope, as CommonJS does) and a driver.

    Its completion value is ``true`` when every ``innerBenchmarkLoop`` call verified.
    """
    parts = [_PRELUDE]
    for stem in ("benchmark", "som", bench.stem):
        text = (root / "JavaScript" / f"{stem}.js").read_text(encoding="utf-8")
        parts.append(f"__modules[{stem!r}] = (function () {{\nconst exports = {{}};\n{text}\nreturn exports;\n}})();\n")
    parts.append(
        f"const bench = __modules[{bench.stem!r}].newInstance();\n"
        f"let verified = true;\n"
        f"for (let i = 0; i < {bench.outer} && verified; i += 1) {{ verified = bench.innerBenchmarkLoop({bench.inner}); }}\n"
        f"verified\n")
    return "".join(parts)


def _run_seqflow(root: Path, bench: Bench) -> dict[str, Any]:
    from seqflow_transpile import transpile
    from seqflow_transpile.disk_cache import disk_cache

    from .js.execute import start_program
    from .js.inspect import inspect_thrown
    from .js.runtime import Runtime
    from .limits import Limits

    source = js_source(root, bench)
    disk_cache.configure(None)  # translate time is a real transpile's
    started = time.process_time()
    program = transpile(source)
    translated = time.process_time()
    rt = Runtime(Limits(max_steps=1 << 62, max_run_seconds=1e6, max_memory_bytes=1 << 34))
    promise = start_program(rt, program)
    rt.jobs.run()
    finished = time.process_time()
    verified = promise.result is True
    return {"translate": translated - started, "run": finished - translated, "verified": verified,
            "detail": "" if verified else f"{promise.state}: {inspect_thrown(rt, promise.result)}"[:200]}


def _run_quickjs(root: Path, bench: Bench) -> dict[str, Any]:
    import quickjs

    source = js_source(root, bench)
    context = quickjs.Context()
    # Havlak recurses deeper than QuickJS's default 256 KB stack check; the main thread's C stack is 8 MB.
    context.set_max_stack_size(6 << 20)
    started = time.process_time()
    try:
        value = context.eval(source)
    except quickjs.JSException as exc:  # its message's first line, not the stack under it
        return {"verified": False, "detail": str(exc).splitlines()[0][:200]}
    return {"run": time.process_time() - started, "verified": value is True, "detail": repr(value)[:200]}


def _run_cpython(root: Path, bench: Bench) -> dict[str, Any]:
    import importlib.util

    # The suite's modules import ``benchmark`` and ``som`` from their directory; a benchmark module is
    # loaded under its own name (the suite's ``json.py`` must not shadow the standard library's).
    sys.path.insert(0, str(root / "Python"))
    spec = importlib.util.spec_from_file_location(f"awfy_{bench.stem}", root / "Python" / f"{bench.stem}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    instance = getattr(module, bench.name)()
    started = time.process_time()
    verified = True
    for _ in range(bench.outer):
        verified = bool(instance.inner_benchmark_loop(bench.inner))
        if not verified:
            break
    return {"run": time.process_time() - started, "verified": verified, "detail": ""}


_ENGINES = {"seqflow": _run_seqflow, "quickjs": _run_quickjs, "cpython": _run_cpython}


def run_fresh(engine: str, root: Path, bench: Bench) -> dict[str, Any]:
    """Run one benchmark on one engine in a fresh Python process; its timings and verdict."""
    package_parent = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "seqflow_runtime.bench_awfy", engine, str(root), bench.name]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"verified": False, "detail": (done.stderr.strip().splitlines() or ["no output"])[-1][:200]}
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def best_fresh(engine: str, root: Path, bench: Bench) -> dict[str, Any]:
    """The fastest of ``bench.runs`` fresh-process runs; the first failure instead, if any run fails."""
    reports = []
    for _ in range(bench.runs):
        report = run_fresh(engine, root, bench)
        if not report["verified"]:
            return report
        reports.append(report)
    return min(reports, key=lambda r: float(r["run"]))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def bench_awfy(path: str | None = None) -> None:
    """The AWFY table: seqflow vs CPython (same algorithm in Python) vs QuickJS, each verified."""
    try:
        root = suite_dir(path)
        import quickjs  # noqa: F401 - only to say early that the bench extra is missing
    except (AwfyError, ImportError) as exc:
        print(f"\nawfy: {exc}")
        return
    results: list[tuple[Bench, dict[str, dict[str, Any]]]] = []
    for bench in BENCHMARKS:
        results.append((bench, {engine: best_fresh(engine, root, bench) for engine in ("seqflow", "cpython", "quickjs")}))
        print(f"  awfy: {bench.name} {json.dumps(results[-1][1])}", file=sys.stderr, flush=True)  # progress
    print_table(results)


def print_table(results: list[tuple[Bench, dict[str, dict[str, Any]]]]) -> None:
    """The table of ``results`` (each benchmark's report per engine), ratios and their geometric means."""
    from .bench import table

    rows: list[list[str]] = []
    vs_python: list[float] = []
    vs_quickjs: list[float] = []
    failed: list[str] = []
    for bench, reports in results:
        failed += [f"{bench.name} on {engine}: {report['detail']}" for engine, report in reports.items()
                   if not report["verified"]]
        ours, python, native = (reports[e] if reports[e]["verified"] else None for e in ("seqflow", "cpython", "quickjs"))
        row = [bench.name, f"{bench.outer}x{bench.inner}", _ms(ours["translate"]) if ours else "",
               _ms(ours["run"]) if ours else "fails", _ms(python["run"]) if python else "fails",
               _ms(native["run"]) if native else "fails", "", ""]
        if ours and python:
            vs_python.append(ours["run"] / python["run"])
            row[6] = f"{vs_python[-1]:.1f}x"
        if ours and native:
            vs_quickjs.append(ours["run"] / native["run"])
            row[7] = f"{vs_quickjs[-1]:.1f}x"
        rows.append(row)
    rows.append(["geometric mean", "", "", "", "", "",
                 f"{_geomean(vs_python):.1f}x ({len(vs_python)})" if vs_python else "",
                 f"{_geomean(vs_quickjs):.1f}x ({len(vs_quickjs)})" if vs_quickjs else ""])
    table("Are We Fast Yet (CPU ms; each run in a fresh process, verified by the suite's verifyResult)",
          ["benchmark", "outer x inner", "seqflow translate", "seqflow run", "CPython", "quickjs",
           "seqflow / CPython", "seqflow / quickjs"], rows)
    for line in failed:
        print(f"  not verified: {line}")


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _worker(engine: str, root: str, name: str) -> int:
    """A fresh process's job: run one benchmark on ``engine`` and print its report as one JSON line."""
    bench = next(b for b in BENCHMARKS if b.name == name)
    print(json.dumps(_ENGINES[engine](Path(root), bench)))
    return 0


if __name__ == "__main__":
    sys.exit(_worker(*sys.argv[1:4]))

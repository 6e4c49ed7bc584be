"""The Are-We-Fast-Yet harness, on a stand-in suite written here (the real one is not part of the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqflow_runtime import bench_awfy
from seqflow_runtime.bench_awfy import BENCHMARKS, AwfyError, best_fresh, js_source, run_fresh, suite_dir

TOWERS = next(b for b in BENCHMARKS if b.name == "Towers")

BENCHMARK_JS = """
class Benchmark {
  innerBenchmarkLoop(n) {
    for (let i = 0; i < n; i += 1) { if (!this.verifyResult(this.benchmark())) { return false; } }
    return true;
  }
}
exports.Benchmark = Benchmark;
"""
SOM_JS = "class Vector { constructor() { this.items = []; } }\nexports.Vector = Vector;\n"
TOWERS_JS = """
const { Benchmark } = require('./benchmark');
const { Vector } = require('./som');
class Towers extends Benchmark {
  static expected = %s;
  benchmark() {
    const v = new Vector();
    let sum = 0;
    for (let i = 1; i <= 100; i += 1) { v.items.push(i * 0.5); sum += v.items[i - 1]; }
    return sum;
  }
  verifyResult(result) {
    if (result !== Towers.expected) { process.stdout.write(`got ${result}`); }
    return result === Towers.expected;
  }
}
exports.newInstance = () => new Towers();
"""
BENCHMARK_PY = """
class Benchmark:
    def inner_benchmark_loop(self, n):
        return all(self.verify_result(self.benchmark()) for _ in range(n))
"""
TOWERS_PY = """
from benchmark import Benchmark

class Towers(Benchmark):
    def benchmark(self):
        return sum(i * 0.5 for i in range(1, 101))

    def verify_result(self, result):
        return result == %s
"""


def make_suite(root: Path, expected: str) -> Path:
    """A stand-in suite with one benchmark, Towers, whose ``verifyResult`` expects ``expected``."""
    (root / "JavaScript").mkdir(parents=True)
    (root / "Python").mkdir()
    (root / "JavaScript" / "benchmark.js").write_text(BENCHMARK_JS)
    (root / "JavaScript" / "som.js").write_text(SOM_JS)
    (root / "JavaScript" / "towers.js").write_text(TOWERS_JS % expected)
    (root / "Python" / "benchmark.py").write_text(BENCHMARK_PY)
    (root / "Python" / "towers.py").write_text(TOWERS_PY % expected)
    return root


def test_each_engine_runs_the_benchmark_in_a_fresh_process_and_verifies_it(tmp_path: Path) -> None:
    root = make_suite(tmp_path / "suite", "2525")
    for engine in ("seqflow", "cpython", "quickjs"):
        report = run_fresh(engine, root, TOWERS)
        assert report["verified"] is True, (engine, report)
        assert report["run"] > 0
    assert run_fresh("seqflow", root, TOWERS)["translate"] > 0


def test_a_result_that_does_not_verify_is_reported_with_the_reason(tmp_path: Path) -> None:
    root = make_suite(tmp_path / "suite", "-1")
    ours = run_fresh("seqflow", root, TOWERS)
    assert ours["verified"] is False and ours["detail"] == "fulfilled: false"
    assert run_fresh("cpython", root, TOWERS)["verified"] is False
    assert run_fresh("quickjs", root, TOWERS)["verified"] is False


def test_a_benchmark_that_throws_is_reported_not_timed(tmp_path: Path) -> None:
    root = make_suite(tmp_path / "suite", "2525")
    (root / "JavaScript" / "towers.js").write_text(TOWERS_JS.replace("let sum = 0;", "let sum = undefinedName;")
                                                   % "2525")
    ours = run_fresh("seqflow", root, TOWERS)
    assert ours["verified"] is False and "undefinedName is not defined" in ours["detail"]


def test_the_table_takes_the_fastest_run_and_reports_any_failure(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_suite(tmp_path / "suite", "2525")
    runs: list[str] = []
    reports: list[dict[str, object]] = []
    assert TOWERS.runs == 3 and next(b for b in BENCHMARKS if b.name == "Havlak").runs == 1

    def counted(engine: str, root: Path, bench: bench_awfy.Bench) -> dict[str, object]:
        runs.append(engine)
        reports.append(run_fresh(engine, root, bench))
        return reports[-1]

    monkeypatch.setattr(bench_awfy, "run_fresh", counted)
    best = best_fresh("cpython", root, TOWERS)
    assert runs == ["cpython"] * 3 and best["verified"] is True
    assert best["run"] == min(float(str(r["run"])) for r in reports)
    (root / "Python" / "towers.py").write_text(TOWERS_PY % "-1")  # from now on every run fails
    runs.clear()
    failed = best_fresh("cpython", root, TOWERS)
    assert runs == ["cpython"] and failed["verified"] is False


def test_the_modules_keep_their_own_scopes(tmp_path: Path) -> None:
    source = js_source(make_suite(tmp_path / "suite", "1"), TOWERS)
    assert source.count("const exports = {};") == 3 and source.rstrip().endswith("verified")


def test_the_suite_directory_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEQFLOW_AWFY", raising=False)
    with pytest.raises(AwfyError, match="--awfy PATH"):
        suite_dir(None)
    with pytest.raises(AwfyError, match="does not hold"):
        suite_dir(str(tmp_path))
    monkeypatch.setenv("SEQFLOW_AWFY", str(make_suite(tmp_path / "suite", "1")))
    assert suite_dir(None) == tmp_path / "suite"

"""The persistent program cache: fresh processes reuse compiled programs, and no bad file breaks a transpile."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from seqflow_transpile import program as program_module
from seqflow_transpile import transpile
from seqflow_transpile.disk_cache import DiskCache, default_directory, disk_cache

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
function greet(name) { return `hello ${name}`; }
const xs = [3, 1, 2].sort((a, b) => a - b);
greet(xs.join('-'))
"""

# A fresh process: transpile (or execute) the scripts it reads on stdin, then report what the
# disk cache did and whether the parser and code generator were ever imported.
CHILD = """
import json, sys
from seqflow_transpile import transpile
from seqflow_transpile.disk_cache import disk_cache
sources = json.load(sys.stdin)
results = []
if sys.argv[1] == "execute":
    import seqflow_runtime
    results = [seqflow_runtime.Flow().execute(source).result for source in sources]
else:
    results = [transpile(source).code_hash for source in sources]
print(json.dumps({"hits": disk_cache.hits, "writes": disk_cache.writes, "results": results,
                  "codegen_loaded": "seqflow_transpile.codegen" in sys.modules,
                  "parser_loaded": "esprima" in sys.modules}))
"""


def run_child(directory: Path | str, sources: list[str], mode: str = "transpile",
              package_root: Path = ROOT) -> dict[str, object]:
    """Run :data:`CHILD` in a fresh interpreter with the cache at ``directory``; its report."""
    env = {**os.environ, "PYTHONPATH": str(package_root), "SEQFLOW_PROGRAM_CACHE": str(directory)}
    done = subprocess.run([sys.executable, "-c", CHILD, mode], input=json.dumps(sources), capture_output=True,
                          text=True, env=env, timeout=120, check=False,
                          cwd=package_root)
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    """This process's disk cache in a fresh directory (and an empty memory cache), restored after."""
    directory, max_bytes = disk_cache.directory, disk_cache.max_bytes
    target = tmp_path / "programs"
    disk_cache.configure(target)
    program_module.program_cache.clear()
    try:
        yield target
    finally:
        disk_cache.configure(directory, max_bytes)
        program_module.program_cache.clear()


def test_a_fresh_process_runs_a_cached_program_without_loading_the_transpiler(tmp_path: Path) -> None:
    first = run_child(tmp_path, [SCRIPT], "execute")
    assert (first["hits"], first["writes"], first["results"]) == (0, 1, ["hello 1-2-3"])
    second = run_child(tmp_path, [SCRIPT], "execute")
    assert (second["hits"], second["writes"], second["results"]) == (1, 0, ["hello 1-2-3"])
    assert second["codegen_loaded"] is False and second["parser_loaded"] is False


def test_a_cached_program_is_the_program_transpile_made(cache_dir: Path) -> None:
    made = transpile(SCRIPT, "sequential")
    program_module.program_cache.clear()
    hits = disk_cache.hits
    loaded = transpile(SCRIPT, "sequential")
    assert disk_cache.hits == hits + 1 and loaded is not made
    assert (loaded.js_source, loaded.dialect, loaded.python_source, loaded.code_hash, loaded.filename) == (
        made.js_source, made.dialect, made.python_source, made.code_hash, made.filename)
    assert loaded.code == made.code and loaded.source_map == made.source_map
    # The dialect, the eval mode and strictness are part of the key: none reads another's program.
    program_module.program_cache.clear()
    assert transpile(SCRIPT).code_hash != made.code_hash
    assert program_module.transpile_eval(SCRIPT, "direct", True).code_hash != made.code_hash
    assert len(list(cache_dir.glob("*.program"))) == 3


@pytest.mark.parametrize("damage", ["empty", "truncated", "flipped byte", "garbage", "other layout", "directory"])
def test_a_damaged_file_is_a_miss_and_is_rewritten(cache_dir: Path, damage: str) -> None:
    made = transpile(SCRIPT)
    (path,) = cache_dir.glob("*.program")
    data = path.read_bytes()
    path.unlink()
    if damage == "directory":
        path.mkdir()
    else:
        path.write_bytes({"empty": b"", "truncated": data[: len(data) // 2],
                          "flipped byte": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
                          "garbage": os.urandom(len(data)),
                          "other layout": b"seqflow-program-0\n" + data[18:]}[damage])
    program_module.program_cache.clear()
    hits, writes = disk_cache.hits, disk_cache.writes
    again = transpile(SCRIPT)
    assert again.python_source == made.python_source and disk_cache.hits == hits
    if damage != "directory":
        assert disk_cache.writes == writes + 1
        program_module.program_cache.clear()
        transpile(SCRIPT)
        assert disk_cache.hits == hits + 1


def test_two_processes_writing_at_once_leave_whole_files(tmp_path: Path) -> None:
    sources = [f"const v{i} = {{k: {i}}}; [v{i}.k, '{'x' * i * 50}'].join(':').length" for i in range(25)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SEQFLOW_PROGRAM_CACHE": str(tmp_path)}
    writers = [subprocess.Popen([sys.executable, "-c", CHILD, "transpile"], stdin=subprocess.PIPE, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for _ in range(2)]
    outputs = [writer.communicate(json.dumps(sources), timeout=120) for writer in writers]
    assert all(writer.returncode == 0 for writer in writers), [err for _, err in outputs]
    hashes = [json.loads(out)["results"] for out, _ in outputs]
    assert hashes[0] == hashes[1]
    assert sorted(p.name.startswith(".tmp-") for p in tmp_path.iterdir()) == [False] * 25
    reader = run_child(tmp_path, sources)
    assert (reader["hits"], reader["writes"], reader["results"]) == (25, 0, hashes[0])


def test_a_changed_transpiler_does_not_read_an_older_ones_programs(tmp_path: Path) -> None:
    package = tmp_path / "copy"
    shutil.copytree(ROOT / "seqflow_transpile", package / "seqflow_transpile",
                    ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "programs"
    assert run_child(cache, [SCRIPT], package_root=package)["writes"] == 1
    assert run_child(cache, [SCRIPT], package_root=package)["hits"] == 1
    # A new codegen version (any edit of the transpiler's modules) is a different transpiler.
    program_py = package / "seqflow_transpile" / "program.py"
    program_py.write_text(program_py.read_text().replace('CODEGEN_VERSION = "', 'CODEGEN_VERSION = "next-'))
    changed = run_child(cache, [SCRIPT], package_root=package)
    assert (changed["hits"], changed["writes"]) == (0, 1)
    assert len(list(cache.glob("*.program"))) == 2


def test_the_directory_stays_within_its_bound_oldest_out_first(cache_dir: Path, tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "bounded", 60_000)
    entries = []
    for i in range(30):
        program = transpile(f"const s = '{'y' * 2000}'; s.length + {i}")
        key = (program.js_source, "standard", "", False)
        entries.append(key)
        cache.store(key, program_module._to_entry(program))
    total = sum(p.stat().st_size for p in (tmp_path / "bounded").glob("*.program"))
    assert 0 < total <= 60_000 and cache.writes == 30
    assert cache.load(entries[-1]) is not None and cache.load(entries[0]) is None


def test_a_directory_other_users_may_write_is_not_used(cache_dir: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    cache = DiskCache(shared, 1 << 20)
    program = transpile(SCRIPT)
    cache.store((SCRIPT, "standard", "", False), program_module._to_entry(program))
    assert cache.directory is None and list(shared.iterdir()) == []
    assert stat.S_IMODE(shared.stat().st_mode) == 0o777


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for off in ("off", "0", ""):
        monkeypatch.setenv("SEQFLOW_PROGRAM_CACHE", off)
        assert default_directory() is None
    monkeypatch.setenv("SEQFLOW_PROGRAM_CACHE", str(tmp_path / "mine"))
    assert default_directory() == tmp_path / "mine"
    report = run_child("off", [SCRIPT], "execute")
    assert (report["hits"], report["writes"], report["results"]) == (0, 0, ["hello 1-2-3"])

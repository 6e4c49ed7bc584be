"""The distribution (seqflow-js), its version, the public exports and the optional drivers."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import seqflow_runtime
from seqflow_runtime import version

ROOT = Path(__file__).resolve().parent.parent
DRIVERS = ("psycopg", "psycopg_pool", "redis", "google", "grpc", "httpx")


def python(code: str, cwd: Path = ROOT, path: str = str(ROOT)) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd,
                          env={"PYTHONPATH": path, "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds from a copy of the source tree (the worktree gets no build/ litter)."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("seqflow_runtime", "seqflow_transpile"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"),
                            str(source)], capture_output=True, text=True, timeout=300)
    if built.returncode != 0:
        if "Could not find a version" in built.stderr or "connection" in built.stderr.lower():
            pytest.skip(f"pip cannot fetch the build backend (setuptools) from the index: {built.stderr[-300:]}")
        raise AssertionError(built.stderr)
    (found,) = (base / "dist").glob("*.whl")
    return found


def test_the_distribution_is_seqflow_js_with_one_version(wheel: Path) -> None:
    assert wheel.name == f"seqflow_js-{seqflow_runtime.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = f"seqflow_js-{seqflow_runtime.__version__}.dist-info"
        metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert metadata["Name"] == "seqflow-js"
    assert metadata["Version"] == seqflow_runtime.__version__ == version.__version__
    assert set(metadata.get_all("Provides-Extra") or []) == {
        "http", "postgres", "redis", "firestore", "intl", "server", "emoji", "otel", "bench", "dev"}
    assert "seqflow = seqflow_runtime.cli:main" in entry_points
    assert "seqflow_runtime/py.typed" in names and "seqflow_transpile/py.typed" in names
    # The dashboard's templates, script and stylesheet ship inside the package (no build step for users).
    assert {"seqflow_runtime/server/templates/task.html", "seqflow_runtime/server/static/dashboard.js",
            "seqflow_runtime/server/static/dashboard.css"} <= set(names)
    assert not any(n.startswith("tests/") for n in names)


def test_the_installed_metadata_and_the_command_agree(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    deps = next(p for p in sys.path if p.endswith("site-packages"))
    path = f"{site}:{deps}"
    shown = python("import importlib.metadata as m; print(m.version('seqflow-js'))", cwd=tmp_path, path=path)
    assert shown.stdout.strip() == seqflow_runtime.__version__, shown.stderr
    command = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "--version"], capture_output=True,
                             text=True, timeout=60, cwd=tmp_path, env={"PYTHONPATH": path})
    assert command.returncode == 0, command.stderr
    assert command.stdout.strip() == f"seqflow {seqflow_runtime.__version__} (seqflow-js)"


def test_storages_are_exported_from_the_package() -> None:
    from seqflow_runtime import (
        FileStorage,
        FirestoreStorage,
        MemoryStorage,
        PostgresStorage,
        RedisStorage,
        SqliteStorage,
        create_storage,
    )
    from seqflow_runtime.storage.firestore import FirestoreStorage as Firestore
    from seqflow_runtime.storage.postgres import PostgresStorage as Postgres
    from seqflow_runtime.storage.redis_storage import RedisStorage as Redis

    assert (PostgresStorage, RedisStorage, FirestoreStorage) == (Postgres, Redis, Firestore)
    assert isinstance(create_storage("memory:"), MemoryStorage)
    assert {FileStorage.__name__, SqliteStorage.__name__} == {"FileStorage", "SqliteStorage"}
    with pytest.raises(AttributeError):
        seqflow_runtime.NoSuchStorage  # noqa: B018


def test_importing_the_package_loads_no_driver() -> None:
    done = python("import sys, seqflow_runtime\n"
                  "from seqflow_runtime import *\n"
                  "from seqflow_runtime import create_storage, SqliteStorage, FileStorage, MemoryStorage\n"
                  "create_storage('memory:')\n"
                  f"print(sorted(m for m in sys.modules if m.split('.')[0] in {DRIVERS!r}))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("blocked", "use", "extra"), [
    ("psycopg", "from seqflow_runtime import PostgresStorage", "postgres"),
    ("psycopg_pool", "seqflow_runtime.storage.PostgresStorage", "postgres"),
    ("psycopg", "seqflow_runtime.create_storage('postgresql://u@127.0.0.1/x')", "postgres"),
    ("redis", "from seqflow_runtime import RedisStorage", "redis"),
    ("redis", "seqflow_runtime.create_storage('redis://127.0.0.1:6379/0')", "redis"),
    ("google", "from seqflow_runtime import FirestoreStorage", "firestore"),
    ("google", "seqflow_runtime.create_storage('firestore://p/c')", "firestore"),
])
def test_a_missing_driver_names_the_extra(blocked: str, use: str, extra: str) -> None:
    done = python(f"import sys\nsys.modules[{blocked!r}] = None\nimport seqflow_runtime\n"
                  "try:\n"
                  f"    {use}\n"
                  "except seqflow_runtime.StorageError as exc:\n"
                  "    print(exc.code, exc.message)\n"
                  "from seqflow_runtime import *\n")  # a star import still works without the extra
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("storage_unavailable ")
    assert f"pip install 'seqflow-js[{extra}]'" in done.stdout

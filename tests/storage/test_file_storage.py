"""FileStorage across processes: locks that survive delete, and leftovers of killed writers."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.managers import SyncManager
from pathlib import Path
from typing import Any

from seqflow_runtime.errors import VersionConflictError
from seqflow_runtime.storage.file import FileStorage
from seqflow_runtime.task import Task

WORKERS = 6


def _create_use_delete(directory: str, worker: int, rounds: int, barrier: Any) -> tuple[int, int, list[str], int]:
    """Child: create the one task, check it is still ours, delete it; again and again.

    While a create has succeeded and its delete has not run, the lock rules say
    no other process can create or delete the task, so what this process reads
    back is its own and its delete finds it.
    """
    storage = FileStorage(directory)
    problems: list[str] = []
    created = 0
    barrier.wait(timeout=60)
    for n in range(rounds):
        mine = f"{worker}-{n}"
        try:
            storage.save(Task(id="hot", code="", status="paused", result=mine, version=1), None)
        except VersionConflictError:
            continue
        created += 1
        loaded = storage.load("hot")
        if loaded is None or loaded.result != mine:
            problems.append(f"{mine}: read back {None if loaded is None else loaded.result!r}")
        if not storage.delete("hot"):
            problems.append(f"{mine}: someone else deleted it")
    return worker, created, problems, os.getpid()


def test_delete_and_create_race_across_processes(
    tmp_path: Path, child_processes: ProcessPoolExecutor, sync_manager: SyncManager
) -> None:
    """Six processes racing create/delete of one id never both hold it."""
    directory = str(tmp_path / "tasks")
    barrier = sync_manager.Barrier(WORKERS)
    jobs = [child_processes.submit(_create_use_delete, directory, w, 40, barrier) for w in range(WORKERS)]
    results = [job.result(timeout=120) for job in jobs]
    assert len({pid for *_, pid in results}) == WORKERS
    assert [problem for _, _, problems, _ in results for problem in problems] == []
    assert sum(created for _, created, _, _ in results) > WORKERS  # they really took turns
    # Every create was deleted, and delete removed the lock files with the tasks.
    assert sorted(os.listdir(directory)) == []


WRITER = """
import sys
from seqflow_runtime.storage.file import FileStorage
from seqflow_runtime.task import Task
storage = FileStorage(sys.argv[1])
events = [{"body": "x" * 1000, "n": n} for n in range(10000)]
version = 0
while True:  # big saves, one after another, until killed
    task = Task(id="big", code="", status="paused", version=version + 1, vm_state={"events": events})
    storage.save(task, version or None)
    version += 1
"""


def _kill_mid_save(directory: Path) -> None:
    """Start a writer of 10 MB tasks and SIGKILL it while a temporary file exists."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(directory)],
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if (directory / "big.json").exists() and any(
                    p.name.startswith(".tmp-") for p in directory.iterdir()):
                os.kill(writer.pid, signal.SIGKILL)
                break
            assert writer.poll() is None, "writer died on its own"
            time.sleep(0.005)
    finally:
        writer.kill()
        writer.wait()


def test_sweep_removes_leftovers_of_killed_writers(tmp_path: Path) -> None:
    """A writer killed mid-save leaves the last good task and a .tmp file that sweep removes once stale."""
    directory = tmp_path / "tasks"
    directory.mkdir()
    _kill_mid_save(directory)
    leftovers = [p for p in directory.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers, "the kill should have caught a save in progress"
    storage = FileStorage(directory, tmp_grace=600)
    last_good = storage.load("big")
    assert last_good is not None and last_good.vm_state is not None
    assert len(last_good.vm_state["events"]) == 10000
    # A lock file nobody holds whose task is gone, and one a live writer holds.
    (directory / "orphan.lock").touch()
    held = os.open(directory / "busy.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        assert storage.sweep() == 0
        # Fresh temporary files may belong to a live writer: kept.
        assert all(p.exists() for p in leftovers)
        assert not (directory / "orphan.lock").exists()
        assert (directory / "busy.lock").exists()
        old = time.time() - 3600
        for p in leftovers:
            os.utime(p, (old, old))
        assert storage.sweep() == 0
    finally:
        os.close(held)
    assert not any(p.exists() for p in leftovers)
    assert sorted(p.name for p in directory.iterdir() if not p.name.endswith(".lock")) == ["big.json"]
    # The storage carries on from the last good state.
    last_good.version += 1
    storage.save(last_good, last_good.version - 1)
    assert storage.load("big") is not None


"""Test helper: run seqflow in another Python process, which shares nothing with the test's but storage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_RESUME = """
import json, sys
from seqflow_runtime import FileStorage, create_flow
task = create_flow(FileStorage(sys.argv[1])).resume(sys.argv[2], fetch_response=json.loads(sys.argv[3]))
print(json.dumps({"status": task.status, "result": task.result, "error": task.error,
                  "url": task.fetch_request.url if task.fetch_request else None}))
"""


def run_python(code: str, *args: str) -> str:
    """Run ``code`` (with ``args``) in a fresh Python process with the repository on its path; its stdout."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def resume_elsewhere(directory: Path, task_id: str, response: dict[str, Any]) -> dict[str, Any]:
    """Resume a task of a ``FileStorage`` in ``directory`` with a fetch ``response``, in another process
    (a cold resume: it replays the log on a fresh realm); the task's ``status``, ``result``, ``error``
    and the ``url`` of its next request."""
    outcome: dict[str, Any] = json.loads(run_python(_RESUME, str(directory), task_id, json.dumps(response)))
    return outcome

"""Run one script in seqflow and in Node with the same fetch answers, and compare.

A script is an async function body: top-level ``await``, and ``return`` gives
the result. Answers are matched to requests in issue order by URL and method
(the first unused match); an answer is a response (``status``, ``statusText``,
``headers``, ``body`` or ``data``, ``finalUrl``/``redirected``), ``{"error":
...}`` (a network failure) or ``{"hang": true}`` (never answered: only an
abort ends it). A request with no answer fails as a network error.

Node runs ``node_fetch_harness.js``; seqflow runs the script as a task,
answering each pause and moving a fake clock to each timer.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from seqflow_runtime import create_flow

NODE = shutil.which("node")
HARNESS = Path(__file__).with_name("node_fetch_harness.js")
_BOUNDARY = re.compile(r"(-{2,}[0-9A-Za-z_.-]*(?:formdata|FormBoundary|boundary)[0-9A-Za-z_.-]*)")


class FakeClock:
    """Epoch seconds that move only to a due timer."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def normalise(outcome: dict[str, Any]) -> dict[str, Any]:
    """Multipart boundaries (random in Node) as one placeholder."""
    return json.loads(_BOUNDARY.sub("BOUNDARY", json.dumps(outcome)))


def run_node(script: str, answers: list[dict[str, Any]]) -> dict[str, Any]:
    """The script's outcome in Node: ``result`` or ``error``, ``requests`` seen, ``console`` text."""
    assert NODE is not None
    proc = subprocess.run([NODE, str(HARNESS)], input=json.dumps({"script": script, "answers": answers}),
                          capture_output=True, text=True, check=True, timeout=60)
    return normalise(json.loads(proc.stdout))


def _envelope(answer: dict[str, Any]) -> dict[str, Any]:
    if answer.get("error"):
        return {"error": str(answer["error"])}
    keys = ("status", "statusText", "headers", "body", "data", "finalUrl", "redirected")
    out = {k: answer[k] for k in keys if k in answer}
    if "finalUrl" in out:
        out["url"] = out.pop("finalUrl")
    return out


def run_seqflow(script: str, answers: list[dict[str, Any]], max_pauses: int = 200) -> dict[str, Any]:
    """The script's outcome in seqflow, in :func:`run_node`'s shape."""
    clock = FakeClock()
    flow = create_flow(clock=clock, ttl=None)
    unused = [dict(a) for a in answers]
    decided: dict[str, dict[str, Any] | None] = {}
    task = flow.execute(script)
    for _ in range(max_pauses):
        if task.status != "paused":
            break
        replies: dict[str, dict[str, Any]] = {}
        for request in task.fetch_requests:
            if request.id not in decided:
                match = next((a for a in unused if a["url"] == request.url
                              and a.get("method", "GET") == request.method), None)
                if match is not None:
                    unused.remove(match)
                decided[request.id] = None if match is not None and match.get("hang") else \
                    _envelope(match) if match is not None else {"error": "no answer"}
            reply = decided[request.id]
            if reply is not None:
                replies[request.id] = reply
        if replies:
            task = flow.resume(task.id, responses=replies)
        elif task.wake_at is not None:
            clock.now = max(clock.now, task.wake_at)
            task = flow.resume(task.id)
        else:
            raise AssertionError(f"the task waits forever on {[r.id for r in task.fetch_requests]}")
    requests = [{"method": r.get("method", "GET"), "url": r["url"], "headers": r.get("headers") or {},
                 "body": r.get("body")} for r in task.vm_state["requests"]]
    out: dict[str, Any] = {"requests": requests,
                           "console": "".join(entry["message"] + "\n" for entry in task.logs)}
    if task.status == "completed":
        out["result"] = task.result
    else:
        details = task.error_details or {}
        out["error"] = f"{details.get('name')}: {details.get('message')}"
    return normalise(out)

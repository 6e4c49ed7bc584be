"""The ``seqflow`` command: run, resume, list, show, transpile, demo, bench.

Tasks live in ``--storage URL`` (or ``SEQFLOW_STORAGE``; default
``sqlite:./.seqflow/tasks.db``), so ``seqflow resume ID`` continues a run that was
interrupted (Ctrl-C, crash) from its last pause.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .errors import SeqflowError
from .flow import Flow
from .task import FetchRequest, Task, iso

DEFAULT_STORAGE = "sqlite:./.seqflow/tasks.db"


def _storage_url(args: argparse.Namespace) -> str:
    return str(args.storage or os.environ.get("SEQFLOW_STORAGE") or DEFAULT_STORAGE)


def _flow(args: argparse.Namespace, out: Callable[[str], None]) -> Flow:
    from .storage.url import create_storage

    def console(task_id: str, entry: dict[str, Any]) -> None:
        out(f"  [console.{entry['level']}] {entry['message']}")

    return Flow(storage=create_storage(_storage_url(args)), on_console=console)


def _timed_fetch(out: Callable[[str], None], performer: Callable[[FetchRequest], Mapping[str, Any]] | None = None
                 ) -> Callable[[FetchRequest], Mapping[str, Any]]:
    if performer is None:
        from .http import perform

        performer = perform

    def fetch(request: FetchRequest) -> Mapping[str, Any]:
        started = time.perf_counter()
        response = performer(request)
        elapsed = (time.perf_counter() - started) * 1000
        status = response.get("error") or response.get("status", 200)
        out(f"  {request.id}: {request.method} {request.url} -> {status} ({elapsed:.0f} ms)")
        return response

    return fetch


def _on_pause(out: Callable[[str], None]) -> Callable[[Task], None]:
    def report(task: Task) -> None:
        waiting = (f"{len(task.fetch_requests)} request(s)" if task.fetch_requests
                   else f"a timer until {iso(task.wake_at)}")
        out(f"pause {task.pause_count} of task {task.id}: waiting on {waiting}")

    return report


def _finish(task: Task, out: Callable[[str], None]) -> int:
    if task.status == "completed":
        out(f"completed: {json.dumps(task.result, ensure_ascii=False)}")
        return 0
    out(f"error: {task.error}")
    stack = (task.error_details or {}).get("stack")
    if stack:
        out(str(stack))
    return 1


def cmd_run(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """``seqflow run FILE``: run a script to completion, performing its fetches."""
    code = Path(args.file).read_text(encoding="utf-8")
    flow = _flow(args, out)
    task = flow.run(code, id=args.id, name=Path(args.file).name, dialect=args.dialect,
                    fetch=_timed_fetch(out), on_pause=_on_pause(out))
    return _finish(task, out)


def cmd_resume(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """``seqflow resume ID``: continue a stored task to completion."""
    flow = _flow(args, out)
    task = flow.drive(args.id, fetch=_timed_fetch(out), on_pause=_on_pause(out))
    return _finish(task, out)


def cmd_list(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """``seqflow list``: stored tasks, a line each."""
    flow = _flow(args, out)
    cursor = None
    while True:
        page = flow.list_tasks(status=args.status, limit=100, cursor=cursor)
        for task in page.tasks:
            pending = ", ".join(f"{r.method} {r.url}" for r in task.fetch_requests)
            out(f"{task.id}\t{task.status}\tpauses={task.pause_count}\t{task.name or ''}\t{pending}")
        if page.next_cursor is None:
            return 0
        cursor = page.next_cursor


def cmd_show(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """``seqflow show ID``: status, pending requests and the log."""
    task = _flow(args, out).get_task(args.id)
    out(f"task {task.id} ({task.name or 'unnamed'}): {task.status}, version {task.version}, "
        f"{task.pause_count} pause(s)")
    for r in task.fetch_requests:
        out(f"  waiting: {r.id} {r.method} {r.url}")
    if task.wake_at:
        out(f"  wakes at: {task.wake_at}")
    if task.status == "completed":
        out(f"  result: {json.dumps(task.result, ensure_ascii=False)}")
    if task.error:
        out(f"  error: {task.error}")
    state = task.vm_state or {}
    out(f"  log: {len(state.get('requests', []))} request(s), {len(state.get('events', []))} event(s)")
    for event in state.get("events", []):
        out("    " + json.dumps(event, ensure_ascii=False)[:200])
    return 0


def cmd_transpile(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """``seqflow transpile FILE [-o OUT]``: print (or write) the generated Python."""
    from seqflow_transpile import transpile

    program = transpile(Path(args.file).read_text(encoding="utf-8"), args.dialect or "standard")
    if args.output:
        Path(args.output).write_text(program.python_source, encoding="utf-8")
        out(f"wrote {args.output}")
    else:
        out(program.python_source.rstrip("\n"))
    return 0


def cmd_demo(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """``seqflow demo``: a local API, a workflow against it, and a resume in a fresh process."""
    from .demo import run_demo

    return run_demo(out)


def cmd_bench(args: argparse.Namespace, out: Callable[[str], None]) -> int:
    """``seqflow bench``: the benchmark tables."""
    from .bench import main as bench_main

    return bench_main(args.only)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-command per job)."""
    parser = argparse.ArgumentParser(prog="seqflow", description="Durable JavaScript in Python.")
    parser.add_argument("--storage", help=f"storage URL (default $SEQFLOW_STORAGE or {DEFAULT_STORAGE})")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="run a script to completion, performing its fetches")
    p.add_argument("file")
    p.add_argument("--id")
    p.add_argument("--dialect", choices=["standard", "sequential"])
    p.set_defaults(handler=cmd_run)
    p = sub.add_parser("resume", help="continue a stored task to completion")
    p.add_argument("id")
    p.set_defaults(handler=cmd_resume)
    p = sub.add_parser("list", help="list stored tasks")
    p.add_argument("--status", choices=["paused", "completed", "error"])
    p.set_defaults(handler=cmd_list)
    p = sub.add_parser("show", help="show a task, its pending requests and its log")
    p.add_argument("id")
    p.set_defaults(handler=cmd_show)
    p = sub.add_parser("transpile", help="print the Python a script becomes")
    p.add_argument("file")
    p.add_argument("-o", "--output")
    p.add_argument("--dialect", choices=["standard", "sequential"])
    p.set_defaults(handler=cmd_transpile)
    p = sub.add_parser("demo", help="run an example workflow against a local API, resuming in a new process")
    p.set_defaults(handler=cmd_demo)
    p = sub.add_parser("bench", help="print the benchmark tables")
    p.add_argument("--only", help="one section: language, transpile, realm, durable, storage")
    p.set_defaults(handler=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``seqflow`` command."""
    args = build_parser().parse_args(argv)

    def out(line: str) -> None:
        print(line, flush=True)

    if args.storage:
        os.environ["SEQFLOW_STORAGE"] = args.storage
    try:
        code: int = args.handler(args, out)
        return code
    except SeqflowError as exc:
        print(f"seqflow: {exc.code}: {exc.message}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"seqflow: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("seqflow: interrupted; the task is stored at its last pause (seqflow resume ID)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

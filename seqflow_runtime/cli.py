"""The ``seqflow`` command: run, resume, answer, list, show, delete, worker, serve, transpile, demo, bench.

Tasks live in ``--storage URL`` (or ``SEQFLOW_STORAGE``; default
``sqlite:./.seqflow/tasks.db``), so ``seqflow resume ID`` continues a run that was
interrupted (Ctrl-C, crash) from its last pause. Exit codes: 0 done, 1 the
script failed, 2 the command could not be carried out (one line on stderr),
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from .errors import BadArgumentError, SeqflowError, TaskNotFoundError
from .flow import Flow
from .task import TASK_STATUSES, FetchRequest, Task
from .version import DISTRIBUTION, __version__

if TYPE_CHECKING:
    from .performer import Performer

DEFAULT_STORAGE = "sqlite:./.seqflow/tasks.db"
_DEFAULT_PATH = Path(".seqflow/tasks.db")

Out = Callable[[str], None]


class CommandError(Exception):
    """A command that cannot be carried out for a reason the user can fix (exit code 2)."""


def _storage_url(args: argparse.Namespace) -> str:
    return str(getattr(args, "storage", None) or os.environ.get("SEQFLOW_STORAGE") or DEFAULT_STORAGE)


def _flow(args: argparse.Namespace, out: Out) -> Flow:
    from .storage.url import create_storage

    url = _storage_url(args)
    if url == DEFAULT_STORAGE and not _DEFAULT_PATH.exists():
        print(f"seqflow: storing tasks in {_DEFAULT_PATH.resolve()} (new; --storage URL or "
              f"SEQFLOW_STORAGE to choose another place)", file=sys.stderr)

    def console(task_id: str, entry: dict[str, Any]) -> None:
        out(f"  [console.{entry['level']}] {entry['message']}")

    return Flow(storage=create_storage(url), on_console=console)


def _read_script(name: str) -> str:
    """The text of a script file; any reason it cannot be read is a :class:`CommandError`."""
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"no such file: {name}") from None
    except IsADirectoryError:
        raise CommandError(f"{name} is a directory, not a script file") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{name} is not UTF-8 text (byte {exc.start}); save the script as UTF-8") from None
    except OSError as exc:
        raise CommandError(f"cannot read {name}: {exc.strerror or exc}") from None


def _local_time(ts: float | None) -> str:
    """Epoch seconds as local ISO-8601 time, to the second."""
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def _performer(args: argparse.Namespace, out: Out) -> Performer:
    """The performer of ``run``/``resume``: the allowlist (``--allow-host``, environment), secrets, a line a request."""
    from .outbound import hosts_from_env
    from .performer import Performer
    from .secret_store import EnvSecrets, FileSecrets, SecretProvider

    def report(task_id: str, request: FetchRequest, envelope: Mapping[str, Any], seconds: float) -> None:
        status = envelope.get("error") or envelope.get("status", 200)
        out(f"  {request.id}: {request.method} {request.url} -> {status} ({seconds * 1000:.0f} ms)")

    secrets: SecretProvider = EnvSecrets()
    if args.secrets_file:
        try:
            secrets = FileSecrets(args.secrets_file)
        except OSError as exc:
            raise CommandError(f"cannot read {args.secrets_file}: {exc.strerror or exc}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{args.secrets_file}: {exc}") from None
    return Performer(allow_hosts=[*args.allow_host, *hosts_from_env()], secrets=secrets, on_result=report)


def _report_pause(task: Task, out: Out) -> None:
    waiting = [f"{len(task.fetch_requests)} request(s)"] if task.fetch_requests else []
    if task.wake_at is not None and not task.fetch_requests:
        waiting.append(f"a timer until {_local_time(task.wake_at)}")
    if task.signals:
        waiting.append("signal(s) " + ", ".join(task.signals))
    out(f"pause {task.pause_count} of task {task.id}: waiting on {' and '.join(waiting)}")


def _finish(task: Task, out: Out) -> int:
    """Print how a task ended (its failure once, on stderr), or the signals it waits on; the exit code."""
    if task.status == "completed":
        out(f"completed: {json.dumps(task.result, ensure_ascii=False)}")
        return 0
    if task.status == "paused":
        out(f"waiting on signal(s) {', '.join(task.signals)}: send one with "
            f"`seqflow signal {task.id} NAME --payload JSON`")
        return 0
    if task.status == "cancelled":
        print(f"cancelled: {task.error}", file=sys.stderr, flush=True)
        return 1
    print("\n".join([f"error: {task.error}", *_stack_frames(task)]), file=sys.stderr, flush=True)
    return 1


def _stack_frames(task: Task) -> list[str]:
    """The ``at ...`` lines of a failed task's stack (its header repeats the error)."""
    return str((task.error_details or {}).get("stack") or "").splitlines()[1:]


def _drive(args: argparse.Namespace, out: Out, start: Callable[[Flow], Task]) -> int:
    """Run a task to its end in this process, performing its requests."""
    # Before anything is stored: the task could not go on without httpx, a readable secrets file
    # and a well-formed allowlist.
    performer = _performer(args, out)
    flow = _flow(args, out)
    args.flow = flow
    task = start(flow)
    task = flow.drive(task.id, on_pause=lambda t: _report_pause(t, out), task=task, performer=performer)
    return _finish(task, out)


def cmd_run(args: argparse.Namespace, out: Out) -> int:
    """``seqflow run FILE``: run a script to completion, performing its fetches."""
    code = _read_script(args.file)
    args.task_id = args.id or uuid.uuid4().hex
    name = Path(args.file).name
    extra = {} if args.input is None else {"input": _json_arg("--input", args.input)}
    return _drive(args, out, lambda flow: flow.execute(code, id=args.task_id, name=name, dialect=args.dialect,
                                                       filename=name, **extra))


def cmd_resume(args: argparse.Namespace, out: Out) -> int:
    """``seqflow resume ID``: continue a stored task to completion."""
    args.task_id = args.id
    return _drive(args, out, lambda flow: flow.get_task(args.id))


def _json_arg(option: str, text: str) -> Any:
    """An option's JSON value; not JSON is a ``BadArgumentError``."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise BadArgumentError(f"{option} is not JSON: {exc}") from None


def _response(args: argparse.Namespace) -> dict[str, Any]:
    response: dict[str, Any] = {"status": args.status}
    if args.json is not None:
        response["data"] = _json_arg("--json", args.json)
    if args.body is not None:
        response["body"] = args.body
    return response


def cmd_answer(args: argparse.Namespace, out: Out) -> int:
    """``seqflow answer ID REQUEST_ID``: answer one request by hand and run to the next pause."""
    flow = _flow(args, out)
    return _report_step(flow.resume(args.id, responses={args.request_id: _response(args)}), out)


def _report_step(task: Task, out: Out) -> int:
    """After one step by hand: how the task ended, or what it waits on now."""
    if task.status != "paused":
        return _finish(task, out)
    _report_pause(task, out)
    for r in task.fetch_requests:
        out(f"  waiting: {r.id} {r.method} {r.url}")
    return 0


def cmd_signal(args: argparse.Namespace, out: Out) -> int:
    """``seqflow signal ID NAME [--payload JSON]``: send a signal and run to the next pause."""
    payload = None if args.payload is None else _json_arg("--payload", args.payload)
    return _report_step(_flow(args, out).signal(args.id, args.name, payload), out)


def cmd_cancel(args: argparse.Namespace, out: Out) -> int:
    """``seqflow cancel ID [--reason TEXT]``: cancel a paused task (its cleanup runs to its next pause)."""
    task = _flow(args, out).cancel(args.id, args.reason)
    if task.status == "cancelled":
        out(f"cancelled {task.id}")
        return 0
    return _report_step(task, out)


def cmd_list(args: argparse.Namespace, out: Out) -> int:
    """``seqflow list``: stored tasks, a line each (pending requests, or the error of a failed one)."""
    flow = _flow(args, out)
    cursor = None
    while True:
        page = flow.list_tasks(status=args.status, limit=100, cursor=cursor, name=args.name, search=args.search)
        for task in page.tasks:
            detail = (task.error or "") if task.status == "error" else \
                ", ".join([*(f"{r.method} {r.url}" for r in task.fetch_requests),
                           *(f"signal {s}" for s in task.signals)])
            out(f"{task.id}\t{task.status}\tpauses={task.pause_count}\t{task.name or ''}\t{detail}")
        if page.next_cursor is None:
            return 0
        cursor = page.next_cursor


def cmd_show(args: argparse.Namespace, out: Out) -> int:
    """``seqflow show ID``: status, times, pending requests, result or error with its stack, console, log."""
    task = _flow(args, out).get_task(args.id)
    if args.json:
        out(json.dumps(task.to_dict(), ensure_ascii=False, indent=2))
        return 0
    out(f"task {task.id} ({task.name or 'unnamed'}): {task.status}, version {task.version}, "
        f"{task.pause_count} pause(s)")
    out(f"  created {_local_time(task.created_at)}, updated {_local_time(task.updated_at)}, "
        f"expires {_local_time(task.expires_at)}")
    for r in task.fetch_requests:
        out(f"  waiting: {r.id} {r.method} {r.url}")
    for name in task.signals:
        out(f"  waiting: signal {name}")
    if task.wake_at:
        out(f"  wakes at: {_local_time(task.wake_at)}")
    if task.status == "completed":
        out(f"  result: {json.dumps(task.result, ensure_ascii=False)}")
    if task.error:
        out(f"  error: {task.error}")
        for line in _stack_frames(task):
            out("  " + line)
    if task.logs:
        out("  console:")
        for entry in task.logs:
            out(f"    [{entry.get('level', 'log')}] {entry.get('message', '')}")
    state = task.vm_state or {}
    out(f"  log: {len(state.get('requests', []))} request(s), {len(state.get('events', []))} event(s)")
    for event in state.get("events", []):
        out("    " + json.dumps(event, ensure_ascii=False)[:200])
    return 0


def cmd_delete(args: argparse.Namespace, out: Out) -> int:
    """``seqflow delete ID``: remove a stored task."""
    if not _flow(args, out).delete_task(args.id):
        raise TaskNotFoundError(f"no task with id {args.id!r}", task_id=args.id)
    out(f"deleted {args.id}")
    return 0


def _allow_hosts(args: argparse.Namespace) -> list[str]:
    """``--allow-host`` values, else ``$SEQFLOW_ALLOW_HOSTS`` (comma-separated), each ``HOST[:PORT]``."""
    from urllib.parse import urlsplit

    given = args.allow_host or os.environ.get("SEQFLOW_ALLOW_HOSTS", "").split(",")
    hosts = [h.strip() for h in given if h.strip()]
    for host in hosts:
        try:
            parts = urlsplit("//" + host)
            valid = bool(parts.hostname) and parts.netloc == host and not parts.username and \
                (parts.port is None or parts.port > 0)
        except ValueError:
            valid = False
        if not valid:
            raise CommandError(f"--allow-host wants HOST[:PORT], got {host!r}")
    return hosts


def cmd_worker(args: argparse.Namespace, out: Out) -> int:
    """``seqflow worker``: perform stored tasks' requests and fire their timers until SIGTERM/Ctrl-C."""
    from .performer import require_http
    from .webhooks import WebhookSender
    from .worker import Worker

    hosts = _allow_hosts(args)
    require_http()
    flow = _flow(args, out)
    flow.storage.migrate()

    def step(task: Task, latency: float) -> None:
        if task.status != "paused":
            out(f"task {task.id}: {task.status} after {task.pause_count} pause(s)")

    worker = Worker(flow, concurrency=args.concurrency, allow_hosts=hosts, on_step=step,
                    lease_seconds=args.lease_seconds, poll_interval=args.poll_interval,
                    max_attempts=args.max_attempts,
                    webhooks=WebhookSender(_webhook_secret(args), allow_hosts=hosts))
    out(f"worker {worker.worker_id}: working on {_storage_url(args)} (concurrency {args.concurrency}); "
        f"SIGTERM or Ctrl-C stops it gracefully")
    worker.run_sync()
    stats = worker.stats
    out(f"worker stopped: {stats.claimed} claim(s), {stats.steps} step(s), {stats.completed} completed, "
        f"{stats.failed} failed, {stats.lost} lost to others, {stats.errors} error(s)")
    return 0


#: Hosts ``seqflow serve`` may listen on without API keys (the machine itself only).
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def _webhook_secret(args: argparse.Namespace) -> str | None:
    """``--webhook-secret``, else ``$SEQFLOW_WEBHOOK_SECRET``; ``None`` when neither is set."""
    from .webhooks import secret_from_env

    return args.webhook_secret or secret_from_env()


def _api_keys(args: argparse.Namespace) -> list[str]:
    """``--api-key`` values, else ``$SEQFLOW_API_KEYS`` (comma-separated)."""
    given = args.api_key or os.environ.get("SEQFLOW_API_KEYS", "").split(",")
    return [k.strip() for k in given if k.strip()]


def cmd_serve(args: argparse.Namespace, out: Out) -> int:
    """``seqflow serve``: the HTTP API (flowstate-server's and ``/api/v1``) with in-process workers."""
    from .performer import require_http

    try:
        from .server import create_app
        from .server.serve import serve
    except ImportError:
        raise CommandError("seqflow serve needs the server extra: pip install 'seqflow-js[server]'") from None
    hosts = _allow_hosts(args)
    keys = _api_keys(args)
    if not keys and args.host not in LOOPBACK_HOSTS:
        raise CommandError(f"without API keys the server listens on loopback only, not {args.host}; "
                           f"give --api-key KEY (or SEQFLOW_API_KEYS)")
    if args.workers:
        require_http()
    port = args.port if args.port is not None else _port_from_env()
    flow = _flow(args, out)
    flow.storage.migrate()
    app = create_app(flow, api_keys=keys, workers=args.workers, allow_hosts=hosts,
                     worker_concurrency=args.concurrency, webhook_secret=_webhook_secret(args))
    auth = f"{len(keys)} API key(s)" if keys else "UNAUTHENTICATED (no API keys; loopback only)"
    out(f"seqflow serve: http://{args.host}:{port} on {_storage_url(args)}, {args.workers} worker(s), {auth}; "
        f"SIGTERM or Ctrl-C stops it gracefully")
    try:
        serve(app, args.host, port)
    except SystemExit as exc:  # uvicorn exits when it cannot start (port taken); it logged why
        if exc.code not in (0, None):
            raise CommandError(f"the server could not start on {args.host}:{port}") from None
    return 0


def _port_from_env() -> int:
    text = os.environ.get("PORT", "8080")
    try:
        return _port(text)
    except argparse.ArgumentTypeError as exc:
        raise CommandError(f"PORT: {exc}") from None


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is from 0 to 65535, got {value}")
    return value


def cmd_transpile(args: argparse.Namespace, out: Out) -> int:
    """``seqflow transpile FILE [-o OUT]``: print (or write) the generated Python."""
    from seqflow_transpile import transpile

    program = transpile(_read_script(args.file), args.dialect or "standard")
    if args.output:
        try:
            Path(args.output).write_text(program.python_source, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        out(f"wrote {args.output}")
    else:
        out(program.python_source.rstrip("\n"))
    return 0


def cmd_demo(args: argparse.Namespace, out: Out) -> int:
    """``seqflow demo``: a local API, a workflow against it, and a resume in a fresh process."""
    from .demo import run_demo

    return run_demo(out)


def cmd_bench(args: argparse.Namespace, out: Out) -> int:
    """``seqflow bench``: the benchmark tables."""
    from .bench import main as bench_main

    return bench_main(args.only, args.awfy)


def _status(text: str) -> int:
    try:
        status = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an HTTP status: {text!r}") from None
    if not 100 <= status <= 599:
        raise argparse.ArgumentTypeError(f"HTTP status must be from 100 to 599, got {status}")
    return status


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"must be from 1 to 10000, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (one sub-command per job; ``--storage`` before or after it)."""
    storage = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a sub-command without --storage must not erase one given before it.
    storage.add_argument("--storage", default=argparse.SUPPRESS,
                         help=f"storage URL (default $SEQFLOW_STORAGE or {DEFAULT_STORAGE})")
    parser = argparse.ArgumentParser(prog="seqflow", description="Durable JavaScript in Python.", parents=[storage])
    parser.add_argument("--version", action="version", version=f"seqflow {__version__} ({DISTRIBUTION})")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, handler: Callable[[argparse.Namespace, Out], int], text: str,
                *parents: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text, parents=[storage, *parents])
        p.set_defaults(handler=handler)
        return p

    performing = argparse.ArgumentParser(add_help=False)
    performing.add_argument("--allow-host", action="append", default=[], metavar="HOST[:PORT]",
                            help="let requests reach this loopback/private host, address or network "
                                 "(repeatable; also $SEQFLOW_ALLOW_HOSTS, comma-separated)")
    performing.add_argument("--secrets-file", metavar="FILE",
                            help="secrets for {{secrets.NAME}} from a JSON object or NAME=value lines "
                                 "(default: $SEQFLOW_SECRET_<NAME>)")
    p = command("run", cmd_run, "run a script to completion, performing its fetches", performing)
    p.add_argument("file")
    p.add_argument("--id")
    p.add_argument("--dialect", choices=["standard", "sequential"])
    p.add_argument("--input", help="the script's global `input`, as JSON")
    command("resume", cmd_resume, "continue a stored task to completion", performing).add_argument("id")
    p = command("answer", cmd_answer, "answer one pending request by hand, then run to the next pause")
    p.add_argument("id")
    p.add_argument("request_id")
    p.add_argument("--status", type=_status, default=200, help="HTTP status (default 200)")
    body = p.add_mutually_exclusive_group()
    body.add_argument("--json", help="the response body as JSON (what response.json() gives)")
    body.add_argument("--body", help="the response body as text")
    p = command("signal", cmd_signal, "send a signal to a paused task, then run it to the next pause")
    p.add_argument("id")
    p.add_argument("name")
    p.add_argument("--payload", help="the signal's payload, as JSON (default null)")
    p = command("cancel", cmd_cancel, "cancel a paused task; its cleanup runs to its next pause")
    p.add_argument("id")
    p.add_argument("--reason", help="why (the CancelledError's reason)")
    p = command("list", cmd_list, "list stored tasks")
    p.add_argument("--status", choices=TASK_STATUSES)
    p.add_argument("--name", help="only tasks with this name")
    p.add_argument("--search", help="only tasks whose id or name contains this text")
    p = command("show", cmd_show, "show a task: times, pending requests, result or error, console, log")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="the whole task as JSON")
    command("delete", cmd_delete, "delete a stored task").add_argument("id")
    p = command("worker", cmd_worker, "perform stored tasks' requests and fire their timers, until stopped")
    p.add_argument("--allow-host", action="append", metavar="HOST[:PORT]",
                   help="let requests reach this private/loopback host (repeatable; default $SEQFLOW_ALLOW_HOSTS)")
    p.add_argument("--concurrency", type=_positive_int, default=16, help="tasks worked on at once (default 16)")
    p.add_argument("--lease-seconds", type=float, default=30.0, help="lease length, renewed while working (30)")
    p.add_argument("--poll-interval", type=float, default=1.0, help="longest sleep between claims (1 s)")
    p.add_argument("--max-attempts", type=_positive_int, default=5,
                   help="failed resumes after which a task ends in error, code resume_failed (5)")
    p.add_argument("--webhook-secret", metavar="SECRET",
                   help="sign tasks' webhooks with this key (default $SEQFLOW_WEBHOOK_SECRET)")
    p = command("serve", cmd_serve, "serve the HTTP API (flowstate-server's and /api/v1) with in-process workers")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, help="port (default $PORT or 8080)")
    p.add_argument("--workers", type=int, choices=range(0, 65), default=1, metavar="N",
                   help="in-process workers performing requests and firing timers (default 1; 0: API only)")
    p.add_argument("--concurrency", type=_positive_int, default=16, help="tasks each worker works on at once (16)")
    p.add_argument("--api-key", action="append", metavar="KEY",
                   help="require Authorization: Bearer KEY (repeatable; default $SEQFLOW_API_KEYS, comma-separated)")
    p.add_argument("--webhook-secret", metavar="SECRET",
                   help="sign tasks' webhooks with this key; needed for callbackUrl (default $SEQFLOW_WEBHOOK_SECRET)")
    p.add_argument("--allow-host", action="append", metavar="HOST[:PORT]",
                   help="let requests reach this private/loopback host (repeatable; default $SEQFLOW_ALLOW_HOSTS)")
    p = command("transpile", cmd_transpile, "print the Python a script becomes")
    p.add_argument("file")
    p.add_argument("-o", "--output")
    p.add_argument("--dialect", choices=["standard", "sequential"])
    command("demo", cmd_demo, "run an example workflow against a local API, resuming in a new process")
    p = command("bench", cmd_bench, "print the benchmark tables")
    p.add_argument("--only", help="one section: language, transpile, startup, realm, durable, storage, awfy, worker, server")
    p.add_argument("--awfy", help="the Are-We-Fast-Yet suite's benchmarks directory (default $SEQFLOW_AWFY)")
    return parser


def _interrupted(args: argparse.Namespace) -> str:
    """The Ctrl-C message: which task is stored, and how to continue it."""
    task_id = getattr(args, "task_id", None)
    if task_id is None:
        return "seqflow: interrupted"
    flow: Flow | None = getattr(args, "flow", None)
    try:
        stored = flow is not None and flow.storage.load(task_id) is not None
    except (SeqflowError, KeyboardInterrupt):
        stored = False
    if not stored:
        return f"seqflow: interrupted before task {task_id} was stored; there is nothing to resume"
    where = " --storage URL" if getattr(args, "storage", None) else ""
    return (f"seqflow: interrupted; task {task_id} is stored at its last pause. "
            f"Continue it with: seqflow{where} resume {task_id}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``seqflow`` command."""
    args = build_parser().parse_args(argv)

    def out(line: str) -> None:
        # Guest text (a console line, a result) may hold a lone surrogate, which no output encoding
        # takes: shown as its escape rather than failing the command (or the server's request).
        encoding = sys.stdout.encoding or "utf-8"
        print(line.encode(encoding, "backslashreplace").decode(encoding), flush=True)

    try:
        code: int = args.handler(args, out)
        return code
    except SeqflowError as exc:
        print(f"seqflow: {exc.code}: {exc.message}", file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"seqflow: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``seqflow list | head -1``): stop quietly, and keep Python's
        # final flush of stdout from failing again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print(_interrupted(args), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug of seqflow: one line, not a traceback
        print(f"seqflow: internal_error: {type(exc).__name__}: {exc} (a bug in seqflow; "
              f"SEQFLOW_TRACEBACK=1 shows where)", file=sys.stderr)
        if os.environ.get("SEQFLOW_TRACEBACK"):
            raise
        return 2


if __name__ == "__main__":
    sys.exit(main())

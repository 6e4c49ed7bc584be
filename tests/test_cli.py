"""The seqflow command: transpile, run (performing requests), list, show, resume, demo."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime.cli import main
from seqflow_runtime.demo import start_api
from seqflow_runtime.flow import Flow
from seqflow_runtime.storage.url import create_storage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = start_api()
    # The API is on loopback, which the outbound policy opens only when asked (here for child processes too).
    monkeypatch.setenv("SEQFLOW_ALLOW_HOSTS", f"127.0.0.1:{server.server_address[1]}")
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_transpile_prints_readable_python(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "posts.js"
    script.write_text((ROOT / "examples" / "posts.js").read_text())
    assert main(["transpile", str(script)]) == 0
    out = capsys.readouterr().out
    assert "def main(rt):" in out
    assert "posts = rt.array()  # L2" in out
    assert "yield rt.call(rt.globals.fetch" in out
    target = tmp_path / "posts.py"
    assert main(["transpile", str(script), "-o", str(target)]) == 0
    compile(target.read_text(), str(target), "exec")


def test_transpile_reports_syntax_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "bad.js"
    script.write_text("const ok = 1;\nimport v from './v.js';\n")
    assert main(["transpile", str(script)]) == 2
    err = capsys.readouterr().err
    assert "unsupported_syntax" in err and "ES modules" in err and "line 2" in err


def test_run_list_show(tmp_path: Path, api: str, capsys: pytest.CaptureFixture[str]) -> None:
    storage = f"sqlite:{tmp_path}/tasks.db"
    script = tmp_path / "team.js"
    script.write_text(f"""
const user = await (await fetch('{api}/users/1')).json();
console.log('user', user.name);
const members = await (await fetch('{api}/teams/' + user.team + '/members')).json();
return members.length;
""")
    assert main(["--storage", storage, "run", str(script), "--id", "team"]) == 0
    out = capsys.readouterr().out
    assert "pause 1 of task team: waiting on 1 request(s)" in out
    assert f"req-1: GET {api}/users/1 -> 200" in out
    assert "[console.log] user Ada" in out
    assert out.strip().endswith("completed: 3")
    assert main(["--storage", storage, "list"]) == 0
    assert capsys.readouterr().out.startswith("team\tcompleted\tpauses=2")
    assert main(["--storage", storage, "show", "team"]) == 0
    shown = capsys.readouterr().out
    assert "task team (team.js): completed, version 3, 2 pause(s)" in shown
    assert "log: 2 request(s)" in shown and '"deliver": "req-1"' in shown
    assert main(["--storage", storage, "show", "missing"]) == 2
    assert "task_not_found" in capsys.readouterr().err


def test_resume_continues_an_interrupted_task(tmp_path: Path, api: str) -> None:
    url = f"sqlite:{tmp_path}/tasks.db"
    code = f"const a = await (await fetch('{api}/users/2')).json(); const b = await (await fetch('{api}/users/3')).json(); a.name + ' & ' + b.name"
    Flow(storage=create_storage(url)).execute(code, id="cut")  # the run stopped here (Ctrl-C, crash)
    done = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "--storage", url, "resume", "cut"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith('completed: "Grace & Edsger"')
    assert Flow(storage=create_storage(url)).get_task("cut").result == "Grace & Edsger"


def test_failed_script_exits_nonzero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "fail.js"
    script.write_text("const x = 1;\nnull.y;\n")
    assert main(["--storage", f"sqlite:{tmp_path}/t.db", "run", str(script)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    # Once, on stderr, with the stack naming the file.
    assert printed.err == "error: TypeError: Cannot read properties of null (reading 'y') (line 2)\n    at fail.js:2:1\n"


def test_demo_runs_end_to_end() -> None:
    done = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "demo"], capture_output=True, text=True,
                          timeout=180, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "3. finishing in a fresh process" in done.stdout
    assert '4. stored task: completed after 5 pauses' in done.stdout
    assert '"approved": true' in done.stdout


def seqflow(*args: str, cwd: Path = ROOT, preload: str = "", stdin: str | None = None
            ) -> subprocess.CompletedProcess[str]:
    """``python -m seqflow_runtime.cli ARGS`` in a fresh process (``preload`` runs first, e.g. to hide a module)."""
    env = {k: v for k, v in os.environ.items() if k != "SEQFLOW_STORAGE"}
    env["PYTHONPATH"] = str(ROOT)
    code = f"import sys\n{preload}\nfrom seqflow_runtime.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env, input=stdin)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """``seqflow ARGS`` in this process (faster than a fresh one; same exit codes and output)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    printed = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, printed.out, printed.err)


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr and "Error:" not in done.stderr.replace("error:", ""), done.stderr


def test_version() -> None:
    done = seqflow("--version")
    assert done.returncode == 0 and done.stdout == "seqflow 0.2.0 (seqflow-js)\n"


def test_storage_is_accepted_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:{tmp_path}/t.db"
    Flow(storage=create_storage(url)).execute("1 + 1", id="two")
    done = seqflow("list", "--storage", url, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "two\tcompleted\tpauses=0\t\t\n", "")
    for args in (("--storage", url, "list"), ("--storage", "memory:", "list", "--storage", url)):
        assert cli(capsys, *args).stdout.startswith("two\tcompleted"), args
    assert "result: 2" in cli(capsys, "show", "two", "--storage", url).stdout


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: d / "missing.js", "no such file: "),
    (lambda d: d, "is a directory, not a script file"),
    (lambda d: (d / "latin1.js").write_bytes(b"const s = '\xe9t\xe9';\n") and d / "latin1.js", "is not UTF-8 text"),
])
def test_unreadable_scripts_are_one_line_errors(tmp_path: Path, make: Any, message: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = make(tmp_path)
    for command in ("run", "transpile"):
        done = cli(capsys, command, str(target), "--storage", f"sqlite:{tmp_path}/t.db")
        assert done.returncode == 2
        assert done.stderr.startswith("seqflow: ") and message in done.stderr
        assert done.stderr.count("\n") == 1 and done.stdout == ""
        no_traceback(done)
    assert Flow(storage=create_storage(f"sqlite:{tmp_path}/t.db")).list_tasks().tasks == []


def test_a_closed_stdout_pipe_is_no_traceback(tmp_path: Path) -> None:
    url = f"sqlite:{tmp_path}/t.db"
    flow = Flow(storage=create_storage(url))
    for i in range(50):
        flow.execute("1", id=f"t{i:02}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The reader is gone before the first line is written (``seqflow list | head -0``).
    child = subprocess.Popen([sys.executable, "-m", "seqflow_runtime.cli", "list", "--storage", url],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 1
    assert err == ""


def test_run_without_the_http_extra_says_so_before_creating_a_task(tmp_path: Path) -> None:
    script = tmp_path / "job.js"
    script.write_text("const r = await fetch('https://api.example.com/x'); r.status")
    url = f"sqlite:{tmp_path}/t.db"
    done = seqflow("run", str(script), "--id", "j", "--storage", url, cwd=tmp_path,
                   preload="sys.modules['httpx'] = None")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "seqflow: missing_extra: performing requests needs httpx: pip install 'seqflow-js[http]'\n"
    assert Flow(storage=create_storage(url)).list_tasks().tasks == []


def test_show_list_delete_a_failed_task(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:{tmp_path}/t.db"
    flow = Flow(storage=create_storage(url))
    flow.execute("console.log('starting', 1);\nconsole.warn('careful');\nfunction go() {\n  throw {code: 42};\n}\ngo();",
                 id="bad", name="bad.js", filename="bad.js")
    flow.execute("class E extends Error { constructor() { super('nope'); this.name = 'E'; } }\nthrow new E();",
                 id="named", filename="named.js")
    done = cli(capsys, "list", "--storage", url)
    assert done.stdout.splitlines() == ["bad\terror\tpauses=0\tbad.js\tUncaught { code: 42 } (line 4)",
                                        "named\terror\tpauses=0\t\tE: nope (line 2)"]
    shown = seqflow("show", "named", "--storage", url, cwd=tmp_path).stdout.splitlines()
    assert shown[0] == "task named (unnamed): error, version 1, 0 pause(s)"
    iso = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d"
    assert re.fullmatch(rf"  created {iso}, updated {iso}, expires {iso}", shown[1]), shown[1]
    assert shown[2:4] == ["  error: E: nope (line 2)", "      at named.js:2:1"]
    shown = cli(capsys, "show", "bad", "--storage", url).stdout
    assert "  console:\n    [log] starting 1\n    [warn] careful\n" in shown
    as_json = json.loads(cli(capsys, "show", "bad", "--json", "--storage", url).stdout)
    assert as_json["id"] == "bad" and as_json["status"] == "error"
    assert as_json["errorDetails"]["value"] == {"code": 42}
    assert as_json == json.loads(json.dumps(flow.get_task("bad").to_dict()))
    done = cli(capsys, "delete", "bad", "--storage", url)
    assert (done.returncode, done.stdout) == (0, "deleted bad\n")
    again = cli(capsys, "delete", "bad", "--storage", url)
    assert again.returncode == 2 and again.stderr == "seqflow: task_not_found: no task with id 'bad'\n"
    assert cli(capsys, "show", "bad", "--storage", url).returncode == 2


def test_answer_a_request_by_hand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:{tmp_path}/t.db"
    Flow(storage=create_storage(url)).execute("""
const a = await (await fetch('https://api.example.com/a')).json();
const b = await fetch('https://api.example.com/b', {method: 'POST'});
return [a.n + 1, b.status, await b.text()];
""", id="hand")
    for bad, code in ((["req-1", "--json", "{nope"], "bad_arguments"), (["req-9", "--json", "1"], "unknown_request"),
                      (["req-1", "--status", "700"], None), (["req-1", "--json", "1", "--body", "x"], None)):
        done = cli(capsys, "answer", "hand", *bad, "--storage", url)
        assert done.returncode == 2 and done.stdout == "", bad
        assert code is None or done.stderr.startswith(f"seqflow: {code}: "), done.stderr
        no_traceback(done)
    done = seqflow("answer", "hand", "req-1", "--json", '{"n": 41}', "--storage", url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("pause 2 of task hand: waiting on 1 request(s)\n"
                           "  waiting: req-2 POST https://api.example.com/b\n")
    done = cli(capsys, "answer", "hand", "req-1", "--json", "1", "--storage", url)
    assert done.returncode == 2 and "request_already_answered" in done.stderr
    done = cli(capsys, "answer", "hand", "req-2", "--status", "404", "--body", "not here", "--storage", url)
    assert (done.returncode, done.stdout) == (0, 'completed: [42, 404, "not here"]\n')


def test_ctrl_c_names_the_task_and_the_resume_command(tmp_path: Path) -> None:
    script = tmp_path / "slow.js"
    script.write_text("await new Promise(r => setTimeout(r, 600000));\n'done'")
    url = f"sqlite:{tmp_path}/t.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "seqflow_runtime.cli", "run", str(script), "--storage", url],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    assert child.stdout is not None
    line = child.stdout.readline()  # the run sleeps until the timer is due
    task_id = re.match(r"pause 1 of task (\w+): waiting on a timer until ", line)
    assert task_id, line
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert err == (f"seqflow: interrupted; task {task_id[1]} is stored at its last pause. "
                   f"Continue it with: seqflow --storage URL resume {task_id[1]}\n")
    assert Flow(storage=create_storage(url)).get_task(task_id[1]).status == "paused"


def test_the_default_storage_is_announced_once(tmp_path: Path) -> None:
    first = seqflow("list", cwd=tmp_path)
    assert first.returncode == 0
    path = tmp_path / ".seqflow" / "tasks.db"
    assert first.stderr == (f"seqflow: storing tasks in {path} (new; --storage URL or SEQFLOW_STORAGE "
                            "to choose another place)\n")
    assert path.exists()
    assert seqflow("list", cwd=tmp_path).stderr == ""


def test_a_bug_in_seqflow_is_one_line_unless_asked(tmp_path: Path) -> None:
    script = tmp_path / "a.js"
    script.write_text("1")
    # Stands in for a transpiler bug (a real one: deeply nested source once raised RecursionError).
    broken = "import seqflow_transpile\nseqflow_transpile.transpile = lambda *a: 1 / 0"
    done = seqflow("transpile", str(script), cwd=tmp_path, preload=broken)
    assert done.returncode == 2
    assert done.stderr == ("seqflow: internal_error: ZeroDivisionError: division by zero (a bug in seqflow; "
                           "SEQFLOW_TRACEBACK=1 shows where)\n")
    shown = seqflow("transpile", str(script), cwd=tmp_path, preload=f"import os\nos.environ['SEQFLOW_TRACEBACK'] = '1'\n{broken}")
    assert "Traceback" in shown.stderr and "ZeroDivisionError" in shown.stderr


def test_run_with_input_then_signal_and_cancel(tmp_path: Path, api: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:{tmp_path}/t.db"
    script = tmp_path / "approve.js"
    script.write_text(f"""
const user = await (await fetch('{api}/users/' + input.user)).json();
const decision = await waitForSignal('approval');
await fetch('{api}/users/' + input.user);
return [user.name, decision];
""")
    done = cli(capsys, "run", str(script), "--id", "ap", "--input", '{"user": 1}', "--storage", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == [
        "pause 2 of task ap: waiting on signal(s) approval",
        "waiting on signal(s) approval: send one with `seqflow signal ap NAME --payload JSON`"]
    assert "ap\tpaused\tpauses=2\tapprove.js\tsignal approval" in cli(capsys, "list", "--storage", url).stdout
    assert "  waiting: signal approval" in cli(capsys, "show", "ap", "--storage", url).stdout
    done = cli(capsys, "signal", "ap", "approval", "--payload", "{nope", "--storage", url)
    assert done.returncode == 2 and done.stderr.startswith("seqflow: bad_arguments: --payload is not JSON")
    no_traceback(done)
    done = cli(capsys, "signal", "ap", "approval", "--payload", '{"ok": true}', "--storage", url)
    assert done.returncode == 0 and "waiting: req-2 GET" in done.stdout
    done = cli(capsys, "cancel", "ap", "--reason", "changed my mind", "--storage", url)
    assert (done.returncode, done.stdout) == (0, "cancelled ap\n")
    assert cli(capsys, "list", "--status", "cancelled", "--search", "AP", "--storage", url).stdout.startswith(
        "ap\tcancelled")
    done = cli(capsys, "resume", "ap", "--storage", url)
    assert done.returncode == 1 and done.stderr == "cancelled: CancelledError: The task was cancelled: changed my mind\n"
    done = cli(capsys, "signal", "ap", "approval", "--storage", url)
    assert done.returncode == 2 and done.stderr.startswith("seqflow: task_not_paused: ")
    done = cli(capsys, "run", str(script), "--input", "nope", "--storage", url)
    assert done.returncode == 2 and done.stderr.startswith("seqflow: bad_arguments: --input is not JSON")

"""The seqflow command: transpile, run (performing requests), list, show, resume, demo."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from seqflow_runtime.cli import main
from seqflow_runtime.demo import start_api
from seqflow_runtime.flow import Flow
from seqflow_runtime.storage.url import create_storage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def api() -> Iterator[str]:
    server = start_api()
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
    out = capsys.readouterr().out
    assert "error: TypeError: Cannot read properties of null (reading 'y') (line 2)" in out
    assert "at script.js:2:1" in out


def test_demo_runs_end_to_end() -> None:
    done = subprocess.run([sys.executable, "-m", "seqflow_runtime.cli", "demo"], capture_output=True, text=True,
                          timeout=180, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "3. finishing in a fresh process" in done.stdout
    assert '4. stored task: completed after 5 pauses' in done.stdout
    assert '"approved": true' in done.stdout

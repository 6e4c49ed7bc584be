"""``seqflow demo``: the whole mechanism, offline.

A tiny JSON API runs on a free loopback port. A workflow is executed here
until its first pause, answered once, and then finished by a *fresh process*
(``seqflow resume ID``) that has nothing but the task id and the storage.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from .flow import Flow
from .performer import Performer, perform_blocking
from .storage import FileStorage

WORKFLOW = """
const api = '%(base)s';
const user = await (await fetch(api + '/users/1')).json();
console.log('loaded user', user.name);
const members = await (await fetch(api + '/teams/' + user.team + '/members')).json();
const profiles = await Promise.all(members.map(m => fetch(api + '/users/' + m.id).then(r => r.json())));
await new Promise(resolve => setTimeout(resolve, 50));
const approval = await fetch(api + '/approvals', {
  method: 'POST',
  headers: {'content-type': 'application/json'},
  body: JSON.stringify({requester: user.id, team: profiles.map(p => p.name)}),
});
const {approved} = await approval.json();
return {requester: user.name, team: profiles.map(p => p.name).sort(), approved};
"""

USERS = {1: {"id": 1, "name": "Ada", "team": 7}, 2: {"id": 2, "name": "Grace", "team": 7},
         3: {"id": 3, "name": "Edsger", "team": 7}}


class _Api(BaseHTTPRequestHandler):
    def _send(self, status: int, data: Any) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = self.path.strip("/").split("/")
        if parts[0] == "users" and len(parts) == 2 and parts[1].isdigit() and int(parts[1]) in USERS:
            self._send(200, USERS[int(parts[1])])
        elif parts[0] == "teams" and len(parts) == 3:
            self._send(200, [{"id": u["id"]} for u in USERS.values() if str(u["team"]) == parts[1]])
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("content-length", "0"))
        payload = json.loads(self.rfile.read(length) or b"{}")
        self._send(200, {"approved": len(payload.get("team", [])) >= 2})

    def log_message(self, format: str, *args: Any) -> None:
        return


def start_api() -> ThreadingHTTPServer:
    """The demo API on a free loopback port, served from a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_demo(out: Callable[[str], None]) -> int:
    """Run the demo; returns the exit status."""
    server = start_api()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with tempfile.TemporaryDirectory(prefix="seqflow-demo-") as directory:
        storage_url = f"file:{directory}"
        flow = Flow(storage=FileStorage(directory),
                    on_console=lambda task_id, e: out(f"  [console] {e['message']}"))
        out(f"demo API at {base}; tasks stored in {directory}")
        task = flow.execute(WORKFLOW % {"base": base}, id="demo-approval", name="approval workflow")
        out(f"1. executed: {task.status}, waiting on {task.fetch_request.method} {task.fetch_request.url}"
            if task.fetch_request else f"1. executed: {task.status}")
        # The demo API is on loopback, which the outbound policy opens only when asked to.
        allow = f"127.0.0.1:{server.server_address[1]}"
        answers = perform_blocking(Performer(allow_hosts=[allow]), lambda perform: perform(task))
        task = flow.resume(task.id, responses=answers)
        out(f"2. resumed in this process: {task.status}, waiting on "
            + ", ".join(f"{r.method} {r.url}" for r in task.fetch_requests))
        out("3. finishing in a fresh process: seqflow resume demo-approval")
        done = subprocess.run(
            [sys.executable, "-m", "seqflow_runtime.cli", "--storage", storage_url, "resume", task.id,
             "--allow-host", allow],
            capture_output=True, text=True, timeout=120,
        )
        for line in done.stdout.splitlines():
            out("   | " + line)
        if done.returncode != 0:
            out(done.stderr)
            server.shutdown()
            return 1
        final = flow.get_task(task.id)
        out(f"4. stored task: {final.status} after {final.pause_count} pauses, result {json.dumps(final.result)}")
    server.shutdown()
    return 0

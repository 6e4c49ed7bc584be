"""Performing requests for real: parallel pauses, retries, idempotency keys, secrets, outbound policy, caps.

Every test talks to a real HTTP server on a loopback port (tests/http_server.py);
concurrency is measured by the server (requests in flight at once), not by the clock.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest

from http_server import Handler, Server, start_server
from seqflow_runtime import FileStorage
from seqflow_runtime.errors import BadArgumentError
from seqflow_runtime.flow import Flow
from seqflow_runtime.outbound import OutboundPolicy, OutboundRefused
from seqflow_runtime.performer import Performer, idempotency_key
from seqflow_runtime.retry import RetryPolicy, retry_after
from seqflow_runtime.secret_store import FileSecrets
from seqflow_runtime.storage.url import create_storage
from seqflow_runtime.task import FetchRequest, Task

FAST = RetryPolicy(max_attempts=3, initial_delay=0.01, max_delay=2.0)


@pytest.fixture()
def server() -> Iterator[Server]:
    state = start_server()
    yield state
    state.close()


def performer_for(server: Server, **options: Any) -> Performer:
    options.setdefault("retry", FAST)
    return Performer(allow_hosts=[f"127.0.0.1:{server.port}"], **options)


def run(code: str, performer: Performer, flow: Flow | None = None, **options: Any) -> Task:
    task = (flow or Flow()).run(code, performer=performer, **options)
    assert task.status in ("completed", "error"), task
    return task


def json_route(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    return lambda h: h.reply(status, json.dumps(data).encode(), headers=headers)


def slow_route(seconds: float) -> Any:
    def route(h: Handler) -> None:
        time.sleep(seconds)
        h.reply(200, b'{"ok": true}')
    return route


# -- concurrency ---------------------------------------------------------------------------------

def test_the_requests_of_one_pause_are_in_flight_together(server: Server) -> None:
    server.routes["/slow"] = slow_route(0.6)
    task = run(f"""
const rs = await Promise.all([1, 2, 3].map(i => fetch('{server.base}/slow?i=' + i)));
rs.map(r => r.status)""", performer_for(server))
    assert task.result == [200, 200, 200]
    assert task.pause_count == 1
    assert server.max_active == 3


def test_the_per_host_limit_holds_back_the_rest(server: Server) -> None:
    server.routes["/slow"] = slow_route(0.3)
    task = run(f"(await Promise.all([1, 2, 3, 4, 5].map(i => fetch('{server.base}/slow?i=' + i)))).length",
               performer_for(server, per_host_limit=2))
    assert task.result == 5
    assert server.max_active == 2


# -- retries and idempotency ---------------------------------------------------------------------

def flaky(failures: int, status: int = 503, headers: dict[str, str] | None = None) -> Any:
    count = {"n": 0}

    def route(h: Handler) -> None:
        count["n"] += 1
        if count["n"] <= failures:
            h.reply(status, b'{"busy": true}', headers=headers)
        else:
            h.reply(200, json.dumps({"attempt": count["n"]}).encode())
    return route


def test_a_503_with_retry_after_is_retried_after_the_wait_with_the_same_key(server: Server) -> None:
    server.routes["/flaky"] = flaky(1, headers={"retry-after": "1"})
    task = run(f"(await (await fetch('{server.base}/flaky', {{method: 'POST', body: 'x'}})).json()).attempt",
               performer_for(server), id="charge")
    assert task.result == 2
    first, second = server.hits("/flaky")
    assert second.at - first.at >= 0.9  # the server asked for a second
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == idempotency_key("charge", "req-1")
    assert first.body == second.body == b"x"


def test_429_and_network_errors_are_retried_up_to_max_attempts(server: Server) -> None:
    server.routes["/limited"] = flaky(5, status=429)
    task = run(f"(await fetch('{server.base}/limited')).status", performer_for(server))
    assert task.result == 429 and len(server.hits("/limited")) == 3
    server.routes["/once"] = flaky(2, status=500)
    assert run(f"(await fetch('{server.base}/once')).status", performer_for(server)).result == 200


def test_a_post_without_an_idempotency_key_is_not_retried(server: Server) -> None:
    server.routes["/fail"] = flaky(100)
    no_keys = performer_for(server, idempotency_keys=False)
    task = run(f"(await fetch('{server.base}/fail', {{method: 'POST', body: '1'}})).status", no_keys)
    assert task.result == 503 and len(server.hits("/fail")) == 1
    assert "idempotency-key" not in server.hits("/fail")[0].headers
    # A GET is idempotent; a POST with the script's own key may be retried; both keep their key.
    run(f"await fetch('{server.base}/fail')", no_keys)
    assert len(server.hits("/fail")) == 4
    run(f"await fetch('{server.base}/fail', {{method: 'PATCH', headers: {{'Idempotency-Key': 'mine'}}}})", no_keys)
    assert [s.headers.get("idempotency-key") for s in server.hits("/fail")[4:]] == ["mine"] * 3


def test_the_idempotency_key_is_stable_across_performers_and_a_script_key_wins(server: Server) -> None:
    server.routes["/k"] = json_route({})
    request = FetchRequest("req-7", f"{server.base}/k", "POST", body="{}")

    async def twice() -> None:
        for _ in range(2):
            performer = performer_for(server)
            await performer.perform("task-a", request)
            await performer.aclose()

    asyncio.run(twice())
    keys = {s.headers["idempotency-key"] for s in server.hits("/k")}
    assert keys == {idempotency_key("task-a", "req-7")}
    assert idempotency_key("task-a", "req-7") != idempotency_key("task-b", "req-7")
    run(f"await fetch('{server.base}/k', {{headers: {{'idempotency-key': 'order-42'}}}})", performer_for(server))
    assert server.hits("/k")[-1].headers["idempotency-key"] == "order-42"


def test_a_script_narrows_the_retry_policy_and_the_option_is_logged(server: Server) -> None:
    server.routes["/fail"] = flaky(100)
    task = run(f"""
const once = await fetch('{server.base}/fail', {{retry: {{maxAttempts: 1}}}});
const never = await fetch('{server.base}/fail', {{retry: false}});
const wide = await fetch('{server.base}/fail', {{retry: {{maxAttempts: 99}}}});
[once.status, never.status, wide.status]""", performer_for(server))
    assert task.result == [503, 503, 503]
    assert len(server.hits("/fail")) == 1 + 1 + 3  # 99 cannot widen the performer's 3
    logged = task.vm_state["requests"] if task.vm_state else []
    assert [r.get("retry") for r in logged] == [{"maxAttempts": 1}, {"maxAttempts": 1}, {"maxAttempts": 99}]


@pytest.mark.parametrize("option", ["{retry: 3}", "{retry: {maxAttempts: 0}}", "{retry: {maxAttempts: 1.5}}",
                                    "{retry: {maxDelay: -1}}", "{retry: {maxAttempts: NaN}}"])
def test_a_bad_retry_option_is_a_type_error_in_the_script(option: str) -> None:
    task = Flow().execute(f"try {{ await fetch('https://example.com/', {option}); 'no' }} "
                          f"catch (e) {{ e.constructor.name + ': ' + e.message }}")
    assert task.status == "completed" and str(task.result).startswith("TypeError: fetch: init.retry")


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = time.time()
    assert retry_after("7", now) == 7.0
    assert retry_after(formatdate(now + 30, usegmt=True), now) == pytest.approx(30, abs=1.5)
    assert retry_after(formatdate(now - 30, usegmt=True), now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None, now) is None and retry_after("-3", now) is None


def test_a_retry_after_beyond_max_delay_goes_to_the_script(server: Server) -> None:
    server.routes["/later"] = flaky(5, status=503, headers={"retry-after": "3600"})
    task = run(f"const r = await fetch('{server.base}/later'); [r.status, r.headers.get('retry-after')]",
               performer_for(server))
    assert task.result == [503, "3600"] and len(server.hits("/later")) == 1


def test_backoff_is_full_jitter_capped_by_max_delay() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=5.0)
    rng = random.Random(1)
    waits = [policy.backoff(n, rng) for n in (1, 2, 3, 10, 100, 10_000) for _ in range(50)]
    assert all(0 <= w <= 5.0 for w in waits)
    assert max(policy.backoff(1, rng) for _ in range(200)) <= 1.0
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(max_delay=float("inf"))


def test_connection_refused_is_a_type_error_after_the_retries(server: Server) -> None:
    closed = start_server()
    port = closed.port
    closed.close()
    performer = Performer(allow_hosts=[f"127.0.0.1:{port}"], retry=FAST)
    task = run(f"try {{ await fetch('http://127.0.0.1:{port}/') }} catch (e) {{ [e.name, e.cause.code] }}",
               performer)
    assert task.result == ["TypeError", "connect_failed"]


# -- response size cap and malformed responses ---------------------------------------------------

def endless(h: Handler) -> None:
    h.send_response(200)
    h.send_header("content-type", "text/plain")
    h.end_headers()
    h.close_connection = True
    chunk = b"x" * 65536
    for _ in range(10_000):  # 640 MB if nobody stops reading
        h.wfile.write(chunk)


def test_a_body_over_the_cap_is_an_error_and_is_not_read_to_its_end(server: Server) -> None:
    server.routes["/endless"] = endless
    server.routes["/declared"] = lambda h: h.reply(200, b"", headers={"content-length": "999999999"}, length=False)
    task = run(f"""
const out = [];
for (const path of ['/endless', '/declared']) {{
  try {{ await fetch('{server.base}' + path); out.push('read') }}
  catch (e) {{ out.push(e.cause.code + ': ' + e.message) }}
}}
out""", performer_for(server, max_response_bytes=1 << 20))
    assert task.result[0].startswith("response_too_large: fetch failed: the response is over max_response_bytes")
    assert task.result[1].startswith("response_too_large:") and "declares 999999999" in task.result[1]
    assert len(server.hits("/endless")) == 1  # a size failure is not retried


def test_malformed_responses_reach_the_script_as_a_server_sent_them(server: Server) -> None:
    server.routes["/badjson"] = lambda h: h.reply(200, b'{"a": 1,', "application/json")
    server.routes["/latin"] = lambda h: h.reply(200, b"caf\xe9", "text/plain")
    server.routes["/close"] = lambda h: h.reply(200, b"until the end", "text/plain", length=False)
    server.routes["/big"] = lambda h: h.reply(200, b'{"id": 12345678901234567891, "n": NaN}', "application/json")
    server.routes["/deep"] = lambda h: h.reply(200, b"[" * 100_000 + b"]" * 100_000, "application/json")
    task = run(f"""
const base = '{server.base}';
const out = [];
try {{ await (await fetch(base + '/badjson')).json() }} catch (e) {{ out.push(e.name) }}
out.push(await (await fetch(base + '/badjson')).text());
out.push(await (await fetch(base + '/latin')).text());
out.push((await (await fetch(base + '/latin')).bytes()).length);
out.push(await (await fetch(base + '/close')).text());
try {{ await (await fetch(base + '/big')).json() }} catch (e) {{ out.push(e.name) }}
out.push((await (await fetch(base + '/deep')).text()).length);
out""", performer_for(server))
    assert task.status == "completed", task.error
    assert task.result == ["SyntaxError", '{"a": 1,', "caf\ufffd", 4, "until the end", "SyntaxError", 200_000]


# -- redirects -------------------------------------------------------------------------------------

def redirect_to(location: str, status: int = 302) -> Any:
    return lambda h: h.reply(status, b"", None, headers={"location": location})


def test_redirect_modes(server: Server) -> None:
    server.routes["/go"] = redirect_to("/there")
    server.routes["/there"] = lambda h: h.reply(200, json.dumps({"method": h.command}).encode())
    server.routes["/see-other"] = redirect_to("/there", 303)
    server.routes["/loop"] = redirect_to("/loop")
    task = run(f"""
const base = '{server.base}';
const out = [];
const r = await fetch(base + '/go');
out.push([r.status, r.redirected, r.url]);
const m = await fetch(base + '/go', {{redirect: 'manual'}});
out.push([m.status, m.headers.get('location')]);
try {{ await fetch(base + '/go', {{redirect: 'error'}}) }} catch (e) {{ out.push(e.cause.code) }}
out.push((await (await fetch(base + '/see-other', {{method: 'POST', body: 'b'}})).json()).method);
try {{ await fetch(base + '/loop') }} catch (e) {{ out.push(e.cause.code) }}
try {{ new Request(base, {{redirect: 'sideways'}}) }} catch (e) {{ out.push(e.name) }}
out""", performer_for(server))
    assert task.result == [[200, True, f"{server.base}/there"], [302, "/there"], "redirect_refused", "GET",
                           "too_many_redirects", "TypeError"]
    assert len(server.hits("/loop")) == 21
    post = [s for s in server.hits("/there") if s.method == "GET" and s.body == b""]
    assert post, "the 303 turned the POST into a GET without a body"


def test_a_redirect_to_a_loopback_address_not_allowed_is_refused() -> None:
    allowed, other = start_server(), start_server()
    try:
        other.routes["/secret"] = json_route({"internal": True})
        allowed.routes["/hop"] = redirect_to(f"{other.base}/secret")
        task = run(f"try {{ await fetch('{allowed.base}/hop') }} catch (e) {{ [e.name, e.cause.code, e.message] }}",
                   performer_for(allowed))
        name, code, message = task.result
        assert (name, code) == ("TypeError", "outbound_refused")
        assert f"127.0.0.1: a loopback address" in message
        assert other.seen == []
    finally:
        allowed.close()
        other.close()


# -- the outbound policy ---------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::ffff:127.0.0.1]", "2130706433", "0x7f.1",
                                  "[::1]", "0.0.0.0", "169.254.169.254", "10.1.2.3", "[fd00:ec2::254]", "224.0.0.1"])
def test_private_addresses_are_refused_by_default(host: str) -> None:
    task = run(f"try {{ await fetch('http://{host}:9/') }} catch (e) {{ [e.cause.code, e.message] }}",
               Performer(retry=FAST, connect_timeout=2))
    code, message = task.result
    assert code == "outbound_refused", message
    assert "refused to connect to" in message


def test_the_allowlist_opens_a_name_an_address_or_a_network(server: Server) -> None:
    server.routes["/"] = json_route("hi")
    for entry in ("localhost", f"localhost:{server.port}", "127.0.0.1", "127.0.0.0/8"):
        url = f"http://{'localhost' if entry.startswith('localhost') else '127.0.0.1'}:{server.port}/"
        task = run(f"(await fetch('{url}')).status", Performer(allow_hosts=[entry], retry=FAST))
        assert task.result == 200, entry
    refused = run(f"try {{ await fetch('{server.base}/') }} catch (e) {{ e.cause.code }}",
                  Performer(allow_hosts=["127.0.0.1:1"], retry=FAST))
    assert refused.result == "outbound_refused"


def test_policy_parsing_and_checks() -> None:
    import ipaddress

    policy = OutboundPolicy(["[::1]:8080", "10.0.0.0/8", "db.internal"])
    policy.check("x", ipaddress.ip_address("::1"), 8080)
    policy.check("x", ipaddress.ip_address("::ffff:10.9.9.9"), 1)
    policy.check("DB.internal.", ipaddress.ip_address("192.168.1.1"), 5432)
    policy.check("example.com", ipaddress.ip_address("93.184.215.14"), 443)
    for host, ip, port in (("x", "::1", 8081), ("x", "100.64.0.1", 80), ("x", "64:ff9b::7f00:1", 80),
                           ("x", "2002:c0a8:101::", 80), ("x", "fe80::1", 80)):
        with pytest.raises(OutboundRefused):
            policy.check(host, ipaddress.ip_address(ip), port)
    for bad in (["a b"], [""], ["host:0"], ["host:x"], "localhost"):
        with pytest.raises(BadArgumentError):
            Performer(allow_hosts=bad)  # type: ignore[arg-type]


def test_only_http_and_https_are_fetched() -> None:
    task = run("""
const out = [];
for (const u of ['file:///etc/passwd', 'ftp://example.com/', 'relative/path', 'http://']) {
  try { await fetch(u) } catch (e) { out.push(e.cause.code) }
}
out""", Performer(retry=FAST))
    assert task.result == ["bad_url"] * 4


# -- secrets -------------------------------------------------------------------------------------

SECRET = "s3cr3t-VALUE-7f1c"


def echo(h: Handler) -> None:
    h.reply(200, json.dumps({"auth": h.headers.get("authorization"), "path": h.path,
                             "key": h.headers.get("x-api-key")}).encode(),
            headers={"x-echo": h.headers.get("authorization") or ""})


def test_secrets_are_filled_when_performing_and_stored_nowhere(server: Server, tmp_path: Path) -> None:
    server.routes["/echo"] = echo
    server.routes["/post"] = lambda h: h.reply(200, server.seen[-1].body, "text/plain")
    code = f"""
const r = await fetch('{server.base}/echo?k={{{{secrets.TOKEN}}}}', {{
  headers: {{Authorization: 'Bearer {{{{secrets.TOKEN}}}}'}},
}});
const seen = await r.json();
console.log('seen', JSON.stringify(seen), r.headers.get('x-echo'), r.url);
const p = await (await fetch('{server.base}/post', {{method: 'POST', body: 'token={{{{secrets.TOKEN}}}}'}})).text();
[seen.auth, seen.path, p, r.url]"""
    performer = performer_for(server, secrets={"TOKEN": SECRET}.get)
    storages = [create_storage(f"sqlite:{tmp_path}/tasks.db"), FileStorage(str(tmp_path / "files"))]
    for storage in storages:
        task = run(code, performer, Flow(storage=storage))
        assert task.result == ["Bearer {{secrets.TOKEN}}", "/echo?k={{secrets.TOKEN}}", "token={{secrets.TOKEN}}",
                               f"{server.base}/echo?k={{{{secrets.TOKEN}}}}"]
        assert SECRET not in json.dumps(task.to_dict())
    # The server got the real value.
    assert server.hits("/echo")[0].headers["authorization"] == f"Bearer {SECRET}"
    assert server.hits("/echo")[0].path.endswith(f"k={SECRET}")
    assert server.hits("/post")[0].body == f"token={SECRET}".encode()
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert stored
    for path in stored:
        assert SECRET.encode() not in path.read_bytes(), path


def test_an_unknown_secret_is_an_error_naming_it(server: Server) -> None:
    server.routes["/"] = json_route({})
    task = run(f"try {{ await fetch('{server.base}/', {{headers: {{'x-k': '{{{{secrets.NOPE}}}}'}}}}) }} "
               f"catch (e) {{ [e.cause.code, e.message] }}", performer_for(server, secrets={}.get))
    assert task.result[0] == "unknown_secret" and "'NOPE'" in task.result[1]
    assert server.seen == []


def test_a_secret_that_would_break_a_header_is_refused(server: Server) -> None:
    task = run(f"try {{ await fetch('{server.base}/', {{headers: {{'x-k': '{{{{secrets.BAD}}}}'}}}}) }} "
               f"catch (e) {{ [e.cause.code, e.message] }}",
               performer_for(server, secrets={"BAD": "a\r\nx-injected: 1"}.get))
    assert task.result[0] == "bad_secret" and "injected" not in task.result[1]
    assert server.seen == []


def test_a_redirect_to_another_origin_drops_secret_headers() -> None:
    first, second = start_server(), start_server()
    try:
        second.routes["/landing"] = echo
        first.routes["/hop"] = redirect_to(f"{second.base}/landing")
        performer = Performer(allow_hosts=[f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"], retry=FAST,
                              secrets={"K": SECRET}.get)
        task = run(f"(await (await fetch('{first.base}/hop', {{headers: {{'x-api-key': '{{{{secrets.K}}}}', "
                   f"authorization: 'plain', 'x-other': 'kept'}}}})).json())", performer)
        assert task.result["key"] is None and task.result["auth"] is None
        assert second.seen[0].headers.get("x-other") == "kept"
        assert first.seen[0].headers["x-api-key"] == SECRET
    finally:
        first.close()
        second.close()


def test_secret_files_json_and_dotenv(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps({"A": "1"}))
    (tmp_path / "s.env").write_text("# comment\nexport B='two words'\nC=3\n")
    assert FileSecrets(tmp_path / "s.json")("A") == "1"
    dotenv = FileSecrets(tmp_path / "s.env")
    assert (dotenv("B"), dotenv("C"), dotenv("D")) == ("two words", "3", None)
    (tmp_path / "bad.env").write_text("B=ok\nnot a line with the value hunter2\n")
    with pytest.raises(ValueError) as caught:
        FileSecrets(tmp_path / "bad.env")
    assert "line 2" in str(caught.value) and "hunter2" not in str(caught.value)


# -- seqflow run -------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def seqflow(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SEQFLOW_")}
    environment.update(env or {}, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "seqflow_runtime.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=environment, cwd=cwd)


def test_seqflow_run_performs_a_pause_in_parallel_with_secrets_and_the_allowlist(server: Server,
                                                                                  tmp_path: Path) -> None:
    server.routes["/slow"] = slow_route(0.5)
    server.routes["/echo"] = echo
    script = tmp_path / "par.js"
    script.write_text(f"""
const rs = await Promise.all([1, 2, 3].map(i => fetch('{server.base}/slow?i=' + i, {{method: 'POST'}})));
const me = await (await fetch('{server.base}/echo', {{headers: {{authorization: '{{{{secrets.TOKEN}}}}'}}}})).json();
[rs.length, me.auth]""")
    url = f"sqlite:{tmp_path}/t.db"
    refused = seqflow("run", str(script), "--storage", url, cwd=tmp_path)
    out, _ = refused.communicate(timeout=120)
    assert refused.returncode == 1 and "outbound_refused" not in out  # the script's TypeError ends it
    assert server.seen == []
    child = seqflow("run", str(script), "--storage", url, "--allow-host", f"127.0.0.1:{server.port}", cwd=tmp_path,
                    env={"SEQFLOW_SECRET_TOKEN": SECRET})
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert out.strip().endswith('completed: [3, "{{secrets.TOKEN}}"]')
    assert server.max_active == 3
    assert server.hits("/echo")[0].headers["authorization"] == SECRET
    assert SECRET.encode() not in (tmp_path / "t.db").read_bytes()


def test_ctrl_c_during_a_post_then_resume_sends_it_again_with_the_same_key(server: Server, tmp_path: Path) -> None:
    started = threading.Event()

    def charge(h: Handler) -> None:
        if len(server.hits("/charge")) == 1:
            started.set()
            time.sleep(30)  # the first attempt hangs until the run is interrupted
        h.reply(200, b'{"charged": true}')

    server.routes["/charge"] = charge
    script = tmp_path / "charge.js"
    script.write_text(f"(await (await fetch('{server.base}/charge', {{method: 'POST', body: '{{}}'}})).json()).charged")
    url = f"sqlite:{tmp_path}/t.db"
    allow = ("--allow-host", f"127.0.0.1:{server.port}")
    child = seqflow("run", str(script), "--storage", url, "--id", "pay", *allow, cwd=tmp_path)
    assert started.wait(60)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130 and "resume pay" in err
    again = seqflow("resume", "pay", "--storage", url, *allow, cwd=tmp_path)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0 and out.strip().endswith("completed: true"), err
    first, second = server.hits("/charge")
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"] == idempotency_key("pay", "req-1")


def test_a_gzip_bomb_is_stopped_at_the_cap_and_latin1_headers_are_sent_as_bytes(server: Server) -> None:
    import gzip

    bomb = gzip.compress(b"\0" * (64 << 20))
    server.routes["/bomb"] = lambda h: h.reply(200, bomb, "application/octet-stream",
                                                headers={"content-encoding": "gzip"})
    server.routes["/hdr"] = lambda h: h.reply(200, json.dumps(h.headers.get("x-name")).encode())
    task = run(f"""
const out = [];
try {{ await fetch('{server.base}/bomb') }} catch (e) {{ out.push(e.cause.code) }}
out.push(await (await fetch('{server.base}/hdr', {{headers: {{'x-name': 'caf\\u00e9'}}}})).json());
out""", performer_for(server, max_response_bytes=1 << 20))
    assert task.result == ["response_too_large", "caf\u00e9"]


def test_secret_hosts_bind_a_secret_to_its_hosts_and_a_body_secret_does_not_follow_a_redirect() -> None:
    first, second = start_server(), start_server()
    try:
        first.routes["/ok"] = json_route("ok")
        first.routes["/hop"] = redirect_to(f"http://localhost:{second.port}/landing", 307)
        second.routes["/landing"] = json_route("landed")
        performer = Performer(allow_hosts=[f"127.0.0.1:{first.port}", f"localhost:{second.port}"], retry=FAST,
                              secrets={"K": SECRET, "FREE": "free-value"}.get, secret_hosts={"K": ["127.0.0.1"]})
        task = run(f"""
const out = [];
const attempt = async (url, init) => {{
  try {{ out.push(await (await fetch(url, init)).json()) }} catch (e) {{ out.push(e.cause.code) }}
}};
await attempt('{first.base}/ok', {{headers: {{'x-k': '{{{{secrets.K}}}}'}}}});
await attempt('http://localhost:{second.port}/landing', {{headers: {{'x-k': '{{{{secrets.K}}}}'}}}});
await attempt('http://localhost:{second.port}/landing?f={{{{secrets.FREE}}}}');
await attempt('{first.base}/hop', {{method: 'POST', body: 'k={{{{secrets.FREE}}}}'}});
await attempt('{first.base}/hop', {{method: 'POST', body: 'plain'}});
out""", performer)
        assert task.result == ["ok", "secret_not_allowed", "landed", "secret_not_allowed", "landed"]
        assert [s.headers.get("x-k") for s in first.hits("/ok")] == [SECRET]
        assert [s.body for s in second.hits("/landing")] == [b"", b"plain"]
    finally:
        first.close()
        second.close()


def test_flow_run_works_from_inside_a_running_event_loop(server: Server) -> None:
    server.routes["/"] = json_route(7)

    async def handler() -> Any:
        # A synchronous call from async code (a notebook, a framework's sync path) must not trip over the loop.
        return Flow().run(f"await (await fetch('{server.base}/')).json()", performer=performer_for(server)).result

    assert asyncio.run(handler()) == 7


def test_an_error_code_alone_is_still_raw_data_in_the_sequential_dialect() -> None:
    flow = Flow(dialect="sequential")
    task = flow.execute("const r = fetch('https://api.example.com/x'); r.errorCode + '/' + r.message")
    done = flow.resume(task.id, fetch_response={"errorCode": "E1", "message": "m"})
    assert done.result == "E1/m"
    task = flow.execute("try { fetch('https://api.example.com/x') } catch (e) { e.cause.code }")
    assert flow.resume(task.id, fetch_response={"error": "boom", "errorCode": "timeout"}).result == "timeout"


def test_the_redirect_mode_and_retry_option_are_part_of_the_request_a_caller_sees() -> None:
    flow = Flow()
    task = flow.execute("await fetch('https://api.example.com/x', {redirect: 'manual', retry: {maxDelay: 250}}); "
                        "await fetch('https://api.example.com/y')")
    request = task.fetch_requests[0]
    assert (request.redirect, request.retry) == ("manual", {"maxDelay": 250})
    shown = task.to_dict()["fetchRequest"]
    assert shown["redirect"] == shown["options"]["redirect"] == "manual"
    assert shown["retry"] == shown["options"]["retry"] == {"maxDelay": 250}
    assert task.copy().fetch_requests == task.fetch_requests
    stored = flow.get_task(task.id)
    assert stored.fetch_requests == task.fetch_requests
    later = flow.resume(task.id, fetch_response={"status": 204})
    assert later.fetch_requests[0].to_dict() == {"id": "req-2", "url": "https://api.example.com/y", "method": "GET",
                                                 "headers": {}, "body": None,
                                                 "options": {"method": "GET", "headers": {}, "body": None}}


def test_https_connects_to_the_checked_address_and_verifies_the_name_in_the_url() -> None:
    import ssl

    import trustme

    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    tls = start_server(tls=server_context)
    try:
        tls.routes["/"] = lambda h: h.reply(200, json.dumps(h.headers.get("host")).encode())
        allow = [f"localhost:{tls.port}", f"127.0.0.1:{tls.port}"]
        code = f"""
const out = [];
for (const host of ['localhost', '127.0.0.1']) {{
  try {{ out.push(await (await fetch('https://' + host + ':{tls.port}/')).json()) }} catch (e) {{ out.push(e.cause.code) }}
}}
out"""
        trusted = run(code, Performer(allow_hosts=allow, retry=FAST, ssl_context=client_context))
        # The certificate names localhost: the same server by its address fails verification.
        assert trusted.result == [f"localhost:{tls.port}", "connect_failed"]
        untrusted = run(code, Performer(allow_hosts=allow, retry=FAST))
        assert untrusted.result == ["connect_failed", "connect_failed"]
    finally:
        tls.close()


def test_a_pooled_connection_the_server_closed_is_not_used_again() -> None:
    """The pool's expiry check (a closed idle connection is readable) still works through the guarded stream:
    with no retries, a request on the dead connection would fail."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    connections: list[int] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(conn.fileno())
            with conn:
                conn.recv(65536)
                # Keep-alive by HTTP/1.1's default, then closed anyway, as servers do after their idle timeout.
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                time.sleep(0.05)

    threading.Thread(target=serve, daemon=True).start()
    port = listener.getsockname()[1]
    performer = Performer(allow_hosts=[f"127.0.0.1:{port}"], retry=RetryPolicy(max_attempts=1))
    request = FetchRequest(id="req-1", url=f"http://127.0.0.1:{port}/")

    async def twice() -> list[dict[str, Any]]:
        first = await performer.perform("t", request)
        await asyncio.sleep(0.3)  # the server has closed its side by now
        second = await performer.perform("t", request)
        await performer.aclose()
        return [first, second]

    try:
        assert [e.get("status") for e in asyncio.run(twice())] == [200, 200]
    finally:
        listener.close()
    assert len(connections) == 2

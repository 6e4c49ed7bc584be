"""Durable execution: pause on fetch, persist the log, resume anywhere by replay."""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime import (
    BadArgumentError,
    CorruptStateError,
    FileStorage,
    ForeignStateError,
    Limits,
    MemoryStorage,
    ReplayDivergenceError,
    RequestAlreadyAnsweredError,
    TamperedStateError,
    TaskExistsError,
    TaskExpiredError,
    TaskNotFoundError,
    TaskNotPausedError,
    UnknownRequestError,
    VersionConflictError,
    create_flow,
    create_storage,
)
from seqflow_runtime.flow import Flow

ROOT = Path(__file__).resolve().parent.parent

POSTS = """
  const posts = [];
  for (let i = 1; i <= 3; i++) {
    const res = await fetch('https://api.example.com/posts/' + i);
    if (!res.ok) throw new Error('HTTP ' + res.status);
    posts.push((await res.json()).title);
  }
  return posts.join(', ');
"""


class FakeClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def cold_flow(storage: Any, **kwargs: Any) -> Flow:
    """A new Flow over ``storage``: it holds no live program, so every resume replays."""
    return create_flow(storage, **kwargs)


def run_python(code: str) -> str:
    """Run ``code`` in a fresh Python process (the repo on its path); returns stdout."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- the issue's example ----------------------------------------------------------------------


def test_posts_example_resumes_in_another_process(tmp_path: Path) -> None:
    flow = create_flow(storage=FileStorage(tmp_path))
    task = flow.execute(POSTS, id="posts-1")
    assert task.status == "paused"
    assert task.fetch_request is not None
    assert task.fetch_request.url == "https://api.example.com/posts/1"
    for i, title in enumerate("ABC", start=1):
        out = run_python(
            "from seqflow_runtime import create_flow, FileStorage\n"
            f"flow = create_flow(storage=FileStorage({str(tmp_path)!r}))\n"
            f"task = flow.resume('posts-1', fetch_response={{'status': 200, 'data': {{'title': {title!r}}}}})\n"
            "import json; print(json.dumps([task.status, task.result, "
            "task.fetch_request.url if task.fetch_request else None]))\n"
        )
        status, result, next_url = json.loads(out)
        if i < 3:
            assert (status, next_url) == ("paused", f"https://api.example.com/posts/{i + 1}")
        else:
            assert (status, result) == ("completed", "A, B, C")
    final = create_flow(storage=FileStorage(tmp_path)).get_task("posts-1")
    assert final.status == "completed"
    assert final.result == "A, B, C"
    assert final.pause_count == 3


def test_http_error_status_reaches_the_program() -> None:
    flow = create_flow()
    task = flow.execute(POSTS, id="p")
    task = flow.resume("p", fetch_response={"status": 503, "statusText": "Service Unavailable"})
    assert task.status == "error"
    assert task.error_details is not None
    assert task.error_details["message"] == "HTTP 503"
    assert task.error_details["line"] == 5


# -- everything the program holds survives a cold resume ----------------------------------------

STATEFUL = """
class Counter { constructor() { this.n = 0 } bump() { return ++this.n } }
const counter = new Counter();
const seen = new Map();
const when = new Date(Date.UTC(2024, 0, 2));
function* ids() { let i = 100; while (true) yield i++ }
const idGen = ids();
idGen.next();
let captured = 'before';
const read = () => captured;
const early = Promise.resolve('settled-early');
let errorText = 'none';
try {
  const r = await fetch('https://api.example.com/flaky');
  errorText = 'no error';
} catch (e) {
  errorText = e.name + ': ' + e.message;
} finally {
  counter.bump();
}
captured = 'after';
seen.set('first', (await (await fetch('https://api.example.com/a')).json()).value);
counter.bump();
return {
  count: counter.bump(), isCounter: counter instanceof Counter, seen: [...seen],
  day: when.toISOString(), nextId: idGen.next().value, read: read(), early: await early, errorText,
};
"""


def test_state_survives_cold_resumes() -> None:
    storage = MemoryStorage()
    task = cold_flow(storage).execute(STATEFUL, id="s")
    assert task.fetch_request is not None and task.fetch_request.url.endswith("/flaky")
    task = cold_flow(storage).resume("s", fetch_response={"error": "ECONNRESET"})
    assert task.status == "paused"
    task = cold_flow(storage).resume("s", fetch_response={"data": {"value": 41}})
    assert task.status == "completed", task.error
    assert task.result == {
        "count": 3, "isCounter": True, "seen": [["first", 41]], "day": "2024-01-02T00:00:00.000Z",
        "nextId": 101, "read": "after", "early": "settled-early",
        "errorText": "TypeError: fetch failed: ECONNRESET",
    }


def test_hot_and_cold_resume_agree() -> None:
    hot = create_flow()
    storage = MemoryStorage()
    a = hot.execute(STATEFUL, id="h")
    b = cold_flow(storage).execute(STATEFUL, id="h")
    for answer in ({"error": "ECONNRESET"}, {"data": {"value": 7}}):
        a = hot.resume("h", fetch_response=answer)
        b = cold_flow(storage).resume("h", fetch_response=answer)
    assert a.status == b.status == "completed"
    assert a.result == b.result


# -- parallel requests, partial answers, timers ----------------------------------------------------

PARALLEL = """
const urls = ['https://api.example.com/1', 'https://api.example.com/2', 'https://api.example.com/3'];
const bodies = await Promise.all(urls.map(u => fetch(u).then(r => r.json())));
return bodies.map(b => b.n).join('+');
"""


def test_promise_all_pauses_once_with_every_request() -> None:
    storage = MemoryStorage()
    task = cold_flow(storage).execute(PARALLEL, id="par")
    assert task.status == "paused"
    assert [r.url for r in task.fetch_requests] == [
        "https://api.example.com/1", "https://api.example.com/2", "https://api.example.com/3"]
    ids = [r.id for r in task.fetch_requests]
    task = cold_flow(storage).resume("par", responses={ids[2]: {"data": {"n": 3}}})
    assert task.status == "paused"
    assert [r.id for r in task.fetch_requests] == ids[:2]
    task = cold_flow(storage).resume("par", responses={ids[0]: {"data": {"n": 1}}, ids[1]: {"data": {"n": 2}}})
    assert task.status == "completed"
    assert task.result == "1+2+3"


def test_timer_pause_and_wake() -> None:
    clock = FakeClock()
    storage = MemoryStorage()
    code = """
    const before = Date.now();
    await new Promise(r => setTimeout(r, 5000));
    return Date.now() - before;
    """
    task = cold_flow(storage, clock=clock).execute(code, id="t")
    assert task.status == "paused"
    assert task.fetch_requests == []
    assert task.wake_at == pytest.approx(clock.now + 5)
    clock.now += 1
    same = cold_flow(storage, clock=clock).resume("t")
    assert same.status == "paused" and same.version == task.version
    clock.now += 10
    done = cold_flow(storage, clock=clock).resume("t")
    assert done.status == "completed"
    assert done.result == 11000


def test_timeout_race_between_fetch_and_timer() -> None:
    clock = FakeClock()
    code = """
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 1000));
    try { await Promise.race([fetch('https://slow.example.com'), timeout]); return 'fetched' }
    catch (e) { return e.message }
    """
    flow = create_flow(clock=clock)
    task = flow.execute(code, id="race")
    assert len(task.fetch_requests) == 1 and task.wake_at is not None
    clock.now += 2
    assert flow.resume("race").result == "timed out"


def test_set_interval_and_clear() -> None:
    clock = FakeClock()
    flow = create_flow(clock=clock)
    code = """
    let ticks = 0;
    await new Promise(done => { const h = setInterval(() => { if (++ticks === 3) { clearInterval(h); done() } }, 10) });
    ticks
    """
    task = flow.execute(code, id="iv")
    while task.status == "paused":
        clock.now += 0.01
        task = flow.resume("iv")
    assert task.result == 3


# -- stateless resume, races, determinism ------------------------------------------------------------


def test_stateless_resume_from_vm_state_in_another_process() -> None:
    task = create_flow(secret="k").execute(POSTS, id="v")
    state = task.vm_state
    out = run_python(
        "import json, sys\n"
        "from seqflow_runtime import create_flow\n"
        f"state = json.loads({json.dumps(json.dumps(state))})\n"
        "t = create_flow(secret='k').resume('v', fetch_response={'data': {'title': 'X'}}, vm_state=state)\n"
        "print(json.dumps([t.status, t.fetch_request.url, t.vm_state]))\n"
    )
    status, url, new_state = json.loads(out)
    assert (status, url) == ("paused", "https://api.example.com/posts/2")
    t = create_flow(secret="k").resume("v", fetch_response={"data": {"title": "Y"}}, vm_state=new_state)
    t = create_flow(secret="k").resume("v", fetch_response={"data": {"title": "Z"}}, vm_state=t.vm_state)
    assert (t.status, t.result) == ("completed", "X, Y, Z")


def _race_resume(directory: str, title: str, queue: Any) -> None:
    flow = create_flow(storage=FileStorage(directory))
    try:
        task = flow.resume("race", responses={"req-1": {"data": {"title": title}}})
        queue.put(("ok", title, task.version))
    except (VersionConflictError, RequestAlreadyAnsweredError) as exc:
        queue.put((exc.code, title, None))


def test_racing_resumes_from_processes_exactly_one_wins(tmp_path: Path) -> None:
    create_flow(storage=FileStorage(tmp_path)).execute(POSTS, id="race")
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_race_resume, args=(str(tmp_path), t, queue)) for t in "PQRSTU"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    results = [queue.get(timeout=10) for _ in procs]
    winners = [r for r in results if r[0] == "ok"]
    assert len(winners) == 1
    assert all(r[0] in ("version_conflict", "request_already_answered") for r in results if r[0] != "ok")
    stored = create_flow(storage=FileStorage(tmp_path)).get_task("race")
    assert stored.version == 2
    assert stored.vm_state is not None
    assert stored.vm_state["events"][-1]["response"]["data"]["title"] == winners[0][1]


def test_random_clock_and_console_are_deterministic_across_replay() -> None:
    storage = MemoryStorage()
    lines: list[str] = []
    code = """
    const r1 = Math.random(), t1 = Date.now(), d = new Date();
    console.log('start', typeof r1);
    await fetch('https://api.example.com/x');
    console.log('after fetch');
    return [r1 === Math.random() ? 'repeat' : 'fresh', r1, t1 === d.getTime(), t1];
    """
    clock = FakeClock()
    first = cold_flow(storage, clock=clock, on_console=lambda tid, e: lines.append(e["message"])).execute(code, id="d")
    clock.now += 100
    done = cold_flow(storage, clock=clock, on_console=lambda tid, e: lines.append(e["message"])).resume(
        "d", fetch_response={"data": {}})
    assert done.status == "completed"
    assert done.result[0] == "fresh"
    assert done.result[2] is True
    assert done.result[3] == int(1_700_000_000_000)
    assert lines == ["start number", "after fetch"]
    assert [e["message"] for e in done.logs] == ["start number", "after fetch"]
    assert first.logs == [{"level": "log", "message": "start number"}]


def test_replay_divergence_names_the_request() -> None:
    storage = MemoryStorage()
    cold_flow(storage).execute(POSTS, id="div")
    task = storage.load("div")
    assert task is not None and task.vm_state is not None
    task.vm_state["requests"][0]["url"] = "https://api.example.com/other"
    storage.save(task, task.version)
    with pytest.raises(ReplayDivergenceError) as info:
        cold_flow(storage).resume("div", fetch_response={"data": {"title": "A"}})
    assert "GET https://api.example.com/posts/1" in str(info.value)
    assert "GET https://api.example.com/other" in str(info.value)
    assert info.value.code == "replay_divergence"
    assert storage.load("div").vm_state["requests"][0]["url"] == "https://api.example.com/other"


def test_changed_code_is_foreign_state() -> None:
    storage = MemoryStorage()
    cold_flow(storage).execute(POSTS, id="f")
    task = storage.load("f")
    assert task is not None and task.vm_state is not None
    task.vm_state["code"] = POSTS.replace("posts/", "articles/")
    storage.save(task, task.version)
    with pytest.raises(ForeignStateError):
        cold_flow(storage).resume("f", fetch_response={"data": {"title": "A"}})


def test_secret_signs_state_and_refuses_tampering() -> None:
    flow = create_flow(secret="s3cret")
    task = flow.execute(POSTS, id="sig")
    assert task.vm_state is not None and "signature" in task.vm_state
    state = json.loads(json.dumps(task.vm_state))
    state["requests"][0]["url"] = "https://evil.example.com"
    with pytest.raises(TamperedStateError):
        create_flow(secret="s3cret").resume("sig", fetch_response={"data": {}}, vm_state=state)
    ok = create_flow(secret="s3cret").resume("sig", fetch_response={"data": {"title": "A"}}, vm_state=task.vm_state)
    assert ok.status == "paused"


# -- error codes -------------------------------------------------------------------------------------


def test_api_misuse_raises_typed_errors() -> None:
    clock = FakeClock()
    flow = create_flow(clock=clock, ttl=60)
    task = flow.execute(PARALLEL, id="e")
    first = task.fetch_requests[0].id
    with pytest.raises(TaskExistsError) as exists:
        flow.execute("1", id="e")
    assert exists.value.code == "task_exists"
    with pytest.raises(TaskNotFoundError) as missing:
        flow.resume("nope", fetch_response={"data": 1})
    assert missing.value.code == "task_not_found"
    with pytest.raises(UnknownRequestError) as unknown:
        flow.resume("e", responses={"req-99": {"data": 1}})
    assert unknown.value.code == "unknown_request"
    flow.resume("e", responses={first: {"data": {"n": 1}}})
    with pytest.raises(RequestAlreadyAnsweredError) as again:
        flow.resume("e", responses={first: {"data": {"n": 1}}})
    assert again.value.code == "request_already_answered"
    for bad in ({"status": "200"}, {"status": 42}, {"headers": "x"}, {"body": 5}, "not a dict"):
        with pytest.raises(BadArgumentError) as bad_info:
            flow.resume("e", fetch_response=bad)
        assert bad_info.value.code == "bad_arguments"
    with pytest.raises(BadArgumentError):
        flow.resume("e", fetch_response={"data": 1}, responses={first: {}})
    with pytest.raises(BadArgumentError):
        flow.execute(42)
    clock.now += 120
    with pytest.raises(TaskExpiredError) as expired:
        flow.resume("e", fetch_response={"data": 1})
    assert expired.value.code == "task_expired"


def test_resume_of_finished_task_and_corrupt_state() -> None:
    storage = MemoryStorage()
    flow = create_flow(storage)
    done = flow.execute("1 + 1", id="done")
    assert (done.status, done.result) == ("completed", 2)
    with pytest.raises(TaskNotPausedError) as info:
        flow.resume("done", fetch_response={"data": 1})
    assert info.value.code == "task_not_paused"
    flow.execute(POSTS, id="c")
    task = storage.load("c")
    assert task is not None
    task.vm_state = {"format": "seqflow/1", "code": 5}
    storage.save(task, task.version)
    with pytest.raises(CorruptStateError):
        cold_flow(storage).resume("c", fetch_response={"data": 1})
    task.vm_state = {"format": "someone-else/9"}
    storage.save(task, task.version)
    with pytest.raises(ForeignStateError):
        cold_flow(storage).resume("c", fetch_response={"data": 1})


def test_version_conflict_keeps_the_winner() -> None:
    storage = MemoryStorage()
    a, b = cold_flow(storage), cold_flow(storage)
    a.execute(POSTS, id="v")
    stale = storage.load("v")
    a.resume("v", fetch_response={"data": {"title": "A"}})
    assert stale is not None
    with pytest.raises(VersionConflictError):
        storage.save(stale, stale.version)
    with pytest.raises(VersionConflictError) as info:
        b.storage.save(stale, 0)
    assert info.value.code == "version_conflict"
    assert storage.load("v").version == 2


# -- guest failures become error tasks; the host survives ------------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "line"),
    [
        ("const a = 1;\nthrow new TypeError('bad')", "TypeError", 2),
        ("const x = ;", "SyntaxError", 1),
        ("await new Promise(() => {})", "Error", None),
        ("function f() { return f() }\nf()", "RangeError", 1),
        ("import a from 'a'", "SyntaxError", 1),
    ],
)
def test_guest_failures_end_the_task(code: str, name: str, line: int | None) -> None:
    task = create_flow().execute(code)
    assert task.status == "error"
    assert task.error_details is not None
    assert task.error_details["name"] == name
    assert task.error_details["line"] == line


def test_syntax_error_names_unsupported_construct() -> None:
    task = create_flow().execute("export const v = 1;")
    assert task.error_details is not None
    assert task.error_details["code"] == "unsupported_syntax"
    assert "ES modules" in task.error_details["message"]


def test_limits_end_the_task_and_keep_the_last_good_state() -> None:
    flow = create_flow(limits=Limits(max_pauses=2))
    task = flow.execute(POSTS, id="lim")
    task = flow.resume("lim", fetch_response={"data": {"title": "A"}})
    assert task.status == "paused"
    good_state = task.vm_state
    task = flow.resume("lim", fetch_response={"data": {"title": "B"}})
    assert task.status == "error"
    assert task.error_details is not None and task.error_details["limit"] == "max_pauses"
    assert task.vm_state == good_state
    busy = create_flow(limits=Limits(max_outstanding_requests=2)).execute(PARALLEL)
    assert busy.status == "error" and busy.error_details is not None
    assert busy.error_details["limit"] == "max_outstanding_requests"
    small = create_flow(limits=Limits(max_response_bytes=100))
    small.execute(POSTS, id="big")
    # An over-size response is the program's failed fetch, not the caller's error (tests/test_answers.py).
    big = small.resume("big", fetch_response={"data": {"title": "x" * 200}})
    assert big.status == "error" and big.error is not None and "max_response_bytes" in big.error
    steps = create_flow(limits=Limits(max_steps=10_000)).execute("while (true) {}")
    assert steps.error_details is not None and steps.error_details["code"] == "limit_exceeded"


# -- listing ----------------------------------------------------------------------------------------


def test_list_tasks_pages_and_filters() -> None:
    flow = create_flow()
    for i in range(7):
        flow.execute(POSTS if i % 2 else "1", id=f"t{i}")
    page = flow.list_tasks(limit=3)
    seen = [t.id for t in page.tasks]
    while page.next_cursor is not None:
        page = flow.list_tasks(limit=3, cursor=page.next_cursor)
        seen += [t.id for t in page.tasks]
    assert seen == [f"t{i}" for i in range(7)]
    assert [t.id for t in flow.list_tasks(status="paused").tasks] == ["t1", "t3", "t5"]
    assert flow.delete_task("t1") is True
    assert flow.delete_task("t1") is False
    with pytest.raises(TaskNotFoundError):
        flow.get_task("t1")


def test_task_to_dict_uses_seed_keys() -> None:
    task = create_flow().execute(POSTS, id="k", name="posts")
    data = task.to_dict()
    assert data["fetchRequest"]["url"] == "https://api.example.com/posts/1"
    assert data["fetchRequest"]["options"] == {"method": "GET", "headers": {}, "body": None}
    assert data["pauseCount"] == 1 and data["status"] == "paused" and data["name"] == "posts"
    assert data["vmState"]["format"] == "seqflow/1"
    assert data["createdAt"].endswith("Z") and data["expiresAt"] > data["createdAt"]


def test_request_details_are_recorded() -> None:
    task = create_flow().execute(
        "await fetch('https://api.example.com/items', {method: 'post', headers: {'X-Key': 'k'}, "
        "body: JSON.stringify({a: 1})})")
    req = task.fetch_request
    assert req is not None
    # The body's content type is added as fetch does (Fetch 5.2, extract a body).
    assert (req.method, req.headers, req.body) == \
        ("POST", {"x-key": "k", "content-type": "text/plain;charset=UTF-8"}, '{"a":1}')


def test_run_drives_to_completion_with_a_fetch_function() -> None:
    calls: list[str] = []

    def fetch(request: Any) -> dict[str, Any]:
        calls.append(request.url)
        return {"data": {"title": request.url.rsplit("/", 1)[1]}}

    task = create_flow().run(POSTS, fetch=fetch)
    assert task.status == "completed"
    assert task.result == "1, 2, 3"
    assert calls == [f"https://api.example.com/posts/{i}" for i in (1, 2, 3)]


@pytest.mark.parametrize("task_id", ["a\ud800", "\udfff", "x" * 256, ""])
def test_task_ids_every_storage_can_key(task_id: str, tmp_path: Path) -> None:
    # A lone surrogate cannot be UTF-8 text, which every storage keys tasks by (SQLite raised UnicodeEncodeError).
    flow = Flow(storage=create_storage(f"sqlite://{tmp_path / 't.db'}"))
    with pytest.raises(BadArgumentError):
        flow.execute("1", id=task_id)
    assert flow.execute("1", id="\U0001f600 é").status == "completed"


def test_a_logs_byte_size_counts_each_entry_as_its_own_json() -> None:
    """The log-size count (one JSON text per entry, plus a separator) is the same when entries are counted together,
    for entries added one at a time and for a log read from a state, with non-ASCII text and lone surrogates."""
    from seqflow_runtime.replay import Log

    def counted(log: Log) -> int:
        size = 256 + len(json.dumps([log.code, log.input], ensure_ascii=False).encode("utf-8", "surrogatepass"))
        for entry in [*log.events, *log.requests]:
            size += len(json.dumps(entry, ensure_ascii=False).encode("utf-8", "surrogatepass")) + 1
        return size

    flow = create_flow()
    task = flow.execute("const a = await fetch('https://x.example/é'); const b = await fetch('https://x.example/b');"
                        " return Date.now();", input={"k": "ü"})
    assert task.vm_state is not None
    log = Log.from_state(task.vm_state)
    assert log.byte_size() == counted(log)  # one request, no events
    log.events.append({"deliver": "req-1", "response": {"data": {"t": "\ud800 – ∑", "n": [1, -0.0, 2**60]}}})
    log.events.append({"clock": 5})
    log.requests.append({"id": "req-2", "url": "https://x.example/b"})
    assert log.byte_size() == counted(log)  # counted incrementally: only the new entries
    assert log.byte_size() == counted(log)  # nothing new: unchanged
    empty = Log.from_state({**task.vm_state, "requests": [], "events": []})
    assert empty.byte_size() == counted(empty)

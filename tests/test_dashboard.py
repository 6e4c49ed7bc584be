"""The dashboard in a real browser: Debian's chromium driven by Playwright against a real ``seqflow serve``.

Screenshots go to tests/artifacts/ (ignored by git). Without a ``chromium``
binary the tests skip and say so; CI installs it (.ci/run).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.http_server import Server, start_server
from tests.test_server import Serve, json_route

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)")
sync_api = pytest.importorskip("playwright.sync_api")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: Guest-controlled text that would run script if a page ever used it as HTML.
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


@pytest.fixture(scope="module")
def api() -> Iterator[Server]:
    server = start_server()
    for i in range(3):
        server.routes[f"/items/{i}"] = json_route({"n": i, "html": XSS})
    yield server
    server.close()


@pytest.fixture(scope="module")
def manual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    """A server without workers: every request waits for an answer by hand."""
    server = Serve(f"sqlite://{tmp_path_factory.mktemp('dash') / 'tasks.db'}", "--workers", "0")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def create(serve: Serve, **body: object) -> dict[str, object]:
    created = serve.http.post("/api/v1/tasks", json=body)
    assert created.status_code == 201, created.text
    task: dict[str, object] = created.json()
    return task


def no_script_ran(page: Any) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.locator("main img, main script").count() == 0


def test_list_to_task_to_answer_by_hand_completes_on_screen(manual: Serve, page: Any) -> None:
    code = f"console.log({json.dumps(XSS)});\nconst r = await fetch('https://api.example.test/user');\n" \
           f"const user = await r.json();\n'hello ' + user.name"
    create(manual, id="hand-1", name=XSS, code=code, input={"note": XSS})
    page.goto(manual.base + "/")
    row = page.get_by_role("row").filter(has_text="hand-1")
    assert XSS in row.inner_text()  # the hostile name is shown as text
    no_script_ran(page)
    shot(page, "dashboard-list")
    row.get_by_role("link", name="hand-1").click()
    page.wait_for_url(re.compile(r"/tasks/hand-1$"))
    assert page.locator("#task-status").inner_text() == "paused"
    assert XSS in page.locator(".console-line").inner_text()
    pending = page.get_by_role("article").filter(has_text="https://api.example.test/user")
    pending.get_by_text("Answer by hand").click()
    pending.get_by_label("Body", exact=True).fill(json.dumps({"name": XSS}))
    shot(page, "dashboard-answer-form")
    pending.get_by_role("button", name="Send this response").click()
    page.locator("#task-status", has_text="completed").wait_for()
    assert page.locator("#task-result").inner_text() == json.dumps("hello " + XSS)
    no_script_ran(page)
    timeline = page.locator("ol.timeline").inner_text()
    assert "Pause 0" in timeline and "200" in timeline and "https://api.example.test/user" in timeline
    shot(page, "dashboard-task-completed")
    assert manual.http.get("/api/v1/tasks/hand-1").json()["status"] == "completed"


def test_fork_from_a_past_pause_with_another_response(manual: Serve, page: Any) -> None:
    code = "const a = await (await fetch('https://x.test/a')).json();\n" \
           "const b = await (await fetch('https://x.test/b?' + a.v)).json();\n[a.v, b.v]"
    create(manual, id="orig-1", code=code)
    manual.http.post("/api/v1/tasks/orig-1/responses", json={"req-1": {"data": {"v": 1}}}).raise_for_status()
    manual.http.post("/api/v1/tasks/orig-1/responses", json={"req-2": {"data": {"v": 2}}}).raise_for_status()
    page.goto(manual.base + "/tasks/orig-1")
    pause = page.locator("#pause-0")
    pause.get_by_text("Fork from pause 0").click()
    assert pause.get_by_label("Request to answer").input_value() == "req-1"
    body = pause.get_by_label("Body", exact=True)
    assert json.loads(body.input_value()) == {"v": 1}  # the original answer, to edit
    body.fill('{"v": 40}')
    pause.get_by_label("New task id (optional)").fill("fork-1")
    shot(page, "dashboard-fork-form")
    pause.get_by_role("button", name="Start the forked task").click()
    page.wait_for_url(re.compile(r"/tasks/fork-1$"))
    assert page.locator("#task-status").inner_text() == "paused"
    assert page.get_by_role("article").filter(has_text="https://x.test/b?40").count() == 1
    pending = page.get_by_role("article")
    pending.get_by_text("Answer by hand").click()
    pending.get_by_label("Body", exact=True).fill('{"v": 2}')
    pending.get_by_role("button", name="Send this response").click()
    page.locator("#task-result").wait_for()
    assert json.loads(page.locator("#task-result").inner_text()) == [40, 2]
    assert manual.http.get("/api/v1/tasks/orig-1").json()["result"] == [1, 2]  # the original is untouched


def test_signal_and_cancel_buttons(manual: Serve, page: Any) -> None:
    wait = "const v = await waitForSignal('approve');\n'approved by ' + v.by"
    create(manual, id="sig-a", code=wait)
    create(manual, id="sig-b", code=wait)
    page.goto(manual.base + "/tasks/sig-a")
    assert page.get_by_label("Signal name").input_value() == "approve"
    page.get_by_label("Payload (JSON, optional)").fill('{"by": "ann"}')
    page.get_by_role("button", name="Send signal").click()
    page.locator("#task-status", has_text="completed").wait_for()
    assert page.locator("#task-result").inner_text() == '"approved by ann"'
    assert "approve" in page.locator("li.signal").inner_text()
    page.goto(manual.base + "/tasks/sig-b")
    page.get_by_label("Payload (JSON, optional)").fill("{not json")
    page.get_by_role("button", name="Send signal").click()
    assert "bad_json" in page.get_by_role("alert").inner_text()
    page.get_by_label("Reason (optional)").fill("not needed")
    page.get_by_role("button", name="Cancel task").click()
    page.locator("#task-status", has_text="cancelled").wait_for()
    assert "not needed" in page.locator("#task-error").inner_text()
    shot(page, "dashboard-cancelled")


def test_search_filters_counts_and_live_updates(manual: Serve, page: Any) -> None:
    create(manual, id="find-me-1", name="needle", code="1")
    create(manual, id="find-me-2", code="await waitForSignal('x')")
    page.goto(manual.base + "/")
    page.get_by_label("Search by id or name").fill("NEEDLE")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() == 1 and "find-me-1" in rows.inner_text()
    page.get_by_label("Search by id or name").fill("find-me")
    page.get_by_label("Status", exact=True).select_option("paused")
    page.get_by_role("button", name="Filter").click()
    assert rows.count() == 1 and "find-me-2" in rows.inner_text()
    page.get_by_role("navigation", name="Status filters").get_by_role(
        "link", name=re.compile("^completed")).click()
    page.wait_for_url(re.compile(r"status=completed"))
    assert "find-me-1" in rows.inner_text() and "find-me-2" not in rows.inner_text()
    counts = page.get_by_role("navigation", name="Status filters").inner_text()
    assert re.search(r"paused\s+\d+", counts) and re.search(r"completed\s+\d+", counts)
    create(manual, id="find-me-3", code="'late'")  # appears without a reload
    page.locator("table.tasks", has_text="find-me-3").wait_for()
    # Keyboard: the first task link is reachable with Tab and opens with Enter.
    page.goto(manual.base + "/?q=find-me-3")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "find-me-3":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tasks/find-me-3$"))


def test_task_page_follows_its_events_and_links_python_to_js(manual: Serve, page: Any) -> None:
    create(manual, id="live-1", code="const a = 1;\nconst v = await waitForSignal('go');\n`got ${v}`")
    page.goto(manual.base + "/tasks/live-1")
    page.wait_for_timeout(500)
    manual.http.post("/api/v1/tasks/live-1/signals/go", json={"payload": "it"}).raise_for_status()
    page.locator("#task-status", has_text="completed").wait_for()  # no reload: the event stream
    assert page.locator("#task-result").inner_text() == '"got it"'
    page.get_by_role("link", name="# L2").first.click()
    assert page.evaluate("location.hash") == "#js-L2"
    assert "waitForSignal" in page.locator("#js-L2").inner_text()
    assert page.evaluate("document.querySelector(':target').id") == "js-L2"


def test_worker_timeline_shows_requests_with_status_and_duration(api: Server, tmp_path: Path, page: Any) -> None:
    serve = Serve(f"sqlite://{tmp_path / 'tasks.db'}", "--allow-host", f"127.0.0.1:{api.port}")
    try:
        code = f"""const total = [];
for (let i = 0; i < 3; i++) {{
  const item = await (await fetch("{api.base}/items/" + i)).json();
  console.log("item", i, item.html);
  total.push(item.n);
}}
await new Promise(resolve => setTimeout(resolve, 300));
const approval = await waitForSignal("approve");
({{ total, approval }})"""
        create(serve, id="report-2026", name="nightly report", code=code, input={"day": "2026-12-06"})
        page.goto(serve.base + "/tasks/report-2026")
        page.locator("#pending-h").wait_for()
        page.locator("li.timer").wait_for()  # the worker performed the requests and fired the timer
        responses = page.locator("li.response")
        assert responses.count() == 3
        first = responses.first.inner_text()
        assert "200" in first and "GET" in first and f"{api.base}/items/0" in first and re.search(r"\d+ ms", first)
        responses.first.get_by_text("Response body").click()
        assert json.dumps(XSS) in responses.first.locator("pre.body").inner_text()
        no_script_ran(page)
        assert page.locator("li.console").count() == 3
        shot(page, "dashboard-timeline")
    finally:
        serve.stop()


def test_sign_in_with_api_keys(tmp_path: Path, page: Any) -> None:
    serve = Serve(f"sqlite://{tmp_path / 'tasks.db'}", "--workers", "0", "--api-key", "s3cret-key", keys=("s3cret-key",))
    try:
        create(serve, id="secret-task", code="await waitForSignal('x')")
        page.goto(serve.base + "/tasks/secret-task")
        page.wait_for_url(re.compile(r"/login\?next="))
        page.get_by_label("API key").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        assert page.get_by_role("heading", name="Sign in").count() == 1
        page.get_by_label("API key").fill("s3cret-key")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/tasks/secret-task$"))  # back where it was going
        cookie = page.context.cookies()[0]
        assert cookie["name"] == "seqflow_key" and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert page.evaluate("document.cookie") == ""
        page.get_by_role("button", name="Cancel task").click()
        page.locator("#task-status", has_text="cancelled").wait_for()
        # Another site's page cannot post with the cookie (and would not get it: SameSite=Strict).
        forged = httpx.post(serve.base + "/tasks/secret-task/cancel", data={"reason": "x"},
                            headers={"Origin": "http://evil.test", "Cookie": "seqflow_key=s3cret-key"})
        assert forged.status_code == 403 and forged.json()["code"] == "cross_origin"
        assert httpx.get(serve.base + "/tasks/secret-task", headers={"Cookie": "seqflow_key=nope"}).status_code == 303
        assert httpx.get(serve.base + "/api/v1/tasks", headers={"Cookie": "seqflow_key=s3cret-key"}).status_code == 200
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(re.compile(r"/login"))
        assert page.context.cookies() == []
    finally:
        serve.stop()

"""``AbortController``/``AbortSignal`` (WHATWG DOM 3.1, 3.2) and aborting a pending fetch, durably."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seqflow_runtime import FileStorage, MemoryStorage, create_flow
from seqflow_runtime.errors import ReplayDivergenceError, UnknownRequestError
from seqflow_runtime.replay import source_hash
from webcompare import NODE, FakeClock, run_node, run_seqflow

ROOT = Path(__file__).resolve().parents[2]
needs_node = pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")

SIGNALS = """
const out = [];
const c = new AbortController();
const events = [];
c.signal.addEventListener('abort', (e) => events.push(e.type + ':' + (e.target === c.signal)));
c.signal.onabort = () => events.push('onabort');
c.signal.addEventListener('abort', { handleEvent(e) { events.push('object ' + e.type); } });
const pending = fetch('https://api.example.com/slow', {signal: c.signal});
const r = await fetch('https://api.example.com/fast');
out.push(await r.text());
c.abort();
try { await pending; out.push('resolved'); } catch (e) { out.push(e.name, e.message, e instanceof DOMException, e.code); }
out.push(events, c.signal.aborted, c.signal.reason.name);
c.abort('again'); out.push(c.signal.reason.name);
const t = AbortSignal.timeout(20);
try { await fetch('https://api.example.com/slow2', {signal: t}); } catch (e) { out.push(e.name, e.message, t.reason.name); }
const pre = AbortSignal.abort('why');
try { await fetch('https://api.example.com/never', {signal: pre}); } catch (e) { out.push(e); }
const a = new AbortController(), b = new AbortController();
const any = AbortSignal.any([a.signal, b.signal]);
b.abort(new Error('b went'));
out.push(any.aborted, any.reason.message, a.signal.aborted, AbortSignal.any([pre]).reason);
try { any.throwIfAborted(); } catch (e) { out.push('thrown ' + e.message); }
for (const f of [() => new AbortSignal(), () => AbortController(), () => AbortSignal.any([1]),
                 () => AbortSignal.timeout(-1), () => fetch('https://a.example/', {signal: 1})]) {
  try { await f(); out.push('no error'); } catch (e) { out.push(e.name); }
}
out.push(Object.prototype.toString.call(c), Object.prototype.toString.call(c.signal), String(AbortSignal.abort().reason));
const once = new AbortController(); let n = 0; const l = () => n++;
once.signal.addEventListener('abort', l, {once: true}); once.signal.addEventListener('abort', l); once.abort(); out.push(n);
const removed = new AbortController(); removed.signal.addEventListener('abort', l); removed.signal.removeEventListener('abort', l);
removed.signal.onabort = l; removed.signal.onabort = null; removed.abort(); out.push(n, removed.signal.onabort);
return out;
"""
ANSWERS = [{"url": "https://api.example.com/slow", "hang": True},
           {"url": "https://api.example.com/fast", "body": "quick"},
           {"url": "https://api.example.com/slow2", "hang": True}]


@needs_node
def test_signals_like_node() -> None:
    assert run_seqflow(SIGNALS, ANSWERS) == run_node(SIGNALS, ANSWERS)


RACE = """
const c = new AbortController();
const slow = fetch('https://api.example.com/slow', {signal: c.signal}).then(r => r.text(), e => e.name);
const fast = await (await fetch('https://api.example.com/fast')).text();
c.abort();
const second = await (await fetch('https://api.example.com/after')).text();
return [fast, await slow, second];
"""


def test_abort_withdraws_the_request_the_caller_sees_hot_and_cold(tmp_path: Path) -> None:
    for hot in (True, False):
        storage = FileStorage(tmp_path / str(hot))
        flow = create_flow(storage)
        task = flow.execute(RACE, id="t")
        assert [r.url for r in task.fetch_requests] == ["https://api.example.com/slow", "https://api.example.com/fast"]
        slow_id = task.fetch_requests[0].id
        flow = flow if hot else create_flow(storage)
        task = flow.resume("t", responses={task.fetch_requests[1].id: {"body": "quick"}})
        # The program aborted the slow request: the task no longer waits on it.
        assert [r.url for r in task.fetch_requests] == ["https://api.example.com/after"]
        assert {"withdraw": slow_id} in task.vm_state["events"]
        with pytest.raises(UnknownRequestError, match="withdrawn"):
            (flow if hot else create_flow(storage)).resume("t", responses={slow_id: {"body": "late"}})
        task = (flow if hot else create_flow(storage)).resume("t", {"body": "next"})
        assert task.status == "completed" and task.result == ["quick", "AbortError", "next"]


def test_an_answer_in_the_same_resume_as_the_abort_is_dropped() -> None:
    flow = create_flow()
    task = flow.execute(RACE, id="t")
    slow, fast = (r.id for r in task.fetch_requests)
    task = flow.resume("t", responses={fast: {"body": "quick"}, slow: {"body": "too late"}})
    assert [r.url for r in task.fetch_requests] == ["https://api.example.com/after"]
    assert all(e.get("deliver") != slow for e in task.vm_state["events"])


def test_timeout_is_a_durable_timer() -> None:
    clock = FakeClock()
    storage = MemoryStorage()
    code = """
const signal = AbortSignal.timeout(5000);
try { await fetch('https://api.example.com/slow', {signal}); return 'answered'; }
catch (e) { return [e.name, signal.reason.name, signal.aborted]; }
"""
    task = create_flow(storage, clock=clock).execute(code, id="t")
    assert task.wake_at == pytest.approx(clock.now + 5) and len(task.fetch_requests) == 1
    clock.now += 5
    task = create_flow(storage, clock=clock).resume("t")  # cold: replays, then the timer fires
    assert task.status == "completed" and task.result == ["TimeoutError", "TimeoutError", True]
    assert task.fetch_requests == []


def test_a_url_and_a_controller_survive_a_resume_in_another_process(tmp_path: Path) -> None:
    code = """
const url = new URL('https://api.example.com/jobs');
const controller = new AbortController();
url.searchParams.set('state', 'open');
const watch = fetch('https://api.example.com/watch', {signal: controller.signal}).catch(e => e.name);
const jobs = await (await fetch(url)).json();
url.searchParams.append('after', jobs.at(-1));
controller.abort();
const more = await (await fetch(url)).json();
return [url.href, await watch, controller.signal.aborted, more.length];
"""
    task = create_flow(FileStorage(tmp_path)).execute(code, id="x")
    assert [r.url for r in task.fetch_requests] == ["https://api.example.com/watch",
                                                     "https://api.example.com/jobs?state=open"]
    script = f"""
import json
from seqflow_runtime import FileStorage, create_flow
flow = create_flow(FileStorage({str(tmp_path)!r}))
task = flow.resume("x", responses={{"req-2": {{"data": ["a", "b"]}}}})
print(json.dumps([r.url for r in task.fetch_requests]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["https://api.example.com/jobs?state=open&after=b"]
    task = create_flow(FileStorage(tmp_path)).resume("x", {"data": [1, 2, 3]})
    assert task.result == ["https://api.example.com/jobs?state=open&after=b", "AbortError", True, 3]


def test_replay_that_aborts_elsewhere_diverges() -> None:
    """A log whose withdrawal the program does not repeat is a divergence, never accepted."""
    storage = MemoryStorage()
    task = create_flow(storage).execute(RACE, id="t")
    task = create_flow(storage).resume("t", responses={task.fetch_requests[1].id: {"body": "quick"}})
    assert task.status == "paused"
    state = dict(task.vm_state)
    state["code"] = RACE.replace("c.abort();", "")
    state["codeHash"] = source_hash(state["code"], state["dialect"])
    with pytest.raises(ReplayDivergenceError):
        create_flow(unsafe_trust_unsigned_state=True).resume("t", {"body": "x"}, vm_state=state)


EVENTS = r"""
const out = [];
const t = new EventTarget();
const log = [];
const f = e => log.push(['f', e.type, e.target === t, e.defaultPrevented]);
t.addEventListener('ping', f); t.addEventListener('ping', f); t.addEventListener('ping', f, true);
t.addEventListener('ping', {handleEvent(e) { log.push(['obj', this !== t]); e.preventDefault(); }}, {once: true});
t.addEventListener('ping', null);
const e = new Event('ping', {cancelable: true});
out.push([e.type, e.bubbles, e.cancelable, e.composed, e.defaultPrevented, e.eventPhase, e.target, e.currentTarget,
          e.isTrusted, e.returnValue, e.cancelBubble, e.composedPath()]);
out.push(t.dispatchEvent(e), e.defaultPrevented, e.returnValue, e.eventPhase, e.currentTarget, e.target === t,
         e.srcElement === t, e.composedPath());
out.push(t.dispatchEvent(new Event('ping')));
t.removeEventListener('ping', f); t.removeEventListener('ping', f, {capture: true});
out.push(t.dispatchEvent(new Event('ping')), t.dispatchEvent(new Event('other')), log);
const s = new AbortController().signal;
out.push(s instanceof EventTarget, Object.getPrototypeOf(AbortSignal.prototype) === EventTarget.prototype,
         Object.hasOwn(AbortSignal.prototype, 'addEventListener'), Object.getOwnPropertyNames(EventTarget.prototype),
         [Event.NONE, Event.AT_TARGET, Event.BUBBLING_PHASE], Event.length, EventTarget.length);
const one = new EventTarget(); let phase;
one.addEventListener('z', ev => { phase = [ev.eventPhase, ev.currentTarget === one, ev.composedPath().length]; });
one.dispatchEvent(new Event('z')); out.push(phase);
for (const bad of [() => new Event(), () => Event('x'), () => EventTarget.prototype.addEventListener.call({}, 'x', f),
                   () => t.dispatchEvent({type: 'x'}), () => t.addEventListener('x'), () => new Event('x', 5)]) {
  try { bad(); out.push('no error'); } catch (err) { out.push(err.name); }
}
const plain = new Event('x'); plain.preventDefault(); plain.returnValue = false; out.push(plain.defaultPrevented);
const order = [];
t.addEventListener('o', () => order.push(1));
t.addEventListener('o', ev => { order.push(2); ev.stopImmediatePropagation(); });
t.addEventListener('o', () => order.push(3));
t.dispatchEvent(new Event('o'));
out.push(order);
const c = new AbortController(); const seen = [];
c.signal.addEventListener('abort', ev => seen.push([ev.type, ev instanceof Event, ev.target === c.signal, ev.isTrusted,
                                                   ev.eventPhase, ev.cancelable]));
c.signal.onabort = ev => seen.push('on'); c.signal.addEventListener('abort', () => seen.push('after'));
c.abort(); c.abort(); out.push(seen, typeof c.signal.onabort);
out.push(Object.prototype.toString.call(new Event('a')), Object.prototype.toString.call(t), Object.keys(new Event('a')),
         JSON.stringify(new Event('a')));
class Custom extends EventTarget { fire() { return this.dispatchEvent(new Event('go', {cancelable: true})); } }
const custom = new Custom(); custom.addEventListener('go', ev => ev.preventDefault());
out.push(custom.fire(), custom instanceof EventTarget);
return out;
"""


@needs_node
def test_event_target_and_event_like_node() -> None:
    assert run_seqflow(EVENTS, []) == run_node(EVENTS, [])


def test_event_target_without_node() -> None:
    out = run_seqflow(EVENTS, [])["result"]
    assert out[1:9] == [False, True, False, 0, None, True, True, []]
    assert out[-2:] == [False, True]


def test_dispatch_follows_the_dom_standard_where_node_does_not() -> None:
    """Node runs a listener added during a dispatch in that same dispatch, keeps ``currentTarget`` only for
    the first listener, and throws a plain Error on a nested dispatch of one event; the DOM standard
    (and browsers) do as these results say."""
    code = r"""
const t = new EventTarget(), order = [];
const late = () => order.push('late');
const second = () => order.push('removed before its turn');
t.addEventListener('p', () => { order.push('adds'); t.addEventListener('p', late); t.removeEventListener('p', second); });
t.addEventListener('p', second);
t.addEventListener('p', e => order.push([e.currentTarget === t, e.eventPhase]));
t.dispatchEvent(new Event('p')); t.dispatchEvent(new Event('p'));
let inner = 'none';
t.addEventListener('n', ev => { try { t.dispatchEvent(ev); } catch (err) { inner = [err.name, err instanceof DOMException]; } });
t.dispatchEvent(new Event('n'));
return [order, inner];
"""
    assert run_seqflow(code, [])["result"] == [
        ["adds", [True, 2], "adds", [True, 2], "late"], ["InvalidStateError", True]]

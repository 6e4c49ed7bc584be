"""Hostile scripts against the limits: each ends with the exact limit error, in bounded time,
and the host stays intact.

Scripts that would hurt the host if a limit failed (memory, CPU without end) run in a
subprocess with a timeout and an address-space cap (``RLIMIT_AS``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime import Limits, create_flow
from seqflow_runtime.js.regexp_syntax import CACHE_MAX_CHARS, compile_js_regexp

ROOT = Path(__file__).resolve().parent.parent
SMALL = Limits(max_steps=200_000, max_run_seconds=10)


def limit_of(task: Any) -> tuple[str, str | None, str | None]:
    """(status, error code, limit) of a finished task."""
    details = task.error_details or {}
    return task.status, details.get("code"), details.get("limit")


def run_isolated(code: str, limits: str = "Limits()", memory_mb: int = 2048, timeout: float = 90,
                 after: str = "") -> dict[str, Any]:
    """Execute ``code`` in a fresh process with an address-space cap; its task as a dict."""
    script = textwrap.dedent(f"""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} << 20, {memory_mb} << 20))
        from seqflow_runtime import Limits, create_flow
        task = create_flow(limits={limits}).execute(sys.stdin.read())
        {after}
        print(json.dumps({{"status": task.status, "result": task.result, "details": task.error_details}}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], input=code, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    out: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    out["stderr"] = proc.stderr
    return out


def assert_limit(out: dict[str, Any], limit: str) -> None:
    details = out["details"] or {}
    assert (out["status"], details.get("code"), details.get("limit")) == ("error", "limit_exceeded", limit), out
    assert details["name"] == "RangeError" and limit in details["message"] or "limit" in details["message"]


# -- 1. limits are per realm ------------------------------------------------------------------


def test_two_threads_each_see_their_own_string_limit() -> None:
    tight = create_flow(limits=Limits(max_string_length=1000))
    loose = create_flow()
    code = "let s = 'x'; try { for (let i = 0; i < 11; i++) s = s + s; s.length } catch (e) { e.name }"
    results: dict[str, list[Any]] = {"tight": [], "loose": []}
    barrier = threading.Barrier(2)

    def race(name: str, flow: Any) -> None:
        barrier.wait()
        for _ in range(150):
            results[name].append(flow.execute(code).result)

    threads = [threading.Thread(target=race, args=("tight", tight)), threading.Thread(target=race, args=("loose", loose))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["tight"] == ["RangeError"] * 150
    assert results["loose"] == [2048] * 150


def test_two_threads_each_see_their_own_array_limit() -> None:
    tight = create_flow(limits=Limits(max_array_length=100))
    loose = create_flow()
    code = "const a = []; try { a[5000] = 1; a.length } catch (e) { e.name }"
    results: dict[str, set[Any]] = {"tight": set(), "loose": set()}

    def race(name: str, flow: Any) -> None:
        for _ in range(150):
            results[name].add(flow.execute(code).result)

    threads = [threading.Thread(target=race, args=("tight", tight)), threading.Thread(target=race, args=("loose", loose))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"tight": {"RangeError"}, "loose": {5001}}


# -- 2. a limit once hit ends the task -----------------------------------------------------------


@pytest.mark.parametrize("code", [
    "try { while (true) {} } finally { return 'x' }",
    "try { while (true) {} } finally { for (;;) {} }",
    "async function f() { try { while (true) {} } catch (e) { return 'caught' } finally { return 'y' } }\n"
    "await f()",
    "function* g() { try { while (true) {} } finally { return 'z' } }\ng().next().value",
    "let n = 0; try { while (true) n++ } finally { console.log('after', n) }",
])
def test_a_finally_cannot_swallow_the_step_limit(code: str) -> None:
    task = create_flow(limits=SMALL).execute(code)
    assert limit_of(task) == ("error", "limit_exceeded", "max_steps")
    assert not any("after" in entry["message"] for entry in task.logs)


def test_a_swallowed_limit_names_its_line() -> None:
    task = create_flow(limits=SMALL).execute("let x = 1;\ntry { while (true) {} } finally { return 'x' }")
    assert task.error == "RangeError: Step limit exceeded (200000 steps) (line 2)"


def test_the_first_limit_wins() -> None:
    code = "try { while (true) {} } finally { let s = 'x'; for (;;) s += s }"
    task = create_flow(limits=SMALL).execute(code)
    assert limit_of(task) == ("error", "limit_exceeded", "max_steps")


def test_ctrl_c_reaches_the_host_through_a_guest_finally() -> None:
    script = textwrap.dedent("""
        import os, signal, threading
        from seqflow_runtime import Limits, create_flow
        threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        try:
            task = create_flow(limits=Limits(max_steps=10**12, max_run_seconds=60)).execute(
                "try { while (true) {} } finally { return 'swallowed' }")
            print("TASK", task.status, task.result)
        except KeyboardInterrupt:
            print("INTERRUPTED")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.strip() == "INTERRUPTED", proc.stdout + proc.stderr


# -- 3. work that spends no steps of its own ----------------------------------------------------


@pytest.mark.parametrize("code", [
    "Promise.resolve().then(function f() { return Promise.resolve().then(f) }); await new Promise(() => {})",
    "function f() { queueMicrotask(f) } f(); await new Promise(() => {})",
    "const t = { then(resolve) { resolve(t) } }; await t",
    "async function f() { await null; return f() } await f()",
    "const p = new Proxy({}, { getPrototypeOf() { return p } }); for (const k in p) {}",
    "const p = new Proxy({}, { getPrototypeOf() { return p } }); p instanceof Array",
    "const p = new Proxy({}, { getPrototypeOf() { return p } }); Object.prototype.isPrototypeOf.call(Array.prototype, p)",
])
def test_work_without_loops_spends_the_budget(code: str) -> None:
    # Fewer steps and more time than SMALL: async recursion costs more per step as it deepens,
    # and the step limit (not the clock) must be what stops it, even on a loaded machine.
    task = create_flow(limits=Limits(max_steps=50_000, max_run_seconds=60)).execute(code)
    assert limit_of(task) == ("error", "limit_exceeded", "max_steps")


def test_an_interval_at_delay_zero_spends_the_budget() -> None:
    now = [1_700_000_000.0]

    def clock() -> float:
        now[0] += 0.01
        return now[0]

    task = create_flow(limits=SMALL, clock=clock).execute(
        "setInterval(() => {}, 0); await new Promise(() => {})")
    assert limit_of(task)[:2] == ("error", "limit_exceeded")
    assert limit_of(task)[2] in ("max_steps", "max_clock_reads")


def test_a_cyclic_prototype_is_a_type_error() -> None:
    task = create_flow(limits=SMALL).execute(
        "try { Object.setPrototypeOf(Object.prototype, Object.create(Object.prototype)) } catch (e) { e.name + ': ' + e.message }")
    assert task.result == "TypeError: Cyclic __proto__ value"


def test_a_result_that_shares_its_nodes_is_bounded() -> None:
    task = create_flow(limits=Limits(max_result_nodes=10_000)).execute(
        "let a = []; for (let i = 0; i < 40; i++) a = [a, a]; a")
    assert limit_of(task) == ("error", "limit_exceeded", "max_result_nodes")
    small = create_flow(limits=Limits(max_result_nodes=10_000)).execute(
        "let a = []; for (let i = 0; i < 5; i++) a = [a, a]; a")
    assert small.status == "completed" and small.result[0][0][0][0] == [[], []]


def test_a_huge_console_line_is_cut() -> None:
    task = create_flow().execute("console.log('x'.repeat(1e7)); console.log('next'); 1")
    assert task.status == "completed"
    first = task.logs[0]["message"]
    assert len(first) < 70_000 and first.endswith("more characters]")
    assert task.logs[1]["message"] == "next"


def test_replace_that_doubles_a_string_hits_the_size_limit() -> None:
    task = create_flow(limits=Limits(max_string_length=1 << 20)).execute(
        "let s = 'ab'; for (;;) s = s.replace(/a/g, 'aa$`')")
    assert task.status == "error" and task.error_details["name"] == "RangeError"
    assert task.error_details["message"] == "Invalid string length"


def test_catastrophic_backtracking_is_interrupted() -> None:
    out = run_isolated("/^(a|a)*$/.test('a'.repeat(40) + '!')", "Limits(max_run_seconds=1)", timeout=60)
    assert_limit(out, "max_run_seconds")


def test_common_catastrophic_pattern_is_fast() -> None:
    task = create_flow(limits=Limits(max_run_seconds=5)).execute("/^(a+)+$/.test('a'.repeat(30) + '!')")
    assert (task.status, task.result) == ("completed", False)


# -- 4. wall-clock time ------------------------------------------------------------------------


def test_the_run_time_limit_stops_a_loop() -> None:
    task = create_flow(limits=Limits(max_run_seconds=0.5)).execute("for (;;) {}")
    assert limit_of(task) == ("error", "limit_exceeded", "max_run_seconds")
    assert task.error == "RangeError: Run time limit exceeded (0.5 s) (line 1)"


# -- 5. memory ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [
    "const a = []; for (;;) a.push(new Array(1e6).fill(0))",
    "const a = []; for (let i = 0;; i++) a.push('x'.repeat(1 << 22) + i)",
    "const a = []; for (;;) a.push({x: 1})",
    "const a = []; for (let i = 0;; i++) a[i] = [i]",
])
def test_memory_is_bounded(code: str) -> None:
    out = run_isolated(code, "Limits(max_memory_bytes=64 << 20, max_run_seconds=60)", memory_mb=1024)
    assert_limit(out, "max_memory_bytes")


def test_memory_churn_is_not_charged() -> None:
    code = """
      let n = 0;
      for (let i = 0; i < 200; i++) { const a = new Array(1e5).fill(i); n += a.length }
      let s = ''; for (let i = 0; i < 20000; i++) s += 'abcdefgh';
      n + s.length
    """
    task = create_flow(limits=Limits(max_memory_bytes=16 << 20)).execute(code)
    assert (task.status, task.result) == ("completed", 200 * 100_000 + 160_000)


def test_encode_uri_expansion_is_refused_before_it_is_built() -> None:
    out = run_isolated("try { encodeURI('\\uffff'.repeat(1 << 24)).length } catch (e) { e.name + ': ' + e.message }",
                       "Limits(max_string_length=1 << 26)", memory_mb=1024)
    assert out["result"] == "RangeError: Invalid string length"


def test_clock_readings_are_capped_per_run() -> None:
    task = create_flow(limits=Limits(max_clock_reads=1000)).execute("for (;;) Date.now()")
    assert limit_of(task) == ("error", "limit_exceeded", "max_clock_reads")
    assert len(json.dumps(task.vm_state)) < 100_000


# -- 6. process-wide caches --------------------------------------------------------------------


def test_regexp_caches_keep_only_short_patterns() -> None:
    short = "a(b)c"
    assert compile_js_regexp(short, "g") is compile_js_regexp(short, "g")
    long = "x" * (CACHE_MAX_CHARS + 1)
    assert compile_js_regexp(long, "") is not compile_js_regexp(long, "")


# -- 7. guest code after its task ----------------------------------------------------------------


def test_no_guest_code_runs_after_the_task_ends() -> None:
    code = """
      globalThis.log = [];
      function* g() { try { yield 1 } finally { log.push('gen'); console.log('gen finally'); for (;;) {} } }
      async function f() { try { await new Promise(() => {}) } finally { console.log('async finally') } }
      const it = g(); it.next(); f();
      'done'
    """
    after = "import gc; gc.collect(); print(json.dumps(task.logs), file=sys.stderr)"
    out = run_isolated(code, after=after)
    assert (out["status"], out["result"]) == ("completed", "done")
    assert out["stderr"].strip() == "[]"


def test_an_error_task_runs_no_guest_code_later() -> None:
    code = """
      function* g() { try { yield 1 } finally { console.log('late'); while (true) {} } }
      const it = g(); it.next();
      throw new Error('boom')
    """
    out = run_isolated(code, after="import gc; gc.collect()")
    assert out["status"] == "error" and out["details"]["message"] == "boom"
    assert out["stderr"] == ""


# -- 8. the step budget is per run -------------------------------------------------------------------


STEPS_AROUND_A_FETCH = """
  let n = 0;
  for (let i = 0; i < 600; i++) n++;
  const r = await fetch('https://x.example/a');
  for (let i = 0; i < 600; i++) n++;
  n
"""


def test_replayed_steps_do_not_count_again_hot_and_cold() -> None:
    limits = Limits(max_steps=1000)
    hot = create_flow(limits=limits)
    task = hot.execute(STEPS_AROUND_A_FETCH)
    assert task.status == "paused"
    assert hot.resume(task.id, fetch_response={"data": 1}).result == 1200
    storage = hot.storage
    task = hot.execute(STEPS_AROUND_A_FETCH)
    cold = create_flow(storage=storage, limits=limits)
    assert cold.resume(task.id, fetch_response={"data": 1}).result == 1200


def test_a_single_run_still_spends_its_budget() -> None:
    task = create_flow(limits=Limits(max_steps=1000)).execute(
        "let n = 0; for (let i = 0; i < 1200; i++) n++; n")
    assert limit_of(task) == ("error", "limit_exceeded", "max_steps")


def test_many_replayed_segments_pass() -> None:
    code = "let n = 0; for (let k = 0; k < 5; k++) { for (let i = 0; i < 600; i++) n++; await fetch('https://x.example/' + k) } n"
    flow = create_flow(limits=Limits(max_steps=1000))
    task = flow.execute(code)
    for _ in range(5):
        task = create_flow(storage=flow.storage, limits=Limits(max_steps=1000)).resume(task.id, fetch_response={})
    assert (task.status, task.result) == ("completed", 3000)


def test_sigint_handler_is_restored() -> None:
    create_flow().execute("1")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ended_task_leaves_nothing_alive() -> None:
    import gc
    import weakref

    from seqflow_runtime.js.guard import running_guard

    from seqflow_runtime.js.runtime import Runtime

    before = {id(o) for o in gc.get_objects() if type(o) is Runtime}
    flow = create_flow()
    task = flow.execute("globalThis.big = 'x'.repeat(1 << 20); 1")
    assert task.status == "completed" and running_guard() is None
    execution_refs = [weakref.ref(o) for o in gc.get_objects() if type(o) is Runtime and id(o) not in before]
    assert execution_refs
    del flow, task
    gc.collect()
    assert all(ref() is None for ref in execution_refs)


def test_typed_loops_still_spend_the_step_budget() -> None:
    # Locals the transpiler knows to be numbers and booleans run on Python's operators; their loops still tick.
    code = ("function spin() { let x = 0.5; let i = 0; let go = true;"
            " while (go && x < 2.0) { x = x * 1.0; i += 1; if (i < 0) go = false; } return i; } spin()")
    task = create_flow(limits=SMALL).execute(code)
    assert limit_of(task) == ("error", "limit_exceeded", "max_steps")

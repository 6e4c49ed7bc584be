"""The hostile-script corpus: scripts written to break the sandbox, one per class of attack.

Every script runs in a child process capped at 2 GB of address space
(``RLIMIT_AS``) and a timeout; scripts that are cheap share a child, scripts
that spend memory get one each. Each case asserts its exact outcome (status,
error name, ``code``, ``limit``, or the value), that it ended within its time
bound, and that nothing reached the host: no untyped Python exception out of
``execute``/``resume``, no Python traceback on stderr, no Python text in an
error message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The address-space cap of every child (the host the corpus must leave intact).
MEMORY_CAP_MB = 2048


@dataclass
class Case:
    """One hostile script and what must come of it."""

    name: str
    code: str
    #: ``Limits(...)`` keyword arguments for its flow.
    limits: dict[str, Any] = field(default_factory=dict)
    #: The expected task fields: ``status``, ``result``, and ``error_details`` keys (``name``, ``code``, ``limit``).
    expect: dict[str, Any] = field(default_factory=dict)
    #: Seconds the whole case may take (transpile, run, result conversion).
    seconds: float = 10.0
    dialect: str = "standard"
    #: How the child runs it: ``execute`` or one of the scenarios in ``_CHILD``.
    kind: str = "execute"
    #: Runs in a child of its own (it spends memory or time on purpose).
    alone: bool = False
    #: The most resident memory (MB) its child may reach (only for a case ``alone``).
    peak_mb: int = 0


STEPS = {"max_steps": 100_000, "max_run_seconds": 20}


def limit(name: str) -> dict[str, Any]:
    """The outcome of a task stopped by limit ``name``."""
    return {"status": "error", "name": "RangeError", "code": "limit_exceeded", "limit": name}


def value(result: Any) -> dict[str, Any]:
    """The outcome of a task that completed with ``result``."""
    return {"status": "completed", "result": result}


TOO_COMPLEX = {"status": "error", "name": "SyntaxError", "code": "too_complex"}

CASES: list[Case] = [
    # -- generated code that is not valid Python, or not the same program ---------------------
    Case("python-keywords-as-globals",
         "var out = []; for (const k of ['None', 'True', 'async', 'match', 'lambda', '__class__', 'rt'])"
         " { globalThis[k] = k.length; out.push(eval0(k)) } function eval0(k) { return new Function('return ' + k)() }"
         " out.push(typeof None, None + True); out", expect=value([4, 4, 5, 5, 6, 9, 2, "number", 8])),
    Case("python-keywords-as-bindings",
         "function f(None, True, print, self) { let match = None + True; var type = print; return [match, type, self] }"
         " const { async: as, await: aw = 3 } = { async: 1 }; [f(1, 2, 3, 4), as, aw]",
         expect=value([[3, 3, 4], 1, 3])),
    Case("python-keywords-in-the-sequential-dialect",
         "var None = fetch('https://x.example/a'); None.status", dialect="sequential",
         expect={"status": "paused"}),
    Case("nested-25-loops-and-tries",
         "var n = 0;\n" + "".join(f"L{i}: for (let i{i} = 0; i{i} < 2; i{i}++) {{ try {{\n" for i in range(25))
         + "n++; if (n === 3) continue L2; if (n === 7) break L0;\n" + "} finally { n += 0 } }\n" * 25 + "n",
         expect=value(7)),
    Case("nested-100-statements-mixed",
         "var n = 0, s = '';\n" + "".join(
             ("if (n >= 0) {", "while (n < 50) {", "try {", "switch (n % 2) { default: {", "B: {")[i % 5]
             .replace("B:", f"B{i}:") for i in range(100))
         + "n++; s += n; if (n > 4) break B4;\n"
         + "".join(("}", "}", "} finally { s += '.' }", "} }", "}")[i % 5] for i in range(99, -1, -1)) + "\n[n, s.length, s.slice(0, 12)]",
         expect=value([50, 1015, "1.2.3.4.5..."])),
    Case("parentheses-5000", "(" * 5000 + "1" + ")" * 5000, expect=TOO_COMPLEX),
    Case("ifs-3000", "var n = 0;" + "if (n >= 0) {" * 3000 + "n++" + "}" * 3000, expect=TOO_COMPLEX),
    Case("calls-250", "function f(x) { return x }\n" + "f(" * 250 + "0" + ")" * 250, expect=TOO_COMPLEX),
    Case("plus-chain-300", "var a = 1; " + " + ".join(["a"] * 300), expect=value(300)),
    Case("literals-that-look-like-markers",
         "var s = 'a  # L2\\n__L1_1__\\u2028b\\u2029' + `x\\n  # L9 ${1 + 1}\\r\\n`; [s, s.length]",
         expect=value(["a  # L2\n__L1_1__\u2028b\u2029x\n  # L9 2\r\n", 31])),
    Case("duplicate-parameters-and-super-in-literals",
         "function f(a, a) { return a }\nconst base = { m() { return 'b' } };\n"
         "const o = { __proto__: base, m() { return super.m() + 'o' } };\n[f(1, 2), o.m()]",
         expect=value([2, "bo"])),
    Case("new-target-at-top-level", "new.target", expect={"status": "error", "name": "SyntaxError",
                                                          "code": "syntax_error"}),
    Case("break-in-a-function-body", "try { Function('break') } catch (e) { e.name }", expect=value("SyntaxError")),
    Case("timers-infinity-nan",
         "const out = []; setTimeout(() => out.push('inf'), Infinity); setTimeout(() => out.push('nan'), NaN);"
         " clearTimeout(NaN); clearTimeout(Infinity); clearTimeout({});"
         " await new Promise((r) => setTimeout(r, 5)); out", expect={"status": "paused"}),
    # Node's rule: a delay past 2**31-1 ms becomes 1 ms, so the task either pauses on that timer or, when
    # the millisecond has passed before the loop goes idle (a loaded machine), wakes in the same run.
    Case("timer-far-in-the-future",
         "await new Promise((r) => setTimeout(r, 1e300)); 'woke'", expect={"status": ("paused", "completed")}),
    # -- limits that do not hold ------------------------------------------------------------------
    Case("limits-stay-in-their-thread", "", kind="threads",
         expect=value({"tight": ["RangeError"], "loose": [5000]})),
    Case("finally-returns-after-the-step-limit", "try { while (true) {} } finally { return 'x' }",
         limits=STEPS, expect=limit("max_steps")),
    Case("catch-swallows-the-step-limit",
         "let n = 0; for (;;) { try { for (;;) n++ } catch (e) { n = -1 } }", limits=STEPS,
         expect=limit("max_steps")),
    Case("generator-finally-loops-after-the-limit",
         "function* g() { try { while (true) yield } finally { for (;;) {} } }\n"
         "const it = g(); it.next(); for (;;) {}", limits=STEPS, expect=limit("max_steps")),
    Case("microtask-chain",
         "Promise.resolve().then(function f() { return Promise.resolve().then(f) }); await new Promise(() => {})",
         limits=STEPS, expect=limit("max_steps"), seconds=30),
    Case("queue-microtask-loop", "function f() { queueMicrotask(f) } f(); await new Promise(() => {})",
         limits=STEPS, expect=limit("max_steps")),
    Case("thenable-loop", "const t = { then(resolve) { resolve(t) } }; await t", limits=STEPS,
         expect=limit("max_steps")),
    # A durable timer never sleeps in the run: the task pauses until the next firing is due.
    Case("set-interval-zero", "setInterval(() => {}, 0); await new Promise(() => {})", limits=STEPS,
         expect={"status": "paused"}),
    Case("proxy-prototype-cycle",
         "const p = new Proxy({}, { getPrototypeOf() { return p } }); for (const k in p) {}", limits=STEPS,
         expect=limit("max_steps")),
    Case("proxy-cycle-instanceof",
         "const p = new Proxy({}, { getPrototypeOf() { return p } }); p instanceof Array", limits=STEPS,
         expect=limit("max_steps")),
    Case("async-recursion", "async function f() { await null; return f() } await f()", limits=STEPS,
         expect=limit("max_steps"), seconds=30),
    Case("sync-recursion", "function f() { return f() } f()",
         expect={"status": "error", "name": "RangeError", "code": "guest_error"}),
    Case("result-dag", "let a = []; for (let i = 0; i < 60; i++) a = [a, a]; a",
         limits={"max_result_nodes": 100_000}, expect=limit("max_result_nodes")),
    Case("huge-console-line", "console.log('x'.repeat(5e7)); for (let i = 0; i < 1e4; i++) console.log('y'.repeat(1e3)); 1",
         expect=value(1), seconds=20),
    Case("replace-doubling", "let s = 'ab'; for (;;) s = s.replace(/a/g, 'aa$`')",
         limits={"max_string_length": 1 << 20}, expect={"status": "error", "name": "RangeError", "code": "guest_error"}),
    Case("catastrophic-regex", "/^(a|a)*$/.test('a'.repeat(40) + '!')", limits={"max_run_seconds": 1},
         expect=limit("max_run_seconds"), seconds=10),
    Case("catastrophic-regex-nested-plus", "/^(a+)+$/.test('a'.repeat(34) + '!')", limits={"max_run_seconds": 1},
         expect={"status": ("completed", "error")}, seconds=10),
    Case("endless-loop-wall-clock", "for (;;) {}", limits={"max_steps": 10 ** 12, "max_run_seconds": 1},
         expect=limit("max_run_seconds"), seconds=10),
    Case("clock-read-loop", "for (;;) Date.now()", limits={"max_clock_reads": 1000},
         expect=limit("max_clock_reads")),
    # -- memory -----------------------------------------------------------------------------------
    Case("memory-max-size-arrays", "const a = []; for (;;) a.push(new Array(1e6).fill(0))",
         limits={"max_memory_bytes": 64 << 20, "max_run_seconds": 60}, expect=limit("max_memory_bytes"),
         alone=True, seconds=60, peak_mb=512),
    Case("memory-strings", "const a = []; for (let i = 0;; i++) a.push('x'.repeat(1 << 22) + i)",
         limits={"max_memory_bytes": 64 << 20, "max_run_seconds": 60}, expect=limit("max_memory_bytes"),
         alone=True, seconds=60, peak_mb=512),
    Case("memory-small-objects", "const a = []; for (;;) a.push({ x: 1 })",
         limits={"max_memory_bytes": 32 << 20, "max_run_seconds": 60}, expect=limit("max_memory_bytes"),
         alone=True, seconds=60, peak_mb=512),
    Case("memory-map-growth", "const m = new Map(); for (let i = 0;; i++) m.set(i, [i])",
         limits={"max_memory_bytes": 32 << 20, "max_run_seconds": 60}, expect=limit("max_memory_bytes"),
         alone=True, seconds=60, peak_mb=512),
    Case("memory-bind-chain-names", "let f = () => 1; for (let i = 0; i < 1e5; i++) f = f.bind(null)",
         limits={"max_memory_bytes": 32 << 20, "max_run_seconds": 60}, expect=limit("max_memory_bytes"),
         alone=True, seconds=60, peak_mb=512),
    Case("memory-encode-uri", "try { encodeURI('\\uffff'.repeat(1 << 24)).length } catch (e) { e.name }",
         limits={"max_string_length": 1 << 26}, expect=value("RangeError"), alone=True, seconds=60),
    # The densest source (a token every 2 bytes) just under the source limit, and just over it.
    Case("huge-source", "var a = [" + "1," * 32_000 + "];\na.length", limits={"max_source_bytes": 65_536},
         expect=value(32_000), alone=True, seconds=15, peak_mb=400),
    Case("source-over-the-limit", "var a = [" + "1," * 33_000 + "];\na.length", limits={"max_source_bytes": 65_536},
         expect={"status": "raised", "code": "bad_arguments"}),
    # -- guest code after its task ----------------------------------------------------------------
    Case("generator-finally-after-the-task",
         "function* g() { try { yield 1 } finally { console.log('late'); for (;;) {} } }\n"
         "async function f() { try { await new Promise(() => {}) } finally { console.log('late async') } }\n"
         "const it = g(); it.next(); f(); 'done'", kind="collect", expect=value("done")),
    # -- forged state -----------------------------------------------------------------------------
    Case("forged-vm-state", "const r = await fetch('https://x.example/me'); r.status", kind="forged",
         expect=value({"unsigned": "unsigned_state", "tampered": "tampered_state", "other_task": "tampered_state"})),
    # -- errors that say too much -----------------------------------------------------------------
    Case("error-texts-name-no-python",
         "const out = []; for (const f of [() => null.x, () => undefined(), () => new (class { #p; m(o) { return o.#p } })().m({}),"
         " () => BigInt(1.5), () => [].reduce((a, b) => a), () => new Array(-1), () => Symbol() + '',"
         " () => JSON.parse('{'), () => structuredClone(() => 1), () => ''.repeat(-1)])"
         " try { f() } catch (e) { out.push(e.name + ': ' + e.message) } out", kind="texts",
         expect={"status": "completed"}),
]

_CHILD = r"""
import gc, io, json, resource, sys, threading, time
resource.setrlimit(resource.RLIMIT_AS, (CAP << 20, CAP << 20))
from seqflow_runtime import Limits, create_flow
from seqflow_runtime.errors import SeqflowError

def peak_mb():
    # VmHWM is this program's own peak (ru_maxrss would count the parent's from before exec).
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) >> 10 for line in status if line.startswith("VmHWM"))

def outcome(task):
    details = task.error_details or {}
    return {"status": task.status, "result": task.result, "error": task.error,
            "name": details.get("name"), "code": details.get("code"), "limit": details.get("limit"),
            "message": details.get("message"), "logs": len(task.logs)}

def threads(case):
    code = "let s = 'x'; try { for (let i = 0; i < 5000; i++) s = s + 'y'; s.length - 1 } catch (e) { e.name }"
    tight, loose = create_flow(limits=Limits(max_string_length=1000)), create_flow()
    seen = {"tight": set(), "loose": set()}
    barrier = threading.Barrier(2)
    def race(name, flow):
        barrier.wait()
        for _ in range(30):
            seen[name].add(flow.execute(code).result)
    workers = [threading.Thread(target=race, args=item) for item in (("tight", tight), ("loose", loose))]
    for w in workers: w.start()
    for w in workers: w.join()
    return {"status": "completed", "result": {k: sorted(v) for k, v in seen.items()}}

def forged(case):
    flow = create_flow()
    task = flow.execute(case["code"], id="t")
    out = {}
    state = dict(task.vm_state)
    try:
        flow.resume("t", fetch_response={"data": 1}, vm_state=state)
    except SeqflowError as exc:
        out["unsigned"] = exc.code
    signer = create_flow(secret="s3cret")
    signed = signer.execute(case["code"], id="t").vm_state
    other = create_flow(secret="s3cret")
    altered = dict(signed, code=signed["code"].replace("me", "admin"))
    for key, args in (("tampered", ("t", altered)), ("other_task", ("u", signed))):
        try:
            other.resume(args[0], fetch_response={"data": 1}, vm_state=args[1])
        except SeqflowError as exc:
            out[key] = exc.code
    return {"status": "completed", "result": out}

def collect(case):
    task = create_flow(limits=Limits(**case["limits"])).execute(case["code"])
    before = len(task.logs)
    gc.collect()
    result = outcome(task)
    result["logs_after"] = len(task.logs) - before
    return result

def texts(case):
    task = create_flow().execute(case["code"])
    return outcome(task)

for case in json.loads(sys.stdin.read()):
    start = time.monotonic()
    try:
        if case["kind"] == "execute":
            task = create_flow(limits=Limits(**case["limits"])).execute(case["code"], dialect=case["dialect"])
            result = outcome(task)
        else:
            result = globals()[case["kind"]](case)
    except SeqflowError as exc:
        result = {"status": "raised", "code": exc.code, "error": str(exc)}
    except BaseException as exc:
        result = {"status": "host-exception", "error": type(exc).__name__ + ": " + str(exc)[:500]}
    result["seconds"] = time.monotonic() - start
    result["peak_mb"] = peak_mb()
    print(json.dumps({**result, "case": case["name"]}, default=repr), flush=True)
"""


def run_children(cases: list[Case]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Run ``cases`` in capped children (a shared one, and one per ``alone`` case)."""
    groups = [[c for c in cases if not c.alone]] + [[c] for c in cases if c.alone]
    outcomes: dict[str, dict[str, Any]] = {}
    stderr: dict[str, str] = {}
    child = textwrap.dedent(_CHILD).replace("CAP", str(MEMORY_CAP_MB))

    def run(group: list[Case]) -> tuple[list[str], str]:
        payload = json.dumps([{"name": c.name, "code": c.code, "limits": c.limits, "dialect": c.dialect,
                               "kind": c.kind} for c in group])
        try:
            proc = subprocess.run([sys.executable, "-c", child], input=payload, capture_output=True, text=True,
                                  timeout=sum(c.seconds for c in group) + 30,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            return out.splitlines(), "[child timed out]"
        tail = f"\n[child exited with {proc.returncode}]" if proc.returncode != 0 else ""
        return proc.stdout.splitlines(), proc.stderr + tail

    # The shared child and the memory children run side by side (each is capped).
    with ThreadPoolExecutor(max_workers=3) as pool:
        finished = list(pool.map(run, groups))
    for group, (lines, err) in zip(groups, finished):
        for line in lines:
            row = json.loads(line)
            outcomes[row["case"]] = row
        for c in group:
            stderr[c.name] = err
    return outcomes, stderr


@pytest.fixture(scope="module")
def corpus() -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Every case's outcome in its child, and the child's stderr."""
    return run_children(CASES)


#: Python detail an error message must never show.
PYTHON_TEXT = ("Traceback", "<seqflow:", "NoneType", "object has no attribute", "AttributeError", "KeyError",
               "ValueError", "OverflowError", "UnboundLocalError", "rt.", "_exc", "File \"")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_script(case: Case, corpus: tuple[dict[str, dict[str, Any]], dict[str, str]]) -> None:
    outcomes, stderr = corpus
    assert case.name in outcomes, f"the child never reported the case: {stderr[case.name][-3000:]}"
    got = outcomes[case.name]
    if case.expect.get("status") != "raised":
        assert got["status"] not in ("host-exception", "raised"), got
    for key, expected in case.expect.items():
        if isinstance(expected, tuple):
            assert got[key] in expected, (key, got)
        else:
            assert got[key] == expected, (key, got)
    assert got["seconds"] < case.seconds, got
    if case.peak_mb:
        assert got["peak_mb"] < case.peak_mb, got
    assert "Traceback" not in stderr[case.name], stderr[case.name][-3000:]
    for text in (got.get("error") or "", got.get("message") or ""):
        assert not any(p in text for p in PYTHON_TEXT), text
    if case.kind == "collect":
        assert got["logs"] == 0 and got["logs_after"] == 0
    if case.kind == "texts":
        assert all(not any(p in line for p in PYTHON_TEXT) for line in got["result"]), got["result"]

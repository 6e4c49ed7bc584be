"""Deeply nested statements run as JavaScript (CPython compiles at most 20 nested blocks).

Each program nests loops, ``try``, ``if``, ``switch`` and labeled blocks 25, 40
and 100 levels deep, jumps to outer labels, returns, awaits and yields from the
innermost level; Node (the oracle) runs the same programs. Deep expressions that
Python cannot compile end as a ``too_complex`` JS SyntaxError.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from seqflow_runtime import FileStorage, create_flow
from seqflow_transpile import transpile
from seqflow_transpile.errors import TooComplexError
from elsewhere import resume_elsewhere
from node_oracle import node_results as oracle_results
from tests.jsrun import JSFailure, run_js

DEPTHS = (25, 40, 100)
#: Every kind of statement that nests, in the order ``nest`` cycles through them.
KINDS = ("for", "while", "try", "if", "switch", "block", "forof", "dowhile")
LOOPS = ("for", "while", "forof", "dowhile")


def layer(kind: str, i: int, inner: str) -> str:
    """Statement ``kind`` at level ``i`` wrapped around ``inner`` (loops carry the label ``L<i>``)."""
    return {
        "for": f"L{i}: for (let a{i} = 0; a{i} < 2; a{i}++) {{ {inner} }}",
        "closure": f"L{i}: for (let a{i} = 0; a{i} < 2; a{i}++) {{ fs.push(() => a{i}); {inner} }}",
        "while": f"{{ let w{i} = 0; L{i}: while (w{i}++ < 2) {{ {inner} }} }}",
        "dowhile": f"{{ var d{i} = 0; L{i}: do {{ {inner} }} while (++d{i} < 2) }}",
        "forof": f"L{i}: for (const o{i} of [1, 2]) {{ {inner} }}",
        "try": f"try {{ {inner} }} catch (e{i}) {{ log('c{i}:' + e{i}); if (e{i} % 3 === 0) throw e{i} + 1 }}"
               f" finally {{ log('f{i}') }}",
        "if": f"if (n >= 0) {{ let x{i} = {i}; {inner} }} else {{ log('never') }}",
        "switch": f"switch (n % 3) {{ case 0: log('s{i}'); case 1: {{ {inner} }} break; default: log('d{i}') }}",
        "block": f"B{i}: {{ {inner}; if (n > 1000) break B{i}; log('after{i}') }}",
    }[kind]


def nest(depth: int, core: Callable[[list[int]], str], kinds: tuple[str, ...] = KINDS, offset: int = 0) -> str:
    """``depth`` nested statements around ``core(loop levels)``."""
    plan = [kinds[(i + offset) % len(kinds)] for i in range(depth)]
    code = core([i for i, kind in enumerate(plan) if kind in LOOPS + ("closure",)])
    for i in range(depth - 1, -1, -1):
        code = layer(plan[i], i, code)
    return code


PRELUDE = "var n = 0, out = [], fs = []; function log(s) { out.push(s) }\n"


def jumps(loops: list[int]) -> str:
    """Continue and break to outer, middle and inner labels, throw and return from the core."""
    outer, mid, inner = loops[0], loops[len(loops) // 2], loops[-1]
    return (f"n++; log('core' + n); if (n % 5 === 1) continue L{mid}; if (n % 7 === 2) continue L{inner};"
            f" if (n % 11 === 3) throw n; if (n > 40) break L{outer}; if (n === 30) return 'early ' + n;")


def cases() -> dict[str, str]:
    """Every program, by name: each evaluates to its result (a sloppy script run by ``vm``)."""
    out: dict[str, str] = {}
    for d in DEPTHS:
        for offset in (0, 3, 6):
            body = nest(d, jumps, offset=offset)
            out[f"jumps{d}_{offset}"] = (PRELUDE + "(function () { const r = (() => { " + body + " return 'end' })();"
                                         " return [r, n, out.join()] })()")
        top = nest(d, lambda loops: jumps(loops).replace("if (n === 30) return 'early ' + n;", "'value ' + n;"),
                   offset=1)
        out[f"script{d}"] = PRELUDE + top  # the script's completion value comes from deep inside
        gen = nest(d, lambda loops: f"n++; const got = yield n; log('got' + got); if (n > 3) break L{loops[0]};",
                   offset=2)
        out[f"generator{d}"] = PRELUDE + (
            "(function () { function* g() { try { " + gen + " yield 'after' } finally { log('finally') } }\n"
            "const it = g(); const seen = [it.next().value, it.next('a').value, it.next('b').value,"
            " it.return('stop'), it.next()]; return [seen, out] })()")
        wait = nest(d, lambda loops: f"n++; const v = await Promise.resolve(n * 10); log('v' + v);"
                    f" if (n > 3) break L{loops[0]}; if (n === 3) continue L{loops[-1]};", offset=1)
        out[f"await{d}"] = PRELUDE + "(async function () { " + wait + " return [n, out.join()] })()"
        scoping = nest(d, lambda loops: f"n++; var deep = this.k + arguments[0]; let x0 = 'inner';"
                       f" fs.push(() => x0 + deep); if (n > 2) break L{loops[0]};", offset=2)
        out[f"scoping{d}"] = PRELUDE + (
            "(function () { const o = { k: 5, m: function (a) { let x0 = 'outer'; " + scoping +
            " return [deep, x0, typeof d7, n, fs.map(f => f()).join()] } }; return o.m(100) })()")
        ret = nest(d, lambda loops: "n++; if (n === 2) return 'ret' + n;", ("try", "for", "if", "while"))
        out[f"return{d}"] = PRELUDE + "(function () { const v = (function () { " + ret + " return 'end' })(); return [v, out.join()] })()"
        ctor = nest(d, lambda loops: f"if (!made) {{ super(n); made = true }} n++; if (n > 2) break L{loops[0]};",
                    offset=4)
        static = nest(d, lambda loops: f"n++; this.count = n; if (n > 2) break L{loops[0]};", offset=4)
        out[f"class{d}"] = PRELUDE + (
            "(function () { class A { constructor(v) { this.v = v } } class B extends A { constructor() { let made = false; "
            + ctor + " this.w = n } static { " + static + " } } const b = new B(); return [b.v, b.w, B.count, n] })()")
        switch = nest(d, lambda loops: f"switch (n++) {{ case 0: log('zero'); case 1: log('one'); break; case 2: var two = 2;"
                      f" default: log('other') }} if (n > 3) break L{loops[0]};", offset=6)
        out[f"switch{d}"] = PRELUDE + "(function () { " + switch + " return [two, out.join()] })()"
    # Loops whose bindings closures capture run as a function per iteration: each is a nested Python def.
    for d in (25, 40):
        closures = nest(d, lambda loops: f"n++; fs.push(() => n); if (n % 2) continue L{loops[0]};"
                        f" if (n > 6) break L{loops[1]};", ("closure",))
        out[f"closures{d}"] = PRELUDE + "(function () { " + closures + " return [n, fs.length, fs[3]()] })()"
    every_tenth = nest(100, lambda loops: f"n++; fs.push(() => n); if (n % 2) continue L{loops[0]};"
                       f" if (n > 6) break L{loops[1]};", ("if",) * 9 + ("closure",))
    out["closures_every_tenth100"] = PRELUDE + "(function () { " + every_tenth + " return [n, fs.length] })()"
    return out


CASES = cases()

@pytest.fixture(scope="module")
def node_results() -> dict[str, Any]:
    """Every case's result on Node, as ``[0, value]`` (or ``[1, error]``)."""
    return oracle_results(CASES, "script")


@pytest.mark.parametrize("name", list(CASES))
def test_deep_statements_run_as_in_node(name: str, node_results: dict[str, Any]) -> None:
    expected = node_results[name]
    try:
        ours = [0, run_js(CASES[name])]
    except JSFailure as failure:
        ours = [1, failure.error.text]
    if expected[0] == 1:
        # Only the class cases end in an error (no `super()` ran before `this`): the name is JS's.
        assert ours[0] == 1 and ours[1].split(":")[0] == expected[1].split(":")[0], ours
    else:
        assert json.loads(json.dumps(ours)) == expected


def test_twenty_five_nested_loops_and_tries_without_node() -> None:
    # Values computed with Node 20.
    loops = "var n = 0;\n" + "".join(f"L{i}: for (let i{i} = 0; i{i} < 2; i{i}++) {{\n" for i in range(25)) + \
        "n++; if (n === 3) continue L3; if (n === 9) break L0;\n" + "}\n" * 25 + "n"
    assert run_js(loops) == 9
    tries = "var log = [];\n" + "".join(f"try {{ log.push({i});\n" for i in range(25)) + "throw 'x';\n" + \
        "".join(f"}} catch (e) {{ log.push('c{i}'); throw e + {i} }} finally {{ log.push('f{i}') }}\n"
                for i in range(24, -1, -1))
    task = create_flow().execute(tries)
    assert task.status == "error" and task.error_details is not None
    assert task.error_details["message"] == "x" + "".join(str(i) for i in range(24, -1, -1))


def test_hoisted_statements_read_as_helper_functions() -> None:
    source = "var n = 0;\nouter: for (;;) {\n" + "while (n < 100) {\n" * 20 + "n++; continue outer;\n" + \
        "}\n" * 20 + "}"
    python = transpile(source).python_source
    assert "def _nested():" in python
    assert "return 'continue outer'" in python
    assert "== 'continue outer':" in python
    # Normal programs are written as before: no helper.
    assert "_nested" not in transpile("for (let i = 0; i < 3; i++) { if (i) { while (false) {} } }").python_source


def test_a_deep_await_pauses_and_resumes_cold_in_another_process(tmp_path: Path) -> None:
    core = ("const r = await fetch('https://api.example.com/item/' + n); const v = (await r.json()).v;"
            " log(v); n++; if (n === 2) continue L{inner}; if (n > 3) break L{outer};")
    source = PRELUDE + nest(40, lambda loops: core.format(outer=loops[0], inner=loops[-1]), offset=1) + \
        "\nout.join()"
    flow = create_flow(storage=FileStorage(tmp_path))
    task = flow.execute(source, id="deep")
    assert task.status == "paused" and task.fetch_request is not None
    urls = []
    while task.status == "paused":
        assert task.fetch_request is not None
        url = task.fetch_request.url
        urls.append(url)
        outcome = resume_elsewhere(tmp_path, "deep", {"data": {"v": "v" + url[-1]}})
        status, result, error = outcome["status"], outcome["result"], outcome["error"]
        task = create_flow(storage=FileStorage(tmp_path)).get_task("deep")
    assert (status, error) == ("completed", None)
    assert urls == [f"https://api.example.com/item/{i}" for i in range(4)]
    # Node, with a fetch that answers the same: the switches' and finallys' logs around the fetches.
    assert result == "s3,s11,s19,s27,s35,v0,v1,v2,v3,f33,f25,f17,f9,f1"


@pytest.mark.parametrize("source", [
    "(" * 5000 + "1" + ")" * 5000,
    "var x = [" + "[" * 3000 + "]" * 3000 + "]",
    "function f(x) { return x }\n" + "f(" * 250 + "0" + ")" * 250,
    "var n = 0;" + "if (n >= 0) {" * 3000 + "n++" + "}" * 3000,
    "var n = 0;" + "(() => {" * 120 + "n++" + "})()" * 120,
])
def test_what_python_cannot_compile_is_a_too_complex_syntax_error(source: str) -> None:
    with pytest.raises(TooComplexError) as info:
        transpile(source)
    assert info.value.code == "too_complex"
    task = create_flow().execute(source)
    assert task.status == "error" and task.error_details is not None
    assert task.error_details["code"] == "too_complex" and task.error_details["name"] == "SyntaxError"


def test_realistic_deep_expressions_run() -> None:
    assert run_js("function f(x) { return x + 1 }\n" + "f(" * 100 + "0" + ")" * 100) == 100
    assert run_js("JSON.stringify(" + "[" * 100 + "1" + "]" * 100 + ").length") == 201
    assert run_js("var n = 0;" + "if (n >= 0) {" * 300 + "n++" + "}" * 300 + "; n") == 1
    assert run_js("var n = 0;" + "(function () {" * 40 + "n++" + "})()" * 40 + "; n") == 1


# -- the helper machinery at ordinary depth: loop bodies that closures capture -------------------


@pytest.mark.parametrize(("source", "expected"), [
    # Values computed with Node 20.
    ("var r = []; out: for (let i of [1, 2, 3]) { for (let j of [1, 2]) { r.push(() => i + j);"
     " if (j == 1) continue out; } } r.map(f => f())", [2, 3, 4]),
    ("var r = []; out: for (let i = 0; i < 3; i++) { r.push(() => i); for (let j = 0; j < 3; j++) {"
     " r.push(() => j); if (j == 1) break out; } } r.map(f => f())", [0, 0, 1]),
    ("function* g() { out: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { const f = () => i + j;"
     " yield f(); if (j == 1) continue out; } } } [...g()]", [0, 1, 1, 2, 2, 3]),
    ("async function f() { out: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) {"
     " const g = () => i * j; await null; if (j == 1) continue out; if (i == 2) return g(); } } } await f()", 0),
    # A labeled jump across two inner loops, then the outer loop goes on.
    ("var r = []; outer: for (var k = 0; k < 3; k++) { for (var a = 0; a < 2; a++) { for (var b = 0; b < 2; b++) {"
     " r.push(k); if (k == 0) continue outer; if (k == 1) break outer; } } } r", [0, 1]),
    ("for (let i = 0; i < 3; i++) { let f = () => i; 'v' + f() }", "v2"),
    ("class A { constructor(v) { this.v = v } } class B extends A { constructor(k) { for (let i = 0; i < 2; i++) {"
     " let x = () => i; if (i == k) super(i) } } } var r = []; for (const k of [1, 5]) try { r.push(new B(k).v) }"
     " catch (e) { r.push(e.name) } r", [1, "ReferenceError"]),
])
def test_jumps_and_values_leave_loop_bodies_run_per_iteration(source: str, expected: Any) -> None:
    assert run_js(source) == expected


@pytest.mark.parametrize("source", ["new.target", "(() => new.target)()"])
def test_new_target_outside_functions_is_a_js_syntax_error(source: str) -> None:
    assert run_js(f"typeof Function({source!r})()") == "undefined"  # a function body may read it
    task = create_flow().execute(source)
    assert task.error_details is not None
    assert (task.error_details["name"], task.error_details["code"]) == ("SyntaxError", "syntax_error")

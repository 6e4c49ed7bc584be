"""Hostile shapes for the code generator: every valid script compiles and runs as JavaScript.

Expected values were computed with Node 20 (``vm.runInThisContext``) when the
tables were written; a failure is always a JS error with a stable code, never a
Python exception out of the transpiler or ``Flow.execute``.
"""

from __future__ import annotations

import io
import json
import tokenize
from pathlib import Path

import pytest

from seqflow_runtime import Task, create_flow
from seqflow_transpile import transpile
from tests.jsrun import run_js

# -- 1. identifiers that are Python keywords, singletons or the generator's own names ------

#: JS identifiers that mean something to Python or to the generated code.
NAMES = [
    "None", "True", "False", "async", "await", "match", "_", "type", "print", "rt",
    "main", "lambda", "yield", "static", "__class__", "__init__", "__dict__",
    "__builtins__", "__name__", "self", "def", "del", "pass", "is", "not", "and", "or", "elif",
    "except", "raise", "nonlocal", "from", "as", "exec", "args",
    "new_target", "this_", "undefined_", "_t1", "_result1", "_fn", "__L2_1__", "x_2", "S_",
    "u0024", "HOLE", "Throw", "globals", "get",
]
#: Each line of the name script and what Node's ``out`` gains from it (NAME is substituted).
_NAME_LINES: list[tuple[str, list[object]]] = [
    ("try { NAME; out.push('no error') } catch (e) { out.push(e.name + ': ' + e.message) }",
     ["ReferenceError: NAME is not defined"]),
    ("out.push(typeof NAME);", ["undefined"]),
    ("globalThis.NAME = 1; out.push(NAME);", [1]),
    ("NAME = 2; out.push(globalThis.NAME, delete globalThis.NAME, typeof NAME);", [2, True, "undefined"]),
    ("out.push((function () { var NAME = 3; NAME += 0; return NAME })());", [3]),
    ("out.push((function (NAME) { return NAME })(4));", [4]),
    ("out.push((function (a, NAME) { return () => NAME + a })(1, 4)());", [5]),
    ("var o = { NAME: 6 }; out.push(o.NAME, o['NAME'], 'NAME' in o);", [6, 6, True]),
    ("out.push((function () { var NAME = 7; return { NAME } })().NAME);", [7]),
    ("out.push((function ({ NAME }) { return NAME })({ NAME: 8 }));", [8]),
    ("out.push((function ([NAME = 9]) { return NAME })([]));", [9]),
    ("out.push({ NAME() { return 10 } }.NAME());", [10]),
    ("out.push(new Function('NAME', 'return NAME')(11));", [11]),
    ("out.push(Function('NAME', 'return typeof NAME')());", ["undefined"]),
    ("try { throw 12 } catch (NAME) { out.push(NAME) }", [12]),
    ("out.push((function () { function NAME() { return 13 } return NAME() })());", [13]),
    ("out.push((function () { var f = function NAME() { return typeof NAME }; return f() })());",
     ["function"]),
    ("NAME: for (var i = 0; i < 2; i++) { continue NAME }", []),
    # Strict code (class bodies) and `let` declarations cannot bind yield, let, static.
    ("out.push((function () { let NAME = 14; { let NAME = 15; } return NAME })());", [14]),
    ("out.push((function () { class NAME { m() { return 16 } } return new NAME().m() })());", [16]),
    ("out.push((function () { var fs = []; for (let NAME = 0; NAME < 2; NAME++) fs.push(() => NAME);"
     " return fs[0]() + fs[1]() })());", [1]),
]
#: Lines left out per name: the strict ones for names strict code reserves, and what
#: esprima 4 rejects although Node accepts (``{ async }``/``{ yield }`` shorthand and
#: patterns, a ``yield:`` label, and ``let`` as a binding name almost anywhere):
#: a parser gap, reported as syntax_error, nothing the generator can fix.
_SKIPPED: dict[str, list[int]] = {
    "async": [8],
    "yield": [8, 9, 17, 18, 19, 20],
    "static": [18, 19, 20],
}


def _lines_for(name: str) -> list[tuple[str, list[object]]]:
    skipped = _SKIPPED.get(name, [])
    return [line for i, line in enumerate(_NAME_LINES) if i not in skipped]


def name_script(name: str) -> str:
    """A script using ``name`` as a global, local, parameter, property, pattern and more."""
    body = "\n".join(code for code, _ in _lines_for(name))
    return ("var out = [];\n" + body + "\nout").replace("NAME", name)


def name_expected(name: str) -> list[object]:
    """What Node gives for :func:`name_script`."""
    return [
        v.replace("NAME", name) if isinstance(v, str) else v
        for _, values in _lines_for(name) for v in values
    ]


@pytest.mark.parametrize("name", NAMES)
def test_python_flavoured_identifiers_behave_as_in_javascript(name: str) -> None:
    assert run_js(name_script(name)) == name_expected(name)


@pytest.mark.parametrize("name", ["None", "True", "_", "rt", "main", "__class__", "lambda", "await"])
def test_python_flavoured_identifiers_in_the_sequential_dialect(name: str) -> None:
    assert run_js(name_script(name), dialect="sequential") == name_expected(name)


def test_await_is_an_identifier_in_a_sloppy_script_without_top_level_await() -> None:
    assert run_js("var await = 4;\nawait + 1") == 5
    assert run_js("var r = await Promise.resolve(2); r") == 2


def test_undefined_nan_infinity_as_local_names() -> None:
    source = """
    function f(undefined, NaN, Infinity) { return [undefined, NaN, Infinity] }
    (function () { var undefined = 1; return [f(2, 3, 4), undefined, typeof globalThis.undefined] })()
    """
    assert run_js(source) == [[2, 3, 4], 1, "undefined"]


# -- 3. string literals come back exactly, whatever they contain --------------------------

DATA = Path(__file__).parent / "data"


def test_string_and_template_literals_survive_rendering() -> None:
    # Literals that look like line markers (`# L2`, `__L2_1__`), hold every JS line
    # terminator, triple quotes and lone surrogates; long enough that a renderer
    # would like to write them triple-quoted over several lines.
    source = (DATA / "string_literals.js").read_text(encoding="utf-8")
    expected = json.loads((DATA / "string_literals.node.json").read_text(encoding="utf-8"))
    assert json.loads(run_js(source)) == expected
    python = transpile(source).python_source
    tokens = tokenize.generate_tokens(io.StringIO(python).readline)
    strings = [t for t in tokens if t.type == tokenize.STRING]
    assert strings and all(t.start[0] == t.end[0] for t in strings)  # none spans lines


def test_line_comments_stay_outside_string_literals() -> None:
    python = transpile("var s = 'x  # L7\\n' + '__L1_1__';\ns").python_source
    assert "rt.add('x  # L7\\n', '__L1_1__')  # L1" in python


# -- 5. timers clamp their delay as Node does -----------------------------------------------


def run_timers(code: str) -> Task:
    """Run ``code`` to the end on a fake clock, waking each timer exactly when it is due."""
    now = [1_700_000_000.0]
    flow = create_flow(clock=lambda: now[0])
    task = flow.execute(code)
    for _ in range(100):
        if task.status != "paused":
            return task
        assert task.wake_at is not None and not task.fetch_requests
        now[0] = max(now[0], task.wake_at)
        task = flow.resume(task.id)
    raise AssertionError("the timers never finished")


def test_timer_delays_clamp_like_node() -> None:
    # Node: a delay outside [1, 2**31 - 1] (NaN, negative, 0, huge, Infinity, a non-number)
    # is 1 ms, so those fire in the order they were set, before '3', 5 and 20.
    task = run_timers("""
    const out = [];
    const log = (x) => () => out.push(x);
    setTimeout(log('20'), 20);
    setTimeout(log('Infinity'), Infinity);
    setTimeout(log('-5'), -5);
    setTimeout(log('NaN'), NaN);
    setTimeout(log('5'), 5);
    setTimeout(log('0'), 0);
    setTimeout(log('1e300'), 1e300);
    setTimeout(log('2**31'), 2 ** 31);
    setTimeout(log("'3'"), '3');
    setTimeout(log('undefined'));
    setTimeout(log('{}'), {});
    const gone = setTimeout(log('cleared by string id'), 1);
    clearTimeout(String(gone));
    for (const v of [NaN, {}, undefined, null, 'x', -1, 1e300, Infinity, 0.5, []]) clearTimeout(v);
    await new Promise((resolve) => setTimeout(resolve, 60));
    out
    """)
    assert task.status == "completed", task.error
    assert task.result == ["Infinity", "-5", "NaN", "0", "1e300", "2**31", "undefined", "{}", "'3'", "5", "20"]
    warnings = [e["message"] for e in task.logs if e["level"] == "warn"]
    assert warnings == [
        f"TimeoutOverflowWarning: {v} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1."
        for v in ("Infinity", "1e+300", "2147483648")
    ]


def test_huge_interval_repeats_every_millisecond_and_far_timers_pause() -> None:
    task = run_timers("""
    let n = 0;
    const iv = setInterval(() => { if (++n === 3) clearInterval(iv) }, 2 ** 40);
    await new Promise((resolve) => setTimeout(resolve, 10));
    n
    """)
    assert task.status == "completed" and task.result == 3
    far = create_flow(clock=lambda: 1_700_000_000.0).execute(
        "await new Promise((r) => setTimeout(r, 2 ** 31 - 1)); 1")
    assert far.status == "paused" and far.wake_at == 1_700_000_000.0 + (2**31 - 1) / 1000


def test_fractional_delays_wake_at_a_due_time() -> None:
    task = run_timers("await new Promise((r) => setTimeout(r, 1.7)); 'woke'")
    assert task.status == "completed" and task.result == "woke"


def test_a_symbol_delay_is_a_js_type_error() -> None:
    task = create_flow().execute("try { setTimeout(() => 0, Symbol()) } catch (e) { e.name }")
    assert task.result == "TypeError"


# -- 2. deep nesting compiles, or ends as a too_complex JS SyntaxError -----------------------


def test_long_binary_chains_keep_js_evaluation_order() -> None:
    # valueOf runs between operand evaluations exactly as JS orders them.
    terms = " + ".join(f"v({i})" for i in range(300))
    source = f"""
    var seen = [];
    function v(i) {{ seen.push('eval ' + i); return {{ valueOf() {{ seen.push('conv ' + i); return i }} }} }}
    var total = {terms};
    [total, seen.slice(0, 7).join(), seen.length]
    """
    assert run_js(source) == [44850, "eval 0,eval 1,conv 0,conv 1,eval 2,conv 2,eval 3", 600]
    assert run_js("var a = 1; " + " + ".join(["a"] * 10_000)) == 10_000
    assert run_js("var s = 'x'; " + " < ".join(["s"] * 100)) is False


# -- 4. duplicate parameters, super in object literals, odd Function bodies ----------------


def test_duplicate_parameters_in_sloppy_functions_last_wins() -> None:
    source = """
    function f(a, a) { return a }
    function g(a, b, a) { return [a, b, arguments.length, arguments[0]] }
    function h(x, x, x) { x = 9; return x }
    [f(1, 2), f(1), g(1, 2, 3), g(1, 2), h(1, 2, 3), f.length, g.length]
    """
    assert run_js(source) == [2, None, [3, 2, 3, 1], [None, 2, 2, 1], 9, 2, 3]
    assert run_js("Function('a', 'a', 'return a')(1, 2)") == 2
    strict = "try { Function('a', 'a', '\"use strict\"; return a') } catch (e) { e.name }"
    assert run_js(strict) == "SyntaxError"


def test_super_in_object_literal_methods() -> None:
    source = """
    const base = { m() { return 'b' + this.n }, x: 1, get g() { return this.x } };
    const a = { __proto__: base, n: 1, m() { return super.m() + 'a' } };
    const b = { n: 2, m() { return super.m() + 'b' } };
    Object.setPrototypeOf(b, base);
    const c = { __proto__: base, x: 5, get g() { return super.g * 10 }, f() { return () => super.x } };
    function make(n) { return { __proto__: base, n, m() { return super.m() + '!' } } }
    const d = { m() { return super.toString === Object.prototype.toString } };
    [a.m(), b.m(), c.g, c.f()(), make(3).m(), make(4).m(), d.m()]
    """
    assert run_js(source) == ["b1a", "b2b", 50, 1, "b3!", "b4!", True]


def test_super_outside_a_method_is_a_js_syntax_error() -> None:
    # The parser's wording (Node says "'super' keyword unexpected here"); the name is what JS fixes.
    message = run_js("try { Function('return super.x') } catch (e) { e.name + ': ' + e.message }")
    assert message.startswith("SyntaxError: ") and "super" in message
    assert run_js("class B { m() { return 'B' } }\n"
                  "class A extends B { m() { return (() => super.m() + 'A')() } }\nnew A().m()") == "BA"


def test_odd_jumps_in_function_bodies_are_js_syntax_errors() -> None:
    for body in ("break", "continue", "x: { continue x }", "}); (function () {", "return 1 } {"):
        source = f"try {{ Function({body!r}); 'compiled' }} catch (e) {{ e.name }}"
        assert run_js(source) == "SyntaxError", body
    assert run_js("Function('a', 'for (;;) { if (a) break; return 1 } return 2')(true)") == 2


def test_functions_that_fall_off_the_end_return_undefined_not_null() -> None:
    # Node: every one is undefined (a Python function's implicit None would be null).
    source = """
    function f() { 1 }
    const o = { m() {}, get x() {}, set x(v) {} };
    class A { m() { if (false) return 1 } static s() {} }
    async function a() {}
    function* g() { yield 1 }
    const it = g(); it.next();
    [f(), (() => {})(), (function () {})(), o.m(), o.x, new A().m(), A.s(), await a(), it.next().value,
     [1].map(x => { x })[0]].map(v => v === undefined ? 'undefined' : typeof v)
    """
    assert run_js(source) == ["undefined"] * 10

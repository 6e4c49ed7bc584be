"""The sandbox: guest code reaches nothing in Python, and every escape ends as a JS error or a limit."""

from __future__ import annotations

import pytest

from jsrun import evaluate, js_error, run_js
from seqflow_runtime import create_flow
from seqflow_runtime.js.convert import to_python
from seqflow_runtime.limits import Limits
from seqflow_transpile import transpile

PYTHON_NAMES = ["__class__", "__dict__", "__globals__", "__code__", "__builtins__", "__import__",
                "__subclasses__", "__base__", "__mro__", "gi_frame", "f_globals", "__reduce__"]


@pytest.mark.parametrize("name", PYTHON_NAMES)
def test_python_attribute_names_are_just_js_properties(name: str) -> None:
    source = f"""
    const targets = [{{}}, [], function () {{}}, 'str', 1, true, Symbol('s'), new Error('e'), Promise.resolve(),
                     globalThis, Object, Function.prototype, (function* () {{}})()];
    targets.map(t => typeof t['{name}'])
    """
    assert set(run_js(source)) == {"undefined"}


def test_constructor_chains_stay_in_js() -> None:
    assert run_js("({}).constructor.constructor('return this')() === globalThis") is True
    assert run_js("[].map.constructor('return typeof rt')()") == "undefined"
    assert run_js("(() => {}).constructor('return typeof __builtins__')()") == "undefined"
    assert js_error("Function('return __import__')()").name == "ReferenceError"
    assert js_error("Function('return process')()").message == "process is not defined"
    # eval runs JavaScript, never Python (more in test_eval_with.py).
    assert run_js("eval('1 + 1')") == 2
    assert js_error("eval('__import__')").message == "__import__ is not defined"


def test_reserved_python_names_as_js_identifiers() -> None:
    assert run_js("var rt = 41; rt + 1") == 42
    assert run_js("var __builtins__ = 'b'; __builtins__") == "b"
    assert run_js("(function () { var undefined = 5; return undefined })()") == 5
    assert run_js("const main = 1, self = 2, None = 3, lambda = 4; main + self + None + lambda") == 10
    assert run_js("const $ = 1, $$ = 2, _ = 3, \\u0061bc = 4; $ + $$ + _ + abc") == 10
    assert run_js("function __init__() { return 'ok' } __init__()") == "ok"


def test_generated_code_never_turns_js_names_into_python_attributes() -> None:
    source = transpile("const o = {}; o.__class__ = 1; o.__globals__; globalThis.__import__").python_source
    assert "'__class__'" in source and "'__globals__'" in source
    assert ".__class__" not in source and ".__globals__" not in source and ".__import__" not in source
    assert "rt.get_global('__import__')" not in source or "rt.get(" in source


def test_prototype_pollution_stays_in_its_realm() -> None:
    polluter = """
    Array.prototype.push = function () { return 'hacked' };
    Object.prototype.polluted = 'yes';
    delete Array.prototype.constructor;
    String.prototype.toUpperCase = () => 'nope';
    JSON.stringify = () => 'x';
    [[].push(1), ({}).polluted, 'a'.toUpperCase()]
    """
    assert run_js(polluter) == ["hacked", "yes", "nope"]
    clean = "[[].push(1), ({}).polluted, [].constructor === Array, 'a'.toUpperCase(), JSON.stringify([1])]"
    assert run_js(clean) == [1, None, True, "A", "[1]"]
    rt_a, _ = evaluate("Object.prototype.x = 1; 0")
    rt_b, value = evaluate("({}).x")
    assert to_python(rt_b, value) is None
    assert rt_a.ObjectPrototype is not rt_b.ObjectPrototype


def test_pollution_does_not_cross_tasks_of_one_flow() -> None:
    flow = create_flow()
    flow.execute("Object.prototype.evil = 1; Array.prototype.map = null; 0")
    task = flow.execute("[typeof ({}).evil, [1, 2].map(x => x * 2)]")
    assert task.result == ["undefined", [2, 4]]


def test_huge_strings_end_as_range_errors() -> None:
    assert js_error("'x'.repeat(2 ** 30)").name == "RangeError"
    err = js_error("let s = 'xy'; while (true) s += s;")
    assert (err.name, err.message) == ("RangeError", "Invalid string length")
    assert run_js("let s = 'ab'; try { while (true) s = s + s } catch (e) { e.name }") == "RangeError"
    small = Limits(max_string_length=1000)
    assert js_error("'a'.padEnd(5000)", small).name == "RangeError"
    assert js_error("`${'a'.repeat(600)}${'b'.repeat(600)}`", small).name == "RangeError"


def test_huge_arrays_end_as_range_errors() -> None:
    assert js_error("new Array(2 ** 32)").name == "RangeError"
    small = Limits(max_array_length=1000)
    assert js_error("const a = []; a[5000] = 1", small).name == "RangeError"
    assert js_error("const a = []; a.length = 5000", small).name == "RangeError"
    assert js_error("const a = []; for (let i = 0; i < 2000; i++) a.push(i)", small).name == "RangeError"


@pytest.mark.parametrize("source", [
    "while (true) {}",
    "for (;;) { try { } catch (e) { } }",
    "while (true) { try { while (true) {} } catch (e) {} finally { } }",
    "function f(n) { return n ? f(n - 1) + f(n - 1) : 1 } f(60)",
    "const a = [1]; while (true) a.map(x => x)",
    "function* g() { while (true) yield 1 } for (const x of g()) {}",
    "label: do { continue label } while (true)",
])
def test_runaway_code_hits_the_step_limit(source: str) -> None:
    err = js_error(source, Limits(max_steps=20_000))
    assert err.code == "limit_exceeded"
    assert err.extra == {"limit": "max_steps"}


def test_runaway_recursion_is_a_catchable_range_error() -> None:
    assert js_error("function f() { return f() } f()").message == "Maximum call stack size exceeded"
    assert run_js("function f() { return f() } try { f() } catch (e) { e instanceof RangeError }") is True
    assert run_js("const o = {get x() { return this.x }}; try { o.x } catch (e) { e.name }") == "RangeError"
    assert run_js("function f() { return [f()] } try { f() } catch (e) { 'survived' }") == "survived"


def test_hostile_values_do_not_break_error_reporting() -> None:
    task = create_flow().execute("throw {toString() { throw 1 }, get message() { throw 2 }, get name() { throw 3 }}")
    assert task.status == "error"
    task = create_flow().execute("const e = new Error('x'); Object.defineProperty(e, 'stack', {get() { throw 1 }}); throw e")
    assert task.status == "error"
    task = create_flow().execute("const o = {}; o.self = o; o")
    assert task.status == "completed" and task.result == {"self": None}

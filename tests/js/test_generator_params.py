"""Generator parameters are bound when the generator function is called, not at the first ``next()``.

FunctionDeclarationInstantiation (ES2025 10.2.11) runs in the call of a
``function*`` or ``async function*`` (EvaluateGeneratorBody 15.5.2,
EvaluateAsyncGeneratorBody 15.6.2): a default that throws, a pattern that
does not match, and every side effect of binding happen before the call
returns. Node is the oracle; the durable case resumes in another process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from seqflow_runtime import FileStorage, create_flow
from seqflow_transpile import transpile
from tests.node_oracle import NODE, assert_like_node

CALL_TIME_CASES = [
    # A throwing default throws from the call, for every kind of generator.
    "function* g(a = (() => { throw new RangeError('d') })()) { yield a } "
    "try { g(); return 'called' } catch (e) { return e.name }",
    "var g = async function* (a = (() => { throw new RangeError('d') })()) { yield a }; "
    "try { g(); return 'called' } catch (e) { return e.name }",
    "const o = { *m([x]) { yield x } }; try { o.m(null); return 'called' } catch (e) { return e.name }",
    "const o = { async *m({x}) { yield x } }; try { o.m(); return 'called' } catch (e) { return e.name }",
    "class C { static *m({x} = null) { yield x } } try { C.m(); return 'called' } catch (e) { return e.name }",
    "class C { *#m([a, b] = 1) { yield a } static t() { return new C().#m() } } "
    "try { C.t(); return 'called' } catch (e) { return e.name }",
    "const g = function* ({x: {y}}) {}; try { g({}); return 'called' } catch (e) { return e.name }",
    # An unresolvable name in a default is a ReferenceError at the call.
    "function* g(a = notDefinedAnywhere) {} try { g(); return 'called' } catch (e) { return e.name }",
    # Binding runs in order, once, before the call returns; the body waits for next().
    "const log = []; const v = (t) => (log.push(t), t); "
    "function* g(a = v('a'), [b] = [v('b')], {c} = {c: v('c')}) { log.push('body'); yield a + b + c } "
    "const it = g(); log.push('called'); const r = it.next(); log.push('next'); return [log, r.value]",
    "const log = []; "
    "async function* g(a = log.push('a'), ...[b = log.push('b')]) { log.push('body'); yield [a, b] } "
    "const it = g(); log.push('called'); const r = await it.next(); return [log, r.value]",
    # Patterns read iterators and getters at the call.
    "const log = []; const src = { get x() { log.push('get x'); return 1 } }; "
    "function* g({x}) { yield x } const it = g(src); log.push('called'); it.next(); return log",
    "const log = []; const iter = { [Symbol.iterator]() { log.push('iter'); return "
    "{ next() { log.push('next'); return {done: true} }, return() { log.push('return'); return {} } } } }; "
    "function* g([a]) { yield a } g(iter); return log",
    # return() and throw() before the first next() still skip the body (parameters are bound).
    "const log = []; function* g(a = log.push('a')) { try { log.push('body'); yield 1 } finally { log.push('fin') } } "
    "const it = g(); const r = it.return(7); return [log, r.value, r.done, it.next().done]",
    "const log = []; function* g(a = log.push('a')) { log.push('body') } "
    "const it = g(); try { it.throw(new TypeError('t')) } catch (e) { log.push(e.name) } return log",
    "const log = []; async function* g(a = log.push('a')) { log.push('body'); yield 1 } "
    "const it = g(); const r = await it.return(5); return [log, r.value, r.done]",
    # this, arguments and new.target-free defaults see the call's values.
    "const o = { k: 3, *m(a = this.k, b = arguments.length) { yield [a, b] } }; return o.m().next().value",
    "function* g(a, b = a * 2) { yield [a, b, arguments.length] } return g(4).next().value",
    # A default closure captures the parameter scope, the body still runs later.
    "function* g(a, f = () => a) { a = 9; yield f() } const it = g(1); return it.next().value",
    # Simple parameter lists are untouched: the body waits, nothing runs at the call.
    "const log = []; function* g(a, b) { log.push('body'); yield a } const it = g(1); log.push('called'); "
    "it.next(); return log",
    "function* g(...rest) { yield rest.length } return g(1, 2, 3).next().value",
    # The generator's prototype and length are what they were.
    "function* g(a, b = 1, [c]) {} return [g.length, Object.getPrototypeOf(g(0, 1, [2])) === g.prototype]",
    # A default reading a later parameter, or its own, meets it uninitialized; closures see it bound.
    "const t = (f) => { try { return f() } catch (e) { return e.name } }; return ["
    "t(() => (function (x = y, y) { return 'ran' })()), t(() => (function (x = x) { return 'ran' })()), "
    "t(() => (function* (x = y, y) {})()), t(() => ((x = typeof y, y) => 'ran')()), "
    "t(() => (class { static async *m(x = z, z = 1) {} }).m()), t(() => (function ({a = b}, b) {})({})), "
    "t(() => (function (a, b = a) { return b })(1)), t(() => (function (a = () => b, b = 2) { return a() })()), "
    "t(() => (function ([a, b = a]) { return b })([5])), t(() => { let y = 'outer'; return (function (x = y, y) {})() }), "
    "t(() => (function (x = 1, y = x + 1, z = () => [x, y, w], w = 4) { return z() })())]",
    # Class methods count their parameters before the first default or rest, as functions do.
    "class C { static async *m(a, b = 39,) {} *#p(a, ...r) {} static q() { return new C().#p.length } "
    "m2(a, b = 1) {} set s(v = 1) {} static [Symbol.iterator](a, {b} = {}, c) {} } "
    "return [C.m.length, C.q(), C.prototype.m2.length, "
    "Object.getOwnPropertyDescriptor(C.prototype, 's').set.length, C[Symbol.iterator].length]",
]


@pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")
def test_generator_parameters_are_bound_at_the_call_like_node() -> None:
    assert_like_node(CALL_TIME_CASES)


def test_binding_code_reads_as_a_marked_def() -> None:
    source = transpile("function* g([a] = []) { yield a }").python_source
    assert "@rt.binds_parameters_at_call" in source
    assert source.index("a, = rt.unpack(") < source.index("yield rt.PARAMETERS_BOUND") < source.index("yield a")
    plain = transpile("function* g(a, ...b) { yield a }").python_source
    assert "PARAMETERS_BOUND" not in plain and "binds_parameters_at_call" not in plain


def test_errors_in_a_marked_generator_name_its_js_function() -> None:
    task = create_flow().execute("function* gen(a = boom()) { yield a }\ngen();")
    assert task.status == "error"
    assert "boom is not defined" in (task.error or "")
    assert "gen" in json.dumps(task.error_details)


BOUND_THEN_PAUSED = """
function* steps({base}, step = base * 2, ...[limit = 3]) {
  for (let i = 0; i < limit; i++) yield base + i * step;
}
async function* pages(url, {size} = {size: 2}) {
  for (let n = 0; n < size; n++) yield (await (await fetch(url + n)).json()).v;
}
const it = steps({base: 1});
const first = it.next().value;
const got = [];
for await (const v of pages('https://api.example.com/p/')) got.push(v);
return [first, it.next().value, it.next().value, it.next().done, got];
"""


def test_generators_bound_before_a_pause_resume_in_another_process(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    task = create_flow(storage=FileStorage(tmp_path)).execute(BOUND_THEN_PAUSED, id="bound")
    for v in ("x", "y"):
        assert task.status == "paused", task.error
        code = (
            "import json\n"
            "from seqflow_runtime import FileStorage, create_flow\n"
            f"task = create_flow(storage=FileStorage({str(tmp_path)!r})).resume('bound', "
            f"fetch_response={{'data': {{'v': {v!r}}}}})\n"
            "print(task.status)\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                              cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr
        task = create_flow(storage=FileStorage(tmp_path)).get_task("bound")
    assert task.status == "completed", task.error
    assert task.result == [1, 3, 5, True, ["x", "y"]]

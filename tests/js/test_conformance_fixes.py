"""Fixes found with the test262 harness (tests/conformance/run_test262.py); expected values from Node 20."""

from __future__ import annotations

from jsrun import run_js


def test_function_and_class_expressions_in_parameter_defaults_are_defined() -> None:
    # The `def` of a function expression in a default used to be dropped (a ReferenceError).
    source = """
    function f(a = function () { return 1; }()) { return a; }
    const o = { m(b = (() => 2)()) { return b; } };
    function g({ c = function () { return 3; }() }, [K = class { v() { return 4; } }] = []) {
      return c + new K().v();
    }
    const h = (d = function* () { yield 5; }) => d().next().value;
    [f(), o.m(), g({}), h(), f(10)]
    """
    assert run_js(source) == [1, 2, 7, 5, 10]


def test_an_async_function_whose_default_throws_returns_a_rejected_promise() -> None:
    source = """
    const log = [];
    async function f(a = (() => { throw new Error('x'); })()) { log.push('body'); }
    class C { async m(_ = (function () { throw new TypeError('y'); }())) {} }
    const p = f(); const q = new C().m();
    log.push('sync');
    await p.catch((e) => log.push(e.message));
    await q.catch((e) => log.push(e.name));
    log
    """
    assert run_js(source) == ["sync", "x", "TypeError"]


def test_private_generator_and_async_methods_keep_their_kind() -> None:
    source = """
    class C {
      *#g(n) { yield n; yield n + 1; }
      async #a(x) { return x * 2; }
      static async *#s() { yield 'static'; }
      run() { return [...this.#g(1)]; }
      twice(x) { return this.#a(x); }
      static s() { return C.#s(); }
    }
    const c = new C();
    const out = c.run();
    out.push(await c.twice(21));
    for await (const v of C.s()) out.push(v);
    out
    """
    assert run_js(source) == [1, 2, 42, "static"]

"""The call protocol against Node: ``rt.call`` and ``rt.call_method`` and the functions they run.

Up to three arguments reach a function's Python code as plain parameters, the
rest through a tuple; a function takes them straight when it has room for them
(``JSFunction.max_args``). Every other case goes through [[Call]]: more
arguments than parameters (dropped), class constructors (a TypeError), callable
objects that are not plain functions (bound functions, proxies, natives). The
cases below give each entry point zero to five arguments, against functions
with fewer, as many and more parameters, and with ``arguments``, defaults and
rest parameters.
"""

from __future__ import annotations

import pytest

from jsrun import js_error, run_js
from node_oracle import oracle_tests
from seqflow_runtime.limits import Limits
from seqflow_transpile import transpile

ORACLE: dict[str, list[str]] = {
    "argument counts": [
        "function f(a, b, c) { return [a, b, c, arguments.length]; } return [f(), f(1), f(1, 2), f(1, 2, 3), f(1, 2, 3, 4, 5)]",
        "function f(a, b, c) { return [a, b, c]; } return [f(), f(1), f(1, 2), f(1, 2, 3), f(1, 2, 3, 4), f(1, 2, 3, 4, 5)]",
        "function f() { return 'none'; } return [f(), f(1), f(1, 2), f(1, 2, 3), f(1, 2, 3, 4)]",
        "function f(a) { return a; } return [f(), f(undefined), f(null), f(-0), f(NaN), f(2 ** 60), f(1, 2, 3, 4)]",
        "function f(a, b, c, d, e) { return [a, b, c, d, e]; } return [f(1, 2, 3, 4), f(1, 2, 3, 4, 5, 6), f(1)]",
        "function f() { return Array.prototype.slice.call(arguments); } return [f(), f(1), f(1, 2, 3), f(1, 2, 3, 4, 5)]",
        "function f(a) { arguments[0] = 'changed'; return [a, arguments.length]; } return [f(1), f(), f(1, 2, 3, 4)]",
        "function f(a, b = a + 1, c = b * 2) { return [a, b, c]; } return [f(1), f(1, 5), f(1, undefined, 7), f(1, 2, 3, 4)]",
        "function f(a, ...rest) { return [a, rest]; } return [f(), f(1), f(1, 2), f(1, 2, 3), f(1, 2, 3, 4, 5)]",
        "const f = (...all) => all.length; return [f(), f(1), f(1, 2), f(1, 2, 3), f(1, 2, 3, 4), f(...[1, 2, 3, 4, 5, 6])]",
        "function f(a, b) { return [a, b]; } const xs = [1, 2, 3]; return [f(...xs), f(0, ...xs), f(...[]), f(...[9])]",
        "function f({x}, [y] = [2]) { return [x, y]; } return [f({x: 1}), f({x: 1}, [3], 4, 5)]",
        "const log = []; function f(a) { return a; } f(log.push(1), log.push(2), log.push(3), log.push(4)); return log",
        "var undefined_ = void 0; function f(a, b) { return [a === undefined_, b === undefined_, arguments.length]; }"
        " return [f(undefined), f(undefined, undefined), f()]",
    ],
    "method calls": [
        "const o = {m(a, b, c) { return [this === o, a, b, c]; }}; return [o.m(), o.m(1), o.m(1, 2), o.m(1, 2, 3), o.m(1, 2, 3, 4)]",
        "class A { m(a) { return [this.v, a]; } } class B extends A { constructor() { super(); this.v = 'b'; } }"
        " const b = new B(); return [b.m(), b.m(1), b.m(1, 2), b.m(1, 2, 3, 4, 5)]",
        "class A { m() { return 'A'; } } class B extends A { m(x) { return 'B' + super.m(x, x); } } return new B().m(1)",
        "const o = {get m() { return function (a, b) { return [this === o, a, b]; }; }}; return [o.m(1), o.m(1, 2, 3)]",
        "const o = {m: new Proxy(function (a) { return [typeof this, a, arguments.length]; }, {})}; return [o.m(), o.m(1, 2, 3, 4)]",
        "const p = new Proxy({m(a) { return a; }}, {get(t, k) { return k === 'm' ? (x, y) => [x, y] : t[k]; }});"
        " return [p.m(1), p.m(1, 2, 3)]",
        "function f(a, b) { return [this.tag, a, b]; } const o = {tag: 't', f: f.bind({tag: 'bound'}, 'pre')};"
        " return [o.f(), o.f(1), o.f(1, 2, 3)]",
        "const o = {m: Math.max}; return [o.m(), o.m(1), o.m(1, 2), o.m(1, 2, 3), o.m(1, 2, 3, 4, 5)]",
        "['a,b,c'.split(','), 'abc'.slice(1), [3, 1, 2].concat(4, 5, 6, 7), 'x'.padStart(3, '-'), (255).toString(16, 9)]",
        "const o = {m: 5}; try { o.m(1, 2); } catch (e) { return e.constructor.name; }",
        "const o = {}; try { o.missing(); } catch (e) { return e.constructor.name; }",
        "class C {} const o = {C}; try { o.C(1, 2, 3, 4); } catch (e) { return [e.constructor.name, e.message]; }",
        "class D extends Array {} const o = {D}; try { o.D(); } catch (e) { return [e.constructor.name, e.message]; }",
        "const o = Object.create({m(a) { return this.own + a; }}); o.own = 1; return [o.m(1), o.m(1, 2, 3, 4)]",
        "const o = Object.freeze({m(a, b) { return a + b; }}); return [o.m(1, 2), o.m(1, 2, 3)]",
        "function F() {} F.prototype.m = function (a) { return a; }; const f = new F();"
        " f.m = function (a, b) { return 'own ' + a + b; }; return f.m(1, 2, 3)",
        "const s = Symbol('m'); const o = {[s](a, b) { return a * b; }}; return [o[s](6, 7), o[s](6, 7, 8)]",
        "const a = [1, 2]; a.m = function () { return this.length + arguments.length; }; return [a.m(), a.m(1, 2, 3, 4, 5)]",
        "[(5).toFixed(2), true.toString(), 'ab'.concat(1, 2, 3, 4), (1.5).toString(2)]",
    ],
    "this": [
        "function sloppy() { return this === globalThis; } return [sloppy(), sloppy(1, 2, 3, 4)]",
        "function strict() { 'use strict'; return this; } return [strict(), strict(1, 2, 3, 4)]",
        "function sloppy() { return typeof this; } const o = {sloppy}; return [o.sloppy(), sloppy.call(5), sloppy.call(null)]",
        "function strict() { 'use strict'; return typeof this; } const o = {strict}; return [o.strict(), strict.call(5)]",
        "const arrow = () => typeof this; const o = {arrow}; return [arrow(), o.arrow(1, 2, 3, 4)]",
        "function sloppy(a) { return [this instanceof Number, a]; } Number.prototype.sloppy = sloppy;"
        " const r = (5).sloppy(1); delete Number.prototype.sloppy; return r",
    ],
    "kinds of functions": [
        "class C { constructor(a) { this.a = a; } } try { C(1); } catch (e) { return [e.constructor.name, e.message]; }",
        "class C {} try { C(); } catch (e) { return [e.constructor.name, e.message]; }",
        "class C extends Object {} try { C(1, 2, 3, 4); } catch (e) { return [e.constructor.name, e.message]; }",
        "function* g(a, b) { yield a; yield b; yield arguments.length; } return [[...g()], [...g(1, 2, 3, 4)]]",
        "const o = {*g(a) { yield a; }}; return [[...o.g(1, 2)], [...o.g()]]",
        "let unused; async function f(a, b) { return [a, b, arguments.length]; } return [await f(), await f(1), await f(1, 2, 3, 4)]",
        "const o = {async m(a) { return a * 2; }}; return [await o.m(21), await o.m(1, 2, 3, 4)]",
        "let unused; async function* ag(a) { yield a; } const out = []; for await (const x of ag(7, 8)) out.push(x); return out",
        "const f = function (a) { return a; }.bind(null); return [f(1), f(1, 2, 3, 4), f()]",
        "const p = new Proxy(function (a, b) { return [a, b]; }, {apply(t, th, args) { return args.length; }});"
        " return [p(), p(1), p(1, 2, 3), p(1, 2, 3, 4, 5)]",
        "[parseInt('ff', 16), parseInt('10'), Math.min(), Math.min(3, 1, 2, 0, 5), String(), String(1, 2)]",
        "const notf = {}; try { notf(1); } catch (e) { return [e.constructor.name]; }",
        "let n = 5; try { n(1, 2, 3, 4); } catch (e) { return [e.constructor.name]; }",
    ],
    "bindings": [
        "const r = [f(1), typeof f]; return r; function f(a) { return a + 1; }",
        "function f() { return 'first'; } const r = [f()]; f = function () { return 'second'; }; r.push(f()); return r",
        "function f() { return 'outer'; } function g() { function f() { return 'inner'; } return f(); } return [g(), f()]",
        "function f() { return 'outer'; } { let f = () => 'block'; var r = f(); } return [r, f()]",
        "function f() { return 1; } function f() { return 2; } return f()",
        "function g(f) { return f(); } return g(() => 'param')",
        "const f = function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }; return [f(5), f(5, 'extra')]",
        "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } return [fib(0), fib(1), fib(15), fib(10, 20)]",
        "function f(n) { if (n === 0) { f = null; return 'reassigned'; } return f(n - 1); } return f(3)",
        "function f() { return 'function'; } var f; return f()",
        "function f() { return 'function'; } var g = f(); var f = 5; return [g, typeof f]",
        "function f(a) { return a; } eval('f = function () { return \\'by eval\\'; }'); return f(1)",
        "function f(a) { return a; } const o = {f: () => 'with'}; with (o) { return f(1); }",
        "function f() { return 'outer'; } { function f() { return 'block'; } } return f()",
        "function f() { return 'outer'; } if (true) { function f() { return 'if'; } } return f()",
        "function f(a, a) { return a; } return [f(1, 2), f(1)]",
        "function f(a) { return typeof this; } return [f(), f(1), f.call('s', 1)]",
        "function f(a) { return [typeof a, a]; } return [f(-0), f(NaN), f('1'), f(2 ** 53 + 2), f([]), f(null)]",
        "function f(x) { return x ? f(x - 1) + 1 : 0; } const g = f; return [g(4), f(3)]",
        "function f() { return new.target === undefined; } return [f(), new f() instanceof f]",
        "function outer() { return inner(2); function inner(n) { return n * 21; } } return outer()",
        "function a(n) { return n > 0 ? b(n - 1) : 'a'; } function b(n) { return n > 0 ? a(n - 1) : 'b'; }"
        " return [a(3), a(4), b(5)]",
        "function f(a, b) { return [a, b]; } const xs = [1, 2]; return [f(...xs), f(...xs, 3), f(0, ...xs)]",
        "function* g(a) { yield a; } async function h(a) { return a; } return [g(1).next().value, await h(2)]",
    ],
    "recursion": [
        "function f() { return f(); } try { f(); } catch (e) { return [e instanceof RangeError, e.message]; }",
        "const o = {m(a, b, c) { return this.m(a, b, c); }}; try { o.m(1, 2, 3); } catch (e) { return e.constructor.name; }",
        "function f(a, b, c, d) { return f(a, b, c, d); } try { f(1, 2, 3, 4); } catch (e) { return e.constructor.name; }",
        "function deep(n) { return n === 0 ? 0 : 1 + deep(n - 1); } return deep(200)",
        "const o = {deep(n, a, b) { return n === 0 ? a + b : this.deep(n - 1, a, b); }}; return o.deep(200, 1, 2)",
    ],
}

#: Cases whose rendering is pinned here too (they run without node in the suite's offline mode).
PINNED: dict[str, str] = {}

test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, PINNED)


@pytest.mark.parametrize("source", [
    "function f(n) { if (n) { f(n - 1); f(n - 1); } } f(60)",
    "function f(n, b, c) { if (n) { f(n - 1, b, c); f(n - 1, b, c); } } f(60, 2, 3)",
    "function f(n, b, c, d, e) { if (n) { f(n - 1, b, c, d, e); f(n - 1); } } f(60, 2, 3, 4, 5)",
    "const o = {m(n) { if (n) { this.m(n - 1); this.m(n - 1); } }}; o.m(60)",
    "const o = {m(n, b, c, d) { if (n) { this.m(n - 1, b, c, d); this.m(n - 1); } }}; o.m(60, 2, 3, 4)",
    "const f = (n) => { if (n) { f(n - 1); f(n - 1, n, n, n); } }; f(60)",
])
def test_a_call_tree_without_loops_hits_the_step_limit(source: str) -> None:
    err = js_error(source, Limits(max_steps=20_000))
    assert err.code == "limit_exceeded"
    assert err.extra == {"limit": "max_steps"}


def test_runaway_recursion_through_methods_is_a_catchable_range_error() -> None:
    source = "const o = {m(a, b, c, d) { return this.m(a, b, c, d) }}; try { o.m() } catch (e) { e.message }"
    assert run_js(source) == "Maximum call stack size exceeded"
    assert js_error("function f(a) { return f(a, a) } f(1)").message == "Maximum call stack size exceeded"
    assert js_error("function f(a) { return f(a) } f(1)").message == "Maximum call stack size exceeded"
    assert run_js("function f(a) { return f(a) } try { f(1) } catch (e) { e instanceof RangeError }") is True


@pytest.mark.parametrize(("source", "expected"), [
    # Node: each run with vm.runInNewContext (a script, whose top-level functions are globals).
    ("function f() { return 'declared' } globalThis.f = function () { return 'replaced' }; f()", "replaced"),
    ("function f(a) { return a } this.f = (a, b) => [a, b]; f(1, 2)", [1, 2]),
    ("function f(a) { return a } function g() { return f(1) } var r = [g()];"
     " Object.defineProperty(globalThis, 'f', {value: () => 'def'}); r.push(g(), f()); r", [1, "def", "def"]),
    ("function f(a) { return a } (0, eval)('f = function (x) { return x * 10 }'); f(2)", 20),
    ("function f(a) { return a } new Function('f = 5')(); try { f(1) } catch (e) { e.constructor.name }", "TypeError"),
    ("function f(a) { return a } globalThis.f = 7; globalThis.f = (x) => x + 1; f(1)", 2),
    ("function f() { return 1 } Object.assign(globalThis, {f: () => 2}); f()", 2),
    ("function f(n) { return n ? f(n - 1) : this === globalThis } f(3)", True),
])
def test_script_level_function_replaced_through_the_global_object(source: str, expected: object) -> None:
    # A top-level function is a property of the global object: a write there is a write to the binding,
    # which its calls (direct calls of its `def` included) then see.
    assert run_js(source) == expected


def test_calls_of_a_function_that_stays_itself_call_its_def() -> None:
    source = transpile("function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } fib(20)").python_source
    assert "def fib_def(this, n=undefined):  # L1\n        rt.tick()\n" in source
    assert "rt.add(fib_def(undefined, rt.sub(n, 1)), fib_def(undefined, rt.sub(n, 2)))" in source
    assert "fib = rt.function(fib_def, 'fib')" in source
    assert "direct={'fib': 'fib_def'}" in source


@pytest.mark.parametrize("source", [
    "function f(a) { return a } f = null; f(1)",  # reassigned
    "function f(a) { return a } f(1, 2)",  # more arguments than parameters
    "function f(a) { return a } f(...[1])",  # spread
    "function f(a) { return arguments.length } f(1)",  # arguments
    "function f(a = 1) { return a } f(1)",  # not a simple parameter list
    "function f(...a) { return a } f(1)",
    "function f() { return 1 } function f() { return 2 } f()",  # declared twice
    "function* f() {} f()",
    "async function f() {} f()",
    "function f() { return new.target } f()",
    "function f() { return 1 } function g() { eval('f = 2'); return f() } g()",  # eval sees it
    "function f() { return 1 } with ({}) { f() }",  # found through `with`
    "function g() { function f() { return 1 } { function f() { return 2 } } return f() } g()",  # Annex B
])
def test_calls_that_stay_runtime_calls(source: str) -> None:
    python = transpile(source).python_source
    assert "f_def" not in python
    assert "def f(this" in python and "rt.call(" in python

"""A fresh realm: what waits for its first use, that it is installed whole wherever that use comes, and that
realms stay apart.

The Error constructors, the timers, ``isNaN``/``isFinite`` and the URI functions are lazy groups, the
generator and async function constructors a lazy group without globals, and most built-in methods are made
when their object is first touched (:mod:`seqflow_runtime.js.builtins.deferred`). That first use is often
deep in a recursion: the RangeError of a stack overflow caught near the limit is then the realm's first
error, so installing the Error constructors must not fail half-way there. Each case runs on a fresh realm
(Node: a fresh ``vm`` context), so what it uses first is really installed by it.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import pytest

from jsrun import run_js
from node_oracle import node_results
from seqflow_runtime.js.builtins import HEADROOM, LAZY_GROUPS, with_headroom
from seqflow_runtime.js.builtins.deferred import is_pending
from seqflow_runtime.js.runtime import Runtime

#: Scripts, each run on its own fresh realm; the value of the last expression is compared with Node's.
CASES = {
    "first error is a stack overflow caught at the limit": """
        let depth = 0;
        function f(n) {
          try { return f(n + 1); } catch (e) {
            depth = n;
            return [e instanceof RangeError, e.constructor === RangeError,
                    Object.getPrototypeOf(e) === RangeError.prototype, e.name, e instanceof Error];
          }
        }
        [f(0), depth > 10]""",
    "errors after one made at the limit": """
        function f(n) { try { return f(n + 1); } catch (e) { return n; } }
        f(0);
        let kinds;
        try { null.x; } catch (e) {
          kinds = [e instanceof TypeError, e instanceof Error, Object.getPrototypeOf(e) === TypeError.prototype];
        }
        [kinds, new URIError('u') instanceof Error, Object.getPrototypeOf(EvalError) === Error,
         new AggregateError([1], 'm').errors.length, new Error('x', {cause: 0}).cause]""",
    "uncaught overflow, then the error constructors": """
        function g() { return g(); }
        try { g(); } catch (e) {
          [e instanceof RangeError, e.message, typeof TypeError, new TypeError('x') instanceof Error];
        }""",
    "methods first read at the limit": """
        function f(n) { try { return f(n + 1); } catch (e) { return 'abc'.padStart(5, 'x'); } }
        function h(n) { try { return h(n + 1) + 1; } catch (e) { return [1, 2, 3].map(x => x * 2).length; } }
        [f(0), 'q'.padEnd(2, '!'), typeof ''.trim, h(0) > 3, [1].flatMap(x => [x, x]).length,
         JSON.stringify({a: 1})]""",
    "groups first used at the limit": """
        function f(n) {
          try { return f(n + 1); } catch (e) {
            return [new Map([[1, 2]]).get(1), new Set([1, 1]).size, isNaN('x'), encodeURIComponent('a b')];
          }
        }
        [f(0), new Map().size, typeof WeakRef, isFinite('1')]""",
    "generators first made at the limit": """
        function f(n) {
          try { return f(n + 1); } catch (e) { return [...(function* () { yield 1; yield 2; })()].length; }
        }
        [f(0), Object.getPrototypeOf(function* () {}).constructor.name,
         Object.getPrototypeOf(async function () {}).constructor.name,
         Object.getPrototypeOf(async function* () {}).constructor.name]""",
    "a deleted Error constructor": """
        delete globalThis.TypeError;
        let seen;
        try { null.x; } catch (e) { seen = [e.name, e instanceof Error, e.constructor.name]; }
        [typeof TypeError, 'TypeError' in globalThis, seen, typeof RangeError]""",
    "vars naming lazy globals": """
        var Error = 5; var isNaN = 1; var decodeURIComponent; var encodeURI;
        let caught;
        try { null.x; } catch (e) { caught = [e instanceof Object, e.name]; }
        [Error, isNaN, typeof decodeURIComponent, typeof encodeURI, typeof RangeError, caught,
         Object.getOwnPropertyDescriptor(globalThis, 'isNaN').value]""",
    "functions named as lazy globals": """
        function isFinite() { return 'mine'; }
        function TypeError() { return 'own'; }
        let kind;
        try { null.x; } catch (e) { kind = [e instanceof TypeError, e.name]; }
        [isFinite(), new TypeError() instanceof TypeError, kind]""",
    "descriptors of lazy globals": """
        ['Error', 'TypeError', 'AggregateError', 'isNaN', 'decodeURI', 'unescape'].map(k => {
          const d = Object.getOwnPropertyDescriptor(globalThis, k);
          return [k, typeof d.value, d.writable, d.enumerable, d.configurable];
        })""",
    "lazy globals written before read": """
        TypeError = 1; isNaN = 2; escape = 3;
        let name;
        try { undefined.y; } catch (e) { name = e.name + ' ' + (e instanceof Error); }
        [TypeError, isNaN, escape, name, typeof unescape]""",
    "error prototypes changed before the first error": """
        Error.prototype.name = 'Oops';
        RangeError.prototype.extra = 1;
        function f(n) { try { return f(n + 1); } catch (e) { return [e.name, e.extra, e.toString().slice(0, 10)]; } }
        [f(0), String(new Error('m')), Object.keys(Error.prototype)]""",
}

#: The same for the host's globals (timers, ``performance``), which a Node ``vm`` context lacks.
HOST_CASES = {
    "timers first used at the limit": """
        function f(n) { try { return f(n + 1); } catch (e) { return [typeof setTimeout, typeof performance.now]; } }
        [f(0), typeof queueMicrotask, typeof clearInterval]""",
    "vars and writes naming the timers": """
        var setTimeout; var queueMicrotask = 1; setInterval = 2;
        [typeof setTimeout, queueMicrotask, setInterval, typeof clearTimeout]""",
    "descriptors of the timers": """
        ['setTimeout', 'performance', 'queueMicrotask'].map(k => {
          const d = Object.getOwnPropertyDescriptor(globalThis, k);
          return [k, typeof d.value, d.writable, d.enumerable, d.configurable];
        })""",
}


@pytest.fixture(scope="module")
def node() -> dict[str, Any]:
    """Each case's result on Node, each in a fresh context, as ``[0, value]`` (or ``[1, error]``)."""
    return node_results(CASES, "fresh context")


@pytest.mark.parametrize("name", list(CASES))
def test_same_as_node(name: str, node: dict[str, Any]) -> None:
    expected = node[name]
    assert expected[0] == 0, f"the case itself fails on node: {expected[1]}"
    assert json.loads(json.dumps(run_js(CASES[name]))) == expected[1]


@pytest.mark.parametrize("name", [*CASES, *HOST_CASES])
def test_lazy_and_eager_realms_agree(name: str) -> None:
    source = CASES.get(name) or HOST_CASES[name]
    assert run_js(source) == run_js(source, eager=True)


def test_what_the_cases_see() -> None:
    """A few results spelled out, so that agreeing with Node does not depend on Node being there."""
    assert run_js(CASES["first error is a stack overflow caught at the limit"]) == [
        [True, True, True, "RangeError", True], True]
    assert run_js(CASES["groups first used at the limit"]) == [[2, 1, True, "a%20b"], 0, "function", True]
    assert run_js(CASES["a deleted Error constructor"]) == [
        "undefined", False, ["TypeError", True, "TypeError"], "function"]
    assert run_js(CASES["vars naming lazy globals"]) == [
        5, 1, "function", "function", "function", [True, "TypeError"], 1]
    assert run_js(HOST_CASES["timers first used at the limit"]) == [["function", "function"], "function", "function"]
    assert run_js(HOST_CASES["vars and writes naming the timers"]) == ["function", 1, 2, "function"]
    assert run_js(HOST_CASES["descriptors of the timers"]) == [
        ["setTimeout", "function", True, False, True], ["performance", "object", True, False, True],
        ["queueMicrotask", "function", True, False, True]]


def test_the_global_names_keep_their_order() -> None:
    names = "Object.getOwnPropertyNames(globalThis)"
    lazy = run_js(names)
    assert lazy == run_js(names, eager=True)
    assert lazy.index("globalThis") < lazy.index("Error") < lazy.index("AggregateError") < lazy.index("Symbol")
    assert lazy.index("parseInt") < lazy.index("isFinite") < lazy.index("unescape") < lazy.index("console")
    assert lazy.index("URL") < lazy.index("setTimeout") < lazy.index("performance") < lazy.index("RegExp")


def test_a_fresh_realm_waits_for_the_new_groups() -> None:
    rt = Runtime()
    for group in ("errors", "host_io", "global_functions", "function_kinds"):
        assert group in LAZY_GROUPS and group in rt.intrinsics.pending  # type: ignore[attr-defined]
    for obj in (rt.intrinsics["Symbol"], rt.SymbolPrototype, rt.BooleanPrototype, rt.IteratorPrototype,
                rt.intrinsics["Promise"], rt.PromisePrototype, rt.intrinsics["Number"], rt.intrinsics["Array"],
                rt.intrinsics["BigInt"], rt.intrinsics["BigInt.prototype"]):
        assert is_pending(obj)
    err = rt.make_error("TypeError", "made by the runtime")
    assert "errors" not in rt.intrinsics.pending  # type: ignore[attr-defined]
    assert err.proto is rt.intrinsics["TypeError.prototype"]
    assert rt.get(rt.intrinsics["TypeError.prototype"], "constructor") is rt.global_object.get("TypeError")
    assert "host_io" in rt.intrinsics.pending  # type: ignore[attr-defined]


#: Changes to built-ins (lazy, deferred and eager ones) that one realm makes.
MUTATE = """
Array.prototype.push = function () { return 'patched'; };
Object.prototype.x = 1;
Object.freeze(Math);
String.prototype.trim = null;
Error.prototype.name = 'Oops';
TypeError.prototype.message = 'changed';
setTimeout.y = 1;
Number.parseInt = 0;
isNaN = null;
JSON.stringify = 'gone';
Symbol.for = 0;
Promise.resolve = 0;
Object.defineProperty(Function.prototype, 'call', {value: 7});
delete Boolean.prototype.toString;
[[].push(1), ({}).x, Object.isFrozen(Math)]
"""

#: What a fresh realm sees of the same built-ins.
PRISTINE = """
[[].push(1), 'x' in {}, Object.isFrozen(Math), typeof ' a'.trim, new Error('m').name,
 new TypeError().message, typeof setTimeout.y, Number.parseInt === parseInt, typeof isNaN,
 JSON.stringify([1]), typeof Symbol.for, typeof Promise.resolve, typeof Function.prototype.call,
 String(true.toString())]
"""


def test_realms_stay_apart() -> None:
    """A realm changing built-ins changes nothing in another, made before or after it."""
    before = Runtime()  # made first: nothing of it may be shared with the realm that changes things
    assert run_js(MUTATE) == ["patched", 1, True]
    expected = [1, False, False, "function", "Error", "", "undefined", True, "function", "[1]", "function",
                "function", "function", "true"]
    assert run_js(PRISTINE) == expected
    assert run_js(PRISTINE, eager=True) == expected
    assert before.get(before.ArrayPrototype, "push") is not Runtime().get(Runtime().ArrayPrototype, "push")
    assert before.get(before.global_object, "isNaN") is not None


def test_headroom_is_put_back() -> None:
    base = sys.getrecursionlimit()
    seen: list[int] = []

    def inner() -> None:
        seen.append(sys.getrecursionlimit())
        with_headroom(lambda: seen.append(sys.getrecursionlimit()))
        raise ValueError("an installer failing")

    with pytest.raises(ValueError):
        with_headroom(inner)
    assert seen == [base + HEADROOM, base + HEADROOM]
    assert sys.getrecursionlimit() == base
    run_js(CASES["groups first used at the limit"])
    assert sys.getrecursionlimit() == base


def test_headroom_overlapping_in_threads() -> None:
    """Overlapping installations in two threads: the limit stays raised until the last one ends."""
    base = sys.getrecursionlimit()
    entered, release = threading.Event(), threading.Event()
    seen: list[int] = []

    def slow() -> None:
        entered.set()
        release.wait(10)
        seen.append(sys.getrecursionlimit())

    thread = threading.Thread(target=with_headroom, args=(slow,))
    thread.start()
    entered.wait(10)
    with_headroom(lambda: seen.append(sys.getrecursionlimit()))
    assert sys.getrecursionlimit() == base + HEADROOM  # the other thread's installation still runs
    release.set()
    thread.join(10)
    assert seen == [base + HEADROOM, base + HEADROOM]
    assert sys.getrecursionlimit() == base


def test_headroom_at_every_depth_near_the_limit() -> None:
    """At any depth an installation either runs whole or fails before it starts, and the limit comes back."""
    base = sys.getrecursionlimit()
    installed: list[int] = []
    left_raised: list[int] = []

    def failing() -> None:
        raise ValueError("an installer failing")

    def dive(n: int) -> None:
        try:
            dive(n + 1)
        except RecursionError:
            pass
        for install in (lambda: installed.append(n), failing):
            try:
                with_headroom(install)
            except (RecursionError, ValueError):
                pass
            if sys.getrecursionlimit() != base:
                left_raised.append(n)

    dive(0)
    assert not left_raised and sys.getrecursionlimit() == base
    assert len(installed) > base - 50  # all but the last few frames below the limit


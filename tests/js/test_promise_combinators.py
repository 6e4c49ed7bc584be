"""Promise.all / allSettled / any / race follow ES2025 27.2.4 step by step; Node is the oracle.

The order of iterator steps, ``C.resolve`` calls and ``then`` invocations; the
functions handed to ``then`` (the capability's own reject for ``all`` and ``race``);
closing the iterator when a step after it throws, and not when the iterator fails.
"""

from __future__ import annotations

import pytest

from tests.node_oracle import NODE, assert_like_node

# A thenable constructor that records what the combinator does with it.
SPY = (
    "const log = []; "
    "function C(executor) { executor((v) => log.push('resolve ' + JSON.stringify(v)), "
    "(e) => log.push('reject ' + (e && e.name || e))) } "
    "C.resolve = function (v) { log.push('C.resolve ' + v.id); return v }; "
    "const item = (id, how) => ({ id, then(ok, err) { log.push('then ' + id + ' ' + typeof ok + ' ' + typeof err "
    "+ ' ' + ok.length); if (how === 'ok') ok(id); else if (how === 'err') err(new RangeError(id)); } }); "
)

CASES = [
    SPY + "const iter = { [Symbol.iterator]() { let i = 0; return { next() { log.push('next'); i++; "
    "return i < 3 ? { value: item('p' + i, 'ok'), done: false } : { done: true } } } } }; "
    "Promise.all.call(C, iter); return log",
    SPY + "Promise.allSettled.call(C, [item('a', 'ok'), item('b', 'err')]); return log",
    SPY + "Promise.any.call(C, [item('a', 'err'), item('b', 'err')]); return log",
    SPY + "Promise.any.call(C, []); return log",
    SPY + "Promise.race.call(C, [item('a'), item('b', 'ok')]); return log",
    # all and race pass the capability's reject itself to then.
    "function rejectFunction() {} let seen = []; function C(ex) { ex(() => {}, rejectFunction) } "
    "C.resolve = (v) => v; const p = { then(a, b) { seen.push(b === rejectFunction) } }; "
    "Promise.all.call(C, [p]); Promise.race.call(C, [p]); Promise.allSettled.call(C, [p]); return seen",
    # Element functions are called once each: a thenable calling back twice counts once.
    "const twice = { then(ok) { ok(1); ok(2) } }; return await Promise.all([twice, 3])",
    "const twice = { then(ok, err) { err(1); ok(2); err(3) } }; return await Promise.allSettled([twice])",
    # A throwing then or C.resolve rejects and closes the iterator; a throwing next does not close it.
    "const log = []; function C(ex) { ex(() => {}, (e) => log.push('reject ' + e.name)) } C.resolve = (v) => v; "
    "const iter = (bad) => ({ [Symbol.iterator]() { let i = 0; return { next() { "
    "if (bad === 'next') throw new SyntaxError('n'); "
    "return { value: { then() { throw new EvalError('t') } }, done: i++ > 2 } }, "
    "return() { log.push('closed ' + bad); return {} } } } }); "
    "for (const bad of ['then', 'next']) { Promise.all.call(C, iter(bad)); Promise.race.call(C, iter(bad)) } "
    "return log",
    "const log = []; const P = function (ex) { return new Promise(ex) }; P.resolve = 1; "
    "try { await Promise.race.call(P, { [Symbol.iterator]() { log.push('iterated'); return [][Symbol.iterator]() } }) } "
    "catch (e) { log.push(e.name) } return log",
    # A resolve that throws at the end rejects the result.
    "let rejected; function C(ex) { ex(() => { throw new URIError('r') }, (e) => { rejected = e.name }) } "
    "C.resolve = (v) => v; Promise.all.call(C, []); return rejected",
    "Promise.any([Promise.reject(1), Promise.reject(2)]).catch((e) => [e.name, e.errors, "
    "Object.getOwnPropertyDescriptor(e, 'errors').enumerable])",
    "Promise.allSettled([1, Promise.reject(2)])",
    "Promise.race([new Promise(() => {}), Promise.resolve('fast')])",
]


@pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")
def test_combinators_like_node() -> None:
    assert_like_node(CASES)

"""yield* and await protocol details, names in defaults and ``arguments`` scoping, with Node as the oracle.

- ``yield*`` in an async generator reads ``done`` before ``value`` (ES2025 15.5.5), for
  async iterators and for sync ones (AsyncFromSyncIteratorContinuation, 27.1.6.4), and a
  thenable it awaits gets both resolving functions.
- A sync iterator whose value rejects (or cannot be awaited) before it is done is closed.
- ``await`` of a promise whose ``constructor`` getter throws throws at the ``await``.
- An anonymous class in a destructuring default takes the target's name (NamedEvaluation).
- ``arguments`` in a nested function is its own, even when an outer function uses its own too.
- %GeneratorFunction%, %AsyncGeneratorFunction% and %AsyncFunction% (not globals) and their
  prototypes link the function kinds to their instances' prototypes, and build functions from text.
"""

from __future__ import annotations

import pytest

from tests.node_oracle import NODE, assert_like_node, assert_renders

PROTOCOL_CASES = [
    # Async iterator: next's argument count, then's two resolving functions, done before value.
    "const log = []; const obj = { [Symbol.asyncIterator]() { let n = 0; return { "
    "next() { log.push('next ' + arguments.length + ' ' + arguments[0]); n++; return { then(res) { "
    "log.push('then ' + arguments.length); res({ get done() { log.push('done'); return n > 1 }, "
    "get value() { log.push('value'); return n } }) } } } } } }; "
    "async function* g() { const v = yield* obj; log.push('after ' + v); return 'r' } "
    "const it = g(); const a = await it.next('x'); const b = await it.next('y'); "
    "return [log, a.value, a.done, b.value, b.done]",
    # Sync iterator under yield*: done before value, for next, throw and return.
    "const log = []; const result = (tag, done) => ({ get done() { log.push(tag + ' done'); return done }, "
    "get value() { log.push(tag + ' value'); return tag } }); "
    "const sync = { [Symbol.iterator]() { return { next() { return result('next', false) }, "
    "throw() { return result('throw', false) }, return() { return result('return', true) } } } }; "
    "async function* g() { yield* sync } const it = g(); "
    "const a = await it.next(); const b = await it.throw(new Error('t')); const c = await it.return('r'); "
    "return [log, a.value, b.value, c.value, c.done]",
    # await of such a promise throws at the await, in async functions and async generators.
    "const p = Promise.resolve(1); Object.defineProperty(p, 'constructor', { get() { throw new Error('x') } }); "
    "async function f() { try { await p } catch (e) { return 'caught ' + e.message } } "
    "async function* g() { try { await p } catch (e) { yield 'caught ' + e.message } } "
    "return [await f(), (await g().next()).value]",
    # return() through yield* to an iterator without return(): its value is awaited twice, in order.
    "var actual = []; var asyncIter = { [Symbol.asyncIterator]() { return this }, next() { return { done: false } }, "
    "get return() { actual.push('get return') } }; "
    "async function* f() { actual.push('start'); yield* asyncIter; actual.push('never') } "
    "const done = Promise.resolve(0).then(() => actual.push('tick 1')).then(() => actual.push('tick 2'))"
    ".then(() => actual.push('tick 3')).then(() => actual.push('tick 4')); "
    "var it = f(); it.next(); it.return({ get then() { actual.push('get then') } }); await done; return actual",
    # An async generator ending without `return expr` completes with no extra Await.
    "const actual = []; async function* g1() {} async function* g2() { return; } "
    "async function* g3() { return undefined; } "
    "async function* g5(x) { try { if (x) return; yield 1 } finally { actual.push('fin') } } "
    "const done = Promise.resolve(0).then(() => actual.push('tick 1')).then(() => actual.push('tick 2'))"
    ".then(() => actual.push('tick 3')); "
    "g1().next().then(v => actual.push('g1 ' + v.done)); g2().next().then(v => actual.push('g2')); "
    "g3().next().then(v => actual.push('g3')); g5(true).next().then(v => actual.push('g5 ' + v.value)); "
    "await done; return actual",
    # Anonymous classes in defaults are named after their target; named and static-name ones keep theirs.
    "function f([a = class {}, b = class B {}, c = class { static name() {} }], {d = class {}} = {}) "
    "{ return [a.name, b.name, typeof c.name, d.name] } return f([])",
    "function* g([cls = class {}]) { yield cls.name } let x; [x = class {}] = []; ({y: x = class {}} = {}); "
    "return [g([]).next().value, x.name]",
    # arguments in a nested method is the method's own.
    "const o = { next() { const a = arguments.length; return { then(r) { return [a, arguments.length] } } } }; "
    "return o.next(1).then(1, 2)",
    "function outer() { arguments; return function () { return arguments.length }(1, 2, 3) } return outer(9)",
    "function outer() { const f = () => arguments[0]; return [f(5), (function () { return arguments[0] })(7)] } "
    "return outer(3)",
    "function outer(arguments) { return function () { return typeof arguments }() } return outer(1)",
    # The function kinds' constructors and prototypes.
    "const GF = Object.getPrototypeOf(function* () {}).constructor; "
    "const AGF = Object.getPrototypeOf(async function* () {}).constructor; "
    "const AF = Object.getPrototypeOf(async function () {}).constructor; "
    "const GP = Object.getPrototypeOf(function* () {}).prototype; "
    "return [GF.name, GF.length, AGF.name, AF.name, Object.getPrototypeOf(GF) === Function, "
    "typeof globalThis.GeneratorFunction, GP.constructor === GF.prototype, GP === GF.prototype.prototype, "
    "Object.prototype.toString.call(GF.prototype), Object.prototype.toString.call(AF.prototype), "
    "Object.getPrototypeOf(async () => {}) === AF.prototype, Object.getOwnPropertyNames(AF.prototype).join(), "
    "Object.getPrototypeOf(AGF.prototype.prototype) === Object.getPrototypeOf(Object.getPrototypeOf("
    "(async function* () {})())), Object.getOwnPropertyDescriptor(GP, 'constructor').writable]",
    "const GF = Object.getPrototypeOf(function* () {}).constructor; class Gfn extends GF {} "
    "const gfn = new Gfn('a', 'yield a; yield a * 2;'); const it = gfn(42); "
    "return [it.next().value, it.next().value, gfn instanceof Gfn, String(GF('yield 1')), "
    "(() => { try { GF('yield') ; return 'ok' } catch (e) { return e.name } })()]",
    # caller and arguments of functions without own ones: %ThrowTypeError% on Function.prototype.
    "const t = (f) => { try { return f() } catch (e) { return e.name } }; "
    "const GF = Object.getPrototypeOf(function* () {}).constructor; const g = new GF(); "
    "const d = Object.getOwnPropertyDescriptor(Function.prototype, 'caller'); "
    "return [t(() => g.caller), t(() => { g.arguments = 1 }), g.hasOwnProperty('caller'), t(() => (() => 1).caller), "
    "t(() => (class {}).arguments), d.get === d.set, d.configurable, d.enumerable, d.get.name, d.get.length, "
    "Object.isFrozen(d.get), d.get === Object.getOwnPropertyDescriptor(Function.prototype, 'arguments').get]",
    "const AF = Object.getPrototypeOf(async function () {}).constructor; const f = AF('x', 'return await x * 2'); "
    "return [await f(21), f.name, typeof f.prototype, (() => { try { new f(); return 'made' } "
    "catch (e) { return e.name } })()]",
]


@pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")
def test_protocol_details_like_node() -> None:
    assert_like_node(PROTOCOL_CASES)


# ES2025 closes the sync iterator when its value rejects (AsyncFromSyncIteratorContinuation's
# closeOnRejection); Node 20 predates that, so these follow the spec.
CLOSE_ON_REJECTION = [
    # A sync iterator whose value rejects before it is done is closed (not when it is done).
    "const log = []; const mk = (done) => ({ [Symbol.iterator]() { return { "
    "next() { return { done, value: Promise.reject(new RangeError('v')) } }, "
    "return() { log.push('return ' + done); return {} } } } }); "
    "async function* g(done) { yield* mk(done) } "
    "for (const done of [false, true]) { try { await g(done).next() } catch (e) { log.push(e.name) } } "
    "try { for await (const x of mk(false)) {} } catch (e) { log.push('loop ' + e.name) } return log",
    # A value that cannot be awaited (its constructor getter throws) closes the sync iterator too.
    "const log = []; const p = Promise.resolve(1); "
    "Object.defineProperty(p, 'constructor', { get() { throw new EvalError('c') } }); "
    "const it = { [Symbol.iterator]() { return { next() { return { done: false, value: p } }, "
    "return() { log.push('return'); return {} } } } }; "
    "async function* g() { yield* it } try { await g().next() } catch (e) { log.push(e.name) } return log",
]


def test_sync_iterator_closed_when_its_value_rejects() -> None:
    assert_renders([
        (CLOSE_ON_REJECTION[0], '["return false", "RangeError", "RangeError", "return false", "loop RangeError"]'),
        (CLOSE_ON_REJECTION[1], '["return", "EvalError"]'),
    ])


def test_generator_object_prototype_is_read_after_binding() -> None:
    # OrdinaryCreateFromConstructor follows FunctionDeclarationInstantiation (ES2025 15.5.2);
    # V8 reads `prototype` first, so this follows the spec rather than Node.
    assert_renders([
        ("function* g(a = (g.prototype = null)) {} const GP = Object.getPrototypeOf(function* () {}).prototype; "
         "g.prototype = {}; return Object.getPrototypeOf(g()) === GP", "true"),
        ("var g = async function* g(a = (g.prototype = 1)) {}; const AGP = Object.getPrototypeOf(async function* () {}).prototype; "
         "const old = g.prototype; const it = g(); return [Object.getPrototypeOf(it) === AGP, old !== AGP]",
         "[true, true]"),
    ])


def test_yield_star_awaits_the_inner_return_value() -> None:
    # ES2025 15.5.5 yield* step 7.c.viii.2: a done result of return() has its value awaited
    # (Node 20 hands the promise on).
    assert_renders([(
        "const inner = { [Symbol.asyncIterator]() { return this }, next() { return { done: false, value: 1 } }, "
        "return(v) { return { done: true, value: Promise.resolve('inner ' + v) } } }; "
        "var h = async function* () { yield* inner }; const it = h(); await it.next(); "
        "const r = await it.return('x'); return [r.value, r.done]",
        '["inner x", true]')])

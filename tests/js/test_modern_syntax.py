"""ES2018+ syntax with JavaScript semantics, checked against Node (V8) as the oracle.

Every case is a script body ending in ``return <value>``; it runs on seqflow
and (once, all cases in one process) on Node, and the JSON of both results
must agree. Cases that need no oracle (readable output, durable resume) follow.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from seqflow_runtime import FileStorage, create_flow
from seqflow_transpile import transpile
from elsewhere import resume_elsewhere
from node_oracle import node_results as oracle_results
from tests.jsrun import js_error, run_js

# -- the cases ------------------------------------------------------------------------

OPTIONAL_CHAINING = {
    "member and call short-circuit the whole chain": """
        const o = {a: {b: {c() { return this.tag }, tag: 7}}, n: null};
        let calls = 0; const f = () => { calls++; return o };
        return [o?.a.b.c(), o.n?.x.y.z(), f()?.a?.['b']?.tag, o.zz?.(), o.a.b.c?.(), calls,
                o.n?.[calls++], calls, undefined?.x, null?.[0]];
    """,
    "this is kept for a?.b() and a.b?.() and (a?.b)()": """
        const o = {v: 1, m() { return this === o }};
        return [o?.m(), o.m?.(), (o?.m)(), o?.['m']()];
    """,
    "a non-function in a chain still throws": """
        const o = {a: {}};
        const r = [];
        try { o?.a.b() } catch (e) { r.push(e.name) }
        try { o.a?.b.c } catch (e) { r.push(e.name) }
        try { (o?.zz)() } catch (e) { r.push(e.name) }
        return r;
    """,
    "only null and undefined short-circuit": """
        const vals = [0, '', false, NaN, null, undefined];
        return vals.map(v => v?.toString === undefined ? 'cut' : typeof v?.toString);
    """,
    "delete through an optional chain": """
        const o = {a: {b: 1, c: 2}, n: null};
        return [delete o?.a.b, delete o.n?.x, delete o.zz?.y.z, Object.keys(o.a)];
    """,
    "optional calls on private methods and computed keys": """
        class A { #m() { return 'p' } static t(o) { return o?.#m() } }
        let i = 0; const arr = [[10, 20]];
        return [A.t(new A()), A.t(null), arr?.[i++]?.[i++], i];
    """,
}

NULLISH_AND_LOGICAL_ASSIGNMENT = {
    "?? keeps falsy values, evaluates the left once": """
        let n = 0; const next = () => { n++; return null };
        return [0 ?? 1, '' ?? 'x', false ?? true, null ?? 'd', undefined ?? 'e', next() ?? n, n,
                (null || undefined) ?? 'f', null ?? (0 || 'g')];
    """,
    "??=, ||=, &&= assign only when needed": """
        let a = null, b = 0, c = 1, d = 'keep';
        a ??= 'A'; b ||= 'B'; c &&= 'C'; d ??= 'never';
        let e = 0; e &&= 'never'; let f = 'x'; f ||= 'never';
        return [a, b, c, d, e, f];
    """,
    "logical assignment on members does not set when not needed": """
        const log = [];
        const o = new Proxy({a: 1, b: null, c: 0}, {
          set(t, k, v) { log.push('set ' + k); t[k] = v; return true },
          get(t, k) { log.push('get ' + String(k)); return t[k] }
        });
        o.a ??= 9; o.b ??= 2; o.c ||= 3; o.a &&= 4; o['c'] &&= 5;
        return [log, o.a, o.b, o.c];
    """,
    "logical assignment evaluates the object and key once": """
        let n = 0; const objs = [{}, {}]; const key = () => { n++; return 'k' };
        objs[n++][key()] ??= 'v';
        return [n, objs[0].k, objs[1].k];
    """,
    "a const is only an error when assigned": """
        const c = 1, z = 0; c ??= 2; z &&= 5;
        try { c ||= 3; c &&= 5 } catch (e) { return [c, z, e.name] }
        return 'no error';
    """,
    "the value of the assignment expression": """
        let a = null; let b = 5; const o = {};
        return [(a ??= 3), (b ??= 4), (o.x ||= 'x'), (o.x &&= 'y'), o.x];
    """,
}

SMALL_SYNTAX = {
    "optional catch binding": """
        let r = 'none';
        try { throw new Error('x') } catch { r = 'caught' }
        return r;
    """,
    "numeric separators": "return [1_000_000, 0b1010_0001, 1_0.5e1_0, 0o7_7, 0xff_ff, .0_1];",
    "object rest and spread": """
        const {a, ...rest} = {a: 1, b: 2, c: 3};
        const merged = {...rest, d: 4, ...null, ...'hi', ...[9]};
        function f({x, ...others}) { return Object.keys(others) }
        let y, z; ({y, ...z} = {y: 1, q: 2});
        return [a, rest, merged, f({x: 1, m: 2, n: 3}), y, z];
    """,
    "class getters and setters": """
        class T { #v = 1; get v() { return this.#v } set v(x) { this.#v = x * 2 }
                  static get s() { return 's' } }
        const t = new T(); t.v = 5;
        return [t.v, T.s, Object.getOwnPropertyNames(T.prototype)];
    """,
}

CLASS_FIELDS = {
    "public, private and static fields, evaluation order": """
        const log = [];
        let n = 0;
        const k = () => { log.push('key' + n); return 'k' + (n++) };
        class Base { constructor() { log.push('base sees x=' + this.x) } }
        class A extends Base {
          #secret = 41;
          x = this.#secret + 1;
          [k()] = 1;
          static count = 0;
          static #made = 0;
          arrow = () => this.x;
          static { this.ready = true; A.count = 10 }
          constructor() { log.push('before super'); super(); log.push('after super x=' + this.x); A.#made++ }
          [k()]() { return 'm' }
          static made() { return A.#made }
        }
        const a = new A(), b = new A();
        return [log, a.x, a.k0, typeof a.k1, A.made(), A.count, A.ready, a.arrow.call(null), a.arrow.name,
                Object.keys(a), Object.keys(A)];
    """,
    "private methods, accessors and #x in": """
        class C {
          #x = 1;
          #m() { return this.#x * 2 }
          get #acc() { return this.#x + 100 }
          set #acc(v) { this.#x = v }
          static #sm() { return 'static private' }
          run() { this.#acc = 5; this.#x += 1; this.#x++; return [this.#m(), this.#acc, C.#sm()] }
          static has(o) { return #x in o && #m in o }
        }
        return [new C().run(), C.has(new C()), C.has({}), C.has(C)];
    """,
    "brand checks are TypeErrors": """
        class C { #x = 1; #m() {} get #g() { return 1 } static read(o) { return o.#x }
                  static write(o) { o.#x = 2 } static call(o) { return o.#m() }
                  static setMethod(o) { o.#m = 1 } static setGetter(o) { o.#g = 1 }
                  static inPrim() { return #x in 1 } }
        const r = [];
        for (const f of ['read', 'write', 'call', 'setMethod', 'setGetter', 'inPrim']) {
          try { C[f](f.startsWith('set') ? new C() : {}); r.push('ok') } catch (e) { r.push(e.name) }
        }
        return r;
    """,
    "each evaluation of a class body has its own private names": """
        const make = () => class { #v = 1; static get(o) { return o.#v } };
        const A = make(), B = make();
        let r; try { r = A.get(new B()) } catch (e) { r = e.name }
        return [A.get(new A()), r];
    """,
    "fields without initialisers, computed keys and anonymous function names": """
        const sym = Symbol('s');
        class F { a; ['b' + 1] = 2; [sym] = 3; 4 = 'four'; 'q r' = 5; f = function () {}; g = () => 0;
                  static h = class {}; }
        const f = new F();
        return [Object.keys(f), 'a' in f, f.a === undefined, f[sym], f.f.name, f.g.name, F.h.name];
    """,
    "anonymous class expressions keep their fields and take the variable's name": """
        const C = class { static x = 1; y = 2; #z = 3; z() { return this.#z } };
        const o = { K: class { static s = 'k' } };
        return [C.x, new C().y, new C().z(), C.name, o.K.s];
    """,
    "field initialisers see this, and super in methods": """
        class P { greet() { return 'P' } }
        class Q extends P { own = this.constructor.name; said = super.greet() + 'Q';
                            static tag = this.name + '!'; }
        return [new Q().own, new Q().said, Q.tag];
    """,
    "static blocks run in order with fields, var is local": """
        const log = [];
        class S {
          static a = log.push('a');
          static { var local = 'v'; log.push('block1 ' + local + ' ' + this.a) }
          static b = log.push('b');
          static { log.push('block2 ' + typeof local) }
        }
        return [log, typeof local];
    """,
    "a derived class without a constructor initialises its fields after super": """
        class B { constructor(x) { this.x = x; this.seen = this.y } }
        class D extends B { y = this.x * 2 }
        const d = new D(21);
        return [d.x, d.y, d.seen, D.length];
    """,
    "a field shadows an inherited setter (define, not set)": """
        class B { set v(x) { throw new Error('setter called') } }
        class D extends B { v = 1 }
        const d = new D();
        return [d.v, Object.getOwnPropertyDescriptor(d, 'v')];
    """,
    "nested classes, static private accessors, subclassed built-ins, chains on getters": """
        const out = [];
        class Outer {
          #o = 'outer';
          static #sp = 1;
          static get #sg() { return 'static getter ' + Outer.#sp }
          static read() { return Outer.#sg }
          static has(o) { return #sp in o }
          static arrow = () => this.name;
          make() {
            const self = this;
            return new (class Inner { #i = 'inner'; read(x) { return [x.#o, this.#i] } })().read(self);
          }
          static counter = 0;
          id = ++Outer.counter;
          ['computed' + 'Method']() { return 'cm' }
          static 'quoted key' = 'q';
          static 42 = 'n';
        }
        out.push(Outer.read(), Outer.has(Outer), Outer.has(new Outer()), Outer.arrow(), new Outer().make(), new Outer().id, new Outer().computedMethod(), Outer['quoted key'], Outer[42]);
        class WithSuper extends Array { extra = this.length; #p = 5; get p() { return this.#p } }
        const w = new WithSuper(3);
        out.push(w.length, w.extra, w.p, Array.isArray(w));
        class E extends Error { code = 'E_CODE'; constructor(m) { super(m); this.name = 'E' } }
        const e = new E('msg');
        out.push(e.code, e.message, e instanceof Error, String(e));
        const o = { a: { b: [ { c: () => 'deep' } ] } };
        out.push(o?.a?.b?.[0]?.c?.(), o?.a?.b?.[5]?.c?.(), typeof o.a?.b.at);
        let counter = 0;
        const obj = { get g() { counter++; return null } };
        out.push(obj.g ?? 'd', counter, (obj.g)?.x, counter);
        return out;
    """,
    "defining a field on a frozen object fails": """
        class B { constructor() { return Object.freeze({}) } }
        class D extends B { x = 1 }
        try { new D(); return 'no error' } catch (e) { return e.name }
    """,
}

ASYNC_ITERATION = {
    "async generators with for await, break and return()": """
        const log = [];
        async function* gen(n) {
          try {
            for (let i = 0; i < n; i++) { const v = await Promise.resolve(i * 10); log.push('yield ' + v); yield v }
            return 'end';
          } finally { log.push('finally') }
        }
        const out = [];
        for await (const x of gen(3)) out.push(x);
        for await (const x of gen(5)) { if (x === 10) break; out.push('early ' + x) }
        const it = gen(2);
        const steps = [await it.next(), await it.next(), await it.next(), await it.next()];
        return [out, log, steps.map(s => [s.value === undefined ? 'u' : s.value, s.done]),
                Object.prototype.toString.call(it), it[Symbol.asyncIterator]() === it];
    """,
    "queued requests are served in order": """
        async function* g() { const a = yield 1; const b = yield a + 1; return b }
        const it = g();
        const all = await Promise.all([it.next('ignored'), it.next(5), it.next(7), it.next()]);
        return all.map(s => [s.value === undefined ? 'u' : s.value, s.done]);
    """,
    "return() and throw() on an async generator": """
        const log = [];
        async function* g() {
          try { yield 1; yield 2 } catch (e) { log.push('caught ' + e); yield 'recovered' } finally { log.push('fin') }
        }
        const a = g(); await a.next();
        const r1 = await a.return(Promise.resolve('bye'));
        const b = g(); await b.next();
        const r2 = await b.throw('boom');
        const r3 = await b.next();
        const c = g();
        let r4; try { await c.throw(new Error('early')) } catch (e) { r4 = e.message }
        const r5 = await c.next();
        return [r1, r2, r3, r4, r5, log];
    """,
    "yield awaits its operand; a rejection is thrown in at the yield": """
        async function* g() {
          try { yield Promise.reject(new Error('no')) } catch (e) { yield 'caught ' + e.message }
          yield Promise.resolve('awaited');
        }
        const out = [];
        for await (const v of g()) out.push(v);
        return out;
    """,
    "for await over sync iterables, custom async iterators and errors": """
        const out = [];
        for await (const x of [Promise.resolve('a'), 'b', Promise.resolve('c')]) out.push(x);
        for await (const ch of 'hi') out.push(ch);
        let closed = 0;
        const custom = { [Symbol.asyncIterator]() { let i = 0; return {
          next() { i++; return Promise.resolve({ value: i, done: i > 3 }) },
          return() { closed++; return Promise.resolve({ done: true }) } } } };
        for await (const v of custom) { out.push(v); if (v === 2) break }
        const errs = [];
        try { for await (const v of 5) {} } catch (e) { errs.push(e.name) }
        try { for await (const v of { [Symbol.asyncIterator]() { return { next() { return 1 } } } }) {} }
        catch (e) { errs.push(e.name) }
        try { for await (const v of [Promise.reject(new Error('rej'))]) {} } catch (e) { errs.push(e.message) }
        return [out, closed, errs];
    """,
    "an error in the loop body closes the async iterator and wins": """
        const log = [];
        async function* g() { try { yield 1; yield 2 } finally { log.push('closed') } }
        try { for await (const v of g()) { throw new Error('body') } } catch (e) { log.push(e.message) }
        async function first() { for await (const v of g()) return v }
        log.push(await first());
        return log;
    """,
    "for await with closures per iteration, labels, patterns and return": """
        async function* gen(n) { for (let i = 0; i < n; i++) yield i }
        const fns = [];
        for await (const x of gen(3)) { fns.push(() => x); await null; }
        const out = fns.map(f => f());
        outer: for await (const a of gen(3)) {
          for await (const b of gen(3)) {
            if (b === 1) continue outer;
            if (a === 2) break outer;
            out.push(a + ':' + b);
          }
        }
        let i = 0;
        for await (let y of ['p', Promise.resolve('q')]) { y += '!'; out.push(y); if (++i > 5) break; }
        const {a, b: [c]} = {a: 1, b: [2]};
        for await (const {v, w = 'dw'} of [{v: 1}, Promise.resolve({v: 2, w: 'W'})]) out.push(v + w);
        async function findFirst() { for await (const x of gen(10)) { if (x > 2) return x } return -1 }
        out.push(await findFirst());
        return out;
    """,
    "yield* in async generators forwards next, return and throw": """
        const log = [];
        async function* inner() { try { const a = yield 1; log.push('inner got ' + a); yield Promise.resolve(2); return 'inner done' } finally { log.push('inner finally') } }
        async function* outer() { const r = yield* inner(); log.push('r=' + r); yield* [Promise.resolve('s1'), 's2']; return 'outer done' }
        const out = [];
        const it = outer();
        out.push(await it.next(), await it.next('A'), await it.next(), await it.next(), await it.next(), await it.next());
        const it2 = outer(); await it2.next();
        out.push(await it2.return('early'));
        async function* catcher() { try { yield 1 } catch (e) { yield 'caught ' + e } }
        async function* wrap() { yield* catcher() }
        const it3 = wrap(); await it3.next();
        out.push(await it3.throw('E'));
        async function* noThrow() { yield* { [Symbol.asyncIterator]() { return { next() { return Promise.resolve({value: 1, done: false}) }, return() { log.push('closed'); return Promise.resolve({done: true}) } } } } }
        const it4 = noThrow(); await it4.next();
        try { await it4.throw('x') } catch (e) { out.push(e.name) }
        return [out.map(r => r && typeof r === 'object' ? [r.value === undefined ? 'u' : r.value, r.done] : r), log];
    """,
    "async generator methods in classes and objects": """
        class Pages { constructor(n) { this.n = n }
          async *[Symbol.asyncIterator]() { for (let i = 1; i <= this.n; i++) yield 'p' + i }
          static async *count() { yield 1; yield 2 } }
        const o = { async *twice(x) { yield x; yield x } };
        const out = [];
        for await (const p of new Pages(2)) out.push(p);
        for await (const c of Pages.count()) out.push(c);
        for await (const t of o.twice('t')) out.push(t);
        return out;
    """,
}

BIGINT = {
    "BigInt literals, operators, comparisons, conversions and the BigInt global": """
        const r = [];
        const t = (f) => { try { return f() } catch (e) { return e.name + ': ' + e.message } };
        r.push(typeof 10n, String(2n ** 64n), String(-7n / 2n), String(-7n % 2n), String(7n % -2n), String(0x1fn), String(1_000n));
        r.push(t(() => 1n + 1), t(() => 1n * 1.5), t(() => +1n), t(() => 1n >>> 1n), t(() => 1n / 0n), t(() => 2n ** -1n).split(':')[0]);
        r.push(1n < 2, 2n > 1.5, 1n == 1, 1n === 1, 1n == '1', 2n > '1', 1n < 'x', 0n == false, 10n == 10.0, 9007199254740993n > 9007199254740992);
        r.push(String(-5n >> 1n), String(5n << 3n), String(-1n & 0xffn), String(~5n), String(-(-3n)), String(5n ^ 3n));
        let x = 5n; x++; x += 10n; r.push(String(x), typeof x);
        r.push(BigInt(42), BigInt('0x10'), BigInt(true), BigInt('  12  '), BigInt(' '));
        r.push(t(() => BigInt(1.5)), t(() => BigInt('1.5')), t(() => BigInt(undefined)), t(() => new BigInt(1)), t(() => BigInt(Symbol())).split(':')[0]);
        r.push(BigInt.asIntN(8, 255n), BigInt.asUintN(8, -1n), BigInt.asIntN(64, 2n ** 63n), BigInt.asUintN(0, 5n), BigInt.asIntN(1, 1n));
        r.push((255n).toString(16), (-255n).toString(2), (10n).toString(), t(() => (1n).toString(1)).split(':')[0], 5n + '', `${7n}`);
        r.push(t(() => JSON.stringify({a: 1n})), t(() => Math.max(1n)), Object.prototype.toString.call(1n), (1n).constructor === BigInt);
        r.push(!!0n, !!1n, 0n ? 'y' : 'n', [1n, 2n].includes(2n), new Set([1n, 1n, 1]).size, ({[1n]: 'k'})['1'], 1n < 1, 2n >= 2n);
        r.push(t(() => 1n + Symbol()), 3n * -0n === 0n, Object.is(0n, -0n));
        return JSON.stringify(r, (k, v) => typeof v === 'bigint' ? v.toString() + 'n' : v);
    """,
}

ALL_CASES = {**BIGINT, **ASYNC_ITERATION, **OPTIONAL_CHAINING, **NULLISH_AND_LOGICAL_ASSIGNMENT, **SMALL_SYNTAX, **CLASS_FIELDS}

@pytest.fixture(scope="module")
def node_results() -> dict[str, Any]:
    """Every case's result on Node, as ``[0, value]`` (or ``[1, error]``)."""
    return oracle_results(ALL_CASES, "async body")


def as_json(value: Any) -> Any:
    """A seqflow result as Node's JSON.stringify would give it back."""
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("name", list(ALL_CASES))
def test_same_as_node(name: str, node_results: dict[str, Any]) -> None:
    expected = node_results[name]
    assert expected[0] == 0, f"the case itself fails on node: {expected[1]}"
    assert as_json(run_js(ALL_CASES[name])) == expected[1]


# -- readable output --------------------------------------------------------------------


def test_chains_and_nullish_on_names_read_as_inline_python() -> None:
    source = transpile("let a = null, d = 1;\nconst v = a?.b;\nconst w = a ?? d;\na ??= d;").python_source
    assert "v = undefined if rt.is_nullish(a) else rt.get(a, 'b')" in source
    assert "w = d if rt.is_nullish(a) else a" in source
    assert "(a := d) if rt.is_nullish(a) else a" in source
    assert "_t" not in source  # plain names need no temporaries


def test_private_state_cannot_be_reached_by_reflection() -> None:
    result = run_js("""
        class V { #secret = 's'; static check(o) { return #secret in o } }
        const v = new V();
        const seen = [Object.getOwnPropertyNames(v), Object.getOwnPropertySymbols(v), Reflect.ownKeys(v),
                      JSON.stringify(v), Object.keys({...v})];
        const p = new Proxy(v, {});
        return [seen, V.check(v), V.check(p)];
    """)
    assert result == [[[], [], [], "{}", []], True, False]


def test_brand_check_error_message() -> None:
    error = js_error("class A { #x = 1; static read(o) { return o.#x } }\nA.read({})")
    assert error.name == "TypeError"
    assert "#x" in error.message


# -- durable: the new constructs survive a cold resume -------------------------------------


PAGINATED = """
class Client {
  #token;
  #calls = 0;
  constructor(token) { this.#token = token }
  async get(url) {
    this.#calls++;
    const res = await fetch(url, { headers: { authorization: this.#token } });
    return res.json();
  }
  get calls() { return this.#calls }
  static #instances = 0;
  static make(token) { Client.#instances++; return new Client(token) }
}
async function* pages(client) {
  let url = 'https://api.example.com/items?page=1';
  while (url) {
    const page = await client.get(url);
    for (const item of page.items) yield item;
    url = page.next ?? null;
  }
}
const client = Client.make('t0k');
const names = [];
for await (const item of pages(client)) {
  names.push(item.name?.toUpperCase() ?? '(none)');
}
return { names, calls: client.calls };
"""


PAGE_RESPONSES = [
    {"data": {"items": [{"name": "a"}, {"name": "b"}], "next": "https://api.example.com/items?page=2"}},
    {"data": {"items": [{}, {"name": "c"}], "next": "https://api.example.com/items?page=3"}},
    {"data": {"items": [{"name": "d"}]}},
]


def test_for_await_over_paginated_fetch_survives_cold_resumes(tmp_path: Path) -> None:
    task = create_flow(storage=FileStorage(tmp_path)).execute(PAGINATED, id="pages")
    urls = []
    for response in PAGE_RESPONSES:
        assert task.status == "paused", task.error
        assert task.fetch_request is not None
        assert task.fetch_request.headers.get("authorization") == "t0k"  # a private field, replayed
        urls.append(task.fetch_request.url)
        # A fresh Flow holds no live program: every resume replays the log.
        task = create_flow(storage=FileStorage(tmp_path)).resume("pages", fetch_response=response)
    assert task.status == "completed", task.error
    assert task.result == {"names": ["A", "B", "(none)", "C", "D"], "calls": 3}
    assert urls == [f"https://api.example.com/items?page={n}" for n in (1, 2, 3)]


SUSPENDED_GENERATOR = """
async function* ticker(label) {
  let n = 0;
  try {
    while (true) {
      const res = await fetch('https://api.example.com/tick/' + label + '/' + n);
      yield label + ':' + (await res.json()).v;
      n++;
    }
  } finally {
    await fetch('https://api.example.com/closed/' + label);
  }
}
const it = ticker('x');
const first = await it.next();
const second = await it.next();
const done = await it.return('stop');
return [first.value, second.value, done];
"""


def test_async_generator_suspended_mid_iteration_resumes_in_another_process(tmp_path: Path) -> None:
    task = create_flow(storage=FileStorage(tmp_path)).execute(SUSPENDED_GENERATOR, id="gen")
    answers = [{"data": {"v": 1}}, {"data": {"v": 2}}, {"data": {}}]
    for answer in answers:
        assert task.status == "paused", task.error
        resume_elsewhere(tmp_path, "gen", answer)
        task = create_flow(storage=FileStorage(tmp_path)).get_task("gen")
    assert task.status == "completed", task.error
    assert task.result == ["x:1", "x:2", {"value": "stop", "done": True}]


# -- BigInt beyond what the oracle table shows --------------------------------------------


def test_bigint_sizes_are_bounded_and_huge_values_convert() -> None:
    # Python refuses int<->str conversions past 4300 digits; BigInts split them.
    literal = "9" * 5000
    assert run_js(f"const b = {literal}n; [String(b).length, String(b + 1n).length, BigInt(String(b)) === b]") \
        == [5000, 5001, True]
    assert run_js("const big = 7n ** 20000n; [big.toString().length, big.toString(32).length, "
                  "big.toString(7).length, BigInt.asIntN(2 ** 53 - 1, -5n) === -5n]") == [16902, 11230, 20001, True]
    for source in ["let x = 3n; for (;;) x = x * x;", "2n ** 100000000n", "1n << 100000000n",
                   "BigInt.asUintN(2 ** 40, -1n)"]:
        error = js_error(source)
        assert (error.name, error.message) == ("RangeError", "Maximum BigInt size exceeded"), source


def test_bigints_are_values_not_numbers() -> None:
    result = run_js("""
        const m = new Map([[1n, 'big'], [1, 'num']]);
        const s = new Set([10n, 10n, 10]);
        return [m.get(1n), m.get(1), s.size, [1n, 2n].indexOf(2n), typeof Object(1n), Object(1n) + 1n === 2n,
                (5n).toString(), 5n.valueOf() === 5n];
    """)
    assert result == ["big", "num", 2, 1, "object", True, "5", True]


def test_bigint_result_of_a_task_is_not_json() -> None:
    error = js_error("JSON.stringify([1n])")
    assert (error.name, error.message) == ("TypeError", "Do not know how to serialize a BigInt")


def test_a_limit_inside_for_await_runs_no_more_guest_code() -> None:
    from seqflow_runtime.limits import Limits

    error = js_error("""
        globalThis.log = [];
        const it = { [Symbol.asyncIterator]() { return {
          next() { return Promise.resolve({ value: 1, done: false }) },
          return() { log.push('return ran'); return Promise.resolve({ done: true }) } } } };
        for await (const x of it) { for (;;) {} }
    """, Limits(max_steps=10_000))
    assert error.code == "limit_exceeded"

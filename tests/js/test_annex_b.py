"""Annex B web-compatibility features, sloppy-mode details, ``new.target`` and ``Number(bigint)``.

Node 20 is the oracle: every case runs in seqflow and in ``node`` (live) and the
renderings must be identical.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seqflow_runtime import FileStorage, create_flow
from jsrun import run_js
from node_oracle import DEEP_RENDER, assert_like_node, needs_node

ORACLE: dict[str, list[str]] = {
    "legacy accessors": [
        "var o = {}, log = []; o.__defineGetter__('x', function () { return 7; });"
        " o.__defineSetter__('x', function (v) { log.push(v); }); o.x = 3;"
        " return [o.x, log, Object.getOwnPropertyDescriptor(o, 'x')]",
        "var o = {}; o.__defineGetter__('x', function () { return 1; }); var c = Object.create(o);"
        " return [typeof c.__lookupGetter__('x'), c.__lookupSetter__('x'), c.__lookupGetter__('y')]",
        "({ get z() { return 1; }, w: 1 }).__lookupGetter__('w')",
        "var o = { w: 1 }; var c = Object.create(o); c.__defineGetter__('w', function () { return 2; }); return [c.w, o.w]",
        "({}).__defineGetter__('a', 1)",
        "Object.freeze({}).__defineGetter__('a', function () {})",
        "var s = Symbol('s'), o = {}; o.__defineGetter__(s, function () { return 's'; }); return o[s]",
        "var k = { toString: function () { return 'kk'; } }, o = {}; o.__defineSetter__(k, function () {}); return Object.keys(o)",
        "Object.prototype.__lookupGetter__.call(undefined, 'x')",
        "Object.prototype.__defineGetter__.call(1, 'x', function () {})",
        "Object.prototype.__lookupGetter__.call('str', 'length')",
        "[Object.prototype.__defineGetter__.length, Object.prototype.__defineSetter__.length,"
        " Object.prototype.__lookupGetter__.length, Object.prototype.__lookupSetter__.length]",
        "Object.getOwnPropertyDescriptor(Object.prototype, '__defineGetter__')",
        "var p = new Proxy({}, { defineProperty: function () { return false; } }); p.__defineGetter__('a', function () {})",
    ],
    "proto": [
        "Object.getPrototypeOf({ __proto__: Array.prototype }) === Array.prototype",
        "Object.keys({ __proto__: null, a: 1 })",
        "var o = {}; o.__proto__ = Array.prototype; return Array.isArray(o) + ',' + (o instanceof Array)",
        "({ ['__proto__']: 1 }).hasOwnProperty('__proto__')",
        "Object.create(null).__proto__",
    ],
    "strings and dates": [
        "['anchor', 'big', 'blink', 'bold', 'fixed', 'fontcolor', 'fontsize', 'italics', 'link', 'small',"
        " 'strike', 'sub', 'sup'].map(function (m) { return 'x'[m]('\"q'); })",
        "[escape('a b+ü\\u1234@*_-./'), unescape('%u1234%41%zz%'), escape(''), unescape('%u12')]",
        "['abcdef'.substr(-3, 2), 'abc'.substr(1), 'abc'.substr(0, -1), 'abc'.substr(NaN, Infinity)]",
        "var d = new Date(2000, 0, 1); d.setYear(99); return [d.getYear(), d.getFullYear(), d.setYear(NaN)]",
        "Date.prototype.toGMTString === Date.prototype.toUTCString",
    ],
    "mapped arguments": [
        "function f(a, b) { arguments[0] = 10; b = 20; return [a, arguments[1], arguments.length]; } return f(1, 2)",
        "function f(a, b) { b = 2; return [arguments.length, arguments[1]]; } return f(1)",
        "function f(a) { 'use strict'; arguments[0] = 9; return a; } return f(1)",
        "function f(a = 0) { arguments[0] = 9; return a; } return f(1)",
        "function f(a, ...r) { arguments[0] = 9; return a; } return f(1)",
        "function f({ a }) { arguments[0] = 9; return a; } return f({ a: 1 })",
        "function f(a) { delete arguments[0]; arguments[0] = 7; return [a, arguments[0]]; } return f(1)",
        "function f(a) { Object.defineProperty(arguments, '0', { value: 3, writable: false }); a = 4; return [arguments[0], a]; } return f(1)",
        "function f(a) { Object.defineProperty(arguments, '0', { get: function () { return 'g'; } }); a = 4; return [arguments[0], a]; } return f(1)",
        "function f(a) { Object.defineProperty(arguments, '0', { enumerable: false }); a = 4; return [arguments[0], Object.keys(arguments)]; } return f(1)",
        "function f(a, a) { arguments[1] = 8; arguments[0] = 5; return a; } return f(1, 2)",
        "function f(a) { a = 2; return [Object.keys(arguments), JSON.stringify(arguments),"
        " Array.prototype.slice.call(arguments), Object.prototype.toString.call(arguments), [...arguments]]; } return f(1)",
        "function f(a) { var inner = function () { return a; }; arguments[0] = 'x'; return inner(); } return f(1)",
        "function* g(a) { arguments[0] = 5; yield a; a = 6; yield arguments[0]; } var it = g(1); return [it.next().value, it.next().value]",
        "function f(a) { for (var i = 0; i < 3; i++) { arguments[0] += i; } return a; } return f(10)",
        "function f(a) { Object.freeze(arguments); a = 2; return arguments[0]; } return f(1)",
        "function f(a) { return Object.getOwnPropertyDescriptor(arguments, '0'); } return f(1)",
    ],
    "block functions": [
        "function f() { var before = typeof g; { function g() { return 1; } } return [before, typeof g]; } return f()",
        "function f() { let g = 5; { function g() {} } return g; } return f()",
        "function f(g) { { function g() {} } return typeof g; } return f(1)",
        "function f() { if (true) { function h() { return 'h'; } } return h(); } return f()",
        "function f() { if (false) { function h() {} } return typeof h; } return f()",
        "function f() { { function k() { return 1; } } { function k() { return 2; } } return k(); } return f()",
        "function f() { switch (1) { case 1: function s() { return 's'; } } return s(); } return f()",
        "function f(x) { switch (x) { case 0: return t(); case 1: function t() { return 't'; } } } return f(0)",
        "function f() { for (var i = 0; i < 2; i++) { function q() { return i; } } return q(); } return f()",
        "function f() { 'use strict'; { function g() {} } return typeof g; } return f()",
        "function f() { { m = 3; function m() {} } return typeof m; } return f()",
        "function f() { { let x; { function x() {} } } return typeof x; } return f()",
        "function f() { for (let q of [1]) { function q2() { return q; } } return q2(); } return f()",
        "function f() { try { throw 1; } catch (e) { { function e2() { return 'c'; } } } return e2(); } return f()",
    ],
    "new.target": [
        "var r = []; function F() { r.push(new.target === F); G.call(this); this.m(); r.push((() => new.target)() === F); }"
        " function G() { r.push(new.target); } F.prototype.m = function () { r.push(new.target); }; new F(); return r",
        "var r = []; class A { constructor() { r.push(new.target === B, (() => new.target)() === B); } }"
        " class B extends A { constructor() { super(); r.push(new.target === B); } } new B(); return r",
        "function H() { return new.target; } return [Reflect.construct(H, [], Array) === Array, H(), new H() === H]",
        "function K(x = new.target) { return x; } return new K() === K",
        "function P() { if (!new.target) return new P(); this.made = true; } return P().made",
        "function F() { return typeof new.target; } return [F(), F.call({}), new F() instanceof F]",
    ],
    "number of a bigint": [
        "[Number(10n), Number(-7n), Number(2n ** 64n), Number(2n ** 53n + 1n), Number(Object(5n))]",
        "[Number(-(2n ** 1100n)), Number(2n ** 1024n - 2n ** 970n - 1n), Number(2n ** 1024n - 2n ** 970n)]",
        "new Number(10n).valueOf()",
        "+10n",
        "Math.abs(1n)",
        "Math.max(1, 2n)",
        "Number(0n)",
    ],
}


@needs_node
@pytest.mark.parametrize("feature", sorted(ORACLE))
def test_like_node(feature: str) -> None:
    assert_like_node(ORACLE[feature], DEEP_RENDER)


def test_html_like_comments() -> None:
    assert run_js("var a = 1; <!-- a = 2\nvar b = 1; /*\n*/ --> a = 3\na") == 1


DURABLE = """
function collect(first, second) {
  arguments[1] = second + '!';
  { function note() { return first + ':' + second; } }
  return fetch('https://api.example.com/' + first).then(r => r.json()).then(body => {
    first = body.v;
    return [note(), arguments[0], new.target === undefined];
  });
}
return await collect('a', 'b');
"""


def test_mapped_arguments_and_block_functions_survive_cold_resume(tmp_path: Path) -> None:
    storage_dir = tmp_path / "tasks"
    task = create_flow(storage=FileStorage(storage_dir)).execute(DURABLE, id="annexb")
    assert task.status == "paused" and task.fetch_request is not None
    assert task.fetch_request.url == "https://api.example.com/a"
    task = create_flow(storage=FileStorage(storage_dir)).resume("annexb", fetch_response={"data": {"v": "z"}})
    assert task.status == "completed", task.error
    assert task.result == ["z:b!", "z", True]

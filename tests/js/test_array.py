"""The Array constructor and every Array.prototype method: holes, array-likes, mutation
during iteration, sort, subclassing, limits, and a quickjs oracle table."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jsrun import evaluate, js_error, run_js
from seqflow_runtime.limits import Limits


def split_last_statement(case: str) -> tuple[str, str]:
    """``"s1; s2; expr"`` → ``("s1; s2;", "expr")``: the last top-level ``;`` outside brackets and quotes."""
    depth = 0
    quote = ""
    cut = -1
    i = 0
    while i < len(case):
        c = case[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == ";" and depth == 0:
            cut = i
        i += 1
    return case[: cut + 1], case[cut + 1 :]


def results(*cases: str, prelude: str = "") -> list[Any]:
    """Each case's value (as Python data) from one realm; a throw becomes ``"ERR Name: message"``.

    A case is an expression, optionally preceded by statements (``"var a = [1]; a.pop()"``).
    """
    # Each case runs in its own function, so its `var`s do not leak into the next.
    fns = ",\n".join(
        f"function () {{ {head} return ({tail}); }}" for head, tail in map(split_last_statement, cases)
    )
    src = prelude + (
        f"var cases = [{fns}];\n"
        "var out = [];\n"
        "for (var i = 0; i < cases.length; i++) {\n"
        "  try { out.push(cases[i]()); } catch (e) { out.push('ERR ' + e.name + ': ' + e.message); }\n"
        "}\n"
        "out"
    )
    value = run_js(src)
    assert isinstance(value, list)
    return value


def check(table: list[tuple[str, Any]], prelude: str = "") -> None:
    """Every expression of ``table`` evaluates to its expected Python value."""
    got = results(*(e for e, _ in table), prelude=prelude)
    for (expr, expected), actual in zip(table, got):
        assert actual == expected, f"{expr}: expected {expected!r}, got {actual!r}"


# -- the constructor -----------------------------------------------------------------------


def test_constructor() -> None:
    check([
        ("Array().length", 0),
        ("Array(3).length", 3),
        ("new Array(3).length", 3),
        ("0 in Array(3)", False),
        ("Array(1, 2)", [1, 2]),
        ("new Array('3')", ["3"]),
        ("Array(null)", [None]),
        ("new Array(2.0).length", 2),
        ("Array(0).length", 0),
        ("Array.length", 1),
        ("Array.name", "Array"),
        ("Array.prototype.constructor === Array", True),
        ("Object.getPrototypeOf([]) === Array.prototype", True),
        ("Array.isArray(Array.prototype)", True),
        ("typeof Array", "function"),
        ("Array.prototype.length", 0),
        ("Object.prototype.toString.call(new Array(1))", "[object Array]"),
        ("Array[Symbol.species] === Array", True),
    ])


def test_constructor_invalid_lengths() -> None:
    check([
        ("new Array(-1)", "ERR RangeError: Invalid array length"),
        ("Array(1.5)", "ERR RangeError: Invalid array length"),
        ("new Array(NaN)", "ERR RangeError: Invalid array length"),
        ("new Array(Infinity)", "ERR RangeError: Invalid array length"),
        ("new Array(2 ** 32)", "ERR RangeError: Invalid array length"),
        ("new Array(2 ** 32 - 1)", "ERR RangeError: Invalid array length"),  # over the realm limit
        ("var a = []; a.length = -1; a", "ERR RangeError: Invalid array length"),
        ("var a = [1, 2, 3]; a.length = 1.5; a", "ERR RangeError: Invalid array length"),
    ])


def test_length_truncates_and_extends() -> None:
    check([
        ("var a = [1, 2, 3, 4]; a.length = 2; a", [1, 2]),
        ("var a = [1]; a.length = 3; [a.length, 1 in a]", [3, False]),
        ("var a = []; a[4] = 'x'; [a.length, 0 in a]", [5, False]),
    ])


def test_subclassing() -> None:
    check([
        ("(function () { class Stack extends Array {} const s = new Stack(); s.push(1); s.push(2);"
         " return [s.length, s instanceof Stack, s instanceof Array, Array.isArray(s)]; })()",
         [2, True, True, True]),
        ("(function () { class Stack extends Array { top() { return this[this.length - 1]; } }"
         " const s = new Stack(); s.push(1, 5); return s.top(); })()", 5),
        ("(function () { class A extends Array {} const a = new A(3); return [a.length, 0 in a]; })()",
         [3, False]),
        ("(function () { class A extends Array {} const a = A.of(1, 2); return [a instanceof A, a.length]; })()",
         [True, 2]),
        ("(function () { class A extends Array {} const a = A.from('xy'); return [a instanceof A, a.join('')]; })()",
         [True, "xy"]),
        # species: map/filter/slice/splice/concat/flat build instances of the subclass
        ("(function () { class A extends Array {} const a = A.from([1, 2, 3]);"
         " return [a.map(x => x) instanceof A, a.filter(x => x) instanceof A, a.slice() instanceof A,"
         " a.splice(0, 1) instanceof A, a.concat([]) instanceof A, a.flat() instanceof A]; })()",
         [True, True, True, True, True, True]),
        ("(function () { class A extends Array { static get [Symbol.species]() { return Array; } }"
         " const a = new A(); a.push(1); const m = a.map(x => x);"
         " return [m instanceof A, Array.isArray(m)]; })()", [False, True]),
        ("(function () { const a = [1, 2]; a.constructor = { [Symbol.species]: function (n) { this.made = n; } };"
         " const r = a.map(x => x * 3); return [Array.isArray(r), r.made, r[0], r[1]]; })()",
         [False, 2, 3, 6]),
        ("(function () { const a = [1]; a.constructor = { [Symbol.species]: null }; return Array.isArray(a.map(x => x)); })()",
         True),
        ("(function () { const a = [1]; a.constructor = { [Symbol.species]: 5 }; return a.map(x => x); })()",
         "ERR TypeError: object.constructor[Symbol.species] is not a constructor"),
    ])


# -- static methods ------------------------------------------------------------------------


def test_is_array() -> None:
    check([
        ("Array.isArray([])", True),
        ("Array.isArray(new Array(2))", True),
        ("Array.isArray({length: 0})", False),
        ("Array.isArray('abc')", False),
        ("Array.isArray()", False),
        ("Array.isArray(null)", False),
        ("(function () { return Array.isArray(arguments); })()", False),
        ("Array.isArray(new Proxy([], {}))", True),
        ("Array.isArray(new Proxy({}, {}))", False),
        ("Array.isArray.length", 1),
    ])


def test_array_of() -> None:
    check([
        ("Array.of(7)", [7]),
        ("Array.of()", []),
        ("Array.of(1, 'a', null)", [1, "a", None]),
        ("Array.of.length", 0),
        ("(function () { function C(n) { this.n = n; } const o = Array.of.call(C, 'a', 'b');"
         " return [o instanceof C, o.n, o.length, o[1]]; })()", [True, 2, 2, "b"]),
        ("Array.isArray(Array.of.call(undefined, 1))", True),
    ])


def test_array_from() -> None:
    check([
        ("Array.from('abc')", ["a", "b", "c"]),
        ("Array.from('a\\ud83d\\ude00b').length", 3),
        ("Array.from([1, 2, 3], x => x * 10)", [10, 20, 30]),
        ("Array.from({length: 3})", [None, None, None]),
        ("Array.from({length: 3}, (_, i) => i * i)", [0, 1, 4]),
        ("Array.from({length: 2, 0: 'a', 1: 'b', 2: 'c'})", ["a", "b"]),
        ("Array.from({length: '2', 0: 'x'})", ["x", None]),
        ("Array.from([1, , 3])", [1, None, 3]),
        ("1 in Array.from([1, , 3])", True),
        ("Array.from(5)", []),
        ("Array.from({})", []),
        ("Array.from([1, 2], function (x) { return x + this.k; }, {k: 100})", [101, 102]),
        ("Array.from((function* () { yield 1; yield 2; })())", [1, 2]),
        ("Array.from(new Map([[1, 2]]))", [[1, 2]]),
        ("Array.from([1, 2].entries())", [[0, 1], [1, 2]]),
        ("Array.from([1], 3)", "ERR TypeError: 3 is not a function"),
        ("Array.from(null)", "ERR TypeError: object null is not iterable (cannot read property Symbol(Symbol.iterator))"),
        ("Array.from(undefined)", "ERR TypeError: undefined is not iterable (cannot read property Symbol(Symbol.iterator))"),
        ("Array.from({length: 2 ** 32})", "ERR RangeError: Invalid array length"),
        ("Array.from({[Symbol.iterator]: 5})", "ERR TypeError: 5 is not a function"),
        ("Array.from.length", 1),
        ("(function () { function C() { this.made = true; } const o = Array.from.call(C, [1, 2]);"
         " return [o.made, o.length, o[0]]; })()", [True, 2, 1]),
        ("(function () { function C() {} const o = Array.from.call(C, {length: 1, 0: 'z'});"
         " return [o instanceof C, o.length, o[0]]; })()", [True, 1, "z"]),
    ])


def test_array_from_set() -> None:
    if run_js("typeof Set === 'undefined'"):
        pytest.skip("Set is not available")
    assert run_js("Array.from(new Set([3, 1, 3, 2]))") == [3, 1, 2]
    assert run_js("Array.from(new Set('hello')).join('')") == "helo"


def test_array_from_closes_iterator_on_error() -> None:
    src = """
    var log = [];
    var iterable = {
      [Symbol.iterator]() {
        var i = 0;
        return {
          next() { i++; return {value: i, done: i > 5}; },
          return() { log.push('closed'); return {}; },
        };
      },
    };
    var msg;
    try { Array.from(iterable, function (x) { if (x === 3) throw new Error('boom'); return x; }); }
    catch (e) { msg = e.message; }
    [msg, log]
    """
    assert run_js(src) == ["boom", ["closed"]]
    # a failing next() is not followed by return()
    src2 = """
    var log = [];
    var it = {[Symbol.iterator]() { return {next() { throw new Error('n'); }, return() { log.push('r'); return {}; }}; }};
    var m; try { Array.from(it); } catch (e) { m = e.message; }
    [m, log.length]
    """
    assert run_js(src2) == ["n", 0]


# -- mutators ------------------------------------------------------------------------------


def test_push_pop() -> None:
    check([
        ("var a = [1]; [a.push(2, 3), a]", [3, [1, 2, 3]]),
        ("var a = []; [a.push(), a.length]", [0, 0]),
        ("var a = [1, 2]; [a.pop(), a]", [2, [1]]),
        ("[].pop()", None),
        ("var a = [1, , ]; [a.pop(), a.length]", [None, 1]),
        ("var o = {length: 2}; [Array.prototype.push.call(o, 'x'), o.length, o[2]]", [3, 3, "x"]),
        ("var o = {}; [Array.prototype.push.call(o, 'a', 'b'), o.length, o[1]]", [2, 2, "b"]),
        ("var o = {length: '1', 0: 'a'}; [Array.prototype.pop.call(o), o.length, 0 in o]", ["a", 0, False]),
        ("var o = {}; [Array.prototype.pop.call(o), o.length]", [None, 0]),
        ("var o = {length: 2 ** 53 - 1}; Array.prototype.push.call(o, 1)",
         "ERR TypeError: Pushing 1 elements on an array-like of length 9007199254740991 is disallowed,"
         " as the total surpasses 2**53-1"),
        ("Array.prototype.push.call(null, 1)", "ERR TypeError: Array.prototype.push called on null or undefined"),
        ("var a = Object.freeze([1]); a.push(2)", "ERR TypeError: Cannot add property 1, object is not extensible"),
        ("Array.prototype.push.length", 1),
        ("Array.prototype.pop.length", 0),
    ])


def test_push_frozen_and_nonwritable_length() -> None:
    # push on a frozen array throws (a strict Set fails); the array is unchanged
    v = results(
        "(function () { var a = Object.freeze([1]); try { a.push(2); } catch (e) { return [e.name, a.length]; } })()",
        "(function () { var a = [1, 2]; Object.defineProperty(a, 'length', {writable: false});"
        " try { a.pop(); } catch (e) { return [e.name, a.length]; } })()",
        "(function () { var a = [1]; Object.preventExtensions(a);"
        " try { a.push(2); } catch (e) { return [e.name, a.length]; } })()",
    )
    assert v[0] == ["TypeError", 1]
    assert v[1][0] == "TypeError"
    assert v[2] == ["TypeError", 1]


def test_shift_unshift() -> None:
    check([
        ("var a = [1, 2, 3]; [a.shift(), a]", [1, [2, 3]]),
        ("[].shift()", None),
        ("var a = [, 2]; [a.shift(), a.length, 0 in a]", [None, 1, True]),
        ("var a = [1, , 3]; a.shift(); [a.length, 0 in a, a[1]]", [2, False, 3]),
        ("var a = [3]; [a.unshift(1, 2), a]", [3, [1, 2, 3]]),
        ("var a = [1]; [a.unshift(), a]", [1, [1]]),
        ("var a = [, 1]; a.unshift(0); [a.length, 1 in a, a[2]]", [3, False, 1]),
        ("var o = {length: 2, 0: 'a', 1: 'b'}; [Array.prototype.shift.call(o), o.length, o[0], 1 in o]",
         ["a", 1, "b", False]),
        ("var o = {length: 1, 0: 'a'}; [Array.prototype.unshift.call(o, 'z'), o[0], o[1]]", [2, "z", "a"]),
        ("var o = {length: 2, 1: 'b'}; Array.prototype.unshift.call(o, 'z'); [o.length, 1 in o, o[2]]",
         [3, False, "b"]),
        ("Array.prototype.unshift.length", 1),
    ])


def test_splice() -> None:
    check([
        ("var a = [1, 2, 3, 4, 5]; [a.splice(1, 2), a]", [[2, 3], [1, 4, 5]]),
        ("var a = [1, 2, 3]; [a.splice(1, 0, 'x', 'y'), a]", [[], [1, "x", "y", 2, 3]]),
        ("var a = [1, 2, 3]; [a.splice(-1), a]", [[3], [1, 2]]),
        ("var a = [1, 2, 3]; [a.splice(1), a]", [[2, 3], [1]]),
        ("var a = [1, 2, 3]; [a.splice(), a]", [[], [1, 2, 3]]),
        ("var a = [1, 2, 3]; [a.splice(undefined), a]", [[1, 2, 3], []]),
        ("var a = [1, 2, 3]; [a.splice(0, undefined), a]", [[], [1, 2, 3]]),
        ("var a = [1, 2, 3]; [a.splice(1, -5), a]", [[], [1, 2, 3]]),
        ("var a = [1, 2, 3]; [a.splice(1, 99, 'z'), a]", [[2, 3], [1, "z"]]),
        ("var a = [1, 2, 3]; [a.splice(-99, 1), a]", [[1], [2, 3]]),
        ("var a = [1, 2, 3, 4]; [a.splice(1, 2, 'a', 'b', 'c', 'd'), a]", [[2, 3], [1, "a", "b", "c", "d", 4]]),
        ("var a = [1, , 3]; var r = a.splice(0, 2); [r.length, 1 in r, a]", [2, False, [3]]),
        ("var o = {length: 4, 0: 'a', 1: 'b', 2: 'c', 3: 'd'}; var r = Array.prototype.splice.call(o, 1, 2, 'X');"
         " [r, o.length, o[0], o[1], o[2], 3 in o]", [["b", "c"], 3, "a", "X", "d", False]),
        ("var o = {length: 2, 0: 'a', 1: 'b'}; Array.prototype.splice.call(o, 1, 0, 'X', 'Y');"
         " [o.length, o[1], o[2], o[3]]", [4, "X", "Y", "b"]),
        ("Array.prototype.splice.length", 2),
    ])


def test_reverse() -> None:
    check([
        ("[1, 2, 3].reverse()", [3, 2, 1]),
        ("var a = [1, 2]; a.reverse() === a", True),
        ("[].reverse()", []),
        ("var a = [1, , 3, , ]; a.reverse(); [a.length, 0 in a, 1 in a, a[1], a[3]]", [4, False, True, 3, 1]),
        ("var o = {length: 3, 0: 'a', 2: 'c'}; Array.prototype.reverse.call(o); [o[0], 1 in o, o[2]]",
         ["c", False, "a"]),
        ("var o = {length: 2, 0: 'a'}; Array.prototype.reverse.call(o); [0 in o, o[1]]", [False, "a"]),
    ])


def test_copy_within_and_fill() -> None:
    check([
        ("[1, 2, 3, 4, 5].copyWithin(0, 3)", [4, 5, 3, 4, 5]),
        ("[1, 2, 3, 4, 5].copyWithin(1, 0)", [1, 1, 2, 3, 4]),
        ("[1, 2, 3, 4, 5].copyWithin(-2, 0, 1)", [1, 2, 3, 1, 5]),
        ("[1, 2, 3, 4, 5].copyWithin(0, -2, -1)", [4, 2, 3, 4, 5]),
        ("var a = [1, , 3]; a.copyWithin(0, 1); [0 in a, a[1], a[2]]", [False, 3, 3]),
        ("var o = {length: 3, 0: 'a', 1: 'b'}; Array.prototype.copyWithin.call(o, 1, 0); [o[1], o[2]]", ["a", "b"]),
        ("Array.prototype.copyWithin.length", 2),
        ("[1, 2, 3].fill(0)", [0, 0, 0]),
        ("[1, 2, 3].fill(9, 1)", [1, 9, 9]),
        ("[1, 2, 3].fill(9, -1)", [1, 2, 9]),
        ("[1, 2, 3].fill(9, 1, 2)", [1, 9, 3]),
        ("[1, 2, 3].fill(9, 2, 1)", [1, 2, 3]),
        ("Array(3).fill('x')", ["x", "x", "x"]),
        ("var o = {length: 2}; Array.prototype.fill.call(o, 7); [o[0], o[1], 2 in o]", [7, 7, False]),
        ("Array.prototype.fill.length", 1),
    ])


# -- callbacks -----------------------------------------------------------------------------


def test_for_each_and_map() -> None:
    check([
        ("var r = []; [1, 2].forEach(function (v, i, a) { r.push([v, i, a.length]); }); r", [[1, 0, 2], [2, 1, 2]]),
        ("[1, 2].forEach(x => x)", None),
        ("var r = []; [1, , 3].forEach(x => r.push(x)); r", [1, 3]),
        ("var r = []; [1, 2].forEach(function () { r.push(this.k); }, {k: 'T'}); r", ["T", "T"]),
        ("[1, 2, 3].map(x => x * 2)", [2, 4, 6]),
        ("[1, 2, 3].map((x, i) => i)", [0, 1, 2]),
        ("[1, 2, 3].map((x, i, a) => a.length)", [3, 3, 3]),
        ("var m = [1, , 3].map(x => x * 2); [m.length, 1 in m, m[2]]", [3, False, 6]),
        ("[1, 2].map(function () { return this; }, 'abc').map(x => typeof x)", ["object", "object"]),
        ("Array.prototype.map.call({length: 2, 0: 'a', 1: 'b'}, x => x + x)", ["aa", "bb"]),
        ("Array.prototype.map.call('ab', x => x.toUpperCase())", ["A", "B"]),
        ("[1].map(parseInt)", [1]),
        ("['10', '10', '10'].map(parseInt)", [10, None, 2]),
        ("[1].map(3)", "ERR TypeError: 3 is not a function"),
        ("[1].map()", "ERR TypeError: undefined is not a function"),
        ("[].forEach(null)", "ERR TypeError: null is not a function"),
        ("[1].map({})", "ERR TypeError: #<Object> is not a function"),
        ("[1].forEach('abc')", "ERR TypeError: abc is not a function"),
        ("Array.prototype.map.call(undefined, x => x)", "ERR TypeError: Array.prototype.map called on null or undefined"),
        ("Array.prototype.forEach.length", 1),
        ("Array.prototype.map.name", "map"),
    ])


def test_filter_some_every_find() -> None:
    check([
        ("[1, 2, 3, 4].filter(x => x % 2)", [1, 3]),
        ("[1, , 3].filter(() => true)", [1, 3]),
        ("[0, '', null, 'a'].filter(Boolean)", ["a"]),
        ("Array.prototype.filter.call({length: 3, 0: 1, 2: 3}, () => true)", [1, 3]),
        ("[1, 2, 3].some(x => x > 2)", True),
        ("[1, 2, 3].some(x => x > 5)", False),
        ("[].some(x => true)", False),
        ("[1, 2, 3].every(x => x > 0)", True),
        ("[1, 2, 3].every(x => x > 1)", False),
        ("[].every(x => false)", True),
        ("var n = 0; [, , 1].every(() => { n++; return true; }); n", 1),
        ("[5, 12, 8].find(x => x > 6)", 12),
        ("[5].find(x => x > 6)", None),
        ("[5, 12, 8].findIndex(x => x > 6)", 1),
        ("[5].findIndex(x => x > 6)", -1),
        # find/findIndex visit holes (as undefined)
        ("var n = 0; [, , ].find(() => { n++; }); n", 2),
        ("[1, , 3].findIndex(x => x === undefined)", 1),
        ("[1, 2].find(function (x) { return x === this.t; }, {t: 2})", 2),
        ("Array.prototype.find.call({length: 2, 1: 'y'}, x => x === 'y')", "y"),
        ("[1].some('x')", "ERR TypeError: x is not a function"),
    ])


def test_reduce() -> None:
    check([
        ("[1, 2, 3].reduce((a, b) => a + b)", 6),
        ("[1, 2, 3].reduce((a, b) => a + b, 10)", 16),
        ("[1, 2, 3].reduce((a, b, i, arr) => a + i * arr.length, '')", "036"),
        ("['a', 'b', 'c'].reduceRight((a, b) => a + b)", "cba"),
        ("['a', 'b'].reduceRight((a, b, i) => a + i, '')", "10"),
        ("[, , 5].reduce((a, b) => a + b)", 5),
        ("[5, , ].reduceRight((a, b) => a + b)", 5),
        ("[7].reduce(() => 'x')", 7),
        ("[].reduce((a, b) => a, 'init')", "init"),
        ("[].reduce((a, b) => a)", "ERR TypeError: Reduce of empty array with no initial value"),
        ("[, , ].reduce((a, b) => a)", "ERR TypeError: Reduce of empty array with no initial value"),
        ("[].reduceRight((a, b) => a)", "ERR TypeError: Reduce of empty array with no initial value"),
        ("[1].reduce(1)", "ERR TypeError: 1 is not a function"),
        ("Array.prototype.reduce.call({length: 3, 0: 1, 1: 2, 2: 3}, (a, b) => a * b)", 6),
        ("Array.prototype.reduce.call('abc', (a, b) => b + a)", "cba"),
        ("[[1, 2], [3]].reduce((acc, x) => acc.concat(x), [])", [1, 2, 3]),
        ("Array.prototype.reduce.length", 1),
        ("Array.prototype.reduceRight.length", 1),
    ])


def test_mutation_during_iteration() -> None:
    check([
        # elements appended during forEach are not visited (length is read once)
        ("var a = [1, 2, 3]; var seen = []; a.forEach(x => { seen.push(x); a.push(x * 10); }); [seen, a.length]",
         [[1, 2, 3], 6]),
        # elements removed before being visited are skipped
        ("var a = [1, 2, 3, 4]; var seen = []; a.forEach(x => { seen.push(x); a.pop(); }); seen", [1, 2]),
        # a later element changed before its visit is seen with its new value
        ("var a = [1, 2, 3]; a.map((x, i) => { if (i === 0) a[2] = 'z'; return x; })", [1, 2, "z"]),
        # shift during forEach
        ("var a = [1, 2, 3, 4]; var seen = []; a.forEach(x => { seen.push(x); a.shift(); }); seen", [1, 3]),
        # deleting a later element makes it a hole: not visited
        ("var a = [1, 2, 3]; var seen = []; a.forEach((x, i) => { seen.push(x); delete a[2]; }); seen", [1, 2]),
        ("var a = [1, 2, 3]; a.filter((x, i) => { a.length = 1; return true; })", [1]),
        ("var a = [1, 2, 3]; var m = a.map((x, i) => { a.length = 1; return x; }); [m.length, 1 in m]", [3, False]),
        ("var a = [1, 2, 3]; var n = 0; a.some(() => { n++; a.push(0); return false; }); n", 3),
        ("var a = [1, 2]; a.find((x, i) => { a.pop(); return false; }) === undefined", True),
        ("var a = [1, 2, 3]; a.reduce((acc, x) => { a.length = 2; return acc + x; }, 0)", 3),
        ("var a = [1, 2, 3]; a.includes(3, { valueOf() { a.length = 0; return 0; } })", False),
    ])


def test_callbacks_see_inherited_values_at_holes() -> None:
    # HasProperty walks the prototype chain: Array.prototype indices fill holes
    src = """
    Array.prototype[1] = 'P';
    var r = [];
    [0, , 2].forEach(x => r.push(x));
    var out = [r, [0, , 2].map(x => x), [0, , 2].join('-'), [0, , 2].indexOf('P'), [0, , 2].includes('P'),
               [0, , 2].slice(), [0, , 2].filter(x => true), [, 'x'].reverse().length];
    delete Array.prototype[1];
    out
    """
    assert run_js(src) == [
        [0, "P", 2], [0, "P", 2], "0-P-2", 1, True, [0, "P", 2], [0, "P", 2], 2,
    ]


def test_getters_on_indices_and_array_likes() -> None:
    check([
        ("var n = 0; var a = [1, 2]; Object.defineProperty(a, 0, {get() { n++; return 'g'; }});"
         " [a.map(x => x), a.join(), n]", [["g", 2], "g,2", 2]),
        ("var a = [1, 2, 3]; Object.defineProperty(a, 1, {value: 'ro', writable: false});"
         " [a.indexOf('ro'), a.slice(1), a.filter(x => x !== 1)]", [1, ["ro", 3], ["ro", 3]]),
        ("var o = {get length() { return 2; }, 0: 'a', 1: 'b'}; Array.prototype.join.call(o, '+')", "a+b"),
        ("var o = {length: -5, 0: 'a'}; Array.prototype.join.call(o)", ""),
        ("var o = {length: 1.9, 0: 'a', 1: 'b'}; Array.prototype.slice.call(o)", ["a"]),
        ("var o = {length: {valueOf() { return 2; }}, 0: 1, 1: 2}; Array.prototype.map.call(o, x => -x)", [-1, -2]),
    ])


def test_length_read_before_callback_check() -> None:
    src = """
    var log = [];
    var o = {get length() { log.push('length'); return 0; }};
    var m; try { Array.prototype.forEach.call(o, 5); } catch (e) { m = e.name; }
    [log, m]
    """
    assert run_js(src) == [["length"], "TypeError"]


# -- searching -----------------------------------------------------------------------------


def test_index_of_includes() -> None:
    check([
        ("[1, 2, 3, 2].indexOf(2)", 1),
        ("[1, 2, 3, 2].indexOf(2, 2)", 3),
        ("[1, 2, 3].indexOf(2, -1)", -1),
        ("[1, 2, 3].indexOf(1, -99)", 0),
        ("[1, 2, 3].indexOf(3, 3)", -1),
        ("[1, 2, 3].indexOf('2')", -1),
        ("[true].indexOf(1)", -1),
        ("[1].indexOf(true)", -1),
        ("[1, 1.0].indexOf(1.0)", 0),
        ("[NaN].indexOf(NaN)", -1),
        ("[-0].indexOf(0)", 0),
        ("[0].indexOf(-0)", 0),
        ("[, undefined].indexOf(undefined)", 1),
        ("[null].indexOf(undefined)", -1),
        ("var o = {}; [{}, o].indexOf(o)", 1),
        ("[1, 2, 3, 2].lastIndexOf(2)", 3),
        ("[1, 2, 3, 2].lastIndexOf(2, 2)", 1),
        ("[1, 2, 3, 2].lastIndexOf(2, -2)", 1),
        ("[1, 2, 3].lastIndexOf(1, -4)", -1),
        ("[1, 2, 1].lastIndexOf(1, undefined)", 0),
        ("[1, 2, 1].lastIndexOf(1)", 2),
        ("[NaN].lastIndexOf(NaN)", -1),
        ("[true, 1].lastIndexOf(true)", 0),
        ("[, undefined, , ].lastIndexOf(undefined)", 1),
        ("[1, 2, 3].includes(2)", True),
        ("[1, 2, 3].includes(4)", False),
        ("[NaN].includes(NaN)", True),
        ("[1, NaN].includes(NaN, 2)", False),
        ("[-0].includes(0)", True),
        ("[, ].includes(undefined)", True),
        ("[1].includes(undefined)", False),
        ("[1, 2, 3].includes(1, -1)", False),
        ("[1, 2, 3].includes(3, -1)", True),
        ("[1, 2, 3].includes(1, 10)", False),
        ("[1].includes(true)", False),
        ("['a'].includes('a', -Infinity)", True),
        ("Array.prototype.includes.call({length: 2, 1: NaN}, NaN)", True),
        ("Array.prototype.includes.call({length: 1}, undefined)", True),
        ("Array.prototype.indexOf.call({length: 3, 2: 'x'}, 'x')", 2),
        ("Array.prototype.indexOf.call({length: 3, 2: 'x'}, 'x', 1)", 2),
        ("Array.prototype.lastIndexOf.call({length: 3, 0: 'x'}, 'x')", 0),
        ("Array.prototype.indexOf.call('abcb', 'b')", 1),
        ("Array.prototype.indexOf.length", 1),
        ("Array.prototype.lastIndexOf.length", 1),
        ("Array.prototype.includes.length", 1),
    ])


def test_at() -> None:
    check([
        ("[1, 2, 3].at(0)", 1),
        ("[1, 2, 3].at(-1)", 3),
        ("[1, 2, 3].at(-3)", 1),
        ("[1, 2, 3].at(-4)", None),
        ("[1, 2, 3].at(3)", None),
        ("[1, 2, 3].at('1')", 2),
        ("[1, 2, 3].at(1.7)", 2),
        ("[1, 2, 3].at()", 1),
        ("[1, 2, 3].at(NaN)", 1),
        ("[1, 2, 3].at(Infinity)", None),
        ("Array.prototype.at.call({length: 2, 1: 'b'}, -1)", "b"),
        ("Array.prototype.at.call('xyz', -1)", "z"),
        ("Array.prototype.at.length", 1),
    ])


# -- building new arrays ---------------------------------------------------------------------


def test_concat() -> None:
    check([
        ("[1, 2].concat([3, 4], 5)", [1, 2, 3, 4, 5]),
        ("[1].concat([[2]])", [1, [2]]),
        ("[].concat(1, 'a', null)", [1, "a", None]),
        ("var a = [1]; a.concat() !== a", True),
        ("var c = [1, , 3].concat([, 5]); [c.length, 1 in c, 3 in c, c[4]]", [5, False, False, 5]),
        ("[1].concat({length: 1, 0: 'x'}).length", 2),
        ("[1].concat({length: 2, 0: 'x', [Symbol.isConcatSpreadable]: true})", [1, "x", None]),
        ("var c = [1].concat({length: 2, 0: 'x', [Symbol.isConcatSpreadable]: true}); 2 in c", False),
        ("var b = [2, 3]; b[Symbol.isConcatSpreadable] = false; [1].concat(b).length", 2),
        ("var b = [2, 3]; b[Symbol.isConcatSpreadable] = false; [1].concat(b)[1] === b", True),
        ("Array.prototype.concat.call(1, 2).length", 2),
        ("typeof Array.prototype.concat.call(1, 2)[0]", "object"),
        ("Array.prototype.concat.call('ab', 'c')", ["ab", "c"]),
        ("(function () { return Array.prototype.concat.call([], arguments).length; })(1, 2)", 1),
        ("Array.prototype.concat.length", 1),
    ])


def test_slice() -> None:
    check([
        ("[1, 2, 3, 4].slice(1)", [2, 3, 4]),
        ("[1, 2, 3, 4].slice(1, 3)", [2, 3]),
        ("[1, 2, 3, 4].slice(-2)", [3, 4]),
        ("[1, 2, 3, 4].slice(-3, -1)", [2, 3]),
        ("[1, 2, 3].slice(2, 1)", []),
        ("[1, 2, 3].slice(0, 99)", [1, 2, 3]),
        ("[1, 2, 3].slice('1', undefined)", [2, 3]),
        ("[1, 2, 3].slice(NaN, NaN)", []),
        ("var a = [1, 2]; var b = a.slice(); b.push(3); [a, b]", [[1, 2], [1, 2, 3]]),
        ("var s = [1, , 3].slice(); [s.length, 1 in s]", [3, False]),
        ("Array.prototype.slice.call({length: 3, 0: 'a', 2: 'c'}, 1)", [None, "c"]),
        ("var s = Array.prototype.slice.call({length: 3, 0: 'a', 2: 'c'}, 1); 0 in s", False),
        ("(function () { return Array.prototype.slice.call(arguments, 1); })(1, 2, 3)", [2, 3]),
        ("Array.isArray((function () { return Array.prototype.slice.call(arguments); })())", True),
        ("Array.prototype.slice.call('abc', -2)", ["b", "c"]),
        ("Array.prototype.slice.length", 2),
    ])


def test_flat_and_flat_map() -> None:
    check([
        ("[1, [2, [3, [4]]]].flat()", [1, 2, [3, [4]]]),
        ("[1, [2, [3, [4]]]].flat(2)", [1, 2, 3, [4]]),
        ("[1, [2, [3, [4]]]].flat(Infinity)", [1, 2, 3, 4]),
        ("[1, [2]].flat(0)", [1, [2]]),
        ("[1, [2]].flat(-1)", [1, [2]]),
        ("[1, [2]].flat('1')", [1, 2]),
        ("[1, , [2, , 3]].flat()", [1, 2, 3]),
        ("[[]].flat()", []),
        ("[{length: 1, 0: 'x'}].flat()[0].length", 1),
        ("Array.prototype.flat.call({length: 2, 0: [1, 2], 1: 3})", [1, 2, 3]),
        ("[1, 2].flatMap(x => [x, x * 2])", [1, 2, 2, 4]),
        ("[1, 2].flatMap(x => [[x]])", [[1], [2]]),
        ("[1, 2].flatMap(x => x)", [1, 2]),
        ("[1, , 3].flatMap(x => [x])", [1, 3]),
        ("['a b', 'c'].flatMap(s => s.split(' '))", ["a", "b", "c"]),
        ("[1].flatMap(function (x, i, a) { return [this.k, i, a.length]; }, {k: 'K'})", ["K", 0, 1]),
        ("[1].flatMap(5)", "ERR TypeError: flatMap mapper function is not callable"),
        ("Array.prototype.flat.length", 0),
        ("Array.prototype.flatMap.length", 1),
        ("var a = [1]; a.push(a); a.flat(Infinity)", "ERR RangeError: Maximum call stack size exceeded"),
    ])


# -- sort ------------------------------------------------------------------------------------


def test_sort_default_order() -> None:
    check([
        ("[3, 1, 2].sort()", [1, 2, 3]),
        ("[10, 9, 1, 100].sort()", [1, 10, 100, 9]),
        ("['b', 'a', 'C', 'c'].sort()", ["C", "a", "b", "c"]),
        ("[true, false, 'a', 1].sort()", [1, "a", False, True]),
        ("[-1, -2, 0, 1].sort()", [-1, -2, 0, 1]),
        ("[0.5, 1e21, 2, 1e-7].sort()", [0.5, 1e21, 1e-7, 2]),  # '+' sorts before '-'
        ("[null, undefined, 'm', 'z', 'a'].sort()", ["a", "m", None, "z", None]),
        ("[[2], [1, 5], [10]].sort()", [[1, 5], [10], [2]]),
        ("['\\ud83d\\ude00', '\\uffff'].sort()[0] === '\\ud83d\\ude00'", True),  # UTF-16 code-unit order
        ("var a = [2, 1]; a.sort() === a", True),
        ("[].sort()", []),
        ("Array.prototype.sort.length", 1),
    ])


def test_sort_undefined_and_holes() -> None:
    check([
        # undefined sorts last, holes after them
        ("var a = [3, undefined, , 1, undefined, , 2]; a.sort();"
         " [a.length, a[0], a[1], a[2], a[3], a[4], 5 in a, 6 in a, 4 in a]",
         [7, 1, 2, 3, None, None, False, False, True]),
        ("var n = 0; [undefined, 2, 1].sort((a, b) => { if (a === undefined || b === undefined) n++; return a - b; }); n", 0),
        ("var o = {length: 4, 0: 'b', 2: 'a', 3: undefined}; Array.prototype.sort.call(o);"
         " [o[0], o[1], o[2], 2 in o, 3 in o]", ["a", "b", None, True, False]),
    ])


def test_sort_comparators() -> None:
    check([
        ("[3, 1, 2].sort((a, b) => a - b)", [1, 2, 3]),
        ("[3, 1, 2].sort((a, b) => b - a)", [3, 2, 1]),
        ("[1, 10, 2].sort((a, b) => a > b)", [1, 10, 2]),  # booleans: true → 1, false → 0 ("equal")
        ("[2, 1].sort((a, b) => a > b ? 1 : -1)", [1, 2]),
        ("[3, 1, 2].sort(() => NaN)", [3, 1, 2]),
        ("[3, 1, 2].sort(() => 0)", [3, 1, 2]),
        ("[3, 1, 2].sort((a, b) => String(a - b))", [1, 2, 3]),
        ("[3, 1, 2].sort((a, b) => { return {valueOf() { return a - b; }}; })", [1, 2, 3]),
        ("[3, 1, 2].sort((a, b) => null)", [3, 1, 2]),
        ("[2, 1].sort(function (a, b) { 'use strict'; return this === undefined ? a - b : 0; })", [1, 2]),
        ("[1, 2].sort(1)", "ERR TypeError: The comparison function must be either a function or undefined"),
        ("[1, 2].sort(null)", "ERR TypeError: The comparison function must be either a function or undefined"),
        ("[1, 2].sort({})", "ERR TypeError: The comparison function must be either a function or undefined"),
        ("[1, 2].sort(undefined)", [1, 2]),
        ("Array.prototype.sort.call(null, 1)", "ERR TypeError: The comparison function must be either a function or undefined"),
        ("var a = [3, 1, 2]; try { a.sort(() => { throw new Error('cmp'); }); } catch (e) { a.push(e.message); }; a",
         [3, 1, 2, "cmp"]),
        ("var a = [3, 1, 2]; try { a.sort(() => Symbol()); } catch (e) { a.push(e.name); }; a", [3, 1, 2, "TypeError"]),
        ("[5, 1, 4].sort((a, b) => a - b).map(x => x * 2)", [2, 8, 10]),
    ])


def test_sort_is_stable() -> None:
    src = """
    var people = [];
    for (var i = 0; i < 200; i++) people.push({name: 'p' + i, age: i % 7});
    people.sort((a, b) => a.age - b.age);
    var ok = true;
    for (var j = 1; j < people.length; j++) {
      var p = people[j - 1], q = people[j];
      if (p.age > q.age) ok = false;
      if (p.age === q.age && +p.name.slice(1) > +q.name.slice(1)) ok = false;
    }
    var words = ['bb', 'a', 'ccc', 'dd', 'e', 'fff'];
    [ok, people[0].name, people[1].name, words.sort((x, y) => x.length - y.length)]
    """
    assert run_js(src) == [True, "p0", "p7", ["a", "e", "bb", "dd", "ccc", "fff"]]


def test_sort_comparator_mutating_array() -> None:
    # the comparator sees a snapshot; what it writes into the array is overwritten by the result
    src = """
    var a = [3, 2, 1];
    a.sort((x, y) => { a[0] = 99; return x - y; });
    a
    """
    assert run_js(src) == [1, 2, 3]


# -- strings ---------------------------------------------------------------------------------


def test_join_and_to_string() -> None:
    check([
        ("[1, 2, 3].join()", "1,2,3"),
        ("[1, 2, 3].join('')", "123"),
        ("[1, 2, 3].join(' - ')", "1 - 2 - 3"),
        ("[1, 2].join(undefined)", "1,2"),
        ("[1, 2].join(null)", "1null2"),
        ("[1, 2].join(0)", "102"),
        ("[null, undefined, 1, , 'x'].join('|')", "||1||x"),
        ("[[1, 2], [3, [4, 5]]].join(';')", "1,2;3,4,5"),
        ("[1.5, -0, 1e21, NaN, true].join()", "1.5,0,1e+21,NaN,true"),
        ("[{}].join()", "[object Object]"),
        ("[{toString() { return 'T'; }}, 'x'].join('')", "Tx"),
        ("Array(4).join('ab')", "ababab"),
        ("[].join()", ""),
        ("['only'].join(',')", "only"),
        ("var a = [1, 2]; a.push(a); a.join()", "1,2,"),
        ("var a = [1]; var b = [a, 2]; a.push(b); a.join('-')", "1-,2"),
        ("var a = [1]; a[1] = [a]; String(a)", "1,"),
        ("[1, [2, 3]].toString()", "1,2,3"),
        ("String([1, [2, [3]]])", "1,2,3"),
        ("[] + []", ""),
        ("[1, 2] + ''", "1,2"),
        ("`${[1, 2]}`", "1,2"),
        ("Array.prototype.join.call({length: 3, 0: 'a', 2: 'c'})", "a,,c"),
        ("Array.prototype.join.call('abc', '.')", "a.b.c"),
        ("Array.prototype.toString.call({join() { return 'J'; }})", "J"),
        ("Array.prototype.toString.call({})", "[object Object]"),
        ("Array.prototype.toString.call({join: 1})", "[object Object]"),
        ("var a = [1, 2]; a.join = function () { return 'own'; }; String(a)", "own"),
        ("[Symbol()].join()", "ERR TypeError: Cannot convert a Symbol value to a string"),
        ("[{toString() { throw new Error('ts'); }}].join()", "ERR Error: ts"),
        ("Array.prototype.join.length", 1),
        ("Array.prototype.toString.length", 0),
    ])


def test_join_recovers_after_error() -> None:
    # the cycle-detection stack is unwound when an element's conversion throws
    src = """
    var a = [1, {toString() { throw new Error('x'); }}];
    try { a.join(); } catch (e) {}
    a.pop();
    a.join()
    """
    assert run_js(src) == "1"


def test_to_locale_string() -> None:
    check([
        ("['a', null, undefined, 'b'].toLocaleString()", "a,,,b"),
        ("[{toLocaleString() { return 'L'; }}, [{toLocaleString() { return 'M'; }}]].toLocaleString()", "L,M"),
        ("var a = ['x']; a.push(a); a.toLocaleString()", "x,"),
        ("Array.prototype.toLocaleString.length", 0),
    ])


# -- attributes and misc ---------------------------------------------------------------------


METHODS = {
    "at": 1, "concat": 1, "copyWithin": 2, "entries": 0, "every": 1, "fill": 1, "filter": 1, "find": 1,
    "findIndex": 1, "flat": 0, "flatMap": 1, "forEach": 1, "includes": 1, "indexOf": 1, "join": 1, "keys": 0,
    "lastIndexOf": 1, "map": 1, "pop": 0, "push": 1, "reduce": 1, "reduceRight": 1, "reverse": 0, "shift": 0,
    "slice": 2, "some": 1, "sort": 1, "splice": 2, "toLocaleString": 0, "toString": 0, "unshift": 1, "values": 0,
}


def test_method_attributes() -> None:
    names = list(METHODS)
    exprs = [
        f"[typeof Array.prototype.{n}, Array.prototype.{n}.name, Array.prototype.{n}.length,"
        f" Array.prototype.propertyIsEnumerable('{n}'), Object.getOwnPropertyDescriptor(Array.prototype, '{n}').writable,"
        f" Object.getOwnPropertyDescriptor(Array.prototype, '{n}').configurable]"
        for n in names
    ]
    for name, got in zip(names, results(*exprs)):
        assert got == ["function", name, METHODS[name], False, True, True], name
    check([
        ("Array.propertyIsEnumerable('from')", False),
        ("Object.getOwnPropertyDescriptor(Array, 'prototype').writable", False),
        ("typeof Object.getOwnPropertyDescriptor(Array, Symbol.species).get", "function"),
        ("Array.prototype[Symbol.iterator] === Array.prototype.values", True),
        ("var r = []; for (var k in [7, 8]) r.push(k); r", ["0", "1"]),
    ])


def test_methods_work_on_strings_and_arguments() -> None:
    check([
        ("Array.prototype.map.call('abc', (c, i) => c + i).join('')", "a0b1c2"),
        ("Array.prototype.filter.call('a1b2', c => c >= 'a')", ["a", "b"]),
        ("Array.prototype.every.call('aaa', c => c === 'a')", True),
        ("Array.prototype.reverse.call('ab')", "ERR TypeError: Cannot assign to read only property '0' of object '[object String]'"),
        ("(function () { return Array.prototype.map.call(arguments, x => x * 2); })(1, 2)", [2, 4]),
        ("(function () { var r = []; Array.prototype.forEach.call(arguments, x => r.push(x)); return r; })('a', 'b')",
         ["a", "b"]),
        ("(function () { return Array.prototype.join.call(arguments, '/'); })(1, 2, 3)", "1/2/3"),
        ("(function () { Array.prototype.push.call(arguments, 9); return arguments.length; })(1)", 2),
    ])


def test_generic_methods_on_huge_array_likes() -> None:
    # ToLength clamps to 2**53 - 1; creating the result array is what fails
    check([
        ("Array.prototype.map.call({length: 2 ** 32}, x => x)", "ERR RangeError: Invalid array length"),
        ("Array.prototype.slice.call({length: 2 ** 40}, 0)", "ERR RangeError: Invalid array length"),
        ("Array.prototype.indexOf.call({length: Infinity, 0: 'a'}, 'a')", 0),
        ("Array.prototype.at.call({length: 2 ** 53 + 10, [2 ** 53 - 2]: 'last'}, -1)", "last"),
        ("Array.prototype.includes.call({length: 3, 2: 5}, 5, -1)", True),
    ])


# -- limits ------------------------------------------------------------------------------------


def test_array_size_limit() -> None:
    small = Limits(max_array_length=1000)
    for src in [
        "var a = []; for (var i = 0; i < 2000; i++) a.push(i);",
        "new Array(1001)",
        "Array(600).concat(Array(600))",
        "Array(900).fill(0).map(x => [x, x]).flat()",
        "Array.from({length: 1001})",
        "var a = Array(999); a.unshift(1, 2);",
        "var a = Array(999); a.splice(0, 0, 1, 2);",
        "Array.of.apply(null, Array(1001))",
    ]:
        err = js_error(src, small)
        assert (err.name, err.message) == ("RangeError", "Invalid array length"), src
    assert run_js("var a = []; for (var i = 0; i < 1000; i++) a.push(i); a.length", small) == 1000
    # caught like any RangeError
    assert run_js("var m; try { new Array(5000); } catch (e) { m = e instanceof RangeError; } m", small) is True


def test_step_budget_applies_to_callbacks_and_copies() -> None:
    tiny = Limits(max_steps=20_000)
    for src in [
        "Array(100000).fill(0).forEach(x => x)",
        "Array.prototype.forEach.call({length: 1e9}, x => x)",
        "Array.prototype.indexOf.call({length: 1e9}, 'x')",
        "var a = Array(100000).fill(1); for (var i = 0; i < 50; i++) a.slice();",
        "Array.from({length: 5000}, (_, i) => (i * 7919) % 5003).sort((a, b) => a - b)",
    ]:
        err = js_error(src, tiny)
        assert err.code == "limit_exceeded", src
    assert run_js("Array(1000).fill(1).map(x => x + 1).reduce((a, b) => a + b)", tiny) == 2000


def test_large_arrays_are_fast_enough() -> None:
    src = """
    var a = [];
    for (var i = 0; i < 20000; i++) a.push(i);
    var b = a.map(x => x * 2).filter(x => x % 3 === 0);
    var s = 0; b.forEach(x => { s += x; });
    [b.length, s, a.indexOf(19999), a.slice(-2), a.join(',').length, a.includes(-1),
     a.slice().sort((x, y) => y - x)[0], a.slice(0, 12).sort().slice(0, 4)]
    """
    assert run_js(src) == [6667, 133326666, 19999, [19998, 19999], 108889, False, 19999, [0, 1, 10, 11]]


# -- quickjs oracle ------------------------------------------------------------------------------

ORACLE = [
    "[1, 2, 3].map(x => x * x)",
    "[1, , 3].map(x => x * 2)",
    "[5, 1, 10, 2].sort()",
    "[5, 1, 10, 2].sort((a, b) => a - b)",
    "['b', undefined, 'a', , 'c'].sort()",
    "[3, 2, 1].sort((a, b) => 0)",
    "[1, 2, 3, 4, 5].splice(1, 2)",
    "(() => { const a = [1, 2, 3, 4, 5]; a.splice(-2, 1, 'x', 'y'); return a; })()",
    "(() => { const a = [1, 2, 3]; a.splice(1); return a; })()",
    "(() => { const a = [1, 2, 3]; return [a.splice(0, 0), a]; })()",
    "[1, 2, 3, 4].slice(-3, -1)",
    "[1, 2, 3].slice(5)",
    "[1, [2, [3, [4, [5]]]]].flat(3)",
    "[[1, 2], [3], [], [[4]]].flat()",
    "[1, 2, 3].flatMap(x => x % 2 ? [x, x] : [])",
    "[1, 2, 3].concat([4, [5]], 6, [[7]])",
    "[].concat.apply([], [[1], [2, 3], 4])",
    "[1, 2, 3, 4, 5].copyWithin(0, 3, 4)",
    "[1, 2, 3, 4, 5].copyWithin(2, 0)",
    "[1, 2, 3, 4, 5].copyWithin(-1)",
    "new Array(5).fill(7, 1, -1)",
    "[1, 2, 3].fill(0, -2)",
    "[1, 2, 3, 2, 1].indexOf(2, -3)",
    "[1, 2, 3, 2, 1].lastIndexOf(2, -3)",
    "[1, 2, 3, 2, 1].lastIndexOf(1, 0)",
    "[NaN, 0].indexOf(NaN)",
    "[NaN, -0].includes(0)",
    "[1, 2, 3].includes(2, -1)",
    "['a', 'b'].entries().next()",
    "[...[7, 8].keys()]",
    "[10, 20, 30].findIndex(x => x > 15)",
    "[10, 20, 30].find(x => x > 15)",
    "[1, 2, 3].reduce((a, b) => a * b, 2)",
    "[[0, 1], [2, 3]].reduceRight((a, b) => a.concat(b))",
    "[1, 2, 3].every(Number.isInteger)",
    "[1, 2.5].some(x => !Number.isInteger(x))",
    "[3, 2, 1].reverse()",
    "[1, , 3].reverse().length",
    "[null, undefined, [], [null], [1, [2]]].join('|')",
    "[1, 2, 3].join('')",
    "Array.from('hello')",
    "Array.from({length: 4}, (_, i) => i * 2)",
    "Array.from([1, 2, 3], function (x) { return x * this.m; }, {m: 3})",
    "Array.from(new Map([['a', 1], ['b', 2]]))",
    "Array.of(1, 2, 3)",
    "Array(3)",
    "Array(2, 3)",
    "new Array('2')",
    "Array.prototype.map.call('abc', c => c.charCodeAt(0))",
    "Array.prototype.slice.call({length: 2, 0: 'x', 1: 'y'})",
    "Array.prototype.filter.call({length: 4, 0: 1, 1: 2, 3: 4}, x => x > 1)",
    "Array.prototype.concat.call({}, 1).length",
    "(() => { const a = [1, 2]; return [a.push(3, 4), a.pop(), a.shift(), a.unshift(0), a]; })()",
    "(() => { const o = {length: 1, 0: 'a'}; Array.prototype.push.call(o, 'b'); return o; })()",
    "(() => { const o = {length: 3, 0: 'a', 1: 'b', 2: 'c'}; Array.prototype.reverse.call(o); return o; })()",
    "(() => { const o = {length: 2, 0: 'b', 1: 'a'}; Array.prototype.sort.call(o); return o; })()",
    "(() => { const o = {length: 3, 0: 1, 1: 2, 2: 3}; return [Array.prototype.splice.call(o, 0, 2), o]; })()",
    "(() => { const a = [1, 2, 3]; const r = []; a.forEach((x, i) => { r.push(x); if (i === 0) a.push(4); }); return [r, a]; })()",
    "(() => { const a = [1, 2, 3, 4]; return a.map((x, i) => { a.pop(); return x; }); })()",
    "[[3, 'c'], [1, 'a'], [2, 'b'], [1, 'z']].sort((x, y) => x[0] - y[0])",
    "['B', 'a', 'C', 'b'].sort((x, y) => x.toLowerCase() === y.toLowerCase() ? 0 : x.toLowerCase() < y.toLowerCase() ? -1 : 1)",
    "[0, -1, 1, -0.5, 2e3, 1e-3].sort()",
    "[1, 2, 3].toString()",
    "String([[], [[]], [null]])",
    "[1, 2, 3].lastIndexOf(3, 10)",
    "[1, 2, 3].indexOf(1, -10)",
    "Array.isArray([]) && !Array.isArray({length: 0})",
]


def test_quickjs_oracle() -> None:
    quickjs = pytest.importorskip("quickjs")
    ctx = quickjs.Context()
    got = results(*ORACLE)
    for snippet, actual in zip(ORACLE, got):
        expected = json.loads(ctx.eval(f"JSON.stringify({snippet})"))
        assert actual == expected, snippet


def test_evaluate_returns_real_arrays() -> None:
    from seqflow_runtime.js.values import HOLE, JSArray

    rt, value = evaluate("var a = [1, , 3].map(x => x); a")
    assert type(value) is JSArray and value.proto is rt.ArrayPrototype
    assert value.items[1] is HOLE

"""Symbol: the constructor, the registry, well-known symbols and Symbol.prototype.

Each table runs in one realm (a realm is expensive to build); every entry is
an independent expression whose value, or thrown error name, is checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from jsrun import Throws, check_entry, run_table, evaluate, run_js
from seqflow_runtime.js.values import SYM_ITERATOR, WELL_KNOWN_SYMBOLS




CASES: list[tuple[str, Any]] = [
    # creation and descriptions
    ("typeof Symbol()", "symbol"),
    ("typeof Symbol('x')", "symbol"),
    ("Symbol('x').toString()", "Symbol(x)"),
    ("Symbol().toString()", "Symbol()"),
    ("Symbol('').toString()", "Symbol()"),
    ("Symbol('x').description", "x"),
    ("Symbol().description === undefined", True),
    ("Symbol(undefined).description === undefined", True),
    ("Symbol('').description", ""),
    ("Symbol(null).description", "null"),
    ("Symbol(12).description", "12"),
    ("Symbol({toString() { return 'obj'; }}).description", "obj"),
    ("Symbol('a') === Symbol('a')", False),
    ("(() => { const s = Symbol('a'); return s === s; })()", True),
    ("new Symbol()", Throws("TypeError")),
    ("new Symbol('x')", Throws("TypeError")),
    ("Symbol(Symbol('x'))", Throws("TypeError")),
    ("Symbol.length", 0),
    ("Symbol.name", "Symbol"),
    ("Symbol.prototype.constructor === Symbol", True),
    # conversions
    ("String(Symbol('q'))", "Symbol(q)"),
    ("Symbol('q') + ''", Throws("TypeError")),
    ("`${Symbol('q')}`", Throws("TypeError")),
    ("+Symbol('q')", Throws("TypeError")),
    ("Symbol() ? 1 : 2", 1),
    ("!Symbol()", False),
    # registry
    ("Symbol.for('app') === Symbol.for('app')", True),
    ("Symbol.for('app') === Symbol('app')", False),
    ("Symbol.for('app').description", "app"),
    ("Symbol.for('app').toString()", "Symbol(app)"),
    ("Symbol.keyFor(Symbol.for('k'))", "k"),
    ("Symbol.keyFor(Symbol('k')) === undefined", True),
    ("Symbol.keyFor(Symbol.iterator) === undefined", True),
    ("Symbol.keyFor('k')", Throws("TypeError")),
    ("Symbol.keyFor()", Throws("TypeError")),
    ("Symbol.for().description", "undefined"),
    ("Symbol.for(1) === Symbol.for('1')", True),
    ("Symbol.for.length", 1),
    ("Symbol.keyFor.length", 1),
    # well-known symbols
    ("typeof Symbol.iterator", "symbol"),
    ("Symbol.iterator.toString()", "Symbol(Symbol.iterator)"),
    ("Symbol.asyncIterator.description", "Symbol.asyncIterator"),
    ("Symbol.hasInstance.description", "Symbol.hasInstance"),
    ("Symbol.toPrimitive.description", "Symbol.toPrimitive"),
    ("Symbol.toStringTag.description", "Symbol.toStringTag"),
    ("Symbol.species.description", "Symbol.species"),
    ("Symbol.isConcatSpreadable.description", "Symbol.isConcatSpreadable"),
    ("Symbol.unscopables.description", "Symbol.unscopables"),
    ("Symbol.match.description", "Symbol.match"),
    ("Symbol.matchAll.description", "Symbol.matchAll"),
    ("Symbol.replace.description", "Symbol.replace"),
    ("Symbol.search.description", "Symbol.search"),
    ("Symbol.split.description", "Symbol.split"),
    ("Symbol.iterator === Symbol.iterator", True),
    ("(() => { Symbol.iterator = 1; return typeof Symbol.iterator; })()", "symbol"),
    ("(() => { const d = Object.getOwnPropertyDescriptor(Symbol, 'iterator');"
     " return [d.writable, d.enumerable, d.configurable]; })()", [False, False, False]),
    ("[][Symbol.iterator] === Array.prototype.values", True),
    ("(() => { const o = {*[Symbol.iterator]() { yield 1; yield 2; }}; return [...o]; })()", [1, 2]),
    ("(() => { class E { static [Symbol.hasInstance](v) { return v === 1; } } return 1 instanceof E; })()",
     True),
    ("(() => { const o = {[Symbol.toPrimitive](hint) { return hint; }}; return `${o}` + (o + ''); })()",
     "stringdefault"),
    ("(() => { const o = {[Symbol.toStringTag]: 'Thing'}; return Object.prototype.toString.call(o); })()",
     "[object Thing]"),
    # symbols as property keys
    ("(() => { const s = Symbol('k'); const o = {[s]: 1, a: 2}; return [o[s], Object.keys(o)]; })()",
     [1, ["a"]]),
    ("(() => { const s = Symbol('k'); const o = {}; o[s] = 5; return s in o; })()", True),
    ("(() => { const o = {[Symbol.for('r')]: 'x'}; return o[Symbol.for('r')]; })()", "x"),
    # Symbol.prototype
    ("Symbol.prototype.toString.call(Symbol('t'))", "Symbol(t)"),
    ("Symbol.prototype.toString.call('t')", Throws("TypeError")),
    ("Symbol.prototype.valueOf.call({})", Throws("TypeError")),
    ("(() => { const s = Symbol('v'); return s.valueOf() === s; })()", True),
    ("(() => { const s = Symbol('v'); return Object(s).valueOf() === s; })()", True),
    ("Symbol.prototype[Symbol.toStringTag]", "Symbol"),
    ("Object.prototype.toString.call(Symbol())", "[object Symbol]"),
    ("Object.prototype.toString.call(Object(Symbol()))", "[object Symbol]"),
    ("(() => { const s = Symbol('p'); return Symbol.prototype[Symbol.toPrimitive].call(s, 'number') === s;"
     " })()", True),
    ("Symbol.prototype[Symbol.toPrimitive].call(1)", Throws("TypeError")),
    ("Symbol.prototype[Symbol.toPrimitive].name", "[Symbol.toPrimitive]"),
    ("Symbol.prototype[Symbol.toPrimitive].length", 1),
    ("(() => { const d = Object.getOwnPropertyDescriptor(Symbol.prototype, Symbol.toPrimitive);"
     " return [d.writable, d.enumerable, d.configurable]; })()", [False, False, True]),
    ("(() => { const d = Object.getOwnPropertyDescriptor(Symbol.prototype, 'description');"
     " return [typeof d.get, d.set === undefined, d.enumerable, d.configurable]; })()",
     ["function", True, False, True]),
    ("Object.getOwnPropertyDescriptor(Symbol.prototype, 'description').get.call(1)", Throws("TypeError")),
    ("Object(Symbol('w')).description", "w"),
    ("Symbol.prototype.toString.name", "toString"),
    ("Symbol.prototype.propertyIsEnumerable('toString')", False),
    # wrapper objects
    ("typeof Object(Symbol())", "object"),
    ("(() => { const s = Symbol(); return Object(s) == s; })()", True),
    ("(() => { const s = Symbol(); return Object(s) === s; })()", False),
    ("Object(Symbol()) instanceof Symbol", True),
    ("Symbol() instanceof Symbol", False),
    ("Object(Symbol('x')).toString()", "Symbol(x)"),
    ("(() => { class S extends Symbol {} try { new S(); } catch (e) { return e.name; } })()", "TypeError"),
]


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return run_table([e for e, _ in CASES])


@pytest.mark.parametrize("expr, expected", CASES, ids=[e[:60] for e, _ in CASES])
def test_symbol_table(results: dict[str, Any], expr: str, expected: Any) -> None:
    check_entry(results, expr, expected)


def test_well_known_symbols_are_shared_between_realms() -> None:
    names = sorted(WELL_KNOWN_SYMBOLS) + ["matchAll"]
    src = "[" + ", ".join(f"Symbol.{n}" for n in names) + "]"
    _, first = evaluate(src)
    _, second = evaluate(src)
    assert first.items == second.items
    assert all(a is b for a, b in zip(first.items, second.items))
    assert first.items[: len(WELL_KNOWN_SYMBOLS)] == [WELL_KNOWN_SYMBOLS[n] for n in sorted(WELL_KNOWN_SYMBOLS)]
    assert first.items[names.index("iterator")] is SYM_ITERATOR


def test_registry_is_per_realm_but_consistent() -> None:
    _, a = evaluate("Symbol.for('shared')")
    _, b = evaluate("Symbol.for('shared')")
    # Each execution is its own realm: distinct objects, same key.
    assert a.registry_key == b.registry_key == "shared"


def test_symbol_keys_survive_property_enumeration() -> None:
    src = """
    const s = Symbol('hidden');
    const o = {visible: 1, [s]: 2};
    const seen = [];
    for (const k in o) seen.push(k);
    [seen, JSON.stringify(o), Object.getOwnPropertySymbols(o).length, o[s]]
    """
    assert run_js(src) == [["visible"], '{"visible":1}', 1, 2]

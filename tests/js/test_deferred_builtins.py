"""Built-in methods are made on first touch, and nothing a script can observe says so.

A fresh realm records the methods of ``String.prototype``, ``Array.prototype``,
``Object`` and the rest (:mod:`seqflow_runtime.js.builtins.deferred`) and
installs an object's the first time anything looks at it. Each script runs on
such a realm and on one with everything installed before the script starts:
the results must be equal whatever the script touches first, changes before
reading, or walks. Then: what a fresh realm makes, the intrinsics taken from
deferred methods, and that pending objects do not keep a realm alive.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from jsrun import run_js
from seqflow_runtime.js.builtins import install_everything
from seqflow_runtime.js.builtins.deferred import is_pending
from seqflow_runtime.js.runtime import Runtime
from seqflow_runtime.js.values import JSFunction

#: Every own property (in order, with its attributes and what kind of value) of every object reachable
#: from ``globalThis`` through properties and prototypes, breadth first.
WALK = """
const seen = new Map(); const out = []; const queue = [[globalThis, 'globalThis']];
const show = v => v === null ? 'null' : typeof v === 'function' ? `fn ${v.name}/${v.length}`
  : typeof v === 'object' ? 'object' : typeof v === 'symbol' ? `sym ${String(v.description)}` : `${typeof v} ${String(v)}`;
while (queue.length) {
  const [o, path] = queue.shift();
  if (seen.has(o)) continue;
  seen.set(o, path);
  const parts = Reflect.ownKeys(o).map(k => {
    const d = Object.getOwnPropertyDescriptor(o, k);
    const name = typeof k === 'symbol' ? '@' + k.description : k;
    const attrs = (d.enumerable ? 'e' : '-') + (d.configurable ? 'c' : '-') + ('value' in d ? (d.writable ? 'w' : '-') : 'a');
    for (const v of 'value' in d ? [d.value] : [d.get, d.set]) {
      if (v !== null && (typeof v === 'object' || typeof v === 'function')) queue.push([v, path + '.' + name]);
    }
    return `${name} ${attrs} ${'value' in d ? show(d.value) : show(d.get) + ' ' + show(d.set)}`;
  });
  const proto = Object.getPrototypeOf(o);
  if (proto) queue.push([proto, path + '.__proto__']);
  out.push(`${path} <${proto ? seen.get(proto) || '?' : 'null'}> ${Object.isExtensible(o)}: ${parts.join(' | ')}`);
}
out
"""

SCRIPTS = {
    "walk": WALK,
    "names first": """[String.prototype, Array.prototype, Object.prototype, Function.prototype, Number.prototype,
                       Boolean.prototype, Symbol.prototype, Promise.prototype, Object, Array, String, JSON,
                       console, performance].map(o => Reflect.ownKeys(o).map(String).join())""",
    "written before read": "String.prototype.shout = function () { return this + '!'; };"
                           "Array.prototype.last = 1; Object.prototype.z = 2; Number.prototype.toFixed = 3;"
                           "['a'.shout(), Object.getOwnPropertyNames(String.prototype).slice(-3),"
                           " Object.keys(Array.prototype), Object.getOwnPropertyNames(Number.prototype)]",
    "defined before read": """
        Object.defineProperty(Array.prototype, 'push', {value: 'gone', enumerable: true});
        Object.defineProperty(Object, 'keys', {get() { return 'k'; }});
        [Object.getOwnPropertyDescriptor(Array.prototype, 'push'), Object.keys, Object.getOwnPropertyNames(Object)]""",
    "deleted before read": """
        delete String.prototype.trimLeft; delete JSON.parse; delete Function.prototype.call;
        [typeof ''.trimLeft, typeof JSON.parse, 'call' in Function.prototype, Object.getOwnPropertyNames(JSON),
         ''.trimStart.name, JSON.stringify({a: [1, 'b']})]""",
    "frozen before read": """
        Object.freeze(Array.prototype); Object.seal(String.prototype); Object.preventExtensions(console);
        [Object.isFrozen(Array.prototype), Object.isSealed(String.prototype), Object.isExtensible(console),
         [3, 1, 2].sort().join(), Reflect.ownKeys(console).length]""",
    "prototype chains": """
        const g = (function* () { yield 1; })();
        [Object.getPrototypeOf(Object.getPrototypeOf(g)) === Object.getPrototypeOf([].values()).__proto__,
         [].values().map(x => x).toArray().length, Object.getPrototypeOf(Array.prototype) === Object.prototype,
         (() => 1) instanceof Function, String(Symbol('s')), Symbol.iterator.toString()]""",
    "original sort and toString": """
        const original = Array.prototype.toString;
        Array.prototype.sort = function () { return 'patched'; };
        Object.prototype.toString = function () { return 'mine'; };
        [[3, 1, 2].toSorted().join(), Uint8Array.prototype.toString === original,
         Array.prototype.toString.call({join: 1}), [1, [2, 3]].toString()]""",
    "regexp group": """
        ['a-b'.split(/-/), 'x'.replace('x', '$&$&'), 'abc'.match('b').index, typeof RegExp,
         Object.getOwnPropertyNames(RegExp.prototype).length > 10, /a/g.flags]""",
    "locale methods": "[(1234.5).toLocaleString(), 'a'.localeCompare('b'), Object.getOwnPropertyNames(Number.prototype)]",
    "promises": """
        const p = Promise.resolve(1);
        [typeof p.then, Object.getOwnPropertyNames(Promise).join(), Object.getOwnPropertyNames(Promise.prototype),
         p instanceof Promise]""",
}


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_deferred_and_eager_realms_agree(name: str) -> None:
    source = SCRIPTS[name]
    assert run_js(source) == run_js(source, eager=True)


def test_the_walk_sees_every_method() -> None:
    lines = run_js(WALK)
    string_proto = next(line for line in lines if line.startswith("globalThis.String.prototype <"))
    assert "charAt ---w" not in string_proto  # methods are writable, configurable, not enumerable
    assert "charAt -cw fn charAt/1" in string_proto and "trimLeft -cw fn trimStart/0" in string_proto
    array_proto = next(line for line in lines if line.startswith("globalThis.Array.prototype <"))
    assert array_proto.index("length") < array_proto.index("constructor") < array_proto.index("push")
    assert "@Symbol.unscopables -c- object" in array_proto


def test_a_fresh_realm_defers_the_big_prototypes() -> None:
    rt = Runtime()
    for obj in (rt.ObjectPrototype, rt.FunctionPrototype, rt.ArrayPrototype, rt.StringPrototype,
                rt.NumberPrototype, rt.intrinsics["Object"], rt.intrinsics["JSON"]):
        assert is_pending(obj)
    install_everything(rt)
    assert not any(is_pending(obj) for obj in rt.intrinsics.deferred)  # type: ignore[attr-defined]


def test_a_fresh_realm_makes_few_function_objects() -> None:
    Runtime()  # modules imported, caches warm

    def functions() -> int:
        return sum(1 for o in gc.get_objects() if isinstance(o, JSFunction))

    gc.collect()
    before = functions()
    rt = Runtime()
    made = functions() - before
    install_everything(rt)
    every = functions() - before
    # 285 before methods waited for their first touch (every built-in: about 750).
    assert made <= 70 < 600 < every


def test_reading_one_method_installs_its_object_only() -> None:
    rt = Runtime()
    assert rt.get(rt.StringPrototype, "charAt").name == "charAt"
    assert not is_pending(rt.StringPrototype)
    assert is_pending(rt.ArrayPrototype) and is_pending(rt.intrinsics["String"])


def test_an_intrinsic_from_a_pending_object_installs_it() -> None:
    rt = Runtime()
    assert is_pending(rt.ArrayPrototype)
    sort = rt.intrinsics["Array.prototype.sort"]
    assert not is_pending(rt.ArrayPrototype)
    assert rt.ArrayPrototype.props["sort"] is sort


def test_pending_objects_do_not_keep_a_realm_alive() -> None:
    rt = Runtime()
    assert is_pending(rt.ArrayPrototype)
    ref = weakref.ref(rt)
    del rt
    Runtime()  # the thread's running realm now (a new realm is, until a run says otherwise)
    gc.collect()
    assert ref() is None

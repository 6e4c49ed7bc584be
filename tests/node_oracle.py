"""Node as the oracle: the one place tests run ``node``.

Two ways to compare. Rendered cases: each case is an expression (or a
function body starting with a statement) run inside an async function, so
``await`` works; its value is rendered by a JS function ``__render`` (by
default :data:`RENDER`) into text both engines produce identically (types,
-0, typed array contents, ArrayBuffer bytes, errors by name); the same script
runs in seqflow and in Node. Named cases (:func:`node_results`): each source
runs in Node on its own, and the test compares its JSON with seqflow's value.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any, Callable

import pytest

from jsrun import STATEMENT_STARTS, run_js

NODE = shutil.which("node")

#: Marks a test that needs the oracle.
needs_node = pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")

RENDER = r"""
function __render(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  var t = typeof v;
  if (t === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (t === 'string') return JSON.stringify(v);
  if (t === 'bigint') return v + 'n';
  if (t !== 'object' && t !== 'function') return String(v);
  if (t === 'function') return 'function ' + v.name;
  if (v instanceof ArrayBuffer) return 'ArrayBuffer(' + Array.from(new Uint8Array(v)).join(',') + ')';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return v.constructor.name + '[' + Array.prototype.map.call(v, __render).join(',') + ']';
  if (v instanceof DataView) return 'DataView(' + v.byteOffset + ',' + v.byteLength + ')';
  if (v instanceof Error || (typeof DOMException === 'function' && v instanceof DOMException))
    return 'error ' + v.name;
  if (Array.isArray(v)) return '[' + v.map(__render).join(', ') + ']';
  return '{' + Object.keys(v).map(function (k) { return k + ': ' + __render(v[k]); }).join(', ') + '}';
}
"""


#: Renders any value as text both engines produce identically: type, -0, NaN, holes,
#: own property order and attributes, Map/Set contents, errors, cycles (ES5 only).
DEEP_RENDER = r"""
function __str(s) {
  var out = '"';
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    out += c >= 32 && c < 127 && c !== 34 && c !== 92 ? s.charAt(i) : '\\u' + (c + 0x10000).toString(16).slice(1);
  }
  return out + '"';
}
function __render(v, seen) {
  seen = seen || [];
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  var t = typeof v;
  if (t === 'number') return v === 0 && 1 / v < 0 ? '-0' : String(v);
  if (t === 'string') return __str(v);
  if (t === 'boolean') return String(v);
  if (t === 'symbol') return 'symbol ' + __str(String(v));
  if (t === 'function') return 'function ' + v.name;
  var at = seen.indexOf(v);
  if (at >= 0) return '<ref ' + at + '>';
  seen = seen.concat([v]);
  var tag = Object.prototype.toString.call(v).slice(8, -1);
  var proto = Object.getPrototypeOf(v);
  var cd = proto && Object.getOwnPropertyDescriptor(proto, 'constructor');
  var ctor = proto === null ? 'null' : cd && typeof cd.value === 'function' ? cd.value.name : '?';
  var parts = [];
  if (v instanceof Map) Map.prototype.forEach.call(v, function (x, k) { parts.push(__render(k, seen) + ' => ' + __render(x, seen)); });
  if (v instanceof Set) Set.prototype.forEach.call(v, function (x) { parts.push(__render(x, seen)); });
  if (v instanceof Error) parts.push('name=' + __render(v.name) + ' message=' + __render(v.message));
  if (tag === 'Date') parts.push('time=' + __render(v.getTime()));
  if (tag === 'RegExp') parts.push(String(v) + ' lastIndex=' + v.lastIndex);
  if (tag === 'Number' || tag === 'String' || tag === 'Boolean') parts.push('value=' + __render(v.valueOf()));
  var isArr = Array.isArray(v);
  if (isArr) for (var i = 0; i < v.length; i++) parts.push(i in v ? __render(v[i], seen) : '<hole>');
  Object.getOwnPropertyNames(v).forEach(function (k) {
    if (k === 'stack' || (isArr && (k === 'length' || String(k >>> 0) === k))) return;
    if (tag === 'String' && (k === 'length' || String(k >>> 0) === k)) return;
    var d = Object.getOwnPropertyDescriptor(v, k);
    var flags = (d.enumerable ? '' : '~') + (d.configurable ? '' : '!') + ('value' in d && !d.writable ? 'ro' : '');
    parts.push(k + flags + ': ' + ('value' in d ? __render(d.value, seen) : 'accessor'));
  });
  return ctor + '/' + tag + '{' + parts.join(', ') + '}';
}
"""



def harness(cases: list[str], render: str = RENDER) -> str:
    """A script whose result is the list of rendered cases (a thrown error renders as ``throws Name``)."""
    fns = ",\n".join(
        "async function () {" + (c if c.startswith(STATEMENT_STARTS) else f"return ({c});") + "}"
        for c in cases
    )
    return render + (
        f"var __cases = [{fns}];\n"
        "var __out = [];\n"
        "for (var __i = 0; __i < __cases.length; __i++) {\n"
        "  try { __out.push(__render(await __cases[__i]())); }\n"
        "  catch (e) { __out.push('throws ' + (e && e.name)); }\n"
        "}\n"
        "return __out;\n"
    )


def seqflow_renders(cases: list[str], render: str = RENDER) -> list[str]:
    """Each case as seqflow renders it."""
    out = run_js(harness(cases, render))
    assert isinstance(out, list)
    return out


def node_json(runner: str, stdin: str, env: dict[str, str] | None = None) -> Any:
    """Run the JS ``runner`` in Node with ``stdin`` as its input; what it writes, as JSON."""
    assert NODE is not None
    proc = subprocess.run([NODE, "-e", runner], input=stdin, capture_output=True, text=True, check=True,
                          timeout=60, env=env)
    return json.loads(proc.stdout)


def node_renders(cases: list[str], render: str = RENDER, env: dict[str, str] | None = None) -> list[str]:
    """Each case as Node renders it (the same script, run by V8)."""
    runner = ("const AsyncFunction = (async function () {}).constructor;"
              "AsyncFunction(require('fs').readFileSync(0, 'utf8'))()"
              ".then(r => process.stdout.write(JSON.stringify(r)))")
    out = node_json(runner, harness(cases, render), env)
    assert isinstance(out, list)
    return out


def assert_like_node(cases: list[str], render: str = RENDER, env: dict[str, str] | None = None) -> None:
    """seqflow renders every case exactly as Node does (Node run with ``env``)."""
    ours = seqflow_renders(cases, render)
    theirs = node_renders(cases, render, env)
    mismatches = [(c, o, t) for c, o, t in zip(cases, ours, theirs) if o != t]
    assert not mismatches, "\n".join(f"{c}\n  seqflow: {o}\n  node:    {t}" for c, o, t in mismatches)


def assert_renders(table: list[tuple[str, str]], render: str = RENDER) -> None:
    """Cases Node 20 lacks (ES2024+): seqflow renders each as the spec says."""
    ours = seqflow_renders([c for c, _ in table], render)
    mismatches = [(c, want, got) for (c, want), got in zip(table, ours) if got != want]
    assert not mismatches, "\n".join(f"{c}\n  seqflow: {g}\n  spec:    {w}" for c, w, g in mismatches)


def oracle_tests(oracle: dict[str, list[str]], pinned: dict[str, str],
                 render: str = RENDER) -> tuple[Callable[[str], None], Callable[[], None]]:
    """The two tests of a table of rendered cases by feature: ``test_like_node`` (per feature, with
    node) and ``test_oracle_cases_run_without_node`` (every case runs without a host error reaching
    it, and the ``pinned`` cases render as given). Assign them to those names in a test module."""

    @needs_node
    @pytest.mark.parametrize("feature", sorted(oracle))
    def like_node(feature: str) -> None:
        assert_like_node(oracle[feature], render)

    def without_node() -> None:
        out = seqflow_renders([c for cases in oracle.values() for c in cases], render)
        assert not [o for o in out if o.startswith("throws InternalError")]
        assert seqflow_renders(list(pinned), render) == list(pinned.values())

    return like_node, without_node


#: How :func:`node_results` runs a named case's ``code``.
HOW = {
    "async body": "await new (async function () {}).constructor(code)()",
    "script": "await vm.runInThisContext(code)",
    "fresh context": "vm.runInNewContext(code)",
}


def node_results(cases: dict[str, str], how: str) -> dict[str, list[Any]]:
    """Every named case run by Node (as :data:`HOW` says): ``[0, value]`` with the value through JSON
    (``undefined`` as null), or ``[1, "Name: message"]`` if it throws. Skips the test without node."""
    if NODE is None:
        pytest.skip("node (the oracle) is not installed")
    runner = ("const vm = require('vm'); const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "(async () => { const out = {};"
              " for (const [name, code] of Object.entries(cases)) {"
              f"  try {{ out[name] = [0, {HOW[how]}]; }} catch (e) {{ out[name] = [1, String(e)]; }} }}"
              " process.stdout.write(JSON.stringify(out)); })();")
    results: dict[str, list[Any]] = node_json(runner, json.dumps(cases))
    return results

"""Node as the oracle for the web API tests: one script, run by seqflow and by ``node``, same rendering.

Each case is an expression (or a function body starting with a statement)
run inside an async function, so ``await`` works; its value is rendered by
:data:`RENDER` into text both engines produce identically (types, -0, typed
array contents, ArrayBuffer bytes, errors by name).
"""

from __future__ import annotations

import json
import shutil
import subprocess

from jsrun import STATEMENT_STARTS, run_js

NODE = shutil.which("node")

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


def harness(cases: list[str]) -> str:
    """A script whose result is the list of rendered cases (a thrown error renders as ``throws Name``)."""
    fns = ",\n".join(
        "async function () {" + (c if c.startswith(STATEMENT_STARTS) else f"return ({c});") + "}"
        for c in cases
    )
    return RENDER + (
        f"var __cases = [{fns}];\n"
        "var __out = [];\n"
        "for (var __i = 0; __i < __cases.length; __i++) {\n"
        "  try { __out.push(__render(await __cases[__i]())); }\n"
        "  catch (e) { __out.push('throws ' + (e && e.name)); }\n"
        "}\n"
        "return __out;\n"
    )


def seqflow_renders(cases: list[str]) -> list[str]:
    """Each case as seqflow renders it."""
    out = run_js(harness(cases))
    assert isinstance(out, list)
    return out


def node_renders(cases: list[str]) -> list[str]:
    """Each case as Node renders it (the same script, run by V8)."""
    assert NODE is not None
    runner = ("const AsyncFunction = (async function () {}).constructor;"
              "AsyncFunction(require('fs').readFileSync(0, 'utf8'))()"
              ".then(r => process.stdout.write(JSON.stringify(r)))")
    proc = subprocess.run([NODE, "-e", runner], input=harness(cases), capture_output=True, text=True,
                          check=True, timeout=60)
    out = json.loads(proc.stdout)
    assert isinstance(out, list)
    return out


def assert_like_node(cases: list[str]) -> None:
    """seqflow renders every case exactly as Node does."""
    ours = seqflow_renders(cases)
    theirs = node_renders(cases)
    mismatches = [(c, o, t) for c, o, t in zip(cases, ours, theirs) if o != t]
    assert not mismatches, "\n".join(f"{c}\n  seqflow: {o}\n  node:    {t}" for c, o, t in mismatches)


def assert_renders(table: list[tuple[str, str]]) -> None:
    """Cases Node 20 lacks (ES2024+): seqflow renders each as the spec says."""
    ours = seqflow_renders([c for c, _ in table])
    mismatches = [(c, want, got) for (c, want), got in zip(table, ours) if got != want]
    assert not mismatches, "\n".join(f"{c}\n  seqflow: {g}\n  spec:    {w}" for c, w, g in mismatches)

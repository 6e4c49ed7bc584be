"""The web platform's globals are installed on first use, and nothing a script can observe says so.

Each script runs twice, on a realm whose lazy groups wait (the default) and on
one with every group installed before the script starts: the results must be
equal, whatever the script does to the global object first (read, ``typeof``,
``in``, enumerate, delete, assign, redefine, ``with``, ``eval``, freeze) and
whether it reaches a group by name or through another built-in (a
``TextEncoder`` making a ``Uint8Array``, ``toLocaleString`` with a locale, a
``fetch`` answering with a ``Response``). Then: what a fresh realm installs,
random draws around an install, and web values held across pauses resumed
cold in other processes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from elsewhere import resume_elsewhere
from jsrun import evaluate, run_js
from seqflow_runtime import FileStorage, MemoryStorage, create_flow
from seqflow_runtime.js.builtins import LAZY_GROUPS, PROVIDERS, install_everything
from seqflow_runtime.js.globals import LAZY
from seqflow_runtime.js.runtime import Runtime

SCRIPTS = {
    "names in order": "Object.getOwnPropertyNames(globalThis).join()",
    "descriptors": """
        Object.getOwnPropertyNames(globalThis).map(k => {
          const d = Object.getOwnPropertyDescriptor(globalThis, k);
          return [k, typeof d.value, d.writable, d.enumerable, d.configurable, typeof d.get];
        })""",
    "keys and for-in": "const seen = []; for (const k in globalThis) seen.push(k); [Object.keys(globalThis), seen]",
    "in and own": """[
        'URL' in globalThis, globalThis.hasOwnProperty('crypto'), Object.hasOwn(globalThis, 'Intl'),
        Reflect.has(globalThis, 'Blob'), 'Nope' in globalThis, Reflect.ownKeys(globalThis).includes('fetch')]""",
    "typeof": "[typeof TextEncoder, typeof crypto, typeof Intl, typeof structuredClone, typeof Nope]",
    "delete": """
        const gone = delete globalThis.URL;
        [gone, typeof URL, typeof URLSearchParams, new URLSearchParams('a=1').get('a'), 'URL' in globalThis,
         Object.getOwnPropertyNames(globalThis).includes('URL'), typeof globalThis.URL]""",
    "assign": """
        URL = 5; globalThis.Blob = 'b';
        [URL, typeof URLSearchParams, globalThis.URL, Blob, typeof File, new FormData().has('x'),
         Object.getOwnPropertyDescriptor(globalThis, 'URL').enumerable]""",
    "define": """
        Object.defineProperty(globalThis, 'TextDecoder', {value: 7, enumerable: true});
        [TextDecoder, Object.keys(globalThis).includes('TextDecoder'), typeof TextEncoder, atob('aGk=')]""",
    "function declaration": "function fetch() { return 'mine'; } [fetch(), typeof Headers, globalThis.fetch === fetch]",
    "var declaration": "var crypto = 1; [crypto, typeof Crypto, typeof globalThis.crypto]",
    "with": "with (globalThis) { [typeof Blob, typeof Intl, Uint8Array.BYTES_PER_ELEMENT] }",
    "eval": """[eval('typeof structuredClone'), (0, eval)('var Headers = 3; Headers'), typeof Headers,
               eval('DataView.name')]""",
    "descriptor of one": """
        ['fetch', 'crypto', 'Intl', 'atob', 'Float64Array'].map(k => {
          const d = Object.getOwnPropertyDescriptor(globalThis, k);
          return [k, d.writable, d.enumerable, d.configurable];
        })""",
    "prevent extensions": """
        Object.preventExtensions(globalThis);
        [typeof URL, new URL('https://a.example/b?c=1').searchParams.get('c'), Object.isExtensible(globalThis)]""",
    "freeze": """
        'use strict';
        Object.freeze(globalThis);
        let threw = false; try { TextEncoder = 1; } catch (e) { threw = e.name; }
        [Object.isFrozen(globalThis), typeof TextEncoder, threw]""",
    "reached through another built-in": """
        const bytes = new TextEncoder().encode('h\u00e9');
        [Object.prototype.toString.call(bytes), bytes.length, bytes.constructor === Uint8Array,
         (1234.5).toLocaleString('de-DE'), (12n).toLocaleString('en-US', {style: 'currency', currency: 'EUR'}),
         new Date(0).toLocaleDateString('en-GB', {timeZone: 'UTC'}), 'a'.localeCompare('A', 'en', {sensitivity: 'base'}),
         structuredClone(new Map([[1, bytes]])).get(1).join()]""",
    "blob to array buffer": """
        const buffer = await new Blob(['abc']).arrayBuffer();
        const response = new Response('{"a":1}');
        [buffer.byteLength, Object.getPrototypeOf(buffer) === ArrayBuffer.prototype, (await response.json()).a,
         response.headers.get('content-type'), response instanceof Response]""",
    "random draws around installs": """
        const a = Math.random();
        const uuid = crypto.randomUUID();
        const b = Math.random();
        const bytes = crypto.getRandomValues(new Uint8Array(4)).join();
        [a, uuid, b, bytes, Math.random()]""",
    "language groups": """
        [Math.max(1, 2), new Map([[1, 2]]).get(1), new Set([1]).union(new Set([2])).size,
         Map.groupBy([1, 2, 3], x => x % 2).get(1).length, Object.groupBy([1], x => 'a').a.length,
         new Date(0).toISOString(), new Date(0).toLocaleString('en-US', {timeZone: 'UTC'}),
         new Date(0).toLocaleTimeString(), Reflect.ownKeys({a: 1}), Array.isArray(new Proxy([], {})),
         Object.prototype.toString.call(new Proxy([], {})), typeof WeakRef, typeof FinalizationRegistry,
         new WeakMap([[{}, 1]]) instanceof WeakMap, JSON.stringify(new Date(0))]""",
    "prototypes per realm": "URL.prototype.x = 1; Uint8Array.prototype.y = 2; [new URL('a:b').x, new Uint8Array(1).y]",
}


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_lazy_and_eager_realms_agree(name: str) -> None:
    source = SCRIPTS[name]
    assert run_js(source) == run_js(source, eager=True)


def test_what_the_scripts_see() -> None:
    """A few of the agreed results spelled out, so that agreeing on a wrong answer fails too."""
    assert run_js(SCRIPTS["in and own"]) == [True, True, True, True, False, True]
    assert run_js(SCRIPTS["delete"]) == [True, "undefined", "function", "1", False, False, "undefined"]
    assert run_js(SCRIPTS["assign"]) == [5, "function", 5, "b", "function", False, False]
    assert run_js(SCRIPTS["define"]) == [7, True, "function", "hi"]
    assert run_js(SCRIPTS["descriptor of one"]) == [
        ["fetch", True, False, True], ["crypto", True, True, True], ["Intl", True, False, True],
        ["atob", True, True, True], ["Float64Array", True, False, True]]
    assert run_js(SCRIPTS["freeze"]) == [True, "function", "TypeError"]
    assert run_js(SCRIPTS["language groups"]) == [
        2, 2, 2, 2, 1, "1970-01-01T00:00:00.000Z", "1/1/1970, 12:00:00 AM", "12:00:00 AM", ["a"], True,
        "[object Array]", "function", "function", True, '"1970-01-01T00:00:00.000Z"']
    seen = run_js(SCRIPTS["reached through another built-in"])
    assert seen == ["[object Uint8Array]", 3, True, "1.234,5", "\u20ac12.00", "01/01/1970", 0, "104,195,169"]


def test_a_fresh_realm_installs_no_lazy_group() -> None:
    rt = Runtime()
    assert rt.intrinsics.pending == set(LAZY_GROUPS)  # type: ignore[attr-defined]
    for group in LAZY_GROUPS.values():
        for name in group.globals:
            assert rt.global_object.props[name] is LAZY and name not in rt.global_object.mirror
    assert not any(dict.__contains__(rt.intrinsics, key) for key in PROVIDERS)


def test_a_group_installs_what_it_declares() -> None:
    """Each group, installed alone, writes exactly its globals and the intrinsics it says it provides."""
    for name, group in LAZY_GROUPS.items():
        rt = Runtime()
        rt.global_object.install_group(name)
        g = rt.global_object
        assert all(g.props[k] is not LAZY for k in group.globals), name
        assert all(dict.__contains__(rt.intrinsics, k) for k in group.provides), name
    rt = Runtime()
    install_everything(rt)
    assert LAZY not in rt.global_object.props.values() and not rt.global_object.lazy


def test_only_what_is_used_is_installed() -> None:
    rt, _ = evaluate("'URL' in globalThis && Object.getOwnPropertyNames(globalThis).length > 0")
    assert rt.intrinsics.pending == set(LAZY_GROUPS)  # type: ignore[attr-defined]
    rt, _ = evaluate("new TextEncoder().encode('x')")
    # TextEncoder needs DOMException (its errors, over Error.prototype) and the typed arrays (its result),
    # nothing else.
    assert set(LAZY_GROUPS) - rt.intrinsics.pending == {  # type: ignore[attr-defined]
        "encoding", "clone", "errors", "binary"}
    rt, _ = evaluate("(5).toLocaleString(); 'a'.localeCompare('b'); new Date(0).toLocaleString()")
    assert "Intl" in rt.intrinsics.pending  # type: ignore[attr-defined]


def test_a_fetch_answers_with_a_response_of_the_realm() -> None:
    code = """
const r = await fetch('https://api.example.com/a');
return [Object.prototype.toString.call(r), r instanceof Response, r.headers instanceof Headers,
        (await r.json()).n];
"""
    storage = MemoryStorage()
    create_flow(storage).execute(code, id="t")
    task = create_flow(storage).resume("t", {"data": {"n": 1}, "headers": {"X-A": "b"}})
    assert task.result == ["[object Response]", True, True, 1]


HELD = """
const url = new URL('https://api.example.com/orders?page=1');
const bytes = new Uint8Array([1, 2, 3]);
const controller = new AbortController();
const money = new Intl.NumberFormat('de-DE', {style: 'currency', currency: 'EUR'});
controller.signal.addEventListener('abort', () => bytes[0] = 100);
const first = await (await fetch(url)).json();
url.searchParams.set('page', String(first.next));
bytes[1] = first.next * 10;
const second = await (await fetch(url, {signal: controller.signal})).json();
controller.abort('done');
return [url.href, Array.from(bytes), controller.signal.aborted, controller.signal.reason,
        money.format(second.total), money.resolvedOptions().locale, second.total];
"""

def test_web_values_survive_cold_resumes_in_other_processes(tmp_path: Path) -> None:
    """A URL, a typed array, an AbortController and an Intl.NumberFormat held across two pauses,
    each resumed by a different process replaying the log on a fresh realm."""
    task = create_flow(FileStorage(tmp_path)).execute(HELD, id="held")
    assert task.status == "paused" and task.fetch_request.url == "https://api.example.com/orders?page=1"
    assert resume_elsewhere(tmp_path, "held", {"data": {"next": 2}}) == {
        "status": "paused", "result": None, "error": None, "url": "https://api.example.com/orders?page=2"}
    assert resume_elsewhere(tmp_path, "held", {"data": {"total": 1234.5}}) == {
        "status": "completed", "error": None, "url": None,
        "result": ["https://api.example.com/orders?page=2", [100, 20, 3], True, "done", "1.234,50\xa0\u20ac",
                   "de-DE", 1234.5]}

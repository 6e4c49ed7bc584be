"""crypto: getRandomValues, randomUUID (seeded, so replay draws the same bytes) and crypto.subtle.

The digests and HMAC values are compared with live Node; randomness is
checked for its shape and its determinism (same task seed, same values; a
cold resume in another process sees the values drawn before the pause).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path

import pytest

from node_oracle import oracle_tests
from jsrun import run_js
from seqflow_runtime import FileStorage, create_flow
from seqflow_runtime.js.execute import start_program
from seqflow_runtime.js.runtime import Runtime
from seqflow_runtime.js.convert import to_python
from seqflow_transpile import transpile

ROOT = Path(__file__).resolve().parents[2]

ORACLE: dict[str, list[str]] = {
    "digest": [
        "new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')))",
        "var d = await crypto.subtle.digest('sha-1', new ArrayBuffer(0)); return [d.byteLength, Object.prototype.toString.call(d)]",
        "(await crypto.subtle.digest({name: 'SHA-384'}, new Uint8Array([1, 2, 3]))).byteLength",
        "new Uint8Array(await crypto.subtle.digest('SHA-512', new DataView(new Uint8Array([1, 2, 3]).buffer, 1)))[0]",
        "new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array([9, 1, 2]).subarray(1)))[0]",
        "await crypto.subtle.digest('MD5', new Uint8Array(1))",
        "await crypto.subtle.digest('SHA-256', 'text')",
        "await crypto.subtle.digest({}, new Uint8Array(1))",
        "var p = crypto.subtle.digest('MD5', new Uint8Array(1)); p.catch(function () {}); return typeof p.then",
        "typeof crypto.subtle.digest('SHA-1', new Uint8Array(0)).then",
    ],
    "hmac": [
        "var k = await crypto.subtle.importKey('raw', new TextEncoder().encode('key'), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign', 'verify']);"
        " return [Object.prototype.toString.call(k), k.type, k.extractable, k.algorithm, k.usages]",
        "var k = await crypto.subtle.importKey('raw', new TextEncoder().encode('key'), {name: 'HMAC', hash: {name: 'SHA-1'}}, true, ['sign']);"
        " return [k.algorithm, new Uint8Array(await crypto.subtle.exportKey('raw', k))]",
        "var k = await crypto.subtle.importKey('raw', new TextEncoder().encode('key'), {name: 'HMAC', hash: 'SHA-256'}, false, ['sign', 'verify']);"
        " var s = await crypto.subtle.sign('HMAC', k, new TextEncoder().encode('msg'));"
        " return [new Uint8Array(s), await crypto.subtle.verify('HMAC', k, s, new TextEncoder().encode('msg')),"
        " await crypto.subtle.verify({name: 'HMAC'}, k, new Uint8Array(32), new TextEncoder().encode('msg'))]",
        "var k = await crypto.subtle.importKey('raw', new Uint8Array(70), {name: 'HMAC', hash: 'SHA-512'}, false, ['sign']);"
        " return new Uint8Array(await crypto.subtle.sign({name: 'HMAC'}, k, new ArrayBuffer(3)))",
        "var k = await crypto.subtle.importKey('raw', new Uint8Array(4), {name: 'HMAC', hash: 'SHA-256'}, false, ['verify']);"
        " return await crypto.subtle.sign('HMAC', k, new Uint8Array(1))",
        "await crypto.subtle.importKey('raw', new Uint8Array(4), {name: 'HMAC', hash: 'MD5'}, false, ['sign'])",
        "await crypto.subtle.importKey('raw', new Uint8Array(4), {name: 'NOPE'}, false, ['sign'])",
        "await crypto.subtle.sign('HMAC', {}, new Uint8Array(1))",
    ],
    "random": [
        "var a = new Uint8Array(16); return [crypto.getRandomValues(a) === a, a.length]",
        "crypto.getRandomValues(new Float32Array(1))",
        "crypto.getRandomValues(new Float64Array(1))",
        "crypto.getRandomValues(new Uint8Array(65537))",
        "crypto.getRandomValues(new Uint32Array(16384)).length",
        "crypto.getRandomValues(new BigInt64Array(2)).length",
        "crypto.getRandomValues([1, 2])",
        "crypto.getRandomValues(new DataView(new ArrayBuffer(2)))",
        "try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { return [e instanceof DOMException, e.name, e.code]; }",
        "try { crypto.getRandomValues(new Float32Array(1)); } catch (e) { return [e instanceof DOMException, e.name, e.code]; }",
        "/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID())",
        "crypto.randomUUID() !== crypto.randomUUID()",
        "[typeof crypto, typeof crypto.subtle, typeof Crypto, typeof SubtleCrypto, typeof CryptoKey]",
        "new Crypto()",
        "new CryptoKey()",
    ],
}


test_like_node, test_oracle_cases_run_without_node = oracle_tests(ORACLE, {
    "new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(0)))[0]": str(hashlib.sha256(b"").digest()[0])})


def test_digest_and_hmac_match_the_standard_library() -> None:
    out = run_js("""
        const data = new TextEncoder().encode('The quick brown fox');
        const out = {};
        for (const name of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'])
          out[name] = new Uint8Array(await crypto.subtle.digest(name, data)).toHex();
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('secret'),
                                                  {name: 'HMAC', hash: 'SHA-384'}, false, ['sign']);
        out.hmac = new Uint8Array(await crypto.subtle.sign('HMAC', key, data)).toHex();
        return out;
    """)
    data = b"The quick brown fox"
    assert out == {"SHA-1": hashlib.sha1(data).hexdigest(), "SHA-256": hashlib.sha256(data).hexdigest(),
                   "SHA-384": hashlib.sha384(data).hexdigest(), "SHA-512": hashlib.sha512(data).hexdigest(),
                   "hmac": hmac.new(b"secret", data, "sha384").hexdigest()}


def _draws(seed: int) -> list[str]:
    rt = Runtime(seed=seed)
    promise = start_program(rt, transpile(
        "[crypto.randomUUID(), crypto.getRandomValues(new Uint8Array(8)).toHex(), String(Math.random())]"))
    rt.jobs.run()
    value = to_python(rt, promise.result)
    assert isinstance(value, list)
    return value


def test_randomness_is_drawn_from_the_task_seed() -> None:
    assert _draws(7) == _draws(7)
    assert _draws(7) != _draws(8)


DURABLE = """
const held = crypto.getRandomValues(new Uint8Array(4));
const id = crypto.randomUUID();
const decoder = new TextDecoder();
let text = decoder.decode(new Uint8Array([0xF0, 0x9F]), {stream: true});
const pending = crypto.subtle.digest('SHA-256', held);
const res = await fetch('https://api.example.com/echo/' + id + '/' + held.toHex());
const got = await res.json();
text += decoder.decode(new Uint8Array([0x98, 0x80]));
held[0] = got.n;
return { sameId: got.id === id, sameBytes: got.hex === Array.from(held.subarray(1), b => b.toString(16).padStart(2, '0')).join(''),
         text, digest: new Uint8Array(await pending).length, first: held[0] };
"""


def test_random_values_and_pending_digest_survive_a_resume_in_another_process(tmp_path: Path) -> None:
    """The UUID and bytes sent before the pause are the ones the program holds after a cold resume elsewhere."""
    task = create_flow(storage=FileStorage(tmp_path)).execute(DURABLE, id="crypto")
    assert task.status == "paused" and task.fetch_request is not None
    _, _, _, _, uuid, hexed = task.fetch_request.url.split("/")
    answer = {"id": uuid, "hex": hexed[2:], "n": 200}
    code = (
        "import json\n"
        "from seqflow_runtime import create_flow, FileStorage\n"
        f"task = create_flow(storage=FileStorage({str(tmp_path)!r})).resume('crypto', fetch_response={{'data': {answer!r}}})\n"
        "print(json.dumps([task.status, task.result, task.error]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    status, result, error = json.loads(done.stdout)
    assert status == "completed", error
    assert result == {"sameId": True, "sameBytes": True, "text": "\U0001F600", "digest": 32, "first": 200}

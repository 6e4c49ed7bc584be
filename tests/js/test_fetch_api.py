"""``fetch``, ``Headers``, ``Request``, ``Response``, ``Blob``, ``File`` and ``FormData`` (WHATWG Fetch, File API, XHR).

Node 20 (run live) is the oracle: the same script runs in both, ``fetch`` answering
from the same fixed responses, and the results, the console and the requests
each side sent (method, URL, headers, body) must be identical.
"""

from __future__ import annotations

import json

import pytest

from seqflow_runtime import MemoryStorage, create_flow
from webcompare import NODE, run_node, run_seqflow

needs_node = pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")

ROUND_TRIP = r"""
const out = [];
const r = await fetch('https://api.example.com/users/1', {headers: {'X-Trace': ' abc ', Accept: 'application/json'}});
out.push(r.status, r.ok, r.statusText, r.url, r.type, r.redirected, r.headers.get('content-type'), [...r.headers].length);
const c = r.clone();
out.push((await r.json()).name, await c.text(), r.bodyUsed);
try { await r.text(); } catch (e) { out.push(e.name, e.message); }
const p = await fetch('https://api.example.com/users', {method: 'POST', body: JSON.stringify({a: 1}), headers: {'content-type': 'application/json'}});
out.push(p.status, await p.text());
const form = new URLSearchParams({q: 'x y', n: '1'});
const f = await fetch('https://api.example.com/search', {method: 'post', body: form});
out.push(await f.json());
const h = new Headers([['a', '1'], ['b', '2']]); h.append('a', '3'); h.append('Set-Cookie', 'x=1'); h.append('set-cookie', 'y=2');
out.push([...h], h.get('a'), h.getSetCookie(), h.has('B'));
try { h.append('bad name', 'x'); } catch (e) { out.push(e.name); }
const resp = new Response('hello', {status: 201, headers: {'x': 'y'}});
out.push(resp.status, resp.headers.get('content-type'), await resp.text());
const j = Response.json({ok: true}, {status: 202});
out.push(j.status, j.headers.get('content-type'), await j.json());
const req = new Request('https://a.com/x', {method: 'PUT', body: 'data'});
out.push(req.method, req.url, req.headers.get('content-type'), await req.text());
const blob = new Blob(['ab', 'cd'], {type: 'Text/Plain'});
out.push(blob.size, blob.type, await blob.slice(1, 3).text());
const fd = new FormData(); fd.append('k', 'v'); fd.append('file', new Blob(['xyz'], {type: 'text/plain'}), 'a.txt');
const up = await fetch('https://api.example.com/upload', {method: 'POST', body: fd});
out.push(up.status, fd.get('file').name, fd.get('file').size, [...fd.keys()]);
return out;
"""
ROUND_TRIP_ANSWERS = json.loads(r"""[{"url": "https://api.example.com/users/1", "headers": {"content-type": "application/json"}, "data": {"name": "Ann"}},
 {"url": "https://api.example.com/users", "method": "POST", "status": 201, "body": "created"},
 {"url": "https://api.example.com/search", "method": "POST", "data": [1, 2]},
 {"url": "https://api.example.com/upload", "method": "POST", "status": 204}]
""")

OBJECTS = r"""
const out = [];
const h = new Headers({'Content-Type': 'text/html', 'X-A': '  padded\t'});
h.append('x-a', 'second'); h.set('X-B', 'b'); h.delete('content-type');
out.push([...h.entries()], [...h.keys()], [...h.values()], h.get('X-A'), h.get('missing'), h.has('x-b'));
const seen = []; h.forEach((v, k, o) => seen.push(k + '=' + v + (o === h))); out.push(seen);
for (const bad of [() => new Headers([['a']]), () => h.set('a b', 'x'), () => h.append('x', 'a\nb'), () => Headers(),
                   () => new Headers('str'), () => h.get('bad name')]) {
  try { bad(); out.push('no error'); } catch (e) { out.push(e.name); }
}
out.push(new Headers(new Headers([['k', 'v']])).get('k'), Object.prototype.toString.call(h));
const q = new Request('https://a.com/p?x=1#frag', {method: 'patch', headers: [['Accept', 'json']], body: 'b'});
out.push(q.method, q.url, q.headers.get('accept'), q.headers.get('content-type'), q.redirect, q.mode, q.credentials,
         q.cache, q.bodyUsed, q.signal.aborted, q.keepalive);
const q2 = q.clone(); out.push(await q2.text(), q2.bodyUsed, q.bodyUsed);
const q3 = new Request(q, {method: 'POST'}); out.push(q3.method, q3.url, await q3.text());
for (const m of ['get', 'Delete', 'options', 'custom']) out.push(new Request('https://a.com', {method: m}).method);
for (const bad of [() => new Request('/relative'), () => new Request('https://a.com', {method: 'GET', body: 'x'}),
                   () => new Request('https://a.com', {method: 'CONNECT'}), () => new Request('https://a.com', {method: 'a b'})]) {
  try { bad(); out.push('no error'); } catch (e) { out.push(e.name); }
}
const r = new Response(null, {status: 204, statusText: 'Nothing'});
out.push(r.status, r.statusText, r.ok, await r.text(), r.type, r.url, r.redirected);
const red = Response.redirect('https://a.com/next', 301); out.push(red.status, red.headers.get('location'));
try { red.headers.set('x', 'y'); } catch (e) { out.push(e.name); }
const err = Response.error(); out.push(err.type, err.status, err.ok);
for (const bad of [() => new Response('x', {status: 204}), () => new Response('', {status: 99}),
                   () => Response.redirect('https://a.com', 200), () => Response.json(() => 1)]) {
  try { bad(); out.push('no error'); } catch (e) { out.push(e.name); }
}
const form = new Response('a=1&b=x+y&a=2', {headers: {'content-type': 'application/x-www-form-urlencoded'}});
const fd = await form.formData(); out.push(fd.getAll('a'), fd.get('b'));
const blob = await new Response('hello', {headers: {'content-type': 'Text/Plain'}}).blob(); out.push(blob.size, blob.type);
const bad = new Response('{oops'); try { await bad.json(); } catch (e) { out.push(e.name); }
const rp = new Response(new URLSearchParams({a: 'b c'})); out.push(rp.headers.get('content-type'), await rp.text());
const rb = new Response(new Blob(['xy'], {type: 'a/b'})); out.push(rb.headers.get('content-type'), await rb.text());
const rj = Response.json([1, 'two'], {headers: {'x-extra': '1'}}); out.push([...rj.headers], await rj.json());
const f = new File(['abc'], 'n.txt', {type: 'text/plain', lastModified: 42});
out.push(f.name, f.size, f.type, f.lastModified, f instanceof Blob, await f.text(), Object.prototype.toString.call(f));
const fdata = new FormData(); fdata.append('a', '1'); fdata.set('b', new Blob(['z'])); fdata.append('a', '2'); fdata.set('a', '3');
out.push([...fdata].map(([k, v]) => k + ':' + (typeof v === 'string' ? v : v.name)), fdata.has('b'), fdata.get('zz'));
fdata.delete('a'); out.push([...fdata.keys()]);
return out;
"""


MULTIPART = r"""
const B = 'multipart/form-data; boundary=B';
const part = (name, extra = '') => '--B\r\nContent-Disposition: form-data; name="' + name + '"' + extra + '\r\n';
const bodies = [
  part('a') + '\r\nx\r\ny\r\n' + part('a') + '\r\n\r\n--B--\r\n',
  part('f', '; filename="a b.bin"') + 'Content-Type: Text/HTML  \r\n\r\n<p>\u00e9</p>\r\n--B--',
  part('f', '; filename=""') + 'X-Other: 1\r\n\r\nplain\r\n--B--\r\n',
  part('a%22b%0Ac') + '\r\n\ufeffbom\r\n--B--\r\n',
  '--B--\r\n',
  'content-disposition:   form-data; name="lower"\r\n\r\nv\r\n--B--\r\n'.replace(/^/, '--B\r\n'),
  // malformed: each fails with the same TypeError
  'garbage', '', part('a') + '\r\nx\r\n--B--\r\nepilogue', 'pre\r\n' + part('a') + '\r\nx\r\n--B--',
  '--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--', part('a', '; foo="1"') + '\r\nx\r\n--B--',
  part('a') + '\r\nunterminated', part('a') + '\r\nx\r\n--Bx\r\n--B--', part('q\\"x') + '\r\nx\r\n--B--',
  '--B\nContent-Disposition: form-data; name="a"\n\nx\n--B--\n', part('a') + 'Bad Header: 1\r\n\r\nx\r\n--B--',
];
const entries = async fd => Promise.all([...fd].map(async ([k, v]) =>
  [k, typeof v === 'string' ? v : [Object.prototype.toString.call(v), v.name, v.type, v.size, await v.text(),
                                   typeof v.lastModified]]));
const out = [];
for (const body of bodies) {
  try { out.push(await entries(await new Response(body, {headers: {'content-type': B}}).formData())); }
  catch (e) { out.push([e.name, e.message]); }
}
for (const type of ['multipart/form-data; boundary="B"', 'Multipart/Form-Data; BOUNDARY=B', 'multipart/form-data',
                    'multipart/form-data;boundary=B;charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded']) {
  try { out.push(await entries(await new Response(part('t') + '\r\nv\r\n--B--', {headers: {'content-type': type}}).formData())); }
  catch (e) { out.push([e.name, e.message]); }
}
const fd = new FormData();
fd.append('text', 'a\nb "q"'); fd.append('file', new File(['\u00e9\u0000'], 'r\u00e9sum\u00e9.txt', {type: 'text/plain'}));
fd.append('blob', new Blob([new Uint8Array([0, 255])]));
const request = new Request('https://x.example/up', {method: 'POST', body: fd});
out.push(await entries(await request.formData()), request.bodyUsed);
const response = new Response(fd);
out.push(await entries(await response.clone().formData()), (await response.formData()).get('text'));
return out;
"""


@needs_node
@pytest.mark.parametrize("script,answers", [(ROUND_TRIP, ROUND_TRIP_ANSWERS), (OBJECTS, []), (MULTIPART, [])],
                         ids=["round_trip", "objects", "multipart"])
def test_like_node(script: str, answers: list[dict[str, object]]) -> None:
    assert run_seqflow(script, answers) == run_node(script, answers)


def test_bodies_reach_the_caller_with_their_content_type() -> None:
    """Each kind of body, as the paused task shows the request (pinned: works without node)."""
    code = """
const fd = new FormData(); fd.append('name', 'a "b"'); fd.append('up', new Blob(['hi'], {type: 'text/plain'}), 'f.txt');
await Promise.all([
  fetch('https://x.example/s', {method: 'POST', body: 'plain'}),
  fetch('https://x.example/p', {method: 'POST', body: new URLSearchParams({q: 'a b', n: 1})}),
  fetch('https://x.example/b', {method: 'PUT', body: new Blob(['{}'], {type: 'application/json'})}),
  fetch('https://x.example/f', {method: 'POST', body: fd}),
  fetch('https://x.example/k', {method: 'POST', body: 'x', headers: {'Content-Type': 'application/json'}}),
  fetch(new Request('https://x.example/r', {method: 'DELETE', headers: {'X-Id': '7'}})),
]);
"""
    task = create_flow().execute(code)
    seen = [(r.method, r.url, r.headers, r.body) for r in task.fetch_requests]
    boundary = "----formdata-seqflow-00000000001"
    assert seen == [
        ("POST", "https://x.example/s", {"content-type": "text/plain;charset=UTF-8"}, "plain"),
        ("POST", "https://x.example/p", {"content-type": "application/x-www-form-urlencoded;charset=UTF-8"},
         "q=a+b&n=1"),
        ("PUT", "https://x.example/b", {"content-type": "application/json"}, "{}"),
        ("POST", "https://x.example/f", {"content-type": f"multipart/form-data; boundary={boundary}"},
         f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\na "b"\r\n'
         f'--{boundary}\r\nContent-Disposition: form-data; name="up"; filename="f.txt"\r\n'
         f"Content-Type: text/plain\r\n\r\nhi\r\n--{boundary}--\r\n"),
        ("POST", "https://x.example/k", {"content-type": "application/json"}, "x"),
        ("DELETE", "https://x.example/r", {"x-id": "7"}, None),
    ]


def test_response_url_and_redirected_come_from_the_answer() -> None:
    flow = create_flow()
    task = flow.execute("const r = await fetch('https://x.example/old'); return [r.url, r.redirected, r.type];")
    task = flow.resume(task.id, {"status": 200, "url": "https://x.example/new", "redirected": True})
    assert task.result == ["https://x.example/new", True, "basic"]


def test_a_response_header_list_is_immutable_and_a_network_error_keeps_its_cause() -> None:
    flow = create_flow()
    task = flow.execute("""
const r = await fetch('https://x.example/a');
let immutable; try { r.headers.set('x', '1'); } catch (e) { immutable = e.name; }
try { await fetch('https://x.example/b'); } catch (e) { return [immutable, r.headers.get('etag'), e.name, e.cause.message]; }
""")
    task = flow.resume(task.id, {"status": 200, "headers": {"ETag": "v1"}})
    task = flow.resume(task.id, {"error": "ECONNREFUSED"})
    assert task.result == ["TypeError", "v1", "TypeError", "ECONNREFUSED"]


def test_binary_bodies_and_readers_use_array_buffers() -> None:
    """A typed-array body is sent as its bytes; arrayBuffer()/bytes() and Blob parts make real buffers."""
    from seqflow_runtime import create_flow

    flow = create_flow()
    task = flow.execute(
        "const r = await fetch('https://x.test/b', {method: 'POST', body: new Uint8Array([104, 105])});\n"
        "const buf = await r.arrayBuffer();\n"
        "const blob = new Blob([new Uint8Array([65, 66]), 'C']);\n"
        "[buf instanceof ArrayBuffer, buf.byteLength, new TextDecoder().decode(buf), await blob.text(),\n"
        " (await new Response('xyz').bytes()) instanceof Uint8Array]"
    )
    assert task.status == "paused"
    assert task.fetch_request is not None and task.fetch_request.body == "hi"
    done = flow.resume(task.id, fetch_response={"status": 200, "body": "hello"})
    assert done.status == "completed"
    assert done.result == [True, 5, "hello", "ABC", True]


def test_a_multipart_body_of_many_parts_is_read_in_linear_time() -> None:
    """20,000 parts and a 2 MB file part parse (the parser never rescans the body); each part is a step."""
    from seqflow_runtime.limits import Limits

    code = r"""
const part = '--B\r\nContent-Disposition: form-data; name="n"\r\n\r\nv\r\n';
const many = await new Response(part.repeat(20000) + '--B--', {headers: {'content-type': 'multipart/form-data; boundary=B'}}).formData();
const big = await new Response('--B\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\n' + 'x'.repeat(2e6) + '\r\n--B--',
                               {headers: {'content-type': 'multipart/form-data; boundary=B'}}).formData();
return [many.getAll('n').length, big.get('f').size];
"""
    assert create_flow().execute(code).result == [20000, 2000000]
    task = create_flow(limits=Limits(max_steps=10000)).execute(code)
    assert task.status == "error" and "Step limit" in (task.error or "")


FETCH_SIGNALS = r"""
const out = [];
const c = new AbortController();
const order = [];
c.signal.addEventListener('abort', () => order.push('listener'));
const pending = fetch(new Request('https://api.example.com/slow', {signal: c.signal}))
  .then(() => 'resolved', e => { order.push('rejected'); return e.name; });
out.push(await (await fetch('https://api.example.com/fast')).text());
c.abort();
order.push('after abort');
out.push(await pending, order);
const plain = await fetch('https://api.example.com/plain', {signal: null});
out.push(plain.status, plain.statusText, plain.ok);
const missing = await fetch('https://api.example.com/missing', {signal: undefined});
out.push(missing.status, missing.statusText, missing.ok);
try { await fetch(new Request('https://api.example.com/never', {signal: AbortSignal.abort()})); out.push('no error'); }
catch (e) { out.push(e.name); }
const own = new AbortController();
const posted = await fetch(new Request('https://api.example.com/post', {method: 'POST', body: 'x', headers: {'X-A': '1'}}),
                           {headers: {'X-B': '2'}, signal: own.signal});
own.abort();
out.push(posted.status, await posted.text());
return out;
"""
FETCH_SIGNALS_ANSWERS = [{"url": "https://api.example.com/slow", "hang": True},
                         {"url": "https://api.example.com/fast", "body": "quick"},
                         {"url": "https://api.example.com/plain", "body": ""},
                         {"url": "https://api.example.com/missing", "status": 404, "body": ""},
                         {"url": "https://api.example.com/post", "method": "POST", "status": 201, "body": "made"}]


@needs_node
def test_fetch_follows_a_signal_only_when_given_one_like_node() -> None:
    """fetch makes no Request object and follows no signal unless one is given (in init or on a Request input):
    a Request's signal aborts it after the signal's own listeners ran, null/undefined signals change nothing, an
    aborted one rejects with no request sent, a signal aborted after the answer changes nothing; status texts."""
    assert run_seqflow(FETCH_SIGNALS, FETCH_SIGNALS_ANSWERS) == run_node(FETCH_SIGNALS, FETCH_SIGNALS_ANSWERS)


def test_fetch_without_a_signal_still_sends_what_the_request_says() -> None:
    """Pinned (works without node): a string URL is sent as written (the host resolves it), headers and body
    of a Request input and of init reach the request, and a string answer replays (a cold resume)."""
    storage = MemoryStorage()
    task = create_flow(storage).execute("""
const a = await fetch('https://x.example/a b?q=é');
const b = await fetch(new Request('https://x.example/r', {method: 'PUT', body: 'x', headers: {'X-A': '1'}}),
                      {headers: {'X-B': '2'}});
return [a.status, a.statusText, await a.text(), b.status, b.statusText];
""")
    assert [r.url for r in task.fetch_requests] == ["https://x.example/a b?q=é"]
    task = create_flow(storage).resume(task.id, fetch_response={"status": 418, "body": "tea"})
    assert [(r.method, r.url, r.headers, r.body) for r in task.fetch_requests] == [
        ("PUT", "https://x.example/r", {"x-b": "2"}, "x")]  # init's headers replace the Request's
    task = create_flow(storage).resume(task.id, fetch_response={"status": 599})
    assert task.status == "completed" and task.result == [418, "I'm a Teapot", "tea", 599, ""]

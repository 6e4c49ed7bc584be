"""``URL`` and ``URLSearchParams`` (WHATWG URL 6.1, 6.2), with Node 20 (run live) as the oracle."""

from __future__ import annotations

import pytest

from seqflow_runtime import FileStorage, create_flow
from jsrun import js_error, run_js
from webcompare import NODE, run_node, run_seqflow

needs_node = pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")

CASES = {
    "components": """
const u = new URL('https://user:pw@Example.COM:8080/a/../b c?x=1&y=2#frag');
return [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname,
        u.search, u.hash, String(u), JSON.stringify({u}), Object.keys(u).length];
""",
    "setters": """
const u = new URL('https://example.com/p');
const out = [];
for (const [k, v] of [['port', 'abc'], ['port', '8080abc'], ['hostname', 'ex ample'], ['protocol', 'http'],
                      ['port', '80'], ['pathname', '/a b'], ['hash', 'x'], ['search', '?q=é'], ['username', 'u@x'],
                      ['password', 'p w'], ['host', 'h.org:99'], ['search', ''], ['hash', ''], ['protocol', 'ftp']]) {
  u[k] = v; out.push(u.href);
}
u.origin = 'https://other'; out.push(u.origin);
try { u.href = 'not a url'; } catch (e) { out.push(e.name, e.message, e.code, e.input); }
return out;
""",
    "resolution": """
return [new URL('../x?y', 'https://a.com/b/c/d').href, new URL('//h.net/p', 'https://a.com').href,
        new URL('?q', 'https://a.com/p?old#h').href, new URL('#f', 'https://a.com/p').href,
        URL.canParse('nope'), URL.canParse('/x', 'http://a'), URL.canParse('http://[::1]:80/'),
        new URL('https://ΑΒΓ.com/é?é#é').href, new URL('file:///tmp/x').origin, new URL('blob:https://a.com/x').origin,
        new URL('HTTP://A.COM:80/%7e').href, new URL('https://a.com/😀').pathname, new URL('https://[::1]/').host,
        URL.canParse('http://192.168.0.257/'), new URL('http://0x7f.1/').host];
""",
    "errors": """
const out = [];
for (const f of [() => new URL('nope'), () => URL('x'), () => new URL('/x', 'also bad'), () => new URL(),
                 () => new URLSearchParams([['a']]), () => new URLSearchParams([1]),
                 () => URLSearchParams.prototype.get.call({}, 'a'), () => new URLSearchParams().append('a'),
                 () => new URL('http://a').searchParams.get()]) {
  try { f(); out.push('no error'); } catch (e) { out.push(e.name + (e instanceof TypeError)); }
}
return out;
""",
    "params": """
const p = new URLSearchParams('?b=2&a=1&b=3&c=%zz&d=+x&e=%F0%9F%98%80&&f');
const out = [p.toString(), p.size, p.getAll('b'), p.get('nope'), p.get('e'), p.has('b', '3'), p.has('b', '4'),
             p.has('b', undefined), p.get('f')];
p.sort(); out.push(p.toString());
p.set('b', 'X'); out.push(p.toString());
p.delete('a'); p.delete('b', 'nope'); out.push([...p].join(';'), [...p.keys()].join(), [...p.values()].join());
out.push(new URLSearchParams({x: 1, y: 'two', 'a b': 'c&d'}).toString(),
         new URLSearchParams([['a', 'b'], ['c', 'd']]).toString(), new URLSearchParams(new Map([['m', 'n']])).toString(),
         new URLSearchParams(null).toString(), new URLSearchParams(p).toString(), new URLSearchParams('\\ud800=x').toString(),
         new URLSearchParams('z=1&a=2&z=0&ä=3&😀=4&ｚ=5').toString());
const s = new URLSearchParams('z=1&a=2&z=0&\\u00e4=3&\\ud83d\\ude00=4&\\uff5a=5'); s.sort(); out.push([...s.keys()].join(' '));
const f = []; new URLSearchParams('a=1&b=2').forEach(function (v, k, o) { f.push(k + v + (o instanceof URLSearchParams) + typeof this); }, 1);
out.push(f.join());
const it = p.entries(); p.append('late', '1'); out.push([...it].length, String(it), typeof it[Symbol.iterator]);
out.push(Object.prototype.toString.call(p), Object.getOwnPropertyNames(URLSearchParams.prototype).join());
return out;
""",
    "live_search_params": """
const u = new URL('https://a.com/path?a=1#h');
const sp = u.searchParams;
sp.append('b', 'x y'); const one = u.href;
sp.delete('a'); sp.delete('b'); const two = u.href;
u.search = '?k=v&k=w'; const three = [sp.getAll('k'), sp === u.searchParams];
u.href = 'https://b.com/?n=1'; const four = sp.get('n');
sp.sort(); const five = u.href;
return [one, two, three, four, five, u.search];
""",
}


@needs_node
@pytest.mark.parametrize("name", sorted(CASES))
def test_like_node(name: str) -> None:
    script = CASES[name]
    assert run_seqflow(script, []) == run_node(script, [])


def test_pinned_without_node() -> None:
    """A few answers written out, so the suite checks URL even where node is missing."""
    assert run_js("new URL('../x?y', 'https://a.com/b/c/d').href") == "https://a.com/b/x?y"
    assert run_js("var u = new URL('https://a.com/?a=1'); u.searchParams.append('b', 'c d'); u.href") == \
        "https://a.com/?a=1&b=c+d"
    assert run_js("new URLSearchParams({q: 'a&b', n: 1}).toString()") == "q=a%26b&n=1"
    assert js_error("new URL('nope')").text.startswith("TypeError: Invalid URL")


def test_realms_do_not_share_prototypes() -> None:
    assert run_js("URL.prototype.x = 1; URLSearchParams.prototype.y = 2; 0") == 0
    assert run_js("[URL.prototype.x, URLSearchParams.prototype.y]") == [None, None]


def test_url_survives_a_cold_resume(tmp_path: object) -> None:
    """A URL and its live searchParams held across a pause, resumed by a new Flow (a replay)."""
    code = """
const u = new URL('https://api.example.com/items?page=1');
const first = await (await fetch(u)).json();
u.searchParams.set('page', String(first.next));
const second = await (await fetch(u.href)).json();
return [u.href, second.name, u.searchParams.size];
"""
    storage = FileStorage(str(tmp_path))
    task = create_flow(storage).execute(code, id="t")
    assert task.fetch_request.url == "https://api.example.com/items?page=1"
    task = create_flow(storage).resume("t", {"data": {"next": 2}})
    assert task.fetch_request.url == "https://api.example.com/items?page=2"
    task = create_flow(storage).resume("t", {"data": {"name": "two"}})
    assert task.result == ["https://api.example.com/items?page=2", "two", 1]

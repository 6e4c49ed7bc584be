// Report where a short link ended up.
const res = await fetch('https://sho.rt/abc');
return {redirected: res.redirected, url: res.url, type: res.type, status: res.status, body: await res.text()};

// Log a response body for debugging while still parsing it: clone() before reading.
const res = await fetch('https://api.example.com/orders/55');
const copy = res.clone();
const order = await res.json();
const raw = await copy.text();
console.group('GET /orders/55');
console.log('status', res.status, res.statusText);
console.log('bytes', raw.length, 'content-type', res.headers.get('content-type'));
console.groupEnd();
let reused;
try { await res.text(); } catch (e) { reused = e.name; }
return {total: order.lines.reduce((s, l) => s + l.qty, 0), bodyUsed: [res.bodyUsed, copy.bodyUsed], reused};

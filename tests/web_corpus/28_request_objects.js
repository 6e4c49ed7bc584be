// Build Request objects up front, then send them (a queue of prepared requests).
const defaults = {headers: {'x-client': 'sync/1.0'}};
const prepared = [
  new Request('https://api.example.com/a', defaults),
  new Request('https://api.example.com/b', {...defaults, method: 'DELETE'}),
  new Request('https://api.example.com/c', {method: 'post', body: new URLSearchParams({k: 'v'}), headers: {'x-client': 'sync/1.0'}}),
];
const summary = [];
for (const req of prepared) {
  const res = await fetch(req);
  summary.push(`${req.method} ${new URL(req.url).pathname} -> ${res.status} ${req.headers.get('content-type') ?? '-'}`);
}
return summary;

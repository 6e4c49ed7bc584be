// Runs a script in Node (the oracle) the way seqflow's web tests run it in seqflow:
// the script is an async function body (top-level await, `return` gives the result),
// `fetch` answers from a fixed list, console output is captured as text.
// stdin: {"script": "...", "answers": [...]}; stdout: {"result" | "error", "requests", "console"}.
'use strict';
const { Writable } = require('stream');
const { Console } = require('console');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const answers = input.answers.map((a) => ({ ...a, used: false }));
const requests = [];
let printed = '';
const sink = new Writable({ write(chunk, _enc, done) { printed += chunk.toString(); done(); } });
const captured = new Console({ stdout: sink, stderr: sink, colorMode: false });
const realFetch = globalThis.fetch;

function matches(answer, request) {
  return !answer.used && answer.url === request.url && (answer.method || 'GET') === request.method;
}

async function stubFetch(resource, init) {
  const request = new Request(resource, init);
  if (request.signal.aborted) throw request.signal.reason;  // never sent
  const seen = { method: request.method, url: request.url, headers: Object.fromEntries(request.headers),
                 body: request.body === null ? null : await request.text() };
  requests.push(seen);
  const answer = answers.find((a) => matches(a, seen));
  if (answer) answer.used = true;
  if (!answer || answer.error) throw new TypeError('fetch failed');
  if (answer.hang) {
    return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
  }
  const nullBody = [101, 204, 205, 304].includes(answer.status);
  const text = answer.body !== undefined ? answer.body : answer.data !== undefined ? JSON.stringify(answer.data) : '';
  const response = new Response(nullBody ? null : text, { status: answer.status || 200,
    statusText: answer.statusText ?? require('http').STATUS_CODES[answer.status || 200], headers: answer.headers || {} });
  if (!Object.keys(answer.headers || {}).some((k) => k.toLowerCase() === 'content-type')) {
    response.headers.delete('content-type');
  }
  for (const [key, value] of [['url', answer.finalUrl || seen.url], ['redirected', !!answer.redirected],
                              ['type', 'basic']]) {
    Object.defineProperty(response, key, { get: () => value });
  }
  return response;
}

globalThis.fetch = stubFetch;
globalThis.console = captured;
// AbortSignal.timeout's timers do not keep Node alive; this does, until the script settles
// (a script that never settles ends as seqflow's deadlock does).
let deadlock;
const settled = new Promise((resolve) => { deadlock = setTimeout(() => resolve({ error: 'deadlock' }), 10000); });
const AsyncFunction = (async () => {}).constructor;
Promise.race([settled, AsyncFunction(input.script)().then(
  (result) => ({ result: result === undefined ? null : JSON.parse(JSON.stringify(result) ?? 'null') }),
  (error) => ({ error: String(error && error.name) + ': ' + String(error && error.message) }),
)]).then((outcome) => {
  clearTimeout(deadlock);
  globalThis.fetch = realFetch;
  process.stdout.write(JSON.stringify({ ...outcome, requests, console: printed }));
});

// AbortSignal.any: a user cancel or a timeout, whichever comes first.
const user = new AbortController();
const signal = AbortSignal.any([user.signal, AbortSignal.timeout(1000)]);
const log = [];
signal.addEventListener('abort', () => log.push('aborted: ' + signal.reason.name));
setTimeout(() => user.abort(new DOMException('user pressed cancel', 'AbortError')), 20);
try {
  await fetch('https://api.example.com/report?year=2024', {signal});
} catch (e) {
  log.push(e.name + ' / ' + e.message);
}
return log;

// Ask two mirrors; the first to answer wins and the other request is aborted.
const controller = new AbortController();
const mirrors = ['https://eu.mirror.example.com/pkg.json', 'https://us.mirror.example.com/pkg.json'];
const attempts = mirrors.map(u => fetch(u, {signal: controller.signal}).then(r => r.json()));
const winner = await Promise.any(attempts);
controller.abort();
const outcomes = await Promise.allSettled(attempts);
return {version: winner.version, outcomes: outcomes.map(o => o.status + ':' + (o.reason ? o.reason.name : o.value.version))};

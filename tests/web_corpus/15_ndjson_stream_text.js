// A newline-delimited JSON export, read as text.
const res = await fetch('https://logs.example.com/export?format=ndjson&since=2024-01-01');
const events = (await res.text()).split('\n').filter(Boolean).map(line => JSON.parse(line));
const levels = events.reduce((m, e) => (m[e.level] = (m[e.level] || 0) + 1, m), {});
return {events: events.length, levels, last: events.at(-1).msg};

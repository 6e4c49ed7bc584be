// Promise.allSettled over endpoints where some fail (HTTP errors and network errors).
const endpoints = ['alpha', 'beta', 'gamma', 'delta'];
const results = await Promise.allSettled(endpoints.map(async (name) => {
  const res = await fetch(`https://status.example.com/${name}`);
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
  return (await res.json()).state;
}));
return results.map(r => r.status === 'fulfilled' ? r.value : (r.reason.message.startsWith('fetch failed') ? 'network' : r.reason.message));

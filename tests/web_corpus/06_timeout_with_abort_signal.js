// A slow endpoint cut off by AbortSignal.timeout, falling back to a cache endpoint.
async function fetchWithTimeout(url, ms) {
  try {
    const res = await fetch(url, {signal: AbortSignal.timeout(ms)});
    return await res.json();
  } catch (e) {
    if (e.name === 'TimeoutError') return null;
    throw e;
  }
}
const live = await fetchWithTimeout('https://api.example.com/live-prices', 30);
const prices = live ?? await (await fetch('https://cache.example.com/prices')).json();
return {source: live ? 'live' : 'cache', prices};

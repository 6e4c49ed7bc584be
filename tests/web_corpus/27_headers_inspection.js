// Inspect response headers: iteration order, combined values, cookies, rate limits.
const res = await fetch('https://api.example.com/limits');
const entries = [...res.headers];
const remaining = Number(res.headers.get('x-ratelimit-remaining'));
const resetIn = Number(res.headers.get('X-RateLimit-Reset')) - 1700000000;
return {entries, remaining, resetIn, has: res.headers.has('ETAG'), cacheControl: res.headers.get('cache-control')?.split(/,\s*/)};

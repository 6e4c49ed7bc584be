// Conditional GET with If-None-Match: a 304 reuses the cached body.
const cache = new Map();
async function cachedJson(url) {
  const hit = cache.get(url);
  const res = await fetch(url, {headers: hit ? {'If-None-Match': hit.etag} : {}});
  if (res.status === 304) return {from: 'cache', body: hit.body};
  const body = await res.json();
  cache.set(url, {etag: res.headers.get('etag'), body});
  return {from: 'network', body};
}
const first = await cachedJson('https://api.example.com/config');
const second = await cachedJson('https://api.example.com/config');
return [first, second];

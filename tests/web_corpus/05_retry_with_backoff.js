// Retry 503s with exponential backoff (setTimeout), honouring Retry-After.
const sleep = (ms) => new Promise(r => setTimeout(r, ms));
async function getWithRetry(url, attempts = 4) {
  for (let i = 0; i < attempts; i++) {
    const res = await fetch(url);
    if (res.status !== 503 && res.status !== 429) return res;
    const after = Number(res.headers.get('retry-after') || 0);
    console.log(`attempt ${i + 1}: ${res.status} ${res.statusText}, waiting`);
    await sleep(after ? after * 10 : 5 * 2 ** i);
  }
  throw new Error('gave up on ' + url);
}
const res = await getWithRetry('https://api.example.com/flaky');
return [res.status, await res.text()];

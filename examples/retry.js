// Retry with back-off: timers are durable too (a pause with wakeAt).
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
async function fetchWithRetry(url, attempts = 3) {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.json();
      console.warn(`attempt ${attempt}: HTTP ${res.status}`);
    } catch (err) {
      console.warn(`attempt ${attempt}: ${err.message}`);
    }
    await sleep(100 * 2 ** attempt);
  }
  throw new Error('gave up on ' + url);
}
const report = await fetchWithRetry('https://reports.example.com/daily');
report.rows.length

// Process 7 ids with at most 3 requests in flight.
const ids = [1, 2, 3, 4, 5, 6, 7];
const results = [];
let inFlight = 0, peak = 0;
async function worker(queue) {
  while (queue.length) {
    const id = queue.shift();
    inFlight++; peak = Math.max(peak, inFlight);
    const res = await fetch(`https://api.example.com/thumbs/${id}`, {method: 'PUT', body: `id=${id}`});
    results.push(`${id}:${res.status}`);
    inFlight--;
  }
}
const queue = [...ids];
await Promise.all([worker(queue), worker(queue), worker(queue)]);
return {peak, done: results.sort()};

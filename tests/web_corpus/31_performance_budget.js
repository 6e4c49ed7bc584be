// Measure elapsed time around awaited timers with performance.now (whole ms of the task's clock).
const t0 = performance.now();
await new Promise(r => setTimeout(r, 40));
const t1 = performance.now();
const res = await fetch('https://api.example.com/health');
return {waited: t1 - t0 >= 40, healthy: (await res.json()).ok, monotonic: performance.now() >= t1, type: typeof performance.timeOrigin};

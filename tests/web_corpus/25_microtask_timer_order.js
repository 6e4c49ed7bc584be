// The order of microtasks, timers (with extra arguments) and a fetch.
const order = [];
setTimeout((a, b) => order.push(`timeout ${a}+${b}`), 0, 'x', 'y');
queueMicrotask(() => order.push('microtask 1'));
Promise.resolve().then(() => order.push('then'));
const pending = fetch('https://api.example.com/ping').then(r => r.text()).then(t => order.push('fetch ' + t));
queueMicrotask(() => order.push('microtask 2'));
order.push('sync');
await pending;
await new Promise(r => setTimeout(r, 5));
const id = setInterval(() => { order.push('tick'); if (order.filter(o => o === 'tick').length === 3) clearInterval(id); }, 1);
await new Promise(r => setTimeout(r, 30));
return order;

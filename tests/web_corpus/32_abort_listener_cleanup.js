// Abort several in-flight requests with one controller; listeners see the reason once.
const controller = new AbortController();
const seen = [];
controller.signal.addEventListener('abort', () => seen.push('listener: ' + controller.signal.reason), {once: true});
controller.signal.onabort = (e) => seen.push('onabort: ' + e.type);
const downloads = ['a', 'b', 'c'].map(n => fetch(`https://files.example.com/${n}.zip`, {signal: controller.signal})
  .then(r => r.status, e => e.name));
const index = await (await fetch('https://files.example.com/index.json')).json();
controller.abort(`only ${index.wanted} wanted`);
controller.abort('twice');
return {statuses: await Promise.all(downloads), seen, reason: controller.signal.reason};

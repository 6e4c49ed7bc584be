// Dispatch an event to subscribers with custom headers; count deliveries by status class.
const subscribers = await (await fetch('https://hooks.example.com/subscribers?event=order.paid')).json();
const event = {type: 'order.paid', id: 'evt_1', data: {orderId: 99, amount: 1250}};
const body = JSON.stringify(event);
const report = {};
for (const sub of subscribers) {
  const headers = new Headers({'content-type': 'application/json', 'x-event-id': event.id});
  headers.append('x-event-type', event.type);
  if (sub.secret) headers.set('x-signature', `sha=${sub.secret.length}:${body.length}`);
  let klass;
  try { klass = Math.floor((await fetch(sub.url, {method: 'POST', headers, body})).status / 100) + 'xx'; }
  catch { klass = 'network'; }
  report[klass] = (report[klass] || 0) + 1;
}
return report;

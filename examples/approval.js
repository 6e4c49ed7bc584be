// A workflow that waits for a human: it pauses on the approval request until
// someone answers it (resume with a response for that request id).
const order = await (await fetch('https://shop.example.com/orders/42')).json();
let status = 'auto-approved';
if (order.total > 1000) {
  const decision = await fetch('https://approvals.example.com/requests', {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({order: order.id, total: order.total}),
  });
  status = (await decision.json()).approved ? 'approved' : 'rejected';
}
await fetch('https://shop.example.com/orders/42/status', {method: 'PUT', body: status});
return {order: order.id, status};

// A booking saga: reserve, charge, confirm; a failed step undoes the earlier ones.
const steps = [];
async function step(name, url, init) {
  const res = await fetch(url, init);
  steps.push(`${name}:${res.status}`);
  if (!res.ok) throw Object.assign(new Error(`${name} failed`), {status: res.status});
  return res.status === 204 ? null : res.json();
}
let result;
const hold = await step('reserve', 'https://hotel.example.com/holds', {method: 'POST', body: JSON.stringify({room: 12})});
try {
  await step('charge', 'https://pay.example.com/charges', {method: 'POST', body: JSON.stringify({amount: 300, hold: hold.id})});
  result = 'booked';
} catch (e) {
  await step('release', `https://hotel.example.com/holds/${hold.id}`, {method: 'DELETE'});
  result = `${e.message} (${e.status})`;
}
return {result, steps};

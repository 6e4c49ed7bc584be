// Create a resource with a JSON body and read the Location header.
const payload = {title: 'Buy milk', done: false, tags: ['home']};
const res = await fetch('https://api.example.com/todos', {
  method: 'POST',
  headers: {'Content-Type': 'application/json', Authorization: 'Bearer token-123'},
  body: JSON.stringify(payload),
});
const created = await res.json();
return {status: res.status, location: res.headers.get('location'), id: created.id, ok: res.ok};

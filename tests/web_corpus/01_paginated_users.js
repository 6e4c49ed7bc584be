// Follow ?page=N pagination until an empty page, building the URL with URLSearchParams.
const base = new URL('https://api.example.com/v1/users');
base.searchParams.set('per_page', '2');
const users = [];
for (let page = 1; ; page++) {
  base.searchParams.set('page', String(page));
  const res = await fetch(base);
  if (!res.ok) throw new Error('HTTP ' + res.status);
  const batch = await res.json();
  if (batch.length === 0) break;
  users.push(...batch);
}
return users.map(u => u.name).join(', ');

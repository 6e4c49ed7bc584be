// Fetch several resources at once with Promise.all and summarise.
const ids = [3, 1, 2];
const responses = await Promise.all(ids.map(id => fetch(`https://api.example.com/items/${id}`)));
const items = await Promise.all(responses.map(r => r.json()));
const total = items.reduce((sum, it) => sum + it.price * it.qty, 0);
console.table(items);
return {count: items.length, total: Math.round(total * 100) / 100};

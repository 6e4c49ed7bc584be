// Build a search query from a filter object (arrays repeat the key), and echo the parsed params.
const filters = {q: 'red shoes & bags', size: [38, 39], inStock: true, sort: '-price', page: 2};
const params = new URLSearchParams();
for (const [key, value] of Object.entries(filters)) {
  for (const v of [].concat(value)) params.append(key, String(v));
}
const url = `https://shop.example.com/search?${params}`;
const res = await fetch(url);
const {hits, total} = await res.json();
return {url, total, first: hits[0], sizes: params.getAll('size'), has: params.has('inStock', 'true'), size: params.size};

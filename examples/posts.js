// Fetch three posts one after another; each fetch is a durable pause.
const posts = [];
for (let i = 1; i <= 3; i++) {
  const res = await fetch('https://jsonplaceholder.typicode.com/posts/' + i);
  if (!res.ok) throw new Error('HTTP ' + res.status);
  posts.push((await res.json()).title);
}
return posts.join(' | ');

// The seeds' dialect (run with --dialect sequential): fetch gives the data directly.
const user = fetch('https://jsonplaceholder.typicode.com/users/1');
const posts = fetch('https://jsonplaceholder.typicode.com/posts?userId=' + user.id);
{ user: user.name, postCount: posts.length }

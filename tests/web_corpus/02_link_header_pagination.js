// GitHub-style Link header pagination.
function nextLink(header) {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = part.match(/<([^>]+)>;\s*rel="next"/);
    if (m) return m[1];
  }
  return null;
}
let url = 'https://api.example.com/repos?per_page=2';
const names = [];
while (url) {
  const res = await fetch(url, {headers: {Accept: 'application/vnd.github+json'}});
  names.push(...(await res.json()).map(r => r.full_name));
  url = nextLink(res.headers.get('link'));
}
return names;

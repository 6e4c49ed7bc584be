// Map HTTP errors to application errors with details from a problem+json body.
class ApiError extends Error {
  constructor(status, problem) { super(problem.title || 'HTTP ' + status); this.status = status; this.detail = problem.detail; }
}
async function call(path) {
  const res = await fetch('https://api.example.com' + path);
  const type = res.headers.get('content-type') || '';
  if (!res.ok) throw new ApiError(res.status, type.includes('json') ? await res.json() : {detail: await res.text()});
  return res.json();
}
const out = [];
for (const path of ['/ok', '/missing', '/broken', '/validation']) {
  try { out.push(await call(path)); }
  catch (e) { out.push({error: e.message, status: e.status, detail: e.detail, isApiError: e instanceof ApiError}); }
}
return out;

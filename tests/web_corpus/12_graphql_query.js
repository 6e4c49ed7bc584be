// A GraphQL POST with variables and error handling.
async function gql(query, variables) {
  const res = await fetch('https://api.example.com/graphql', {
    method: 'POST',
    headers: {'content-type': 'application/json', accept: 'application/json'},
    body: JSON.stringify({query, variables}),
  });
  const {data, errors} = await res.json();
  if (errors?.length) throw new Error(errors.map(e => e.message).join('; '));
  return data;
}
const data = await gql('query($id: ID!) { user(id: $id) { name repos { totalCount } } }', {id: 'u1'});
let failure;
try { await gql('query { nope }', {}); } catch (e) { failure = e.message; }
return {name: data.user.name, repos: data.user.repos.totalCount, failure};

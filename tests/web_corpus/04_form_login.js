// Log in with an urlencoded form, then use the token.
const form = new URLSearchParams();
form.append('grant_type', 'password');
form.append('username', 'ann@example.com');
form.append('password', 'p&ss w0rd');
const tokenRes = await fetch('https://auth.example.com/oauth/token', {method: 'POST', body: form});
const {access_token, expires_in} = await tokenRes.json();
const me = await fetch('https://api.example.com/me', {headers: new Headers({Authorization: `Bearer ${access_token}`})});
return [expires_in, (await me.json()).email];

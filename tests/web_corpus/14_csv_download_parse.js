// Download a CSV as text and aggregate it.
const res = await fetch('https://data.example.com/sales.csv', {headers: {Accept: 'text/csv'}});
const text = await res.text();
const [header, ...lines] = text.trim().split(/\r?\n/);
const cols = header.split(',');
const records = lines.map(l => Object.fromEntries(l.split(',').map((v, i) => [cols[i], isNaN(v) ? v : Number(v)])));
const byRegion = {};
for (const r of records) byRegion[r.region] = (byRegion[r.region] || 0) + r.amount;
console.table(byRegion);
return {type: res.headers.get('content-type'), byRegion};

// Collect metrics from two services and print a console report.
const [cpu, mem] = await Promise.all([
  fetch('https://metrics.example.com/cpu').then(r => r.json()),
  fetch('https://metrics.example.com/mem').then(r => r.json()),
]);
const rows = cpu.map((c, i) => ({host: c.host, cpu: c.value, mem: mem[i].value, alert: c.value > 80 || mem[i].value > 90}));
console.group('Cluster report');
console.table(rows);
console.count('reports');
for (const r of rows) console.assert(!r.alert, `host ${r.host} needs attention`);
console.groupEnd();
console.log('%s hosts, %d alerting, %j', rows.length, rows.filter(r => r.alert).length, {ok: rows.every(r => !r.alert)});
return rows.filter(r => r.alert).map(r => r.host);

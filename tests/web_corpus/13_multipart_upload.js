// Upload a generated CSV report as multipart/form-data.
const rows = [['id', 'name'], [1, 'Ann'], [2, 'Bo, Jr.']];
const csv = rows.map(r => r.map(v => /[",]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : v).join(',')).join('\n');
const form = new FormData();
form.append('report', new Blob([csv], {type: 'text/csv'}), 'report.csv');
form.append('note', 'weekly');
const res = await fetch('https://uploads.example.com/files', {method: 'POST', body: form});
const info = await res.json();
return [info.fileId, form.get('report').size, form.get('report').type, form.get('report').name];

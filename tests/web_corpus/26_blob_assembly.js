// Assemble a payload from parts with Blob, slice it into chunks and upload each.
const header = JSON.stringify({v: 1});
const blob = new Blob([header, '\n', 'line one\n', new Blob(['línea dos\n']), 'end'], {type: 'Text/Plain;Charset=UTF-8'});
const chunkSize = 16;
const sent = [];
for (let start = 0, n = 0; start < blob.size; start += chunkSize, n++) {
  const part = blob.slice(start, start + chunkSize);
  const res = await fetch(`https://uploads.example.com/chunks/${n}`, {method: 'PUT', body: part, headers: {'content-range': `bytes ${start}-${start + part.size - 1}/${blob.size}`}});
  sent.push(res.status);
}
return {size: blob.size, type: blob.type, chunks: sent.length, sent, text: await blob.slice(-3).text()};

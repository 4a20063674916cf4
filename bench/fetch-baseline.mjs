// Baseline for bench/scan.ts: the same project pages fetched by a bare loop with the same
// concurrency and the same transport as the refinery (node:http, keep-alive), no parsing, no
// cache: what Node and the server cost on this machine.
// usage: node bench/fetch-baseline.mjs INDEX_URL CONCURRENCY NAME...
import http from 'node:http';

const [url, concurrency, ...names] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const get = (u) =>
  new Promise((resolve, reject) => {
    http
      .get(u, { agent, headers: { accept: 'application/vnd.pypi.simple.v1+json' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      })
      .on('error', reject);
  });
let next = 0;
async function worker() {
  while (next < names.length) await get(`${url}${names[next++]}/`);
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));

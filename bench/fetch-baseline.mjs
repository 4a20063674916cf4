// Baseline for bench/scan.ts: the same project pages fetched by a bare fetch loop with the same
// concurrency, no parsing, no cache: what Node and the server cost on this machine.
// usage: node bench/fetch-baseline.mjs INDEX_URL CONCURRENCY NAME...
const [url, concurrency, ...names] = process.argv.slice(2);
let next = 0;
async function worker() {
  while (next < names.length) {
    const name = names[next++];
    const r = await fetch(`${url}${name}/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
    await r.arrayBuffer();
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));

// One scan + plan in a fresh process, timed from inside: what `refinery plan --config C` does,
// through the bundled library (dist/lib.js), with Node start-up and module loading timed apart
// from the work. Prints one JSON line. Used by bench/scan.ts; not a user tool.
// usage: node bench/scan-once.mjs CONFIG CACHE_DIR STATE_DIR
import { dirname, resolve } from 'node:path';

const [configPath, cacheDir, stateDir] = process.argv.slice(2).map((p) => resolve(p));
const startedAt = performance.now(); // Node itself is up: everything before this is start-up
const lib = await import('../dist/lib.js');
const loadedAt = performance.now();
const config = await lib.loadConfigFile(configPath);
const { inventory } = await lib.scanFromConfig({
  config,
  baseDir: dirname(configPath),
  stateDir,
  cacheDir,
  uv: async () => process.env.REFINERY_UV ?? 'uv',
  env: process.env,
});
const plan = await lib.planFromState(inventory, config, { stateDir });
const doneAt = performance.now();
console.log(
  JSON.stringify({
    startupMs: startedAt,
    loadMs: loadedAt - startedAt,
    workMs: doneAt - loadedAt,
    packages: inventory.packages.length,
    units: plan.matrix.include.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);

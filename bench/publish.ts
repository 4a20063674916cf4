// npm run bench:publish — publish a state of 2,000 packages and 100,000 attempts (time and peak RSS,
// in a child process so the figures are publish's own), republish it unchanged, then republish
// after one package changed and count the files written. Baseline in the same run: loading the
// state alone, which every publish starts with.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { saveState } from '../src/domain/state/index.js';
import { siteState } from '../test/helpers/site-state.js';

const REPO = resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');
const PACKAGES = quick ? 200 : 2000;
const ATTEMPTS = quick ? 10_000 : 100_000;
const CHANGED = 'pkg-00042';

interface ChildResult {
  loadMs: number;
  /** CPU time of the load (user + system, GC threads included): steadier than wall time on a shared machine. */
  loadCpuMs: number;
  publishMs: number;
  maxRssMB: number;
  written: number;
  unchanged: number;
  sample: string[];
}

function child(script: string, args: string[]): Promise<ChildResult> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? ok(JSON.parse(out) as ChildResult) : fail(new Error(`publish child exited ${code}`))));
  });
}

const root = await mkdtemp(join(tmpdir(), 'refinery-bench-publish-'));
try {
  const script = join(root, 'publish-child.mjs');
  await build({
    stdin: {
      contents: `import { loadState } from './src/domain/state/index.ts';
        import { loadHintCatalog } from './src/domain/hints/index.ts';
        import { publishSite } from './src/stages/publish/index.ts';
        const [state, out] = process.argv.slice(2);
        let t = performance.now();
        const c = process.cpuUsage();
        const s = await loadState(state);
        const loadMs = performance.now() - t;
        const cpu = process.cpuUsage(c);
        const loadCpuMs = (cpu.user + cpu.system) / 1000;
        const catalog = await loadHintCatalog('${join(REPO, 'seeds/hints.yml')}');
        t = performance.now();
        const r = await publishSite(s, out, { catalog, suggest: { repo: 'acme/wheels' } });
        process.stdout.write(JSON.stringify({ loadMs, loadCpuMs, publishMs: performance.now() - t, maxRssMB: process.resourceUsage().maxRSS / 1024, written: r.written.length, unchanged: r.unchanged, sample: r.written.slice(0, 12) }));`,
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    logLevel: 'silent',
    // CommonJS dependencies (yaml) call require: give the ESM bundle one.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const stateDir = join(root, 'state');
  const site = join(root, 'site');
  const t = performance.now();
  await saveState(stateDir, siteState({ packages: PACKAGES, attempts: ATTEMPTS }));
  console.log(`setup: state of ${PACKAGES} packages, ${ATTEMPTS} attempts written in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const first = await child(script, [stateDir, site]);
  console.log(
    `publish (empty site):  ${s(first.publishMs)}, peak RSS ${first.maxRssMB.toFixed(0)} MB, ${first.written} files written; baseline loadState ${s(first.loadMs)} (CPU ${s(first.loadCpuMs)})`,
  );
  const same = await child(script, [stateDir, site]);
  console.log(
    `republish, unchanged:  ${s(same.publishMs)} (${(same.publishMs / first.publishMs).toFixed(2)}x the first), peak RSS ${same.maxRssMB.toFixed(0)} MB, ${same.written} files written, ${same.unchanged} unchanged`,
  );
  const changed = siteState({ packages: PACKAGES, attempts: ATTEMPTS, bump: new Map([[CHANGED, 86_400_000]]) });
  await saveState(stateDir, changed, [CHANGED]);
  const one = await child(script, [stateDir, site]);
  console.log(
    `republish, 1 changed:  ${s(one.publishMs)} (${(one.publishMs / first.publishMs).toFixed(2)}x the first), peak RSS ${one.maxRssMB.toFixed(0)} MB, ${one.written} files written of ${one.written + one.unchanged}: ${one.sample.join(', ')}${one.written > one.sample.length ? ', ...' : ''}`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}

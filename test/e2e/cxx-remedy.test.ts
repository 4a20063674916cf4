/**
 * The C++ compiler remedy end to end (issue 14): an image without g++ and real C++ sdists from PyPI
 * (pinned in test/fixtures/logs/corpus.yml, sha256-checked), planned and built the library's way.
 * refinery/debian-s390x:bookworm has g++ (so there cxx-compiler is only "satisfied"); this test
 * derives an image from it with g++ and g++-12 purged and apt's cache emptied (`docker commit`,
 * seconds under QEMU), named for the test and removed afterwards: made anew each run, it follows
 * the current base image and leaves nothing behind. A user preset points at it, naming no C++
 * compiler.
 * - The plan predicts cxx-compiler: ujson 5.10.0 from its C++ sources (bundled double-conversion),
 *   levenshtein 0.27.5 from scikit-build-core (with cmake and ninja).
 * - Each builds emulated (turbo's wrappers would bring a C++ compiler and hide the point) in one
 *   attempt: the prepare phase finds g++ missing and apt fetches it from Debian's mirror and
 *   installs it in the container; the wheel is cp311 linux_s390x, every shared object's ELF
 *   machine is 22. ujson's smoke test passes; levenshtein's cannot (its import needs rapidfuzz,
 *   which the smoke test does not install), so the test imports it with rapidfuzz itself.
 * - ujson once more without the prediction (the unit's hints emptied): the first attempt fails,
 *   its log matches cxx-compiler, and the second attempt installs g++ and succeeds.
 * Needs scripts/setup-s390x-env.sh; under CI=true a missing piece FAILS.
 *
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/cxx-remedy.test.ts
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { parseConfig } from '../../src/domain/config/index.js';
import { ContainerExecutor } from '../../src/domain/executors/index.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import type { Inventory } from '../../src/domain/model/inventory.js';
import type { Plan, PlanUnit } from '../../src/domain/model/plan.js';
import { Preset } from '../../src/domain/model/preset.js';
import type { BuildResult } from '../../src/domain/model/result.js';
import { parseWheelFilename } from '../../src/domain/python/filenames.js';
import { emptyState } from '../../src/domain/state/index.js';
import { buildUnit, type BuildOptions } from '../../src/stages/builder/index.js';
import { inspectWheel } from '../../src/stages/builder/wheel-contents.js';
import { configPresets, planFromState } from '../../src/stages/plan/from-state.js';
import { pinnedEntry, pinnedSdist } from '../helpers/log-corpus.js';

const root = join(import.meta.dirname, '..', '..');
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const BASE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const IMAGE = 'refinery-test/debian-s390x-no-cxx:e2e';
const CI = process.env.CI === 'true';
const CA = [process.env.REFINERY_CA_BUNDLE, process.env.PIP_CERT].find((f) => f && existsSync(f));

const executor = new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch, ...(CA ? { caBundle: CA } : {}) });
const base = Preset.parse({ name: 'base', image: BASE, packageManager: 'apt', python: { '3.11': '/usr/bin/python3' }, platform: 'linux' });
const problems = (await executor.check(base)).map((p) => `${p.what} -> ${p.fix}`);
const ready = problems.length === 0;

// The user's preset for the derived image: the shipped debian-local's fields without its C++
// compiler (its `compilers.cxx` is what makes the plan call cxx-compiler satisfied there).
const CONFIG = `
preset: debian-no-cxx
compiler: emulated
targets:
  python: ["3.11"]
presets:
  debian-no-cxx:
    description: refinery/debian-s390x:bookworm with g++ and g++-12 purged (test/e2e/cxx-remedy.test.ts)
    image: ${IMAGE}
    compilers: { cc: /usr/bin/gcc }
    packageManager: apt
    platform: linux
    repair: none
    python: { "3.11": /usr/bin/python3 }
    env: { DEBIAN_FRONTEND: noninteractive }
`;

const PACKAGES = {
  ujson: { version: '5.10.0', sdist: 'ujson-5.10.0.tar.gz', because: 'C++ sources -> cxx-compiler', hints: ['cxx-compiler'] },
  levenshtein: {
    version: '0.27.5',
    sdist: 'levenshtein-0.27.5.tar.gz',
    because: 'scikit-build-core -> cxx-compiler',
    hints: ['cmake', 'cxx-compiler', 'ninja'],
  },
} as const;
type Pkg = keyof typeof PACKAGES;

// Measured here (2 cores shared with other builds, load 2.5 to 4), buildUnit through its smoke
// test: ujson 115 s and 106 s (prepare: apt installs g++ under QEMU, 21 s with the fetch from
// Debian's mirror; build 83 to 102 s); levenshtein 274 s and 404 s (apt installs cmake, g++ and ninja-build, 30 to
// 38 s; CMake and the C++ build 241 to 362 s), then 20 s for its import with rapidfuzz; ujson
// learning the remedy 115 s (the failed first attempt 16 s, the second 96 s). Times 3.
const BUILD_MS = { ujson: 3 * 2 * 60_000, ujsonLearned: 3 * 2.5 * 60_000, levenshtein: 3 * 7.5 * 60_000 };

let work: string;
let plan: Plan;
let preset: Preset;

async function docker(args: string[], timeoutMs = 300_000) {
  return run('docker', args, { env: { DOCKER_HOST }, timeoutMs });
}

function unitOf(pkg: Pkg): PlanUnit {
  const u = plan.matrix.include.find((x) => x.package === pkg);
  expect(u, `a unit for ${pkg}`).toBeDefined();
  return u!;
}

async function options(pkg: Pkg, ms: number = BUILD_MS[pkg]): Promise<BuildOptions> {
  return {
    executor,
    preset,
    catalog: await loadHintCatalog(join(root, 'seeds', 'hints.yml')),
    outDir: join(work, pkg),
    workRoot: work,
    // Build requirements (setuptools_scm, scikit-build-core) come from PyPI: build isolation.
    isolation: true,
    skipCheck: true,
    compiler: 'emulated',
    sdistFile: await pinnedSdist(PACKAGES[pkg].sdist),
    unitTimeoutMs: ms - 60_000,
    timeouts: { prepare: ms / 2, build: ms - 60_000 },
    backoff: { baseMs: 10, maxMs: 10 },
  };
}

/**
 * The log of the attempt that succeeded, with the cxx-compiler remedy in force (predicted, or
 * learned from the attempt before): it installed g++ in the container, not "already installed".
 */
async function expectCxxInstalled(r: BuildResult, outDir: string, how: 'predicted' | 'learned'): Promise<string> {
  expect(r.status, r.log).toBe('success');
  expect(r.attempts).toHaveLength(how === 'predicted' ? 1 : 2);
  const a = r.attempts.at(-1)!;
  expect(a.compiler).toBe('emulated');
  expect(a.hintsApplied).toContain('cxx-compiler');
  if (how === 'predicted') expect(a.hintsPredicted).toContain('cxx-compiler');
  else expect(a.hintsPredicted ?? []).not.toContain('cxx-compiler');
  const log = await readFile(join(outDir, a.log!), 'utf8');
  expect(log).not.toMatch(/^\[refinery\] prepare: already installed: .*\bg\+\+/m);
  expect(log).toMatch(/^\[refinery\] prepare: apt-get install -y --no-install-recommends .*\bg\+\+( |$)/m);
  // Fetched from Debian's mirror (the derived image's apt cache is empty), then set up.
  expect(log).toMatch(/^Get:\d+ .* s390x g\+\+-12 s390x /m);
  expect(log).toMatch(/^Setting up g\+\+ \(/m);
  expect(log).toMatch(/^Setting up g\+\+-12 \(/m);
  return log;
}

async function expectS390xWheel(r: BuildResult, outDir: string): Promise<string> {
  const w = parseWheelFilename(r.wheel!.filename);
  expect(w.pythonTags).toEqual(['cp311']);
  expect(w.platformTags).toEqual(['linux_s390x']);
  const path = join(outDir, r.wheel!.filename);
  const contents = await inspectWheel(path);
  expect(contents.extensions.length).toBeGreaterThan(0);
  expect(contents.badObjects).toEqual([]);
  expect(contents.machines).toEqual([22]);
  // A C++ extension links the C++ runtime that g++ brought.
  expect(contents.needed).toContain('libstdc++.so.6');
  return path;
}

function report(pkg: string, r: BuildResult) {
  const s = r.attempts.map((a) => `attempt ${a.n} ${a.status} ${Math.round(a.durationMs / 1000)} s`).join(', ');
  console.log(`[cxx-remedy] ${pkg}: ${r.status}; ${s}; last phases ${JSON.stringify(r.phaseDurationsMs)}`);
}

describe('cxx remedy environment', () => {
  it.runIf(CI || ready)('has the s390x image, QEMU binfmt and a container engine', () => {
    expect(problems).toEqual([]);
  });
});

describe.runIf(ready)('the C++ compiler remedy in an image without g++', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'refinery-cxx-'));
    const name = `refinery-test-no-cxx-${process.pid}`;
    await docker(['rm', '-f', name]);
    // apt-get clean too: debootstrap left the .debs in apt's cache, and an image without g++ has
    // none, so the remedy fetches them from Debian's mirror as it would anywhere else.
    const purge = await docker(['run', '--name', name, '--network', 'none', '--', BASE, 'sh', '-c', 'dpkg --purge g++ g++-12 && apt-get clean']);
    expect(purge.exitCode, purge.all).toBe(0);
    const commit = await docker(['commit', '--change', 'LABEL org.refinery.test=cxx-remedy', name, IMAGE]);
    expect(commit.exitCode, commit.all).toBe(0);
    await docker(['rm', '-f', name]);
    const config = parseConfig(CONFIG, 'refinery.yml');
    preset = (await configPresets(config)).get('debian-no-cxx')!;
    const entries = await Promise.all(Object.entries(PACKAGES).map(([n, p]) => pinnedEntry(n, p.version, p.sdist)));
    const inventory: Inventory = { schema: 'refinery/inventory@1', generatedAt: '2026-12-02T00:00:00Z', targets: [], packages: entries, cut: [], summary: {} };
    plan = await planFromState(inventory, config, { stateDir: '/nonexistent', state: emptyState(), now: new Date('2026-12-02T00:00:00Z') });
  }, 600_000);
  afterAll(async () => {
    await docker(['rmi', IMAGE]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the derived image has no C++ compiler, and still its C compiler', async () => {
    const r = await docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--',
      IMAGE,
      'sh',
      '-c',
      'command -v gcc; command -v g++ c++ s390x-linux-gnu-g++ || echo no-cxx',
    ]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['/usr/bin/gcc', 'no-cxx']);
  });

  it('the plan predicts the C++ compiler for both, in the preset without one, built emulated', () => {
    for (const [pkg, p] of Object.entries(PACKAGES) as [Pkg, (typeof PACKAGES)[Pkg]][]) {
      const u = unitOf(pkg);
      expect(u).toMatchObject({ preset: 'debian-no-cxx', compiler: 'emulated', hints: p.hints, predictedHints: p.hints });
      expect(u.reason).toContain(p.because);
    }
  });

  it(
    'ujson 5.10.0: g++ installed by the predicted remedy, one attempt, an s390x wheel that passes the smoke test',
    async () => {
      const o = await options('ujson');
      const r = await buildUnit(unitOf('ujson'), o);
      report('ujson', r);
      await expectCxxInstalled(r, o.outDir, 'predicted');
      await expectS390xWheel(r, o.outDir);
      expect(r.smoke).toMatchObject({ verdict: 'passed', imported: expect.arrayContaining(['ujson']) });
    },
    BUILD_MS.ujson,
  );

  it(
    'ujson 5.10.0 without the prediction: the first attempt fails for want of g++, cxx-compiler is learned from its log, the second installs g++ and succeeds',
    async () => {
      const o = { ...(await options('ujson', BUILD_MS.ujsonLearned)), outDir: join(work, 'ujson-learned') };
      // The unit as a plan made before predictions (or from a preset wrongly naming a C++ compiler).
      const { predictedHints: _, ...planned } = unitOf('ujson');
      const r = await buildUnit({ ...planned, hints: [] }, o);
      report('ujson, learned', r);
      const first = r.attempts[0]!;
      expect(first).toMatchObject({ status: 'failure', phase: 'build', failureClass: 'missing-toolchain', matchedHint: 'cxx-compiler' });
      expect(first.hintsApplied).not.toContain('cxx-compiler');
      expect(first.matchedLine).toMatch(/g\+\+/);
      await expectCxxInstalled(r, o.outDir, 'learned');
      await expectS390xWheel(r, o.outDir);
      expect(r.smoke).toMatchObject({ verdict: 'passed' });
    },
    BUILD_MS.ujsonLearned,
  );

  it(
    'levenshtein 0.27.5 (scikit-build-core, CMake): g++, cmake and ninja installed by the predicted remedies, one attempt, an s390x wheel',
    async () => {
      const o = await options('levenshtein');
      const r = await buildUnit(unitOf('levenshtein'), o);
      report('levenshtein', r);
      const log = await expectCxxInstalled(r, o.outDir, 'predicted');
      expect(log).toMatch(/^Setting up cmake \(/m);
      expect(log).toMatch(/^Setting up ninja-build \(/m);
      // CMake enabled CXX with the g++ the remedy installed.
      expect(log).toMatch(/The CXX compiler identification is GNU 12\./);
      // Its extension imports rapidfuzz, which the bare venv lacks: the smoke test installs the
      // wheel again with pip, rapidfuzz with it (PyPI has s390x wheels), and it passes.
      expect(r.smoke).toMatchObject({ verdict: 'passed' });
      expect(r.smoke!.imported).toEqual(expect.arrayContaining(['Levenshtein']));
      const attemptLog = await readFile(join(o.outDir, r.attempts.at(-1)!.log!), 'utf8');
      expect(attemptLog).toMatch(/^Successfully installed .*rapidfuzz-3\./m);
      expect(attemptLog).toContain('[refinery] test: passed with its dependencies installed');
      // And it is imported here, outside the refinery, with rapidfuzz from PyPI, in a fresh
      // container of the image without g++.
      const wheel = await expectS390xWheel(r, o.outDir);
      const args = ['run', '--rm', '--network', 'host', '-v', `${wheel}:/w/${r.wheel!.filename}:ro`];
      if (CA) args.push('-v', `${CA}:/etc/refinery/ca.pem:ro`, '-e', 'PIP_CERT=/etc/refinery/ca.pem');
      const script =
        'python3 -m pip install -q --break-system-packages --only-binary :all: --target /tmp/deps rapidfuzz==3.14.6 && python3 -m zipfile -e /w/*.whl /tmp/site && ' +
        "PYTHONPATH=/tmp/site:/tmp/deps python3 -c \"import Levenshtein as L, sys; print(L.distance('kitten', 'sitting'), L.ratio('s390x', 's390'), sys.byteorder)\"";
      const out = await docker([...args, '--', IMAGE, 'sh', '-c', script], 600_000);
      expect(out.exitCode, out.all.slice(-3000)).toBe(0);
      expect(out.stdout.trim().split('\n').at(-1)).toBe('3 0.8888888888888888 big');
    },
    BUILD_MS.levenshtein,
  );
});

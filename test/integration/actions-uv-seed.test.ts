/**
 * actions/build with the uv frontend in the s390x container: the first job on a fresh runner
 * makes the uv seed (uv-seed.ts) and keeps it in the Actions cache; the next job, on another fresh
 * runner, starts from the restored seed instead of making it again. Real builds under QEMU, the
 * real @actions/cache against the runtime stand-in, setuptools and wheel as PyPI publishes them
 * served on loopback. Needs scripts/setup-s390x-env.sh (image, engine, binfmt, turbo toolchain
 * with uv); a missing piece FAILS, it is never skipped.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTurboToolchain } from '../../src/domain/executors/index.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { fetchSdist } from '../../src/stages/builder/fetch.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { freshRunnerJobs } from '../helpers/action-runner.js';
import { localImageConfig } from '../helpers/configs.js';
import { ActionsRuntime } from '../helpers/actions-runtime.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const TURBO_DIR = process.env.REFINERY_TURBO_DIR ?? join(homedir(), '.cache', 'refinery', 'turbo');
// What the seed installs, pinned: the index on loopback serves exactly these.
const WHEELS = [
  {
    filename: 'setuptools-80.9.0-py3-none-any.whl',
    sha256: '062d34222ad13e0cc312a4c02d73f059e86a4acbfbdea8f8f76b28c99f306922',
    url: 'https://files.pythonhosted.org/packages/a3/dc/17031897dae0efacfea57dfd3a82fdd2a2aeb58e0ff71b77b87e44edc772/setuptools-80.9.0-py3-none-any.whl',
  },
  {
    filename: 'wheel-0.45.1-py3-none-any.whl',
    sha256: '708e7481cc80179af0e556bbf0cc00b8444c7321e2700b8d8580231d13017248',
    url: 'https://files.pythonhosted.org/packages/0b/2c/87f3254fd8ffd29e4c02732eee68a83a1d3c346ae39bc6822dcbcb697f2b/wheel-0.45.1-py3-none-any.whl',
  },
];

let rt: ActionsRuntime;
let index: FixtureIndexServer;
let work: string;
let home: string;
let units: PlanUnit[];
let job: ReturnType<typeof freshRunnerJobs>;

beforeAll(async () => {
  await execa('docker', ['-H', DOCKER_HOST, 'image', 'inspect', 'refinery/debian-s390x:bookworm']);
  const turbo = await loadTurboToolchain(TURBO_DIR);
  if (!turbo?.uv) throw new Error(`no turbo toolchain with uv in ${TURBO_DIR}: run scripts/setup-s390x-env.sh`);
  rt = await ActionsRuntime.start();
  work = await mkdtemp(join(tmpdir(), 'refinery-act-seed-'));
  home = join(work, 'home');
  job = freshRunnerJobs(work, home, { REFINERY_UV: pytoolsBin('uv'), REFINERY_TURBO_DIR: TURBO_DIR, DOCKER_HOST });
  const dists = join(work, 'dists');
  await mkdir(dists);
  await makeBackendSdist(dists, 'seed-one', 'pass\n');
  await makeBackendSdist(dists, 'seed-two', 'pass\n');
  const cache = join(repoRoot, '.cache', 'sdists');
  for (const w of WHEELS) await copyFile((await fetchSdist(w, cache)).path, join(dists, w.filename));
  index = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
  await writeFile(join(work, 'lock.txt'), 'seed-one==0.1\nseed-two==0.1\n');
  await writeFile(
    join(work, 'refinery.yml'),
    localImageConfig({ indexUrl: index.url, preset: 'seed-s390x', lines: ['compiler: emulated', 'frontend: uv', 'limits:', '  maxAttempts: 1'] }),
  );
  const plan = await job('actions/plan', {});
  expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
  units = JSON.parse(await readFile(plan.outputs.plan!, 'utf8')).matrix.include;
  expect(units.map((u) => u.package).sort()).toEqual(['seed-one', 'seed-two']);
}, 180_000);
afterAll(async () => {
  await rt?.close();
  await index?.close();
});

const seedLine = async (outDir: string, unit: PlanUnit) =>
  (await readFile(join(outDir, `${unit.id}.attempt-1.log`), 'utf8')).split('\n').find((l) => l.startsWith('[refinery] uv cache: '));

describe('actions/build: the uv seed in the Actions cache', () => {
  it('the first job makes the seed and keeps it; the next job on a fresh runner starts from the restored one', async () => {
    const [one, two] = ['seed-one', 'seed-two'].map((n) => units.find((u) => u.package === n)!);
    const r1 = await job(
      'actions/build',
      { unit: JSON.stringify({ wave: 0, index: 0, units: [one] }), out: 'wh1', network: 'host' },
      rt.jobEnv(rt.newRun(), 'wave-0'),
    );
    expect(r1.exitCode, r1.stdout + r1.stderr).toBe(0);
    expect(r1.outputs.status).toBe('built');
    expect(r1.stdout).toMatch(/executor: container \(/);
    expect(await seedLine(join(work, 'wh1'), one!)).toMatch(
      /^\[refinery\] uv cache: seeded with setuptools==80\.9\.0, wheel==0\.45\.1 and their bytecode \(made now in /,
    );
    const day = new Date().toISOString().slice(0, 10);
    const seedKeys = () => rt.caches.filter((c) => c.finalized && c.key.startsWith('refinery-uvseed-v1-')).map((c) => c.key);
    expect(seedKeys()).toEqual([`refinery-uvseed-v1-linux-x64-${day}`]);

    // Another fresh runner (an empty HOME): the seed comes from the cache, made by the first job.
    const r2 = await job(
      'actions/build',
      { unit: JSON.stringify({ wave: 0, index: 0, units: [two] }), out: 'wh2', network: 'host' },
      rt.jobEnv(rt.newRun(), 'wave-0'),
    );
    expect(r2.exitCode, r2.stdout + r2.stderr).toBe(0);
    expect(r2.outputs.status).toBe('built');
    const line = await seedLine(join(work, 'wh2'), two!);
    expect(line).toMatch(/^\[refinery\] uv cache: seeded with setuptools==80\.9\.0, wheel==0\.45\.1 and their bytecode \(made 20\d\d-\d\d-\d\dT/);
    expect(line).not.toContain('made now');
    // Today's entry hit: nothing saved again.
    expect(seedKeys()).toHaveLength(1);
    expect(await readdir(join(home, '.cache', 'refinery', 'uv-seeds'))).toHaveLength(1);
    // Two container builds under QEMU (uv's env, the crafted backend, the smoke test's fresh
    // container) and one seed (uv, compileall under QEMU): 40-120 s on a loaded 2-core machine.
  }, 420_000);

  it('a network input other than host, none or default fails the step before anything is built', async () => {
    const one = units.find((u) => u.package === 'seed-one')!;
    const r = await job('actions/build', { unit: JSON.stringify(one), out: 'wh3', network: 'bridge' }, rt.jobEnv(rt.newRun(), 'wave-0'));
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('network "bridge": expected host, none or default');
    expect(r.stdout).not.toMatch(/^attempt 1/m);
  }, 60_000);
});

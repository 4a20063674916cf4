/**
 * A whole run of the reusable workflow (.github/workflows/refinery.yml), simulated job by job in
 * GitHub's order with the outputs GitHub would pass between jobs: plan -> wave 0 (two matrix entries: one in the s390x container
 * under QEMU, the executor the runner has; one on the host executor for speed) -> wave 1 (builds
 * against wave 0's wheels, downloaded as artifacts; pip has no index) -> record, committing to a
 * real bare repository. Every job starts on a fresh runner (an empty HOME, a new checkout) and
 * talks to the runtime stand-in with its own token. A second run, for a pull request cut before
 * the first one recorded, plans the same units, restores every wheel from the cache, builds
 * nothing, and its record refuses to commit.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/domain/model/plan.js';
import type { BatchEntry } from '../../src/faces/actions/waves.js';
import { loadState, manifestFor } from '../../src/domain/state/index.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { type ActionRun, runActionYml } from '../helpers/action-runner.js';
import { localImageConfig } from '../helpers/configs.js';
import { ActionsRuntime, type WorkflowRun } from '../helpers/actions-runtime.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin } from '../helpers/pytools.js';

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
let rt: ActionsRuntime;
let index: FixtureIndexServer;
let work: string;
let origin: string;
let home: string;
let jobs = 0;
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd }).then((r) => r.stdout.trim());

beforeAll(async () => {
  // Fail loudly, never skip: this test needs the container engine and QEMU's binfmt handler.
  await execa('docker', ['-H', DOCKER_HOST, 'image', 'inspect', 'refinery/debian-s390x:bookworm']);
  rt = await ActionsRuntime.start();
  work = await mkdtemp(join(tmpdir(), 'refinery-act-wf-'));
  home = join(work, 'home');
  const dists = join(work, 'dists');
  await mkdir(dists);
  await makeBackendSdist(dists, 'wf-dep', 'pass\n');
  await makeBackendSdist(dists, 'wf-solo', 'pass\n');
  await makeBackendSdist(dists, 'wf-user', 'import wf_dep\nprint("wf_dep from wave 0:", wf_dep.VALUE)\n', { requires: ['wf-dep'] });
  index = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });

  origin = join(work, 'origin.git');
  await execa('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', origin]);
  const seed = join(work, 'seed');
  await execa('git', ['clone', '--quiet', origin, seed]);
  await git(seed, 'checkout', '-q', '-b', 'main');
  await writeFile(join(seed, 'lock.txt'), 'wf-user==0.1\nwf-dep==0.1\nwf-solo==0.1\n');
  // The local s390x image with no preset hints: the build needs nothing from apt or an index.
  await writeFile(
    join(seed, 'refinery.yml'),
    localImageConfig({
      indexUrl: index.url,
      preset: 'wf-s390x',
      lines: ['compiler: emulated', 'build:', '  passEnv: [PIP_NO_INDEX]', 'limits:', '  maxParallel: 4'],
    }),
  );
  await git(seed, 'add', '.');
  await git(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'adopt the refinery');
  await git(seed, 'push', '-q', 'origin', 'main');
  // The pull request's branch is cut now, before any run recorded.
  await git(seed, 'push', '-q', 'origin', 'main:pr-branch');
}, 120_000);
afterAll(async () => {
  await rt?.close();
  await index?.close();
});

interface Job {
  ws: string;
  env: Record<string, string>;
}

/** A fresh runner: an empty HOME (at the same path: cache versions include paths) and a checkout. */
async function startJob(run: WorkflowRun, name: string, ref: string, event: { name: string }): Promise<Job> {
  await rm(home, { recursive: true, force: true });
  await mkdir(home, { recursive: true });
  const ws = join(work, `job-${++jobs}-${name}`);
  await execa('git', ['clone', '--quiet', '--branch', ref, origin, ws]);
  return {
    ws,
    env: {
      ...rt.jobEnv(run, name),
      HOME: home,
      GITHUB_EVENT_NAME: event.name,
      GITHUB_REPOSITORY: 'acme/wheels',
      REFINERY_UV: pytoolsBin('uv'),
      DOCKER_HOST,
      PIP_NO_INDEX: '1',
    },
  };
}

async function step(job: Job, action: string, inputs: Record<string, string>, event?: unknown): Promise<ActionRun> {
  const r = await runActionYml(action, { tempDir: work, workspace: job.ws, inputs, env: job.env, ...(event ? { event } : {}) });
  expect(r.exitCode, `${action}: ${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

/** The real artifact client inside a job, as actions/upload-artifact and download-artifact use it. */
async function inJob<T>(job: Job, body: (client: DefaultArtifactClient) => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, job.env, { GITHUB_WORKSPACE: job.ws });
  try {
    return await body(new DefaultArtifactClient());
  } finally {
    process.env = saved;
  }
}

/** actions/download-artifact: one artifact by name, or `pattern: refinery-result-*` with `merge-multiple: true`. */
async function download(job: Job, dest: string, match: (name: string) => boolean): Promise<void> {
  await inJob(job, async (client) => {
    for (const a of (await client.listArtifacts({ latest: true })).artifacts) if (match(a.name)) await client.downloadArtifact(a.id, { path: dest });
  });
}

/**
 * One run of .github/workflows/refinery.yml's jobs, in its order, each step with the inputs the
 * workflow gives it: plan (waves: 5, the plan file uploaded as refinery-plan) -> wave-N for every
 * wave with batches (download refinery-plan, actions/plan expands the matrix entry, earlier
 * waves' refinery-result-* as find-links, actions/build) -> record (downloads the results itself).
 */
async function workflowRun(ref: string, event: { name: string; payload?: unknown }) {
  const run = rt.newRun();
  const planJob = await startJob(run, 'plan', ref, event);
  const plan = await step(planJob, 'actions/plan', { config: 'refinery.yml', waves: '5' });
  const planned = JSON.parse(await readFile(plan.outputs.plan!, 'utf8')) as Plan;
  await inJob(planJob, (client) => client.uploadArtifact('refinery-plan', [plan.outputs.plan!], dirname(plan.outputs.plan!)));
  const builds: Record<string, ActionRun> = {};
  const entries: BatchEntry[][] = [];
  for (let wave = 0; wave < 5; wave++) {
    entries[wave] = [];
    if (plan.outputs[`wave-${wave}-batches`] === '0') continue;
    for (const matrixEntry of JSON.parse(plan.outputs[`wave-${wave}`]!).include) {
      const job = await startJob(run, `wave-${wave}`, ref, event);
      await download(job, join(job.ws, 'plan'), (n) => n === 'refinery-plan');
      const batch = await step(job, 'actions/plan', { batch: JSON.stringify(matrixEntry), 'plan-file': join(job.ws, 'plan', 'refinery-plan.json') });
      const entry = JSON.parse(batch.outputs.batch!) as BatchEntry;
      entries[wave]!.push(entry);
      const inputs: Record<string, string> = { unit: batch.outputs.batch!, config: 'refinery.yml' };
      // wf-dep runs where the runner puts it (the container under QEMU); the rest on the host, for speed.
      if (!entry.units.some((u) => u.package === 'wf-dep')) inputs.executor = 'host';
      if (wave > 0) {
        await download(job, join(job.ws, 'earlier'), (n) => n.startsWith('refinery-result-'));
        inputs['find-links'] = 'earlier';
      }
      const r = await step(job, 'actions/build', inputs);
      for (const u of entry.units) builds[u.package] = r;
    }
  }
  const recordJob = await startJob(run, 'record', ref, event);
  const record = await step(recordJob, 'actions/record', { commit: 'git' }, event.payload);
  return { run, planned, entries, builds, record };
}

describe('the reusable workflow, job by job', () => {
  it('plans two waves, builds them (one unit under QEMU), records to the repository; a later pull-request run builds nothing', async () => {
    const first = await workflowRun('main', { name: 'push' });
    expect(first.planned.waves).toBe(2);
    expect(first.entries[0]!.flatMap((e) => e.units.map((u) => u.package)).sort()).toEqual(['wf-dep', 'wf-solo']);
    expect(first.entries[1]!.flatMap((e) => e.units.map((u) => u.package))).toEqual(['wf-user']);
    expect(first.entries.slice(2).flat()).toEqual([]);
    for (const pkg of ['wf-dep', 'wf-solo', 'wf-user']) expect(first.builds[pkg]!.outputs.status, pkg).toBe('built');
    expect(first.builds['wf-dep']!.stdout).toMatch(/executor: container \(/);
    // wave 1 built with wave 0's wheel from the artifacts (pip had no index)
    const userLog = await readFile(
      join(first.builds['wf-user']!.outputs.results!, `${first.planned.matrix.include.find((u) => u.package === 'wf-user')!.id}.log`),
      'utf8',
    );
    expect(userLog).toContain('wf_dep from wave 0: 42');
    expect(
      rt
        .runArtifacts(first.run)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['refinery-plan', ...first.planned.matrix.include.map((u) => `refinery-result-${u.id}`)].sort());

    expect(first.record.outputs).toMatchObject({ built: '3', failed: '0', queued: '0' });
    const head = await git(origin, 'rev-parse', 'main');
    expect(first.record.outputs.commit).toBe(head);
    const recorded = join(work, 'recorded');
    await execa('git', ['clone', '--quiet', origin, recorded]);
    const state = await loadState(join(recorded, '.refinery'));
    expect(manifestFor(state, 'wf-dep', '0.1')[0]).toMatchObject({ executor: 'container', targets: ['cp311-linux_s390x'] });
    expect(manifestFor(state, 'wf-user', '0.1')[0]).toMatchObject({ executor: 'host' });

    // A pull request from a branch cut before that record: the same plan, and the caches answer it.
    const payload = { pull_request: { number: 3, head: { repo: { fork: false, full_name: 'acme/wheels' } }, base: { repo: { full_name: 'acme/wheels' } } } };
    const second = await workflowRun('pr-branch', { name: 'pull_request', payload });
    expect(second.planned.matrix.include.map((u) => u.id).sort()).toEqual(first.planned.matrix.include.map((u) => u.id).sort());
    for (const pkg of ['wf-dep', 'wf-solo', 'wf-user']) {
      expect(second.builds[pkg]!.outputs.status, pkg).toBe('reused');
      expect(second.builds[pkg]!.outputs.attempts).toBe('0');
      expect(second.builds[pkg]!.stdout).not.toMatch(/^attempt 1/m);
    }
    expect(second.record.outputs).toMatchObject({ commit: '', built: '0', failed: '0' });
    expect(second.record.summary).toMatch(/<td>0<\/td><td>3<\/td>/);
    expect(second.record.summary).toContain('its token is read-only');
    expect(await git(origin, 'rev-parse', 'main')).toBe(head);
    // Two runs of 4 jobs and 3 builds: one s390x container build under QEMU (a fresh container,
    // a venv and pip wheel, the smoke test: 30-90 s idle), two host builds, scans, a record; then
    // the same jobs with no build. 2-5 minutes on a loaded 2-core machine.
  }, 900_000);
});

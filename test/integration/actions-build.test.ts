/**
 * actions/build as the runner runs it (dist/build-action.js, INPUT_* variables, the file commands),
 * with the real @actions/artifact and @actions/cache talking to the runtime stand-in: a batch of
 * two real host builds uploads one artifact per unit and fills the caches; the next run restores
 * both wheels and builds nothing; twelve failing units give ten error annotations and say how
 * many more failed.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { freshRunnerJobs } from '../helpers/action-runner.js';
import { ActionsRuntime } from '../helpers/actions-runtime.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin } from '../helpers/pytools.js';

const FAILING = 12;
let rt: ActionsRuntime;
let index: FixtureIndexServer;
let work: string;
let home: string;
let units: PlanUnit[];
let job: ReturnType<typeof freshRunnerJobs>;

beforeAll(async () => {
  rt = await ActionsRuntime.start();
  work = await mkdtemp(join(tmpdir(), 'refinery-act-build-'));
  home = join(work, 'home');
  job = freshRunnerJobs(work, home, { REFINERY_UV: pytoolsBin('uv'), PIP_NO_INDEX: '1' });
  const dists = join(work, 'dists');
  await mkdir(dists);
  await makeBackendSdist(dists, 'act-one', 'pass\n');
  await makeBackendSdist(dists, 'act-two', 'pass\n');
  for (let i = 0; i < FAILING; i++) await makeBackendSdist(dists, `act-fail-${i}`, 'raise SystemExit("error: this package never builds")\n');
  index = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
  const pins = ['act-one', 'act-two', ...Array.from({ length: FAILING }, (_, i) => `act-fail-${i}`)].map((n) => `${n}==0.1`);
  await writeFile(join(work, 'lock.txt'), `${pins.join('\n')}\n`);
  // One attempt per unit (the failures are permanent anyway); pip gets no index inside builds.
  await writeFile(
    join(work, 'refinery.yml'),
    `requirements:\n  - lock: lock.txt\ntargets:\n  python: ["3.11"]\nindexes:\n  primary: ${index.url}\nlimits:\n  maxAttempts: 1\nbuild:\n  passEnv: [PIP_NO_INDEX]\n`,
  );
  const plan = await job('actions/plan', {}, {});
  expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
  units = JSON.parse(await readFile(plan.outputs.plan!, 'utf8')).matrix.include;
  expect(units).toHaveLength(FAILING + 2);
}, 120_000);
afterAll(async () => {
  await rt?.close();
  await index?.close();
});

const unitsOf = (...names: string[]) => names.map((n) => units.find((u) => u.package === n)!);

describe('actions/build', () => {
  it('builds a batch, uploads each unit, and the next run restores both wheels and builds nothing', async () => {
    const batch = { wave: 0, index: 0, units: unitsOf('act-one', 'act-two') };
    const run1 = rt.newRun();
    const r = await job('actions/build', { unit: JSON.stringify(batch), executor: 'host', out: 'wh1' }, rt.jobEnv(run1, 'wave-0'));
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('built');
    expect(r.outputs.attempts).toBe('2');
    expect(r.outputs.results).toBe(join(work, 'wh1'));
    const wheels = JSON.parse(r.outputs.wheels!) as string[];
    expect(wheels.map((w) => w.split('/').pop())).toEqual(['act_one-0.1-py3-none-any.whl', 'act_two-0.1-py3-none-any.whl']);
    expect(
      rt
        .runArtifacts(run1)
        .map((a) => a.name)
        .sort(),
    ).toEqual(batch.units.map((u) => `refinery-result-${u.id}`).sort());
    // One wheel entry per unit and pip's cache, keyed as docs/actions.md says.
    const keys = rt.caches.filter((c) => c.finalized).map((c) => c.key);
    expect(keys.filter((k) => /^refinery-wheel-v1-[0-9a-f]{64}$/.test(k))).toHaveLength(2);
    expect(keys.filter((k) => /^refinery-pip-v1-linux-x64-manylinux_2_28-py3\.11-[0-9a-f]{16}$/.test(k))).toHaveLength(1);
    // The job summary: per unit the wheel, its tags and size, phase times and each attempt.
    for (const u of batch.units) expect(r.summary).toContain(`<h3>${u.id}: built</h3>`);
    expect(r.summary).toMatch(/wheel <code>act_one-0\.1-py3-none-any\.whl<\/code>, [\d.]+ KiB, tags <code>py3-none-any<\/code>/);
    expect(r.summary).toMatch(/phases: [^<]*build [\d.]+ s/);
    expect(r.summary).toContain('<th>hints applied</th>');
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);

    const run2 = rt.newRun();
    const again = await job('actions/build', { unit: JSON.stringify(batch), executor: 'host', out: 'wh2' }, rt.jobEnv(run2, 'wave-0'));
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.outputs.status).toBe('reused');
    expect(again.outputs.attempts).toBe('0');
    expect(again.stdout).not.toMatch(/^attempt 1/m);
    expect(again.summary).toContain('restored from the Actions cache');
    expect((await readFile(join(work, 'wh2', 'act_one-0.1-py3-none-any.whl'))).equals(await readFile(join(work, 'wh1', 'act_one-0.1-py3-none-any.whl')))).toBe(
      true,
    );
    // The reused results still go to record, marked as reused.
    expect(rt.runArtifacts(run2)).toHaveLength(2);
    expect(JSON.parse(await readFile(join(work, 'wh2', `${batch.units[0]!.id}.reused.json`), 'utf8'))).toMatchObject({ unit: batch.units[0]!.id });
    // Two real host builds (a venv and a pip wheel each), then a run with none: 20-60 s loaded.
  }, 240_000);

  it('twelve failing units: ten error annotations naming class, hint and next step, and how many more', async () => {
    const batch = { units: units.filter((u) => u.package.startsWith('act-fail-')) };
    const run = rt.newRun();
    const r = await job('actions/build', { unit: JSON.stringify(batch), executor: 'host', out: 'wh-fail' }, rt.jobEnv(run, 'wave-0'));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    for (const e of errors) {
      expect(e.props).toMatch(/^title=refinery: [a-z-]+: act-fail-\d+==0\.1$/);
      expect(e.message).toMatch(/failed after 1 attempt\(s\): .* Hint tried: .*\. Next: /);
    }
    const more = r.annotations.filter((a) => a.level === 'warning' && a.message.startsWith('2 more unit(s) failed'));
    expect(more).toHaveLength(1);
    expect(r.summary).toContain('2 more failed unit(s) than the 10 error annotations GitHub keeps per step');
    // Failures are uploaded too: they teach the state.
    expect(rt.runArtifacts(run)).toHaveLength(FAILING);
    // Twelve host builds that fail at once (a venv and a pip wheel each): 100 s here under load.
  }, 480_000);

  it('a unit input that is not a plan unit fails the step with one annotation', async () => {
    const r = await job('actions/build', { unit: JSON.stringify({ units: [{ id: '../x' }] }), executor: 'host' });
    expect(r.exitCode).toBe(1);
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.props).toBe('title=refinery: input');
    expect(errors[0]!.message).toContain('not a plan unit at units.0');
  }, 60_000);
});

/**
 * actions/record and actions/queue as the runner runs them: record merges results (from a folder,
 * or this run's artifacts through the runtime stand-in), commits the state to a real bare git
 * repository, writes a run summary with the failures by class and the retry queue, and refuses to
 * commit for pull requests (from a fork or not). The queue action plans the due entries only.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { runActionYml } from '../helpers/action-runner.js';
import { ActionsRuntime } from '../helpers/actions-runtime.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin } from '../helpers/pytools.js';
import { writeResults } from '../helpers/state-results.js';

let rt: ActionsRuntime;
let work: string;
let origin: string;
let n = 0;
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd }).then((r) => r.stdout.trim());
const DAY = 24 * 3600_000;

/** actions/checkout of the default branch into a fresh folder (push rights: the remote is a path). */
async function checkout(ref = 'main'): Promise<string> {
  const dir = join(work, `checkout-${++n}`);
  await execa('git', ['clone', '--quiet', '--branch', ref, origin, dir]);
  return dir;
}

beforeAll(async () => {
  rt = await ActionsRuntime.start();
  work = await mkdtemp(join(tmpdir(), 'refinery-act-record-'));
  origin = join(work, 'origin.git');
  await execa('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', origin]);
  const seed = join(work, 'seed');
  await execa('git', ['clone', '--quiet', origin, seed]);
  await writeFile(join(seed, 'refinery.yml'), 'targets:\n  python: ["3.12"]\n');
  await git(seed, 'checkout', '-b', 'main');
  await git(seed, 'add', '.');
  await git(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'seed');
  await git(seed, 'push', '-q', 'origin', 'main');
}, 60_000);
afterAll(async () => rt?.close());

async function results(specs: Parameters<typeof writeResults>[1]): Promise<string> {
  const dir = await mkdtemp(join(work, 'results-'));
  await writeResults(dir, specs);
  return dir;
}

const old = Date.now() - 3 * DAY;
const SPECS = [
  { pkg: 'alpha', version: '1.0', start: old },
  { pkg: 'beta', version: '2.0', start: old + 1000, attempts: [{ status: 'failure' as const, failureClass: 'transient' as const }] },
  {
    pkg: 'gamma',
    version: '3.0',
    start: old + 2000,
    attempts: [
      { status: 'failure' as const, failureClass: 'missing-system-lib' as const, matchedHint: 'libffi-dev' },
      { status: 'failure' as const, failureClass: 'missing-system-lib' as const, hints: ['libffi-dev'] },
    ],
  },
];

describe('actions/record', () => {
  it('records a results folder, commits with git, and the summary names failures by class and the next due entry', async () => {
    const ws = await checkout();
    const r = await runActionYml('actions/record', {
      tempDir: work,
      workspace: ws,
      inputs: { results: await results(SPECS), commit: 'git' },
      env: { GITHUB_EVENT_NAME: 'push' },
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ built: '1', failed: '2', queued: '1' });
    expect(r.outputs.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await git(origin, 'rev-parse', 'main')).toBe(r.outputs.commit);
    expect(await git(origin, 'show', '--stat', '--format=%s', 'main')).toContain('.refinery/');
    expect(r.summary).toContain('s390x record');
    expect(r.summary).toMatch(/<td>1<\/td><td>0<\/td><td>not known here<\/td><td>2<\/td><td>1<\/td>/);
    expect(r.summary).toContain('<li>transient (1): <code>beta-2.0-cp312-manylinux_2_28</code> (hint tried: none)</li>');
    expect(r.summary).toContain('<li>missing-system-lib (1): <code>gamma-3.0-cp312-manylinux_2_28</code> (hint tried: libffi-dev)</li>');
    expect(r.summary).toMatch(/Next due in the retry queue: `beta==2\.0` \(beta-2\.0-cp312-manylinux_2_28\) at \S+ \(transient\)/);
    expect(r.summary).toMatch(/Committed [0-9a-f]{12} \(git\)/);
  }, 120_000);

  it("with no results folder it downloads this run's refinery-result-* artifacts", async () => {
    const run = rt.newRun();
    const dir = await results([{ pkg: 'delta', version: '4.0', start: old + 5000 }]);
    const [folder] = await readdir(dir);
    // A build job of this run uploads its unit (the real client, as actions/build calls it).
    const saved = { ...process.env };
    Object.assign(process.env, rt.jobEnv(run, 'wave-0'), { GITHUB_WORKSPACE: dir });
    try {
      const files = (await readdir(join(dir, folder!))).map((f) => join(dir, folder!, f));
      await new DefaultArtifactClient().uploadArtifact('refinery-result-delta-4.0-cp312-manylinux_2_28', files, join(dir, folder!));
      await new DefaultArtifactClient().uploadArtifact('unrelated-logs', files, join(dir, folder!));
    } finally {
      process.env = saved;
    }
    const ws = await checkout();
    const r = await runActionYml('actions/record', {
      tempDir: work,
      workspace: ws,
      inputs: { commit: 'git' },
      env: { GITHUB_EVENT_NAME: 'workflow_dispatch', ...rt.jobEnv(run, 'record') },
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('downloaded 1 result artifact(s)');
    expect(r.outputs).toMatchObject({ built: '1', failed: '0' });
    expect(await git(origin, 'rev-parse', 'main')).toBe(r.outputs.commit);
  }, 120_000);

  it('a pull request from a fork is refused a commit, with the reason in the summary and a warning', async () => {
    const before = await git(origin, 'rev-parse', 'main');
    const ws = await checkout();
    const event = {
      pull_request: { number: 7, head: { repo: { fork: true, full_name: 'mallory/wheels' } }, base: { repo: { full_name: 'acme/wheels' } } },
    };
    const r = await runActionYml('actions/record', {
      tempDir: work,
      workspace: ws,
      inputs: { results: await results([{ pkg: 'eps', version: '5.0', start: old + 9000 }]), commit: 'git', store: 'release:s390x-wheels' },
      env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_TOKEN: 'ghs_readonly' },
      event,
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.commit).toBe('');
    expect(await git(origin, 'rev-parse', 'main')).toBe(before);
    const warning = r.annotations.find((a) => a.level === 'warning')!;
    expect(warning.message).toContain('pull request #7 from mallory/wheels comes from a fork');
    expect(r.summary).toMatch(/^<h2>s390x record<\/h2>\n\*\*Not committed:\*\* pull request #7 from mallory\/wheels comes from a fork/);
    // The token is masked (the runner hides what follows ::add-mask::) and printed nowhere else.
    expect(r.stdout.split('\n').filter((l) => l.includes('ghs_readonly'))).toEqual(['::add-mask::ghs_readonly']);
  }, 120_000);

  it('a pull request from a branch of the same repository is refused too: its token is read-only', async () => {
    const before = await git(origin, 'rev-parse', 'main');
    const ws = await checkout();
    const r = await runActionYml('actions/record', {
      tempDir: work,
      workspace: ws,
      inputs: { results: await results([{ pkg: 'zeta', version: '6.0', start: old + 9500 }]), commit: 'git' },
      env: { GITHUB_EVENT_NAME: 'pull_request' },
      event: { pull_request: { number: 8, head: { repo: { fork: false, full_name: 'acme/wheels' } }, base: { repo: { full_name: 'acme/wheels' } } } },
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.commit).toBe('');
    expect(await git(origin, 'rev-parse', 'main')).toBe(before);
    expect(r.summary).toContain('this is a pull_request run (pull request #8 from acme/wheels): its token is read-only');
  }, 120_000);
});

describe('actions/queue', () => {
  it('says has-work false and nothing else when nothing is due, and plans only the due entries when some are', async () => {
    const dists = join(work, 'queue-dists');
    await mkdir(dists);
    for (const name of ['q-due', 'q-other']) await makeBackendSdist(dists, name, 'pass\n');
    const index = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
    try {
      const ws = await mkdtemp(join(work, 'queue-ws-'));
      await writeFile(join(ws, 'lock.txt'), 'q-due==0.1\nq-other==0.1\n');
      await writeFile(join(ws, 'refinery.yml'), `requirements:\n  - lock: lock.txt\ntargets:\n  python: ["3.12"]\nindexes:\n  primary: ${index.url}\n`);
      const queue = () =>
        runActionYml('actions/queue', { tempDir: work, workspace: ws, inputs: { config: 'refinery.yml' }, env: { REFINERY_UV: pytoolsBin('uv') } });
      const empty = await queue();
      expect(empty.exitCode, empty.stdout + empty.stderr).toBe(0);
      expect(empty.outputs).toEqual({ 'has-work': 'false' });
      expect(empty.summary).toContain('The retry queue is empty.');

      // A transient failure three days ago: its retry (one hour of backoff) is due now.
      const rec = await runActionYml('actions/record', {
        tempDir: work,
        workspace: ws,
        inputs: {
          results: await results([{ pkg: 'q-due', version: '0.1', start: old, attempts: [{ status: 'failure', failureClass: 'qemu-fault' }] }]),
          commit: 'none',
        },
      });
      expect(rec.exitCode, rec.stdout + rec.stderr).toBe(0);
      expect(rec.outputs.queued).toBe('1');
      const due = await queue();
      expect(due.exitCode, due.stdout + due.stderr).toBe(0);
      expect(due.outputs['has-work']).toBe('true');
      expect(due.outputs.units).toBe('1');
      expect(JSON.parse(due.outputs.matrix!).include.map((u: { package: string }) => u.package)).toEqual(['q-due']);
      expect(due.summary).toContain('s390x build plan');
    } finally {
      await index.close();
    }
  }, 120_000);
});

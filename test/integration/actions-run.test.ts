/**
 * The root action as the runner runs it: the whole pipeline in one job (scan, plan, build every
 * unit in order, record) on the host executor over real crafted sdists on a loopback index, then
 * a commit to a real bare repository; a second run plans nothing and commits nothing.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { runActionYml } from '../helpers/action-runner.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin } from '../helpers/pytools.js';

let index: FixtureIndexServer;
let work: string;
let origin: string;
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd }).then((r) => r.stdout.trim());

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-act-run-'));
  const dists = join(work, 'dists');
  await mkdir(dists);
  await makeBackendSdist(dists, 'run-dep', 'pass\n');
  await makeBackendSdist(dists, 'run-user', 'import run_dep\n', { requires: ['run-dep'] });
  index = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
  origin = join(work, 'origin.git');
  await execa('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', origin]);
  const seed = join(work, 'seed');
  await execa('git', ['clone', '--quiet', origin, seed]);
  await git(seed, 'checkout', '-q', '-b', 'main');
  await writeFile(join(seed, 'lock.txt'), 'run-user==0.1\nrun-dep==0.1\n');
  await writeFile(
    join(seed, 'refinery.yml'),
    `requirements:\n  - lock: lock.txt\ntargets:\n  python: ["3.11"]\nindexes:\n  primary: ${index.url}\nbuild:\n  passEnv: [PIP_NO_INDEX]\n`,
  );
  await git(seed, 'add', '.');
  await git(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'adopt');
  await git(seed, 'push', '-q', 'origin', 'main');
}, 60_000);
afterAll(async () => index?.close());

async function runRoot() {
  const ws = await mkdtemp(join(work, 'ws-'));
  await execa('git', ['clone', '--quiet', origin, ws]);
  return runActionYml('', {
    tempDir: work,
    workspace: ws,
    // No artifact service in this job: upload off (a self-hosted runner keeps the wheelhouse).
    inputs: { config: 'refinery.yml', executor: 'host', commit: 'git', upload: 'false' },
    env: { GITHUB_EVENT_NAME: 'push', REFINERY_UV: pytoolsBin('uv'), PIP_NO_INDEX: '1', HOME: join(work, 'home') },
  });
}

describe('the root action', () => {
  it('scans, plans, builds both waves in order, records and commits; the next run has nothing to do', async () => {
    const r = await runRoot();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'built', units: '2', built: '2', failed: '0', queued: '0' });
    expect(r.outputs.commit).toBe(await git(origin, 'rev-parse', 'main'));
    expect(r.summary).toContain('s390x build plan');
    expect(r.summary).toMatch(/<h3>run-dep-0\.1-cp311-manylinux_2_28: built<\/h3>/);
    expect(r.summary).toMatch(/<td>2<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>0<\/td>/);
    expect(r.stdout.indexOf('run-dep-0.1-cp311-manylinux_2_28: built')).toBeLessThan(r.stdout.indexOf('run-user-0.1-cp311-manylinux_2_28: built'));

    const head = await git(origin, 'rev-parse', 'main');
    const again = await runRoot();
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.outputs).toMatchObject({ status: 'nothing', units: '0', commit: '' });
    expect(await git(origin, 'rev-parse', 'main')).toBe(head);
    // Two host builds, two scans: 20-60 s loaded.
  }, 300_000);
});

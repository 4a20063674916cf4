/**
 * `refinery run` and `refinery worker`: scan -> plan -> build -> record on one machine, over real
 * sdists from PyPI served on loopback. The host executor checks the pipeline quickly (its wheels
 * are for this machine); one run goes through a real s390x container under QEMU.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadState, manifestFor, allQueueEntries } from '../../src/domain/state/index.js';
import { runCli } from '../helpers/cli.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { pytoolsBin, repoRoot } from '../helpers/pytools.js';

const env = { REFINERY_UV: pytoolsBin('uv') };
let server: FixtureIndexServer;
let work: string;

beforeAll(async () => {
  server = await FixtureIndexServer.start({ projects: await projectsFromDir(join(repoRoot, 'examples/demo/dists')) });
  work = await mkdtemp(join(tmpdir(), 'refinery-run-'));
  await writeFile(
    join(work, 'refinery.yml'),
    `requirements:\n  - file: ${join(repoRoot, 'examples/demo/requirements.txt')}\ntargets:\n  python: ["3.11"]\nindexes:\n  primary: ${server.url}\ncacheDir: cache\n`,
  );
});
afterAll(async () => server?.close());

const run = (args: string[]) => runCli(args, { cwd: work, env });

describe('refinery run on the host executor', () => {
  it('builds what needs building, records it, and a second run builds nothing and says why', async () => {
    const first = await run(['run', '--executor', 'host', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const r1 = JSON.parse(first.stdout);
    expect(r1.units.map((u: { package: string; outcome: string }) => `${u.package}:${u.outcome}`).sort()).toEqual([
      'crcmod:built',
      'docopt:built',
      'markupsafe:built',
    ]);
    expect(r1.recorded).toMatchObject({ results: 3, built: 3, failed: 0 });
    // state kept in .refinery/ of the folder it runs in
    const state = await loadState(join(work, '.refinery'));
    expect(manifestFor(state, 'markupsafe', '3.0.2')).toHaveLength(1);
    expect((await readdir(join(work, 'wheelhouse'))).filter((f) => f.endsWith('.result.json')).sort()).toEqual([
      'crcmod-1.7-cp311-manylinux_2_28.result.json',
      'docopt-0.6.2-cp311-manylinux_2_28.result.json',
      'markupsafe-3.0.2-cp311-manylinux_2_28.result.json',
    ]);

    const second = await run(['run', '--executor', 'host']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('nothing to build:');
    for (const name of ['crcmod 1.7', 'docopt 0.6.2', 'markupsafe 3.0.2']) {
      expect(second.stdout).toMatch(new RegExp(`${name} \\(3\\.11\\): built: built by the refinery: \\S+\\.whl`));
    }
    expect(second.stdout).not.toMatch(/^built {4}/m);
    expect(second.stdout).not.toContain('recorded');
    // Three host builds (a venv and a pip wheel each), a scan and a record, then a second scan: about
    // 30 s on an idle 2-core machine, several times that when it is loaded.
  }, 300_000);

  it('the worker rebuilds a requested version from the store when its inputs did not change', async () => {
    const add = await run(['queue', 'add', 'markupsafe', '3.0.2']);
    expect(add.code, add.stderr).toBe(0);
    const w = await run(['worker', '--executor', 'host']);
    expect(w.code, w.stderr).toBe(0);
    // The wheel name keeps the project's spelling (MarkupSafe) with the setuptools the index serves.
    expect(w.stderr).toMatch(
      /reused +markupsafe-3\.0\.2-cp311-manylinux_2_28: reused markupsafe-3\.0\.2-cp311-\S+\.whl: built \S+ from the same inputs \(sha256:[0-9a-f]+\), stored in local/i,
    );
    expect(allQueueEntries(await loadState(join(work, '.refinery'))).filter((q) => q.status === 'waiting')).toEqual([]);
    const again = await run(['worker', '--executor', 'host']);
    expect(again.stdout).toContain('nothing due in the retry queue');
    // Two worker runs: one scan, plan and store lookup each, no build.
  }, 180_000);
});

describe('refinery run over two dependency waves', () => {
  it('the later wave builds with the wheel the earlier one built (find-links), not from an index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'refinery-run-waves-'));
    const dists = join(dir, 'dists');
    await mkdir(dists);
    await makeBackendSdist(dists, 'wave-dep', 'pass\n');
    await makeBackendSdist(dists, 'wave-user', 'import wave_dep\nprint("wave_dep from wave 0:", wave_dep.VALUE)\n', { requires: ['wave-dep'] });
    const index = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
    try {
      await writeFile(join(dir, 'lock.txt'), 'wave-user==0.1\nwave-dep==0.1\n');
      await writeFile(
        join(dir, 'refinery.yml'),
        `requirements:\n  - lock: lock.txt\ntargets:\n  python: ["3.11"]\nindexes:\n  primary: ${index.url}\ncacheDir: cache\nbuild:\n  passEnv: [PIP_NO_INDEX]\n`,
      );
      // No index for pip inside the builds: wave-dep can only come from the first wave's wheel.
      const r = await runCli(['run', '--executor', 'host', '--json'], { cwd: dir, env: { ...env, PIP_NO_INDEX: '1' } });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.plan.waves).toBe(2);
      expect(out.units.map((u: { package: string; outcome: string }) => `${u.package}:${u.outcome}`)).toEqual(['wave-dep:built', 'wave-user:built']);
      const log = (await readdir(join(dir, 'wheelhouse'))).find((f) => f.startsWith('wave-user') && f.endsWith('.log') && !f.includes('attempt'))!;
      expect(await readFile(join(dir, 'wheelhouse', log), 'utf8')).toContain('wave_dep from wave 0: 42');
    } finally {
      await index.close();
    }
    // Two host builds one after the other (two venvs, two pip wheels).
  }, 240_000);
});

describe("refinery run with refinery.yml's frontend", () => {
  it('builds with the uv frontend the config names, and the next run finds that build by the same fingerprint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'refinery-run-uv-'));
    const dists = join(dir, 'dists');
    await mkdir(dists);
    await makeBackendSdist(dists, 'front-uv', 'pass\n');
    const index = await FixtureIndexServer.start({ projects: await projectsFromDir(dists) });
    try {
      await writeFile(join(dir, 'lock.txt'), 'front-uv==0.1\n');
      await writeFile(
        join(dir, 'refinery.yml'),
        `requirements:\n  - lock: lock.txt\ntargets:\n  python: ["3.11"]\nindexes:\n  primary: ${index.url}\ncacheDir: cache\nfrontend: uv\n`,
      );
      // The host executor's builds run the uv on their PATH.
      const withUv = { ...env, PATH: `${dirname(pytoolsBin('uv'))}:${process.env.PATH ?? ''}` };
      const r = await runCli(['run', '--executor', 'host', '--json'], { cwd: dir, env: withUv });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).units.map((u: { package: string; outcome: string }) => `${u.package}:${u.outcome}`)).toEqual(['front-uv:built']);
      const log = (await readdir(join(dir, 'wheelhouse'))).find((f) => f.startsWith('front-uv') && f.includes('.attempt-1.log'))!;
      const text = await readFile(join(dir, 'wheelhouse', log), 'utf8');
      expect(text).toMatch(/^\[refinery\] build: \S*uv build --wheel --no-sources /m);
      expect(text).not.toMatch(/-m pip wheel/);
      const again = await runCli(['run', '--executor', 'host'], { cwd: dir, env: withUv });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('nothing to build:');
    } finally {
      await index.close();
    }
    // Two host runs: one uv build (a build env from no requirements), two scans, one record.
  }, 180_000);
});

describe('refinery run in an s390x container under QEMU', () => {
  const image = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
  it('builds a real sdist into a wheel inside the s390x image and records it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'refinery-run-s390x-'));
    await writeFile(
      join(dir, 'refinery.yml'),
      [
        'requirements:',
        '  - packages: ["docopt==0.6.2"]',
        'targets:',
        '  python: ["3.11"]',
        '  platform: linux',
        `indexes:\n  primary: ${server.url}`,
        'preset: debian-local',
        'presets:',
        '  debian-local:',
        `    image: ${image}`,
        '    packageManager: apt',
        '    platform: linux',
        '    python: { "3.11": /usr/bin/python3 }',
        'cacheDir: cache',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', '--executor', 'container', '--network', 'host', '--ca-bundle', '/etc/ssl/certs/ca-certificates.crt', '--json'], {
      cwd: dir,
      env: { ...env, DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock' },
    });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.units).toHaveLength(1);
    expect(out.units[0]).toMatchObject({ package: 'docopt', outcome: 'built' });
    const resultFile = (await readdir(join(dir, 'wheelhouse'))).find((f) => f.endsWith('.result.json'))!;
    const result = JSON.parse(await readFile(join(dir, 'wheelhouse', resultFile), 'utf8'));
    expect(result).toMatchObject({ status: 'success', executor: 'container', image });
    expect(result.wheel.filename).toBe('docopt-0.6.2-py2.py3-none-any.whl');
    const state = await loadState(join(dir, '.refinery'));
    expect(manifestFor(state, 'docopt', '0.6.2')[0]).toMatchObject({ executor: 'container', targets: ['cp311-linux_s390x'] });
    // One build in a fresh s390x container under QEMU (venv, pip wheel, smoke test): 30-60 s idle.
  }, 600_000);
});

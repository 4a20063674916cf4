/**
 * The container sees one host folder, the unit's own work folder, and nothing an sdist extracts
 * there leads back out to the host: a link chain whose hardlink would put a host file in the work
 * mount (where the build could read and rewrite it) is refused before any container starts. A
 * crates folder (--crates-dir) is the one other host folder, lent read-only.
 * Real docker, real s390x image under QEMU. Under CI=true a missing engine/binfmt/image FAILS.
 *
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/container-safety.test.ts
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { buildUnit, type BuildEvent } from '../../src/stages/builder/index.js';
import { RefineryError } from '../../src/errors.js';
import { CRATES_MOUNT, ContainerExecutor } from '../../src/domain/executors/index.js';
import { pickExecutor } from '../../src/session/executor.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { type TarMember, writeTarGz } from '../fixtures/sdists/crafted.js';

const root = join(import.meta.dirname, '..', '..');
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const IMAGE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const CI = process.env.CI === 'true';

const preset = Preset.parse({
  name: 'debian-local',
  image: IMAGE,
  packageManager: 'apt',
  python: { '3.11': '/usr/bin/python3' },
  platform: 'linux',
});
const executor = new ContainerExecutor({ host: DOCKER_HOST, network: 'none', hostArch: process.arch });
const problems = await executor.check(preset);
const ready = problems.length === 0;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'refinery-container-safety-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function docker(args: string[]) {
  return run('docker', args, { env: { DOCKER_HOST }, timeoutMs: 60_000 });
}

describe('container safety', () => {
  it.runIf(CI || ready)('has the engine, binfmt and image it needs', () => {
    expect(problems, problems.map((p) => `${p.what} -> ${p.fix}`).join('\n')).toEqual([]);
  });

  it.runIf(ready)(
    'refuses, before any container starts, an sdist whose links would reach a host file through the work mount',
    async () => {
      const canary = join(work, 'host-secret');
      await writeFile(canary, 'host data');
      // evil-0.1/a/b -> ../.., c0 -> a/b/.., cN -> cN-1/..: climbs to / on the host, then a hardlink
      // to the canary through it, which the build would see (and could rewrite) at /work.
      const members: TarMember[] = [
        { name: 'evil-0.1/', type: 'directory' },
        { name: 'evil-0.1/pyproject.toml', content: '[build-system]\nrequires = []\nbuild-backend = "x"\n' },
        { name: 'evil-0.1/a/', type: 'directory' },
        { name: 'evil-0.1/a/b', type: 'symlink', linkname: '../..' },
        { name: 'evil-0.1/c0', type: 'symlink', linkname: 'a/b/..' },
      ];
      for (let i = 1; i <= 16; i++) members.push({ name: `evil-0.1/c${i}`, type: 'symlink', linkname: `c${i - 1}/..` });
      members.push({ name: 'evil-0.1/secret', type: 'link', linkname: `evil-0.1/c16${canary}` });
      const sdist = await writeTarGz(join(work, 'evil-0.1.tar.gz'), members);
      const unit: PlanUnit = {
        id: 'evil-0.1-cp311-debian-local',
        package: 'evil',
        version: '0.1',
        python: '3.11',
        buildPython: '3.11',
        targets: [],
        preset: preset.name,
        hints: [],
        runner: { kind: 'qemu', labels: ['local'] },
        runs_on: '"local"',
        wave: 0,
        needs: [],
        sdist: { filename: 'evil-0.1.tar.gz', url: sdist },
        estimatedSeconds: 1,
        reason: 'test',
      };
      const events: BuildEvent[] = [];
      const err = await buildUnit(unit, {
        executor,
        preset,
        catalog: await loadHintCatalog(join(root, 'seeds', 'hints.yml')),
        outDir: join(work, 'out'),
        workRoot: work,
        skipCheck: true,
        onEvent: (e) => events.push(e),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RefineryError);
      expect((err as RefineryError).code).toBe('input');
      expect((err as RefineryError).message).toMatch(/symlink "evil-0\.1\/c0" points outside the tree/);
      // Refused while extracting, before the first attempt began: no attempt, no container.
      expect(events.map((e) => e.type)).toEqual([]);
      const ps = await docker(['ps', '--all', '--filter', 'name=refinery-evil-0.1', '--format', '{{.Names}}']);
      expect(ps.stdout.trim()).toBe('');
      expect(await readFile(canary, 'utf8')).toBe('host data');
      expect((await readdir(work)).filter((f) => f.startsWith('refinery-'))).toEqual([]);
    },
    120_000,
  );

  it.runIf(ready)(
    'mounts the unit work folder at /work and no other host folder',
    async () => {
      const unitWork = await mkdtemp(join(work, 'refinery-unit-'));
      const name = `refinery-mounts-${process.pid}`;
      const session = await executor.open({ name, hostWorkDir: unitWork, preset, maxLifetimeMs: 120_000 });
      try {
        const inspect = await docker(['container', 'inspect', '--format', '{{json .Mounts}}', '--', name]);
        expect(inspect.exitCode, inspect.all).toBe(0);
        const mounts = (JSON.parse(inspect.stdout) as { Type: string; Source: string; Destination: string; RW: boolean }[]).map((m) => ({
          type: m.Type,
          source: m.Source,
          destination: m.Destination,
          rw: m.RW,
        }));
        expect(mounts).toEqual([{ type: 'bind', source: await realpath(unitWork), destination: '/work', rw: true }]);
        // The build writes there and the host sees it, nowhere else.
        const r = await session.exec(['sh', '-c', 'echo built > /work/marker && cat /work/marker'], { timeoutMs: 60_000 });
        expect(r.output.trim()).toBe('built');
        expect(await readFile(join(unitWork, 'marker'), 'utf8')).toBe('built\n');
      } finally {
        await session.close();
      }
      expect(existsSync(join(work, 'marker'))).toBe(false);
    },
    180_000,
  );

  // What the crates test does, each bounded by the timeout its engine call has: open (image
  // inspect, docker run, uname under QEMU), an inspect, two execs, close (rm --force, then polls
  // of 250 ms until the engine has removed it: seconds, 30 s allowed).
  const OPEN_MS = 60_000 + 120_000 + 60_000;
  const EXEC_MS = 60_000;
  const CLOSE_MS = 60_000 + 30_000;
  it.runIf(ready)(
    'a crates folder is lent read-only at /opt/refinery/crates: readable, a write from inside fails, the host folder is unchanged',
    async () => {
      const crates = await mkdtemp(join(work, 'crates-'));
      await writeFile(join(crates, 'marker'), 'crate source\n');
      const unitWork = await mkdtemp(join(work, 'refinery-unit-'));
      const name = `refinery-crates-${process.pid}`;
      const withCrates = new ContainerExecutor({ host: DOCKER_HOST, network: 'none', hostArch: process.arch, crates });
      const session = await withCrates.open({ name, hostWorkDir: unitWork, preset, maxLifetimeMs: 120_000 });
      try {
        const inspect = await docker(['container', 'inspect', '--format', '{{json .Mounts}}', '--', name]);
        expect(inspect.exitCode, inspect.all).toBe(0);
        const mounts = JSON.parse(inspect.stdout) as { Source: string; Destination: string; RW: boolean }[];
        expect(mounts.find((m) => m.Destination === CRATES_MOUNT)).toMatchObject({ Source: await realpath(crates), RW: false });
        const read = await session.exec(['cat', `${CRATES_MOUNT}/marker`], { timeoutMs: EXEC_MS });
        expect(read.output.trim()).toBe('crate source');
        // As root in the container: only the read-only mount stops it.
        const write = await session.exec(['sh', '-c', `echo x > ${CRATES_MOUNT}/evil; echo y > ${CRATES_MOUNT}/marker`], { timeoutMs: EXEC_MS });
        expect(write.exitCode).not.toBe(0);
        expect(write.output).toMatch(/Read-only file system/);
      } finally {
        await session.close();
      }
      expect(await readdir(crates)).toEqual(['marker']);
      expect(await readFile(join(crates, 'marker'), 'utf8')).toBe('crate source\n');
    },
    OPEN_MS + 60_000 + 2 * EXEC_MS + CLOSE_MS,
  );

  it.runIf(CI || ready)(
    'a crates folder that does not exist is one clear error, before any container starts',
    async () => {
      const absent = join(work, 'no-such-crates');
      // The way the CLI (--crates-dir) and the actions (REFINERY_CRATES_DIR) reach the executor.
      for (const [flags, env, from] of [
        [{ cratesDir: absent }, {}, '--crates-dir'],
        [{}, { REFINERY_CRATES_DIR: absent }, 'REFINERY_CRATES_DIR'],
      ] as const) {
        const e = await pickExecutor(root, { DOCKER_HOST, ...env }, { executor: 'container', ...flags }, preset, 'emulated').catch((x: unknown) => x);
        expect(e).toBeInstanceOf(RefineryError);
        expect((e as RefineryError).code).toBe('environment');
        expect((e as RefineryError).message).toBe(`the crates folder ${JSON.stringify(absent)} (${from}) does not exist or is not a folder`);
        expect((e as RefineryError).fix).toMatch(/scripts\/setup-debian-crates\.sh/);
      }
      // An executor built by hand with such a folder refuses the mount before `docker run`.
      const unitWork = await mkdtemp(join(work, 'refinery-unit-'));
      const name = `refinery-nocrates-${process.pid}`;
      const missing = new ContainerExecutor({ host: DOCKER_HOST, network: 'none', hostArch: process.arch, crates: absent });
      const e = await missing.open({ name, hostWorkDir: unitWork, preset }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RefineryError);
      expect((e as RefineryError).message).toMatch(/the crates folder ".*no-such-crates" is not a folder/);
      const ps = await docker(['ps', '--all', '--filter', `name=${name}`, '--format', '{{.Names}}']);
      expect(ps.exitCode, ps.all).toBe(0);
      expect(ps.stdout.trim()).toBe('');
      expect(existsSync(absent)).toBe(false);
    },
    // Engine calls only: an image inspect and a `docker ps`, 60 s each at most.
    2 * 60_000 + 10_000,
  );

  it.runIf(ready)(
    "what a container wrote as root in the work folder belongs to the refinery's user (chownTo) once the session closes",
    async () => {
      const dir = await mkdtemp(join(work, 'owned-'));
      const owned = new ContainerExecutor({ host: DOCKER_HOST, network: 'none', hostArch: process.arch, chownTo: '4321:4322' });
      const session = await owned.open({ name: `refinery-chown-${process.pid}`, hostWorkDir: dir, preset });
      for (const argv of [
        ['mkdir', '-p', '/work/made/deep'],
        ['touch', '/work/made/deep/file'],
      ]) {
        const r = await session.exec(argv, { timeoutMs: 60_000 });
        expect(r.exitCode, r.output).toBe(0);
      }
      // Written by root, as every build writes.
      expect((await stat(join(dir, 'made', 'deep', 'file'))).uid).toBe(0);
      await session.close();
      for (const p of ['made', 'made/deep', 'made/deep/file']) {
        const st = await stat(join(dir, p));
        expect([st.uid, st.gid], p).toEqual([4321, 4322]);
      }
    },
    // A container start, two commands and a chown under QEMU: 5-20 s.
    2 * 60_000,
  );

  it('refuses a work folder that a container mount cannot name', async () => {
    const odd = await mkdtemp(join(work, 'comma,dir-'));
    const e = await executor.open({ name: 'refinery-never', hostWorkDir: odd, preset }).catch((x: unknown) => x);
    // With no image the session fails earlier for that reason; with it, for the path.
    expect(e).toBeInstanceOf(RefineryError);
    if (ready) expect((e as RefineryError).message).toMatch(/comma, quote or line break/);
  });
});

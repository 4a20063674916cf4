/**
 * End to end: real sdists from PyPI (pinned, sha256-checked) built into s390x wheels in the local
 * s390x image under QEMU (scripts/setup-s390x-env.sh), through the same buildUnit the CLI and the
 * actions call. One file so the environment check runs once; tests run in order, one container at
 * a time (QEMU is CPU-bound on 2 cores). Under CI=true a missing engine/binfmt/image FAILS.
 *
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/build-s390x.test.ts
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { buildUnit, fetchSdist, sha256File, type BuildEvent, type BuildOptions } from '../../src/stages/builder/index.js';
import { ContainerExecutor } from '../../src/domain/executors/index.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import { Preset } from '../../src/domain/model/preset.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { BuildResult } from '../../src/domain/model/result.js';
import { parseWheelFilename } from '../../src/domain/python/filenames.js';
import { makeBackendSdist } from '../fixtures/sdists/crafted.js';
import { runCli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const IMAGE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const CI = process.env.CI === 'true';

// The user preset the docs describe for machines without registry access.
const preset = Preset.parse({
  name: 'debian-local',
  description: 'local s390x Debian image from scripts/setup-s390x-env.sh',
  image: IMAGE,
  packageManager: 'apt',
  python: { '3.11': '/usr/bin/python3' },
  platform: 'linux',
  env: { DEBIAN_FRONTEND: 'noninteractive' },
});
const executor = new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch });

const SDISTS = {
  six: {
    filename: 'six-1.16.0.tar.gz',
    sha256: '1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926',
    url: 'https://files.pythonhosted.org/packages/71/39/171f1c67cd00715f190ba0b100d606d440a28c93c7714febeca8b79af85e/six-1.16.0.tar.gz',
  },
  markupsafe: {
    filename: 'MarkupSafe-2.1.5.tar.gz',
    sha256: 'd283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b',
    url: 'https://files.pythonhosted.org/packages/87/5b/aae44c6655f3801e81aa3eef09dbbf012431987ba564d7231722f68df02d/MarkupSafe-2.1.5.tar.gz',
  },
  simplejson: {
    filename: 'simplejson-3.19.3.tar.gz',
    sha256: '8e086896c36210ab6050f2f9f095a5f1e03c83fa0e7f296d6cba425411364680',
    url: 'https://files.pythonhosted.org/packages/3d/29/085111f19717f865eceaf0d4397bf3e76b08d60428b076b64e2a1903706d/simplejson-3.19.3.tar.gz',
  },
  pylibacl: {
    filename: 'pylibacl-0.7.0.tar.gz',
    sha256: 'ed496e74ca5452d5d4cebe23df229ea462735a96528b9fa28e3ce1f7a2bed31a',
    url: 'https://files.pythonhosted.org/packages/20/db/721848001bba52f0494c465ee34e92188da250e753a08e1980d50fd76069/pylibacl-0.7.0.tar.gz',
  },
} as const;
type Pkg = keyof typeof SDISTS;

const problems = await executor.check(preset);
const ready = problems.length === 0;
let work: string;
const local: Partial<Record<Pkg, string>> = {};

function unit(pkg: Pkg, version: string): PlanUnit {
  const s = SDISTS[pkg];
  return {
    id: `${pkg}-${version}-cp311-debian-local`,
    package: pkg,
    version,
    python: '3.11',
    buildPython: '3.11',
    targets: ['cp311-linux_s390x'],
    preset: preset.name,
    hints: [],
    runner: { kind: 'qemu', labels: ['ubuntu-latest'] },
    runs_on: '"ubuntu-latest"',
    wave: 0,
    needs: [],
    sdist: { filename: s.filename, url: s.url, sha256: s.sha256 },
    estimatedSeconds: 60,
    reason: 'e2e',
  };
}

async function options(name: string, extra: Partial<BuildOptions> = {}): Promise<BuildOptions & { events: BuildEvent[] }> {
  const events: BuildEvent[] = [];
  return {
    executor,
    preset,
    catalog: await loadHintCatalog(join(root, 'seeds', 'hints.yml')),
    outDir: join(work, name),
    workRoot: work,
    // The image carries setuptools and wheel: no isolation keeps builds offline and fast.
    isolation: false,
    skipCheck: true,
    onEvent: (e) => events.push(e),
    events,
    ...extra,
  };
}

/** Import a module from the wheel in a fresh s390x container; independent of the refinery's smoke test. */
async function importInContainer(wheelPath: string, module: string): Promise<{ file: string; byteorder: string; machine: string }> {
  const dir = wheelPath.slice(0, wheelPath.lastIndexOf('/'));
  const name = wheelPath.slice(wheelPath.lastIndexOf('/') + 1);
  const script =
    'import importlib, json, platform, sys, zipfile\n' +
    'zipfile.ZipFile(sys.argv[1]).extractall("/tmp/w")\nsys.path.insert(0, "/tmp/w")\n' +
    'm = importlib.import_module(sys.argv[2])\n' +
    'print(json.dumps({"file": m.__file__, "byteorder": sys.byteorder, "machine": platform.machine()}))\n';
  const r = await run('docker', ['run', '--rm', '--network', 'none', '-v', `${dir}:/w:ro`, '--', IMAGE, 'python3', '-c', script, `/w/${name}`, module], {
    env: { DOCKER_HOST },
    timeoutMs: 180_000,
  });
  expect(r.exitCode, r.all).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function expectGoodWheel(r: BuildResult, outDir: string, platform: RegExp): Promise<string> {
  expect(r.status).toBe('success');
  const wheel = r.wheel!;
  const path = join(outDir, wheel.filename);
  expect(await sha256File(path)).toBe(wheel.sha256);
  const parsed = parseWheelFilename(wheel.filename);
  for (const p of parsed.platformTags) expect(p).toMatch(platform);
  expect(wheel.tags).toEqual(parsed.tags);
  expect(r.executor).toBe('container');
  expect(r.imageDigest).toMatch(/^sha256:/);
  // The result on disk is the one returned, and valid.
  expect(BuildResult.parse(JSON.parse(await readFile(join(outDir, `${r.unit.id}.result.json`), 'utf8')))).toEqual(r);
  return path;
}

describe('s390x environment', () => {
  it.runIf(CI || ready)('has a container engine, QEMU binfmt for s390x and the local image', () => {
    expect(problems, problems.map((p) => `${p.what} -> ${p.fix}`).join('\n')).toEqual([]);
  });

  it.runIf(ready)('reports a missing image with how to get one', async () => {
    const p = await executor.check({ ...preset, image: 'refinery/does-not-exist:never' });
    expect(p).toHaveLength(1);
    expect(p[0]!.what).toBe('image refinery/does-not-exist:never is not present in the engine');
    expect(p[0]!.fix).toMatch(/setup-s390x-env\.sh/);
  });
});

describe.runIf(ready)('real s390x builds under QEMU', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'refinery-e2e-'));
    const cache = join(root, '.cache', 'sdists');
    await mkdir(cache, { recursive: true });
    for (const [pkg, s] of Object.entries(SDISTS)) local[pkg as Pkg] = (await fetchSdist(s, cache)).path;
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('pure Python: refinery build --package six==1.16.0 (CLI, download from PyPI)', async () => {
    const out = join(work, 'six');
    const cfg = join(work, 'refinery.yml');
    await writeFile(
      cfg,
      `presets:\n  debian-local:\n    image: ${IMAGE}\n    packageManager: apt\n    platform: linux\n    python: { "3.11": /usr/bin/python3 }\n`,
    );
    const r = await runCli(['build', '-c', cfg, '--package', 'six==1.16.0', '--preset', 'debian-local', '--network', 'host', '--no-isolation', '-o', out], {
      env: { DOCKER_HOST },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^executor: container \(container engine and QEMU binfmt for s390x found/m);
    const result = BuildResult.parse(JSON.parse(await readFile(join(out, 'six-1.16.0-cp311-debian-local.result.json'), 'utf8')));
    expect(result.sdist.sha256).toBe(SDISTS.six.sha256);
    const wheel = await expectGoodWheel(result, out, /^any$/);
    expect(await importInContainer(wheel, 'six')).toMatchObject({ machine: 's390x', byteorder: 'big' });
  }, 600_000);

  for (const [pkg, version, module] of [
    ['markupsafe', '2.1.5', 'markupsafe._speedups'],
    ['simplejson', '3.19.3', 'simplejson._speedups'],
  ] as const) {
    it(`C extension: ${pkg}==${version} -> linux_s390x wheel whose extension imports on s390x`, async () => {
      const o = await options(pkg, { sdistFile: local[pkg]! });
      const r = await buildUnit(unit(pkg, version), o);
      const wheel = await expectGoodWheel(r, o.outDir, /^linux_s390x$/);
      expect(r.wheel!.filename).toMatch(/-cp311-cp311-linux_s390x\.whl$/);
      expect(r.attempts).toHaveLength(1);
      const imp = await importInContainer(wheel, module);
      expect(imp.file).toMatch(/\.cpython-311-s390x-linux-gnu\.so$/);
      expect(imp).toMatchObject({ machine: 's390x', byteorder: 'big' });
    }, 600_000);
  }

  it('missing system library: fails, the hint installs libacl1-dev, the retry succeeds', async () => {
    const o = await options('pylibacl', { sdistFile: local.pylibacl! });
    const r = await buildUnit(unit('pylibacl', '0.7.0'), o);
    expect(r.attempts.map((a) => ({ status: a.status, phase: a.phase, class: a.failureClass, hint: a.matchedHint, applied: a.hintsApplied }))).toEqual([
      { status: 'failure', phase: 'build', class: 'missing-system-lib', hint: 'libacl', applied: [] },
      { status: 'success', phase: undefined, class: undefined, hint: undefined, applied: ['libacl'] },
    ]);
    expect(o.events).toContainEqual({ type: 'hint-applied', hint: 'libacl', class: 'missing-system-lib', forAttempt: 2 });
    const log1 = await readFile(join(o.outDir, r.attempts[0]!.log!), 'utf8');
    expect(log1).toMatch(/fatal error: sys\/acl\.h: No such file or directory/);
    const log2 = await readFile(join(o.outDir, r.attempts[1]!.log!), 'utf8');
    expect(log2).toMatch(/\[refinery\] prepare: apt-get install -y --no-install-recommends libacl1-dev/);
    expect(log2).toMatch(/Setting up libacl1-dev/);
    const wheel = await expectGoodWheel(r, o.outDir, /^linux_s390x$/);
    expect(await importInContainer(wheel, 'posix1e')).toMatchObject({ machine: 's390x' });
  }, 900_000);

  it('a later wave builds with the wheel an earlier wave built: find-links inside the container', async () => {
    const dists = join(work, 'wave-dists');
    await mkdir(dists);
    const depSdist = await makeBackendSdist(dists, 'wave-dep', 'pass\n');
    const userSdist = await makeBackendSdist(dists, 'wave-user', 'import wave_dep\nprint("wave_dep from wave 0:", wave_dep.VALUE)\n', {
      requires: ['wave-dep'],
    });
    const crafted = (name: string, sdist: string): PlanUnit => ({
      ...unit('six', '0.1'),
      id: `${name}-0.1-cp311-debian-local`,
      package: name,
      version: '0.1',
      sdist: { filename: basename(sdist), url: sdist },
    });
    // With build isolation and no index, wave-dep can only come from the first wave's wheel.
    const env = { PIP_NO_INDEX: '1' };
    const o0 = await options('wave-0', { sdistFile: depSdist, isolation: true, env });
    expect((await buildUnit(crafted('wave-dep', depSdist), o0)).status).toBe('success');
    const o1 = await options('wave-1', { sdistFile: userSdist, isolation: true, env, findLinks: [o0.outDir] });
    const r = await buildUnit(crafted('wave-user', userSdist), o1);
    const log = await readFile(join(o1.outDir, r.log), 'utf8');
    expect(r.status, log.slice(-2000)).toBe('success');
    expect(log).toContain('wave_dep from wave 0: 42');
  }, 600_000);

  it('timeout: the build is killed, the kill recorded, and no container is left', async () => {
    const o = await options('timeout', { sdistFile: local.markupsafe!, timeouts: { build: 8_000 } });
    const r = await buildUnit(unit('markupsafe', '2.1.5'), o);
    expect(r.status).toBe('failure');
    expect(r.attempts).toHaveLength(1);
    expect(r.attempts[0]).toMatchObject({ status: 'failure', phase: 'build', killed: true, failureClass: 'timeout' });
    expect(r.wheel).toBeUndefined();
    const log = await readFile(join(o.outDir, r.log), 'utf8');
    expect(log).toMatch(/\[refinery\] KILLED: phase build exceeded its timeout of 8 s/);
    const ps = await run('docker', ['ps', '--all', '--filter', 'label=refinery.build=1', '--format', '{{.Names}}'], { env: { DOCKER_HOST } });
    expect(ps.stdout.split('\n').filter((n) => n.startsWith('refinery-markupsafe-'))).toEqual([]);
  }, 600_000);
});

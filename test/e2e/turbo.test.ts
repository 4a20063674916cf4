/**
 * Turbo builds end to end: real sdists built in the local s390x image, once with the host's cross
 * compilers mounted (turbo) and once all under QEMU (emulated), through buildUnit. Checks the
 * wheels' tags, every shared object's ELF machine (22 = s390x), imports in a fresh container,
 * markupsafe's and ujson's own test suites against both wheels, a real PyPI Rust package (blake3,
 * maturin + pyo3) built turbo from Debian's crates unpacked on the host
 * (scripts/setup-debian-crates.sh, run by the test), and the turbo-incompatible retry that the
 * state remembers. Needs scripts/setup-s390x-env.sh (image, engine, binfmt) and the turbo toolchain it
 * assembles (scripts/setup-turbo-toolchain.sh); under CI=true a missing piece FAILS.
 *
 *   DOCKER_HOST=unix:///run/refinery-docker.sock npx vitest run test/e2e/turbo.test.ts
 */
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/adapters/process.js';
import { buildUnit, fetchSdist, unitFingerprint, type BuildOptions } from '../../src/stages/builder/index.js';
import { CRATES_MOUNT, ContainerExecutor, loadTurboToolchain, type TurboToolchain } from '../../src/domain/executors/index.js';
import { loadHintCatalog } from '../../src/domain/hints/index.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { Preset } from '../../src/domain/model/preset.js';
import type { BuildResult } from '../../src/domain/model/result.js';
import { planDepsFromState } from '../../src/stages/plan/deps.js';
import { record } from '../../src/stages/record/index.js';
import { parseWheelFilename } from '../../src/domain/python/filenames.js';
import { marchNativeSdist, rustSdist } from '../fixtures/sdists/turbo.js';
import { BLAKE3, BLAKE3_ABC, blake3Crates, blake3Recipe } from '../fixtures/rust-offline.js';

const root = join(import.meta.dirname, '..', '..');
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const IMAGE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const TURBO_DIR = process.env.REFINERY_TURBO_DIR ?? join(homedir(), '.cache', 'refinery', 'turbo');
const CI = process.env.CI === 'true';
// Networks with a TLS-intercepting proxy: pip in the container (build isolation) needs its CA.
const CA = [process.env.REFINERY_CA_BUNDLE, process.env.PIP_CERT].find((f) => f && existsSync(f));

const preset = Preset.parse({
  name: 'debian-local',
  image: IMAGE,
  packageManager: 'apt',
  python: { '3.11': '/usr/bin/python3' },
  platform: 'linux',
  env: { DEBIAN_FRONTEND: 'noninteractive' },
  turbo: true,
});

const SDISTS = {
  markupsafe: {
    filename: 'MarkupSafe-2.1.5.tar.gz',
    sha256: 'd283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b',
    url: 'https://files.pythonhosted.org/packages/87/5b/aae44c6655f3801e81aa3eef09dbbf012431987ba564d7231722f68df02d/MarkupSafe-2.1.5.tar.gz',
  },
  // C and C++ (its bundled double-conversion is C++, linked with libstdc++).
  ujson: {
    filename: 'ujson-5.10.0.tar.gz',
    sha256: 'b3cd8f3c5d8c7738257f1018880444f7b7d9b66232c64649f562d7ba86ad4bc1',
    url: 'https://files.pythonhosted.org/packages/f0/00/3110fd566786bfa542adb7932d62035e0c0ef662a8ff6544b6643b3d6fd7/ujson-5.10.0.tar.gz',
  },
  // Rust (maturin + pyo3), crates from Debian's packages: test/fixtures/rust-offline.ts.
  blake3: BLAKE3,
} as const;

const turbo: TurboToolchain | undefined = await loadTurboToolchain(TURBO_DIR).catch(() => undefined);
const plain = new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch, ...(CA ? { caBundle: CA } : {}) });
const problems = [
  ...(await plain.check(preset)).map((p) => `${p.what} -> ${p.fix}`),
  ...(turbo ? [] : [`no turbo toolchain in ${TURBO_DIR} -> run scripts/setup-turbo-toolchain.sh`]),
];
const ready = problems.length === 0;
const executor = new ContainerExecutor({
  host: DOCKER_HOST,
  network: 'host',
  hostArch: process.arch,
  ...(CA ? { caBundle: CA } : {}),
  ...(turbo ? { turbo } : {}),
});

let work: string;
const local: Record<string, string> = {};

function unit(pkg: string, version: string, sdist: { filename: string; url: string; sha256?: string }): PlanUnit {
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
    sdist,
    estimatedSeconds: 60,
    reason: 'e2e',
  };
}

async function options(name: string, extra: Partial<BuildOptions> = {}): Promise<BuildOptions> {
  return {
    executor,
    preset,
    catalog: await loadHintCatalog(join(root, 'seeds', 'hints.yml')),
    outDir: join(work, name),
    workRoot: work,
    isolation: false,
    skipCheck: true,
    backoff: { baseMs: 10, maxMs: 10 },
    ...extra,
  };
}

/** Every file under `dir`: its content hash, inode and link count (a changed or linked file shows). */
async function snapshot(dir: string): Promise<Record<string, { sha256: string; ino: number; nlink: number }>> {
  const out: Record<string, { sha256: string; ino: number; nlink: number }> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const f = join(e.parentPath, e.name);
    const st = await stat(f);
    out[f.slice(dir.length)] = {
      sha256: createHash('sha256')
        .update(await readFile(f))
        .digest('hex'),
      ino: st.ino,
      nlink: st.nlink,
    };
  }
  return out;
}

/** e_machine of every ELF shared object in the wheel, read from its header bytes. */
async function elfMachines(wheel: string): Promise<Record<string, number>> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(wheel, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  const out: Record<string, number> = {};
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!/\.so(\.|$)/.test(entry.fileName)) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const head = Buffer.concat(chunks).subarray(0, 20);
          expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
          // EI_DATA 2 = big-endian: e_machine is a big-endian u16 at offset 18.
          out[entry.fileName] = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return out;
}

async function inContainer(mounts: string[], argv: string[], timeoutMs = 600_000) {
  const args = ['run', '--rm', '--network', 'host'];
  if (CA) args.push('-v', `${CA}:/etc/refinery/ca.pem:ro`, '-e', 'PIP_CERT=/etc/refinery/ca.pem');
  for (const m of mounts) args.push('-v', m);
  const r = await run('docker', [...args, '--', IMAGE, ...argv], { env: { DOCKER_HOST }, timeoutMs });
  expect(r.exitCode, r.all.slice(-3000)).toBe(0);
  return r.stdout;
}

async function expectS390xWheel(r: BuildResult, outDir: string, compiler: 'turbo' | 'emulated'): Promise<string> {
  expect(r.status, r.log).toBe('success');
  expect(r.compiler).toBe(compiler);
  expect(r.attempts.at(-1)!.compiler).toBe(compiler);
  if (compiler === 'turbo') expect(r.toolchain).toBe(turbo!.fingerprint);
  const path = join(outDir, r.wheel!.filename);
  for (const p of parseWheelFilename(r.wheel!.filename).platformTags) expect(p).toBe('linux_s390x');
  const machines = await elfMachines(path);
  expect(Object.keys(machines).length).toBeGreaterThan(0);
  for (const [file, m] of Object.entries(machines)) expect(m, file).toBe(22);
  // The attempt's log says how it was compiled.
  const log = await readFile(join(outDir, r.attempts.at(-1)!.log!), 'utf8');
  expect(log).toMatch(compiler === 'turbo' ? /^\[refinery\] compiler: turbo \(/m : /^\[refinery\] compiler: emulated/m);
  return path;
}

describe('turbo environment', () => {
  it.runIf(CI || ready)('has the s390x image, QEMU binfmt and the turbo toolchain', () => {
    expect(problems).toEqual([]);
    expect(turbo!.rust, 'the toolchain carries Rust with the s390x std').toBeTruthy();
    expect(turbo!.uv, 'the toolchain carries the uv frontend').toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe.runIf(ready)('turbo and emulated builds of the same sdists', () => {
  const wheels: Record<string, string> = {};
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'refinery-turbo-e2e-'));
    const cache = join(root, '.cache', 'sdists');
    await mkdir(cache, { recursive: true });
    for (const [pkg, s] of Object.entries(SDISTS)) local[pkg] = (await fetchSdist(s, cache)).path;
  }, 300_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  for (const compiler of ['turbo', 'emulated'] as const) {
    it(`C: markupsafe 2.1.5 built ${compiler}`, async () => {
      const o = await options(`markupsafe-${compiler}`, { compiler, sdistFile: local.markupsafe! });
      const r = await buildUnit(unit('markupsafe', '2.1.5', SDISTS.markupsafe), o);
      wheels[`markupsafe-${compiler}`] = await expectS390xWheel(r, o.outDir, compiler);
    }, 900_000);
  }

  // The uv frontend: the toolchain's static x86_64 uv makes the isolated build env natively, for
  // turbo and for emulated compilers alike (an emulated session gets the mount, not the compilers).
  // Measured here: 9-15 s each on a loaded machine, plus the smoke test's fresh container.
  for (const compiler of ['turbo', 'emulated'] as const) {
    it(
      `C: markupsafe 2.1.5 built ${compiler} with the uv frontend (build isolation by uv, natively)`,
      async () => {
        const o = await options(`markupsafe-uv-${compiler}`, { compiler, sdistFile: local.markupsafe!, frontend: 'uv', isolation: true });
        const r = await buildUnit(unit('markupsafe', '2.1.5', SDISTS.markupsafe), o);
        await expectS390xWheel(r, o.outDir, compiler);
        expect(r.smoke?.imported).toContain('markupsafe._speedups');
        const log = await readFile(join(o.outDir, r.attempts.at(-1)!.log!), 'utf8');
        expect(log).toContain(`[refinery] frontend: uv ${turbo!.uv} (/opt/refinery/turbo/frontend/uv, native x86_64)`);
        expect(log).toMatch(/^\[refinery\] build: \/opt\/refinery\/turbo\/frontend\/uv build --wheel --no-sources --python \/usr\/bin\/python3 /m);
        // uv made the build env (setuptools from the index), the image's pip built nothing.
        expect(log).not.toMatch(/-m pip wheel/);
        // The compile: the turbo wrapper, or the image's own gcc.
        expect(log.includes('/opt/refinery/turbo/bin/cc -'), log.slice(-2000)).toBe(compiler === 'turbo');
      },
      3 * 60_000,
    );
  }

  // The seeded uv cache (uv-seed.ts): made once by a run of uv and compileall, copied per attempt.
  // Measured here: the seed 4-5 s, each build 10-20 s with its smoke test on a loaded machine.
  it(
    'uv seed: the first build makes it, the next starts from a copy; setuptools comes from it, and no build changes it',
    async () => {
      const seeds = join(work, 'uv-seeds');
      const logs: string[] = [];
      const works: string[] = [];
      let before: Awaited<ReturnType<typeof snapshot>> = {};
      for (const name of ['seed-1', 'seed-2']) {
        const root = join(work, `${name}-work`);
        await mkdir(root, { recursive: true });
        const o = await options(name, {
          compiler: 'turbo',
          sdistFile: local.markupsafe!,
          frontend: 'uv',
          isolation: true,
          uvSeedsDir: seeds,
          workRoot: root,
          keepWorkDir: true,
        });
        const r = await buildUnit(unit('markupsafe', '2.1.5', SDISTS.markupsafe), o);
        await expectS390xWheel(r, o.outDir, 'turbo');
        expect(r.smoke?.imported).toContain('markupsafe._speedups');
        logs.push(await readFile(join(o.outDir, r.attempts.at(-1)!.log!), 'utf8'));
        works.push(join(root, (await readdir(root))[0]!));
        if (name === 'seed-1') before = await snapshot(seeds);
      }
      expect(logs[0]).toMatch(
        /^\[refinery\] uv cache: seeded with (\S+==\S+, )*setuptools==\S+, (\S+==\S+, )*wheel==\S+ and their bytecode \(made now in \d+\.\d s, /m,
      );
      expect(logs[1]).toMatch(/^\[refinery\] uv cache: seeded with .* and their bytecode \(made 20\d\d-/m);
      // One seed, holding no index pages, build envs or index configuration.
      const [key, ...others] = await readdir(seeds);
      expect(others).toEqual([]);
      expect((await readdir(join(seeds, key!))).sort()).toEqual(expect.arrayContaining(['archive-v0', 'refinery-seed.json']));
      expect((await readdir(join(seeds, key!))).filter((e) => /^(simple-v|builds-v|uv\.toml)/.test(e))).toEqual([]);
      // The second build downloaded nothing: its cache holds exactly the seed's unpacked wheels,
      // setuptools' compiled bytecode among them.
      const seeded = (await readdir(join(seeds, key!, 'archive-v0'))).sort();
      expect((await readdir(join(works[1]!, 'uv-cache-1', 'archive-v0'))).sort()).toEqual(seeded);
      const pycs = (await readdir(join(seeds, key!, 'archive-v0'), { recursive: true })).filter((f) =>
        /setuptools\/__pycache__\/dist\.cpython-311\.pyc$/.test(f),
      );
      expect(pycs).toHaveLength(1);
      // Both builds wrote into their own copies only: every file of the seed as it was, and none
      // of them linked into a work folder.
      const after = await snapshot(seeds);
      expect(after).toEqual(before);
      expect(Object.values(after).every((f) => f.nlink === 1)).toBe(true);
      for (const w of works) await rm(w, { recursive: true, force: true });
    },
    6 * 60_000,
  );
  it('the uv frontend is another input than pip: the fingerprint names uv and its version', async () => {
    const u = unit('markupsafe', '2.1.5', SDISTS.markupsafe);
    const pip = await unitFingerprint(u, { executor, preset, compiler: 'turbo' }, SDISTS.markupsafe.sha256);
    const uv = await unitFingerprint(u, { executor, preset, compiler: 'turbo', frontend: 'uv' }, SDISTS.markupsafe.sha256);
    expect(uv).not.toBe(pip);
  });

  it('turbo and emulated are different inputs: their fingerprints differ, emulated is the pre-turbo fingerprint', async () => {
    const u = unit('markupsafe', '2.1.5', SDISTS.markupsafe);
    const t = await unitFingerprint(u, { executor, preset, compiler: 'turbo' }, SDISTS.markupsafe.sha256);
    const e = await unitFingerprint(u, { executor, preset, compiler: 'emulated' }, SDISTS.markupsafe.sha256);
    const noToolchain = await unitFingerprint(u, { executor: plain, preset }, SDISTS.markupsafe.sha256);
    expect(t).not.toBe(e);
    expect(e).toBe(noToolchain);
  });

  it("markupsafe's own test suite passes in the s390x container against both wheels", async () => {
    const tests = join(work, 'markupsafe-tests');
    await mkdir(tests, { recursive: true });
    await run('tar', ['-xzf', local.markupsafe!, '-C', tests, '--strip-components=1', 'MarkupSafe-2.1.5/tests']);
    // pytest once, into a folder both runs share (pure Python, from PyPI).
    await inContainer([`${tests}:/t`], ['python3', '-m', 'pip', 'install', '-q', '--target', '/t/pylib', 'pytest==8.3.3']);
    for (const c of ['turbo', 'emulated']) {
      const wheel = wheels[`markupsafe-${c}`]!;
      const out = await inContainer(
        [`${tests}:/t:ro`, `${wheel}:/w/${wheel.split('/').pop()}:ro`],
        [
          'sh',
          '-c',
          `python3 -m zipfile -e /w/*.whl /tmp/site && PYTHONPATH=/tmp/site:/t/pylib python3 -m pytest -q -p no:cacheprovider /t/tests && PYTHONPATH=/tmp/site python3 -c "import markupsafe._speedups as s, sys; print('speedups', s.__file__, sys.byteorder)"`,
        ],
      );
      expect(out, c).toMatch(/\d+ passed/);
      expect(out, c).not.toMatch(/failed/);
      expect(out, c).toMatch(/speedups \/tmp\/site\/markupsafe\/_speedups\.cpython-311-s390x-linux-gnu\.so big/);
    }
  }, 900_000);

  // Measured here: turbo 102 s; emulated 21 min (the first attempt fails without g++, 2.5 min; apt
  // installs g++ under QEMU, 4 min; the build 12 min; the smoke test). Times 3 for a shared machine.
  const UJSON_MS = { turbo: 3 * (0.5 + 1.5 + 0.5) * 60_000, emulated: 3 * (2.5 + 4 + 12 + 0.5) * 60_000 };
  for (const compiler of ['turbo', 'emulated'] as const) {
    it(
      `C++: ujson 5.10.0 built ${compiler}, imports and round-trips in a fresh container`,
      async () => {
        // setuptools_scm is a build requirement the image lacks: build isolation, from PyPI.
        const o = await options(`ujson-${compiler}`, { compiler, sdistFile: local.ujson!, isolation: true });
        const r = await buildUnit(unit('ujson', '5.10.0', SDISTS.ujson), o);
        const wheel = await expectS390xWheel(r, o.outDir, compiler);
        wheels[`ujson-${compiler}`] = wheel;
        const out = await inContainer(
          [`${wheel}:/w/${wheel.split('/').pop()}:ro`],
          [
            'sh',
            '-c',
            "python3 -m zipfile -e /w/*.whl /tmp/site && PYTHONPATH=/tmp/site python3 -c \"import ujson, sys; print(ujson.dumps({'pi': 3.14159, 'n': [1, 2]}), ujson.loads('[1.5e300]')[0], sys.byteorder)\"",
          ],
        );
        expect(out.trim()).toBe('{"pi":3.14159,"n":[1,2]} 1.5e+300 big');
      },
      UJSON_MS[compiler],
    );
  }

  it(
    "ujson's own test suite passes in the s390x container against both wheels",
    async () => {
      const tests = join(work, 'ujson-tests');
      await mkdir(tests, { recursive: true });
      await run('tar', ['-xzf', local.ujson!, '-C', tests, '--strip-components=1', 'ujson-5.10.0/tests']);
      await inContainer([`${tests}:/t`], ['python3', '-m', 'pip', 'install', '-q', '--target', '/t/pylib', 'pytest==8.3.3']);
      for (const c of ['turbo', 'emulated']) {
        const wheel = wheels[`ujson-${c}`]!;
        // The memory-leak tests start child interpreters (tests/memory.py): PYTHONPATH reaches them too.
        const out = await inContainer(
          [`${tests}:/t:ro`, `${wheel}:/w/${wheel.split('/').pop()}:ro`],
          [
            'sh',
            '-c',
            `python3 -m zipfile -e /w/*.whl /tmp/site && cd /tmp && PYTHONPATH=/tmp/site:/t/pylib python3 -m pytest -q -p no:cacheprovider /t/tests && PYTHONPATH=/tmp/site python3 -c "import ujson; print('ujson', ujson.__file__)"`,
          ],
        );
        expect(out, c).toMatch(/\d+ passed/);
        expect(out, c).not.toMatch(/\d+ (failed|errors?)\b/);
        expect(out, c).toMatch(/ujson \/tmp\/site\/ujson\.cpython-311-s390x-linux-gnu\.so/);
      }
      // pytest installed once (1 min), the suite under QEMU twice: 112 s in all when measured here,
      // but 12.5 min for one wheel on a heavier-loaded day (its memory-leak tests start interpreters).
    },
    (1 + 2 * 12.5) * 60_000,
  );

  // Turbo only: the emulated build of the same sdist (Debian's cargo 1.63 compiling ~45 crates
  // under QEMU, after installing cargo and rustc under QEMU, 20 min alone) is past what this test
  // may take here; bench:build measures it.
  // Time: no prepare (the crates are unpacked on the host, seconds); build isolation installs
  // maturin under QEMU (pip), host cargo compiles ~45 crates for s390x, the smoke test and the
  // import each start a fresh container: 1 + 1.5 + 1 + 0.5 min, 99 s in all when measured here.
  // Times 3 for a machine shared with other builds.
  const BLAKE3_TURBO_MS = 3 * (1 + 1.5 + 1 + 0.5) * 60_000;
  it(
    "Rust, real PyPI: blake3 0.3.3 (maturin, pyo3) built turbo offline from Debian's packaged crates",
    async () => {
      const crates = await blake3Crates(join(root, '.cache', 'crates-blake3'));
      const o = await options('blake3-turbo', {
        executor: new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch, ...(CA ? { caBundle: CA } : {}), turbo, crates }),
        compiler: 'turbo',
        sdistFile: local.blake3!,
        isolation: true,
        recipe: blake3Recipe('turbo'),
      });
      const r = await buildUnit(unit('blake3', '0.3.3', SDISTS.blake3), o);
      const wheel = await expectS390xWheel(r, o.outDir, 'turbo');
      const log = await readFile(join(o.outDir, r.attempts.at(-1)!.log!), 'utf8');
      expect(log).toContain(`[refinery] cargo: crates from ${CRATES_MOUNT} instead of crates.io (offline)`);
      // Nothing installed under QEMU: the attempt had no package step.
      expect(log).not.toMatch(/^\[refinery\] prepare: /m);
      // pyo3 and blake3 compiled, from the Debian registry (a crates.io download would have failed).
      expect(log).toMatch(/Compiling pyo3 v0\.17\.3/);
      expect(log).toMatch(/Compiling blake3 v1\./);
      // maturin took CPython 3.11 from the turbo pyo3 config (it sees a cross build) and named the
      // extension for the container's interpreter.
      expect(log).toMatch(/Found CPython 3\.11/);
      expect(log).toMatch(/Built wheel for CPython 3\.11 to .*blake3-0\.3\.3-cp311-cp311-linux_s390x\.whl/);
      expect(Object.keys(await elfMachines(wheel))).toEqual(['blake3/blake3.cpython-311-s390x-linux-gnu.so']);
      const out = await inContainer(
        [`${wheel}:/w/${wheel.split('/').pop()}:ro`],
        [
          'sh',
          '-c',
          'python3 -m zipfile -e /w/*.whl /tmp/site && PYTHONPATH=/tmp/site python3 -c "import blake3, sys; print(blake3.blake3(b\'abc\').hexdigest(), blake3.__version__, sys.byteorder)"',
        ],
      );
      expect(out.trim()).toBe(`${BLAKE3_ABC} 0.3.3 big`);
    },
    BLAKE3_TURBO_MS,
  );

  it('Rust: a setuptools-rust extension built turbo with host cargo for s390x-unknown-linux-gnu', async () => {
    const sdist = await rustSdist(join(work, 'rustdemo-0.1.tar.gz'));
    const o = await options('rustdemo-turbo', { compiler: 'turbo', sdistFile: sdist, isolation: true });
    const r = await buildUnit(unit('rustdemo', '0.1', { filename: 'rustdemo-0.1.tar.gz', url: sdist }), o);
    const wheel = await expectS390xWheel(r, o.outDir, 'turbo');
    const log = await readFile(join(o.outDir, r.attempts.at(-1)!.log!), 'utf8');
    expect(log).toMatch(/--target s390x-unknown-linux-gnu|target\/s390x-unknown-linux-gnu\/release/);
    const out = await inContainer(
      [`${wheel}:/w/${wheel.split('/').pop()}:ro`],
      ['sh', '-c', 'python3 -m zipfile -e /w/*.whl /tmp/site && PYTHONPATH=/tmp/site python3 -c "import rustdemo._native as n; print(n.byteorder())"'],
    );
    expect(out.trim()).toBe('big');
  }, 900_000);

  it('a build that breaks turbo (-march=native) is retried emulated in the same run, and the state remembers it for that version', async () => {
    const sdist = await marchNativeSdist(join(work, 'nativeprobe-0.1.tar.gz'));
    const o = await options('nativeprobe', { compiler: 'turbo', sdistFile: sdist });
    const u = unit('nativeprobe', '0.1', { filename: 'nativeprobe-0.1.tar.gz', url: sdist });
    const r = await buildUnit(u, o);
    expect(r.status, r.log).toBe('success');
    expect(r.attempts.map((a) => [a.status, a.compiler, a.failureClass, a.matchedHint])).toEqual([
      ['failure', 'turbo', 'turbo-incompatible', 'turbo-march-native'],
      ['success', 'emulated', undefined, undefined],
    ]);
    expect(r.attempts[1]!.hintsApplied).toContain('turbo-march-native');
    expect(r.compiler).toBe('emulated');
    await expectS390xWheel(r, o.outDir, 'emulated');

    const stateDir = join(work, 'state');
    await record(o.outDir, stateDir);
    const { loadState } = await import('../../src/domain/state/index.js');
    const deps = planDepsFromState(await loadState(stateDir), () => undefined, new Date());
    expect(deps.turboIncompatible!('nativeprobe', '0.1')).toMatch(/turbo compilers failed for 0\.1 \(hint turbo-march-native/);
    // Another version tries turbo again; the hint is not carried to it as a learned hint.
    expect(deps.turboIncompatible!('nativeprobe', '0.2')).toBeUndefined();
    expect(deps.learnedHints('nativeprobe')).toEqual([]);
    const pkg = (await loadState(stateDir)).packages.get('nativeprobe')!;
    expect(pkg.manifest[0]!.compiler).toBe('emulated');
    expect(pkg.history.map((h) => h.compiler)).toEqual(['turbo', 'emulated']);
  }, 900_000);
});

/**
 * npm run bench:build -- prints figures for the build engine (needs scripts/setup-s390x-env.sh):
 *  1. Harness overhead: MarkupSafe 2.1.5 built by the raw frontend command in a fresh container of
 *     the same image (docker run: extract + pip wheel) vs through buildUnit (fetch, safe extract,
 *     container start, arch check, build, copy-out, result), as a ratio (target <= 1.10). The
 *     refinery's smoke test is a feature, not overhead: reported, but left out of the ratio.
 *  2. Emulated vs host: the same build (pip wheel with build isolation) under QEMU vs on this
 *     machine's Python, build phase only, as a ratio for the record.
 *  3. Turbo: for a small C extension (MarkupSafe), a compile-heavier C/C++ one (ujson: its bundled
 *     double-conversion is C++) and a Rust one (a crafted setuptools-rust extension: crates.io is out
 *     of reach here), the same sdist built all under QEMU, turbo (host cross compilers in the
 *     emulated container, scripts/setup-turbo-toolchain.sh) and host-native, alternating, build
 *     phase compared (all with build isolation, as users build). "Emulated Python share" is (turbo - host) / turbo: what turbo still spends
 *     above native speed, i.e. in emulated pip, setuptools and the backend, the next thing to cut.
 *     BENCH_TURBO_ONLY=1 runs only this section; BENCH_TURBO=markupsafe,ujson,rust picks packages.
 * Runs alternate (BENCH_RUNS each, default 3). The ratios use the fastest run of each side: on a
 * shared machine the noise only ever adds time, so the minimum is the truest cost; medians are
 * printed next to them.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/adapters/process.js';
import { buildUnit, fetchSdist } from '../src/stages/builder/index.js';
import { homedir } from 'node:os';
import { ContainerExecutor, HostExecutor, loadTurboToolchain, type Executor } from '../src/domain/executors/index.js';
import { rustSdist } from '../test/fixtures/sdists/turbo.js';
import { loadHintCatalog } from '../src/domain/hints/index.js';
import { Preset } from '../src/domain/model/preset.js';
import type { PlanUnit } from '../src/domain/model/plan.js';

const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/refinery-docker.sock';
const IMAGE = process.env.REFINERY_IMAGE ?? 'refinery/debian-s390x:bookworm';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CA = process.env.PIP_CERT;
const root = join(import.meta.dirname, '..');
const SDIST = {
  filename: 'MarkupSafe-2.1.5.tar.gz',
  sha256: 'd283d37a890ba4c1ae73ffadf8046435c76e7bc2247bbb63c00bd1a709c6544b',
  url: 'https://files.pythonhosted.org/packages/87/5b/aae44c6655f3801e81aa3eef09dbbf012431987ba564d7231722f68df02d/MarkupSafe-2.1.5.tar.gz',
};
const preset = Preset.parse({ name: 'debian-local', image: IMAGE, packageManager: 'apt', python: { '3.11': '/usr/bin/python3' }, platform: 'linux' });
const unit: PlanUnit = {
  id: 'markupsafe-2.1.5-cp311-debian-local',
  package: 'markupsafe',
  version: '2.1.5',
  python: '3.11',
  buildPython: '3.11',
  targets: [],
  preset: preset.name,
  hints: [],
  runner: { kind: 'qemu', labels: ['local'] },
  runs_on: '"local"',
  wave: 0,
  needs: [],
  sdist: SDIST,
  estimatedSeconds: 0,
  reason: 'bench',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const min = (xs: number[]) => Math.min(...xs);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const container = new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch, ...(CA ? { caBundle: CA } : {}) });
  const problems = await container.check(preset);
  if (problems.length > 0) {
    console.error(`bench:build needs the s390x environment (scripts/setup-s390x-env.sh):\n${problems.map((p) => `  ${p.what} -> ${p.fix}`).join('\n')}`);
    process.exit(8);
  }
  const cache = join(root, '.cache', 'sdists');
  await mkdir(cache, { recursive: true });
  const sdist = (await fetchSdist(SDIST, cache)).path;
  const work = await mkdtemp(join(tmpdir(), 'refinery-bench-'));
  const catalog = await loadHintCatalog(join(root, 'seeds', 'hints.yml'));
  const viaRefinery = async (executor: Executor, isolation: boolean, env: Record<string, string> = {}) => {
    const out = await mkdtemp(join(work, 'out-'));
    const t0 = Date.now();
    const r = await buildUnit(unit, { executor, preset, catalog, outDir: out, workRoot: work, sdistFile: sdist, isolation, skipCheck: true, env });
    if (r.status !== 'success') throw new Error(`refinery build failed: see ${join(out, r.log)}`);
    return { wall: Date.now() - t0, build: r.phaseDurationsMs.build ?? 0, test: r.phaseDurationsMs.test ?? 0 };
  };
  // The raw command a person would type: one container, extract, pip wheel. No shell splicing: the
  // script is fixed and the file name is an argument.
  const raw = async () => {
    const t0 = Date.now();
    const r = await run(
      'docker',
      [
        'run',
        '--rm',
        '--network',
        'host',
        '-v',
        `${cache}:/in:ro`,
        '--',
        IMAGE,
        'sh',
        '-c',
        'mkdir /b && cd /b && tar xzf "/in/$1" && python3 -m pip wheel --no-deps --no-build-isolation -w /b/out ./MarkupSafe-2.1.5',
        'sh',
        SDIST.filename,
      ],
      { env: { DOCKER_HOST } },
    );
    if (r.exitCode !== 0) throw new Error(`raw build failed:\n${r.all}`);
    return Date.now() - t0;
  };

  try {
    if (process.env.BENCH_TURBO_ONLY !== '1') await classic();
    await turboSection();
  } finally {
    await rm(work, { recursive: true, force: true });
  }

  async function classic(): Promise<void> {
    console.log(`bench:build  MarkupSafe 2.1.5, image ${IMAGE}, ${RUNS} run(s) each`);
    const rawT: number[] = [];
    const refT: { wall: number; build: number; test: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      rawT.push(await raw());
      refT.push(await viaRefinery(container, false));
    }
    const noTest = refT.map((r) => r.wall - r.test);
    const ratio = min(noTest) / min(rawT);
    console.log(`                                      fastest   median`);
    console.log(`  raw frontend in a container         ${s(min(rawT))}    ${s(median(rawT))}`);
    console.log(`  refinery (without smoke test)       ${s(min(noTest))}    ${s(median(noTest))}`);
    console.log(
      `  refinery (with smoke test)          ${s(min(refT.map((r) => r.wall)))}    ${s(median(refT.map((r) => r.wall)))}   (smoke test ${s(median(refT.map((r) => r.test)))})`,
    );
    console.log(
      `  harness overhead ratio              ${ratio.toFixed(3)}  (target <= 1.10: ${ratio <= 1.1 ? 'ok' : 'OVER'}; medians: ${(median(noTest) / median(rawT)).toFixed(3)})`,
    );

    const host = new HostExecutor({ hostArch: process.arch, python: process.env.BENCH_HOST_PYTHON ?? join(root, '.cache', 'pytools', 'bin', 'python') });
    const pipEnv = { PIP_CONFIG_FILE: '/dev/null' };
    const emu: number[] = [];
    const nat: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      emu.push((await viaRefinery(container, true)).build);
      nat.push((await viaRefinery(host, true, pipEnv)).build);
    }
    console.log(`  build phase, s390x under QEMU       ${s(min(emu))}    ${s(median(emu))}   (pip wheel with build isolation)`);
    console.log(`  build phase, host ${process.arch.padEnd(17)} ${s(min(nat))}    ${s(median(nat))}`);
    console.log(`  emulated / host ratio               ${(min(emu) / min(nat)).toFixed(1)}x`);
  }

  async function turboSection(): Promise<void> {
    const turbo = await loadTurboToolchain(process.env.REFINERY_TURBO_DIR ?? join(homedir(), '.cache', 'refinery', 'turbo'));
    if (!turbo) {
      console.error('bench:build turbo section needs the turbo toolchain: scripts/setup-turbo-toolchain.sh');
      process.exit(8);
    }
    const turboPreset = { ...preset, turbo: true };
    const withTurbo = new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch, turbo, ...(CA ? { caBundle: CA } : {}) });
    const host = new HostExecutor({ hostArch: process.arch, python: process.env.BENCH_HOST_PYTHON ?? join(root, '.cache', 'pytools', 'bin', 'python') });
    const UJSON = {
      filename: 'ujson-5.10.0.tar.gz',
      sha256: 'b3cd8f3c5d8c7738257f1018880444f7b7d9b66232c64649f562d7ba86ad4bc1',
      url: 'https://files.pythonhosted.org/packages/f0/00/3110fd566786bfa542adb7932d62035e0c0ef662a8ff6544b6643b3d6fd7/ujson-5.10.0.tar.gz',
    };
    const rust = await rustSdist(join(work, 'rustdemo-0.1.tar.gz'));
    const pkgs = [
      { key: 'markupsafe', what: 'small C: MarkupSafe 2.1.5', sdist: SDIST, file: sdist, version: '2.1.5', hints: [] as string[] },
      { key: 'ujson', what: 'C/C++: ujson 5.10.0', sdist: UJSON, file: (await fetchSdist(UJSON, cache)).path, version: '5.10.0', hints: [] },
      // The image has no Rust: the emulated build installs Debian's cargo/rustc first (prepare, not counted).
      {
        key: 'rust',
        what: 'Rust: setuptools-rust extension',
        sdist: { filename: 'rustdemo-0.1.tar.gz', url: rust },
        file: rust,
        version: '0.1',
        hints: ['rust-toolchain'],
      },
    ].filter((p) => !process.env.BENCH_TURBO || process.env.BENCH_TURBO.split(',').includes(p.key));
    console.log(`\nbench:build turbo  toolchain ${turbo.fingerprint}, ${RUNS} run(s) each, build phase (fastest / median)`);
    for (const p of pkgs) {
      const u: PlanUnit = { ...unit, id: `${p.key}-${p.version}-cp311-debian-local`, package: p.key, version: p.version, sdist: p.sdist };
      const one = async (executor: Executor, compiler: 'turbo' | 'emulated', hints: string[], env: Record<string, string> = {}) => {
        const out = await mkdtemp(join(work, 'out-'));
        const r = await buildUnit(
          { ...u, hints },
          { executor, preset: turboPreset, catalog, outDir: out, workRoot: work, sdistFile: p.file, isolation: true, skipCheck: true, compiler, env },
        );
        if (r.status !== 'success') throw new Error(`${p.key} ${compiler} failed:\n${(await readFile(join(out, r.log), 'utf8')).slice(-3000)}`);
        if (executor !== host && r.compiler !== compiler) throw new Error(`${p.key}: asked for ${compiler}, built ${r.compiler}`);
        return r.phaseDurationsMs.build ?? 0;
      };
      const emu: number[] = [];
      const tur: number[] = [];
      const nat: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        emu.push(await one(withTurbo, 'emulated', p.hints));
        tur.push(await one(withTurbo, 'turbo', []));
        nat.push(await one(host, 'emulated', [], { PIP_CONFIG_FILE: '/dev/null' }));
      }
      const share = (min(tur) - min(nat)) / min(tur);
      console.log(`  ${p.what}`);
      console.log(
        `    pure QEMU ${s(min(emu))} / ${s(median(emu))}   turbo ${s(min(tur))} / ${s(median(tur))}   host-native ${s(min(nat))} / ${s(median(nat))}`,
      );
      console.log(
        `    turbo speedup over QEMU ${(min(emu) / min(tur)).toFixed(2)}x   QEMU / native ${(min(emu) / min(nat)).toFixed(1)}x   turbo / native ${(min(tur) / min(nat)).toFixed(1)}x   emulated Python share of turbo ${(share * 100).toFixed(0)}%`,
      );
    }
  }
}

await main();

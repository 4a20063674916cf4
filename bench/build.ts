/**
 * npm run bench:build -- prints figures for the build engine (needs scripts/setup-s390x-env.sh):
 *  1. Harness overhead: MarkupSafe 2.1.5 built by the raw frontend command in a fresh container of
 *     the same image (docker run: extract + pip wheel) vs through buildUnit (fetch, safe extract,
 *     container start, arch check, build, copy-out, result), as a ratio (target <= 1.10). The
 *     refinery's smoke test is a feature, not overhead: reported, but left out of the ratio.
 *  2. Emulated vs host: the same build (pip wheel with build isolation) under QEMU vs on this
 *     machine's Python, build phase only, as a ratio for the record.
 *  3. Turbo: for a small C extension (MarkupSafe), a compile-heavier C/C++ one (ujson: its bundled
 *     double-conversion is C++) and a Rust one (blake3 0.3.3, maturin + pyo3, ~45 crates from
 *     Debian's packages unpacked on the host: crates.io is out of reach here; `rust` is a crafted
 *     setuptools-rust extension without crates), the same sdist built all under QEMU, turbo (host cross compilers in the
 *     emulated container, scripts/setup-turbo-toolchain.sh) and host-native, alternating, build
 *     phase compared (all with build isolation, as users build). "Emulated Python share" is (turbo - host) / turbo: what turbo still spends
 *     above native speed, i.e. in emulated pip, setuptools and the backend, the next thing to cut.
 *     For MarkupSafe (whose backend the image has) turbo also runs without build isolation: the
 *     difference is what pip's isolated build env (venv, setuptools, wheel, under QEMU) costs.
 *     Every package is also built turbo with pip's defaults (byte-compiling the isolated env, the
 *     version check), before and after the refinery's light pip settings, same run, and turbo with
 *     the uv frontend (the toolchain's static x86_64 uv makes the isolated build env natively),
 *     from the seeded uv cache builds use (uv-seed.ts: made once before the runs, its time printed
 *     and not counted) and from an empty one.
 *     Each speedup is checked against issue 13's target (small C >= 2x, C/C++ >= 3x, Rust >= 10x);
 *     ujson is a moderate C/C++ build (a few C files and double-conversion); lxml 6.1.3 (20 MB of
 *     generated C, etree.c alone 12.8 MB; libxml2/libxslt headers installed in prepare, the host needs
 *     libxml2-dev and libxslt1-dev) is the compile-heavy one.
 *     cffi 1.17.1 (issue 13's manual trial was cffi) is a second small C extension with more C.
 *     BENCH_TURBO_ONLY=1 runs only this section; BENCH_TURBO=markupsafe,cffi,ujson,blake3,lxml,rust
 *     picks packages (default: markupsafe,ujson,blake3).
 * Runs alternate (BENCH_RUNS each, default 3). The ratios use the fastest run of each side: on a
 * shared machine the noise only ever adds time, so the minimum is the truest cost; medians are
 * printed next to them.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/adapters/process.js';
import { buildUnit, fetchSdist } from '../src/stages/builder/index.js';
import { ensureUvSeed } from '../src/stages/builder/uv-seed.js';
import { homedir } from 'node:os';
import { ContainerExecutor, HostExecutor, loadTurboToolchain, type Executor } from '../src/domain/executors/index.js';
import { rustSdist } from '../test/fixtures/sdists/turbo.js';
import { BLAKE3, blake3Crates, blake3Recipe } from '../test/fixtures/rust-offline.js';
import { parseRecipe, type Recipe } from '../src/domain/recipes/load.js';
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
    const uvVersion = turbo.uv;
    const host = new HostExecutor({ hostArch: process.arch, python: process.env.BENCH_HOST_PYTHON ?? join(root, '.cache', 'pytools', 'bin', 'python') });
    const UJSON = {
      filename: 'ujson-5.10.0.tar.gz',
      sha256: 'b3cd8f3c5d8c7738257f1018880444f7b7d9b66232c64649f562d7ba86ad4bc1',
      url: 'https://files.pythonhosted.org/packages/f0/00/3110fd566786bfa542adb7932d62035e0c0ef662a8ff6544b6643b3d6fd7/ujson-5.10.0.tar.gz',
    };
    const CFFI = {
      filename: 'cffi-1.17.1.tar.gz',
      sha256: '1c39c6016c32bc48dd54561950ebd6836e1670f2ae46128f67cf49e789c52824',
      url: 'https://files.pythonhosted.org/packages/fc/97/c783634659c2920c3fc70419e3af40972dbaf758daa229a7d6ea6135c90d/cffi-1.17.1.tar.gz',
    };
    const LXML = {
      filename: 'lxml-6.1.3.tar.gz',
      sha256: '45222d94ddd511536f3b2f7d9deae3b2339b4ce0f075f1ca25703b07cad9dd21',
      url: 'https://files.pythonhosted.org/packages/23/ad/28ecd7cb894d172f3c9c80a075eeeb2017ac62e3632cee05a5f9493547eb/lxml-6.1.3.tar.gz',
    };
    const rust = await rustSdist(join(work, 'rustdemo-0.1.tar.gz'));
    // blake3's crates: unpacked on the host, read by the container at /opt/refinery/crates and by
    // the host build in place.
    const crates = await blake3Crates(join(root, '.cache', 'crates-blake3'));
    const withTurbo = new ContainerExecutor({ host: DOCKER_HOST, network: 'host', hostArch: process.arch, turbo, crates, ...(CA ? { caBundle: CA } : {}) });
    type Pkg = {
      key: string;
      what: string;
      sdist: PlanUnit['sdist'];
      file: string;
      version: string;
      /** Hints for the emulated build only (what turbo brings itself: g++, Rust). */
      hints: string[];
      /** Hints every container build needs (headers of system libraries), installed in prepare. */
      systemHints?: string[];
      recipe?: (c: 'turbo' | 'emulated' | 'native') => Recipe;
      /** The image has the backend (setuptools): turbo without build isolation says what pip's isolated env costs. */
      imageHasBackend?: boolean;
      /** Issue 13's speedup target over pure QEMU for this kind of package. */
      target: number;
    };
    const all: Pkg[] = [
      {
        key: 'markupsafe',
        what: 'small C: MarkupSafe 2.1.5',
        sdist: SDIST,
        file: sdist,
        version: '2.1.5',
        hints: [] as string[],
        imageHasBackend: true,
        target: 2,
      },
      // A small C extension with more C than MarkupSafe's one file (issue 13's own manual trial was
      // cffi 1.15.1); libffi's headers come from the libffi hint in every container leg.
      {
        key: 'cffi',
        what: 'small C: cffi 1.17.1 (_cffi_backend, libffi)',
        sdist: CFFI,
        file: (await fetchSdist(CFFI, cache)).path,
        version: '1.17.1',
        hints: [],
        systemHints: ['libffi'],
        target: 2,
      },
      // The image has gcc, not g++: the emulated build installs it first (prepare, not counted).
      {
        key: 'ujson',
        what: 'C/C++: ujson 5.10.0',
        sdist: UJSON,
        file: (await fetchSdist(UJSON, cache)).path,
        version: '5.10.0',
        hints: ['cxx-compiler'],
        target: 3,
      },
      // The image has no Rust: the emulated build installs Debian's cargo/rustc first (prepare, not counted).
      {
        key: 'blake3',
        what: 'Rust: blake3 0.3.3 (maturin, pyo3, ~45 crates)',
        sdist: BLAKE3,
        file: (await fetchSdist(BLAKE3, cache)).path,
        version: '0.3.3',
        hints: [],
        target: 10,
        recipe: (c) => (c === 'native' ? parseRecipe(`name: blake3\nremedy:\n  any: { cargoRegistry: ${crates} }\n`, 'bench/build.ts') : blake3Recipe(c)),
      },
      // Compile-heavy: 20 MB of Cython-generated C (etree.c 12.8 MB), compiled as shipped.
      {
        key: 'lxml',
        what: 'compile-heavy C: lxml 6.1.3',
        sdist: LXML,
        file: (await fetchSdist(LXML, cache)).path,
        version: '6.1.3',
        hints: [],
        systemHints: ['libxml2-libxslt'],
        target: 3,
      },
      {
        key: 'rust',
        what: 'Rust: setuptools-rust extension (crafted, no crates)',
        sdist: { filename: 'rustdemo-0.1.tar.gz', url: rust },
        file: rust,
        version: '0.1',
        hints: ['rust-toolchain'],
        target: 10,
      },
    ];
    // Host-native Rust with the rustc turbo lends the container (Debian's rustc-web, /usr/bin), not
    // a rustup toolchain that may come first on PATH: a newer rustc compiles faster.
    const SAME_RUST = { PATH: `/usr/bin:${process.env.PATH ?? ''}` };
    // BENCH_EMULATED_LIMIT_MIN: stop a pure QEMU build phase there; the ratio is then a lower bound.
    const EMU_LIMIT = Number(process.env.BENCH_EMULATED_LIMIT_MIN ?? 180) * 60_000;
    const bounded = new Set<string>();
    const picked = (process.env.BENCH_TURBO ?? 'markupsafe,ujson,blake3').split(',');
    // In the order asked for (a time-boxed run measures the first ones).
    const pkgs = picked.map((k) => all.find((p) => p.key === k)).filter((p): p is Pkg => p !== undefined);
    // A fresh seed folder per bench run: the first uv build makes the seed (timed apart, below).
    const seeds = join(work, 'uv-seeds');
    const uvProgram = withTurbo.uv();
    const seed = uvProgram
      ? await ensureUvSeed(
          {
            executor: withTurbo,
            preset: turboPreset,
            python: '/usr/bin/python3',
            uv: uvProgram,
            seedsDir: seeds,
            identity: (await withTurbo.identity(turboPreset)).fingerprint,
            env: {},
          },
          (line) => console.log(line),
        )
      : undefined;
    if (seed)
      console.log(`uv seed (${seed.manifest.packages.join(', ')}) made in ${s(seed.ms)}: once per image, index configuration and day, not counted below`);
    console.log(`\nbench:build turbo  toolchain ${turbo.fingerprint}, ${RUNS} run(s) each, build phase (fastest / median)`);
    for (const p of pkgs) {
      const u: PlanUnit = { ...unit, id: `${p.key}-${p.version}-cp311-debian-local`, package: p.key, version: p.version, sdist: p.sdist };
      const one = async (
        executor: Executor,
        compiler: 'turbo' | 'emulated',
        hints: string[],
        env: Record<string, string> = {},
        isolation = true,
        frontend: 'pip' | 'uv' = 'pip',
        uvSeedsDir?: string,
      ) => {
        const out = await mkdtemp(join(work, 'out-'));
        const recipe = p.recipe?.(executor === host ? 'native' : compiler);
        const r = await buildUnit(
          { ...u, hints },
          {
            executor,
            preset: turboPreset,
            catalog,
            outDir: out,
            workRoot: work,
            sdistFile: p.file,
            isolation,
            skipCheck: true,
            compiler,
            frontend,
            ...(uvSeedsDir ? { uvSeedsDir } : {}),
            env,
            ...(recipe ? { recipe } : {}),
            // An emulated Rust prepare (apt installing cargo and rustc under QEMU) takes over 20 min here.
            timeouts: { prepare: 90 * 60_000, build: compiler === 'emulated' && executor !== host ? EMU_LIMIT : 3 * 3600_000 },
            unitTimeoutMs: 5 * 3600_000,
            maxAttempts: compiler === 'emulated' && executor !== host && EMU_LIMIT < 3 * 3600_000 ? 1 : 4,
          },
        );
        // A time-boxed emulated build killed in its build phase: its time is a lower bound.
        const last = r.attempts.at(-1);
        if (r.status !== 'success' && last?.killed && last.phase === 'build') {
          bounded.add(p.key);
          return r.phaseDurationsMs.build ?? EMU_LIMIT;
        }
        if (r.status !== 'success') throw new Error(`${p.key} ${compiler} failed:\n${(await readFile(join(out, r.log), 'utf8')).slice(-3000)}`);
        if (executor !== host && r.compiler !== compiler) throw new Error(`${p.key}: asked for ${compiler}, built ${r.compiler}`);
        return r.phaseDurationsMs.build ?? 0;
      };
      const emu: number[] = [];
      const tur: number[] = [];
      const nat: number[] = [];
      const noIso: number[] = [];
      const pipDefaults: number[] = [];
      const withUv: number[] = [];
      const uvUnseeded: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        // The short ones first: a setup problem shows before the long emulated build.
        nat.push(await one(host, 'emulated', [], { PIP_CONFIG_FILE: '/dev/null', ...(p.key === 'blake3' ? SAME_RUST : {}) }));
        const sys = p.systemHints ?? [];
        tur.push(await one(withTurbo, 'turbo', sys));
        if (p.imageHasBackend) noIso.push(await one(withTurbo, 'turbo', sys, {}, false));
        // Before the refinery's light pip settings (lightPipEnv): pip byte-compiles the isolated env and checks its version.
        pipDefaults.push(await one(withTurbo, 'turbo', sys, { PIP_NO_COMPILE: '1', PIP_DISABLE_PIP_VERSION_CHECK: '0' }));
        // The toolchain's native uv as the frontend: the isolated build env made at host speed.
        if (uvVersion) {
          // As users build: from a seeded uv cache (setuptools, wheel and their bytecode, made
          // once per image and day, uv-seed.ts), and for comparison from an empty one.
          withUv.push(await one(withTurbo, 'turbo', sys, {}, true, 'uv', seeds));
          uvUnseeded.push(await one(withTurbo, 'turbo', sys, {}, true, 'uv'));
        }
        console.log(`    (${p.key}: host-native ${s(nat.at(-1)!)}, turbo ${s(tur.at(-1)!)}; pure QEMU next)`);
        emu.push(await one(withTurbo, 'emulated', [...sys, ...p.hints]));
      }
      const share = (min(tur) - min(nat)) / min(tur);
      const speedup = min(emu) / min(tur);
      console.log(`  ${p.what}`);
      const gt = bounded.has(p.key) ? '>' : '';
      console.log(
        `    pure QEMU ${gt}${s(min(emu))} / ${s(median(emu))}${gt ? ' (stopped at BENCH_EMULATED_LIMIT_MIN)' : ''}   turbo ${s(min(tur))} / ${s(median(tur))}   host-native ${s(min(nat))} / ${s(median(nat))}`,
      );
      console.log(
        `    turbo speedup over QEMU ${gt}${speedup.toFixed(2)}x (target >= ${p.target}x: ${speedup >= p.target ? 'ok' : gt ? 'not shown: QEMU stopped early' : 'MISSED'})   QEMU / native ${gt}${(min(emu) / min(nat)).toFixed(1)}x   turbo / native ${(min(tur) / min(nat)).toFixed(1)}x   emulated Python share of turbo ${(share * 100).toFixed(0)}%`,
      );
      console.log(
        `    turbo with pip's defaults ${s(min(pipDefaults))} / ${s(median(pipDefaults))}: the light pip settings save ${(((min(pipDefaults) - min(tur)) / min(pipDefaults)) * 100).toFixed(0)}% of it`,
      );
      if (withUv.length > 0) {
        const uvSpeedup = min(emu) / min(withUv);
        console.log(
          `    turbo with the uv frontend (uv ${uvVersion}, native) ${s(min(withUv))} / ${s(median(withUv))}: speedup over QEMU ${gt}${uvSpeedup.toFixed(2)}x (target >= ${p.target}x: ${uvSpeedup >= p.target ? 'ok' : gt ? 'not shown: QEMU stopped early' : 'MISSED'})   emulated Python share ${(((min(withUv) - min(nat)) / min(withUv)) * 100).toFixed(0)}%`,
        );
        console.log(
          `    (uv from an empty cache ${s(min(uvUnseeded))} / ${s(median(uvUnseeded))}: the seed saves ${(((min(uvUnseeded) - min(withUv)) / min(uvUnseeded)) * 100).toFixed(0)}% of it; speedup over QEMU without it ${gt}${(min(emu) / min(uvUnseeded)).toFixed(2)}x)`,
        );
      } else console.log('    turbo with the uv frontend: not measured (the toolchain has no frontend/uv)');
      if (noIso.length > 0) {
        // What pip's isolated build env (a venv, setuptools and wheel installed under QEMU) costs.
        console.log(
          `    turbo without build isolation ${s(min(noIso))} / ${s(median(noIso))}: the isolated build env is ${(((min(tur) - min(noIso)) / min(tur)) * 100).toFixed(0)}% of turbo time; speedup over QEMU then ${gt}${(min(emu) / min(noIso)).toFixed(2)}x`,
        );
      }
    }
  }
}

await main();

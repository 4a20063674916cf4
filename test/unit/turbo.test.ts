import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/domain/config/index.js';
import { RefineryError } from '../../src/errors.js';
import { ContainerExecutor, loadTurboToolchain, turboEnv, turboMountArgs } from '../../src/domain/executors/index.js';
import { combineRemedies } from '../../src/domain/hints/remedy.js';
import { loadHintCatalog, matchLog } from '../../src/domain/hints/index.js';
import type { Inventory, InventoryEntry } from '../../src/domain/model/inventory.js';
import { Preset } from '../../src/domain/model/preset.js';
import { plan, type PlanDeps } from '../../src/stages/plan/index.js';
import { loadPresets } from '../../src/domain/presets/index.js';
import { TURBO_MANIFEST, turboFolder } from '../helpers/turbo-folder.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refinery-turbo-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A toolchain folder with stub wrappers in bin/. */
const toolchain = (name: string, manifest: unknown, wrappers = ['cc', 'c++', 'ld']) =>
  turboFolder(
    dir,
    name,
    manifest,
    wrappers.map((w) => `bin/${w}`),
  );
const good = TURBO_MANIFEST;

describe('turbo toolchain folder', () => {
  it('no turbo.json: no toolchain (builds go emulated), not an error', async () => {
    expect(await loadTurboToolchain(join(dir, 'nothing-here'))).toBeUndefined();
  });

  it('reads the manifest; the fingerprint names the exact compiler package', async () => {
    const t = await loadTurboToolchain(await toolchain('ok', good));
    expect(t).toEqual({ dir: join(dir, 'ok'), mountPoint: '/opt/refinery/turbo', gcc: '12.2.0', fingerprint: 'gcc 12.2.0-14cross1' });
    expect(turboMountArgs(t!)).toEqual(['--mount', `type=bind,source=${join(dir, 'ok')},target=/opt/refinery/turbo,readonly`]);
  });

  it('a broken or hostile manifest is one clear environment error, never a silent emulated build', async () => {
    for (const [name, manifest, field] of [
      ['notjson', '{nope', undefined],
      ['badmount', { ...good, mountPoint: '/opt/x:/etc:rw' }, 'mountPoint'],
      ['relmount', { ...good, mountPoint: 'opt/turbo' }, 'mountPoint'],
      ['target', { ...good, target: 'x86_64-linux-gnu' }, 'target'],
    ] as const) {
      const e = await loadTurboToolchain(await toolchain(name, manifest)).catch((x: unknown) => x);
      expect(e, name).toBeInstanceOf(RefineryError);
      expect((e as RefineryError).code).toBe('environment');
      expect((e as RefineryError).fix).toMatch(/setup-turbo-toolchain\.sh/);
      if (field) expect((e as RefineryError).location.field).toBe(field);
    }
    const missing = await loadTurboToolchain(await toolchain('nocargo', { ...good, rust: '1.85.0' })).catch((x: unknown) => x);
    expect((missing as RefineryError).message).toMatch(/has no bin\/cargo/);
  });

  it('sets what setuptools, meson, CMake and cargo read; Rust only when the folder has it', async () => {
    const c = await loadTurboToolchain(await toolchain('c-only', good));
    const env = turboEnv(c!);
    expect(env).toMatchObject({
      CC: '/opt/refinery/turbo/bin/cc',
      CXX: '/opt/refinery/turbo/bin/c++',
      LDSHARED: '/opt/refinery/turbo/bin/cc -shared',
      LDCXXSHARED: '/opt/refinery/turbo/bin/c++ -shared',
      AR: '/opt/refinery/turbo/bin/ar',
    });
    expect(env.CARGO_BUILD_TARGET).toBeUndefined();
    expect(env.PATH).toBe('/opt/refinery/turbo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(turboEnv(c!, '/opt/python/bin:/usr/bin').PATH).toBe('/opt/refinery/turbo/bin:/opt/python/bin:/usr/bin');
    const r = await loadTurboToolchain(await toolchain('rust', { ...good, rust: '1.85.0+dfsg3-1~deb12u3' }, ['cc', 'c++', 'ld', 'cargo', 'rustc']));
    expect(r!.fingerprint).toBe('gcc 12.2.0-14cross1, rust 1.85.0+dfsg3-1~deb12u3');
    expect(turboEnv(r!)).toMatchObject({
      CARGO_BUILD_TARGET: 's390x-unknown-linux-gnu',
      CARGO_TARGET_S390X_UNKNOWN_LINUX_GNU_LINKER: '/opt/refinery/turbo/bin/cc',
      CARGO: '/opt/refinery/turbo/bin/cargo',
    });
  });

  it('the container executor offers turbo only for presets that allow it, on x86_64', async () => {
    const t = (await loadTurboToolchain(await toolchain('exec', good)))!;
    const preset = (turbo: boolean) =>
      Preset.parse({ name: 'p', image: 'i', packageManager: 'apt', python: { '3.11': '/usr/bin/python3' }, platform: 'linux', turbo });
    expect(new ContainerExecutor({ hostArch: 'x64', turbo: t }).turbo(preset(true))).toBe(t);
    expect(new ContainerExecutor({ hostArch: 'x64', turbo: t }).turbo(preset(false))).toBeUndefined();
    expect(new ContainerExecutor({ hostArch: 's390x', turbo: t }).turbo(preset(true))).toBeUndefined();
    expect(new ContainerExecutor({ hostArch: 'x64' }).turbo(preset(true))).toBeUndefined();
  });

  it('shipped presets: turbo only where the cross gcc matches the image (Debian/Ubuntu), documented compilers everywhere', async () => {
    const presets = await loadPresets(join(import.meta.dirname, '..', '..', 'seeds', 'presets.yml'));
    const turbo = [...presets.values()]
      .filter((p) => p.turbo)
      .map((p) => p.name)
      .sort();
    expect(turbo).toEqual(['debian-12', 'debian-local', 'ubuntu-24.04']);
    expect(presets.get('manylinux_2_28')!.compilers!.cc).toMatch(/^\/opt\/rh\/gcc-toolset-\d+\/root\/usr\/bin\/gcc$/);
  });
});

describe('turbo-incompatible hints', () => {
  it('match only turbo attempts, beat the x86 flag hint, and turn turbo off', async () => {
    const catalog = await loadHintCatalog(join(import.meta.dirname, '..', '..', 'seeds', 'hints.yml'));
    const failure = "[refinery] build: python3 -m pip wheel\ncc1: error: unrecognized argument in option '-march=native'\n";
    const turbo = matchLog(catalog, `[refinery] compiler: turbo (gcc 12)\n${failure}`, 'build');
    expect(turbo[0]).toMatchObject({ hint: 'turbo-march-native', class: 'turbo-incompatible' });
    expect(matchLog(catalog, `[refinery] compiler: emulated\n${failure}`, 'build').map((m) => m.hint)).not.toContain('turbo-march-native');
    const pyo3 = matchLog(
      catalog,
      '[refinery] compiler: turbo (x)\nerror: failed to run custom build command for `pyo3-build-config`\n  PYO3_CROSS_LIB_DIR is not set',
      'build',
    );
    expect(pyo3[0]).toMatchObject({ hint: 'turbo-cross-detected', class: 'turbo-incompatible' });
    const hint = catalog.hints.find((h) => h.id === 'turbo-march-native')!;
    expect(combineRemedies([hint], 'apt').compiler).toBe('emulated');
    expect(combineRemedies([hint], 'none').compiler).toBe('emulated');
  });
});

describe('plan: the compiler of each unit', () => {
  const entry = (name: string, version: string): InventoryEntry => ({
    name,
    version,
    python: '3.12',
    target: 'cp312-manylinux_2_28_s390x',
    status: 'needs-build',
    reason: 'x',
    sdist: {
      filename: `${name}-${version}.tar.gz`,
      url: `http://127.0.0.1/${name}-${version}.tar.gz`,
      sha256: 'a'.repeat(64),
      size: 1000,
      yanked: false,
      metadata: false,
      index: 'http://127.0.0.1/simple',
    },
    depth: 0,
    requiredBy: [],
    abi: 'cpython',
  });
  const inventory = (packages: InventoryEntry[]): Inventory => ({
    schema: 'refinery/inventory@1',
    generatedAt: '2026-01-01T00:00:00Z',
    targets: [],
    packages,
    cut: [],
    summary: {},
  });
  const deps: PlanDeps = {
    recipe: () => undefined,
    learnedHints: () => [],
    turboIncompatible: (name, version) =>
      name === 'probe' && version === '1.0' ? 'turbo compilers failed for 1.0 (hint turbo-march-native, run abc)' : undefined,
    lastFailure: () => undefined,
    queued: () => undefined,
    durationEstimate: () => undefined,
    presetSuccession: [],
    now: new Date('2026-11-27T00:00:00Z'),
  };

  it('turbo by default; emulated for a version whose turbo build was turbo-incompatible, with the reason; the next version tries turbo', () => {
    const p = plan(inventory([entry('six', '1.0'), entry('probe', '1.0'), entry('probe', '1.1')]), parseConfig('', 'refinery.yml'), deps);
    const by = Object.fromEntries(p.matrix.include.map((u) => [`${u.package}==${u.version}`, u]));
    expect(by['six==1.0']!.compiler).toBe('turbo');
    expect(by['probe==1.0']!.compiler).toBe('emulated');
    expect(by['probe==1.0']!.reason).toMatch(/turbo compilers failed for 1\.0/);
    expect(by['probe==1.1']!.compiler).toBe('turbo');
  });

  it('compiler: emulated in refinery.yml makes every unit emulated', () => {
    const p = plan(inventory([entry('six', '1.0')]), parseConfig('compiler: emulated\n', 'refinery.yml'), deps);
    expect(p.matrix.include[0]!.compiler).toBe('emulated');
  });

  it('refinery.yml refuses an unknown compiler with the field named', () => {
    const e = (() => {
      try {
        parseConfig('compiler: fast\n', 'refinery.yml');
      } catch (x) {
        return x as RefineryError;
      }
    })();
    expect(e).toBeInstanceOf(RefineryError);
    expect(e!.location.field).toBe('compiler');
  });
});

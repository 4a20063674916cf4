import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/domain/config/index.js';
import type { Inventory, InventoryEntry } from '../../src/domain/model/inventory.js';
import { Plan, PlanUnit } from '../../src/domain/model/plan.js';
import { plan, type PlanDeps } from '../../src/stages/plan/index.js';
import { shard } from '../../src/stages/plan/shards.js';
import { noHistory as noHistoryDeps } from '../helpers/units.js';

const sdist = (name: string, version: string, size = 500_000) => ({
  filename: `${name}-${version}.tar.gz`,
  url: `http://127.0.0.1/${name}-${version}.tar.gz`,
  sha256: 'a'.repeat(64),
  size,
  yanked: false as const,
  metadata: false as const,
  index: 'http://127.0.0.1/simple',
});

function entry(name: string, version: string, python: string, extra: Partial<InventoryEntry> = {}): InventoryEntry {
  return {
    name,
    version,
    python,
    target: `cp${python.replace('.', '')}-manylinux_2_28_s390x`,
    status: 'needs-build',
    reason: 'x',
    sdist: sdist(name, version),
    depth: 0,
    requiredBy: [],
    buildRequires: ['setuptools>=61'],
    abi: 'cpython',
    ...extra,
  };
}

function inventory(packages: InventoryEntry[]): Inventory {
  return { schema: 'refinery/inventory@1', generatedAt: '2026-01-01T00:00:00Z', targets: [], packages, cut: [], summary: {} };
}

const noHistory: PlanDeps = noHistoryDeps({ presetSuccession: ['manylinux2014', 'manylinux_2_28', 'manylinux_2_34'], now: new Date('2026-11-27T00:00:00Z') });
const config = parseConfig('targets:\n  python: ["3.11", "3.12"]\n', 'refinery.yml');

describe('plan units and variants', () => {
  it('one unit per Python for a CPython-specific package, one for all Pythons when abi3', () => {
    const p = plan(
      inventory([
        entry('lxml', '5.3.0', '3.11'),
        entry('lxml', '5.3.0', '3.12'),
        entry('cryptography', '44.0.0', '3.11', { abi: 'abi3' }),
        entry('cryptography', '44.0.0', '3.12', { abi: 'abi3' }),
      ]),
      config,
      noHistory,
    );
    const ids = p.matrix.include.map((u) => u.id).sort();
    expect(ids).toEqual(['cryptography-44.0.0-abi3-manylinux_2_28', 'lxml-5.3.0-cp311-manylinux_2_28', 'lxml-5.3.0-cp312-manylinux_2_28']);
    const crypto = p.matrix.include.find((u) => u.package === 'cryptography')!;
    expect(crypto.buildPython).toBe('3.11');
    expect(crypto.targets).toEqual(['cp311-manylinux_2_28_s390x', 'cp312-manylinux_2_28_s390x']);
    for (const u of p.matrix.include) expect(() => PlanUnit.parse(u)).not.toThrow();
    expect(() => Plan.parse(p)).not.toThrow();
  });

  it('one py3 unit for all Pythons when earlier builds of the package came out pure, and units that build-require it wait for it', () => {
    const p = plan(
      inventory([
        entry('docopt', '0.6.2', '3.11', { abi: 'none' }),
        entry('docopt', '0.6.2', '3.12', { abi: 'none' }),
        entry('lxml', '5.3.0', '3.12', { buildRequires: ['docopt'] }),
      ]),
      config,
      noHistory,
    );
    const docopt = p.matrix.include.filter((u) => u.package === 'docopt');
    expect(docopt).toHaveLength(1);
    expect(docopt[0]).toMatchObject({ id: 'docopt-0.6.2-py3-manylinux_2_28', python: 'py3', buildPython: '3.11', wave: 0 });
    expect(docopt[0]!.targets).toEqual(['cp311-manylinux_2_28_s390x', 'cp312-manylinux_2_28_s390x']);
    const lxml = p.matrix.include.find((u) => u.package === 'lxml')!;
    expect(lxml).toMatchObject({ needs: ['docopt-0.6.2-py3-manylinux_2_28'], wave: 1 });
  });

  it('ignores packages that need nothing built', () => {
    const p = plan(inventory([entry('six', '1.16.0', '3.12', { status: 'upstream-wheel', sdist: undefined })]), config, noHistory);
    expect(p.matrix.include).toEqual([]);
    expect(p.waves).toBe(0);
  });

  it('assigns the native runner when labels are configured, QEMU otherwise', () => {
    const native = parseConfig('runners:\n  native: [ubuntu-24.04-s390x]\n', 'refinery.yml');
    const a = plan(inventory([entry('lxml', '5.3.0', '3.12')]), native, noHistory).matrix.include[0]!;
    expect(a.runner).toEqual({ kind: 'native', labels: ['ubuntu-24.04-s390x'] });
    expect(JSON.parse(a.runs_on)).toBe('ubuntu-24.04-s390x');
    const b = plan(inventory([entry('lxml', '5.3.0', '3.12')]), config, noHistory).matrix.include[0]!;
    expect(b.runner.kind).toBe('qemu');
    expect(b.estimatedSeconds).toBeGreaterThan(a.estimatedSeconds);
  });
});

describe('dependency waves', () => {
  it('a unit whose build requirements the refinery builds comes after them', () => {
    const p = plan(
      inventory([
        entry('cffi', '1.17.1', '3.12'),
        entry('cryptography', '44.0.0', '3.12', { buildRequires: ['cffi>=1.12; platform_python_implementation != "PyPy"', 'setuptools'] }),
        entry('pycparser', '2.22', '3.12'),
        entry('thing', '1.0', '3.12', { buildRequires: ['cryptography'] }),
      ]),
      config,
      noHistory,
    );
    const wave = Object.fromEntries(p.matrix.include.map((u) => [u.package, u.wave]));
    expect(wave).toEqual({ cffi: 0, pycparser: 0, cryptography: 1, thing: 2 });
    expect(p.waves).toBe(3);
    expect(p.matrix.include.find((u) => u.package === 'cryptography')!.needs).toEqual(['cffi-1.17.1-cp312-manylinux_2_28']);
    // matrix order is wave order
    expect(p.matrix.include.map((u) => u.wave)).toEqual([0, 0, 1, 2]);
  });

  it('breaks a build-requirement cycle and says so', () => {
    const p = plan(inventory([entry('a', '1', '3.12', { buildRequires: ['b'] }), entry('b', '1', '3.12', { buildRequires: ['a'] })]), config, noHistory);
    expect(p.matrix.include).toHaveLength(2);
    expect(p.matrix.include.some((u) => u.reason.includes('cycle'))).toBe(true);
  });
});

describe('adaptive rules from history', () => {
  it('a known permanent failure is not re-planned until an input changes', () => {
    const failing = entry('pkg', '1.0', '3.12', { status: 'known-failing', ref: 'pkg-1.0#3' });
    const deps: PlanDeps = {
      ...noHistory,
      lastFailure: () => ({ failureClass: 'permanent', preset: 'manylinux_2_28', hints: [], permanent: true }),
    };
    const p1 = plan(inventory([failing]), config, deps);
    expect(p1.matrix.include).toEqual([]);
    expect(p1.skipped[0]!.reason).toMatch(/known failing/);
    const p2 = plan(inventory([failing]), config, { ...deps, learnedHints: () => ['libffi'] });
    expect(p2.matrix.include).toHaveLength(1);
    expect(p2.matrix.include[0]!.hints).toEqual(['libffi']);
  });

  it('swaps a preset that lacked a toolchain for the next newer one', () => {
    const deps: PlanDeps = {
      ...noHistory,
      lastFailure: () => ({ failureClass: 'missing-toolchain', preset: 'manylinux_2_28', hints: [], permanent: false }),
    };
    const u = plan(inventory([entry('pkg', '1.0', '3.12')]), config, deps).matrix.include[0]!;
    expect(u.preset).toBe('manylinux_2_34');
    expect(u.reason).toMatch(/lacked a toolchain/);
  });

  it('takes recipe hints and skips, queue waits, and history durations', () => {
    const deps: PlanDeps = {
      ...noHistory,
      recipe: (n) => (n === 'skipme' ? { skip: 'needs CUDA' } : n === 'lxml' ? { hints: ['libxml2'], preset: 'manylinux2014' } : undefined),
      queued: (n) => (n === 'later' ? { due: false, nextAt: '2026-11-28T00:00:00Z' } : undefined),
      durationEstimate: (n) => (n === 'lxml' ? { seconds: 1234, runs: 2 } : undefined),
    };
    const p = plan(inventory([entry('skipme', '1', '3.12'), entry('lxml', '5.3.0', '3.12'), entry('later', '1', '3.12')]), config, deps);
    expect(p.matrix.include.map((u) => u.package)).toEqual(['lxml']);
    expect(p.matrix.include[0]).toMatchObject({ hints: ['libxml2'], preset: 'manylinux2014', estimatedSeconds: 1234 });
    expect(p.skipped.map((s) => s.reason)).toEqual(['recipe: needs CUDA', 'in the retry queue until 2026-11-28T00:00:00Z']);
  });
});

describe('estimates from evidence', () => {
  it('history first (any version, same preset and compiler), the prior otherwise; each says its source; over the unit timeout is said at plan time', () => {
    const cfg = parseConfig('targets:\n  python: ["3.11"]\n  platform: linux\npreset: debian-local\nlimits:\n  unitTimeoutMinutes: 20\n', 'refinery.yml');
    const deps: PlanDeps = {
      ...noHistory,
      // lxml 6.1.2 took 47 min with debian-local and turbo compilers; nothing recorded emulated
      durationEstimate: (n, _v, like) => (n === 'lxml' && like.preset === 'debian-local' && like.compiler === 'turbo' ? { seconds: 2820, runs: 3 } : undefined),
      turboApplies: (preset) => preset === 'debian-local',
    };
    const p = plan(inventory([entry('lxml', '6.1.3', '3.11', { sdist: sdist('lxml', '6.1.3', 4_200_000) }), entry('six', '1', '3.11')]), cfg, deps);
    const lxml = p.matrix.include.find((u) => u.package === 'lxml')!;
    expect(lxml).toMatchObject({
      estimatedSeconds: 2820,
      overTimeout: true,
      estimateSource: 'history',
    });
    expect(lxml.estimateBasis).toMatch(/^history: median of 3 recorded build\(s\) of this package with preset debian-local, compiler turbo/);
    // Already turbo: the faster option left is a native runner.
    expect(lxml.reason).toMatch(/estimated 47 min, over the unit timeout of 20 min .*native s390x runner/);
    const six = p.matrix.include.find((u) => u.package === 'six')!;
    expect(six.estimateSource).toBe('prior');
    expect(six.overTimeout).toBeUndefined();
    // Emulated: the turbo history does not count.
    const emulated = plan(inventory([entry('lxml', '6.1.3', '3.11', { sdist: sdist('lxml', '6.1.3', 4_200_000) })]), { ...cfg, compiler: 'emulated' }, deps);
    expect(emulated.matrix.include[0]!.estimateSource).toBe('prior');
  });
});

describe('sharding under GitHub limits', () => {
  it('no matrix exceeds 256 entries and every unit lands in exactly one shard', () => {
    const entries = Array.from({ length: 600 }, (_, i) => entry(`pkg${i}`, '1.0', '3.12'));
    const p = plan(inventory(entries), config, noHistory);
    expect(p.shards.length).toBe(3);
    expect(Math.max(...p.shards.map((s) => s.matrix.include.length))).toBeLessThanOrEqual(256);
    expect(p.shards.flatMap((s) => s.matrix.include.map((u) => u.id)).sort()).toEqual(p.matrix.include.map((u) => u.id).sort());
  });

  it('keeps each serialized matrix under the output byte limit', () => {
    const units = plan(inventory(Array.from({ length: 50 }, (_, i) => entry(`p${i}`, '1.0', '3.12'))), config, noHistory).matrix.include;
    const shards = shard(units, 256, 4096);
    expect(shards.length).toBeGreaterThan(1);
    for (const s of shards) expect(Buffer.byteLength(JSON.stringify(s.matrix))).toBeLessThanOrEqual(4096);
  });

  it('never mixes waves in one shard', () => {
    const p = plan(inventory([entry('a', '1', '3.12'), entry('b', '1', '3.12', { buildRequires: ['a'] })]), config, noHistory);
    expect(p.shards.map((s) => [s.wave, s.matrix.include.length])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});

describe('plan against the shipped presets', () => {
  it('a musllinux target plans musllinux units, and an unknown preset is refused before any build', async () => {
    const { planFromState } = await import('../../src/stages/plan/from-state.js');
    const { emptyState } = await import('../../src/domain/state/types.js');
    const musl = parseConfig('targets:\n  platform: musllinux_1_2\n', 'refinery.yml');
    const p = await planFromState(inventory([entry('lxml', '5.3.0', '3.12')]), musl, { stateDir: '/nonexistent', state: emptyState() });
    expect(p.matrix.include[0]!.preset).toBe('musllinux_1_2');
    const typo = parseConfig('preset: manylinux_2_82\n', 'refinery.yml');
    await expect(planFromState(inventory([entry('lxml', '5.3.0', '3.12')]), typo, { stateDir: '/nonexistent', state: emptyState() })).rejects.toThrow(
      /preset 'manylinux_2_82', which is neither shipped nor defined/,
    );
  });
});

describe('pre-flight remedies from build requirements', () => {
  it('a maturin build carries the Rust remedy from its first attempt, marked as predicted, with the cause in the reason', () => {
    const p = plan(inventory([entry('orjson', '3.10.12', '3.12', { buildRequires: ['maturin>=1,<2'] })]), config, noHistory);
    const u = p.matrix.include[0]!;
    expect(u.hints).toEqual(['rust-toolchain']);
    expect(u.predictedHints).toEqual(['rust-toolchain']);
    expect(u.reason).toContain('predicted from the sdist: maturin -> rust-toolchain');
    expect(PlanUnit.parse(u)).toEqual(u);
  });

  it('a hint the recipe or history already gives is not predicted again; a plain setuptools build predicts nothing', () => {
    const deps: PlanDeps = { ...noHistory, learnedHints: (n) => (n === 'cryptography' ? ['rust-toolchain'] : []) };
    const p = plan(
      inventory([
        entry('cryptography', '44.0.0', '3.12', { buildRequires: ['maturin>=1,<2', "cffi>=1.12; platform_python_implementation != 'PyPy'", 'setuptools'] }),
        entry('markupsafe', '3.0.2', '3.12'),
      ]),
      config,
      deps,
    );
    const [crypto, markupsafe] = p.matrix.include;
    expect(crypto).toMatchObject({ package: 'cryptography', hints: ['libffi', 'rust-toolchain'], predictedHints: ['libffi'] });
    expect(markupsafe).toMatchObject({ package: 'markupsafe', hints: [] });
    expect(markupsafe!.predictedHints).toBeUndefined();
  });

  it('requirements whose marker excludes CPython imply nothing (pyzmq needs cffi only on PyPy)', () => {
    const p = plan(
      inventory([entry('pyzmq', '26.2.0', '3.12', { buildRequires: ["cffi; implementation_name == 'pypy'", 'scikit-build-core'] })]),
      config,
      noHistory,
    );
    expect(p.matrix.include[0]!.predictedHints).toEqual(['cmake', 'cxx-compiler', 'ninja']);
  });
});

describe('Pythons the presets cannot serve', () => {
  it('--python 3.99 is refused at plan time, naming the Pythons the presets have; a preset that lacks one another has names those', async () => {
    const { planFromState } = await import('../../src/stages/plan/from-state.js');
    const { emptyState } = await import('../../src/domain/state/types.js');
    const odd = parseConfig('targets:\n  python: ["3.99"]\n', 'refinery.yml');
    await expect(planFromState(inventory([entry('lxml', '5.3.0', '3.99')]), odd, { stateDir: '/nonexistent', state: emptyState() })).rejects.toMatchObject({
      code: 'config',
      message: 'no preset has CPython 3.99: the presets have CPython 3.8, 3.9, 3.10, 3.11, 3.12, 3.13, 3.14',
      location: { field: 'targets.python' },
      fix: expect.stringContaining('define a preset with an interpreter for 3.99 under presets:'),
    });
    // A user preset with that interpreter makes it plannable.
    const withPreset = parseConfig(
      'preset: future\ntargets:\n  python: ["3.99"]\npresets:\n  future:\n    extends: debian-12\n    python:\n      "3.99": /opt/py399/bin/python\n',
      'refinery.yml',
    );
    const p = await planFromState(inventory([entry('lxml', '5.3.0', '3.99')]), withPreset, { stateDir: '/nonexistent', state: emptyState() });
    expect(p.matrix.include.map((u) => [u.python, u.preset])).toEqual([['3.99', 'future']]);
    // debian-12 has only 3.11: 3.12 is refused there, and the fix names the presets that have 3.12.
    const debian = parseConfig('preset: debian-12\ntargets:\n  python: ["3.12"]\n', 'refinery.yml');
    await expect(planFromState(inventory([entry('lxml', '5.3.0', '3.12')]), debian, { stateDir: '/nonexistent', state: emptyState() })).rejects.toMatchObject({
      fix: expect.stringMatching(/pick a preset that has 3\.12: .*manylinux_2_28.*ubuntu-24\.04/),
    });
  });
});

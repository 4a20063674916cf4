/**
 * Pre-flight remedies on real PyPI sdists (pinned in test/fixtures/logs/corpus.yml, downloaded
 * once into .cache/sdists, hash-checked): the build requirements of their pyproject.toml and what
 * their sources are (languages, the -sys crates of a Cargo.lock), read as scan reads them, predict
 * the remedies their builds are known to need in the Debian s390x image; the plan attaches them,
 * leaves out what the preset already satisfies, and says why.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/domain/config/index.js';
import { predictHints } from '../../src/domain/hints/predict.js';
import type { Inventory, InventoryEntry } from '../../src/domain/model/inventory.js';
import { emptyState } from '../../src/domain/state/index.js';
import { planFromState } from '../../src/stages/plan/from-state.js';
import { pinnedEntry } from '../helpers/log-corpus.js';

// Reading a 30 MB sdist's member list (scipy) twice on a loaded machine, plus a first download.
const READ_MS = 180_000;

const CASES: Array<[string, string, string, string[], string]> = [
  // maturin: a Rust extension
  ['orjson', '3.13.0', 'orjson-3.13.0.tar.gz', ['rust-toolchain'], 'maturin -> rust-toolchain'],
  // maturin plus cffi (libffi headers), and openssl-sys in its Cargo.lock (OpenSSL headers)
  ['cryptography', '50.0.2', 'cryptography-50.0.2.tar.gz', ['libffi', 'openssl-headers', 'rust-toolchain'], 'crate openssl-sys -> openssl-headers'],
  // meson-python, pybind11, pythran and numpy (built from source on s390x: C++), and Fortran sources
  ['scipy', '1.18.1', 'scipy-1.18.1.tar.gz', ['cxx-compiler', 'gfortran', 'ninja', 'openblas-lapack', 'pkg-config'], 'Fortran sources -> gfortran'],
  // setuptools only, but its bundled double-conversion is C++ (the g++ failure of issue 14)
  ['ujson', '5.10.0', 'ujson-5.10.0.tar.gz', ['cxx-compiler'], 'C++ sources -> cxx-compiler'],
  // scikit-build-core: CMake, ninja and C++ ("CMAKE_CXX_COMPILER not set" without g++); cffi is PyPy-only
  ['pyzmq', '27.3.0', 'pyzmq-27.3.0.tar.gz', ['cmake', 'cxx-compiler', 'ninja'], 'scikit-build-core -> cmake'],
];

const inventory = (packages: InventoryEntry[]): Inventory => ({
  schema: 'refinery/inventory@1',
  generatedAt: '2026-12-02T00:00:00Z',
  targets: [],
  packages,
  cut: [],
  summary: {},
});

describe('pre-flight predictions on real PyPI sdists', () => {
  it.each(CASES)(
    '%s %s (%s) predicts %j',
    async (name, version, file, want, because) => {
      const e = await pinnedEntry(name, version, file);
      const got = predictHints(e.buildRequires ?? [], '3.11', e.source ?? {});
      expect(got.map((p) => p.hint)).toEqual(want);
      expect(got.map((p) => `${p.because} -> ${p.hint}`)).toContain(because);
    },
    READ_MS,
  );

  it(
    'the plan attaches them as predicted, and what the preset satisfies costs nothing (debian-local has g++; musllinux has no C++ compiler named)',
    async () => {
      const [scipy, ujson] = await Promise.all([pinnedEntry('scipy', '1.18.1', 'scipy-1.18.1.tar.gz'), pinnedEntry('ujson', '5.10.0', 'ujson-5.10.0.tar.gz')]);
      // No recipes: the shipped scipy recipe gives its hints (and manylinux_2_28) before any prediction.
      const opts = { stateDir: '/nonexistent', state: emptyState(), recipes: new Map(), now: new Date('2026-12-02T00:00:00Z') };
      const local = await planFromState(inventory([scipy, ujson]), parseConfig('preset: debian-local\ntargets:\n  python: ["3.11"]\n', 'refinery.yml'), opts);
      const [s, u] = ['scipy', 'ujson'].map((n) => local.matrix.include.find((x) => x.package === n)!);
      expect(s).toMatchObject({ preset: 'debian-local', predictedHints: ['gfortran', 'ninja', 'openblas-lapack', 'pkg-config'] });
      expect(s!.hints).toEqual(['gfortran', 'ninja', 'openblas-lapack', 'pkg-config']);
      expect(s!.reason).toContain(
        'predicted from the sdist: Fortran sources -> gfortran, meson-python -> ninja, pythran -> openblas-lapack, meson-python -> pkg-config',
      );
      // ujson's only prediction (a C++ compiler) is the preset's own hint: nothing predicted.
      expect(u!.hints).toEqual([]);
      expect(u!.predictedHints).toBeUndefined();
      // With the shipped recipe: its hints are not predicted again; ninja is what it lacked, and
      // manylinux_2_28 names gcc-toolset's g++ (no C++ compiler predicted).
      const recipe = await planFromState(inventory([scipy]), parseConfig('targets:\n  python: ["3.11"]\n', 'refinery.yml'), { ...opts, recipes: undefined });
      expect(recipe.matrix.include[0]).toMatchObject({
        preset: 'manylinux_2_28',
        hints: ['gfortran', 'ninja', 'openblas-lapack', 'pkg-config'],
        predictedHints: ['ninja'],
      });
      const musl = await planFromState(
        inventory([{ ...ujson, target: 'cp311-musllinux_1_2_s390x' }]),
        parseConfig('targets:\n  python: ["3.11"]\n  platform: musllinux_1_2\n', 'refinery.yml'),
        opts,
      );
      expect(musl.matrix.include[0]).toMatchObject({ preset: 'musllinux_1_2', hints: ['cxx-compiler'], predictedHints: ['cxx-compiler'] });
      expect(musl.matrix.include[0]!.reason).toContain('predicted from the sdist: C++ sources -> cxx-compiler');
    },
    READ_MS,
  );
});

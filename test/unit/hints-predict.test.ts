import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hintById, loadHintCatalog } from '../../src/domain/hints/catalog.js';
import { predictableHints, predictHints } from '../../src/domain/hints/predict.js';
import { repoRoot } from '../helpers/pytools.js';

describe('pre-flight predictions', () => {
  it('every hint the table can predict exists in the shipped catalog with a remedy for every package manager', async () => {
    const catalog = await loadHintCatalog(join(repoRoot, 'seeds', 'hints.yml'));
    for (const id of predictableHints()) {
      const hint = hintById(catalog, id);
      expect(hint, id).toBeDefined();
      expect(
        Object.keys(hint!.remedy ?? {})
          .filter((k) => k !== 'any')
          .sort(),
        id,
      ).toEqual(['apk', 'apt', 'dnf', 'yum']);
    }
  });

  it('the shipped catalog has one fallback (the generic next step for unclassified failures), with remedies for every package manager and no matcher', async () => {
    const catalog = await loadHintCatalog(join(repoRoot, 'seeds', 'hints.yml'));
    const fallbacks = catalog.hints.filter((h) => h.fallback);
    expect(fallbacks.map((h) => h.id)).toEqual(['build-tools-fallback']);
    expect(fallbacks[0]!.match).toEqual([]);
    expect(Object.keys(fallbacks[0]!.remedy).sort()).toEqual(['apk', 'apt', 'dnf', 'yum']);
    expect(fallbacks[0]!.remedy.apt!.packages).toEqual(
      expect.arrayContaining(['g++', 'make', 'pkg-config', 'file', 'autoconf', 'automake', 'libtool', 'cmake', 'ninja-build']),
    );
  });

  it('sources add what no requirement names: C++ -> cxx-compiler, Fortran -> gfortran, Rust -> rust-toolchain, openssl-sys -> openssl-headers; a requirement that implies the same is named instead', () => {
    expect(predictHints(['setuptools'], '3.11', { languages: ['c', 'cpp', 'cython'] })).toEqual([{ hint: 'cxx-compiler', because: 'C++ sources' }]);
    expect(predictHints(['maturin>=1'], '3.11', { languages: ['rust'], sysCrates: ['openssl-sys', 'pyo3-ffi-sys-unknown'] })).toEqual([
      { hint: 'openssl-headers', because: 'crate openssl-sys' },
      { hint: 'rust-toolchain', because: 'maturin' },
    ]);
    expect(predictHints(['numpy>=2'], '3.11', { languages: ['fortran'] })).toEqual([
      { hint: 'cxx-compiler', because: 'numpy' },
      { hint: 'gfortran', because: 'Fortran sources' },
    ]);
    expect(predictHints(['setuptools'], '3.11', { languages: ['c'] })).toEqual([]);
  });

  it('names are compared normalized, markers are evaluated for the build Python, bad strings are skipped', () => {
    expect(predictHints(['Setuptools_Rust>=1.5', 'not a requirement !!', 'meson-python; python_version < "3.12"'], '3.12')).toEqual([
      { hint: 'rust-toolchain', because: 'setuptools-rust' },
    ]);
    expect(predictHints(['meson-python; python_version < "3.12"'], '3.11').map((p) => p.hint)).toEqual(['ninja', 'pkg-config']);
  });
});

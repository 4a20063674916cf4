/**
 * Pre-flight remedies on real sdists from PyPI: the build requirements their pyproject.toml
 * declares (read in place by the index client) predict the remedies their builds are known to
 * need under the Debian s390x image (issue: yield on real packages). Downloads are kept in
 * .cache/test-downloads between runs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictHints } from '../../src/domain/hints/predict.js';
import { IndexClient } from '../../src/domain/package-index/client.js';
import { repoRoot } from '../helpers/pytools.js';

const client = new IndexClient({
  indexes: [{ url: 'https://pypi.org/simple' }],
  cacheDir: join(repoRoot, '.cache', 'test-downloads', 'http'),
  httpOptions: { env: process.env },
});

async function predicted(name: string, version: string): Promise<string[]> {
  const sdist = (await client.getRelease(name, version)).find((f) => f.filename.endsWith('.tar.gz'));
  if (!sdist) throw new Error(`${name} ${version} has no sdist on PyPI`);
  return predictHints(await client.getBuildRequires(sdist), '3.11').map((p) => p.hint);
}

describe('pre-flight predictions on real PyPI sdists', () => {
  it.each([
    // maturin: a Rust extension
    ['orjson', '3.10.12', ['rust-toolchain']],
    // maturin plus cffi (libffi headers)
    ['cryptography', '44.0.0', ['libffi', 'rust-toolchain']],
    // scikit-build-core: CMake, ninja and C++ ("CMAKE_CXX_COMPILER not set" without g++); cffi is PyPy-only
    ['pyzmq', '26.2.0', ['cmake', 'cxx-compiler', 'ninja']],
    ['levenshtein', '0.26.1', ['cmake', 'cxx-compiler', 'ninja']],
    // meson-python: ninja and pkg-config from the system
    ['pywavelets', '1.8.0', ['ninja', 'pkg-config']],
  ])(
    '%s %s predicts %j',
    async (name, version, want) => {
      expect(await predicted(name, version)).toEqual(want);
    },
    180_000,
  );
});

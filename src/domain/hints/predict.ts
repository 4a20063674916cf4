/**
 * Pre-flight remedies: what an sdist's build requirements say it will need before its first
 * attempt fails for want of it. A maturin build needs Rust whatever the log later says; spending
 * a first attempt under QEMU (minutes) to learn that is the cost this avoids. The plan attaches
 * these hints and marks them as predicted, so history shows whether a prediction was needed.
 */
import { markerEnvironment } from '../python/environment.js';
import { evaluateMarker } from '../python/marker-ast.js';
import { parseRequirement, type Requirement } from '../python/requirement.js';

/** Build requirement (normalized name) -> hint ids of seeds/hints.yml it implies. */
const IMPLIED: Readonly<Record<string, readonly string[]>> = {
  // Rust extensions
  maturin: ['rust-toolchain'],
  'setuptools-rust': ['rust-toolchain'],
  puccinialin: ['rust-toolchain'],
  // CMake-driven builds compile C++ more often than not, and CMake wants a C++ compiler to enable CXX
  cmake: ['cmake', 'cxx-compiler'],
  'scikit-build-core': ['cmake', 'ninja', 'cxx-compiler'],
  'scikit-build': ['cmake', 'cxx-compiler'],
  // meson-python: meson itself comes from PyPI, ninja and pkg-config from the system
  'meson-python': ['ninja', 'pkg-config'],
  meson: ['ninja', 'pkg-config'],
  // C++ binding generators
  pybind11: ['cxx-compiler'],
  nanobind: ['cxx-compiler'],
  // C libraries a build requirement compiles against
  cffi: ['libffi'],
  // SciPy-style builds: a Fortran compiler and BLAS/LAPACK
  'scipy-openblas32': ['openblas-lapack'],
  'scipy-openblas64': ['openblas-lapack'],
  pythran: ['cxx-compiler', 'openblas-lapack'],
};

export interface PredictedHint {
  hint: string;
  /** The build requirement that implies it. */
  because: string;
}

/**
 * Hints implied by `buildRequires` (PEP 508 strings) when building with CPython `python` on
 * s390x: requirements whose marker excludes that interpreter (`cffi; implementation_name ==
 * "pypy"`) imply nothing. First cause kept, sorted by hint id. Unparsable strings are skipped:
 * pip refuses them later with its own message.
 */
export function predictHints(buildRequires: readonly string[], python: string): PredictedHint[] {
  const env = markerEnvironment({ python });
  const out = new Map<string, string>();
  for (const source of buildRequires) {
    let req: Requirement;
    try {
      req = parseRequirement(source);
    } catch {
      continue;
    }
    if (req.marker && !evaluateMarker(req.marker, env)) continue;
    for (const hint of IMPLIED[req.normalizedName] ?? []) if (!out.has(hint)) out.set(hint, req.normalizedName);
  }
  return [...out].map(([hint, because]) => ({ hint, because })).sort((a, b) => (a.hint < b.hint ? -1 : a.hint > b.hint ? 1 : 0));
}

/** Every hint id the table can predict (tests check each exists in the catalog). */
export function predictableHints(): string[] {
  return [...new Set(Object.values(IMPLIED).flat())].sort();
}

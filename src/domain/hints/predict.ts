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
  // NumPy and SciPy have no s390x wheels on PyPI: as build requirements pip compiles them, NumPy
  // with C++ sources, SciPy also with Fortran and against BLAS/LAPACK (meson finds them by pkg-config)
  numpy: ['cxx-compiler'],
  scipy: ['cxx-compiler', 'gfortran', 'openblas-lapack', 'pkg-config'],
};

/** Source language of the sdist (scan's `source.languages`) -> the compiler it needs. */
const BY_LANGUAGE: Readonly<Record<string, readonly string[]>> = {
  // ujson's bundled double-conversion: C++ without any C++ build requirement
  cpp: ['cxx-compiler'],
  fortran: ['gfortran'],
  rust: ['rust-toolchain'],
};
const LANGUAGE_NAME: Readonly<Record<string, string>> = { cpp: 'C++', fortran: 'Fortran', rust: 'Rust' };

/** A -sys crate of the sdist's Cargo.lock -> the system library its build script looks for. */
const BY_SYS_CRATE: Readonly<Record<string, readonly string[]>> = {
  'openssl-sys': ['openssl-headers'],
  'libffi-sys': ['libffi'],
  'libz-sys': ['zlib'],
};

/** What the plan knows of an sdist's sources (scan's `source`). */
export interface SourceFacts {
  languages?: readonly string[];
  sysCrates?: readonly string[];
}

export interface PredictedHint {
  hint: string;
  /** The build requirement that implies it, or the sources ("C++ sources"). */
  because: string;
}

/**
 * Hints implied by `buildRequires` (PEP 508 strings) when building with CPython `python` on
 * s390x: requirements whose marker excludes that interpreter (`cffi; implementation_name ==
 * "pypy"`) imply nothing. First cause kept, sorted by hint id. Unparsable strings are skipped:
 * pip refuses them later with its own message. `source` (scan's: the sdist's languages, its
 * Cargo.lock's -sys crates) adds the compilers and libraries its sources need.
 */
export function predictHints(buildRequires: readonly string[], python: string, source: SourceFacts = {}): PredictedHint[] {
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
  // The sources say what no requirement does (a build requirement, when both do, is named).
  for (const lang of source.languages ?? []) {
    for (const hint of BY_LANGUAGE[lang] ?? []) if (!out.has(hint)) out.set(hint, `${LANGUAGE_NAME[lang]} sources`);
  }
  for (const crate of source.sysCrates ?? []) {
    for (const hint of BY_SYS_CRATE[crate] ?? []) if (!out.has(hint)) out.set(hint, `crate ${crate}`);
  }
  return [...out].map(([hint, because]) => ({ hint, because })).sort((a, b) => (a.hint < b.hint ? -1 : a.hint > b.hint ? 1 : 0));
}

/** Every hint id the tables can predict (tests check each exists in the catalog). */
export function predictableHints(): string[] {
  return [...new Set([...Object.values(IMPLIED), ...Object.values(BY_LANGUAGE), ...Object.values(BY_SYS_CRATE)].flat())].sort();
}

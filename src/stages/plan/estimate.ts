/**
 * How long a unit's build will take, from evidence: the package's own earlier builds in the same
 * setting (preset, compiler, executor) when the state has them, else a prior from what the sdist
 * compiles (languages and source bytes, tests and data left out), its build system and where it
 * runs. Batching and the timeout warnings rest on these numbers, so each says where it came from.
 */
import type { InventoryEntry } from '../../domain/model/inventory.js';
import { parseRequirement } from '../../domain/python/requirement.js';

export type EstimateSource = 'history' | 'prior';
/** Where the build runs: emulated under QEMU, QEMU with the host's cross compilers, or on s390x. */
export type EstimateExecutor = 'qemu' | 'turbo' | 'native';

export interface Estimate {
  seconds: number;
  source: EstimateSource;
  /** What the number rests on, for a person reading the plan. */
  basis: string;
}

/**
 * Seconds under QEMU, calibrated on builds measured in this project (bench:build, the issue-14
 * run of 20 PyPI packages, the failure-log corpus): pip with build isolation and setuptools start
 * in about a minute; configure steps (CMake, meson) add one or two; compiling costs per MB of
 * source by language; a Rust build fetches and compiles its crates (not in the sdist), so it
 * carries a fixed part (cryptography: near an hour).
 */
const QEMU = {
  base: 60,
  configure: 90,
  perMb: { c: 120, cython: 250, cpp: 300, fortran: 300, rust: 600 } as Record<string, number>,
  rustCrates: 2400,
};
/**
 * Turbo keeps Python emulated and compiles at host speed: ujson 86.5 s -> 27.0 s (3.2x, the
 * compile part nearly gone), a small Rust crate 1.36x (cargo's own work stays emulated).
 * Native s390x: QEMU is 3-10x slower (markupsafe 7.7 s vs 2.5 s, ujson 86.5 s vs 8.8 s).
 */
const COMPILE_FACTOR: Record<EstimateExecutor, { compile: number; rust: number; rest: number }> = {
  qemu: { compile: 1, rust: 1, rest: 1 },
  turbo: { compile: 0.3, rust: 0.7, rest: 1 },
  native: { compile: 0.12, rust: 0.12, rest: 0.2 },
};

const CONFIGURE_BACKENDS = new Set(['cmake', 'scikit-build-core', 'scikit-build', 'meson-python', 'meson', 'py-build-cmake']);
const RUST_BACKENDS = new Set(['maturin', 'setuptools-rust', 'puccinialin']);
const CPP_BACKENDS = new Set(['pybind11', 'nanobind', 'cmake', 'scikit-build-core', 'scikit-build']);

export function priorEstimate(entry: Pick<InventoryEntry, 'buildRequires' | 'source' | 'sdist'>, executor: EstimateExecutor): Estimate {
  const names = new Set<string>();
  for (const r of entry.buildRequires ?? []) {
    try {
      names.add(parseRequirement(r).normalizedName);
    } catch {
      // pip reports an unparsable build requirement itself
    }
  }
  const measured = entry.source !== undefined;
  const languages = new Set(entry.source?.languages ?? []);
  // Not measured (an inventory from an older scan): languages from the build backends, and the
  // compressed sdist size standing in for the sources.
  if (!measured) {
    if ([...names].some((n) => RUST_BACKENDS.has(n))) languages.add('rust');
    if ([...names].some((n) => CPP_BACKENDS.has(n))) languages.add('cpp');
    if (names.has('cython')) languages.add('cython');
    if (languages.size === 0) languages.add('c');
  }
  const mb = (entry.source?.bytes ?? entry.sdist?.size ?? 1_000_000) / 1_000_000;
  // Each language's share of the bytes is unknown: the costliest present language prices them all.
  const perMb = Math.max(0, ...[...languages].map((l) => QEMU.perMb[l] ?? 0));
  const f = COMPILE_FACTOR[executor];
  const configure = [...names].some((n) => CONFIGURE_BACKENDS.has(n));
  const rust = languages.has('rust');
  const rest = (QEMU.base + (configure ? QEMU.configure : 0)) * f.rest;
  const compile = mb * perMb * (rust && languages.size === 1 ? f.rust : f.compile) + (rust ? QEMU.rustCrates * f.rust : 0);
  const what = measured
    ? `${formatMb(mb)} of ${[...languages].sort().join('/') || 'no compiled'} sources (tests and data left out)`
    : `sdist ${formatMb(mb)} (sources not measured), ${[...languages].sort().join('/')} from the build requirements`;
  return {
    seconds: Math.round(rest + compile),
    source: 'prior',
    basis: `prior: ${what}${configure ? ', a configure step' : ''}${rust ? ', Rust crates' : ''}, ${EXECUTOR_WORDS[executor]}`,
  };
}

const EXECUTOR_WORDS: Record<EstimateExecutor, string> = {
  qemu: 'emulated under QEMU',
  turbo: 'turbo (host compilers under QEMU)',
  native: 'on a native s390x runner',
};

export function historyEstimate(recorded: { seconds: number; runs: number }, like: { preset: string; compiler: string; executor: EstimateExecutor }): Estimate {
  return {
    seconds: Math.round(recorded.seconds),
    source: 'history',
    basis: `history: median of ${recorded.runs} recorded build(s) of this package with preset ${like.preset}, compiler ${like.compiler}, ${EXECUTOR_WORDS[like.executor]}`,
  };
}

function formatMb(mb: number): string {
  return mb >= 10 ? `${Math.round(mb)} MB` : mb >= 0.1 ? `${mb.toFixed(1)} MB` : `${Math.round(mb * 1000)} kB`;
}

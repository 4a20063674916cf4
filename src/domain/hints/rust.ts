/**
 * Rust new enough: distributions ship old compilers (Debian 12's rustc is 1.63) while crates
 * declare newer minimums. The package says what it needs, in its sources (`rust-version` in a
 * Cargo.toml, setuptools-rust's `rust-version` in pyproject.toml) or in the failure of a build with
 * a compiler too old; the preset says which Rust toolchains its package manager offers. The
 * choice is the oldest offered one that meets the need (the distribution's default when nothing
 * is declared is usually too old, so then the newest), and the build log says which and why.
 */
import { parse as parseToml } from 'smol-toml';
import type { PackageManager, Preset } from '../model/preset.js';
import type { AppliedRemedy } from './remedy.js';
import { remedyFor } from './remedy.js';
import type { Hint } from './schema.js';

export interface RustNeed {
  /** Lowest rustc version that builds the package, `major.minor.patch`. */
  version: string;
  because: string;
}

/** `1.74` / `1.74.0` / `>=1.64.0` -> [1, 74, 0]; anything else undefined. */
function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^\s*(?:>=|\^|~)?\s*(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function compareRust(a: string, b: string): number {
  const x = parseVersion(a) ?? [0, 0, 0];
  const y = parseVersion(b) ?? [0, 0, 0];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

function normalized(text: string): string | undefined {
  const v = parseVersion(text);
  return v ? v.join('.') : undefined;
}

/** The highest of several needs (undefined ones ignored). */
export function strictestNeed(...needs: Array<RustNeed | undefined>): RustNeed | undefined {
  let best: RustNeed | undefined;
  for (const n of needs) if (n && (!best || compareRust(n.version, best.version) > 0)) best = n;
  return best;
}

/**
 * The need a package's own files declare: `rust-version` of `[package]` or `[workspace.package]`
 * in each Cargo.toml, and of setuptools-rust's ext-modules in pyproject.toml. Files that are not
 * valid TOML say nothing (cargo or pip will report them).
 */
export function rustNeedFromSources(files: ReadonlyArray<{ path: string; text: string }>): RustNeed | undefined {
  const needs: RustNeed[] = [];
  for (const f of files) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(f.text) as Record<string, unknown>;
    } catch {
      continue;
    }
    const declared: unknown[] = f.path.endsWith('pyproject.toml')
      ? asArray(get(doc, ['tool', 'setuptools-rust', 'ext-modules'])).map((m) => get(m, ['rust-version']))
      : [get(doc, ['package', 'rust-version']), get(doc, ['workspace', 'package', 'rust-version'])];
    for (const d of declared) {
      const v = typeof d === 'string' ? normalized(d) : undefined;
      if (v) needs.push({ version: v, because: `rust-version ${d} in ${f.path}` });
    }
  }
  return strictestNeed(...needs);
}

/**
 * What a failed build's log says about the Rust it needed. Each form is a real line of a build
 * with Debian 12's rustc 1.63 / cargo 0.66 (test/fixtures/logs: bcrypt-5.0.0-rust-1.63.log,
 * cryptography-50.0.2-cargo-0.66.log) or cargo's own wording for a crate's rust-version.
 */
const LOG_FORMS: ReadonlyArray<{ re: RegExp; need: (m: RegExpExecArray) => string | undefined; say: string }> = [
  // setuptools-rust checks the extension's rust-version before cargo runs
  { re: /Rust (\d+\.\d+(?:\.\d+)?) does not match extension requirement >=\s*(\d+\.\d+(?:\.\d+)?)/, need: (m) => m[2], say: 'setuptools-rust' },
  // cargo: a crate's rust-version above the active compiler
  { re: /requires rustc (\d+\.\d+(?:\.\d+)?) or newer, while the currently active rustc version is/, need: (m) => m[1], say: 'cargo' },
  // Cargo.lock version 4 is read by cargo 1.78 and newer
  {
    re: /lock file version (\d+) was found, but this version of Cargo does not understand this lock file/,
    need: (m) => (m[1] === '4' ? '1.78.0' : m[1] === '3' ? '1.53.0' : undefined),
    say: 'Cargo.lock',
  },
  // edition 2024 needs Rust 1.85
  { re: /feature `edition2024` is required/, need: () => '1.85.0', say: 'edition 2024' },
];

export function rustNeedFromLog(log: string): RustNeed | undefined {
  const needs: RustNeed[] = [];
  for (const f of LOG_FORMS) {
    const m = f.re.exec(log);
    const v = m ? f.need(m) : undefined;
    const n = v ? normalized(v) : undefined;
    if (m && n) needs.push({ version: n, because: `${f.say}: ${m[0].slice(0, 160)}` });
  }
  return strictestNeed(...needs);
}

export type RustChoice =
  | { kind: 'packages'; packages: string[]; version: string; note: string }
  /** Nothing the preset offers meets the need: the newest offered is used, and rustup named. */
  | { kind: 'too-old'; packages: string[]; version: string; note: string };

/**
 * The preset's Rust toolchain for a need: the oldest offered one that meets it; with no need
 * known, the newest (the distribution's default is the oldest and usually too old for current
 * crates). Undefined when the preset lists none (the hint's own packages apply).
 */
export function chooseRust(preset: Pick<Preset, 'name' | 'toolchains'>, need: RustNeed | undefined): RustChoice | undefined {
  const offers = [...(preset.toolchains?.rust ?? [])].sort((a, b) => compareRust(a.version, b.version));
  if (offers.length === 0) return undefined;
  const newest = offers.at(-1)!;
  const list = (o: { packages: string[] }) => o.packages.join(', ');
  if (!need) {
    return {
      kind: 'packages',
      packages: newest.packages,
      version: newest.version,
      note: `no declared minimum; the newest of preset ${preset.name}: ${list(newest)} (Rust ${newest.version})`,
    };
  }
  const fit = offers.find((o) => compareRust(o.version, need.version) >= 0);
  if (fit) {
    const older = offers.filter((o) => compareRust(o.version, need.version) < 0).map((o) => `${list(o)} (${o.version})`);
    return {
      kind: 'packages',
      packages: fit.packages,
      version: fit.version,
      note: `needs Rust >= ${need.version} (${need.because}); ${list(fit)} (Rust ${fit.version}) of preset ${preset.name}${older.length > 0 ? `, not ${older.join(', ')}` : ''}`,
    };
  }
  return {
    kind: 'too-old',
    packages: newest.packages,
    version: newest.version,
    note: `needs Rust >= ${need.version} (${need.because}); the newest of preset ${preset.name} is ${list(newest)} (Rust ${newest.version}): a preset with a newer Rust, or rustup (https://rustup.rs) on a runner that reaches static.rust-lang.org, is needed`,
  };
}

/**
 * The remedy with its Rust packages decided: when a hint in force installs a Rust toolchain
 * (`toolchain: rust`), the preset's choice replaces every such hint's packages; without a preset
 * list, the last such hint's packages replace the earlier ones' (rustc-web conflicts with rustc).
 */
export function withRustChoice(
  remedy: AppliedRemedy,
  inForce: readonly Hint[],
  pm: PackageManager,
  preset: Pick<Preset, 'name' | 'toolchains'>,
  need: RustNeed | undefined,
): { remedy: AppliedRemedy; note?: string } {
  const rustHints = inForce.filter((h) => remedyFor(h, pm)?.toolchain === 'rust');
  if (rustHints.length === 0) return { remedy };
  const rustPackages = new Set(rustHints.flatMap((h) => remedyFor(h, pm)?.packages ?? []));
  const choice = chooseRust(preset, need);
  const keep = choice ? choice.packages : (remedyFor(rustHints.at(-1)!, pm)?.packages ?? []);
  const packages = [...remedy.packages.filter((p) => !rustPackages.has(p)), ...keep.filter((p) => !remedy.packages.includes(p) || rustPackages.has(p))];
  const note = choice
    ? `rust: ${choice.note}`
    : need
      ? `rust: needs Rust >= ${need.version} (${need.because}); preset ${preset.name} lists no Rust toolchains, installing ${keep.join(', ')}`
      : undefined;
  return { remedy: { ...remedy, packages: [...new Set(packages)] }, ...(note ? { note } : {}) };
}

function get(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

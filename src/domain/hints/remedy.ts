import type { PackageManager } from '../model/preset.js';
import type { Hint, RemedyForm } from './schema.js';

/** The remedies of several hints folded into one set of changes for an attempt. */
export interface AppliedRemedy {
  packages: string[];
  env: Record<string, string>;
  constraints: string[];
  configSettings: Record<string, string>;
  preinstall: string[];
  buildIsolation?: boolean;
  /** `emulated`: the attempt compiles under QEMU even where turbo compilers exist. */
  compiler?: 'emulated';
  /** Crates come from this directory source in the container instead of crates.io (offline). */
  cargoRegistry?: string;
}

export function emptyRemedy(): AppliedRemedy {
  return { packages: [], env: {}, constraints: [], configSettings: {}, preinstall: [] };
}

/**
 * The hint's remedy for this package manager, or undefined when it has none: a hint with forms for
 * some package managers but not this one is never applied here (its fix needs a system package),
 * a hint with only an `any` form applies everywhere, a hint without remedy is classification only.
 */
export function remedyFor(hint: Hint, pm: PackageManager): RemedyForm | undefined {
  const r = hint.remedy;
  const specific = pm === 'none' ? undefined : r[pm];
  const hasSpecific = Boolean(r.apt || r.dnf || r.yum || r.apk);
  if (hasSpecific && !specific) return undefined;
  if (!specific && !r.any) return undefined;
  return mergeForms(r.any, specific);
}

function mergeForms(a: RemedyForm | undefined, b: RemedyForm | undefined): RemedyForm {
  const out: RemedyForm = { packages: [], env: {}, constraints: [], configSettings: {}, preinstall: [] };
  for (const f of [a, b]) if (f) foldForm(out, f);
  return out;
}

/** Add one remedy form to `out`: lists without repeats, settings and env merged, flags last-wins. */
function foldForm(out: RemedyForm, f: RemedyForm): void {
  for (const p of f.packages) if (!out.packages.includes(p)) out.packages.push(p);
  for (const c of f.constraints) if (!out.constraints.includes(c)) out.constraints.push(c);
  for (const p of f.preinstall) if (!out.preinstall.includes(p)) out.preinstall.push(p);
  Object.assign(out.configSettings, f.configSettings);
  out.env = mergeEnv(out.env, f.env);
  if (f.buildIsolation !== undefined) out.buildIsolation = f.buildIsolation;
  if (f.compiler) out.compiler = f.compiler;
  if (f.cargoRegistry) out.cargoRegistry = f.cargoRegistry;
  if (f.toolchain) out.toolchain = f.toolchain;
}

/** `*FLAGS` variables accumulate (two hints may both add linker flags); others: last one wins. */
export function mergeEnv(base: Readonly<Record<string, string>>, add: Readonly<Record<string, string>>): Record<string, string> {
  const out = { ...base };
  for (const [k, v] of Object.entries(add)) {
    const prev = out[k];
    out[k] = k.endsWith('FLAGS') && prev && !prev.split(/\s+/).includes(v) ? `${prev} ${v}` : v;
  }
  return out;
}

/** Fold the remedies of the given hints (in order) for a package manager. */
export function combineRemedies(hints: readonly Hint[], pm: PackageManager): AppliedRemedy {
  const out = emptyRemedy();
  for (const h of hints) {
    const f = remedyFor(h, pm);
    if (f) foldForm(out, f);
  }
  return out;
}

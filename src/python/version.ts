/**
 * Thin PEP 440 helpers over @renovatebot/pep440 (a port of packaging's version/specifier code).
 * Nothing here parses versions itself; it only adapts the library to the shapes we use.
 */
import * as pep440 from '@renovatebot/pep440';
import { normalizeSpecifierSet, specifierContains } from './specifier.js';

/** Whether `version` is a valid PEP 440 version (packaging's `Version(...)` would accept it). */
export function isValidVersion(version: string): boolean {
  return pep440.valid(version) !== null;
}

/**
 * The canonical string form, as `str(packaging.version.Version(v))` prints it
 * (`1.0.0RC1` -> `1.0.0rc1`, `1.0-1` -> `1.0.post1`, `v1` -> `1`). Null when invalid.
 * Built from the library's parse tree because its `clean()` joins local segments with commas.
 */
export function normalizeVersion(version: string): string | null {
  // The library's .d.ts types post/dev as arrays; at runtime they are numbers or null.
  const v = pep440.explain(version) as unknown as Explained | null;
  if (!v) return null;
  let out = v.epoch ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local}`;
  return out;
}

interface Explained {
  epoch: number;
  release: number[];
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
}

/** -1, 0, 1 like a sort comparator. Throws on invalid versions; check with isValidVersion first. */
export function versionCompare(a: string, b: string): number {
  return Math.sign(pep440.compare(a, b));
}

/** Whether `version` is a pre-release or dev release (PEP 440 `is_prerelease`). */
export function isPrerelease(version: string): boolean {
  return pep440.explain(version)?.is_prerelease ?? false;
}

/**
 * Whether `version` is inside the specifier set (`>=1.0,<2`); an empty set accepts every version.
 * Pre-releases match unless `prereleases: false`: like packaging's `SpecifierSet.contains` on a
 * single version. Deciding to skip pre-releases when finals exist is the resolver's job.
 */
export function satisfies(version: string, specifier: string, opts: { prereleases?: boolean } = {}): boolean {
  return specifierContains(specifier, version, opts.prereleases ?? true);
}

/** Whether a specifier set string is well formed (`>=1,<2`, `~=1.4`, `==1.*`, ...). Empty is valid. */
export function isValidSpecifier(specifier: string): boolean {
  return normalizeSpecifierSet(specifier) !== null;
}

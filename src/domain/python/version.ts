/**
 * Thin PEP 440 helpers. Parsing and ordering are @renovatebot/pep440's (see pep440.ts); specifier
 * containment rules live in specifier.ts.
 */
import { compareParsed, isPreParsed, parseVersion, renderVersion } from './pep440.js';
import { normalizeSpecifierSet, specifierContains } from './specifier.js';

/** Whether `version` is a valid PEP 440 version (packaging's `Version(...)` would accept it). */
export function isValidVersion(version: string): boolean {
  return parseVersion(version) !== null;
}

/**
 * The canonical string form, as `str(packaging.version.Version(v))` prints it
 * (`1.0.0RC1` -> `1.0.0rc1`, `1.0-1` -> `1.0.post1`, `v1` -> `1`). Null when invalid.
 */
export function normalizeVersion(version: string): string | null {
  const v = parseVersion(version);
  return v ? renderVersion(v) : null;
}

/** -1, 0, 1 like a sort comparator. Throws RangeError on an invalid version; check first. */
export function versionCompare(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new RangeError(`not a PEP 440 version: ${JSON.stringify(pa ? b : a)}`);
  return compareParsed(pa, pb);
}

/** Whether `version` is a pre-release or dev release (PEP 440 `is_prerelease`). */
export function isPrerelease(version: string): boolean {
  const v = parseVersion(version);
  return v ? isPreParsed(v) : false;
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

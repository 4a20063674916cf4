/**
 * PEP 440 specifier syntax as packaging.specifiers recognizes it. The grammar regex is a port of
 * `Specifier._specifier_regex_str` (needed by the PEP 508 tokenizer, which has to know where a
 * specifier ends). Containment applies packaging's clause rules over the library's version
 * parsing and ordering (pep440.ts).
 */
import { compareParsed, isPreParsed, parseVersion, type ParsedVersion } from './pep440.js';

const PRE = String.raw`(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?`;
const POST = String.raw`(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?`;
const DEV = String.raw`(?:[-_.]?dev[-_.]?[0-9]*)?`;
const LOCAL = String.raw`(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?`;
const EPOCH_RELEASE = String.raw`v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*`;

/** One specifier clause (`>=1.0`, `==1.*`, `~=2.2`, `===foo`), without surrounding whitespace. */
export const SPECIFIER_SOURCE = [
  String.raw`(?:===\s*[^\s;)]*)`,
  String.raw`(?:(?:==|!=)\s*${EPOCH_RELEASE}(?:\.\*|${PRE}${POST}${DEV}${LOCAL})?)`,
  String.raw`(?:~=\s*v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)+${PRE}${POST}${DEV})`,
  String.raw`(?:(?:<=|>=|<|>)\s*${EPOCH_RELEASE}${PRE}${POST}${DEV})`,
].join('|');

const ONE_SPECIFIER = new RegExp(String.raw`^\s*(?:${SPECIFIER_SOURCE})\s*$`, 'i');

/** Whether `spec` is one valid clause, as `packaging.specifiers.Specifier(spec)` would accept. */
export function isValidSpecifierClause(spec: string): boolean {
  return ONE_SPECIFIER.test(spec);
}

/** Split a clause into operator and version, whitespace removed (`>= 1.0 ` -> `>=`, `1.0`). */
export function splitSpecifierClause(spec: string): { op: string; version: string } {
  const s = spec.trim();
  const opLength = s.startsWith('===') ? 3 : /^(~=|==|!=|<=|>=)/.test(s) ? 2 : 1;
  return { op: s.slice(0, opLength), version: s.slice(opLength).trim() };
}

/**
 * Normalize a comma-separated specifier set the way `str(SpecifierSet(s))` does: clauses
 * whitespace-stripped, de-duplicated and sorted. Returns null when any clause is invalid.
 */
export function normalizeSpecifierSet(specifier: string): string | null {
  const known = normalizedMemo.get(specifier);
  if (known !== undefined) return known;
  if (normalizedMemo.size >= MEMO_LIMIT) normalizedMemo.clear();
  const normalized = normalizeUncached(specifier);
  normalizedMemo.set(specifier, normalized);
  return normalized;
}

// Every file on a page repeats the same few Requires-Python strings, checked against the same few
// interpreter versions: both answers are kept (bounded, for long-lived processes).
const MEMO_LIMIT = 50_000;
const normalizedMemo = new Map<string, string | null>();
const containsMemo = new Map<string, boolean>();

function normalizeUncached(specifier: string): string | null {
  const clauses = specifier
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!clauses.every(isValidSpecifierClause)) return null;
  const normalized = clauses.map((c) => {
    const { op, version } = splitSpecifierClause(c);
    return `${op}${version}`;
  });
  return [...new Set(normalized)].sort(compareCodePoints).join(',');
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether `version` satisfies one clause, with the PEP 440 rules exactly as packaging applies them
 * (local labels, `<V` excluding pre-releases of V, `>V` excluding post-releases and locals of V,
 * zero-padded prefix matching). Parsing and ordering come from the library; its own `satisfies`
 * gets several of these rules wrong (e.g. `1 < 1.0.post1`, `1.0+local > 1.0a1`), hence this.
 */
export function clauseContains(clause: string, version: string): boolean {
  const { op, version: specText } = splitSpecifierClause(clause);
  if (op === '===') return version.toLowerCase() === specText.toLowerCase();
  const p = parseVersion(version);
  if (!p) return false;
  if ((op === '==' || op === '!=') && specText.endsWith('.*')) {
    const prefix = parseVersion(specText.slice(0, -2));
    if (!prefix) return false;
    const match = prefixMatches(p, prefix);
    return op === '==' ? match : !match;
  }
  const spec = parseVersion(specText);
  if (!spec) return false;
  switch (op) {
    case '==':
      return cmp(spec.local ? p : publicOf(p), spec) === 0;
    case '!=':
      return cmp(spec.local ? p : publicOf(p), spec) !== 0;
    case '<=':
      return cmp(publicOf(p), spec) <= 0;
    case '>=':
      return cmp(publicOf(p), spec) >= 0;
    case '<':
      if (cmp(p, spec) >= 0) return false;
      // "<V MUST NOT allow a pre-release of V unless V itself is a pre-release."
      return !(!isPre(spec) && isPre(p) && cmp(p, { ...spec, dev: 0, local: null }) >= 0);
    case '>':
      if (cmp(p, spec) <= 0) return false;
      // ">V MUST NOT allow a post-release of V unless V is one", nor a local version of V.
      if (spec.post === null && p.post !== null && cmp({ ...p, post: null, dev: null, local: null }, spec) === 0) return false;
      return !(p.local !== null && cmp(publicOf(p), spec) === 0);
    case '~=': {
      // ~=2.2.1 is >=2.2.1,==2.2.*
      const prefix = { ...spec, release: spec.release.slice(0, -1), pre: null, post: null, dev: null, local: null };
      return cmp(publicOf(p), spec) >= 0 && prefixMatches(p, prefix);
    }
    default:
      return false;
  }
}

const cmp = compareParsed;
const publicOf = (v: ParsedVersion): ParsedVersion => ({ ...v, local: null });
const isPre = isPreParsed;

/** `==X.Y.*`: same epoch and the release, zero-padded, starts with X.Y (local ignored). */
function prefixMatches(p: ParsedVersion, prefix: ParsedVersion): boolean {
  if (p.epoch !== prefix.epoch) return false;
  return prefix.release.every((n, i) => (p.release[i] ?? 0) === n);
}

/**
 * Whether `version` satisfies every clause of the set (`>=1,<2`). Empty sets accept everything
 * that passes the pre-release rule. `prereleases` decides whether pre-releases may match at all.
 */
export function specifierContains(specifier: string, version: string, prereleases: boolean): boolean {
  const key = `${prereleases ? 1 : 0}\u0000${version}\u0000${specifier}`;
  const known = containsMemo.get(key);
  if (known !== undefined) return known;
  if (containsMemo.size >= MEMO_LIMIT) containsMemo.clear();
  const answer = containsUncached(specifier, version, prereleases);
  containsMemo.set(key, answer);
  return answer;
}

function containsUncached(specifier: string, version: string, prereleases: boolean): boolean {
  const clauses = specifier
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const parsed = parseVersion(version);
  // A string that is no PEP 440 version can only match `===` clauses.
  if (parsed === null) return clauses.length > 0 && clauses.every((c) => clauseContains(c, version));
  if (!prereleases && isPreParsed(parsed)) return false;
  return clauses.every((c) => clauseContains(c, version));
}

/**
 * The one place that touches @renovatebot/pep440's version parser: a typed parse tree, its
 * canonical rendering, and ordering. packaging allows surrounding whitespace; the library does not,
 * so it is stripped here.
 */
import * as pep440 from '@renovatebot/pep440';

export interface ParsedVersion {
  epoch: number;
  release: number[];
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
}

// A scan meets the same few version strings thousands of times (every file name of every page),
// and the library re-parses with one large regular expression each time: both answers are kept.
// Bounded, so a long-lived process does not grow without end.
const MEMO_LIMIT = 50_000;
const parsedMemo = new Map<string, Readonly<ParsedVersion> | null>();
const compareMemo = new Map<string, number>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/** Parse a PEP 440 version; null when invalid. The result is shared: do not modify it. */
export function parseVersion(text: string): Readonly<ParsedVersion> | null {
  const known = parsedMemo.get(text);
  if (known !== undefined) return known;
  // The library's .d.ts types post/dev as arrays; at runtime they are numbers or null.
  const v = pep440.explain(text.replace(/^\s+|\s+$/g, '')) as unknown as ParsedVersion | null;
  const parsed = v
    ? Object.freeze({ epoch: v.epoch, release: Object.freeze(v.release) as number[], pre: v.pre, post: v.post, dev: v.dev, local: v.local })
    : null;
  return remember(parsedMemo, text, parsed);
}

/** Canonical form, as `str(packaging.version.Version(...))` prints it. */
export function renderVersion(v: Readonly<ParsedVersion>): string {
  let out = v.epoch ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local}`;
  return out;
}

/** -1, 0, 1 by PEP 440 ordering. */
export function compareParsed(a: Readonly<ParsedVersion>, b: Readonly<ParsedVersion>): number {
  const ra = renderVersion(a);
  const rb = renderVersion(b);
  if (ra === rb) return 0;
  const key = `${ra} ${rb}`;
  const known = compareMemo.get(key);
  if (known !== undefined) return known;
  return remember(compareMemo, key, Math.sign(pep440.compare(ra, rb)));
}

export const isPreParsed = (v: Readonly<ParsedVersion>): boolean => v.pre !== null || v.dev !== null;

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

/** Parse a PEP 440 version; null when invalid. */
export function parseVersion(text: string): ParsedVersion | null {
  // The library's .d.ts types post/dev as arrays; at runtime they are numbers or null.
  const v = pep440.explain(text.replace(/^\s+|\s+$/g, '')) as unknown as ParsedVersion | null;
  return v ? { epoch: v.epoch, release: v.release, pre: v.pre, post: v.post, dev: v.dev, local: v.local } : null;
}

/** Canonical form, as `str(packaging.version.Version(...))` prints it. */
export function renderVersion(v: ParsedVersion): string {
  let out = v.epoch ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local}`;
  return out;
}

/** -1, 0, 1 by PEP 440 ordering. */
export function compareParsed(a: ParsedVersion, b: ParsedVersion): number {
  return Math.sign(pep440.compare(renderVersion(a), renderVersion(b)));
}

export const isPreParsed = (v: ParsedVersion): boolean => v.pre !== null || v.dev !== null;

import { sortKeys } from '../../adapters/fs.js';

/** Compact JSON with sorted keys and no undefined fields: one history line, identical on every machine. */
export function canonicalLine(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Code-point order, independent of locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Milliseconds of an ISO time; times with different offsets compare correctly. */
export function ms(iso: string): number {
  return Date.parse(iso);
}

export function cmpTime(a: string, b: string): number {
  return ms(a) - ms(b) || cmp(a, b);
}

/**
 * Union by key. When two values share a key, keep the one that sorts first under `prefer`
 * (falling back to the canonical text), so the result never depends on input order.
 */
export function unionBy<T>(items: Iterable<T>, key: (t: T) => string, prefer?: (a: T, b: T) => number): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const have = out.get(k);
    if (have === undefined) {
      out.set(k, item);
      continue;
    }
    const order = prefer?.(item, have) || cmp(canonicalLine(item), canonicalLine(have));
    if (order < 0) out.set(k, item);
  }
  return out;
}

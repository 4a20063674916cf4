/**
 * The hand-written checks loadState runs before zod (src/domain/state/quick-check.ts) may only
 * vouch for what the schema accepts: fast-check mutates real-shaped history lines and manifest
 * entries with hostile values, and whenever a check says yes, zod must say yes with the same data.
 * They must also say yes to the common shape (else they would save nothing), and be switched on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quickHistoryEntry, quickManifestEntry } from '../../src/domain/state/quick-check.js';
import { HistoryEntry, ManifestEntry } from '../../src/domain/state/schema.js';
import { siteState } from '../helpers/site-state.js';

const state = siteState({ packages: 3, attempts: 60 });
const lines = [...state.packages.values()].flatMap((p) => p.history).map((h) => JSON.parse(JSON.stringify(h)) as Record<string, unknown>);
const local = {
  ...JSON.parse(JSON.stringify([...state.packages.values()][0]!.manifest[0]!)),
  storage: { kind: 'local', location: `${'a'.repeat(16)}/pkg_00000-1.0-cp311-cp311-manylinux_2_28_s390x.whl` },
};
const released = {
  ...local,
  storage: {
    kind: 'github-release',
    location: 'https://github.com/acme/wheels/releases/download/wheels/pkg_00000-1.0-cp311-cp311-manylinux_2_28_s390x.whl',
    assetId: 7,
    metadata: { sha256: 'b'.repeat(64), requiresPython: '>=3.9' },
  },
  attestation: { id: '123456', url: 'https://github.com/acme/wheels/attestations/123456' },
};
const wheels = [
  ...[...state.packages.values()].flatMap((p) => p.manifest).map((m) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>),
  local,
  released,
];

// Values a hand edit or a hostile pull request might put in any field.
const hostile = fc.constantFrom<unknown>(
  undefined,
  null,
  '',
  ' ',
  '..',
  '.',
  'a/b',
  'a\\b',
  '../x.whl',
  'x\u0000y',
  'x\u0085y',
  'é'.repeat(200),
  'A-Name',
  'pkg_00000',
  '2026-02-30T00:00:00Z',
  '2026-06-01T00:00:00',
  '2026-06-01 00:00:00Z',
  '2026-06-01T24:00:00Z',
  '2026-06-01T00:00:00+0100',
  'ABCDEF0123456789',
  '0123456789abcdef0',
  'g'.repeat(64),
  'f'.repeat(64),
  'x'.repeat(401),
  0,
  -1,
  1.5,
  2 ** 53,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  true,
  [],
  [1],
  ['a'],
  Array.from({ length: 21 }, () => 'e'),
  {},
  { kind: 'local', location: '../../etc/passwd' },
  { kind: 'local', location: `${'0'.repeat(16)}/../x.whl` },
  { kind: 'local', location: `${'0'.repeat(16)}/x.whl`, extra: 1 },
  { kind: 'github-release', location: 'https://example.invalid/x.whl', assetId: 1.5 },
  { kind: 'elsewhere' },
  { kind: 'github-release', location: 'https://example.invalid/x.whl', metadata: { sha256: 'B'.repeat(64) } },
  { kind: 'github-release', location: 'https://example.invalid/x.whl', metadata: { sha256: 'b'.repeat(64), requiresPython: 'x'.repeat(201) } },
  { kind: 'github-release', location: 'https://example.invalid/x.whl', metadata: { sha256: 'b'.repeat(64), url: 'javascript:x' } },
  { kind: 'github-release', location: 'https://example.invalid/x.whl', metadata: { sha256: 'b'.repeat(64) } },
  { filename: 'x.tar.gz' },
  { id: '12' },
  { id: '12', url: 'https://github.com/acme/wheels/attestations/12' },
  { id: 'x12' },
  { id: '12', url: 'javascript:alert(1)' },
  { id: '12', url: 'http://github.com/a' },
  { id: '12', url: 'https://github.com/a b' },
  { id: '12', name: 'extra' },
  { filename: 'a/x.tar.gz', sha256: 'x' },
  'pkg_00000-9.9-py3-none-any.whl',
  'other-1.0-py3-none-any.whl',
  'not-a-wheel.zip',
  'success',
  'failure',
  'build',
  'turbo',
  'host',
);

function mutations(bases: Record<string, unknown>[]) {
  const keys = [...new Set(bases.flatMap((b) => Object.keys(b))), 'evidence', 'phase', 'compiler', 'image', 'attestation', '__proto__', 'surprise'];
  return fc.tuple(fc.constantFrom(...bases), fc.array(fc.tuple(fc.constantFrom(...keys), hostile), { minLength: 1, maxLength: 3 })).map(([base, edits]) => {
    const v: Record<string, unknown> = JSON.parse(JSON.stringify(base));
    for (const [k, x] of edits) {
      if (x === undefined) delete v[k];
      else Object.defineProperty(v, k, { value: x, enumerable: true, writable: true, configurable: true });
    }
    return v;
  });
}

describe('the quick checks loadState runs before zod', () => {
  it('are switched on: their fields are the schema fields', () => {
    expect(quickHistoryEntry.active).toBe(true);
    expect(quickManifestEntry.active).toBe(true);
  });

  it('vouch for the common shape, as zod does', () => {
    for (const l of lines) {
      expect(quickHistoryEntry(l)).toBe(true);
      expect(HistoryEntry.safeParse(l).success).toBe(true);
    }
    for (const w of wheels) {
      expect(quickManifestEntry(w), JSON.stringify(w)).toBe(true);
      expect(ManifestEntry.safeParse(w).success).toBe(true);
    }
  });

  it('never vouch for a history line zod refuses, nor change what zod would give', () => {
    let vouched = 0;
    fc.assert(
      fc.property(mutations(lines), (v) => {
        if (!quickHistoryEntry(v)) return;
        vouched++;
        const z = HistoryEntry.safeParse(v);
        expect(z.success, JSON.stringify(v)).toBe(true);
        expect(z.data).toEqual(v);
      }),
      { numRuns: 3000 },
    );
    // Some edits are harmless (another preset, a hint): the property saw both answers.
    expect(vouched).toBeGreaterThan(50);
  });

  it('never vouch for a manifest entry zod refuses, nor change what zod would give', () => {
    let vouched = 0;
    fc.assert(
      fc.property(mutations(wheels), (v) => {
        if (!quickManifestEntry(v)) return;
        vouched++;
        const z = ManifestEntry.safeParse(v);
        expect(z.success, JSON.stringify(v)).toBe(true);
        expect(z.data).toEqual(v);
      }),
      { numRuns: 3000 },
    );
    expect(vouched).toBeGreaterThan(50);
  });

  it('refuse what is not a plain JSON object', () => {
    for (const v of [null, [], 'x', 1, Object.create(null), new Map()]) {
      expect(quickHistoryEntry(v)).toBe(false);
      expect(quickManifestEntry(v)).toBe(false);
    }
  });
});

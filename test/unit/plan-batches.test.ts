import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/domain/config/index.js';
import type { PlanUnit } from '../../src/domain/model/plan.js';
import { MAX_MATRIX_ENTRIES, packWaves } from '../../src/stages/plan/batches.js';
import { plan, type PlanDeps } from '../../src/stages/plan/index.js';
import { planUnit } from '../helpers/units.js';

const unit = (id: string, seconds: number, wave = 0): PlanUnit => planUnit(id, { estimatedSeconds: seconds, wave, reason: 'x' });

describe('packing waves into batches', () => {
  it('every unit lands in exactly one batch of its own wave, batches stay under the job limit, at most maxParallel per wave when they fit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ d: fc.integer({ min: 1, max: 20_000 }), wave: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        (specs, parallel) => {
          const units = specs.map((s, i) => unit(`u${i}`, s.d, s.wave));
          const limit = 21_600;
          const r = packWaves(units, { maxParallel: parallel, jobLimitSeconds: limit });
          const placed = r.batches.flatMap((b) => b.units);
          expect(placed.sort()).toEqual(units.map((u) => u.id).sort());
          const waveOf = new Map(units.map((u) => [u.id, u.wave]));
          for (const b of r.batches) {
            for (const id of b.units) expect(waveOf.get(id)).toBe(b.wave);
            expect(b.estimatedSeconds).toBe(b.units.reduce((s, id) => s + units.find((u) => u.id === id)!.estimatedSeconds, 0));
            expect(b.estimatedSeconds).toBeLessThanOrEqual(limit);
          }
          for (const wave of new Set(units.map((u) => u.wave))) {
            const total = units.filter((u) => u.wave === wave).reduce((s, u) => s + u.estimatedSeconds, 0);
            const count = r.batches.filter((b) => b.wave === wave).length;
            // More batches than runners only when the limit forces it: a wave that fits one job never has more.
            if (total <= limit) expect(count).toBeLessThanOrEqual(parallel);
            expect(count).toBeLessThanOrEqual(MAX_MATRIX_ENTRIES);
          }
          expect(r.makespanSeconds).toBeGreaterThanOrEqual(r.lowerBoundSeconds - 1e-6);
          // Greedy onto the least loaded of m batches (Graham): each wave ends by total/m + longest <= 2x its bound.
          const waves = new Set(units.map((u) => u.wave));
          const forced = [...waves].some((w) => r.batches.filter((b) => b.wave === w).length > parallel);
          if (!forced) expect(r.makespanSeconds).toBeLessThanOrEqual(2 * r.lowerBoundSeconds + 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('longest first onto the least loaded: units 5,4,3,3,3 on three runners end at 7 (the optimum; the bound is 6)', () => {
    const r = packWaves([unit('a', 5), unit('b', 4), unit('c', 3), unit('d', 3), unit('e', 3)], { maxParallel: 3, jobLimitSeconds: 100 });
    expect(r.batches.map((b) => b.units)).toEqual([['b', 'e'], ['c', 'd'], ['a']]);
    expect(r.makespanSeconds).toBe(7);
    expect(r.lowerBoundSeconds).toBeCloseTo(6);
  });

  it('a unit over the job limit gets a batch of its own and is named; waves run one after another', () => {
    const r = packWaves([unit('huge', 30_000), unit('small', 100), unit('late', 50, 1)], { maxParallel: 4, jobLimitSeconds: 21_600 });
    expect(r.overLimit).toEqual(['huge']);
    expect(r.batches.map((b) => [b.wave, b.units])).toEqual([
      [0, ['huge']],
      [0, ['small']],
      [1, ['late']],
    ]);
    expect(r.makespanSeconds).toBe(30_050);
  });
});

describe('the plan carries batches and says what will not fit', () => {
  const deps: PlanDeps = {
    recipe: () => undefined,
    learnedHints: () => [],
    lastFailure: () => undefined,
    queued: () => undefined,
    durationEstimate: (n) => (n === 'slow' ? { seconds: 4 * 3600, runs: 1 } : n === 'huge' ? { seconds: 7 * 3600, runs: 1 } : undefined),
    presetSuccession: [],
    now: new Date('2026-12-01T00:00:00Z'),
  };
  const entry = (name: string) => ({
    name,
    version: '1.0',
    python: '3.12',
    target: 'cp312-manylinux_2_28_s390x',
    status: 'needs-build' as const,
    reason: 'x',
    sdist: {
      filename: `${name}-1.0.tar.gz`,
      url: `http://127.0.0.1/${name}-1.0.tar.gz`,
      size: 100_000,
      yanked: false as const,
      metadata: false as const,
      index: 'http://127.0.0.1/simple',
    },
    depth: 0,
    requiredBy: [],
    buildRequires: [],
    abi: 'cpython' as const,
  });
  it('batches per wave from limits.maxParallel; units over the unit timeout or the job limit name turbo and native runners', () => {
    const config = parseConfig('limits:\n  maxParallel: 2\n', 'refinery.yml');
    const p = plan(
      {
        schema: 'refinery/inventory@1',
        generatedAt: 'x',
        targets: [],
        packages: [entry('a'), entry('b'), entry('c'), entry('slow'), entry('huge')],
        cut: [],
        summary: {},
      },
      config,
      deps,
    );
    expect(p.batches.flatMap((b) => b.units).sort()).toEqual(p.matrix.include.map((u) => u.id).sort());
    expect(p.batches.length).toBeGreaterThanOrEqual(2);
    const reason = (n: string) => p.matrix.include.find((u) => u.package === n)!.reason;
    expect(reason('slow')).toMatch(/estimated 240 min, over the unit timeout of 180 min .*turbo.*native s390x runner/);
    expect(reason('huge')).toMatch(/estimated 420 min, over the job time limit of 360 min: it runs in a batch of its own/);
    expect(reason('a')).not.toMatch(/over the/);
    expect(p.makespanSeconds).toBeGreaterThanOrEqual(p.lowerBoundSeconds!);
  });
});

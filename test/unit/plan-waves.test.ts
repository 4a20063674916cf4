// The plan action's wave outputs: what the reusable workflow's wave jobs take as their matrices.
import { describe, expect, it } from 'vitest';
import type { Plan, PlanUnit } from '../../src/domain/model/plan.js';
import { packWaves } from '../../src/stages/plan/batches.js';
import { type BatchRef, expandBatch, waveMatrices } from '../../src/faces/actions/waves.js';
import { planUnit } from '../helpers/units.js';

function planOf(units: PlanUnit[], maxParallel: number): Plan {
  const packed = packWaves(units, { maxParallel, jobLimitSeconds: 21_600 });
  return {
    schema: 'refinery/plan@1',
    generatedAt: '2026-12-02T00:00:00.000Z',
    matrix: { include: units },
    shards: [],
    waves: Math.max(...units.map((u) => u.wave)) + 1,
    skipped: [],
    estimatedSeconds: units.reduce((s, u) => s + u.estimatedSeconds, 0),
    batches: packed.batches,
  };
}
const unit = (id: string, wave: number, seconds = 600) => planUnit(id, { wave, estimatedSeconds: seconds, reason: 'new' });
const entries = (m: string) => (JSON.parse(m) as { include: BatchRef[] }).include;

describe('wave matrices', () => {
  it("put each wave's batches, by unit id, in the matrix of its wave job", () => {
    const units = [unit('a', 0), unit('b', 0), unit('c', 0), unit('d', 1), unit('e', 2)];
    const w = waveMatrices(planOf(units, 2), { waves: 5, maxOutputBytes: 900_000 });
    expect(w.matrices).toHaveLength(5);
    expect(w.counts).toEqual([2, 1, 1, 0, 0]);
    expect(
      entries(w.matrices[0]!)
        .flatMap((e) => e.units)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(entries(w.matrices[1]!)[0]!.units).toEqual(['d']);
    expect(entries(w.matrices[1]!)[0]!.id).toBe('wave-1-batch-2');
    expect(entries(w.matrices[1]!)[0]!.runs_on).toBe(units[3]!.runs_on);
    expect(w.matrices[3]).toBe('{"include":[]}');
    expect(w.queuedDeeper).toBe(0);
  });

  it('leave waves deeper than the workflow has jobs for to the next run, and count their units', () => {
    const units = [unit('a', 0), unit('b', 1), unit('c', 2), unit('d', 2)];
    const w = waveMatrices(planOf(units, 4), { waves: 2, maxOutputBytes: 900_000 });
    expect(w.counts).toEqual([1, 1]);
    expect(w.queuedDeeper).toBe(2);
  });

  it('stop at the outputs cap: the wave that does not fit and every later one wait, never a later wave without its earlier one', () => {
    const units = [unit('a', 0), unit('b', 0), unit('c', 1)];
    const plan = planOf(units, 2);
    const one = Buffer.byteLength(JSON.stringify(entries(waveMatrices(plan, { waves: 5, maxOutputBytes: 900_000 }).matrices[0]!)[0]));
    const w = waveMatrices(plan, { waves: 5, maxOutputBytes: one + 10 });
    expect(w.counts).toEqual([1, 0, 0, 0, 0]);
    expect(w.queuedDeeper).toBe(2);
  });

  it('make one batch per unit for a plan without batches', () => {
    const plan = { ...planOf([unit('a', 0), unit('b', 0)], 1), batches: [] };
    const w = waveMatrices(plan, { waves: 1, maxOutputBytes: 900_000 });
    expect(w.counts).toEqual([2]);
  });
});

describe('a wave entry back into whole units (the plan action with batch and plan-file)', () => {
  const units = [unit('a', 0), unit('b', 0), unit('c', 1)];
  const plan = planOf(units, 1);
  const [w0, w1] = waveMatrices(plan, { waves: 2, maxOutputBytes: 900_000 }).matrices.map((m) => entries(m)[0]!);

  it('gives the batch with its units from the plan, in the batch order, for actions/build', () => {
    const batch = expandBatch(plan, JSON.stringify(w0));
    expect(batch.id).toBe(w0!.id);
    expect(batch.units).toEqual(w0!.units.map((id) => units.find((u) => u.id === id)));
    expect(expandBatch(plan, JSON.stringify(w1)).units).toEqual([units[2]]);
  });

  it('refuses an entry that is not JSON, not a wave entry, or names a unit the plan has not in that wave', () => {
    expect(() => expandBatch(plan, '{"id":')).toThrow(/not JSON/);
    expect(() => expandBatch(plan, JSON.stringify({ ...w0, units: [] }))).toThrow(/not a wave matrix entry/);
    expect(() => expandBatch(plan, JSON.stringify({ ...w0, units: ['../x'] }))).toThrow(/not a wave matrix entry/);
    expect(() => expandBatch(plan, JSON.stringify({ ...w0, units: ['zz'] }))).toThrow(/names "zz", which is not a unit of wave 0/);
    expect(() => expandBatch(plan, JSON.stringify({ ...w0, units: ['c'] }))).toThrow(/not a unit of wave 0/);
  });
});

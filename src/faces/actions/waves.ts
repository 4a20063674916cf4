import { readJson, schemaError } from '../../adapters/json-file.js';
import { Plan, PlanUnit, Runner } from '../../domain/model/plan.js';
import { RefineryError } from '../../errors.js';
import { z } from 'zod';

/** One matrix entry of a wave job: a batch of one wave, by unit id. */
export const BatchRef = z.object({
  /** `wave-<w>-batch-<i>`: the job's name. */
  id: z.string().regex(/^wave-\d+-batch-\d+$/),
  wave: z.number().int().nonnegative(),
  batch: z.number().int().nonnegative(),
  runner: Runner,
  /** runs-on as a JSON string, like a unit's. */
  runs_on: z.string(),
  estimatedSeconds: z.number().nonnegative(),
  /** Unit ids, built in this order. */
  units: z.array(PlanUnit.shape.id).min(1),
});
export type BatchRef = z.infer<typeof BatchRef>;

/** A batch with its whole units: what actions/build takes as its `unit` input. */
export type BatchEntry = Omit<BatchRef, 'units'> & { units: PlanUnit[] };

export interface WaveMatrices {
  /** `{"include":[BatchRef...]}` per wave job, `{"include":[]}` where the wave has nothing. */
  matrices: string[];
  /** Batches per wave job (`0`: the job is skipped). */
  counts: number[];
  /** Units left for a later run: deeper waves than the workflow has jobs for, or over the output cap. */
  queuedDeeper: number;
}

export function waveMatrices(plan: Plan, o: { waves: number; maxOutputBytes: number }): WaveMatrices {
  const byId = new Map(plan.matrix.include.map((u) => [u.id, u]));
  // Plans from before batching have none: every unit is then a batch of its own.
  const batches =
    plan.batches.length > 0
      ? plan.batches
      : plan.matrix.include.map((u, index) => ({ wave: u.wave, index, units: [u.id], estimatedSeconds: u.estimatedSeconds }));
  const entries: BatchRef[][] = Array.from({ length: o.waves }, () => []);
  let queuedDeeper = 0;
  let bytes = 0;
  let full = false;
  for (const b of batches) {
    const first = byId.get(b.units[0] ?? '');
    if (!first) continue;
    const entry: BatchRef = {
      id: `wave-${b.wave}-batch-${b.index}`,
      wave: b.wave,
      batch: b.index,
      runner: first.runner,
      runs_on: first.runs_on,
      estimatedSeconds: b.estimatedSeconds,
      units: b.units,
    };
    // A wave builds against every earlier one: once one is cut (batches come in wave order),
    // everything after it waits too.
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (!full && b.wave < o.waves && bytes + size <= o.maxOutputBytes) {
      entries[b.wave]!.push(entry);
      bytes += size;
    } else {
      if (b.wave < o.waves) full = true;
      queuedDeeper += b.units.length;
    }
  }
  return { matrices: entries.map((include) => JSON.stringify({ include })), counts: entries.map((e) => e.length), queuedDeeper };
}

/** A wave job's matrix entry with its units from the plan file; either one wrong is one input error. */
export function expandBatch(plan: Plan, batchJson: string): BatchEntry {
  let raw: unknown;
  try {
    raw = JSON.parse(batchJson);
  } catch (e) {
    throw new RefineryError('input', `the batch input is not JSON: ${(e as Error).message}`, {
      fix: 'pass the wave job matrix entry: batch: ${{ toJSON(matrix) }}',
    });
  }
  const ref = BatchRef.safeParse(raw);
  if (!ref.success) {
    throw schemaError(
      ref.error,
      { file: 'batch input' },
      {
        code: 'input',
        invalid: 'the batch input is not a wave matrix entry',
        fix: 'pass the wave job matrix entry: batch: ${{ toJSON(matrix) }}',
      },
    );
  }
  const byId = new Map(plan.matrix.include.map((u) => [u.id, u]));
  const units = ref.data.units.map((id) => {
    const u = byId.get(id);
    if (!u || u.wave !== ref.data.wave) {
      throw new RefineryError('input', `the batch names ${JSON.stringify(id.slice(0, 120))}, which is not a unit of wave ${ref.data.wave} in the plan`, {
        fix: 'give the plan file of the same run (the plan job uploads it as the refinery-plan artifact)',
      });
    }
    return u;
  });
  return { ...ref.data, units };
}

/** The plan file the plan job wrote (and uploaded), read as untrusted input. */
export async function readPlanFile(file: string): Promise<Plan> {
  return readJson(Plan, file, {
    code: 'input',
    noun: 'the plan',
    invalid: 'not a refinery plan',
    maxBytes: 256 * 1024 * 1024,
    fix: "pass the plan file of the same refinery version: the plan job's refinery-plan artifact holds it",
  });
}

/**
 * The plan's batches as one matrix per dependency wave, for a workflow with a fixed number of wave
 * jobs (GitHub has no loops: `.github/workflows/refinery.yml` has wave-0 .. wave-4). Each matrix
 * entry is one batch: its units built one after another by one job (actions/build reads the entry
 * as its `unit` input). Waves past the workflow's last wave job, and batches that would push the
 * job's outputs over GitHub's 1 MB, wait for the next run: once the earlier waves are recorded, the
 * next plan starts there.
 */
import type { Plan, PlanUnit, Runner } from '../../domain/model/plan.js';

/** One matrix entry: a batch of one wave. */
export interface BatchEntry {
  /** `wave-<w>-batch-<i>`: the job's name and the suffix of its result artifact. */
  id: string;
  wave: number;
  batch: number;
  runner: Runner;
  /** runs-on as a JSON string, like a unit's. */
  runs_on: string;
  estimatedSeconds: number;
  units: PlanUnit[];
}

export interface WaveMatrices {
  /** `{"include":[BatchEntry...]}` per wave job, `{"include":[]}` where the wave has nothing. */
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
  const entries: BatchEntry[][] = Array.from({ length: o.waves }, () => []);
  let queuedDeeper = 0;
  let bytes = 0;
  let full = false;
  for (const b of batches) {
    const units = b.units.map((id) => byId.get(id)).filter((u): u is PlanUnit => u !== undefined);
    const first = units[0];
    if (!first) continue;
    const entry: BatchEntry = {
      id: `wave-${b.wave}-batch-${b.index}`,
      wave: b.wave,
      batch: b.index,
      runner: first.runner,
      runs_on: first.runs_on,
      estimatedSeconds: b.estimatedSeconds,
      units,
    };
    // A wave builds against every earlier one: once one is cut (batches come in wave order),
    // everything after it waits too.
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (!full && b.wave < o.waves && bytes + size <= o.maxOutputBytes) {
      entries[b.wave]!.push(entry);
      bytes += size;
    } else {
      if (b.wave < o.waves) full = true;
      queuedDeeper += units.length;
    }
  }
  return { matrices: entries.map((include) => JSON.stringify({ include })), counts: entries.map((e) => e.length), queuedDeeper };
}

/**
 * Batches: a wave's units packed into at most `maxParallel` matrix entries, each built one unit
 * after another by one job, so one workflow run builds a whole wave whatever its size. Packing is
 * longest-first onto the least-loaded batch (LPT), which keeps the wave's makespan close to its
 * lower bound max(longest unit, total / maxParallel). A wave too big for one round of jobs under
 * the runner's job time limit is planned as whole rounds (k x maxParallel batches, up to GitHub's
 * 256 matrix entries); a unit that fits no batch opens another. The runners take the batches in
 * order, longest first, as they free up.
 */
import type { PlanUnit } from '../../domain/model/plan.js';
import { byCodePoint } from '../../domain/model/order.js';

/** GitHub runs at most 256 jobs from one matrix. */
export const MAX_MATRIX_ENTRIES = 256;

export interface Batch {
  wave: number;
  /** Position in the plan's batch list (all waves). */
  index: number;
  /** Unit ids, built in this order. */
  units: string[];
  estimatedSeconds: number;
}

export interface PackOptions {
  /** Jobs GitHub runs at once (the workflow's max-parallel), 1-256. */
  maxParallel: number;
  /** The runner's job time limit: 360 minutes on GitHub-hosted runners. */
  jobLimitSeconds: number;
}

export interface PackResult {
  batches: Batch[];
  /** Units whose estimate alone is over the job time limit: each gets a batch of its own, and is said. */
  overLimit: string[];
  /** Estimated wall time of all waves, one after another, on `maxParallel` runners. */
  makespanSeconds: number;
  /** Sum over waves of max(longest unit, wave total / maxParallel): no packing does better. */
  lowerBoundSeconds: number;
}

export function packWaves(units: readonly PlanUnit[], o: PackOptions): PackResult {
  const parallel = Math.max(1, Math.min(MAX_MATRIX_ENTRIES, Math.floor(o.maxParallel)));
  const batches: Batch[] = [];
  const overLimit: string[] = [];
  let makespan = 0;
  let bound = 0;
  for (const wave of [...new Set(units.map((u) => u.wave))].sort((a, b) => a - b)) {
    const inWave = units.filter((u) => u.wave === wave).sort((a, b) => b.estimatedSeconds - a.estimatedSeconds || byCodePoint(a.id, b.id));
    const total = inWave.reduce((s, u) => s + u.estimatedSeconds, 0);
    // When one round of `parallel` jobs cannot hold the wave under the job limit, plan whole rounds:
    // k x parallel batches of about total / (k x parallel) each, so every runner takes k of them.
    const rounds = Math.max(1, Math.ceil(total / (parallel * o.jobLimitSeconds)));
    const target = Math.min(MAX_MATRIX_ENTRIES, parallel * rounds);
    const bins: { units: string[]; load: number }[] = [];
    for (const u of inWave) {
      const d = u.estimatedSeconds;
      if (d > o.jobLimitSeconds) {
        overLimit.push(u.id);
        bins.push({ units: [u.id], load: d });
        continue;
      }
      let best: { units: string[]; load: number } | undefined;
      for (const b of bins) if (b.load + d <= o.jobLimitSeconds && (!best || b.load < best.load)) best = b;
      // Fewer batches than planned: a new one costs nothing (its runner would idle otherwise).
      if (!best || (bins.length < target && best.load > 0)) {
        if (bins.length < MAX_MATRIX_ENTRIES) best = { units: [], load: 0 };
        else best = bins.reduce((m, b) => (b.load < m.load ? b : m));
        if (!bins.includes(best)) bins.push(best);
      }
      best.units.push(u.id);
      best.load += d;
    }
    // Runners take batches in matrix order as they free up: longest first keeps the tail short.
    bins.sort((a, b) => b.load - a.load);
    for (const b of bins) batches.push({ wave, index: batches.length, units: b.units, estimatedSeconds: b.load });
    makespan += listSchedule(
      bins.map((b) => b.load),
      parallel,
    );
    bound += Math.max(inWave[0]?.estimatedSeconds ?? 0, total / parallel);
  }
  return { batches, overLimit, makespanSeconds: makespan, lowerBoundSeconds: bound };
}

/** Finish time of jobs taken in order by `runners` machines, each starting the next when free. */
function listSchedule(loads: readonly number[], runners: number): number {
  const free = new Array<number>(Math.min(runners, loads.length)).fill(0);
  for (const load of loads) {
    let i = 0;
    for (let j = 1; j < free.length; j++) if (free[j]! < free[i]!) i = j;
    free[i]! += load;
  }
  return free.reduce((m, t) => Math.max(m, t), 0);
}

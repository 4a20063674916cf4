import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { Plan } from '../../domain/model/plan.js';
import { RefineryError } from '../../errors.js';
import { planSummary } from './summary.js';
import { waveMatrices } from './waves.js';

/** A whole-number input within bounds, or undefined when not given. */
export function countInput(name: string, min: number, max: number, fix: string): number | undefined {
  const text = core.getInput(name).trim();
  if (text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RefineryError('usage', `the ${name} input must be a whole number from ${min} to ${max}, not ${JSON.stringify(text.slice(0, 20))}`, { fix });
  }
  return n;
}

/**
 * The plan's outputs and job summary: what actions/plan and actions/queue both hand to build jobs.
 * `waves` 0: the first shard as `matrix`; more: one matrix of batches per wave job (`wave-N`,
 * `wave-N-batches`) and `queued-deeper`, for a workflow with that many wave jobs.
 */
export async function writePlanOutputs(plan: Plan, o: { waves: number; maxOutputBytes: number }): Promise<void> {
  const out = resolve(process.env.RUNNER_TEMP ?? '.', 'refinery-plan.json');
  await writeFile(out, `${JSON.stringify(plan, null, 2)}\n`);
  core.setOutput('plan', out);
  core.setOutput('shards', String(plan.shards.length));
  core.setOutput('units', String(plan.matrix.include.length));
  if (o.waves === 0) {
    // The first shard is what a single build job consumes; more shards need more jobs (see docs).
    core.setOutput('matrix', JSON.stringify(plan.shards[0]?.matrix ?? { include: [] }));
    if (plan.shards.length > 1) core.warning(`the plan has ${plan.shards.length} shards; the matrix output holds the first (see docs/actions.md)`);
  } else {
    // A workflow with one job per wave: every wave's batches at once, within the outputs cap.
    const w = waveMatrices(plan, o);
    w.matrices.forEach((m, i) => {
      core.setOutput(`wave-${i}`, m);
      core.setOutput(`wave-${i}-batches`, String(w.counts[i]));
    });
    core.setOutput('queued-deeper', String(w.queuedDeeper));
    if (w.queuedDeeper > 0) {
      core.warning(
        `${w.queuedDeeper} unit(s) wait for the next run: the plan has ${plan.waves} dependency wave(s) and this workflow builds ${o.waves} (or the job outputs cap, limits.maxOutputBytes, was reached); once these waves are recorded, the next plan starts there`,
      );
    }
  }
  planSummary(plan);
}

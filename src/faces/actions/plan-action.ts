// actions/plan: build units as matrices; `matrix` feeds `strategy.matrix` of the build job.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { RefineryError } from '../../errors.js';
import type { Inventory } from '../../domain/model/inventory.js';
import { readInventory } from '../../session/index.js';
import { actionSession, runAction } from './inputs.js';
import { annotateWarnings, planSummary } from './summary.js';
import { expandBatch, readPlanFile, waveMatrices } from './waves.js';

/** A whole-number input within bounds, or undefined when not given. */
function countInput(name: string, min: number, max: number, fix: string): number | undefined {
  const text = core.getInput(name).trim();
  if (text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RefineryError('usage', `the ${name} input must be a whole number from ${min} to ${max}, not ${JSON.stringify(text.slice(0, 20))}`, { fix });
  }
  return n;
}

await runAction(async () => {
  // A wave job's entry names its units; the plan file from the plan job holds them whole.
  const batch = core.getInput('batch');
  if (batch) {
    const file = core.getInput('plan-file');
    if (!file)
      throw new RefineryError('usage', 'the batch input needs plan-file', {
        fix: "download the plan job's refinery-plan artifact and pass its file as plan-file",
      });
    core.setOutput('batch', JSON.stringify(expandBatch(await readPlanFile(resolve(process.cwd(), file)), batch)));
    return;
  }
  // GitHub workflows have no loops: a workflow has a fixed number of wave jobs (0: only `matrix`).
  const waves = countInput('waves', 1, 8, 'pass the number of wave jobs the workflow has (.github/workflows/refinery.yml has 5)') ?? 0;
  const maxParallel = countInput('max-parallel', 1, 256, "pass the workflow's max-parallel (GitHub runs at most 256 jobs of one matrix)");
  const session = await actionSession();
  // The workflow's max-parallel decides how many batches a wave is packed into (over the config's).
  if (maxParallel !== undefined) session.config.limits.maxParallel = maxParallel;
  const inventoryPath = core.getInput('inventory');
  let inventory: Inventory;
  if (inventoryPath) inventory = await readInventory(resolve(session.cwd, inventoryPath));
  else {
    inventory = await session.scan();
    annotateWarnings(inventory, session.baseDir);
  }
  const plan = await session.plan(inventory);
  const out = resolve(process.env.RUNNER_TEMP ?? '.', 'refinery-plan.json');
  await writeFile(out, `${JSON.stringify(plan, null, 2)}\n`);
  core.setOutput('plan', out);
  core.setOutput('shards', String(plan.shards.length));
  core.setOutput('units', String(plan.matrix.include.length));
  if (waves === 0) {
    // The first shard is what a single build job consumes; more shards need more jobs (see docs).
    core.setOutput('matrix', JSON.stringify(plan.shards[0]?.matrix ?? { include: [] }));
    if (plan.shards.length > 1) core.warning(`the plan has ${plan.shards.length} shards; the matrix output holds the first (see docs/actions.md)`);
  } else {
    // A workflow with one job per wave: every wave's batches at once, within the outputs cap.
    const w = waveMatrices(plan, { waves, maxOutputBytes: session.config.limits.maxOutputBytes });
    w.matrices.forEach((m, i) => {
      core.setOutput(`wave-${i}`, m);
      core.setOutput(`wave-${i}-batches`, String(w.counts[i]));
    });
    core.setOutput('queued-deeper', String(w.queuedDeeper));
    if (w.queuedDeeper > 0) {
      core.warning(
        `${w.queuedDeeper} unit(s) wait for the next run: the plan has ${plan.waves} dependency wave(s) and this workflow builds ${waves} (or the job outputs cap, limits.maxOutputBytes, was reached); once these waves are recorded, the next plan starts there`,
      );
    }
  }
  planSummary(plan);
  await core.summary.write();
});

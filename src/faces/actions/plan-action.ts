// actions/plan: build units as matrices; `matrix` feeds `strategy.matrix` of the build job.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { RefineryError } from '../../errors.js';
import type { Inventory } from '../../domain/model/inventory.js';
import { readInventory } from '../../session/index.js';
import { actionSession, runAction } from './inputs.js';
import { countInput, writePlanOutputs } from './plan-outputs.js';
import { annotateWarnings } from './summary.js';
import { expandBatch, readPlanFile } from './waves.js';

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
  // Handed to the record job (artifact refinery-inventory): its summary counts the upstream wheels.
  const inventoryOut = resolve(process.env.RUNNER_TEMP ?? '.', 'refinery-inventory.json');
  await writeFile(inventoryOut, `${JSON.stringify(inventory, null, 2)}\n`);
  core.setOutput('inventory', inventoryOut);
  const plan = await session.plan(inventory);
  await writePlanOutputs(plan, { waves, maxOutputBytes: session.config.limits.maxOutputBytes });
  await core.summary.write();
});

// actions/plan: build units as matrices; `matrix` feeds `strategy.matrix` of the build job.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { Inventory } from '../../domain/model/inventory.js';
import { processContext } from '../cli/context.js';
import { loadEffectiveConfig } from '../cli/options.js';
import { readInventory } from '../cli/commands/plan.js';
import { runPlan, runScan } from '../cli/run-scan.js';
import { runAction, scanInputs } from './inputs.js';
import { annotateWarnings, planSummary } from './summary.js';

await runAction(async () => {
  const ctx = processContext();
  const o = scanInputs();
  const { config, stateDir, baseDir } = await loadEffectiveConfig(ctx, o);
  const inventoryPath = core.getInput('inventory');
  let inventory: Inventory;
  if (inventoryPath) inventory = await readInventory(resolve(ctx.cwd, inventoryPath));
  else {
    inventory = await runScan(ctx, o, { progress: false, printWarnings: false });
    annotateWarnings(inventory, baseDir);
  }
  const plan = await runPlan(inventory, config, stateDir);
  const out = resolve(process.env.RUNNER_TEMP ?? '.', 'refinery-plan.json');
  await writeFile(out, `${JSON.stringify(plan, null, 2)}\n`);
  core.setOutput('plan', out);
  // The first shard is what a single build job consumes; more shards need more jobs (see docs).
  core.setOutput('matrix', JSON.stringify(plan.shards[0]?.matrix ?? { include: [] }));
  core.setOutput('shards', String(plan.shards.length));
  core.setOutput('units', String(plan.matrix.include.length));
  if (plan.shards.length > 1) core.warning(`the plan has ${plan.shards.length} shards; the matrix output holds the first (see docs/actions.md)`);
  planSummary(plan);
  await core.summary.write();
});

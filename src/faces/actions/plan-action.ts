// actions/plan: build units as matrices; `matrix` feeds `strategy.matrix` of the build job.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { Inventory } from '../../domain/model/inventory.js';
import { readInventory } from '../../session/index.js';
import { actionSession, runAction } from './inputs.js';
import { annotateWarnings, planSummary } from './summary.js';

await runAction(async () => {
  const session = await actionSession();
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
  // The first shard is what a single build job consumes; more shards need more jobs (see docs).
  core.setOutput('matrix', JSON.stringify(plan.shards[0]?.matrix ?? { include: [] }));
  core.setOutput('shards', String(plan.shards.length));
  core.setOutput('units', String(plan.matrix.include.length));
  if (plan.shards.length > 1) core.warning(`the plan has ${plan.shards.length} shards; the matrix output holds the first (see docs/actions.md)`);
  planSummary(plan);
  await core.summary.write();
});

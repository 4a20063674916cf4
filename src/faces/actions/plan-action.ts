// actions/plan: build units as matrices; `matrix` feeds `strategy.matrix` of the build job.
import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { Inventory } from '../../domain/model/inventory.js';
import { readInventory } from '../../session/index.js';
import { actionSession, runAction } from './inputs.js';
import { writePlanOutputs } from './plan-outputs.js';
import { annotateWarnings } from './summary.js';

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
  await writePlanOutputs(plan);
  await core.summary.write();
});

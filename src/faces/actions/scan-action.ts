// actions/scan: resolve and classify; outputs the inventory for actions/plan.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { actionSession, runAction } from './inputs.js';
import { annotateWarnings, inventorySummary } from './summary.js';

await runAction(async () => {
  const session = await actionSession();
  const inventory = await session.scan();
  annotateWarnings(inventory, session.baseDir);
  const out = resolve(process.env.RUNNER_TEMP ?? '.', 'refinery-inventory.json');
  await writeFile(out, `${JSON.stringify(inventory, null, 2)}\n`);
  core.setOutput('inventory', out);
  core.setOutput('needs-build', String(inventory.summary['needs-build'] ?? 0));
  core.setOutput('summary', JSON.stringify(inventory.summary));
  inventorySummary(inventory);
  await core.summary.write();
});

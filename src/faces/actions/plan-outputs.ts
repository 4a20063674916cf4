import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { Plan } from '../../domain/model/plan.js';
import { planSummary } from './summary.js';

/** The plan's outputs and job summary: what actions/plan and actions/queue both hand to build jobs. */
export async function writePlanOutputs(plan: Plan): Promise<void> {
  const out = resolve(process.env.RUNNER_TEMP ?? '.', 'refinery-plan.json');
  await writeFile(out, `${JSON.stringify(plan, null, 2)}\n`);
  core.setOutput('plan', out);
  // The first shard is what a single build job consumes; more shards need more jobs (see docs).
  core.setOutput('matrix', JSON.stringify(plan.shards[0]?.matrix ?? { include: [] }));
  core.setOutput('shards', String(plan.shards.length));
  core.setOutput('units', String(plan.matrix.include.length));
  if (plan.shards.length > 1) core.warning(`the plan has ${plan.shards.length} shards; the matrix output holds the first (see docs/actions.md)`);
  planSummary(plan);
}

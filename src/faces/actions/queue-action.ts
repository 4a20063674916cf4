// actions/queue: the scheduled drain. Plans the retry queue's due entries only; with none due it
// says `has-work: false` and nothing else, so the build and record jobs are skipped.
import * as core from '@actions/core';
import { allQueueEntries, dueQueueEntries } from '../../domain/state/queries.js';
import { actionSession, runAction, scanInputs } from './inputs.js';
import { countInput, writePlanOutputs } from './plan-outputs.js';
import { annotateWarnings } from './summary.js';

await runAction(async () => {
  // The same wave outputs as actions/plan, for a drain through the same wave jobs.
  const waves = countInput('waves', 1, 8, 'pass the number of wave jobs the workflow has') ?? 0;
  const maxParallel = countInput('max-parallel', 1, 256, "pass the workflow's max-parallel (GitHub runs at most 256 jobs of one matrix)");
  const s = await actionSession(scanInputs());
  if (maxParallel !== undefined) s.config.limits.maxParallel = maxParallel;
  const state = await s.state();
  const due = dueQueueEntries(state, new Date());
  if (due.length === 0) {
    const next = allQueueEntries(state)
      .filter((q) => q.status === 'waiting')
      .sort((a, b) => a.nextEligibleAt.localeCompare(b.nextEligibleAt))[0];
    core.setOutput('has-work', 'false');
    core.summary.addHeading('s390x retry queue', 2);
    core.summary.addRaw(
      next ? `Nothing is due. Next: \`${next.package}==${next.version}\` at ${next.nextEligibleAt} (${next.reason}).\n` : 'The retry queue is empty.\n',
    );
    await core.summary.write();
    return;
  }
  const pins = [...new Set(due.map((q) => `${q.package}==${q.version}`))];
  core.info(`${due.length} queue entr${due.length === 1 ? 'y is' : 'ies are'} due: ${pins.join(', ')}`);
  const inventory = await s.scan({ only: pins });
  annotateWarnings(inventory, s.baseDir);
  const plan = await s.plan(inventory);
  core.setOutput('has-work', plan.matrix.include.length > 0 ? 'true' : 'false');
  await writePlanOutputs(plan, { waves, maxOutputBytes: s.config.limits.maxOutputBytes });
  await core.summary.write();
});

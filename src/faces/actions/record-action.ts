// actions/record: merge this run's build results into the state and commit it back; the only step
// of a workflow that writes (contents: write on its job alone).
import type { Dirent } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { allQueueEntries } from '../../domain/state/queries.js';
import { readInventory, readResults, recordResults } from '../../session/index.js';
import { downloadResults, INVENTORY_ARTIFACT } from './artifacts.js';
import { actionSession, commitInputs, runAction, workspace } from './inputs.js';
import { failureWords, recordSummary } from './summary.js';

await runAction(async () => {
  const ws = workspace();
  const stateDir = core.getInput('state-dir');
  const config = core.getInput('config');
  const s = await actionSession({ ...(config ? { config: resolve(ws, config) } : {}), ...(stateDir ? { state: resolve(ws, stateDir) } : {}) });
  const { token, commit, store, refused } = await commitInputs();

  let results = core.getInput('results');
  if (results) results = resolve(ws, results);
  else {
    results = join(process.env.RUNNER_TEMP ?? ws, 'refinery-results');
    await mkdir(results, { recursive: true });
    const names = await downloadResults(results);
    core.info(`downloaded ${names.length} result artifact(s) of this run into ${results}`);
  }

  const report = await recordResults(s, {
    results,
    store,
    commit,
    ...(token ? { token } : {}),
    log: (l) => core.info(l),
  });
  const { outcome } = report;
  const failures = (await readResults(results)).filter((rf) => rf.result.status === 'failure');
  const reused = await countReused(results);
  const waiting = allQueueEntries(outcome.state).filter((q) => q.status === 'waiting');
  const nextDue = waiting.sort((a, b) => a.nextEligibleAt.localeCompare(b.nextEligibleAt))[0];
  const inventory = await findInventory(results);
  const sha = report.commit?.commit ?? '';
  recordSummary({
    // A reused unit brings back the result of the run that built it: not a new build.
    built: Math.max(0, outcome.built - reused),
    reused,
    ...(inventory ? { upstream: inventory.summary['upstream-wheel'] ?? 0 } : {}),
    failed: failures.map((rf) => {
      const w = failureWords(rf.result);
      return { unit: rf.result.unit.id, cls: w.cls, hint: w.hint };
    }),
    queueDepth: waiting.length,
    ...(nextDue ? { nextDue } : {}),
    commit: { how: commit, ...(sha ? { sha } : {}), ...(refused ? { refused } : {}) },
  });
  core.setOutput('commit', sha);
  core.setOutput('built', String(Math.max(0, outcome.built - reused)));
  core.setOutput('failed', String(outcome.failed));
  core.setOutput('queued', String(waiting.length));
  await core.summary.write();
});

/** `<unit>.reused.json` markers the build action leaves beside a result it restored from the cache. */
async function countReused(dir: string): Promise<number> {
  let n = 0;
  const walk = async (folder: string): Promise<void> => {
    const entries: Dirent[] = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(folder, e.name));
      else if (e.isFile() && e.name.endsWith('.reused.json')) n++;
    }
  };
  await walk(dir);
  return n;
}

/** The scan's inventory when the plan job handed it over (artifact `refinery-inventory`): upstream counts. */
async function findInventory(dir: string) {
  const file = join(dir, INVENTORY_ARTIFACT, 'refinery-inventory.json');
  return readInventory(file).catch(() => undefined);
}

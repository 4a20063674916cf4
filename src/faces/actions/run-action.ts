// The root action: the whole pipeline in one job (scan, plan, build every unit in order, record),
// for small sets and native s390x runners. The same session and stages as actions/build and
// actions/record; no matrix, so no artifacts are needed between jobs (upload keeps them anyway).
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { allQueueEntries } from '../../domain/state/queries.js';
import { openStore, readResults, recordResults } from '../../session/index.js';
import { uploadResult } from './artifacts.js';
import { actionSession, buildInputs, commitInputs, runAction, scanInputs, workspace } from './inputs.js';
import { annotateFailures, annotateWarnings, batchStatus, buildSummary, failureWords, recordSummary, type UnitReport } from './summary.js';
import { writePlanOutputs } from './plan-outputs.js';

await runAction(async () => {
  const ws = workspace();
  const { executor: executorKind, compiler, network } = buildInputs();
  const s = await actionSession({ ...scanInputs(), ...(compiler ? { compiler } : {}) });
  const { token, commit, store: storeSpec, refused } = await commitInputs();
  const outDir = resolve(ws, core.getInput('out') || 'wheelhouse');
  const { executor, reason } = await s.executor({ ...(executorKind ? { executor: executorKind } : {}), ...(network ? { network } : {}), pull: true });
  core.info(`executor: ${executor.kind} (${reason})`);
  const store = await openStore(s, storeSpec, token ? { token } : {});

  const r = await s.pipeline({
    executor,
    outDir,
    ...(store ? { store } : {}),
    onUnit: (u) => core.info(`${u.unit.id}: ${u.outcome}${'reason' in u ? ` (${u.reason})` : ''}`),
  });
  annotateWarnings(r.inventory, s.baseDir);
  await writePlanOutputs(r.plan, { waves: 0, maxOutputBytes: s.config.limits.maxOutputBytes });

  // The results the builds wrote; reused and skipped units have none.
  const results = new Map((await readResults(outDir).catch(() => [])).map((rf) => [rf.result.unit.id, rf.result]));
  const reports: UnitReport[] = [];
  for (const u of r.units) {
    if (u.outcome === 'reused') reports.push({ unit: u.unit, status: 'reused', reused: { wheel: u.wheel.split('/').pop()!, reason: u.reason } });
    else if (u.outcome === 'built' || u.outcome === 'failed') {
      const result = results.get(u.unit.id);
      const last = result?.attempts.at(-1);
      reports.push({
        unit: u.unit,
        status: u.outcome === 'built' ? 'built' : last?.failureClass === 'timeout' ? 'timeout' : 'failed',
        ...(result ? { result } : {}),
      });
    }
  }
  if (core.getBooleanInput('upload'))
    for (const rep of reports.filter((x) => x.result)) {
      const res = rep.result!;
      const names = [`${rep.unit.id}.result.json`, res.log, ...(res.wheel ? [res.wheel.filename] : []), ...res.attempts.flatMap((a) => (a.log ? [a.log] : []))];
      await uploadResult(
        rep.unit.id,
        outDir,
        [...new Set(names)].map((n) => resolve(outDir, n)),
      );
    }

  // The pipeline recorded into the state; committing goes through record again (idempotent).
  const recorded =
    commit !== 'none' && r.recorded
      ? await recordResults(s, { results: outDir, store: storeSpec, commit, ...(token ? { token } : {}), log: (l) => core.info(l) })
      : undefined;
  const state = recorded?.outcome.state ?? r.recorded?.state ?? (await s.state());
  const waiting = allQueueEntries(state).filter((q) => q.status === 'waiting');
  const nextDue = waiting.sort((a, b) => a.nextEligibleAt.localeCompare(b.nextEligibleAt))[0];
  const sha = recorded?.commit?.commit ?? '';

  const leftOut = annotateFailures(reports);
  buildSummary(reports, leftOut);
  recordSummary({
    built: reports.filter((x) => x.status === 'built').length,
    reused: reports.filter((x) => x.status === 'reused').length,
    upstream: r.inventory.summary['upstream-wheel'] ?? 0,
    failed: reports.flatMap((x) => (x.result && x.status !== 'built' ? [{ unit: x.unit.id, ...failureWords(x.result) }] : [])),
    queueDepth: waiting.length,
    ...(nextDue ? { nextDue } : {}),
    commit: { how: commit, ...(sha ? { sha } : {}), ...(refused ? { refused } : {}) },
  });
  const status = reports.length > 0 ? batchStatus(reports) : 'built';
  core.setOutput('status', reports.length > 0 ? status : 'nothing');
  core.setOutput('results', outDir);
  core.setOutput('commit', sha);
  core.setOutput('built', String(reports.filter((x) => x.status === 'built').length));
  core.setOutput('failed', String(reports.filter((x) => x.status === 'failed' || x.status === 'timeout').length));
  core.setOutput('queued', String(waiting.length));
  await core.summary.write();
  if (status === 'failed' || status === 'timeout') {
    process.exitCode = 1;
    core.info('some units failed; the annotations above say which and what next');
  }
});

// actions/build: build one matrix entry (a unit, or a batch of units one after another), upload each
// unit's result as an artifact, keep pip's cache, the uv seeds and the unit's wheel in the Actions cache.
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { environmentError } from '../../domain/executors/choose.js';
import { RefineryError } from '../../errors.js';
import { uvSeedsDir } from '../../session/index.js';
import { uploadResult } from './artifacts.js';
import { cacheAvailable, pipCacheDir, restorePip, restoreUvSeeds, restoreWheel, savePip, saveUvSeeds, saveWheel } from './caches.js';
import { actionSession, buildInputs, listInput, runAction, workspace } from './inputs.js';
import { annotateFailures, batchStatus, buildSummary, type UnitReport } from './summary.js';
import { parseUnitInput } from './unit-input.js';

await runAction(async () => {
  const ws = workspace();
  const units = parseUnitInput(core.getInput('unit', { required: true }));
  const { executor: executorKind, compiler, network } = buildInputs();
  const config = core.getInput('config');
  const s = await actionSession({
    ...(config ? { config: resolve(ws, config) } : {}),
    ...(compiler ? { compiler } : {}),
  });
  const outDir = resolve(ws, core.getInput('out') || 'wheelhouse');
  const upload = core.getBooleanInput('upload');
  const findLinks: string[] = [];
  for (const dir of listInput('find-links')) {
    const abs = resolve(ws, dir);
    if (!(await stat(abs).catch(() => undefined))?.isDirectory())
      throw new RefineryError('usage', `find-links ${dir}: no such folder`, { fix: "download the earlier waves' artifacts there first, or drop the input" });
    findLinks.push(abs);
  }
  const caching = cacheAvailable();

  const reports: UnitReport[] = [];
  const checked = new Set<string>();
  let pip: { dir: string; hit: boolean } | undefined;
  let seeds: { dir: string; hit: boolean } | undefined;
  for (const unit of units) {
    const preset = await s.preset(unit.preset);
    // `pull`: a fresh runner has no image yet.
    const { executor, reason } = await s.executor({ ...(executorKind ? { executor: executorKind } : {}), ...(network ? { network } : {}), pull: true }, preset);
    if (!checked.has(`${executor.kind} ${preset.name}`)) {
      // A missing s390x binfmt handler is one of these; its fix names docker/setup-qemu-action.
      const problems = await executor.check(preset);
      if (problems.length > 0) throw environmentError(`the ${executor.kind} executor cannot build preset ${preset.name} on this runner`, problems);
      checked.add(`${executor.kind} ${preset.name}`);
      core.info(`executor: ${executor.kind} (${reason})`);
    }
    // pip's cache helps only where pip runs on this machine (a container's pip is thrown away).
    if (caching && !pip && executor.kind !== 'container') {
      const dir = pipCacheDir(s.passEnv, process.env.HOME);
      pip = { dir, hit: await restorePip(units, dir) };
    }
    // The uv frontend's seeds serve container builds (emulated Python) only.
    if (caching && !seeds && executor.kind === 'container' && s.config.frontend === 'uv') {
      const dir = uvSeedsDir(s.cacheDir);
      seeds = { dir, hit: await restoreUvSeeds(dir) };
    }
    const fingerprint = caching && unit.sdist.sha256 ? await s.fingerprint(unit, executor, unit.sdist.sha256) : undefined;
    const cached = fingerprint ? await restoreWheel(unit, fingerprint, s.cacheDir, outDir) : undefined;
    let report: UnitReport;
    if (cached?.wheel) {
      const why = `the same inputs (${fingerprint!.slice(0, 19)}) were built by an earlier run (${cached.runUrl ?? cached.attempts[0]!.startedAt}); restored from the Actions cache`;
      // Record counts these: the result is the earlier run's, the build is not new.
      await writeFile(join(outDir, `${unit.id}.reused.json`), `${JSON.stringify({ unit: unit.id, wheel: cached.wheel.filename, reason: why })}\n`);
      report = { unit, status: 'reused', result: cached, reused: { wheel: cached.wheel.filename, reason: why } };
      core.info(`${unit.id}: reused ${cached.wheel.filename}`);
    } else {
      core.startGroup(`build ${unit.id}`);
      const result = await s
        .build(unit, {
          executor,
          outDir,
          findLinks,
          onEvent: (e) => {
            if (e.type === 'attempt-end')
              core.info(`attempt ${e.attempt.n}: ${e.attempt.status}${e.attempt.failureClass ? ` [${e.attempt.failureClass}]` : ''}`);
            else if (e.type === 'hint-applied') core.info(`applying hint ${e.hint} (${e.class}) for attempt ${e.forAttempt}`);
          },
        })
        .finally(() => core.endGroup());
      if (result.status === 'cancelled') throw new RefineryError('cancelled', `the build of ${unit.id} was cancelled`);
      const last = result.attempts.at(-1)!;
      report = { unit, status: result.status === 'success' ? 'built' : last.failureClass === 'timeout' ? 'timeout' : 'failed', result };
      if (fingerprint && result.status === 'success') await saveWheel(result, fingerprint, s.cacheDir, unit, outDir);
    }
    reports.push(report);
    if (upload) await uploadResult(unit.id, outDir, await unitFiles(outDir, unit.id, report));
  }
  if (pip && !pip.hit) await savePip(units, pip.dir);
  if (seeds && !seeds.hit) await saveUvSeeds(seeds.dir);

  const wheels = reports.flatMap((r) => (r.result?.wheel ? [join(outDir, r.result.wheel.filename)] : []));
  const status = batchStatus(reports);
  core.setOutput('status', status);
  core.setOutput('wheels', JSON.stringify(wheels));
  core.setOutput('results', outDir);
  core.setOutput('attempts', String(reports.reduce((n, r) => n + (r.status === 'reused' ? 0 : (r.result?.attempts.length ?? 0)), 0)));
  const leftOut = annotateFailures(reports);
  buildSummary(reports, leftOut);
  await core.summary.write();
  if (status === 'failed' || status === 'timeout') {
    // The error annotations above say why, one per unit; a setFailed would be one more, past the cap.
    process.exitCode = 1;
    core.info(
      `${reports.filter((r) => r.status === 'failed' || r.status === 'timeout').length} of ${reports.length} unit(s) failed; their results are uploaded for record`,
    );
  }
});

/** The unit's files in the out folder: wheel, result, logs (failures too: they teach the state). */
async function unitFiles(outDir: string, unitId: string, r: UnitReport): Promise<string[]> {
  const names = new Set<string>([`${unitId}.result.json`]);
  if (r.status === 'reused') names.add(`${unitId}.reused.json`);
  const res = r.result;
  if (res) {
    if (res.wheel) names.add(res.wheel.filename);
    names.add(res.log);
    for (const a of res.attempts) if (a.log) names.add(a.log);
  }
  const present = new Set(await readdir(outDir));
  return [...names].filter((n) => present.has(n)).map((n) => join(outDir, n));
}

import { effectivePreset } from '../../../domain/config/schema.js';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadPresets, withUserPresets } from '../../../domain/presets/index.js';
import { seedsDir } from '../../../domain/presets/seeds.js';
import { loadRecipes } from '../../../domain/recipes/index.js';
import { runPipeline, type PipelineOptions, type PipelineResult, type UnitOutcome } from '../../../chain/pipeline.js';
import type { RefineryConfig } from '../../../domain/config/schema.js';
import { dueQueueEntries, loadState } from '../../../domain/state/index.js';
import { LocalWheelStore } from '../../../domain/storage/index.js';
import type { WheelStore } from '../../../domain/storage/store.js';
import { RefineryError } from '../../../errors.js';
import { type CliContext, print, printJson, warn } from '../context.js';
import { addExecutorOptions, type ExecutorFlags, pickExecutor, positive } from '../executor-setup.js';
import { addScanOptions, loadEffectiveConfig, type ScanOptionValues } from '../options.js';
import { findUv } from '../run-scan.js';
import { progress } from '../progress.js';
import { loadCatalogs } from './hints.js';
import { cancellation } from '../cancel.js';
import { namedEnv } from '../../../domain/executors/environment.js';
import { printInventory } from './scan.js';
import { addProgressOptions, heartbeatMs, type ProgressFlags, printProgress, progressMode } from '../build-progress.js';

export interface RunFlags extends ScanOptionValues, ExecutorFlags, ProgressFlags {
  out: string;
  store?: string;
  maxUnits?: string;
  timeout?: string;
  maxAttempts?: string;
  json?: boolean;
}

export function pipelineCommand(cmd: Command): Command {
  return addProgressOptions(addExecutorOptions(addScanOptions(cmd)))
    .option('-o, --out <dir>', 'wheels, result JSON files and logs of this run', 'wheelhouse')
    .option('--store <where>', 'keep built wheels for reuse: local:DIR or none (default: local:<cache-dir>/wheels)')
    .option('--max-units <n>', 'build at most this many units this run; the rest wait')
    .option('--timeout <minutes>', 'per-unit timeout (default: config limits.unitTimeoutMinutes)')
    .option('--max-attempts <n>', 'attempts per unit, hint retries included (default 4)')
    .option('--json', 'print what happened as JSON (inventory summary, plan, units, record)');
}

export function register(program: Command, ctx: CliContext): void {
  pipelineCommand(
    program
      .command('run')
      .summary('scan, plan, build and record on this machine')
      .description(
        'The whole pipeline on one machine: scan the requirements, plan the units, build them wave by\n' +
          'wave (container under QEMU, native, or host), and record every attempt in the state folder\n' +
          '(.refinery/ of the current folder unless --state or the config says otherwise). A unit whose\n' +
          'inputs fingerprint matches a stored wheel is not rebuilt; a package the state marks built is\n' +
          'not planned at all. Each is said with its reason.',
      ),
  )
    .addHelpText(
      'after',
      `
Examples:
  refinery run -r requirements.txt --python 3.12
  refinery run --config refinery.yml --executor container --network host --max-units 5
  refinery run -r requirements.txt --executor host     # pipeline check on this machine's Python (not s390x)`,
    )
    .action(async (o: RunFlags) => {
      await runCommand(ctx, o, {});
    });

  pipelineCommand(
    program
      .command('worker')
      .summary('drain the retry queue: rebuild the due entries, bounded per run')
      .description(
        'Take the retry-queue entries whose next eligible time has come (refinery queue due), plan\n' +
          'their units, build at most --max-units of them and record the outcome. Scheduled workflows\n' +
          'run this; entries that are not due yet are left alone.',
      ),
  )
    .addHelpText('after', '\nExample (scheduled job):\n  refinery worker --config refinery.yml --max-units 10 --executor container')
    .action(async (o: RunFlags) => {
      const { stateDir } = await loadEffectiveConfig(ctx, o);
      const due = dueQueueEntries(await loadState(stateDir), new Date());
      if (due.length === 0) {
        if (o.json) printJson(ctx, { due: 0, units: [] });
        else print(ctx, 'nothing due in the retry queue');
        return;
      }
      const keys = new Set(due.map((q) => `${q.package}==${q.version}`));
      await runCommand(ctx, { ...o, maxUnits: o.maxUnits ?? '10' }, { only: [...keys] });
    });
}

async function runCommand(ctx: CliContext, o: RunFlags, mode: { only?: string[] }): Promise<void> {
  const only = mode.only ? new Set(mode.only) : undefined;
  const cancel = cancellation(ctx, 'the run');
  const bar = progress(ctx, 'scanning', !o.json);
  let result: PipelineResult;
  try {
    const setup = await pipelineSetup(ctx, o, cancel.signal, (config) =>
      // The worker scans exactly the due pins; their dependencies are not its business.
      mode.only ? { ...config, requirements: [{ packages: mode.only }], expansion: { ...config.expansion, maxDepth: 0 } } : config,
    );
    result = await runPipeline({
      ...setup,
      onProgress: (d, t, l) => bar.update(d, t, l),
      ...(o.maxUnits ? { maxUnits: Math.floor(positive(o.maxUnits, '--max-units')) } : {}),
      ...(only ? { unitFilter: (u) => only.has(`${u.package}==${u.version}`) } : {}),
      onUnit: o.json ? undefined : (u) => warn(ctx, describeUnit(u)),
    });
  } finally {
    cancel.dispose();
  }
  bar.done();
  if (o.json) printJson(ctx, jsonReport(result));
  else printReport(ctx, result);
  if (result.cancelled) {
    throw cancel.error(
      `the run was cancelled: the running build was cancelled (its log says how its processes were stopped), no further unit started, nothing was recorded`,
      `results written so far are in ${o.out}; \`refinery record --results ${o.out}\` records them, or run again`,
    );
  }
  const failed = result.units.filter((u) => u.outcome === 'failed');
  if (failed.length > 0) {
    throw new RefineryError('build', `${failed.length} unit(s) failed: ${failed.map((u) => u.unit.id).join(', ')}`, {
      fix: 'the results and logs are in the --out folder; the state records the attempts and the retry queue',
    });
  }
}

/**
 * What `run`, `worker` and `yield` hand the pipeline: config (as `adjust` shapes it), presets,
 * executor, store, catalogs, recipes, timeouts and build progress, from the flags.
 */
export async function pipelineSetup(
  ctx: CliContext,
  o: RunFlags,
  signal: AbortSignal,
  adjust: (c: RefineryConfig) => RefineryConfig = (c) => c,
): Promise<Omit<PipelineOptions, 'onUnit'>> {
  const eff = await loadEffectiveConfig(ctx, o);
  let config = adjust(eff.config);
  const presets = withUserPresets(await loadPresets(join(seedsDir(), 'presets.yml')), config.presets, o.config ?? 'refinery.yml');
  if (o.compiler) config = { ...config, compiler: o.compiler };
  const { executor, reason } = await pickExecutor(ctx, o, presets.get(effectivePreset(config)) ?? [...presets.values()][0]!, config.compiler);
  if (!o.json) warn(ctx, `executor: ${executor.kind} (${reason})${executor.kind === 'host' ? ' -- host wheels are for this machine, not s390x' : ''}`);
  const store = parseStore(ctx, o.store, eff.cacheDir);
  const mode = progressMode(o);
  return {
    config,
    baseDir: eff.baseDir,
    stateDir: eff.stateDir,
    cacheDir: eff.cacheDir,
    env: ctx.env,
    uv: () => findUv(ctx, config, eff.cacheDir, o.install !== false),
    executor,
    presets,
    catalog: await loadCatalogs(ctx),
    recipes: await loadRecipes(join(seedsDir(), 'recipes')),
    outDir: resolve(ctx.cwd, o.out),
    ...(store ? { store } : {}),
    unitTimeoutMs: (o.timeout ? positive(o.timeout, '--timeout') : config.limits.unitTimeoutMinutes) * 60_000,
    ...(o.maxAttempts ? { maxAttempts: Math.floor(positive(o.maxAttempts, '--max-attempts')) } : {}),
    heartbeatMs: heartbeatMs(o),
    onBuildEvent: (u, e) => {
      if (!printProgress(ctx, mode, u.id, e) && !o.json && e.type === 'hint-applied') warn(ctx, `  ${u.id}: applying hint ${e.hint} (${e.class})`);
    },
    passEnv: namedEnv(ctx.env, config.build.passEnv),
    signal,
  };
}

function parseStore(ctx: CliContext, spec: string | undefined, cacheDir: string): WheelStore | undefined {
  if (spec === undefined) return new LocalWheelStore(join(cacheDir, 'wheels'));
  if (spec === 'none') return undefined;
  if (spec.startsWith('local:') && spec.length > 6) return new LocalWheelStore(resolve(ctx.cwd, spec.slice(6)));
  throw new RefineryError('usage', `--store ${spec}: expected local:DIR or none`, { fix: 'release stores are for refinery record in workflows' });
}

function describeUnit(u: UnitOutcome): string {
  switch (u.outcome) {
    case 'built':
      return `built    ${u.unit.id} -> ${u.wheel} (${u.attempts} attempt(s), ${u.compiler} compilers)${u.unverified ? `; UNVERIFIED: ${u.unverified}` : ''}`;
    case 'failed':
      return `FAILED   ${u.unit.id}: ${u.reason} after ${u.attempts} attempt(s)`;
    case 'reused':
      return `reused   ${u.unit.id}: ${u.reason}`;
    case 'skipped':
      return `skipped  ${u.unit.id}: ${u.reason}`;
    case 'cancelled':
      return `CANCELLED ${u.unit.id}: ${u.reason}`;
  }
}

function printReport(ctx: CliContext, r: PipelineResult): void {
  printInventory(ctx, r.inventory);
  print(ctx);
  if (r.units.length === 0) {
    print(ctx, 'nothing to build:');
    for (const p of r.inventory.packages) {
      if (p.status === 'built' || p.status === 'known-failing' || p.status === 'no-source')
        print(ctx, `  ${p.name} ${p.version} (${p.python}): ${p.status}: ${p.reason}`);
    }
    for (const s of r.plan.skipped) print(ctx, `  ${s.package} ${s.version}: not planned: ${s.reason}`);
  } else {
    for (const u of r.units) print(ctx, describeUnit(u));
  }
  if (r.recorded) {
    print(ctx, `recorded ${r.recorded.results} result(s), ${r.recorded.attempts} attempt(s) into the state (${r.recorded.written.length} file(s) written)`);
  }
}

function jsonReport(r: PipelineResult) {
  return {
    summary: r.inventory.summary,
    targets: r.inventory.targets,
    packages: r.inventory.packages.map((p) => ({ name: p.name, version: p.version, python: p.python, status: p.status, reason: p.reason })),
    plan: { units: r.plan.matrix.include.length, waves: r.plan.waves, skipped: r.plan.skipped },
    units: r.units.map((u) => ({
      id: u.unit.id,
      package: u.unit.package,
      version: u.unit.version,
      outcome: u.outcome,
      ...('reason' in u ? { reason: u.reason } : {}),
      ...('wheel' in u ? { wheel: u.wheel } : {}),
      ...(u.outcome === 'built' && u.unverified ? { unverified: u.unverified } : {}),
      ...(u.outcome === 'built' && u.externalLibraries ? { externalLibraries: u.externalLibraries } : {}),
    })),
    recorded: r.recorded
      ? { results: r.recorded.results, attempts: r.recorded.attempts, built: r.recorded.built, failed: r.recorded.failed, files: r.recorded.written }
      : null,
  };
}

import { join } from 'node:path';
import { buildUnit, unitFingerprint, type BuildEvent } from '../stages/builder/unit.js';
import { uvSeedsDir } from '../stages/builder/uv-seed.js';
import { environmentError } from '../domain/executors/choose.js';
import type { Executor } from '../domain/executors/types.js';
import type { Compiler } from '../domain/model/compiler.js';
import type { HintCatalog } from '../domain/hints/schema.js';
import type { Inventory } from '../domain/model/inventory.js';
import type { Plan, PlanUnit } from '../domain/model/plan.js';
import { firstEvidence } from '../domain/model/result.js';
import { planFromState, refuseUnservedPythons } from '../stages/plan/from-state.js';
import { getPreset, type PresetMap } from '../domain/presets/load.js';
import type { RecipeMap } from '../domain/recipes/load.js';
import { buildInfo } from '../domain/recipes/build-info.js';
import { record, type RecordOutcome } from '../stages/record/record.js';
import { scanFromConfig, type ScanRunOptions } from '../stages/scan/from-config.js';
import { loadState } from '../domain/state/load.js';
import { type StateLockOptions, withStateLock } from '../domain/state/lock.js';
import { reuseWheel } from '../domain/storage/reuse.js';
import type { WheelStore } from '../domain/storage/store.js';

export type UnitOutcome =
  | {
      unit: PlanUnit;
      outcome: 'built';
      wheel: string;
      attempts: number;
      compiler: Compiler;
      /** Why the smoke test in a fresh container proved nothing (the wheel is kept, flagged). */
      unverified?: string;
      externalLibraries?: string[];
      /** System packages the wheel needs at run time (it passed the smoke test with them installed, unless unverified). */
      runtimePackages?: { manager: string; packages: string[] };
      durationMs: number;
    }
  | { unit: PlanUnit; outcome: 'failed'; reason: string; attempts: number; failureClass?: string; hint?: string; evidence?: string; durationMs: number }
  | { unit: PlanUnit; outcome: 'reused'; wheel: string; reason: string }
  | { unit: PlanUnit; outcome: 'skipped'; reason: string }
  | { unit: PlanUnit; outcome: 'cancelled'; reason: string };

export interface PipelineOptions extends Omit<ScanRunOptions, 'state'> {
  executor: Executor;
  presets: PresetMap;
  catalog: HintCatalog;
  recipes: RecipeMap;
  /** Wheels, result JSON files and logs of this run. */
  outDir: string;
  /** Where wheels are kept for reuse by later runs (recorded in the manifest). */
  store?: WheelStore;
  /** Build at most this many units (the rest wait for the next run). */
  maxUnits?: number;
  /** Only units this accepts are built (the worker drains the retry queue with it). */
  unitFilter?: (u: PlanUnit) => boolean;
  unitTimeoutMs?: number;
  maxAttempts?: number;
  onUnit?: (u: UnitOutcome) => void;
  onBuildEvent?: (unit: PlanUnit, e: BuildEvent) => void;
  onBuildOutput?: (unit: PlanUnit, chunk: string) => void;
  /** How often a running build sends a heartbeat event (default 30 s). */
  heartbeatMs?: number;
  /** SIGTERM/SIGINT: the running build is stopped (a cancelled result), no further unit starts, nothing is recorded. */
  signal?: AbortSignal;
  /** Build environment variables of this machine the config names (build.passEnv), with values. */
  passEnv?: Readonly<Record<string, string>>;
  /** The state folder's lock, held for the whole run: how long to wait for another writer, where to say so. */
  lock?: StateLockOptions;
  now?: Date;
}

export interface PipelineResult {
  inventory: Inventory;
  plan: Plan;
  units: UnitOutcome[];
  /** Absent when nothing was built or failed (nothing to record), and when the run was cancelled. */
  recorded?: RecordOutcome;
  /** The run was cancelled: the results so far are in outDir, not recorded. */
  cancelled?: boolean;
}

/**
 * scan -> plan -> build -> record on one machine: `refinery run`, the worker and the all-in-one
 * action. Units go wave by wave, a later wave building with the wheels of earlier ones (pip
 * find-links); a unit whose build requirement failed in this run is skipped.
 * A unit whose inputs fingerprint matches a stored wheel in the manifest is not rebuilt.
 */
export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  // One writer, one load: the run holds the state folder's lock from the scan to the record, so
  // the state it planned from is the one record() merges onto and saves, once.
  return withStateLock(o.stateDir, () => runLocked(o), { purpose: 'run', ...o.lock });
}

async function runLocked(o: PipelineOptions): Promise<PipelineResult> {
  // Before the scan: a Python no preset has would only fail later, in every build.
  refuseUnservedPythons(o.presets, o.config.targets.python);
  const state = await loadState(o.stateDir);
  const { inventory, index, indexes } = await scanFromConfig({ ...o, state });
  const plan = await planFromState(inventory, o.config, { stateDir: o.stateDir, state, recipes: o.recipes, ...(o.now ? { now: o.now } : {}) });

  // The recipe in force for the unit's version (the plan asked the same door).
  const recipeOf = (unit: PlanUnit) => {
    const { recipe } = buildInfo(o.recipes, unit.package, unit.version, unit.preset);
    return recipe ? { recipe } : {};
  };
  const units: UnitOutcome[] = [];
  const failed = new Set<string>();
  const checked = new Set<string>();
  /** Queue entries a reused wheel answers: nothing new to build, so the request is done. */
  const satisfied: PlanUnit[] = [];
  let budget = o.maxUnits ?? Number.POSITIVE_INFINITY;
  const report = (u: UnitOutcome) => {
    units.push(u);
    o.onUnit?.(u);
  };

  for (const unit of plan.matrix.include) {
    if (o.signal?.aborted) break;
    if (o.unitFilter && !o.unitFilter(unit)) continue;
    const blocker = unit.needs.find((id) => failed.has(id));
    if (blocker) {
      failed.add(unit.id);
      report({ unit, outcome: 'skipped', reason: `its build requirement ${blocker} failed in this run` });
      continue;
    }
    if (budget <= 0) {
      report({ unit, outcome: 'skipped', reason: `over --max-units ${o.maxUnits}; left for the next run` });
      continue;
    }
    const preset = getPreset(o.presets, unit.preset);
    if (!checked.has(preset.name)) {
      const problems = await o.executor.check(preset);
      if (problems.length > 0) throw environmentError(`the ${o.executor.kind} executor cannot build preset ${preset.name} here`, problems);
      checked.add(preset.name);
    }

    if (unit.sdist.sha256 && o.store) {
      const fingerprint = await unitFingerprint(unit, { executor: o.executor, preset, frontend: o.config.frontend, ...recipeOf(unit) }, unit.sdist.sha256);
      const reused = await reuseWheel(state, fingerprint, [o.store], o.outDir);
      if (reused) {
        report({ unit, outcome: 'reused', wheel: reused.path, reason: reused.reason });
        if (state.packages.get(unit.package)?.queue.some((q) => q.version === unit.version)) satisfied.push(unit);
        continue;
      }
    }

    budget--;
    const result = await buildUnit(unit, {
      executor: o.executor,
      preset,
      catalog: o.catalog,
      ...recipeOf(unit),
      outDir: o.outDir,
      // refinery.yml's frontend, as `refinery build` takes it; the uv frontend starts from a seeded cache.
      frontend: o.config.frontend,
      uvSeedsDir: uvSeedsDir(o.cacheDir),
      // The index client's HTTP client carries the configured credentials for the sdist download;
      // pip inside the build takes build requirements from the same indexes.
      http: index.http,
      indexes,
      // A unit of a later wave builds with the wheels this run built or reused for earlier ones.
      ...(unit.needs.length > 0 ? { findLinks: [o.outDir] } : {}),
      skipCheck: true,
      ...(o.passEnv ? { passEnv: o.passEnv } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.unitTimeoutMs ? { unitTimeoutMs: o.unitTimeoutMs } : {}),
      ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
      ...(o.onBuildEvent ? { onEvent: (e: BuildEvent) => o.onBuildEvent!(unit, e) } : {}),
      ...(o.heartbeatMs ? { heartbeatMs: o.heartbeatMs } : {}),
      ...(o.onBuildOutput ? { onOutput: (c: string) => o.onBuildOutput!(unit, c) } : {}),
    });
    if (result.status === 'cancelled') {
      report({ unit, outcome: 'cancelled', reason: 'refinery was asked to stop' });
      break;
    }
    const durationMs = result.attempts.reduce((s, a) => s + a.durationMs, 0) + (result.phaseDurationsMs.fetch ?? 0);
    if (result.status === 'success' && result.wheel) {
      report({
        unit,
        outcome: 'built',
        wheel: join(o.outDir, result.wheel.filename),
        attempts: result.attempts.length,
        compiler: result.compiler ?? 'emulated',
        ...(result.smoke?.verdict === 'unverified' ? { unverified: result.smoke.reason ?? 'unverified' } : {}),
        ...(result.smoke?.externalLibraries.length ? { externalLibraries: result.smoke.externalLibraries } : {}),
        ...(result.smoke?.runtimePackages ? { runtimePackages: result.smoke.runtimePackages } : {}),
        durationMs,
      });
    } else {
      failed.add(unit.id);
      const last = result.attempts.at(-1)!;
      report({
        unit,
        outcome: 'failed',
        attempts: result.attempts.length,
        reason: `${last.failureClass ?? 'unclassified'}${last.matchedHint ? ` (hint ${last.matchedHint})` : ''} in ${last.phase ?? '?'}${firstEvidence(last) ? `: ${firstEvidence(last)}` : ''}`,
        ...(last.failureClass ? { failureClass: last.failureClass } : {}),
        ...(last.matchedHint ? { hint: last.matchedHint } : {}),
        ...(firstEvidence(last) ? { evidence: firstEvidence(last) } : {}),
        durationMs,
      });
    }
  }

  // Cancelled: stop here; the results written so far can be recorded later (refinery record).
  if (o.signal?.aborted) return { inventory, plan, units, cancelled: true };

  const wrote = units.some((u) => u.outcome === 'built' || u.outcome === 'failed') || satisfied.length > 0;
  const recorded = wrote
    ? await record(o.outDir, o.stateDir, {
        base: state,
        answered: satisfied,
        ...(o.store ? { store: o.store } : {}),
        ...(o.now ? { now: o.now } : {}),
      })
    : undefined;
  return { inventory, plan, units, ...(recorded ? { recorded } : {}) };
}

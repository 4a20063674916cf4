import { effectivePreset, type RefineryConfig } from '../../domain/config/schema.js';
import type { Inventory, InventoryEntry } from '../../domain/model/inventory.js';
import type { Plan, PlanUnit, Runner } from '../../domain/model/plan.js';
import { normalizeName } from '../../domain/python/names.js';
import { versionCompare } from '../../domain/python/version.js';
import { packWaves } from './batches.js';
import { shard } from './shards.js';
import { assignWaves } from './waves.js';
import { byCodePoint } from '../../domain/model/order.js';
import { predictHints } from '../../domain/hints/predict.js';
import { type Estimate, type EstimateExecutor, historyEstimate, priorEstimate } from './estimate.js';

/** What planning needs to know beyond the inventory: recipes and history. Injected. */
export interface PlanDeps {
  /** The release's recipe settings (buildInfo in src/domain/recipes/build-info.ts: `versions` honoured), or undefined. */
  recipe(name: string, version: string): { preset?: string; hints?: string[]; skip?: string } | undefined;
  /** Hints that made an earlier build of this package succeed. */
  learnedHints(name: string): string[];
  /**
   * Why this version must compile emulated (a turbo build of it failed as turbo-incompatible and
   * the emulated retry worked), or undefined. Another version tries turbo again.
   */
  turboIncompatible?(name: string, version: string): string | undefined;
  /** The last failed attempt of this version, with what it ran with. */
  lastFailure(name: string, version: string): { failureClass: string; preset: string; hints: string[]; permanent: boolean } | undefined;
  /** Retry-queue status: due now, or waiting until `nextAt`. */
  queued(name: string, version: string): { due: boolean; nextAt: string } | undefined;
  /**
   * Recorded build time of this package (the version's when known, else any version's) in this
   * setting (preset, compiler, executor), and how many runs it rests on; undefined without such runs.
   */
  durationEstimate(
    name: string,
    version: string,
    like: { preset: string; compiler: string; executor: EstimateExecutor },
  ): { seconds: number; runs: number } | undefined;
  /**
   * Hints the preset satisfies without a remedy (its own hints; cxx-compiler where it names a C++
   * compiler): not predicted there.
   */
  presetSatisfies?(preset: string): readonly string[];
  /** Whether the preset lets turbo (host cross) compilers build (its `turbo` field); unknown: no. */
  turboApplies?(preset: string): boolean;
  /** Preset names in order from oldest to newest toolchain, for swaps after toolchain failures. */
  presetSuccession: readonly string[];
  now: Date;
}

export function plan(inventory: Inventory, config: RefineryConfig, deps: PlanDeps): Plan {
  const runner = chooseRunner(config);
  const skipped: Plan['skipped'] = [];
  const candidates: Array<{ entry: InventoryEntry; why: string }> = [];

  // One decision per (name, version): the entries of all targets agree on status except for wheels.
  for (const entry of inventory.packages) {
    const queued = deps.queued(entry.name, entry.version);
    // A built version is planned again only when someone asked for it through the queue.
    const requested = entry.status === 'built' && queued?.due === true && entry.sdist !== undefined;
    if (entry.status !== 'needs-build' && entry.status !== 'known-failing' && !requested) continue;
    const recipe = deps.recipe(entry.name, entry.version);
    if (recipe?.skip) {
      pushSkip(skipped, entry, `recipe: ${recipe.skip}`);
      continue;
    }
    if (queued && !queued.due) {
      pushSkip(skipped, entry, `in the retry queue until ${queued.nextAt}`);
      continue;
    }
    const failure = deps.lastFailure(entry.name, entry.version);
    if (entry.status === 'known-failing' || failure?.permanent) {
      const presetNow = recipe?.preset ?? effectivePreset(config);
      const hintsNow = hintsFor(entry, deps, presetNow).hints;
      const changed = failure && (presetNow !== failure.preset || hintsNow.some((h) => !failure.hints.includes(h)));
      if (!changed) {
        pushSkip(skipped, entry, `known failing (${failure?.failureClass ?? entry.reason}); no input changed since`);
        continue;
      }
      candidates.push({ entry, why: 'known failing, but its preset or hints changed since' });
      continue;
    }
    candidates.push({ entry, why: queued?.due ? 'due in the retry queue' : failure ? `retry after ${failure.failureClass}` : 'no s390x wheel anywhere' });
  }

  // Group targets into units: abi3 and pure-Python packages build once, with the lowest Python.
  const groups = new Map<string, { entries: InventoryEntry[]; why: string; variant: string }>();
  for (const { entry, why } of candidates) {
    const variant = entry.abi === 'abi3' ? 'abi3' : entry.abi === 'none' ? 'py3' : entry.python;
    const key = `${entry.name}\u0000${entry.version}\u0000${variant}`;
    const g = groups.get(key) ?? { entries: [], why, variant };
    g.entries.push(entry);
    groups.set(key, g);
  }

  const units: PlanUnit[] = [];
  for (const g of groups.values()) {
    const first = g.entries[0]!;
    const pythons = [...new Set(g.entries.map((e) => e.python))].sort(versionCompare);
    const recipe = deps.recipe(first.name, first.version);
    const { preset, presetReason } = choosePreset(first, recipe?.preset ?? effectivePreset(config), deps);
    const { hints, predicted } = hintsFor(first, deps, preset);
    const noTurbo = config.compiler === 'emulated' ? undefined : deps.turboIncompatible?.(first.name, first.version);
    const compiler = config.compiler === 'emulated' || noTurbo ? 'emulated' : 'turbo';
    const sdist = first.sdist!;
    const variantTag = g.variant === 'abi3' || g.variant === 'py3' ? g.variant : `cp${g.variant.replace('.', '')}`;
    units.push({
      id: safeId(`${first.name}-${first.version}-${variantTag}-${preset}`),
      package: first.name,
      version: first.version,
      python: g.variant,
      buildPython: pythons[0]!,
      targets: [...new Set(g.entries.map((e) => e.target))].sort(),
      preset,
      hints,
      ...(predicted.length > 0 ? { predictedHints: predicted.map((p) => p.hint) } : {}),
      compiler,
      runner,
      runs_on: JSON.stringify(runner.labels.length === 1 ? runner.labels[0] : runner.labels),
      wave: 0,
      needs: [],
      sdist: { filename: sdist.filename, url: sdist.url, ...(sdist.sha256 ? { sha256: sdist.sha256 } : {}) },
      ...estimateFields(estimate(first, { preset, compiler, runner }, deps)),
      reason: [g.why, presetReason, noTurbo, predictedReason(predicted)].filter(Boolean).join('; '),
    });
  }

  // Build-time needs: a unit waits for units of the packages its sdist build-requires.
  const byName = new Map<string, PlanUnit[]>();
  for (const u of units) byName.set(u.package, [...(byName.get(u.package) ?? []), u]);
  const buildRequires = new Map(candidates.map(({ entry }) => [`${entry.name}\u0000${entry.version}`, entry.buildRequires ?? []]));
  for (const u of units) {
    const names = (buildRequires.get(`${u.package}\u0000${u.version}`) ?? []).map(requirementName).filter((n): n is string => !!n);
    const needs = new Set<string>();
    for (const n of names) {
      for (const dep of byName.get(n) ?? []) {
        if (dep.id === u.id) continue;
        // The dependency's wheel must serve the Python this unit builds with.
        if (dep.python === 'abi3' || dep.python === 'py3' || dep.python === u.buildPython || dep.python === u.python) needs.add(dep.id);
      }
    }
    u.needs = [...needs].sort();
  }
  const { wave, cycles } = assignWaves(units);
  for (const u of units) u.wave = wave.get(u.id) ?? 0;
  for (const cycle of cycles) {
    for (const id of cycle) {
      const u = units.find((x) => x.id === id);
      if (u) u.reason += `; build-requirement cycle: ${cycle.join(' -> ')}`;
    }
  }

  units.sort((a, b) => a.wave - b.wave || byCodePoint(a.package, b.package) || versionCompare(a.version, b.version) || byCodePoint(a.id, b.id));
  const capped = units.slice(0, config.limits.maxUnits);
  for (const u of units.slice(config.limits.maxUnits)) {
    skipped.push({ package: u.package, version: u.version, reason: `over limits.maxUnits ${config.limits.maxUnits}` });
  }
  const packed = packWaves(capped, { maxParallel: config.limits.maxParallel, jobLimitSeconds: config.limits.jobTimeoutMinutes * 60 });
  // Said at plan time, not learned from a kill hours later.
  const unitLimit = config.limits.unitTimeoutMinutes * 60;
  for (const u of capped) {
    const faster =
      runner.kind === 'native'
        ? 'raise the limit'
        : u.compiler === 'turbo' && deps.turboApplies?.(u.preset)
          ? 'a native s390x runner (runners.native) would be faster'
          : `a turbo build (compiler: turbo${deps.turboApplies?.(u.preset) ? '' : ', with a preset that allows it, e.g. debian-12'}) or a native s390x runner (runners.native) would be faster`;
    if (packed.overLimit.includes(u.id) || u.estimatedSeconds > unitLimit) u.overTimeout = true;
    if (packed.overLimit.includes(u.id)) {
      u.reason += `; estimated ${minutes(u.estimatedSeconds)}, over the job time limit of ${config.limits.jobTimeoutMinutes} min: it runs in a batch of its own and may be cut off (${faster})`;
    } else if (u.estimatedSeconds > unitLimit) {
      u.reason += `; estimated ${minutes(u.estimatedSeconds)}, over the unit timeout of ${config.limits.unitTimeoutMinutes} min (limits.unitTimeoutMinutes; ${faster})`;
    }
  }
  const shards = shard(capped, config.limits.maxJobsPerMatrix, config.limits.maxOutputBytes);
  return {
    schema: 'refinery/plan@1',
    generatedAt: deps.now.toISOString(),
    matrix: { include: capped },
    shards,
    waves: capped.length === 0 ? 0 : Math.max(...capped.map((u) => u.wave)) + 1,
    skipped: dedupeSkips(skipped),
    estimatedSeconds: capped.reduce((s, u) => s + u.estimatedSeconds, 0),
    batches: packed.batches,
    makespanSeconds: Math.round(packed.makespanSeconds),
    lowerBoundSeconds: Math.round(packed.lowerBoundSeconds),
  };
}

function chooseRunner(config: RefineryConfig): Runner {
  if (config.runners.native.length > 0) return { kind: 'native', labels: config.runners.native };
  return { kind: 'qemu', labels: config.runners.qemu };
}

/** A preset that failed for toolchain reasons is swapped for the next newer one. */
function choosePreset(entry: InventoryEntry, wanted: string, deps: PlanDeps): { preset: string; presetReason: string } {
  const failure = deps.lastFailure(entry.name, entry.version);
  if (failure && failure.failureClass === 'missing-toolchain' && failure.preset === wanted) {
    const i = deps.presetSuccession.indexOf(wanted);
    const next = i >= 0 ? deps.presetSuccession[i + 1] : undefined;
    if (next) return { preset: next, presetReason: `preset ${wanted} lacked a toolchain last time, using ${next}` };
  }
  return { preset: wanted, presetReason: '' };
}

/**
 * Recipe and learned hints, plus those the sdist's build requirements and sources predict
 * (pre-flight remedies), less what the preset already satisfies: a prediction costs nothing there.
 */
function hintsFor(entry: InventoryEntry, deps: PlanDeps, preset: string): { hints: string[]; predicted: ReturnType<typeof predictHints> } {
  const known = new Set([...(deps.recipe(entry.name, entry.version)?.hints ?? []), ...deps.learnedHints(entry.name)]);
  const satisfied = new Set(deps.presetSatisfies?.(preset) ?? []);
  const predicted = predictHints(entry.buildRequires ?? [], entry.python, entry.source ?? {}).filter((p) => !known.has(p.hint) && !satisfied.has(p.hint));
  return { hints: [...known, ...predicted.map((p) => p.hint)].sort(), predicted };
}

function predictedReason(predicted: ReturnType<typeof predictHints>): string {
  if (predicted.length === 0) return '';
  return `predicted from the sdist: ${predicted.map((p) => `${p.because} -> ${p.hint}`).join(', ')}`;
}

/** History of builds like this one first, else the prior (src/stages/plan/estimate.ts). */
function estimate(entry: InventoryEntry, u: { preset: string; compiler: 'turbo' | 'emulated'; runner: Runner }, deps: PlanDeps): Estimate {
  const executor: EstimateExecutor = u.runner.kind === 'native' ? 'native' : u.compiler === 'turbo' && deps.turboApplies?.(u.preset) ? 'turbo' : 'qemu';
  const like = { preset: u.preset, compiler: executor === 'turbo' ? 'turbo' : 'emulated', executor };
  const recorded = deps.durationEstimate(entry.name, entry.version, like);
  return recorded !== undefined ? historyEstimate(recorded, like) : priorEstimate(entry, executor);
}

function estimateFields(e: Estimate): Pick<PlanUnit, 'estimatedSeconds' | 'estimateSource' | 'estimateBasis'> {
  return { estimatedSeconds: e.seconds, estimateSource: e.source, estimateBasis: e.basis };
}

function minutes(seconds: number): string {
  return `${Math.round(seconds / 60)} min`;
}

function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m ? normalizeName(m[1]!) : undefined;
}

function safeId(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

function pushSkip(list: Plan['skipped'], e: InventoryEntry, reason: string): void {
  list.push({ package: e.name, version: e.version, reason });
}

function dedupeSkips(list: Plan['skipped']): Plan['skipped'] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = `${s.package}\u0000${s.version}\u0000${s.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

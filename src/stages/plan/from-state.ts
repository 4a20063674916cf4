import { join } from 'node:path';
import { effectivePreset, type RefineryConfig } from '../../domain/config/schema.js';
import type { Inventory } from '../../domain/model/inventory.js';
import type { Plan } from '../../domain/model/plan.js';
import type { Preset } from '../../domain/model/preset.js';
import { RefineryError } from '../../errors.js';
import { loadPresets, type PresetMap, withUserPresets } from '../../domain/presets/load.js';
import { seedsDir } from '../../domain/presets/seeds.js';
import { buildInfo, loadRecipes, type RecipeMap, recipeFor } from '../../domain/recipes/index.js';
import { loadState, type State } from '../../domain/state/index.js';
import { versionCompare } from '../../domain/python/version.js';
import { planDepsFromState } from './deps.js';
import { plan } from './plan.js';

export interface PlanRunOptions {
  stateDir: string;
  state?: State;
  recipes?: RecipeMap;
  /** The presets (shipped and the config's), when the caller has them loaded already. */
  presets?: PresetMap;
  now?: Date;
}

/**
 * Refuses Pythons no preset has an interpreter for (`--python 3.99`): every unit of them would fail
 * in its build job. Said before scanning (run, plan) and again for the inventory planned from.
 */
export function refuseUnservedPythons(presets: PresetMap, pythons: readonly string[]): void {
  const have = [...new Set([...presets.values()].flatMap((p) => Object.keys(p.python)))].sort(versionCompare);
  const unserved = [...new Set(pythons)].filter((v) => !have.includes(v)).sort(versionCompare);
  if (unserved.length === 0) return;
  throw new RefineryError('config', `no preset has CPython ${unserved.join(', ')}: the presets have CPython ${have.join(', ')}`, {
    location: { field: 'targets.python' },
    fix: `target one of ${have.join(', ')} (--python), or define a preset with an interpreter for ${unserved.join(', ')} under presets:`,
  });
}

/** Hints a preset needs no remedy for: its own, and the compilers it names (gcc-toolset's g++ in manylinux). */
function satisfiedBy(p: Preset | undefined): string[] {
  if (!p) return [];
  return [...p.hints, ...(p.compilers?.cxx ? ['cxx-compiler'] : []), ...(p.compilers?.cc ? ['c-compiler'] : [])];
}

/** The shipped presets with the config's, as the plan sees them. */
export async function configPresets(config: RefineryConfig): Promise<PresetMap> {
  return withUserPresets(await loadPresets(join(seedsDir(), 'presets.yml')), config.presets, 'refinery.yml');
}

/** plan, wired to the recorded state and the shipped recipes. */
export async function planFromState(inventory: Inventory, config: RefineryConfig, o: PlanRunOptions): Promise<Plan> {
  const state = o.state ?? (await loadState(o.stateDir));
  // Recipes and presets only matter for packages that can become build units: a scan where every
  // package has a wheel upstream is planned without reading them.
  const buildable = (p: Inventory['packages'][number]) => p.status === 'needs-build' || p.status === 'built' || p.status === 'known-failing';
  const mayBuild = inventory.packages.some(buildable);
  const recipes = o.recipes ?? (mayBuild ? await loadRecipes(join(seedsDir(), 'recipes')) : new Map());
  const presets: PresetMap = o.presets ?? (mayBuild ? await configPresets(config) : new Map<string, Preset>());
  if (mayBuild)
    refuseUnservedPythons(
      presets,
      inventory.packages.filter(buildable).map((p) => p.python),
    );
  const fromState = planDepsFromState(
    state,
    (name, version) => {
      const info = buildInfo(recipes, name, version, effectivePreset(config));
      if (!info.recipe) return undefined;
      return { preset: info.preset, hints: info.hints, ...(info.skip ? { skip: info.skip } : {}) };
    },
    o.now ?? new Date(),
  );
  // Estimates of turbo builds count only where the preset lets turbo compilers in.
  const result = plan(inventory, config, {
    ...fromState,
    turboApplies: (name) => presets.get(name)?.turbo === true,
    presetSatisfies: (name) => satisfiedBy(presets.get(name)),
  });
  if (result.matrix.include.length === 0) return result;
  // An unknown preset would otherwise fail only later, in every build job.
  for (const u of result.matrix.include) {
    if (!presets.has(u.preset)) {
      const fromRecipe = recipeFor(recipes, u.package)?.preferredPreset === u.preset;
      throw new RefineryError('config', `unit ${u.id} asks for preset '${u.preset}', which is neither shipped nor defined in presets`, {
        location: fromRecipe ? { field: `recipe ${u.package}: preferredPreset` } : { field: 'preset' },
        fix: `use one of: ${[...presets.keys()].sort().join(', ')}; or define it under presets:`,
      });
    }
    // A Python the preset has no interpreter for would fail in every build job (`--python 3.99`).
    const pythons = Object.keys(presets.get(u.preset)!.python);
    if (!pythons.includes(u.buildPython)) {
      const serving = [...presets].filter(([, p]) => u.buildPython in p.python).map(([name]) => name);
      throw new RefineryError(
        'config',
        `unit ${u.id} builds with CPython ${u.buildPython}, and preset '${u.preset}' has no interpreter for it (it has ${pythons.join(', ') || 'none'})`,
        {
          location: { field: 'targets.python' },
          fix:
            serving.length > 0
              ? `target a Python the preset has, or pick a preset that has ${u.buildPython}: ${serving.sort().join(', ')}`
              : `no preset has CPython ${u.buildPython}: target one of ${pythons.join(', ')}, or define a preset with it under presets:`,
        },
      );
    }
  }
  return result;
}

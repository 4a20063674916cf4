import { satisfies } from '../python/version.js';
import { type Recipe, type RecipeMap, recipeFor } from './load.js';

/** What is known about building one release before any attempt: the one door plan and build share. */
export interface BuildInfo {
  /** The recipe in force for this version: absent when there is none or its `versions` leave this version out. */
  recipe?: Recipe;
  /** The recipe's preferred preset, else the default the caller gave. */
  preset: string;
  /** Hint ids applied from the first attempt (the recipe's; the preset's and learned ones are added by the stage). */
  hints: string[];
  /** Not built, and why (the recipe's `skip`). */
  skip?: string;
}

/**
 * The per-package settings of `name==version`. A recipe limited to some versions applies to those
 * only, its `skip` included: plan and build both ask here, so they cannot disagree.
 */
export function buildInfo(recipes: RecipeMap, name: string, version: string, defaultPreset: string): BuildInfo {
  const found = recipeFor(recipes, name);
  const recipe = found && (!found.versions || satisfies(version, found.versions)) ? found : undefined;
  return {
    ...(recipe ? { recipe } : {}),
    preset: recipe?.preferredPreset ?? defaultPreset,
    hints: recipe?.hints ?? [],
    ...(recipe?.skip ? { skip: recipe.skip } : {}),
  };
}

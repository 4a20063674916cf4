import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { RefineryError } from '../../errors.js';
import { Remedy } from '../hints/schema.js';
import { normalizeName } from '../python/names.js';

/** What is known about building one package (seeds/recipes/<name>.yml), attached to its units. */
export const Recipe = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Known system deps, env, settings: applied from the first attempt (same shape as a hint remedy). */
  remedy: Remedy.default({}),
  /** Hint ids applied from the first attempt. */
  hints: z.array(z.string()).default([]),
  /** Preset the plan should pick for this package when the config does not say. */
  preferredPreset: z.string().optional(),
  /** When set, the package is not built and this is why (the plan records it). */
  skip: z.string().min(1).optional(),
  /** Versions the recipe is for (PEP 440 specifier); all when absent. */
  versions: z.string().optional(),
});
export type Recipe = z.infer<typeof Recipe>;
export type RecipeMap = ReadonlyMap<string, Recipe>;

export function parseRecipe(text: string, file: string): Recipe {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new RefineryError('config', `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, { location: { file } });
  const parsed = Recipe.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RefineryError('config', `invalid recipe: ${issue.message}`, {
      location: { file, field: issue.path.map(String).join('.') || '(top level)' },
      fix: 'see docs/build.md, "Recipes"',
    });
  }
  return parsed.data;
}

/** Every `*.yml` in a directory, keyed by normalized package name. */
export async function loadRecipes(dir: string): Promise<Map<string, Recipe>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw e;
  }
  const out = new Map<string, Recipe>();
  for (const f of names) {
    const file = join(dir, f);
    const r = parseRecipe(await readFile(file, 'utf8'), file);
    out.set(normalizeName(r.name), r);
  }
  return out;
}

export function recipeFor(recipes: RecipeMap | undefined, pkg: string): Recipe | undefined {
  return recipes?.get(normalizeName(pkg));
}

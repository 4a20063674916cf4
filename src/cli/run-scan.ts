import type { RefineryConfig } from '../config/schema.js';
import { RefineryError } from '../errors.js';
import type { Inventory } from '../model/inventory.js';
import type { Plan } from '../model/plan.js';
import { planFromState } from '../plan/run.js';
import { available } from '../adapters/process.js';
import { scanFromConfig } from '../scan/run.js';
import { type CliContext, warn } from './context.js';
import { loadEffectiveConfig, type ScanOptionValues } from './options.js';
import { progress } from './progress.js';

/** uv is the resolver: $REFINERY_UV, else `uv` on PATH. */
export async function findUv(ctx: CliContext): Promise<string> {
  const candidates = [ctx.env.REFINERY_UV, 'uv'].filter((c): c is string => !!c);
  for (const c of candidates) if (await available(c)) return c;
  throw new RefineryError('environment', 'uv (the resolver) was not found', {
    fix: 'install it (`pip install uv`, or astral-sh/setup-uv in a workflow) or set REFINERY_UV to its path',
  });
}

/** Scan as the CLI does; warnings go to stderr unless the caller reports them itself (`printWarnings: false`, the actions). */
export async function runScan(ctx: CliContext, o: ScanOptionValues, opts: { progress: boolean; printWarnings?: boolean }): Promise<Inventory> {
  const { config, baseDir, stateDir, cacheDir } = await loadEffectiveConfig(ctx, o);
  const bar = progress(ctx, 'scanning', opts.progress);
  const { inventory } = await scanFromConfig({ config, baseDir, stateDir, cacheDir, uv: () => findUv(ctx), env: ctx.env, onProgress: (d, t, l) => bar.update(d, t, l) });
  bar.done();
  if (opts.printWarnings !== false) for (const w of inventory.warnings ?? []) warn(ctx, `warning: ${w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : ''}${w.message}`);
  return inventory;
}

export async function runPlan(inventory: Inventory, config: RefineryConfig, stateDir: string): Promise<Plan> {
  return planFromState(inventory, config, { stateDir });
}

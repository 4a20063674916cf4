import type { RefineryConfig } from '../../domain/config/schema.js';
import type { Inventory } from '../../domain/model/inventory.js';
import type { Plan } from '../../domain/model/plan.js';
import { planFromState } from '../../stages/plan/from-state.js';
import { indexesFromConfig, scanFromConfig } from '../../stages/scan/from-config.js';
import { locateUv } from '../../stages/scan/uv.js';
import { type CliContext, warn } from './context.js';
import { loadEffectiveConfig, type ScanOptionValues } from './options.js';
import { progress } from './progress.js';

/**
 * uv is the resolver: $REFINERY_UV, else `uv` on PATH, else the pinned uv the refinery installed
 * into the cache folder, else it installs that one now (unless --no-install), saying so once.
 */
export function findUv(ctx: CliContext, config: RefineryConfig, cacheDir: string, install = true): Promise<string> {
  return locateUv({
    env: ctx.env,
    cacheDir,
    indexes: indexesFromConfig(config, ctx.env, { extraIndexUrls: [] }),
    install,
    httpOptions: { env: ctx.env },
    notice: (m) => warn(ctx, m),
  });
}

/** Scan as the CLI does; warnings go to stderr unless the caller reports them itself (`printWarnings: false`, the actions). */
export async function runScan(ctx: CliContext, o: ScanOptionValues, opts: { progress: boolean; printWarnings?: boolean }): Promise<Inventory> {
  const { config, baseDir, stateDir, cacheDir } = await loadEffectiveConfig(ctx, o);
  const bar = progress(ctx, 'scanning', opts.progress);
  const { inventory } = await scanFromConfig({
    config,
    baseDir,
    stateDir,
    cacheDir,
    uv: () => findUv(ctx, config, cacheDir, o.install !== false),
    env: ctx.env,
    onProgress: (d, t, l) => bar.update(d, t, l),
  });
  bar.done();
  if (opts.printWarnings !== false)
    for (const w of inventory.warnings ?? []) warn(ctx, `warning: ${w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : ''}${w.message}`);
  return inventory;
}

export async function runPlan(inventory: Inventory, config: RefineryConfig, stateDir: string): Promise<Plan> {
  return planFromState(inventory, config, { stateDir });
}

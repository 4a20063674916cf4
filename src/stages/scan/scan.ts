import type { RefineryConfig } from '../../domain/config/schema.js';
import type { CutEntry, Inventory, InventoryEntry } from '../../domain/model/inventory.js';
import { type Target, targetId } from '../../domain/model/target.js';
import { type ClassifyDeps, classify } from './classify.js';
import { excludedBy } from './exclude.js';
import { expandForTarget } from './expand.js';
import type { ResolvedLine } from './resolve.js';
import type { RequirementSet } from './sources.js';
import { byCodePoint } from '../../domain/model/order.js';

/** The pieces scan orchestrates; real ones come from scan/services.ts, tests may pass their own. */
export interface ScanServices extends ClassifyDeps {
  /** Resolve a requirement set for one Python version (universal, markers kept). */
  resolve(set: RequirementSet, python: string): Promise<ResolvedLine[]>;
  /** Does a PEP 508 marker hold on this target. */
  markerHolds(marker: string, target: Target): boolean;
  /** Called as packages are classified: done, total, current name. */
  onProgress?(done: number, total: number, label: string): void;
  now?: () => Date;
}

export function targetsOf(config: RefineryConfig): Target[] {
  return config.targets.python.map((python) => ({ python, platform: config.targets.platform, arch: 's390x' as const }));
}

export async function scan(set: RequirementSet, config: RefineryConfig, services: ScanServices): Promise<Inventory> {
  const targets = targetsOf(config);
  const bounds = { maxDepth: config.expansion.maxDepth, maxPackages: config.expansion.maxPackages };
  const cut: CutEntry[] = [];
  const work: Array<{ target: Target; id: string; name: string; version: string; depth: number; requiredBy: string[] }> = [];

  for (const target of targets) {
    const id = targetId(target);
    const lines = set.locked ? set.locked : await services.resolve(set, target.python);
    const expanded = expandForTarget(lines, (m) => services.markerHolds(m, target), bounds, id);
    cut.push(...expanded.cut);
    for (const e of expanded.kept) work.push({ target, id, ...e });
  }

  let done = 0;
  const packages: InventoryEntry[] = await Promise.all(
    work.map(async (w) => {
      const rule = excludedBy(w.name, w.version, config.include, config.exclude);
      const entry = await classify(w, w.target, w.id, rule, services);
      services.onProgress?.(++done, work.length, w.name);
      return entry;
    }),
  );
  packages.sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.target, b.target));

  const summary: Record<string, number> = {};
  for (const p of packages) summary[p.status] = (summary[p.status] ?? 0) + 1;
  return {
    schema: 'refinery/inventory@1',
    generatedAt: (services.now?.() ?? new Date()).toISOString(),
    targets: targets.map(targetId),
    packages,
    cut,
    summary,
    ...(set.warnings.length > 0 ? { warnings: set.warnings } : {}),
  };
}

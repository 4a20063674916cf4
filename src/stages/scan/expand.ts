import { RefineryError } from '../../errors.js';
import type { CutEntry } from '../../domain/model/inventory.js';
import { TOP, type ResolvedLine } from './resolve.js';
import { byCodePoint } from '../../domain/model/order.js';

export interface Expanded {
  name: string;
  version: string;
  depth: number;
  requiredBy: string[];
}

export interface ExpandBounds {
  maxDepth: number;
  maxPackages: number;
}

/**
 * Keep the resolved pins that apply on this target (their marker holds), measure each one's depth
 * from the top-level requirements, and cut what lies beyond the bounds: deeper than maxDepth, or
 * past maxPackages counting shallowest first. Every cut says why.
 */
export function expandForTarget(
  lines: readonly ResolvedLine[],
  holds: (marker: string) => boolean,
  bounds: ExpandBounds,
  targetId: string,
): { kept: Expanded[]; cut: CutEntry[] } {
  const applicable = new Map<string, ResolvedLine>();
  for (const line of lines) {
    if (line.marker === undefined || holds(line.marker)) {
      const prev = applicable.get(line.name);
      // Two pins for one name on one target would mean our marker evaluation disagrees with uv's forks.
      if (prev && prev.version !== line.version) {
        throw new RefineryError('resolution', `two versions of ${line.name} (${prev.version}, ${line.version}) apply to ${targetId}`, {
          fix: 'report this: the marker evaluation disagrees with the resolver',
        });
      }
      applicable.set(line.name, line);
    }
  }

  // Breadth-first from the top level over "via" edges: depth is the shortest path.
  const children = new Map<string, string[]>();
  for (const line of applicable.values()) {
    for (const parent of line.via) {
      if (parent === TOP) continue;
      const list = children.get(parent) ?? [];
      list.push(line.name);
      children.set(parent, list);
    }
  }
  const depth = new Map<string, number>();
  const queue: string[] = [];
  for (const line of applicable.values()) {
    if (line.via.includes(TOP)) {
      depth.set(line.name, 0);
      queue.push(line.name);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i]!;
    const d = depth.get(name)!;
    for (const child of children.get(name) ?? []) {
      if (!depth.has(child)) {
        depth.set(child, d + 1);
        queue.push(child);
      }
    }
  }

  const cut: CutEntry[] = [];
  const reachable: Expanded[] = [];
  for (const line of applicable.values()) {
    const d = depth.get(line.name);
    if (d === undefined) {
      cut.push({ name: line.name, version: line.version, target: targetId, reason: 'required only by packages that do not apply to this target' });
      continue;
    }
    if (d > bounds.maxDepth) {
      cut.push({ name: line.name, version: line.version, target: targetId, reason: `depth ${d} exceeds expansion.maxDepth ${bounds.maxDepth}` });
      continue;
    }
    const requiredBy = [...new Set(line.via.filter((v) => v !== TOP && applicable.has(v)))].sort();
    reachable.push({ name: line.name, version: line.version, depth: d, requiredBy });
  }
  reachable.sort((a, b) => a.depth - b.depth || byCodePoint(a.name, b.name));
  const kept = reachable.slice(0, bounds.maxPackages);
  for (const e of reachable.slice(bounds.maxPackages)) {
    cut.push({ name: e.name, version: e.version, target: targetId, reason: `beyond expansion.maxPackages ${bounds.maxPackages} (depth ${e.depth})` });
  }
  kept.sort((a, b) => byCodePoint(a.name, b.name));
  cut.sort((a, b) => byCodePoint(a.name, b.name));
  return { kept, cut };
}

/**
 * Dependency waves: a unit whose build requirements include a package the refinery is building in
 * this plan must wait for it. Wave = length of the longest chain of such needs below it. Cycles
 * (rare: two sdists that build-require each other) are broken by placing their members in the same
 * wave, and reported.
 */
import { byCodePoint } from '../../domain/model/order.js';
export interface WaveInput {
  id: string;
  needs: readonly string[];
}

export function assignWaves(units: readonly WaveInput[]): { wave: Map<string, number>; cycles: string[][] } {
  const byId = new Map(units.map((u) => [u.id, u]));
  const wave = new Map<string, number>();
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];

  const visit = (id: string): number => {
    const s = state.get(id);
    if (s === 'done') return wave.get(id)!;
    if (s === 'visiting') {
      cycles.push(stack.slice(stack.indexOf(id)));
      return -1; // the back edge adds nothing: cycle members share a wave
    }
    state.set(id, 'visiting');
    stack.push(id);
    let w = 0;
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      w = Math.max(w, visit(need) + 1);
    }
    stack.pop();
    state.set(id, 'done');
    wave.set(id, w);
    return w;
  };
  for (const u of [...units].sort((a, b) => byCodePoint(a.id, b.id))) visit(u.id);
  return { wave, cycles };
}

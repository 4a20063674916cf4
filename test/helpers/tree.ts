import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every path under `dir` (relative), without following symlinks. Not readdirSync's `recursive`:
 * on Node 20 it descends into symlinked directories, so a link to / walks the whole machine.
 */
export function walkNoFollow(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    out.push(rel);
    if (d.isDirectory()) out.push(...walkNoFollow(dir, rel));
  }
  return out;
}

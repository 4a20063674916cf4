import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shipped seeds/ directory: found by walking up from this module, so it works from src/ (tsx,
 * vitest) and from the bundled dist/ alike.
 */
export function seedsDir(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'seeds', 'presets.yml'))) return join(dir, 'seeds');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error('refinery: shipped seeds/ directory not found next to the installed package');
}

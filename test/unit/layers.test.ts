// The layers of docs/architecture.md, checked on every import in src/ (static, dynamic and
// type-only): faces -> session -> chain -> stages -> domain -> adapters, an inner layer never
// importing an outer one, and the faces reaching the stages only through the session.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/pytools.js';

const SRC = join(repoRoot, 'src');
const ORDER = ['faces', 'session', 'chain', 'stages', 'domain', 'adapters'] as const;
type Layer = (typeof ORDER)[number];

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function layerOf(file: string): Layer | undefined {
  const top = relative(SRC, file).split(sep)[0] as Layer;
  return ORDER.includes(top) ? top : undefined;
}

/** Every relative module a file imports: `from '...'`, `import('...')`, `export ... from '...'`. */
function imports(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
}

const edges = async () => {
  const out: { file: string; from: Layer; to: Layer; target: string }[] = [];
  for (const file of await sources(SRC)) {
    const from = layerOf(file);
    if (!from) continue;
    for (const spec of imports(await readFile(file, 'utf8'))) {
      const target = resolve(dirname(file), spec);
      const to = layerOf(target);
      if (to) out.push({ file: relative(SRC, file), from, to, target: relative(SRC, target) });
    }
  }
  return out;
};

describe('layers (docs/architecture.md)', () => {
  it('finds the imports it checks', async () => {
    const all = await edges();
    expect(all.length).toBeGreaterThan(500);
    expect(all.some((e) => e.from === 'faces' && e.to === 'session')).toBe(true);
  });

  it('no layer imports an outer one', async () => {
    const outward = (await edges()).filter((e) => ORDER.indexOf(e.to) < ORDER.indexOf(e.from));
    expect(outward.map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
  });

  it('the faces reach the stages and the chain only through the session', async () => {
    const skipping = (await edges()).filter((e) => e.from === 'faces' && (e.to === 'stages' || e.to === 'chain'));
    expect(skipping.map((e) => `${e.file} -> ${e.target}`)).toEqual([]);
  });
});

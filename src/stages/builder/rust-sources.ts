import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { readTextFile } from '../../adapters/untrusted.js';

/** Enough for cryptography's workspace; vendored crate trees are not walked. */
const MAX_FILES = 64;
const MAX_DEPTH = 5;
const MAX_BYTES = 1024 ** 2;
const SKIP_DIRS = new Set(['vendor', 'target', 'tests', 'test', 'docs', 'node_modules', '.git']);

/**
 * The files of an extracted sdist that declare a Rust minimum: its Cargo.toml files and the top
 * pyproject.toml (setuptools-rust's ext-modules). The tree is the package's: links are not
 * followed (readdir's file types, readTextFile refuses them), and size and count are capped.
 */
export async function rustSources(srcDir: string): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  const read = async (file: string) => {
    if (out.length >= MAX_FILES) return;
    const text = await readTextFile(file, { maxBytes: MAX_BYTES }).catch(() => undefined);
    if (text !== undefined) out.push({ path: relative(srcDir, file), text });
  };
  await read(join(srcDir, 'pyproject.toml'));
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isFile() && e.name === 'Cargo.toml') await read(join(dir, e.name));
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) {
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
    }
  };
  await walk(srcDir, 0);
  return out;
}

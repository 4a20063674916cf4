import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stableJson, writeFileAtomic } from '../adapters/fs.js';
import { HISTORY_DIR, JOURNAL_FILE, PACKAGES_DIR } from './layout.js';
import { mapLimit, readJournal } from './load.js';
import { stateFiles } from './serialize.js';
import type { State } from './types.js';

/**
 * Write the files of the given packages (all when omitted) so that the folder always holds either
 * the old or the new state as a whole, even if the process is killed at any point:
 *   1. every changed file goes into one journal file, written atomically: that rename is the commit point;
 *   2. each target file is replaced atomically (temp file + fsync + rename);
 *   3. the journal is removed.
 * Readers lay a journal over the folder (load.ts), and the next writer finishes it (recoverState).
 * Unchanged files are not touched. Returns the relative paths written.
 */
export async function saveState(dir: string, state: State, names?: Iterable<string>): Promise<string[]> {
  await recoverState(dir);
  const files = stateFiles(state, names);
  const changed: Array<[string, string]> = [];
  const current = await mapLimit([...files.keys()], 32, (rel) => readFile(join(dir, rel), 'utf8').catch(() => undefined));
  [...files.entries()].forEach(([rel, text], i) => {
    if (current[i] !== text) changed.push([rel, text]);
  });
  if (changed.length === 0) return [];
  if (changed.length > 1) await writeFileAtomic(join(dir, JOURNAL_FILE), stableJson({ schema: 'refinery/journal@1', files: Object.fromEntries(changed) }));
  await applyFiles(dir, changed);
  await rm(join(dir, JOURNAL_FILE), { force: true });
  return changed.map(([rel]) => rel).sort();
}

/** Finish a write that reached its commit point, drop one that did not, and clear temp files. */
export async function recoverState(dir: string): Promise<void> {
  const pending = Object.entries(await readJournal(dir));
  if (pending.length > 0) await applyFiles(dir, pending);
  await rm(join(dir, JOURNAL_FILE), { force: true });
  for (const sub of ['', PACKAGES_DIR, HISTORY_DIR]) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => rm(join(dir, sub, n), { force: true })));
  }
}

async function applyFiles(dir: string, files: ReadonlyArray<readonly [string, string]>): Promise<void> {
  await mapLimit(files, 16, ([rel, text]) => writeFileAtomic(join(dir, rel), text));
}

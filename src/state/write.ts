import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stableJson, writeFileAtomic } from '../adapters/fs.js';
import { GITIGNORE_FILE, GITIGNORE_TEXT, historyFile, HISTORY_DIR, JOURNAL_FILE, MARKER_FILE, packageFile, PACKAGES_DIR } from './layout.js';
import { mapLimit, readJournal } from './load.js';
import { historyText, MARKER, packageFileText } from './serialize.js';
import type { State } from './types.js';

/**
 * Write the files of the given packages (all when omitted) so that the folder always holds either
 * the old or the new state as a whole, even if the process is killed at any point:
 *   1. each changed file is written in full to a temp file beside its target and fsynced;
 *   2. the journal, the list of (temp file -> target) renames, is written atomically: the commit point;
 *   3. the temp files are renamed over their targets, and the journal is removed.
 * Readers lay a journal's temp files over their targets (load.ts); the next writer finishes the
 * renames or, with no journal, deletes the stray temp files (recoverState). Each file is written
 * once, unchanged files are not touched, and only one package's text is in memory per worker.
 * Returns the relative paths written.
 */
export async function saveState(dir: string, state: State, names?: Iterable<string>): Promise<string[]> {
  await recoverState(dir);
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const fixed: Array<[string, () => string]> = [
    [MARKER_FILE, () => stableJson(MARKER)],
    [GITIGNORE_FILE, () => GITIGNORE_TEXT],
  ];
  const perPackage = [...new Set(names ?? state.packages.keys())].sort().flatMap((name): Array<[string, () => string | undefined]> => {
    const pkg = state.packages.get(name);
    if (!pkg) return [];
    return [
      [packageFile(name), () => packageFileText(pkg)],
      [historyFile(name), () => (pkg.history.length > 0 ? historyText(pkg) : undefined)],
    ];
  });
  const staged = await mapLimit([...fixed, ...perPackage], 32, async ([rel, text]) => stageIfChanged(dir, rel, text(), tag));
  const renames = staged.filter((r): r is [string, string] => r !== undefined);
  if (renames.length === 0) return [];
  if (renames.length > 1) await writeFileAtomic(join(dir, JOURNAL_FILE), stableJson({ schema: 'refinery/journal@2', renames }));
  await applyRenames(dir, renames);
  await rm(join(dir, JOURNAL_FILE), { force: true });
  return renames.map(([, rel]) => rel).sort();
}

/** Write `text` to a fsynced temp file beside `rel` when it differs from what is there; returns [temp, target]. */
async function stageIfChanged(dir: string, rel: string, text: string | undefined, tag: string): Promise<[string, string] | undefined> {
  if (text === undefined) return undefined;
  const current = await readFile(join(dir, rel), 'utf8').catch(() => undefined);
  if (current === text) return undefined;
  const tmp = `${rel}.${tag}.tmp`;
  await mkdir(dirname(join(dir, tmp)), { recursive: true });
  const fh = await open(join(dir, tmp), 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return [tmp, rel];
}

/** Finish a write that reached its commit point, drop one that did not, and clear temp files. */
export async function recoverState(dir: string): Promise<void> {
  const renames = await readJournal(dir);
  if (renames.length > 0) await applyRenames(dir, renames);
  await rm(join(dir, JOURNAL_FILE), { force: true });
  for (const sub of ['', PACKAGES_DIR, HISTORY_DIR]) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => rm(join(dir, sub, n), { force: true })));
  }
}

async function applyRenames(dir: string, renames: ReadonlyArray<readonly [string, string]>): Promise<void> {
  await mapLimit(renames, 16, async ([tmp, rel]) => {
    // Already renamed by an earlier, interrupted pass: nothing left to do for this file.
    await rename(join(dir, tmp), join(dir, rel)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  });
}

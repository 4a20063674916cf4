import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stableJson, writeFileAtomic } from '../../adapters/fs.js';
import { RefineryError } from '../../errors.js';
import { GITIGNORE_FILE, GITIGNORE_TEXT, historyFile, HISTORY_DIR, JOURNAL_FILE, MARKER_FILE, packageFile, PACKAGES_DIR } from './layout.js';
import { mapLimit, readJournal } from './load.js';
import { holdsStateLock, verifyStateLock, withStateLock, type StateLockOptions } from './lock.js';
import { historyText, MARKER, packageFileText } from './serialize.js';
import type { State } from './types.js';

/**
 * Write the files of the given packages (all when omitted) so that the folder always holds either
 * the old or the new state as a whole, even if the process is killed at any point:
 *   1. each changed file is written in full to a temp file beside its target and fsynced;
 *   2. the journal, the list of (temp file -> target) renames, is written atomically: the commit point;
 *   3. the temp files are renamed over their targets, and the journal is removed.
 * Everything happens under the folder's writer lock (lock.ts): taken here unless the caller holds
 * it (record holds it across load, merge and save). Readers lay a journal's temp files over their
 * targets (load.ts); the next writer finishes the renames or, with no journal, deletes the stray
 * temp files of earlier writers (recoverState), which only a writer holding the lock can have left.
 * Each file is written once, unchanged files are not touched, and only one package's text is in
 * memory per worker. Any failed write or rename fails the call. Returns the relative paths written.
 */
export async function saveState(dir: string, state: State, names?: Iterable<string>, lock: StateLockOptions = {}): Promise<string[]> {
  if (!holdsStateLock(dir)) return withStateLock(dir, () => saveState(dir, state, names), { purpose: 'save', ...lock });
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
  const all = [...fixed, ...perPackage];
  let failure: unknown;
  const staged = await mapLimit(all, 32, async ([rel, text]) =>
    failure === undefined ? stageIfChanged(dir, rel, text(), tag).catch((e: unknown) => void (failure ??= e)) : undefined,
  );
  const renames = staged.filter((r): r is [string, string] => r !== undefined);
  try {
    if (failure !== undefined) throw failure;
    if (renames.length === 0) return [];
    // The lock could have been taken over as stale (a hung run): then write nothing.
    await verifyStateLock(dir);
  } catch (e) {
    // Nothing committed yet: remove this writer's own temp files (no one else's).
    await Promise.all(all.map(([rel]) => rm(join(dir, `${rel}.${tag}.tmp`), { force: true })));
    throw e;
  }
  if (renames.length > 1) await writeFileAtomic(join(dir, JOURNAL_FILE), stableJson({ schema: 'refinery/journal@2', renames }));
  await applyRenames(dir, renames, false);
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

/** Temp files saveState and the journal write leave when killed: `<state file>.<pid>.<8 hex>.tmp`. */
const WRITER_TEMP: ReadonlyArray<readonly [string, RegExp]> = [
  ['', /^(?:state\.json|\.gitignore|\.journal\.json)\.\d+\.[0-9a-f]{8}\.tmp$/],
  [PACKAGES_DIR, /^[a-z0-9-]+\.json\.\d+\.[0-9a-f]{8}\.tmp$/],
  [HISTORY_DIR, /^[a-z0-9-]+\.jsonl\.\d+\.[0-9a-f]{8}\.tmp$/],
];
/** A takeover interrupted between moving a stale lock aside and removing it (lock.ts). */
const LOCK_ASIDE = /^\.lock\.[0-9a-f]{16}\.stale\.tmp$/;

/**
 * Finish a write that reached its commit point, drop one that did not: under the writer lock
 * (taken here unless held), so every writer temp file found belongs to a writer that was killed.
 */
export async function recoverState(dir: string, lock: StateLockOptions = {}): Promise<void> {
  if (!holdsStateLock(dir)) return withStateLock(dir, () => recoverState(dir), { purpose: 'recover', ...lock });
  const renames = await readJournal(dir);
  if (renames.length > 0) await applyRenames(dir, renames, true);
  await rm(join(dir, JOURNAL_FILE), { force: true });
  for (const [sub, pattern] of WRITER_TEMP) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => pattern.test(n)).map((n) => rm(join(dir, sub, n), { force: true })));
  }
  const top = await readdir(dir).catch(() => [] as string[]);
  for (const n of top.filter((n) => LOCK_ASIDE.test(n))) {
    // Only old ones: a waiter may be in the middle of moving a stale lock aside right now.
    const st = await stat(join(dir, n)).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > 60_000) await rm(join(dir, n), { force: true });
  }
}

/**
 * Rename each temp file over its target. Replaying a journal (`replay`), a missing temp file was
 * renamed by the interrupted writer already; in a writer's own pass every rename must happen.
 */
async function applyRenames(dir: string, renames: ReadonlyArray<readonly [string, string]>, replay: boolean): Promise<void> {
  await mapLimit(renames, 16, async ([tmp, rel]) => {
    try {
      await rename(join(dir, tmp), join(dir, rel));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (replay && code === 'ENOENT') return;
      throw new RefineryError('state', `could not move ${tmp} over ${rel}: ${code ?? String(e)}`, {
        location: { file: join(dir, rel) },
        cause: e,
        fix: replay
          ? 'check the permissions of the state folder; the interrupted write is kept in its journal'
          : 'something else changed the state folder while refinery held its lock; the write is kept in its journal, and the next record finishes it',
      });
    }
  });
}

/** Where each part of the state lives, relative to the state folder (default `.refinery/`). */
export const DEFAULT_STATE_DIR = '.refinery';
export const MARKER_FILE = 'state.json';
export const PACKAGES_DIR = 'packages';
export const HISTORY_DIR = 'history';
/** A pending multi-file write (see write.ts); never committed. */
export const JOURNAL_FILE = '.journal.json';
/** The writer's lock (see lock.ts); never committed. */
export const LOCK_FILE = '.lock';
export const GITIGNORE_FILE = '.gitignore';
export const GITIGNORE_TEXT = '# written by refinery: the writer lock, crash-recovery journal and temp files are never committed\n.lock\n.journal.json\n*.tmp\n';

export const packageFile = (name: string): string => `${PACKAGES_DIR}/${name}.json`;
export const historyFile = (name: string): string => `${HISTORY_DIR}/${name}.jsonl`;

/** The package a state file belongs to, or undefined for other files. */
export function packageOfFile(rel: string): { name: string; kind: 'package' | 'history' } | undefined {
  const p = /^packages\/([a-z0-9-]+)\.json$/.exec(rel);
  if (p) return { name: p[1]!, kind: 'package' };
  const h = /^history\/([a-z0-9-]+)\.jsonl$/.exec(rel);
  if (h) return { name: h[1]!, kind: 'history' };
  return undefined;
}

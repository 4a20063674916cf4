import { excerpt, RefineryError } from '../../errors.js';

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
export const GITIGNORE_TEXT =
  '# written by refinery: the writer lock, crash-recovery journal and temp files are never committed\n.lock\n.journal.json\n*.tmp\n';

export const packageFile = (name: string): string => `${PACKAGES_DIR}/${stateName(name)}.json`;
export const historyFile = (name: string): string => `${HISTORY_DIR}/${stateName(name)}.jsonl`;

/** Every state file path is built from a PEP 503 normalized name, so it stays in its folder. */
function stateName(name: string): string {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
    throw new RefineryError('state', `not a normalized package name: ${excerpt(name)}`, { fix: 'package names in the state are PEP 503 normalized' });
  return name;
}

/** The package a state file belongs to, or undefined for other files. */
export function packageOfFile(rel: string): { name: string; kind: 'package' | 'history' } | undefined {
  const p = /^packages\/([a-z0-9-]+)\.json$/.exec(rel);
  if (p) return { name: p[1]!, kind: 'package' };
  const h = /^history\/([a-z0-9-]+)\.jsonl$/.exec(rel);
  if (h) return { name: h[1]!, kind: 'history' };
  return undefined;
}

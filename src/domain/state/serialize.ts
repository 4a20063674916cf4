import { stableJson } from '../../adapters/fs.js';
import { canonicalLine } from './canonical.js';
import { GITIGNORE_FILE, GITIGNORE_TEXT, historyFile, MARKER_FILE, packageFile } from './layout.js';
import { HISTORY_SCHEMA, PACKAGE_SCHEMA, STATE_SCHEMA, type PackageFile, type StateMarker } from './schema.js';
import type { PackageState, State } from './types.js';

export const MARKER: StateMarker = { schema: STATE_SCHEMA, about: 'refinery state: see docs/state.md' };

export function packageFileText(pkg: PackageState): string {
  const file: PackageFile = {
    schema: PACKAGE_SCHEMA,
    name: pkg.name,
    manifest: pkg.manifest,
    requests: pkg.requests,
    drops: pkg.drops,
    ...(pkg.withdrawals && pkg.withdrawals.length > 0 ? { withdrawals: pkg.withdrawals } : {}),
    hints: pkg.hints,
    knownFailing: pkg.knownFailing,
    queue: pkg.queue,
  };
  return stableJson(file);
}

/** One compact line per attempt: recording a result appends lines, and a diff shows exactly them. */
export function historyText(pkg: PackageState): string {
  const lines = [canonicalLine({ schema: HISTORY_SCHEMA, package: pkg.name })];
  for (const h of pkg.history) lines.push(canonicalLine(h));
  return `${lines.join('\n')}\n`;
}

/** The files of the given packages (all when omitted), plus the marker, as relative path -> text. */
export function stateFiles(state: State, names?: Iterable<string>): Map<string, string> {
  const files = new Map<string, string>();
  files.set(MARKER_FILE, stableJson(MARKER));
  files.set(GITIGNORE_FILE, GITIGNORE_TEXT);
  for (const name of names ?? state.packages.keys()) {
    const pkg = state.packages.get(name);
    if (!pkg) continue;
    files.set(packageFile(name), packageFileText(pkg));
    if (pkg.history.length > 0) files.set(historyFile(name), historyText(pkg));
  }
  return files;
}

import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type JsonInput, type JsonSource, jsonValue, validateJson } from '../../adapters/json-file.js';
import { FileRefusedError, kindOf, readTextFile } from '../../adapters/untrusted.js';
import { printablePath, RefineryError } from '../../errors.js';
import { canonicalLine } from './canonical.js';
import { historyFile, HISTORY_DIR, JOURNAL_FILE, MARKER_FILE, packageFile, PACKAGES_DIR, packageOfFile } from './layout.js';
import { historyKey } from './merge.js';
import { restoreFix, upgrade } from './migrate.js';
import { quickHistoryEntry, quickManifestEntry } from './quick-check.js';
import { HISTORY_SCHEMA, HistoryEntry, HistoryHeader, Journal, type ManifestEntry, PACKAGE_SCHEMA, PackageFile, STATE_SCHEMA, StateMarker } from './schema.js';
import { emptyPackage, emptyState, type PackageState, type State } from './types.js';

/** State files are repaired from git: every fault of one says so. */
const STATE_INPUT: JsonInput = { code: 'state', fix: restoreFix };

/**
 * Read and validate a state folder. A missing folder is an empty state; anything that does not
 * validate is a RefineryError('state') naming the file, line and field, never a partial state.
 */
export async function loadState(dir: string): Promise<State> {
  const files = await readStateFiles(dir);
  if (!files) return emptyState();
  return parseStateFiles(files, (rel) => join(dir, rel));
}

/**
 * Relative path -> text of every state file, with a committed pending write laid over it; undefined
 * when the folder is missing. Each part must be of its kind (state.json and the package files
 * regular files, packages/ and history/ folders, no links) and strictly UTF-8; anything else is a
 * RefineryError('state') naming it.
 */
export async function readStateFiles(dir: string): Promise<Map<string, string> | undefined> {
  let top: Dirent[];
  try {
    top = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RefineryError('state', `cannot read the state folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { location: { file: dir } });
  }
  const rels: string[] = [];
  const kinds = new Map(top.map((d) => [d.name, d]));
  const marker = kinds.get(MARKER_FILE);
  if (marker) {
    if (!marker.isFile()) throw wrongKind(join(dir, MARKER_FILE), marker, 'a regular file');
    rels.push(MARKER_FILE);
  }
  for (const [sub, ext] of [
    [PACKAGES_DIR, '.json'],
    [HISTORY_DIR, '.jsonl'],
  ] as const) {
    const d = kinds.get(sub);
    if (!d) continue;
    if (!d.isDirectory()) throw wrongKind(join(dir, sub), d, 'a folder');
    // Temp files of an interrupted write end in .tmp and are ignored.
    for (const f of await readdir(join(dir, sub), { withFileTypes: true })) {
      if (!f.name.endsWith(ext)) continue;
      if (!f.isFile()) throw wrongKind(join(dir, sub, f.name), f, 'a regular file');
      rels.push(`${sub}/${f.name}`);
    }
  }
  const files = new Map<string, string>();
  const texts = await mapLimit(rels, 32, (rel) => readStateText(join(dir, rel)));
  for (const [i, rel] of rels.entries()) files.set(rel, texts[i]!);
  if (kinds.has(JOURNAL_FILE)) {
    // A committed write whose renames may not all have happened: its temp files are the truth.
    for (const [tmp, rel] of await readJournal(dir)) {
      const text = await readStateText(join(dir, tmp)).catch((e: unknown) => {
        if (e instanceof RefineryError) throw e;
        return undefined;
      });
      if (text !== undefined && (rel === MARKER_FILE || packageOfFile(rel))) files.set(rel, text);
    }
  }
  return files;
}

function wrongKind(file: string, d: Dirent, want: string): RefineryError {
  return new RefineryError('state', `is a ${kindOf(d)}, expected ${want}`, {
    location: { file: printablePath(file) },
    fix: 'the state folder holds state.json, .gitignore, packages/<name>.json and history/<name>.jsonl only; move the odd entry away or point --state at the right folder',
  });
}

/** A state file's text: a regular file (links are not followed), strictly UTF-8; a missing file is the caller's ENOENT. */
async function readStateText(file: string): Promise<string> {
  try {
    return await readTextFile(file);
  } catch (e) {
    if (e instanceof FileRefusedError) {
      throw new RefineryError('state', e.message, {
        location: { file: printablePath(file), ...(e.line ? { line: e.line } : {}) },
        fix: e.reason === 'utf8' ? 'the file was corrupted or saved in another encoding; restore it from git' : restoreFix,
      });
    }
    throw e;
  }
}

/** The renames of a write that reached its commit point but may not all be done yet ([temp, target]). */
export async function readJournal(dir: string): Promise<Array<[string, string]>> {
  const file = join(dir, JOURNAL_FILE);
  let text: string;
  try {
    text = await readStateText(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return validateJson(Journal, jsonValue(text, { file }, STATE_INPUT), { file }, STATE_INPUT).renames;
}

export function parseStateFiles(files: ReadonlyMap<string, string>, where: (rel: string) => string): State {
  const state = emptyState();
  const marker = files.get(MARKER_FILE);
  const names = new Set<string>();
  for (const rel of files.keys()) {
    const p = packageOfFile(rel);
    if (p) names.add(p.name);
    else if (rel !== MARKER_FILE && (rel.startsWith(`${PACKAGES_DIR}/`) || rel.startsWith(`${HISTORY_DIR}/`))) {
      throw new RefineryError('state', 'not a state file name (expected a PEP 503 normalized package name)', {
        location: { file: printablePath(where(rel)) },
        fix: 'rename or remove the file',
      });
    }
  }
  if (marker === undefined) {
    if (names.size === 0) return state;
    throw new RefineryError('state', `${MARKER_FILE} is missing but package files exist`, {
      location: { file: where(MARKER_FILE) },
      fix: `restore ${MARKER_FILE} from git, or point --state at the right folder`,
    });
  }
  const at = { file: where(MARKER_FILE) };
  validateJson(StateMarker, upgrade(jsonValue(marker, at, STATE_INPUT), STATE_SCHEMA, at.file), at, STATE_INPUT);
  for (const name of [...names].sort()) {
    state.packages.set(name, parsePackage(name, files.get(packageFile(name)), files.get(historyFile(name)), where));
  }
  return state;
}

/** One package from the text of its two files (either may be absent). */
export function parsePackage(name: string, packageText: string | undefined, historyText: string | undefined, where: (rel: string) => string): PackageState {
  const pkg = emptyPackage(name);
  if (packageText !== undefined) {
    const file = where(packageFile(name));
    const data = parsePackageFile(upgrade(jsonValue(packageText, { file }, STATE_INPUT), PACKAGE_SCHEMA, file), { file });
    if (data.name !== name) {
      throw new RefineryError('state', `the file is named for "${name}" but holds "${data.name}"`, {
        location: { file, field: 'name' },
        fix: restoreFix,
      });
    }
    const stray = data.manifest.findIndex((m) => m.name !== name);
    if (stray >= 0) {
      throw new RefineryError('state', `a wheel of "${data.manifest[stray]!.name}" in the manifest of "${name}"`, {
        location: { file, field: `manifest.${stray}.name` },
        fix: restoreFix,
      });
    }
    const { schema: _schema, ...fields } = data;
    Object.assign(pkg, fields);
  }
  if (historyText !== undefined) pkg.history = parseHistory(name, historyText, where(historyFile(name)));
  return pkg;
}

function parseHistory(name: string, text: string, file: string): PackageState['history'] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = lines[0];
  if (header === undefined)
    throw new RefineryError('state', 'empty history file (the header line is missing)', { location: { file, line: 1 }, fix: restoreFix });
  const first = { file, line: 1 };
  const h = validateJson(HistoryHeader, upgrade(jsonValue(header, first, STATE_INPUT), HISTORY_SCHEMA, file), first, STATE_INPUT);
  if (h.package !== name) {
    throw new RefineryError('state', `the file is named for "${name}" but holds "${h.package}"`, {
      location: { file, line: 1, field: 'package' },
      fix: restoreFix,
    });
  }
  const out: PackageState['history'] = [];
  const seen = new Map<string, { line: number; entry: HistoryEntry; text?: string }>();
  for (let i = 1; i < lines.length; i++) {
    const lineText = lines[i]!;
    if (lineText.trim() === '') continue;
    const at = { file, line: i + 1 };
    const json = jsonValue(lineText, at, STATE_INPUT);
    const entry: HistoryEntry = quickHistoryEntry(json) ? json : validateJson(HistoryEntry, json, at, STATE_INPUT);
    if (entry.package !== name) {
      throw new RefineryError('state', `attempt of "${entry.package}" in the history of "${name}"`, {
        location: { file, line: i + 1, field: 'package' },
        fix: restoreFix,
      });
    }
    // The same attempt twice is harmless when identical (e.g. a text merge); different is a hand edit we refuse to guess about.
    // Canonical text only for a repeated key: computing it for every line was a quarter of a load.
    const key = historyKey(entry);
    const prev = seen.get(key);
    if (!prev) {
      seen.set(key, { line: i + 1, entry });
      out.push(entry);
      continue;
    }
    prev.text ??= canonicalLine(prev.entry);
    if (prev.text !== canonicalLine(entry)) {
      throw new RefineryError('state', `attempt ${entry.attempt} of run ${entry.run} appears twice with different content (first on line ${prev.line})`, {
        location: { file, line: i + 1 },
        fix: 'keep one of the two lines',
      });
    }
  }
  return out;
}

/**
 * PackageFile's verdict, with the manifest's entries checked by hand when they all have the common
 * shape (zod then validates the rest); otherwise zod validates the whole file, naming the bad entry.
 */
function parsePackageFile(json: unknown, at: JsonSource): PackageFile {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const manifest = (json as { manifest?: unknown }).manifest;
    if (Array.isArray(manifest) && manifest.every((m) => quickManifestEntry(m))) {
      const rest = validateJson(PackageFile, { ...json, manifest: [] }, at, STATE_INPUT);
      rest.manifest = manifest as ManifestEntry[];
      return rest;
    }
  }
  return validateJson(PackageFile, json, at, STATE_INPUT);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
export { mapLimit };

import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { FileRefusedError, kindOf, parseJsonText, readTextFile } from '../../adapters/untrusted.js';
import { excerpt, printablePath, RefineryError } from '../../errors.js';
import { canonicalLine } from './canonical.js';
import { historyFile, HISTORY_DIR, JOURNAL_FILE, MARKER_FILE, packageFile, PACKAGES_DIR, packageOfFile } from './layout.js';
import { historyKey } from './merge.js';
import { restoreFix, upgrade } from './migrate.js';
import { quickHistoryEntry, quickManifestEntry } from './quick-check.js';
import { HISTORY_SCHEMA, HistoryEntry, HistoryHeader, Journal, type ManifestEntry, PACKAGE_SCHEMA, PackageFile, STATE_SCHEMA, StateMarker } from './schema.js';
import { emptyPackage, emptyState, type PackageState, type State } from './types.js';

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
  const parsed = Journal.safeParse(parseJson(text, file));
  if (!parsed.success) throw zodError(parsed.error, file);
  return parsed.data.renames;
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
  const m = StateMarker.safeParse(upgrade(parseJson(marker, where(MARKER_FILE)), STATE_SCHEMA, where(MARKER_FILE)));
  if (!m.success) throw zodError(m.error, where(MARKER_FILE));
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
    const parsed = parsePackageFile(upgrade(parseJson(packageText, file), PACKAGE_SCHEMA, file));
    if (!parsed.success) throw zodError(parsed.error, file);
    if (parsed.data.name !== name) {
      throw new RefineryError('state', `the file is named for "${name}" but holds "${parsed.data.name}"`, {
        location: { file, field: 'name' },
        fix: restoreFix,
      });
    }
    const stray = parsed.data.manifest.findIndex((m) => m.name !== name);
    if (stray >= 0) {
      throw new RefineryError('state', `a wheel of "${parsed.data.manifest[stray]!.name}" in the manifest of "${name}"`, {
        location: { file, field: `manifest.${stray}.name` },
        fix: restoreFix,
      });
    }
    const { schema: _schema, ...fields } = parsed.data;
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
  const h = HistoryHeader.safeParse(upgrade(parseJson(header, file, 1), HISTORY_SCHEMA, file));
  if (!h.success) throw zodError(h.error, file, 1);
  if (h.data.package !== name) {
    throw new RefineryError('state', `the file is named for "${name}" but holds "${h.data.package}"`, {
      location: { file, line: 1, field: 'package' },
      fix: restoreFix,
    });
  }
  const out: PackageState['history'] = [];
  const seen = new Map<string, { line: number; entry: HistoryEntry; text?: string }>();
  for (let i = 1; i < lines.length; i++) {
    const lineText = lines[i]!;
    if (lineText.trim() === '') continue;
    const json = parseJson(lineText, file, i + 1);
    let entry: HistoryEntry;
    if (quickHistoryEntry(json)) entry = json;
    else {
      const parsed = HistoryEntry.safeParse(json);
      if (!parsed.success) throw zodError(parsed.error, file, i + 1);
      entry = parsed.data;
    }
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
 * shape (zod then parses the rest); otherwise zod parses the whole file, naming the bad entry.
 */
function parsePackageFile(json: unknown): ReturnType<typeof PackageFile.safeParse> {
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const manifest = (json as { manifest?: unknown }).manifest;
    if (Array.isArray(manifest) && manifest.every((m) => quickManifestEntry(m))) {
      const rest = PackageFile.safeParse({ ...json, manifest: [] });
      if (rest.success) rest.data.manifest = manifest as ManifestEntry[];
      return rest;
    }
  }
  return PackageFile.safeParse(json);
}

function parseJson(text: string, file: string, line?: number): unknown {
  const json = parseJsonText(text);
  if (json.ok) return json.value;
  // A history line is parsed alone: its line in the file is the caller's.
  const at = line ?? json.error.line;
  throw new RefineryError('state', `not valid JSON (${json.error.message}); the file may be truncated or hand-edited`, {
    location: { file, ...(at ? { line: at } : {}) },
    fix: restoreFix,
  });
}

const tame = (key: string): boolean => /^[\w.-]{1,64}$/.test(key);

export function zodError(error: z.ZodError, file: string, line?: number): RefineryError {
  const issue = error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  // Field names come from the file: escaped and short, like every quote of untrusted text.
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys
          .slice(0, 3)
          .map((k) => (tame(k) ? `'${k}'` : excerpt(k, 40)))
          .join(', ')}`
      : issue.message;
  const field = path.map((p) => (typeof p !== 'string' || tame(p) ? String(p) : excerpt(p, 40))).join('.');
  return new RefineryError('state', message, {
    location: { file, ...(line ? { line } : {}), field: field || '(top level)' },
    fix: restoreFix,
  });
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

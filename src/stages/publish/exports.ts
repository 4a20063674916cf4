import { cmp } from '../../domain/state/canonical.js';
import type { HistoryEntry, ManifestEntry } from '../../domain/state/schema.js';
import type { State } from '../../domain/state/types.js';

/**
 * CSV (RFC 4180) and Parquet exports of the manifest and the attempt history: the same columns
 * and rows in both, so DuckDB, pandas or a spreadsheet read whichever suits. Lists are joined with
 * spaces; an absent value is an empty CSV cell and a Parquet null.
 */

type Kind = 'string' | 'number' | 'boolean';
interface Column<T> {
  name: string;
  kind: Kind;
  get: (row: T) => string | number | boolean | undefined;
}

const MANIFEST: Column<ManifestEntry>[] = [
  { name: 'name', kind: 'string', get: (m) => m.name },
  { name: 'version', kind: 'string', get: (m) => m.version },
  { name: 'filename', kind: 'string', get: (m) => m.filename },
  { name: 'variant', kind: 'string', get: (m) => m.variant },
  { name: 'tags', kind: 'string', get: (m) => m.tags.join(' ') },
  { name: 'targets', kind: 'string', get: (m) => m.targets.join(' ') },
  { name: 'sha256', kind: 'string', get: (m) => m.sha256 },
  { name: 'size', kind: 'number', get: (m) => m.size },
  { name: 'preset', kind: 'string', get: (m) => m.preset },
  { name: 'executor', kind: 'string', get: (m) => m.executor },
  { name: 'image', kind: 'string', get: (m) => m.image },
  { name: 'image_digest', kind: 'string', get: (m) => m.imageDigest },
  { name: 'built_at', kind: 'string', get: (m) => m.builtAt },
  { name: 'inputs_fingerprint', kind: 'string', get: (m) => m.inputsFingerprint },
  { name: 'unit', kind: 'string', get: (m) => m.unit },
  { name: 'run', kind: 'string', get: (m) => m.run },
  { name: 'sdist', kind: 'string', get: (m) => m.sdist.filename },
  { name: 'sdist_sha256', kind: 'string', get: (m) => m.sdist.sha256 },
  { name: 'storage', kind: 'string', get: (m) => m.storage.kind },
  { name: 'storage_location', kind: 'string', get: (m) => m.storage.location },
];

const HISTORY: Column<HistoryEntry>[] = [
  { name: 'package', kind: 'string', get: (h) => h.package },
  { name: 'version', kind: 'string', get: (h) => h.version },
  { name: 'unit', kind: 'string', get: (h) => h.unit },
  { name: 'variant', kind: 'string', get: (h) => h.variant },
  { name: 'run', kind: 'string', get: (h) => h.run },
  { name: 'attempt', kind: 'number', get: (h) => h.attempt },
  { name: 'attempts', kind: 'number', get: (h) => h.attempts },
  { name: 'outcome', kind: 'string', get: (h) => h.outcome },
  { name: 'status', kind: 'string', get: (h) => h.status },
  { name: 'started_at', kind: 'string', get: (h) => h.startedAt },
  { name: 'finished_at', kind: 'string', get: (h) => h.finishedAt },
  { name: 'duration_ms', kind: 'number', get: (h) => h.durationMs },
  { name: 'phase', kind: 'string', get: (h) => h.phase },
  { name: 'failure_class', kind: 'string', get: (h) => h.failureClass },
  { name: 'matched_hint', kind: 'string', get: (h) => h.matchedHint },
  { name: 'hints_applied', kind: 'string', get: (h) => h.hintsApplied.join(' ') },
  { name: 'killed', kind: 'boolean', get: (h) => h.killed },
  { name: 'executor', kind: 'string', get: (h) => h.executor },
  { name: 'preset', kind: 'string', get: (h) => h.preset },
  { name: 'image_digest', kind: 'string', get: (h) => h.imageDigest },
  { name: 'runner', kind: 'string', get: (h) => h.runner },
  { name: 'run_url', kind: 'string', get: (h) => h.runUrl },
  { name: 'log', kind: 'string', get: (h) => h.log },
  { name: 'inputs_fingerprint', kind: 'string', get: (h) => h.inputsFingerprint },
];

export function manifestRows(state: State): ManifestEntry[] {
  return [...state.packages.keys()]
    .sort(cmp)
    .flatMap((n) => [...state.packages.get(n)!.manifest].sort((a, b) => cmp(a.filename, b.filename) || cmp(a.builtAt, b.builtAt) || cmp(a.sha256, b.sha256)));
}

export function historyRows(state: State): HistoryEntry[] {
  return [...state.packages.keys()]
    .sort(cmp)
    .flatMap((n) => [...state.packages.get(n)!.history].sort((a, b) => cmp(a.finishedAt, b.finishedAt) || cmp(a.run, b.run) || a.attempt - b.attempt));
}

function csv<T>(cols: Column<T>[], rows: readonly T[]): string {
  const cell = (v: string | number | boolean | undefined) => {
    if (v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [cols.map((c) => c.name).join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(c.get(r))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function parquet<T>(write: typeof import('hyparquet-writer').parquetWriteBuffer, cols: Column<T>[], rows: readonly T[]): Uint8Array {
  const columnData = cols.map((c) => ({
    name: c.name,
    data: rows.map((r) => c.get(r) ?? null),
    type: c.kind === 'string' ? ('STRING' as const) : c.kind === 'number' ? ('DOUBLE' as const) : ('BOOLEAN' as const),
    nullable: true,
  }));
  // Column statistics tripled the write time of high-cardinality columns (hashes, run ids): off.
  return new Uint8Array(write({ columnData, statistics: false, createdBy: 's390x-wheel-refinery' }));
}

/** Export file names, relative to the site root. */
export const EXPORT_FILES = ['exports/manifest.csv', 'exports/manifest.parquet', 'exports/history.csv', 'exports/history.parquet'] as const;

/**
 * Hands each export to `write` as soon as it is made, so only one of them (tens of MB for
 * 100,000 attempts) is held at a time.
 */
export async function writeExports(state: State, write: (rel: (typeof EXPORT_FILES)[number], data: string | Uint8Array) => Promise<unknown>): Promise<void> {
  // Loaded here: every CLI command registers at start-up, and only publish writes Parquet.
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const manifest = manifestRows(state);
  await write('exports/manifest.csv', csv(MANIFEST, manifest));
  await write('exports/manifest.parquet', parquet(parquetWriteBuffer, MANIFEST, manifest));
  const history = historyRows(state);
  await write('exports/history.csv', csv(HISTORY, history));
  await write('exports/history.parquet', parquet(parquetWriteBuffer, HISTORY, history));
}

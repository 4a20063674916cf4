/**
 * Yield: how much of a named list of releases the refinery builds unattended. Each
 * `name==version` goes through the whole pipeline on its own (scan -> plan -> build -> record,
 * read as a one-line lock file: no resolution, its dependencies not followed), and ends as one row: built (the smoke test in a fresh container
 * passed), built-unverified (kept, with the reason), failed (by class, with the log line that
 * says why), not-needed (an upstream wheel or an earlier build serves it), or error (the
 * pipeline itself stopped: an index, a missing sdist). Yield is built or built-unverified over
 * what was attempted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runPipeline, type PipelineOptions, type UnitOutcome } from './pipeline.js';
import type { RefineryConfig } from '../domain/config/schema.js';
import { normalizeName } from '../domain/python/names.js';
import { isValidVersion, normalizeVersion } from '../domain/python/version.js';
import { RefineryError } from '../errors.js';

export interface YieldEntry {
  name: string;
  version: string;
}

export type YieldOutcome = 'built' | 'built-unverified' | 'failed' | 'not-needed' | 'error' | 'not-run';

export interface YieldRow extends YieldEntry {
  outcome: YieldOutcome;
  /** failed: the failure class (`unclassified` when no hint knew it). */
  failureClass?: string;
  /** failed: the line of the log the reason rests on; built-unverified: why unverified. */
  evidence?: string;
  reason: string;
  attempts: number;
  seconds: number;
  wheel?: string;
  externalLibraries?: string[];
}

export interface YieldReport {
  rows: YieldRow[];
  attempted: number;
  built: number;
  unverified: number;
  failed: number;
  /** (built + built-unverified) / attempted, 0..1; undefined when nothing was attempted. */
  yield?: number;
  failuresByClass: Record<string, number>;
}

/** One `name==version` per line; `#` starts a comment. Anything else is one clear error. */
export function parseYieldList(text: string, file: string): YieldEntry[] {
  const out: YieldEntry[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const m = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)==([^\s=;]+)$/.exec(line);
    if (!m || !isValidVersion(m[3]!)) {
      throw new RefineryError('input', `${JSON.stringify(line.slice(0, 120))} is not NAME==VERSION`, {
        location: { file, line: i + 1 },
        fix: 'one pinned release a line, e.g. ujson==5.10.0; # for comments',
      });
    }
    const entry = { name: normalizeName(m[1]!), version: normalizeVersion(m[3]!) ?? m[3]! };
    const key = `${entry.name}==${entry.version}`;
    if (!seen.has(key)) out.push(entry);
    seen.add(key);
  });
  if (out.length === 0) throw new RefineryError('input', 'the list names no release', { location: { file }, fix: 'add NAME==VERSION lines' });
  return out;
}

export interface YieldOptions extends Omit<PipelineOptions, 'config' | 'outDir' | 'onUnit'> {
  /** Targets, limits, preset, compiler: each entry runs with this config, its requirement replaced. */
  config: RefineryConfig;
  /** Each entry's wheels, results and logs go to `<outDir>/<name>-<version>/`. */
  outDir: string;
  /** No entry starts after this instant (epoch ms); the rest are `not-run`. */
  startBefore?: number;
  onRow?: (row: YieldRow) => void;
  onUnit?: (entry: YieldEntry, u: UnitOutcome) => void;
}

export async function runYield(entries: readonly YieldEntry[], o: YieldOptions): Promise<YieldReport> {
  const rows: YieldRow[] = [];
  const push = (row: YieldRow) => {
    rows.push(row);
    o.onRow?.(row);
  };
  for (const entry of entries) {
    if (o.signal?.aborted || (o.startBefore !== undefined && Date.now() >= o.startBefore)) {
      push({ ...entry, outcome: 'not-run', reason: o.signal?.aborted ? 'cancelled' : 'the time allowed for starting runs was over', attempts: 0, seconds: 0 });
      continue;
    }
    const started = Date.now();
    const outDir = join(o.outDir, `${entry.name}-${entry.version}`.replace(/[^A-Za-z0-9._-]/g, '_'));
    // Only this release, pinned as a lock (no resolution): its dependencies are somebody else's row.
    await mkdir(outDir, { recursive: true });
    const lock = join(outDir, 'yield.lock');
    await writeFile(lock, `${entry.name}==${entry.version}\n`);
    const config: RefineryConfig = { ...o.config, requirements: [{ lock }], expansion: { ...o.config.expansion, maxDepth: 0 } };
    try {
      const r = await runPipeline({
        ...o,
        config,
        outDir,
        onUnit: (u) => o.onUnit?.(entry, u),
      });
      const mine = r.units.filter((u) => u.unit.package === entry.name && u.unit.version === entry.version);
      push(
        rowOf(
          entry,
          mine,
          r.inventory.packages.find((p) => p.name === entry.name && p.version === entry.version),
          Date.now() - started,
        ),
      );
    } catch (e) {
      if (!(e instanceof RefineryError)) throw e;
      push({ ...entry, outcome: 'error', reason: `${e.code}: ${e.message}`.slice(0, 500), attempts: 0, seconds: Math.round((Date.now() - started) / 1000) });
    }
  }
  return summarize(rows);
}

/** One release's row from its units (a release may plan several: one per Python). */
function rowOf(entry: YieldEntry, units: UnitOutcome[], scanned: { status: string; reason: string } | undefined, ms: number): YieldRow {
  const seconds = Math.round(ms / 1000);
  const failed = units.find((u) => u.outcome === 'failed');
  if (failed?.outcome === 'failed') {
    return {
      ...entry,
      outcome: 'failed',
      failureClass: failed.failureClass ?? 'unclassified',
      ...(failed.evidence ? { evidence: failed.evidence } : {}),
      reason: failed.reason,
      attempts: failed.attempts,
      seconds,
    };
  }
  const built = units.filter((u) => u.outcome === 'built');
  const unverified = built.find((u) => u.outcome === 'built' && u.unverified);
  if (built.length > 0) {
    const b = (unverified ?? built[0]!) as Extract<UnitOutcome, { outcome: 'built' }>;
    const libs = [...new Set(built.flatMap((u) => (u.outcome === 'built' ? (u.externalLibraries ?? []) : [])))].sort();
    return {
      ...entry,
      outcome: b.unverified ? 'built-unverified' : 'built',
      ...(b.unverified ? { evidence: b.unverified } : {}),
      reason: b.unverified
        ? `built, unverified: ${b.unverified}`
        : `built in ${b.attempts} attempt(s), ${b.compiler} compilers${b.runtimePackages ? `; verified with runtime packages (${b.runtimePackages.manager}): ${b.runtimePackages.packages.join(', ')}` : ''}`,
      attempts: built.reduce((s, u) => s + (u.outcome === 'built' ? u.attempts : 0), 0),
      seconds,
      wheel: b.wheel,
      ...(libs.length > 0 ? { externalLibraries: libs } : {}),
    };
  }
  const other = units.find((u) => u.outcome === 'skipped' || u.outcome === 'reused' || u.outcome === 'cancelled');
  if (other && other.outcome === 'cancelled') return { ...entry, outcome: 'not-run', reason: other.reason, attempts: 0, seconds };
  if (other) return { ...entry, outcome: 'not-needed', reason: other.reason, attempts: 0, seconds };
  // Nothing planned: served already (an upstream wheel, a recorded build), or the scan could not
  // find it (no sdist, not on the index): that is an error of the row, not a success.
  const served = scanned?.status === 'upstream-wheel' || scanned?.status === 'built' || scanned?.status === 'excluded';
  const reason = scanned ? `${scanned.status}: ${scanned.reason}` : 'the scan did not find it on the configured indexes';
  return { ...entry, outcome: served ? 'not-needed' : 'error', reason, attempts: 0, seconds };
}

export function summarize(rows: YieldRow[]): YieldReport {
  const count = (o: YieldOutcome) => rows.filter((r) => r.outcome === o).length;
  const built = count('built');
  const unverified = count('built-unverified');
  const failed = count('failed') + count('error');
  const attempted = built + unverified + failed;
  const failuresByClass: Record<string, number> = {};
  for (const r of rows) {
    if (r.outcome === 'failed' || r.outcome === 'error') {
      const k = r.outcome === 'error' ? 'error' : (r.failureClass ?? 'unclassified');
      failuresByClass[k] = (failuresByClass[k] ?? 0) + 1;
    }
  }
  return { rows, attempted, built, unverified, failed, ...(attempted > 0 ? { yield: (built + unverified) / attempted } : {}), failuresByClass };
}

/** The report as a plain-text table (the CLI and the bench print this). */
export function yieldTable(r: YieldReport): string {
  const head = ['package', 'version', 'outcome', 'class', 'attempts', 'time', 'evidence / reason'];
  const body = r.rows.map((x) => [
    x.name,
    x.version,
    x.outcome,
    x.failureClass ?? '',
    String(x.attempts),
    `${x.seconds}s`,
    (x.evidence ?? x.reason).replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 140),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [fmt(head), ...body.map(fmt)];
  const pct = r.yield === undefined ? 'n/a' : `${(r.yield * 100).toFixed(1)}%`;
  const classes = Object.entries(r.failuresByClass)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(
    '',
    `yield: ${pct} (${r.built} built + ${r.unverified} built-unverified of ${r.attempted} attempted; ${r.failed} failed${classes ? `: ${classes}` : ''})`,
  );
  return lines.join('\n');
}

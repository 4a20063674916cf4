import { relative, resolve, sep } from 'node:path';
import * as core from '@actions/core';
import type { Inventory } from '../../domain/model/inventory.js';
import type { Plan, PlanUnit } from '../../domain/model/plan.js';
import type { BuildResult, FailureClass } from '../../domain/model/result.js';
import type { QueueEntry } from '../../domain/state/schema.js';
import { DEFAULT_RETRY_POLICY } from '../../domain/state/types.js';

export function inventorySummary(inv: Inventory): void {
  core.summary.addHeading('s390x wheel scan', 2);
  core.summary.addRaw(`Targets: ${inv.targets.map((t) => `\`${t}\``).join(', ')}\n\n`);
  core.summary.addTable([
    [
      { data: 'status', header: true },
      { data: 'count', header: true },
    ],
    ...Object.entries(inv.summary).map(([k, v]) => [k, String(v)]),
  ]);
  const build = inv.packages.filter((p) => p.status === 'needs-build');
  if (build.length > 0) {
    core.summary.addDetails(
      `${build.length} package version(s) need an s390x build`,
      `<ul>${build.map((p) => `<li><code>${esc(p.name)}==${esc(p.version)}</code> (${esc(p.python)})</li>`).join('')}</ul>`,
    );
  }
  if (inv.cut.length > 0) core.summary.addRaw(`\n${inv.cut.length} package(s) left out by the expansion bounds.\n`);
  for (const w of inv.warnings ?? []) core.summary.addRaw(`\n- ignored: ${esc(w.file ? `${w.file}:${w.line ?? ''}: ` : '')}${esc(w.message)}\n`);
}

/**
 * Each inventory warning as an annotation on the requirements line that caused it. Files are
 * stored relative to the config's folder; annotations want them relative to the workspace.
 */
export function annotateWarnings(inv: Inventory, configDir: string): void {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  for (const w of inv.warnings ?? []) {
    const file = w.file === undefined ? undefined : relative(workspace, resolve(configDir, w.file)).split(sep).join('/');
    core.warning(w.message, { ...(file ? { file } : {}), ...(w.line ? { startLine: w.line } : {}) });
  }
}

export function planSummary(plan: Plan): void {
  core.summary.addHeading('s390x build plan', 2);
  core.summary.addRaw(`${plan.matrix.include.length} unit(s) in ${plan.waves} wave(s), ${plan.shards.length} shard(s).\n\n`);
  if (plan.matrix.include.length > 0) {
    core.summary.addTable([
      ['wave', 'unit', 'preset', 'compiler', 'runner', 'why'].map((h) => ({ data: h, header: true })),
      ...plan.matrix.include
        .slice(0, 200)
        .map((u) => [String(u.wave), u.id, u.preset, u.compiler ?? 'turbo', `${u.runner.kind}: ${u.runner.labels.join(', ')}`, u.reason]),
    ]);
  }
  for (const s of plan.skipped) core.summary.addRaw(`- not planned: \`${s.package}==${s.version}\`: ${s.reason}\n`);
}

export function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

// ------------------------------------------------------------------ build and record

/** GitHub keeps 10 error annotations per step (and 50 per job) and drops the rest silently. */
export const ERRORS_PER_STEP = 10;

export type UnitStatus = 'built' | 'reused' | 'failed' | 'timeout';

/** What the build action did with one unit. */
export interface UnitReport {
  unit: PlanUnit;
  status: UnitStatus;
  /** The build's result (absent when a stored wheel was reused). */
  result?: BuildResult;
  /** Reused: the wheel's file name and why it was taken. */
  reused?: { wheel: string; reason: string };
}

/** One status for a batch: a failure wins, then a timeout, then a build; all reused is reused. */
export function batchStatus(reports: readonly UnitReport[]): UnitStatus {
  for (const s of ['failed', 'timeout', 'built'] as const) if (reports.some((r) => r.status === s)) return s;
  return 'reused';
}

/** The failure class, the hint tried and what comes next, from a failed result's last attempt. */
export function failureWords(r: BuildResult): { cls: string; hint: string; next: string } {
  const last = r.attempts[r.attempts.length - 1]!;
  const tried = [...new Set(r.attempts.flatMap((a) => a.hintsApplied))];
  const cls = last.failureClass ?? 'unclassified';
  const hint = tried.length > 0 ? tried.join(', ') : last.matchedHint ? `${last.matchedHint} (matched, no remedy for this preset)` : 'none';
  // The same classes the state's retry policy queues unchanged (DEFAULT_RETRY_POLICY.retryClasses).
  const next = DEFAULT_RETRY_POLICY.retryClasses.includes(cls as FailureClass)
    ? 'record queues it for a retry; the scheduled drain (actions/queue) rebuilds it when due'
    : cls === 'turbo-incompatible'
      ? 'set compiler: emulated for this package (the state remembers it for later plans)'
      : `read ${r.log}; \`refinery hints explain ${r.log}\` shows what matched, a hint or recipe for it makes the next plan retry (docs/hints.md)`;
  return { cls, hint, next };
}

/**
 * An error annotation per failed unit, at most ERRORS_PER_STEP; the rest are named in a warning
 * (warnings have their own 10) and in the job summary. Returns how many were left out.
 */
export function annotateFailures(reports: readonly UnitReport[]): number {
  const failed = reports.filter((r) => (r.status === 'failed' || r.status === 'timeout') && r.result);
  for (const r of failed.slice(0, ERRORS_PER_STEP)) {
    const w = failureWords(r.result!);
    const last = r.result!.attempts.at(-1)!;
    core.error(
      `${r.unit.id} failed after ${r.result!.attempts.length} attempt(s): ${w.cls} in phase ${last.phase ?? '?'}${last.evidence?.[0] ? ` (${last.evidence[0]})` : ''}. Hint tried: ${w.hint}. Next: ${w.next}`,
      { title: `refinery: ${w.cls}: ${r.unit.package}==${r.unit.version}` },
    );
  }
  const more = Math.max(0, failed.length - ERRORS_PER_STEP);
  if (more > 0)
    core.warning(
      `${more} more unit(s) failed than GitHub shows annotations for: ${failed
        .slice(ERRORS_PER_STEP)
        .map((r) => r.unit.id)
        .join(', ')} (see the job summary)`,
    );
  return more;
}

/** Job summary of the build action: per unit the wheel, tags, size, phase times and attempts. */
export function buildSummary(reports: readonly UnitReport[], leftOut: number): void {
  core.summary.addHeading('s390x builds', 2);
  const counts = ['built', 'reused', 'failed', 'timeout'].map((s) => `${reports.filter((r) => r.status === s).length} ${s}`);
  core.summary.addRaw(`${reports.length} unit(s): ${counts.join(', ')}.\n\n`);
  for (const r of reports) {
    const res = r.result;
    const lines: string[] = [`<h3>${esc(r.unit.id)}: ${r.status}</h3>`];
    if (r.reused) lines.push(`<p>wheel <code>${esc(r.reused.wheel)}</code>: ${esc(r.reused.reason)}</p>`);
    if (res?.wheel)
      lines.push(
        `<p>wheel <code>${esc(res.wheel.filename)}</code>, ${size(res.wheel.size)}, tags ${res.wheel.tags.map((t) => `<code>${esc(t)}</code>`).join(' ')}${res.compiler ? `, compiler ${res.compiler}` : ''}</p>`,
      );
    if (res) {
      const phases = Object.entries(res.phaseDurationsMs).map(([p, ms]) => `${esc(p)} ${(ms / 1000).toFixed(1)} s`);
      if (phases.length > 0) lines.push(`<p>phases: ${phases.join(', ')}</p>`);
      const rows = res.attempts.map(
        (a) =>
          `<tr><td>${a.n}</td><td>${a.status}</td><td>${esc(a.phase ?? '')}</td><td>${esc(a.failureClass ?? '')}</td><td>${esc(a.hintsApplied.join(', ') || 'none')}</td><td>${esc(a.matchedHint ?? '')}</td><td>${(a.durationMs / 1000).toFixed(1)} s</td></tr>`,
      );
      lines.push(
        `<table><tr><th>attempt</th><th>status</th><th>phase</th><th>class</th><th>hints applied</th><th>hint matched</th><th>time</th></tr>${rows.join('')}</table>`,
      );
      if (res.status !== 'success') {
        const w = failureWords(res);
        lines.push(`<p>next: ${esc(w.next)}</p>`);
      }
    }
    core.summary.addRaw(`${lines.join('\n')}\n\n`);
  }
  if (leftOut > 0) core.summary.addRaw(`${leftOut} more failed unit(s) than the ${ERRORS_PER_STEP} error annotations GitHub keeps per step.\n`);
}

/** What the record action reports: the record's counts plus what only the state knows. */
export interface RecordReport {
  built: number;
  reused: number;
  /** From the scan's inventory when it came with the results; undefined when not known here. */
  upstream?: number;
  failed: { unit: string; cls: string; hint: string }[];
  queueDepth: number;
  nextDue?: QueueEntry;
  commit: { how: string; sha?: string; refused?: string };
}

export function recordSummary(r: RecordReport): void {
  core.summary.addHeading('s390x record', 2);
  // First, where it cannot be missed: a pull request's record merges but does not commit.
  if (r.commit.refused) core.summary.addRaw(`**Not committed:** ${esc(r.commit.refused)}\n\n`);
  core.summary.addTable([
    ['built', 'reused', 'upstream', 'failed', 'queued'].map((h) => ({ data: h, header: true })),
    [String(r.built), String(r.reused), r.upstream === undefined ? 'not known here' : String(r.upstream), String(r.failed.length), String(r.queueDepth)],
  ]);
  if (r.failed.length > 0) {
    const byClass = new Map<string, { unit: string; hint: string }[]>();
    for (const f of r.failed) byClass.set(f.cls, [...(byClass.get(f.cls) ?? []), f]);
    const items = [...byClass].map(
      ([cls, list]) =>
        `<li>${esc(cls)} (${list.length}): ${list
          .slice(0, 50)
          .map((f) => `<code>${esc(f.unit)}</code> (hint tried: ${esc(f.hint)})`)
          .join(', ')}${list.length > 50 ? `, and ${list.length - 50} more` : ''}</li>`,
    );
    core.summary.addRaw(`<p>failed by class:</p><ul>${items.join('')}</ul>\n`);
  }
  if (r.nextDue)
    core.summary.addRaw(
      `\nNext due in the retry queue: \`${r.nextDue.package}==${r.nextDue.version}\`${r.nextDue.unit ? ` (${r.nextDue.unit})` : ''} at ${r.nextDue.nextEligibleAt} (${r.nextDue.reason}).\n`,
    );
  else core.summary.addRaw('\nThe retry queue is empty.\n');
  if (r.commit.refused) return;
  if (r.commit.sha) core.summary.addRaw(`\nCommitted ${r.commit.sha.slice(0, 12)} (${r.commit.how}).\n`);
  else core.summary.addRaw(`\nNothing committed (${r.commit.how}).\n`);
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

import { cmp, cmpTime, ms } from './canonical.js';
import type { HistoryEntry, KnownFailing, LearnedHint, QueueEntry } from './schema.js';
import type { PackageState, RetryPolicy } from './types.js';

/**
 * Views recomputed from a package's facts. They depend only on the sets of facts (never on the
 * order results arrived in), which is what makes recording order-independent.
 */

interface Run {
  run: string;
  unit: string;
  version: string;
  variant: string;
  targets: string[];
  preset: string;
  outcome: 'success' | 'failure';
  finishedAt: string;
  inputsFingerprint: string;
  /** Sorted by attempt number. */
  attempts: HistoryEntry[];
}

export function groupRuns(history: readonly HistoryEntry[]): Run[] {
  const byRun = new Map<string, HistoryEntry[]>();
  for (const h of history) {
    const list = byRun.get(h.run);
    if (list) list.push(h);
    else byRun.set(h.run, [h]);
  }
  const runs: Run[] = [];
  for (const [run, list] of byRun) {
    list.sort((a, b) => a.attempt - b.attempt);
    const last = list[list.length - 1]!;
    const finishedAt = list.reduce((t, h) => (cmpTime(h.finishedAt, t) > 0 ? h.finishedAt : t), last.finishedAt);
    runs.push({
      run,
      unit: last.unit,
      version: last.version,
      variant: last.variant,
      targets: last.targets,
      preset: last.preset,
      outcome: last.outcome,
      finishedAt,
      inputsFingerprint: last.inputsFingerprint,
      attempts: list,
    });
  }
  return runs.sort((a, b) => cmpTime(a.finishedAt, b.finishedAt) || cmp(a.run, b.run));
}

/** A hint in force at a run's successful attempt but not at its first attempt was learned there. */
export function deriveHints(runs: readonly Run[]): LearnedHint[] {
  const byHint = new Map<string, LearnedHint['evidence']>();
  for (const r of runs) {
    if (r.outcome !== 'success') continue;
    const first = r.attempts[0]!;
    const final = r.attempts[r.attempts.length - 1]!;
    if (final.status !== 'success') continue;
    const before = new Set(first.hintsApplied);
    for (const hint of final.hintsApplied) {
      if (before.has(hint)) continue;
      // The attempt just before the hint was first applied is the failure it fixed.
      const firstWith = r.attempts.find((a) => a.hintsApplied.includes(hint))!;
      const failed = [...r.attempts].reverse().find((a) => a.attempt < firstWith.attempt && a.status === 'failure') ?? first;
      const evidence = byHint.get(hint) ?? [];
      evidence.push({
        run: r.run,
        unit: r.unit,
        version: r.version,
        failedAttempt: failed.attempt,
        failureClass: failed.failureClass,
        succeededAttempt: final.attempt,
        at: final.finishedAt,
      });
      byHint.set(hint, evidence);
    }
  }
  return [...byHint.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([hint, evidence]) => ({ hint, evidence: evidence.sort((a, b) => cmpTime(a.at, b.at) || cmp(a.run, b.run)) }));
}

export function backoffSeconds(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.maxSeconds, policy.baseSeconds * policy.factor ** Math.max(0, failures - 1));
}

const iso = (t: number): string => new Date(t).toISOString();

/** Known-failing marks and retry queue entries, from each unit's latest runs, requests and drops. */
export function deriveFailuresAndQueue(
  pkg: Pick<PackageState, 'name' | 'requests' | 'drops'>,
  runs: readonly Run[],
  hints: readonly LearnedHint[],
  policy: RetryPolicy,
): { knownFailing: KnownFailing[]; queue: QueueEntry[] } {
  const learned = hints.map((h) => h.hint);
  const byUnit = new Map<string, Run[]>();
  for (const r of runs) {
    const list = byUnit.get(r.unit);
    if (list) list.push(r);
    else byUnit.set(r.unit, [r]);
  }

  const knownFailing: KnownFailing[] = [];
  const queue: QueueEntry[] = [];
  for (const [unit, unitRuns] of byUnit) {
    const last = unitRuns[unitRuns.length - 1]!;
    if (last.outcome === 'success') continue;
    // Another unit (e.g. another preset) built this version and variant since: nothing is failing.
    const fixedElsewhere = runs.some(
      (r) => r.outcome === 'success' && r.version === last.version && r.variant === last.variant && cmpTime(r.finishedAt, last.finishedAt) > 0,
    );
    if (fixedElsewhere) continue;
    const streak: Run[] = [];
    for (let i = unitRuns.length - 1; i >= 0 && unitRuns[i]!.outcome === 'failure'; i--) streak.push(unitRuns[i]!);
    const final = last.attempts[last.attempts.length - 1]!;
    const tried = new Set(streak.flatMap((r) => r.attempts.flatMap((a) => a.hintsApplied)));
    // A hint matched in an earlier failed run already had its retry: when the build loop did not
    // apply it then (no remedy for the preset's package manager, or a permanent class), it will
    // not now either, so it is not new. Without this such failures were retried forever.
    const matchedBefore = new Set(streak.slice(1).flatMap((r) => r.attempts.flatMap((a) => (a.matchedHint ? [a.matchedHint] : []))));
    const candidates = [...learned, ...(final.matchedHint && !matchedBefore.has(final.matchedHint) ? [final.matchedHint] : [])];
    const newHints = [...new Set(candidates.filter((h) => !tried.has(h)))].sort(cmp);
    const dropped = pkg.drops.some((d) => d.version === last.version && (d.unit === undefined || d.unit === unit) && ms(d.at) >= ms(last.finishedAt));
    const transient = final.failureClass !== undefined && policy.retryClasses.includes(final.failureClass);
    let retry: KnownFailing['retry'] = 'none';
    if (!dropped && (newHints.length > 0 || transient)) {
      const failures = streak.length;
      const byHint = newHints.length > 0;
      const gaveUp = failures >= policy.maxFailures;
      retry = gaveUp ? 'gave-up' : 'queued';
      queue.push({
        package: pkg.name,
        version: last.version,
        unit,
        variant: last.variant,
        targets: last.targets,
        preset: last.preset,
        reason: byHint ? 'new-hint' : 'transient',
        failureClass: final.failureClass,
        failures,
        lastRun: last.run,
        lastFailedAt: last.finishedAt,
        // A new remedy is worth trying at once; a transient failure waits, longer each time.
        nextEligibleAt: byHint ? iso(ms(last.finishedAt)) : iso(ms(last.finishedAt) + backoffSeconds(policy, failures) * 1000),
        status: gaveUp ? 'gave-up' : 'waiting',
        hints: newHints,
      });
    }
    knownFailing.push({
      version: last.version,
      unit,
      variant: last.variant,
      run: last.run,
      attempt: final.attempt,
      failureClass: final.failureClass,
      phase: final.phase,
      matchedHint: final.matchedHint,
      preset: last.preset,
      hintsApplied: [...final.hintsApplied].sort(cmp),
      inputsFingerprint: last.inputsFingerprint,
      at: last.finishedAt,
      retry,
    });
  }

  // Requests by hand: pending until a run of that version (and variant) finishes after them.
  const pending = new Map<string, { version: string; variant?: string; at: string; note?: string }>();
  for (const r of pkg.requests) {
    const served = runs.some((run) => run.version === r.version && (r.variant === undefined || run.variant === r.variant) && ms(run.finishedAt) > ms(r.at));
    const dropped = pkg.drops.some((d) => d.version === r.version && d.unit === undefined && ms(d.at) >= ms(r.at));
    if (served || dropped) continue;
    const key = `${r.version}\u0000${r.variant ?? ''}`;
    const have = pending.get(key);
    if (!have || cmpTime(r.at, have.at) < 0 || (cmpTime(r.at, have.at) === 0 && cmp(r.note ?? '', have.note ?? '') < 0)) {
      pending.set(key, { version: r.version, variant: r.variant, at: r.at, note: r.note });
    }
  }
  for (const p of pending.values()) {
    queue.push({
      package: pkg.name,
      version: p.version,
      variant: p.variant,
      reason: 'requested',
      failures: 0,
      nextEligibleAt: iso(ms(p.at)),
      status: 'waiting',
      hints: [],
      note: p.note,
    });
  }

  knownFailing.sort((a, b) => cmp(a.version, b.version) || cmp(a.unit, b.unit));
  queue.sort((a, b) => cmp(a.version, b.version) || cmp(a.unit ?? '', b.unit ?? '') || cmp(a.variant ?? '', b.variant ?? '') || cmp(a.reason, b.reason));
  return { knownFailing, queue };
}

import { cmp, cmpTime, ms } from '../../domain/state/canonical.js';
import { groupRuns } from '../../domain/state/derive.js';
import type { HintCatalog } from '../../domain/hints/schema.js';
import type { HistoryEntry, KnownFailing, QueueEntry } from '../../domain/state/schema.js';
import type { PackageState, State } from '../../domain/state/types.js';

/**
 * Read-only views of the state for the site, derived with the state library's own run grouping.
 * Nothing here depends on the clock or on the order packages were recorded in.
 */

export type Run = ReturnType<typeof groupRuns>[number];

/** Failure classes the build loop retries unchanged: they need no fix from a person. */
const SELF_HEALING = new Set(['transient', 'qemu-fault', 'timeout']);

export interface PackageView {
  pkg: PackageState;
  runs: Run[];
  /** Latest run per unit variant key (version, variant, preset). */
  latest: Map<string, Run>;
  status: 'built' | 'failing' | 'queued' | 'none';
  latestVersion: string | undefined;
  lastAt: string | undefined;
}

export function packageView(pkg: PackageState): PackageView {
  const runs = groupRuns(pkg.history);
  const latest = new Map<string, Run>();
  for (const r of runs) latest.set(variantKey(r.version, r.variant, r.preset), r);
  const waiting = pkg.queue.some((q) => q.status === 'waiting');
  const status = pkg.knownFailing.length > 0 ? (waiting ? 'queued' : 'failing') : pkg.manifest.length > 0 ? 'built' : waiting ? 'queued' : 'none';
  const versions = [...new Set([...pkg.manifest.map((m) => m.version), ...runs.map((r) => r.version)])];
  const newest = [...runs].pop();
  const lastAt = [newest?.finishedAt, ...pkg.manifest.map((m) => m.builtAt)]
    .filter((t): t is string => !!t)
    .sort(cmpTime)
    .pop();
  return { pkg, runs, latest, status, latestVersion: newest?.version ?? versions.sort(cmp).pop(), lastAt };
}

export const variantKey = (version: string, variant: string, preset: string) => `${version}\u0000${variant}\u0000${preset}`;

/** What a person should do next about a failing unit. */
export function nextStep(name: string, k: KnownFailing, queue: readonly QueueEntry[], catalog: HintCatalog | undefined): string {
  const q = queue.find((e) => e.unit === k.unit && e.version === k.version);
  if (q?.status === 'waiting')
    return q.reason === 'new-hint' ? `retry queued with ${q.hints.join(', ')} (due ${q.nextEligibleAt})` : `retry queued (due ${q.nextEligibleAt})`;
  if (q?.status === 'gave-up') return `gave up after ${q.failures} failed runs: refinery queue add ${name}==${k.version} once the cause is fixed`;
  if (!hasRemedy(k, catalog)) return 'no hint has a remedy for this failure: add one (Suggest a fix on the package page)';
  return 'rebuild with a changed preset or hint (refinery queue add)';
}

/** A failure some hint already fixes (or that retries by itself). */
export function hasRemedy(k: Pick<KnownFailing, 'failureClass' | 'matchedHint'>, catalog: HintCatalog | undefined): boolean {
  if (k.failureClass && SELF_HEALING.has(k.failureClass)) return true;
  if (!k.matchedHint || !catalog) return false;
  const hint = catalog.hints.find((h) => h.id === k.matchedHint);
  if (!hint) return false;
  return Object.values(hint.remedy).some(
    (r) =>
      r &&
      (r.packages.length > 0 ||
        Object.keys(r.env).length > 0 ||
        r.constraints.length > 0 ||
        Object.keys(r.configSettings).length > 0 ||
        r.preinstall.length > 0 ||
        r.buildIsolation !== undefined),
  );
}

export interface HintStat {
  id: string;
  class: string;
  description: string;
  /** Failed attempts whose log this hint matched. */
  matches: number;
  /** Runs that succeeded after this hint was applied (learned-hint evidence). */
  successes: number;
  inCatalog: boolean;
}

export interface SiteViews {
  packages: PackageView[];
  attempts: number;
  runs: number;
  recent: HistoryEntry[];
  failures: Array<{ cls: string; count: number; items: Array<{ name: string; k: KnownFailing; next: string; remedy: boolean }> }>;
  hints: HintStat[];
  queue: { waiting: number; gaveUp: number; next?: QueueEntry };
  executors: { qemu: number; native: number; host: number };
  /** Per UTC day: successful runs and their median wall time. */
  buildTime: Array<{ day: string; runs: number; medianMs: number }>;
  lastRecordAt?: string;
  wheels: number;
}

/** Runs on an s390x runner label count as native even in a container; everything else in a container is QEMU. */
function emulated(h: HistoryEntry): 'qemu' | 'native' | 'host' {
  if (h.executor === 'host') return 'host';
  if (h.executor === 'native') return 'native';
  return h.runner && /s390x/i.test(h.runner) ? 'native' : 'qemu';
}

export function siteViews(state: State, catalog: HintCatalog | undefined, recentCount = 50): SiteViews {
  const packages = [...state.packages.values()].sort((a, b) => cmp(a.name, b.name)).map(packageView);
  let attempts = 0;
  let runs = 0;
  let wheels = 0;
  const executors = { qemu: 0, native: 0, host: 0 };
  const matches = new Map<string, number>();
  const successes = new Map<string, number>();
  const byDay = new Map<string, number[]>();
  const failures = new Map<string, SiteViews['failures'][number]>();
  let recent: HistoryEntry[] = [];
  const queue: SiteViews['queue'] = { waiting: 0, gaveUp: 0 };
  let lastRecordAt: string | undefined;
  const later = (t: string | undefined) => {
    if (t && (!lastRecordAt || cmpTime(t, lastRecordAt) > 0)) lastRecordAt = t;
  };
  for (const v of packages) {
    const p = v.pkg;
    attempts += p.history.length;
    runs += v.runs.length;
    wheels += new Set(p.manifest.map((m) => m.filename)).size;
    for (const h of p.history) {
      executors[emulated(h)]++;
      if (h.matchedHint) matches.set(h.matchedHint, (matches.get(h.matchedHint) ?? 0) + 1);
      later(h.finishedAt);
    }
    for (const m of p.manifest) later(m.builtAt);
    for (const r of v.runs) {
      if (r.outcome !== 'success') continue;
      const day = new Date(ms(r.finishedAt)).toISOString().slice(0, 10);
      const list = byDay.get(day) ?? [];
      list.push(r.attempts.reduce((s, a) => s + a.durationMs, 0));
      byDay.set(day, list);
    }
    for (const h of p.hints) successes.set(h.hint, (successes.get(h.hint) ?? 0) + h.evidence.length);
    for (const k of p.knownFailing) {
      const cls = k.failureClass ?? 'unclassified';
      const f = failures.get(cls) ?? { cls, count: 0, items: [] };
      f.count++;
      f.items.push({ name: p.name, k, next: nextStep(p.name, k, p.queue, catalog), remedy: hasRemedy(k, catalog) });
      failures.set(cls, f);
    }
    for (const q of p.queue) {
      if (q.status === 'gave-up') queue.gaveUp++;
      else {
        queue.waiting++;
        if (
          !queue.next ||
          cmpTime(q.nextEligibleAt, queue.next.nextEligibleAt) < 0 ||
          (q.nextEligibleAt === queue.next.nextEligibleAt && cmp(q.package, queue.next.package) < 0)
        )
          queue.next = q;
      }
    }
    // Keep only the newest attempts while walking: 100,000 attempts never sort as one list.
    const floor = recent.length >= recentCount ? recent[recent.length - 1]! : undefined;
    const newer = floor ? p.history.filter((h) => byNewest(h, floor) < 0) : p.history;
    if (newer.length > 0) recent = recent.concat(newer).sort(byNewest).slice(0, recentCount);
  }
  const hintIds = new Set([...(catalog?.hints.map((h) => h.id) ?? []), ...matches.keys(), ...successes.keys()]);
  const hints = [...hintIds].sort(cmp).map((id) => {
    const h = catalog?.hints.find((c) => c.id === id);
    return { id, class: h?.class ?? '', description: h?.description ?? '', matches: matches.get(id) ?? 0, successes: successes.get(id) ?? 0, inCatalog: !!h };
  });
  for (const f of failures.values()) f.items.sort((a, b) => cmpTime(b.k.at, a.k.at) || cmp(a.name, b.name) || cmp(a.k.unit, b.k.unit));
  const buildTime = [...byDay.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([day, list]) => {
      list.sort((a, b) => a - b);
      const mid = Math.floor(list.length / 2);
      return { day, runs: list.length, medianMs: list.length % 2 ? list[mid]! : (list[mid - 1]! + list[mid]!) / 2 };
    });
  return {
    packages,
    attempts,
    runs,
    recent,
    failures: [...failures.values()].sort((a, b) => b.count - a.count || cmp(a.cls, b.cls)),
    hints,
    queue,
    executors,
    buildTime,
    lastRecordAt,
    wheels,
  };
}

function byNewest(a: HistoryEntry, b: HistoryEntry): number {
  return cmpTime(b.finishedAt, a.finishedAt) || cmp(a.package, b.package) || cmp(a.run, b.run) || b.attempt - a.attempt;
}

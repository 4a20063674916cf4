import { cmp, cmpTime, ms } from './canonical.js';
import { groupRuns } from './derive.js';
import type { KnownFailing, LearnedHint, ManifestEntry, QueueEntry } from './schema.js';
import type { State } from './types.js';

/** Read-only questions scan and plan ask the state. Names must be PEP 503 normalized. */

/** Every built wheel of a package version (all variants, all inputs), oldest first. */
export function manifestFor(state: State, name: string, version: string): ManifestEntry[] {
  return state.packages.get(name)?.manifest.filter((m) => m.version === version) ?? [];
}

/** Units of this version whose latest run failed, with the failing attempt and inputs fingerprint. */
export function knownFailing(state: State, name: string, version: string): KnownFailing[] {
  return state.packages.get(name)?.knownFailing.filter((k) => k.version === version) ?? [];
}

/** Remedies that made builds of this package succeed, with their evidence. */
export function learnedHints(state: State, name: string): LearnedHint[] {
  return state.packages.get(name)?.hints ?? [];
}

/** Which earlier runs are like the one to estimate: same preset, compiler and executor kind. */
export interface RunLike {
  preset?: string;
  /** History before turbo builds has no compiler: those ran emulated. */
  compiler?: string;
  /** Any of these executors (a native runner may build in a container too). */
  executors?: readonly string[];
}

/**
 * Seconds a build of this package (version, when given and known) is likely to take: the median
 * wall time of its last five successful runs, else of its last five runs of any outcome; with
 * `like`, only runs with that preset, compiler and executor count (QEMU and native differ 10x, a
 * turbo build takes a third of an emulated one): undefined when there are none.
 */
export function durationEstimate(state: State, name: string, version?: string, like: RunLike = {}): number | undefined {
  return durationEvidence(state, name, version, like)?.seconds;
}

/** The estimate and how many recorded runs it rests on. */
export function durationEvidence(state: State, name: string, version?: string, like: RunLike = {}): { seconds: number; runs: number } | undefined {
  const pkg = state.packages.get(name);
  if (!pkg || pkg.history.length === 0) return undefined;
  // A run's compiler is its last attempt's (absent: recorded before turbo builds, emulated).
  const runs = groupRuns(pkg.history).filter((r) => {
    const last = r.attempts.at(-1)!;
    if (like.preset !== undefined && r.preset !== like.preset) return false;
    if (like.compiler !== undefined && (last.compiler ?? 'emulated') !== like.compiler) return false;
    return like.executors === undefined || like.executors.includes(last.executor);
  });
  if (runs.length === 0) return undefined;
  const pick = (list: typeof runs) => {
    const ok = list.filter((r) => r.outcome === 'success');
    return (ok.length > 0 ? ok : list).slice(-5);
  };
  const forVersion = version === undefined ? [] : runs.filter((r) => r.version === version);
  const chosen = pick(forVersion.length > 0 ? forVersion : runs);
  const seconds = chosen.map((r) => r.attempts.reduce((s, a) => s + a.durationMs, 0) / 1000).sort((a, b) => a - b);
  const mid = Math.floor(seconds.length / 2);
  return { seconds: seconds.length % 2 === 1 ? seconds[mid]! : (seconds[mid - 1]! + seconds[mid]!) / 2, runs: chosen.length };
}

/** Queue entries waiting (not given up) whose next eligible time has come, oldest first. */
export function dueQueueEntries(state: State, now: Date): QueueEntry[] {
  return allQueueEntries(state)
    .filter((q) => q.status === 'waiting' && ms(q.nextEligibleAt) <= now.getTime())
    .sort((a, b) => cmpTime(a.nextEligibleAt, b.nextEligibleAt) || cmp(a.package, b.package) || cmp(a.version, b.version));
}

export function allQueueEntries(state: State): QueueEntry[] {
  return [...state.packages.values()].flatMap((p) => p.queue);
}

const reuseIndex = new WeakMap<State['packages'], Map<string, ManifestEntry>>();

/**
 * A manifest entry built from exactly these inputs whose wheel is stored somewhere: the unit
 * need not be rebuilt. Undefined when nothing matches.
 */
export function findReusable(state: State, fingerprint: string): ManifestEntry | undefined {
  let index = reuseIndex.get(state.packages);
  if (!index) {
    index = new Map();
    for (const pkg of state.packages.values()) {
      for (const m of pkg.manifest) if (m.storage.kind !== 'none' && !index.has(m.inputsFingerprint)) index.set(m.inputsFingerprint, m);
    }
    reuseIndex.set(state.packages, index);
  }
  return index.get(fingerprint);
}

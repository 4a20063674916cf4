import { cmp, cmpTime, unionBy } from './canonical.js';
import { deriveFailuresAndQueue, deriveHints, groupRuns } from './derive.js';
import type { HistoryEntry, ManifestEntry, QueueDrop, QueueRequest, WheelWithdrawal } from './schema.js';
import { DEFAULT_RETRY_POLICY, emptyPackage, type PackageState, type RetryPolicy, type State } from './types.js';

/**
 * Merging is a set union of facts followed by recomputing the views, so it is commutative,
 * associative and idempotent: any order of results, any split into runs, the same bytes.
 */

export const historyKey = (h: HistoryEntry): string => `${h.run}#${h.attempt}`;
export const manifestKey = (m: ManifestEntry): string => `${m.filename}\u0000${m.inputsFingerprint}`;
const requestKey = (r: QueueRequest): string => `${r.version}\u0000${r.variant ?? ''}\u0000${r.at}\u0000${r.note ?? ''}`;
const dropKey = (d: QueueDrop): string => `${d.version}\u0000${d.unit ?? ''}\u0000${d.at}`;
const withdrawalKey = (w: WheelWithdrawal): string => `${w.version}\u0000${w.filename ?? ''}\u0000${w.at}\u0000${w.reason}`;

/** For one wheel built twice from the same inputs keep the stored one, then the first built. */
const preferManifest = (a: ManifestEntry, b: ManifestEntry): number =>
  Number(a.storage.kind === 'none') - Number(b.storage.kind === 'none') ||
  // The same wheel recorded again once attested keeps its attestation.
  Number(a.attestation === undefined) - Number(b.attestation === undefined) ||
  cmpTime(a.builtAt, b.builtAt) ||
  cmp(a.run, b.run);

export function normalizePackage(pkg: PackageState, policy: RetryPolicy = DEFAULT_RETRY_POLICY): PackageState {
  const history = [...unionBy(pkg.history, historyKey).values()].sort(
    (a, b) => cmpTime(a.startedAt, b.startedAt) || cmp(a.run, b.run) || a.attempt - b.attempt,
  );
  const manifest = [...unionBy(pkg.manifest, manifestKey, preferManifest).values()].sort(
    (a, b) => cmpTime(a.builtAt, b.builtAt) || cmp(a.filename, b.filename) || cmp(a.inputsFingerprint, b.inputsFingerprint),
  );
  const requests = [...unionBy(pkg.requests, requestKey).values()].sort((a, b) => cmpTime(a.at, b.at) || cmp(requestKey(a), requestKey(b)));
  const drops = [...unionBy(pkg.drops, dropKey).values()].sort((a, b) => cmpTime(a.at, b.at) || cmp(dropKey(a), dropKey(b)));
  const withdrawals = [...unionBy(pkg.withdrawals ?? [], withdrawalKey).values()].sort(
    (a, b) => cmpTime(a.at, b.at) || cmp(withdrawalKey(a), withdrawalKey(b)),
  );
  const runs = groupRuns(history);
  const hints = deriveHints(runs);
  const { knownFailing, queue } = deriveFailuresAndQueue({ name: pkg.name, requests, drops }, runs, hints, policy);
  // Absent when empty: a state without yanks keeps the shape (and bytes) it always had.
  return { name: pkg.name, manifest, history, requests, drops, ...(withdrawals.length > 0 ? { withdrawals } : {}), hints, knownFailing, queue };
}

export function mergePackage(a: PackageState, b: PackageState, policy?: RetryPolicy): PackageState {
  return normalizePackage(
    {
      ...emptyPackage(a.name),
      manifest: [...a.manifest, ...b.manifest],
      history: [...a.history, ...b.history],
      requests: [...a.requests, ...b.requests],
      drops: [...a.drops, ...b.drops],
      withdrawals: [...(a.withdrawals ?? []), ...(b.withdrawals ?? [])],
    },
    policy,
  );
}

/** Union of two states (e.g. ours and the remote head's). Returns the names of packages that changed in `a`. */
export function mergeState(a: State, b: State, policy?: RetryPolicy): { state: State; changed: Set<string> } {
  const packages = new Map(a.packages);
  const changed = new Set<string>();
  for (const [name, pb] of b.packages) {
    const pa = packages.get(name);
    packages.set(name, pa ? mergePackage(pa, pb, policy) : normalizePackage(pb, policy));
    changed.add(name);
  }
  return { state: { packages }, changed };
}

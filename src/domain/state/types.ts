import type { FailureClass } from '../model/result.js';
import type { HistoryEntry, KnownFailing, LearnedHint, ManifestEntry, QueueDrop, QueueEntry, QueueRequest, WheelWithdrawal } from './schema.js';

/** Everything the state knows about one package. Facts first, then views derived from them. */
export interface PackageState {
  name: string;
  // facts: merged as sets, never lost
  manifest: ManifestEntry[];
  history: HistoryEntry[];
  requests: QueueRequest[];
  drops: QueueDrop[];
  /** Wheels withdrawn from the index (yanked); absent when there are none. */
  withdrawals?: WheelWithdrawal[];
  // views: recomputed from the facts (src/domain/state/derive.ts)
  hints: LearnedHint[];
  knownFailing: KnownFailing[];
  queue: QueueEntry[];
}

export interface State {
  packages: Map<string, PackageState>;
}

/** When a failed unit is retried, and when the refinery stops trying. */
export interface RetryPolicy {
  /** Wait after the first failure; doubles (times `factor`) after each further one. */
  baseSeconds: number;
  factor: number;
  maxSeconds: number;
  /** Consecutive failed runs after which a transient failure is given up on. */
  maxFailures: number;
  /** Failure classes worth retrying unchanged (the failure may not happen again). */
  retryClasses: readonly FailureClass[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseSeconds: 3600,
  factor: 2,
  maxSeconds: 7 * 24 * 3600,
  maxFailures: 4,
  retryClasses: ['transient', 'qemu-fault', 'timeout'],
};

export function emptyState(): State {
  return { packages: new Map() };
}

export function emptyPackage(name: string): PackageState {
  return { name, manifest: [], history: [], requests: [], drops: [], hints: [], knownFailing: [], queue: [] };
}

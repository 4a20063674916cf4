import { loadState, mapLimit } from '../../domain/state/load.js';
import { withStateLock, type StateLockOptions } from '../../domain/state/lock.js';
import { mergeState } from '../../domain/state/merge.js';
import { dropQueued } from '../../domain/state/queue.js';
import type { StorageRef } from '../../domain/state/schema.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type State } from '../../domain/state/types.js';
import { saveState } from '../../domain/state/write.js';
import { checkWheelSize, readVerified, type WheelStore } from '../../domain/storage/store.js';
import { type Attestations, readAttestations } from './attestations.js';
import { DEFAULT_RESULT_LIMITS, readResults, resultFacts, resultsState, wheelPath, type ResultFile, type ResultLimits } from './results.js';

export interface RecordOptions {
  /** Where the wheels of successful results are stored; without one they are recorded as not stored. */
  store?: WheelStore;
  policy?: RetryPolicy;
  /** Caps on result files and wheels (DEFAULT_RESULT_LIMITS). */
  limits?: Partial<ResultLimits>;
  /** Called once the inputs are read and validated, before anything is written (tests hook crashes here). */
  onReady?: () => void;
  /** The state folder's writer lock: how long to wait for another writer, where to say so. */
  lock?: StateLockOptions;
  /**
   * The state as the caller loaded it while holding the folder's lock for its whole run (`refinery
   * run`): merged onto instead of loading again. Only valid under that lock.
   */
  base?: State;
  /** Retry-queue requests a reused wheel answered (nothing was built): they are dropped in the same save. */
  answered?: ReadonlyArray<{ package: string; version: string }>;
  /** When the answered requests were dropped (default: now). */
  now?: Date;
}

export interface RecordOutcome {
  /** The state after recording. */
  state: State;
  /** Only the facts the results added (what commit-back re-merges onto a newer head). */
  incoming: State;
  /** Packages whose state changed. */
  packages: string[];
  /** State files written, relative to the state folder. */
  written: string[];
  results: number;
  attempts: number;
  built: number;
  failed: number;
  /** Results of cancelled builds: read and checked, but they add nothing to the state. */
  cancelled: number;
}

/**
 * Merge a folder of build results into the state folder: history for every attempt, manifest
 * entries (with storage, and the attestation when the folder has one naming the wheel) for wheels, learned hints, known-failing marks and retry queue entries.
 * The state is validated before anything is written; invalid state or results change nothing.
 * Holds the state folder's writer lock from load to save (unless the caller already holds it), so
 * concurrent records into one folder each merge on top of the one before.
 */
export async function record(resultsDir: string, stateDir: string, opts: RecordOptions = {}): Promise<RecordOutcome> {
  return withStateLock(stateDir, () => recordLocked(resultsDir, stateDir, opts), { purpose: 'record', ...opts.lock });
}

async function recordLocked(resultsDir: string, stateDir: string, opts: RecordOptions): Promise<RecordOutcome> {
  const current = opts.base ?? (await loadState(stateDir));
  const limits = { ...DEFAULT_RESULT_LIMITS, ...opts.limits };
  const all = await readResults(resultsDir, limits);
  // A cancelled build says nothing about the package (no history, no retry): it is built again.
  const results = all.filter((r) => r.result.status !== 'cancelled');
  const attestations = await readAttestations(resultsDir, limits);
  const incoming = await resultsToState(results, opts.store, limits, attestations);
  opts.onReady?.();
  const merged = mergeState(current, incoming, opts.policy ?? DEFAULT_RETRY_POLICY);
  let state = merged.state;
  const changed = new Set(merged.changed);
  const at = (opts.now ?? new Date()).toISOString();
  for (const a of opts.answered ?? []) {
    state = dropQueued(state, a.package, { version: a.version, at });
    changed.add(a.package);
  }
  const packages = [...changed].sort();
  const written = await saveState(stateDir, state, packages);
  return {
    state,
    incoming,
    packages,
    written,
    results: results.length,
    attempts: results.reduce((n, r) => n + r.result.attempts.length, 0),
    built: results.filter((r) => r.result.status === 'success').length,
    failed: results.filter((r) => r.result.status === 'failure').length,
    cancelled: all.length - results.length,
  };
}

/**
 * Store the wheels of successful results and turn every result into state facts. Every wheel is
 * checked against its result (regular file, size, sha256), stored or not: the manifest only
 * lists wheels that exist as described.
 */
export async function resultsToState(
  results: readonly ResultFile[],
  store?: WheelStore,
  limits: ResultLimits = DEFAULT_RESULT_LIMITS,
  attestations: Attestations = new Map(),
): Promise<State> {
  // Stores take one wheel at a time (a release store lists and uploads assets); checks alone run side by side.
  const facts = await mapLimit(results, store ? 1 : 8, async (rf) => {
    let storage: StorageRef = { kind: 'none' };
    const path = wheelPath(rf);
    // A failed run's wheel (if any) is not recorded, so it is not read either.
    if (rf.result.status === 'success' && path && rf.result.wheel) {
      checkWheelSize(path, rf.result.wheel, limits.wheelBytes);
      if (store) storage = await store.put(path, rf.result.wheel);
      else await readVerified(path, rf.result.wheel, limits.wheelBytes);
    }
    // The attestation that names this wheel's sha256 (checked against the file above) goes beside it.
    const attestation = rf.result.status === 'success' && rf.result.wheel ? attestations.get(rf.result.wheel.sha256) : undefined;
    return resultFacts(rf, storage, attestation);
  });
  return resultsState(facts);
}

import { loadState } from '../state/load.js';
import { mergeState } from '../state/merge.js';
import type { StorageRef } from '../state/schema.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, type State } from '../state/types.js';
import { saveState } from '../state/write.js';
import type { WheelStore } from '../storage/store.js';
import { readResults, resultFacts, resultsState, wheelPath, type ResultFile } from './results.js';

export interface RecordOptions {
  /** Where the wheels of successful results are stored; without one they are recorded as not stored. */
  store?: WheelStore;
  policy?: RetryPolicy;
  /** Called once the inputs are read and validated, before anything is written (tests hook crashes here). */
  onReady?: () => void;
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
 * entries (with storage) for wheels, learned hints, known-failing marks and retry queue entries.
 * The state is validated before anything is written; invalid state or results change nothing.
 */
export async function record(resultsDir: string, stateDir: string, opts: RecordOptions = {}): Promise<RecordOutcome> {
  const current = await loadState(stateDir);
  const all = await readResults(resultsDir);
  // A cancelled build says nothing about the package (no history, no retry): it is built again.
  const results = all.filter((r) => r.result.status !== 'cancelled');
  const incoming = await resultsToState(results, opts.store);
  opts.onReady?.();
  const { state, changed } = mergeState(current, incoming, opts.policy ?? DEFAULT_RETRY_POLICY);
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

/** Store the wheels of successful results and turn every result into state facts. */
export async function resultsToState(results: readonly ResultFile[], store?: WheelStore): Promise<State> {
  const facts = [];
  for (const rf of results) {
    let storage: StorageRef = { kind: 'none' };
    const path = wheelPath(rf);
    if (store && path && rf.result.wheel) storage = await store.put(path, rf.result.wheel);
    facts.push(resultFacts(rf, storage));
  }
  return resultsState(facts);
}

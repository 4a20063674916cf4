import { setTimeout as sleepMs } from 'node:timers/promises';
import { type Backoff, backoffDelayMs } from '../../adapters/backoff.js';
import type { StateLockOptions } from '../../domain/state/lock.js';
import type { RetryPolicy } from '../../domain/state/types.js';

/**
 * What both commit-backs (git push, GitHub API) share. Both hold the state folder's writer lock
 * from reading the state to the last write, re-merge and retry when the branch moved, and end
 * the same way: the local state folder holds the merged state that was committed.
 */
export interface CommitBackOptions {
  /** The local state folder: read before, and written after with the merged state. */
  stateDir: string;
  message: string;
  /** Commit attempts before giving up (each after re-merging onto the new head; default 10). */
  maxAttempts?: number;
  policy?: RetryPolicy;
  log?: (line: string) => void;
  /** The state folder's writer lock (re-entered when the caller already holds it). */
  lock?: StateLockOptions;
  /** Injectable for tests: jitter source and sleeping between attempts. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_COMMIT_ATTEMPTS = 10;

/**
 * Waits after a lost race: short, because the winner is already done, and jittered, so that
 * writers that collided spread out instead of colliding again.
 */
export const COMMIT_BACKOFF: Backoff = { baseMs: 100, maxMs: 2_000 };

/** Wait before the next attempt after attempt `attempt` lost the race. */
export async function waitAfterRace(o: CommitBackOptions, attempt: number): Promise<void> {
  const delayMs = backoffDelayMs(attempt, COMMIT_BACKOFF, o.random);
  await (o.sleep ?? sleepMs)(delayMs);
}

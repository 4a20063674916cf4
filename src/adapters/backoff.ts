/**
 * The one retry backoff: HTTP requests, transient build failures and commit-back races all wait
 * through this function.
 *
 * Exponential with a ceiling, and "equal jitter": the wait is drawn uniformly between half the
 * window and all of it. Full jitter (0 to the window) spreads writers a little better, but it can
 * draw a wait near zero, and a retry right after a 503, a failed mirror or a rejected push mostly
 * hits the same fault again. Equal jitter keeps a floor of half the window, and parallel matrix
 * jobs that failed together still spread over the other half.
 */
export interface Backoff {
  /** The first retry's window (it waits between half of this and all of it). */
  baseMs: number;
  /** The largest window: the doubling stops here. */
  maxMs: number;
}

/**
 * How long to wait before retry number `retry` (1 = the first retry): a window of
 * min(max, base * 2^(retry-1)), of which at least half is waited. `random` returns [0, 1) like
 * Math.random; tests pass a fixed one.
 */
export function backoffDelayMs(retry: number, backoff: Backoff, random: () => number = Math.random): number {
  // The exponent stops at 30 so that a zero base never meets Infinity (NaN).
  const window = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(30, Math.max(0, retry - 1)));
  return Math.round(window / 2 + random() * (window / 2));
}

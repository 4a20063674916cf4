/**
 * Delay before retry number `retry` (1 = first retry): exponential, capped, with "equal jitter"
 * (half fixed, half random) so parallel matrix jobs hitting the same outage spread out but still wait.
 */
export function backoffDelayMs(retry: number, o: { baseMs: number; maxMs: number; random: () => number }): number {
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + o.random() * (ceiling / 2));
}

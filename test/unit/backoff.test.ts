import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../../src/adapters/backoff.js';

describe('backoff', () => {
  const o = { baseMs: 1000, maxMs: 5000 };

  it('doubles up to the ceiling with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, o, () => 0))).toEqual([500, 1000, 2000, 2500]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, o, () => 1))).toEqual([1000, 2000, 4000, 5000]);
  });

  it('draws uniformly in the upper half of the window', () => {
    expect(backoffDelayMs(3, o, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(3, o, () => 0.25)).toBe(2500);
  });

  it('treats retry 0 and below as the first retry, and never exceeds the ceiling however many retries', () => {
    expect(backoffDelayMs(0, o, () => 1)).toBe(1000);
    expect(backoffDelayMs(-3, o, () => 1)).toBe(1000);
    expect(backoffDelayMs(60, o, () => 1)).toBe(5000);
    expect(backoffDelayMs(2000, o, () => 1)).toBe(5000);
    expect(backoffDelayMs(2000, { baseMs: 0, maxMs: 5000 }, () => 1)).toBe(0);
  });

  it('with Math.random stays within [window/2, window] over many draws', () => {
    for (let retry = 1; retry <= 6; retry++) {
      const window = Math.min(o.maxMs, o.baseMs * 2 ** (retry - 1));
      for (let i = 0; i < 200; i++) {
        const d = backoffDelayMs(retry, o);
        expect(d).toBeGreaterThanOrEqual(window / 2);
        expect(d).toBeLessThanOrEqual(window);
      }
    }
  });
});

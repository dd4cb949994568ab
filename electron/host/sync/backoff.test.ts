import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, spread by the random draw', () => {
    const top = (attempt: number) => backoffDelay(attempt, () => 1, { baseMs: 100, maxMs: 5000, minMs: 10 });
    expect([0, 1, 2, 3, 10].map(top)).toEqual([100, 200, 400, 800, 5000]);
    expect(backoffDelay(3, () => 0, { baseMs: 100, maxMs: 5000, minMs: 10 })).toBe(10);
    expect(backoffDelay(3, () => 0.5, { baseMs: 100, maxMs: 5000, minMs: 0 })).toBe(400);
  });

  it('never goes below the floor nor above the cap, even for huge attempt counts', () => {
    for (const attempt of [0, 5, 50, 1e6]) {
      for (const r of [0, 0.3, 0.999]) {
        const d = backoffDelay(attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(250);
        expect(d).toBeLessThanOrEqual(60_000);
      }
    }
  });
});

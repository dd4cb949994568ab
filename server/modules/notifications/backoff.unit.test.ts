import { describe, expect, it } from 'vitest';
import { backoffDelay } from './outbox.worker.js';

const opts = { baseMs: 1000, maxMs: 60_000 };
const max = () => 1 - Number.EPSILON;

describe('backoffDelay', () => {
  it('grows exponentially with the attempt number (upper bound: base * 2^(attempt-1))', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, max))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it('has a fixed half: the lower bound is half the exponential delay', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, opts, () => 0))).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it('uses the random half linearly', () => {
    expect(backoffDelay(3, opts, () => 0.5)).toBe(3000); // 2000 + 0.5 * 2000
    expect(backoffDelay(3, opts, () => 0.25)).toBe(2500);
  });

  it('is capped at maxMs, however many attempts', () => {
    for (const attempt of [7, 8, 20, 100, 10_000]) {
      expect(backoffDelay(attempt, opts, max)).toBe(60_000);
      expect(backoffDelay(attempt, opts, () => 0)).toBe(30_000);
    }
    expect(backoffDelay(7, opts, max)).toBe(60_000); // 1000 * 64 = 64000 would exceed the cap
    expect(backoffDelay(6, opts, max)).toBe(32_000);
  });

  it('treats attempt 0 (or less) like the first attempt', () => {
    expect(backoffDelay(0, opts, max)).toBe(1000);
    expect(backoffDelay(-3, opts, () => 0)).toBe(500);
  });

  it('stays within [exp/2, exp] for any random value', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let attempt = 1; attempt <= 12; attempt++) {
      const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, opts, random);
        expect(d).toBeGreaterThanOrEqual(exp / 2);
        expect(d).toBeLessThanOrEqual(exp);
      }
    }
  });

  it('uses Math.random by default, within bounds', () => {
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, { baseMs: 10, maxMs: 50 });
      expect(d).toBeGreaterThanOrEqual(10);
      expect(d).toBeLessThanOrEqual(20);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { rangeError, rangeInput } from './date-range.js';

describe('day ranges', () => {
  it('covers whole local days, leaving open ends out', () => {
    const { from, to } = rangeInput({ from: '2026-03-01', to: '2026-03-02' });
    expect(new Date(from!).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(to!).getTime()).toBe(new Date(2026, 2, 2, 23, 59, 59, 999).getTime());
    expect(rangeInput({ from: '', to: '' })).toEqual({});
    expect(rangeInput({ from: 'garbage', to: '' })).toEqual({});
  });

  it('flags a backwards range only', () => {
    expect(rangeError({ from: '2026-03-02', to: '2026-03-01' })).toBe('The start is after the end');
    expect(rangeError({ from: '2026-03-01', to: '2026-03-01' })).toBeNull();
    expect(rangeError({ from: '2026-03-01', to: '' })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { addDays, localDate, periodOf, periodsBetween, startOfDay, utcWindow } from './dates.js';

describe('report dates', () => {
  it('reads the calendar date in the zone, across the UTC day boundary', () => {
    expect(localDate('2026-01-06T03:00:00.000Z', 'UTC')).toBe('2026-01-06');
    expect(localDate('2026-01-06T03:00:00.000Z', 'America/New_York')).toBe('2026-01-05');
    expect(localDate('2026-01-05T23:30:00.000Z', 'Asia/Tokyo')).toBe('2026-01-06');
  });

  it('finds the instant a day starts, also on DST change days', () => {
    expect(new Date(startOfDay('2026-01-05', 'America/New_York')).toISOString()).toBe('2026-01-05T05:00:00.000Z');
    // Clocks go forward on 8 March 2026 at 02:00: that day starts at -05:00, the next at -04:00.
    expect(new Date(startOfDay('2026-03-08', 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(startOfDay('2026-03-09', 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(new Date(startOfDay('2026-07-01', 'Asia/Kolkata')).toISOString()).toBe('2026-06-30T18:30:00.000Z');
  });

  it('covers from..to inclusive as a half-open UTC window', () => {
    expect(utcWindow('2026-01-01', '2026-01-31', 'UTC')).toEqual({
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-02-01T00:00:00.000Z',
    });
    expect(utcWindow('2026-01-04', '2026-01-04', 'America/New_York')).toEqual({
      start: '2026-01-04T05:00:00.000Z',
      end: '2026-01-05T05:00:00.000Z',
    });
  });

  it('groups by day, ISO week (Monday) and month', () => {
    expect(periodOf('2026-01-07', 'day')).toBe('2026-01-07');
    expect(periodOf('2026-01-05', 'week')).toBe('2026-01-05'); // a Monday
    expect(periodOf('2026-01-11', 'week')).toBe('2026-01-05'); // the Sunday after
    expect(periodOf('2026-01-01', 'week')).toBe('2025-12-29'); // across the year
    expect(periodOf('2026-02-28', 'month')).toBe('2026-02');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('lists every period of a range once, in order', () => {
    expect(periodsBetween('2026-01-30', '2026-02-02', 'day')).toEqual([
      '2026-01-30',
      '2026-01-31',
      '2026-02-01',
      '2026-02-02',
    ]);
    expect(periodsBetween('2026-01-01', '2026-01-31', 'week')).toEqual([
      '2025-12-29',
      '2026-01-05',
      '2026-01-12',
      '2026-01-19',
      '2026-01-26',
    ]);
    expect(periodsBetween('2025-12-15', '2026-02-01', 'month')).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});

import { describe, expect, it } from 'vitest';
import { REPORT_NAMES } from '../../../../shared/contract/reports.js';
import { validate } from '../../lib/validate.js';
import {
  addDays,
  checkInput,
  defaultForm,
  patchForm,
  presetRange,
  reportChannel,
  todayIn,
  toInput,
} from './report-params.js';

const TODAY = '2026-03-15';

describe('date presets', () => {
  it('end today and cover the named span', () => {
    expect(presetRange('today', TODAY)).toEqual({ from: TODAY, to: TODAY });
    expect(presetRange('last7', TODAY)).toEqual({ from: '2026-03-09', to: TODAY });
    expect(presetRange('last30', TODAY)).toEqual({ from: '2026-02-14', to: TODAY });
    expect(presetRange('thisMonth', TODAY)).toEqual({ from: '2026-03-01', to: TODAY });
    expect(presetRange('thisYear', TODAY)).toEqual({ from: '2026-01-01', to: TODAY });
  });

  it('last month crosses a year boundary and knows month lengths', () => {
    expect(presetRange('lastMonth', '2026-01-10')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('lastMonth', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
  });

  it('the last 12 months stay within the contract limit, even from 29 February', () => {
    expect(presetRange('last12Months', TODAY)).toEqual({ from: '2025-03-16', to: TODAY });
    const leap = presetRange('last12Months', '2024-02-29');
    expect(leap.to).toBe('2024-02-29');
    expect(checkInput('sales', { ...leap, timeZone: 'UTC' })).toBeNull();
  });

  it("today is the calendar day in the user's zone, not in UTC", () => {
    const lateEvening = new Date('2026-03-15T23:30:00Z');
    expect(todayIn('UTC', lateEvening)).toBe('2026-03-15');
    expect(todayIn('Asia/Tokyo', lateEvening)).toBe('2026-03-16');
    expect(todayIn('America/Los_Angeles', lateEvening)).toBe('2026-03-15');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});

describe('the form', () => {
  it('picking a preset fills the dates; typing a date makes the range custom', () => {
    const form = defaultForm('sales', TODAY);
    expect(form).toMatchObject({ preset: 'last30', from: '2026-02-14', to: TODAY });
    const lastMonth = patchForm(form, { preset: 'lastMonth' }, TODAY);
    expect(lastMonth).toMatchObject({ preset: 'lastMonth', from: '2026-02-01', to: '2026-02-28' });
    const typed = patchForm(lastMonth, { from: '2026-02-10' }, TODAY);
    expect(typed).toMatchObject({ preset: 'custom', from: '2026-02-10', to: '2026-02-28' });
    // Other parameters keep the preset.
    expect(patchForm(form, { groupBy: 'week' }, TODAY).preset).toBe('last30');
  });

  it.each(REPORT_NAMES)('%s: the default form is a valid input with only that report’s parameters', (report) => {
    const input = toInput(report, defaultForm(report, TODAY), 'Europe/Paris');
    expect(validate(reportChannel(report), input as never)).toBeNull();
  });

  it('passes each option to the report that takes it, and only there', () => {
    const form = { ...defaultForm('orders', TODAY), kind: 'damage' as const, statuses: ['paid' as const] };
    expect(toInput('movements', form, 'UTC')).toMatchObject({ kind: 'damage' });
    expect(toInput('orders', form, 'UTC')).toMatchObject({ status: ['paid'] });
    expect(toInput('orders', { ...form, statuses: [] }, 'UTC')).not.toHaveProperty('status');
    expect(toInput('lowStock', form, 'UTC')).toEqual({});
    expect(toInput('topProducts', { ...form, by: 'units', limit: 25 }, 'UTC')).toEqual({
      from: form.from,
      to: form.to,
      timeZone: 'UTC',
      by: 'units',
      limit: 25,
    });
  });
});

describe('checking the input against the contract', () => {
  const range = (from: string, to: string) => ({ from, to, timeZone: 'UTC' });

  it('refuses a start after the end, on the start field', () => {
    expect(checkInput('sales', range('2026-03-10', '2026-03-01'))).toEqual({ from: 'must not be after `to`' });
  });

  it('refuses a range over two years, on the end field', () => {
    expect(checkInput('orders', range('2023-01-01', '2026-01-01'))?.to).toMatch(/at most 731 days/);
  });

  it('says plainly that an empty date box needs a date', () => {
    expect(checkInput('movements', range('', '2026-03-01'))).toMatchObject({ from: 'Pick a start date' });
    expect(checkInput('topProducts', { ...range('2026-03-01', ''), limit: 10 })).toMatchObject({
      to: 'Pick an end date',
    });
  });

  it('refuses an out-of-range limit and an unknown time zone', () => {
    expect(checkInput('topProducts', { ...range('2026-03-01', '2026-03-02'), limit: 500 })).toHaveProperty('limit');
    expect(checkInput('sales', { from: '2026-03-01', to: '2026-03-02', timeZone: 'Mars/Olympus' })).toHaveProperty(
      'timeZone',
    );
  });
});

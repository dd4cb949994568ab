/**
 * What the reports screen asks for: one form per report (a date range with presets, grouping,
 * ranking, filters), turned into exactly the channel's input and checked against the contract's
 * own schema before anything is sent. Pure, so the rules are unit-tested without a DOM.
 *
 * Dates are calendar days in the user's time zone: "today" on the shop floor, not in UTC.
 */
import type { z } from 'zod';
import { MOVEMENT_KINDS } from '../../../../shared/api/catalog.schemas.js';
import { ORDER_STATUS_VALUES } from '../../../../shared/api/orders.schemas.js';
import type { ChannelName } from '../../../../shared/contract/backoffice.js';
import type { ReportName, reportParams } from '../../../../shared/contract/reports.js';
import type { FieldErrors } from '../../lib/api.js';
import { validate } from '../../lib/validate.js';

export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export type OrderStatus = (typeof ORDER_STATUS_VALUES)[number];

/** 'count_correction' → 'Count correction'. */
export const humanize = (code: string): string => (code.charAt(0).toUpperCase() + code.slice(1)).replaceAll('_', ' ');
export const MOVEMENT_KIND_OPTIONS = MOVEMENT_KINDS.map((value) => ({ value, label: humanize(value) }));
export const ORDER_STATUS_OPTIONS = ORDER_STATUS_VALUES.map((value) => ({ value, label: humanize(value) }));
export type ReportInput<N extends ReportName> = z.input<(typeof reportParams)[N]>;

export const RANGE_PRESETS = [
  { value: 'today', label: 'Today' },
  { value: 'last7', label: 'Last 7 days' },
  { value: 'last30', label: 'Last 30 days' },
  { value: 'last90', label: 'Last 90 days' },
  { value: 'thisMonth', label: 'This month' },
  { value: 'lastMonth', label: 'Last month' },
  { value: 'thisYear', label: 'This year' },
  { value: 'last12Months', label: 'Last 12 months' },
  { value: 'custom', label: 'Custom range' },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['value'];

/** Every parameter any report takes; each report reads only its own (see toInput). */
export interface ReportForm {
  preset: RangePreset;
  from: string;
  to: string;
  groupBy: 'day' | 'week' | 'month';
  by: 'revenue' | 'units';
  limit: number;
  includeArchived: boolean;
  /** '' = every kind. */
  kind: MovementKind | '';
  /** Empty = every status. */
  statuses: OrderStatus[];
}

/** Reports over a period of time; the others describe the stock as it is now. */
export const RANGED: ReadonlySet<ReportName> = new Set(['sales', 'topProducts', 'movements', 'orders']);

const DAY_MS = 86_400_000;

/** The browser's IANA zone (what a "day" means to the person using the screen). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Today's calendar date (YYYY-MM-DD) in `timeZone`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;

/** The from/to days a preset stands for, ending today (custom keeps what is typed). */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, today: string): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'last90':
      return { from: addDays(today, -89), to: today };
    case 'thisMonth':
      return { from: monthStart(today), to: today };
    case 'lastMonth': {
      const end = addDays(monthStart(today), -1);
      return { from: monthStart(end), to: end };
    }
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case 'last12Months': {
      // The day after the same date a year ago (Date.UTC rolls 29 February over), so never over the limit.
      const [year, month, day] = today.split('-').map(Number) as [number, number, number];
      return { from: new Date(Date.UTC(year - 1, month - 1, day + 1)).toISOString().slice(0, 10), to: today };
    }
  }
}

/** The form a report opens with: last 30 days, the contract's defaults for the rest. */
export function defaultForm(report: ReportName, today: string): ReportForm {
  return {
    preset: 'last30',
    ...presetRange('last30', today),
    groupBy: 'day',
    by: 'revenue',
    limit: report === 'topProducts' ? 10 : 0,
    includeArchived: false,
    kind: '',
    statuses: [],
  };
}

/** A form change: picking a preset fills the dates; typing a date makes the range custom. */
export function patchForm(form: ReportForm, patch: Partial<ReportForm>, today: string): ReportForm {
  const next = { ...form, ...patch };
  if (patch.preset && patch.preset !== 'custom') return { ...next, ...presetRange(patch.preset, today) };
  if ((patch.from !== undefined || patch.to !== undefined) && patch.preset === undefined) next.preset = 'custom';
  return next;
}

/** Exactly the channel's input for `report`: other reports' parameters are left out (the schemas are strict). */
export function toInput<N extends ReportName>(report: N, form: ReportForm, timeZone: string): ReportInput<N> {
  const range = { from: form.from, to: form.to, timeZone };
  const inputs: { [K in ReportName]: ReportInput<K> } = {
    sales: { ...range, groupBy: form.groupBy },
    topProducts: { ...range, by: form.by, limit: form.limit },
    inventoryValuation: { includeArchived: form.includeArchived },
    lowStock: {},
    movements: { ...range, ...(form.kind ? { kind: form.kind } : {}) },
    orders: { ...range, ...(form.statuses.length > 0 ? { status: form.statuses } : {}) },
  };
  return inputs[report];
}

export const reportChannel = <N extends ReportName>(report: N) => `reports:${report}` as `reports:${N}` & ChannelName;

/**
 * The contract's own verdict on the input, with plainer words for what a person does wrong: an
 * empty date box (the picker gives '' until a whole date is typed).
 */
export function checkInput<N extends ReportName>(report: N, input: ReportInput<N>): FieldErrors | null {
  const errors = validate(reportChannel(report), input as never);
  if (!errors) return null;
  const range = (input ?? {}) as { from?: string; to?: string };
  if (range.from === '') errors.from = 'Pick a start date';
  if (range.to === '') errors.to = 'Pick an end date';
  return errors;
}

/** The screen's tabs, in the order staff reach for them. */
export const REPORT_TABS: readonly { value: ReportName; label: string }[] = [
  { value: 'sales', label: 'Sales summary' },
  { value: 'topProducts', label: 'Top products' },
  { value: 'inventoryValuation', label: 'Inventory valuation' },
  { value: 'lowStock', label: 'Low stock' },
  { value: 'movements', label: 'Stock movements' },
  { value: 'orders', label: 'Orders' },
];
export const reportLabel = (report: ReportName): string =>
  REPORT_TABS.find((tab) => tab.value === report)?.label ?? report;

/** How report values read on screen: period labels, status tones, signed quantities. Pure. */
import type { BadgeTone } from '../../components/Badge.js';
import { userLocale } from '../../lib/format.js';

type GroupBy = 'day' | 'week' | 'month';

const labelFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${userLocale()}|${kind}`;
  let format = labelFormats.get(key);
  if (!format) {
    // Periods are calendar days, not instants: format them in UTC so no zone shifts the day.
    format = new Intl.DateTimeFormat(userLocale(), { ...options, timeZone: 'UTC' });
    labelFormats.set(key, format);
  }
  return format;
}

const asDate = (period: string) => new Date(`${period.length === 7 ? `${period}-01` : period}T00:00:00Z`);

/** '2026-03-02' → 'Mon 2 Mar' (day), 'Week of 2 Mar' (week); '2026-03' → 'Mar 2026'. */
export function periodLabel(period: string, groupBy: GroupBy, short = false): string {
  const date = asDate(period);
  if (Number.isNaN(date.getTime())) return period;
  if (groupBy === 'month') return dateFormat('month', { month: 'short', year: 'numeric' }).format(date);
  const day = dateFormat('day', { day: 'numeric', month: 'short' }).format(date);
  if (groupBy === 'week') return short ? day : `Week of ${day}`;
  return short ? day : `${dateFormat('weekday', { weekday: 'short' }).format(date)} ${day}`;
}

const ORDER_TONES: Record<string, BadgeTone> = {
  pending_payment: 'warning',
  paid: 'info',
  fulfilled: 'accent',
  delivered: 'success',
  cancelled: 'neutral',
  refunded: 'danger',
  partially_refunded: 'warning',
};
export const orderStatusTone = (status: string): BadgeTone => ORDER_TONES[status] ?? 'neutral';

const PAYMENT_TONES: Record<string, BadgeTone> = {
  succeeded: 'success',
  paid: 'success',
  refunded: 'danger',
  partially_refunded: 'warning',
  failed: 'danger',
  canceled: 'neutral',
};
export const paymentTone = (status: string): BadgeTone => PAYMENT_TONES[status] ?? 'neutral';

/** Stock coming in reads green, going out red; reservations are neither. */
const MOVEMENT_TONES: Record<string, BadgeTone> = {
  received: 'success',
  return: 'success',
  sale: 'info',
  damage: 'danger',
  count_correction: 'warning',
  reservation: 'neutral',
  release: 'neutral',
  adjustment: 'accent',
  transfer: 'neutral',
};
export const movementTone = (kind: string): BadgeTone => MOVEMENT_TONES[kind] ?? 'neutral';

const integers = new Map<string, Intl.NumberFormat>();
/** +12 / −3 / 0, with a real minus sign so columns of figures line up. */
export function signed(n: number): string {
  let format = integers.get(userLocale());
  if (!format) {
    format = new Intl.NumberFormat(userLocale(), { signDisplay: 'exceptZero' });
    integers.set(userLocale(), format);
  }
  return format.format(n).replace('-', '−');
}

const stamps = new Map<string, Intl.DateTimeFormat>();
/** 'Nov 28, 10:04 AM' this year, 'Nov 28, 2025, 10:04 AM' before: a table column, not a sentence. */
export function shortDateTime(at: string, now: Date = new Date()): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const withYear = date.getFullYear() !== now.getFullYear();
  const key = `${userLocale()}|${withYear}`;
  let format = stamps.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(userLocale(), {
      month: 'short',
      day: 'numeric',
      ...(withYear ? { year: 'numeric' } : {}),
      hour: 'numeric',
      minute: '2-digit',
    });
    stamps.set(key, format);
  }
  return format.format(date);
}

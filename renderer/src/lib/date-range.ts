/**
 * Date inputs give local calendar days ("2026-03-01"); the host filters on UTC instants. A range
 * covers whole local days: from the first day's midnight to the last day's final millisecond.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function localDay(day: string, endOfDay: boolean): string | undefined {
  const match = DAY.exec(day);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = endOfDay ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export interface DayRange {
  /** "YYYY-MM-DD" or '' for open. */
  from: string;
  to: string;
}

/** The range as channel input (`from`/`to` ISO instants), leaving out open ends. */
export function rangeInput(range: DayRange): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  const from = localDay(range.from, false);
  const to = localDay(range.to, true);
  if (from) out.from = from;
  if (to) out.to = to;
  return out;
}

/** A message for the `from` field when the range is backwards; null when it is fine. */
export function rangeError(range: DayRange): string | null {
  return range.from && range.to && range.from > range.to ? 'The start is after the end' : null;
}

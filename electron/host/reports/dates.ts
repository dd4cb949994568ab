/**
 * Calendar maths for reports in a time zone. Intl (built into Node) does the only hard part, the
 * zone's offset at an instant; the rest is arithmetic on calendar dates, done as UTC dates so the
 * host's own zone and DST never leak in. Dates are `YYYY-MM-DD` strings, which also sort correctly.
 */
export type Granularity = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // h23: midnight is hour 0, never 24 (which some engines print for en-US).
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      ...{ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at `instant`, read as if it were UTC (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year, month, day, hour, minute, second } = parts;
  return Date.UTC(year!, month! - 1, day, hour, minute, second);
}

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The calendar date in `timeZone` at an ISO instant. */
export function localDate(iso: string, timeZone: string): string {
  return dateOf(wallClock(Date.parse(iso), timeZone));
}

export function addDays(date: string, days: number): string {
  return dateOf(Date.parse(date) + days * DAY_MS);
}

/**
 * The instant the day `date` starts in `timeZone`. The offset is taken twice: once at a guess and
 * once at the corrected instant, so a DST change on that day still lands on the right hour.
 */
export function startOfDay(date: string, timeZone: string): number {
  const wall = Date.parse(date);
  const first = wall - (wallClock(wall, timeZone) - wall);
  return wall - (wallClock(first, timeZone) - first);
}

/** [start, end) as ISO instants covering the days `from`..`to` (inclusive) in `timeZone`: what SQL filters on. */
export function utcWindow(from: string, to: string, timeZone: string): { start: string; end: string } {
  const iso = (ms: number) => new Date(ms).toISOString();
  return { start: iso(startOfDay(from, timeZone)), end: iso(startOfDay(addDays(to, 1), timeZone)) };
}

/** The period a date belongs to: the date itself, its ISO week's Monday, or `YYYY-MM`. */
export function periodOf(date: string, granularity: Granularity): string {
  if (granularity === 'day') return date;
  if (granularity === 'month') return date.slice(0, 7);
  const weekday = new Date(Date.parse(date)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

/** Every period touching `from`..`to`, in order, so a chart shows empty periods as zero instead of skipping them. */
export function periodsBetween(from: string, to: string, granularity: Granularity): string[] {
  const periods: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const p = periodOf(d, granularity);
    if (periods.at(-1) !== p) periods.push(p);
  }
  return periods;
}

/** Short, calm relative times for a dense UI ("just now", "5 min ago", "3 h ago", "yesterday"). */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function formatAge(ms: number): string {
  if (ms < MINUTE) return '<1 min';
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

// Built once: toLocaleDateString/toLocaleString build a new Intl formatter on every call, which
// costs a scrolling table of dates most of its frame time.
let dayFormat: Intl.DateTimeFormat | undefined;
let dateTimeFormat: Intl.DateTimeFormat | undefined;

export function formatRelative(at: Date | string | number, now: number = Date.now()): string {
  const time = new Date(at).getTime();
  if (Number.isNaN(time)) return '—';
  const diff = now - time;
  // A clock slightly ahead of ours is still "just now", not "in 2 s".
  if (diff < 45_000 && diff > -60_000) return 'just now';
  if (diff < 0) return `in ${formatAge(-diff)}`;
  if (diff < DAY) return `${formatAge(diff)} ago`;
  if (diff < 2 * DAY) return 'yesterday';
  if (diff < 7 * DAY) return `${Math.floor(diff / DAY)} days ago`;
  dayFormat ??= new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
  return dayFormat.format(time);
}

export function formatDateTime(at: Date | string | number): string {
  const date = new Date(at);
  // The fields toLocaleString() shows by default.
  dateTimeFormat ??= new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  return Number.isNaN(date.getTime()) ? '' : dateTimeFormat.format(date);
}

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
  return new Date(time).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatDateTime(at: Date | string | number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}

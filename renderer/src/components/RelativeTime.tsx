import { useEffect, useState } from 'react';
import { formatDateTime, formatRelative } from '../lib/time.js';

/** One timer for every RelativeTime on screen: a table of 100 rows must not start 100 intervals. */
const subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(fn: () => void): () => void {
  subscribers.add(fn);
  timer ??= setInterval(() => subscribers.forEach((s) => s()), 30_000);
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, refreshed every 30 s. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => subscribe(() => setNow(Date.now())), []);
  return now;
}

/** "2 min ago", with the exact local time on hover. */
export function RelativeTime({
  at,
  fallback = 'never',
}: {
  at: string | number | Date | null | undefined;
  fallback?: string;
}) {
  const now = useNow();
  if (at === null || at === undefined) return <span className="muted">{fallback}</span>;
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={formatDateTime(at)}>
      {formatRelative(at, now)}
    </time>
  );
}

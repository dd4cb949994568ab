/**
 * Retry delays after a failed sync: exponential with "full jitter" (a random delay between a floor
 * and the exponential cap), so devices that lost the same server at the same moment do not all come
 * back in the same instant when it returns.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** The shortest wait, so a failing loop never spins. */
  minMs?: number;
}

export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const min = Math.min(options.minMs ?? 250, max);
  const cap = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(min + random() * Math.max(0, cap - min));
}

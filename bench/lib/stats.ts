/** Latency samples (ms) → the figures every benchmark table prints. */
export interface Summary {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(latencies: number[], errors: number, seconds: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: latencies.length,
    errors,
    perSecond: Math.round(latencies.length / seconds),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
  };
}

/**
 * Runs `task` from `concurrency` workers until `seconds` pass, timing each call. Bounded in
 * time and count, and used both for HTTP load and for the direct-SQL floor, so the two compare.
 */
export async function runConcurrent(
  task: (i: number) => Promise<boolean>,
  { concurrency, seconds, maxRequests = 5_000_000 }: { concurrency: number; seconds: number; maxRequests?: number },
): Promise<Summary> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline && issued < maxRequests) {
      const i = issued++;
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await task(i);
      } catch {
        ok = false;
      }
      if (ok) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

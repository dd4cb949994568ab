/**
 * The soak's arithmetic, kept pure so it is unit-tested: the memory trend and its verdict, the
 * over-time table's rows, and the error log.
 */
import { percentile } from './lib/stats.js';

const MB = 2 ** 20;

/** One reading of the server child, taken right after a full GC (so heapUsed is retained memory). */
export interface MemorySample {
  /** Seconds since the load began. */
  at: number;
  rss: number;
  heapUsed: number;
  /** Bodies held by the catalog response cache (bounded by CATALOG_CACHE_MB), part of heapUsed. */
  cacheBytes: number;
  /** Answers the response cache holds: next to the catalog reads made, how often it could hit. */
  cacheEntries: number;
  /** Facet rows and typo corrections the search keeps for the newest catalog states (state-caches.ts). */
  searchEntries: { facets: number; corrections: number };
}

export interface Fit {
  slope: number;
  intercept: number;
  /** Standard error of the slope: how far noise alone could move it. */
  slopeStdErr: number;
}

/** Ordinary least squares; undefined with fewer than 3 points or all at one x. */
export function linearFit(points: readonly { x: number; y: number }[]): Fit | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const slope = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
  const intercept = my - slope * mx;
  const residuals = points.reduce((a, p) => a + (p.y - intercept - slope * p.x) ** 2, 0);
  return { slope, intercept, slopeStdErr: Math.sqrt(residuals / (n - 2) / sxx) };
}

export type Verdict = 'no growth trend' | 'growth trend' | 'inconclusive';

export interface Trend {
  /** Samples after the warm-up that the fit used. */
  samples: number;
  meanMb: number;
  slopeMbPerMin: number;
  slopeStdErrMbPerMin: number;
  /** The slope carried over the whole run: what a leak of this size would add in that time. */
  impliedMb: number;
  toleranceMb: number;
  verdict: Verdict;
}

/** Fewer samples than this after the warm-up say nothing about a trend. */
export const MIN_TREND_SAMPLES = 5;

/**
 * A run's allowance for drift over its length: 5 MB, or 5% of the retained heap when that is
 * larger. A per-request leak of 1 kB at 30 requests/s adds about 18 MB in ten minutes, well over.
 */
export const toleranceMb = (meanMb: number): number => Math.max(5, 0.05 * meanMb);

/** The least-squares trend of `value` (bytes) after the warm-up, in MB per minute, and its verdict. */
export function memoryTrend(
  samples: readonly MemorySample[],
  options: { warmupSeconds: number; runSeconds: number; value: (s: MemorySample) => number },
): Trend {
  const points = samples
    .filter((s) => s.at >= options.warmupSeconds)
    .map((s) => ({ x: s.at / 60, y: options.value(s) / MB }));
  const meanMb = points.length > 0 ? points.reduce((a, p) => a + p.y, 0) / points.length : NaN;
  const fit = points.length >= MIN_TREND_SAMPLES ? linearFit(points) : undefined;
  const tolerance = toleranceMb(Number.isNaN(meanMb) ? 0 : meanMb);
  if (!fit) {
    return {
      samples: points.length,
      meanMb,
      slopeMbPerMin: NaN,
      slopeStdErrMbPerMin: NaN,
      impliedMb: NaN,
      toleranceMb: tolerance,
      verdict: 'inconclusive',
    };
  }
  const impliedMb = fit.slope * (options.runSeconds / 60);
  return {
    samples: points.length,
    meanMb,
    slopeMbPerMin: fit.slope,
    slopeStdErrMbPerMin: fit.slopeStdErr,
    impliedMb,
    toleranceMb: tolerance,
    verdict: impliedMb > tolerance ? 'growth trend' : 'no growth trend',
  };
}

/** One finished request: seconds since the load began, its latency, whether it was answered as expected. */
export interface OpEvent {
  at: number;
  op: string;
  ms: number;
  ok: boolean;
}

export interface BucketRow {
  from: number;
  to: number;
  requests: number;
  errors: number;
  perSecond: number;
  p95: number;
  /** Post-GC heapUsed: mean and largest of the bucket's samples (NaN without a sample). */
  heapMb: number;
  heapMaxMb: number;
  /** Mean post-GC heapUsed less the response cache's bodies. */
  heapLessCacheMb: number;
  rssMaxMb: number;
  cacheMb: number;
}

/**
 * The over-time table: requests and memory per `bucketSeconds` from 0 to `runSeconds`. A reading
 * taken exactly at the end belongs to the last bucket; requests finishing after it are left out.
 */
export function bucketRows(
  events: readonly OpEvent[],
  samples: readonly MemorySample[],
  bucketSeconds: number,
  runSeconds: number,
): BucketRow[] {
  const count = Math.max(1, Math.ceil(runSeconds / bucketSeconds));
  const index = (at: number) => Math.min(count - 1, Math.floor(at / bucketSeconds));
  const rows = Array.from({ length: count }, (_, i) => ({
    from: i * bucketSeconds,
    to: Math.min(runSeconds, (i + 1) * bucketSeconds),
    latencies: [] as number[],
    errors: 0,
    samples: [] as MemorySample[],
  }));
  for (const e of events) {
    if (e.at < 0 || e.at > runSeconds) continue;
    const row = rows[index(e.at)]!;
    if (e.ok) row.latencies.push(e.ms);
    else row.errors++;
  }
  for (const s of samples) if (s.at >= 0 && s.at <= runSeconds) rows[index(s.at)]!.samples.push(s);
  return rows.map((r) => {
    const heap = r.samples.map((s) => s.heapUsed / MB);
    const lessCache = r.samples.map((s) => (s.heapUsed - s.cacheBytes) / MB);
    const mean = (values: number[]) => (values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
    const requests = r.latencies.length + r.errors;
    return {
      from: r.from,
      to: r.to,
      requests,
      errors: r.errors,
      perSecond: r.to > r.from ? requests / (r.to - r.from) : NaN,
      p95: percentile(
        r.latencies.sort((a, b) => a - b),
        95,
      ),
      heapMb: mean(heap),
      heapMaxMb: heap.length > 0 ? Math.max(...heap) : NaN,
      heapLessCacheMb: mean(lessCache),
      rssMaxMb: r.samples.length > 0 ? Math.max(...r.samples.map((s) => s.rss / MB)) : NaN,
      cacheMb: r.samples.length > 0 ? r.samples[r.samples.length - 1]!.cacheBytes / MB : NaN,
    };
  });
}

/** Bytes used per V8 heap space (v8.getHeapSpaceStatistics), by space name. */
export type HeapSpaces = Record<string, number>;

/** The heap spaces that grew between two readings, most first, in MB (those that grew by under 0.1 MB left out). */
export function spaceGrowth(before: HeapSpaces, after: HeapSpaces): { space: string; mb: number }[] {
  return Object.entries(after)
    .map(([space, bytes]) => ({ space, mb: (bytes - (before[space] ?? 0)) / MB }))
    .filter((g) => g.mb >= 0.1)
    .sort((a, b) => b.mb - a.mb);
}

/** What an unexpected answer says, in one short line (problem+json, text, or nothing at all). */
export function answerMessage(status: number, body: unknown): string {
  if (status === 0) return 'no answer (connection refused, reset or timed out)';
  if (body && typeof body === 'object') {
    const p = body as { code?: unknown; detail?: unknown; title?: unknown };
    const text = [p.code, p.detail ?? p.title].filter((v) => typeof v === 'string').join(': ');
    if (text) return `${status} ${text}`;
    return `${status} ${JSON.stringify(body).slice(0, 160)}`;
  }
  if (typeof body === 'string' && body.trim()) return `${status} ${body.trim().replace(/\s+/g, ' ').slice(0, 160)}`;
  return `${status} (empty body)`;
}

/** Failures by operation and status, and the first few messages word for word. */
export class ErrorLog {
  readonly counts = new Map<string, number>();
  readonly first: string[] = [];
  total = 0;

  constructor(private readonly keep = 5) {}

  add(op: string, status: number | string, message: string): void {
    const key = `${op} ${status || 'network'}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
    if (this.first.length < this.keep) this.first.push(`${op}: ${message}`);
  }

  summary(): string {
    return [...this.counts].map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  }
}

/**
 * The pure parts of `npm run bench:backoffice`: its options and the figures it prints (percentiles,
 * targets met or missed). No I/O, so bench/backoffice.unit.test.ts covers them.
 */
import { z } from 'zod';
import { parseBenchArgs } from './lib/options.js';
import { percentile } from './lib/stats.js';
import type { SuiteRow } from './lib/suite.js';

/** Issue 7's targets, in ms. */
export const TARGETS = { ttiMs: 1500, keystrokeMs: 50 } as const;

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const backofficeBenchOptions = z.strictObject({
  products: count(100, 1_000_000).default(100_000),
  /** Time-to-interactive loads after the first (cold) one, each in a fresh page. */
  runs: count(1, 100).default(10),
  /** Queries typed key by key into the search box. */
  queries: count(1, 200).default(24),
  /** In-process catalog:search calls per distinct typed text, for the host's own time. */
  hostSamples: count(1, 1000).default(20),
  /** Build the store again even when a cached one exists. */
  rebuild: z.boolean().default(false),
});
export type BackofficeBenchOptions = z.infer<typeof backofficeBenchOptions>;

/** `--quick`: a 10k catalog and fewer repetitions (well under a minute once the store is cached). */
export const QUICK: Readonly<Record<string, string>> = { products: '10000', runs: '3', queries: '6', hostSamples: '5' };

const FLAGS = { products: 'products', runs: 'runs', queries: 'queries', 'host-samples': 'hostSamples' } as const;

export const USAGE =
  'usage: npm run bench:backoffice -- [--quick] [--products N] [--runs N] [--queries N] [--host-samples N] [--rebuild]';

/** Parses argv (without node and the script); throws `validation_failed` naming every bad option. */
export const parseBackofficeOptions = (argv: string[]): BackofficeBenchOptions =>
  parseBenchArgs(argv, {
    schema: backofficeBenchOptions,
    flags: FLAGS,
    switches: ['rebuild'],
    preset: { name: 'quick', values: QUICK },
    usage: USAGE,
  });

export interface Figures {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles (nearest rank, as every bench here) of samples in ms, rounded to 0.1 ms. */
export function figures(samples: readonly number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

/** Targets are judged on p95: a screen that is fast only half the time is not fast. */
export function verdict(f: Figures, targetMs: number | null): string {
  if (targetMs === null) return '';
  if (f.n === 0) return 'NO DATA';
  return f.p95 < targetMs ? 'PASS' : 'MISS';
}

/** One row of the printed table. */
export function figureRow(what: string, f: Figures, targetMs: number | null = null): Record<string, string | number> {
  return {
    figure: what,
    n: f.n,
    p50_ms: f.p50,
    p95_ms: f.p95,
    p99_ms: f.p99,
    max_ms: f.max,
    target: targetMs === null ? '' : `p95 < ${targetMs} ms`,
    result: verdict(f, targetMs),
  };
}

/**
 * The rows `npm run bench` prints: time to interactive (no floor: a page load has no raw
 * equivalent) and the key → results time beside the floor of the same searches on the host alone.
 */
export function backofficeSuiteRows(m: {
  ttiMs: number[];
  keyMs: number[];
  hostSearchMs: number[];
}): Omit<SuiteRow, 'bench'>[] {
  const tti = figures(m.ttiMs);
  const keys = figures(m.keyMs);
  const host = figures(m.hostSearchMs);
  const spent = m.hostSearchMs.reduce((a, b) => a + b, 0);
  const target = (f: Figures, ms: number) => `target p95 < ${ms} ms: ${verdict(f, ms)}`;
  const latency = (f: Figures) => ({ p50: f.p50, p95: f.p95, p99: f.p99 });
  return [
    {
      scenario: 'products screen: time to interactive',
      database: 'sqlite',
      unit: 'ops/s',
      ...latency(tti),
      note: `${target(tti, TARGETS.ttiMs)}; no floor: a page load has no raw equivalent`,
    },
    {
      scenario: 'search: key → results in the DOM',
      database: 'sqlite',
      unit: 'ops/s',
      ...latency(keys),
      floor: { rate: spent > 0 ? Math.round(host.n / (spent / 1000)) : 0, p50: host.p50, p95: host.p95 },
      note: `${target(keys, TARGETS.keystrokeMs)}; floor: the same searches in the host process`,
    },
  ];
}

/** The rows bench:host hands to `npm run bench`: the fill beside its raw SQLite floor, then the queries. */
import { percentile } from './lib/stats.js';
import type { SuiteRow } from './lib/suite.js';

export interface HostFigures {
  products: number;
  /** Changes downloaded, in all. */
  rows: number;
  /** Each page through applyPullPage, and the same page as raw INSERTs (the floor), in ms. */
  pageMs: number[];
  floorPageMs: number[];
  /** Every timed search, and every timed list or low-stock query, in ms. */
  searchMs: number[];
  listMs: number[];
}

function latency(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(sorted, p) * 1000) / 1000;
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** Calls per second one after another: what one thread of the host gets through. */
const sequentialRate = (samples: readonly number[]) =>
  Math.round(samples.length / (samples.reduce((a, b) => a + b, 0) / 1000));

export function hostSuiteRows(f: HostFigures): Omit<SuiteRow, 'bench'>[] {
  const pageRows = Math.round(f.rows / f.pageMs.length);
  const floor = latency(f.floorPageMs);
  const queries = (scenario: string, samples: number[]) => ({
    scenario,
    database: 'sqlite' as const,
    unit: 'ops/s' as const,
    rate: sequentialRate(samples),
    ...latency(samples),
    note: 'no floor: these are raw SQLite queries already',
  });
  return [
    {
      scenario: 'fill: applyPullPage (per page)',
      database: 'sqlite',
      unit: 'rows/s',
      rate: Math.round(f.rows / (f.pageMs.reduce((a, b) => a + b, 0) / 1000)),
      ...latency(f.pageMs),
      floor: {
        rate: Math.round(f.rows / (f.floorPageMs.reduce((a, b) => a + b, 0) / 1000)),
        p50: floor.p50,
        p95: floor.p95,
      },
      note: `${f.products} products, ~${pageRows} changes a page; floor: raw prepared INSERTs, same tables`,
    },
    queries('search (7 kinds, pooled)', f.searchMs),
    queries('list and low stock (8 kinds, pooled)', f.listMs),
  ];
}

/**
 * The pure parts of bench/sync.ts: the stock check after the offline push, and latency figures.
 * Kept apart from the I/O so their rules are tested (sync-check.unit.test.ts): a benchmark that
 * prints "ok" wrongly is worse than none.
 */
import { percentile } from './lib/stats.js';

/** What the server reports per variant touched by pushed mutations (bench/sync-server.ts `stock`). */
export interface ServerStockRow {
  variantId: string;
  onHand: number;
  /** Sum of the movements pushed mutations made (reference `sync:<mutation id>`). */
  syncDelta: number;
  syncMovements: number;
  /** Sum of every movement of the variant: must equal onHand. */
  ledger: number;
}

/** What the host queued per variant, and the level it had downloaded before. */
export interface StockExpectation {
  initialOnHand: number;
  delta: number;
  mutations: number;
}

export interface StockCheck {
  ok: boolean;
  expectedDelta: number;
  serverDelta: number;
  problems: string[];
}

const MAX_LISTED = 5;

/**
 * The server's levels must have moved by exactly the sum of each variant's deltas, with one
 * movement per mutation (none lost, none applied twice), and still equal their ledger.
 */
export function checkStock(
  expected: ReadonlyMap<string, StockExpectation>,
  server: readonly ServerStockRow[],
): StockCheck {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of server) {
    seen.add(row.variantId);
    const want = expected.get(row.variantId);
    if (!want) {
      problems.push(`${row.variantId}: moved by ${row.syncDelta} but the host queued nothing for it`);
      continue;
    }
    if (row.syncMovements !== want.mutations)
      problems.push(`${row.variantId}: ${row.syncMovements} movements for ${want.mutations} mutations`);
    if (row.syncDelta !== want.delta)
      problems.push(`${row.variantId}: moved by ${row.syncDelta}, expected ${want.delta}`);
    if (row.onHand !== want.initialOnHand + want.delta)
      problems.push(`${row.variantId}: level ${row.onHand}, expected ${want.initialOnHand} + ${want.delta}`);
    if (row.ledger !== row.onHand)
      problems.push(`${row.variantId}: level ${row.onHand} but ledger sums to ${row.ledger}`);
  }
  for (const [variantId, want] of expected)
    if (!seen.has(variantId)) problems.push(`${variantId}: ${want.mutations} mutations queued, none applied`);
  const expectedDelta = [...expected.values()].reduce((sum, e) => sum + e.delta, 0);
  const serverDelta = server.reduce((sum, r) => sum + r.syncDelta, 0);
  if (expectedDelta !== serverDelta) problems.unshift(`total moved ${serverDelta}, expected ${expectedDelta}`);
  return { ok: problems.length === 0, expectedDelta, serverDelta, problems };
}

/** One line for the table: "ok", or "MISMATCH" with the first problems. */
export function describeStockCheck(check: StockCheck): string {
  if (check.ok) return `ok (moved ${check.serverDelta} = sum of deltas)`;
  const more = check.problems.length > MAX_LISTED ? ` … ${check.problems.length - MAX_LISTED} more` : '';
  return `MISMATCH: ${check.problems.slice(0, MAX_LISTED).join('; ')}${more}`;
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

/** p50 / p95 / max in ms, rounded to 0.1 ms; NaN when there are no samples. */
export function summarizeLatency(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    samples: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

/**
 * Wire rows and pull pages shaped like the server's (camelCase drizzle columns), for the store's
 * tests, its crash child and the benchmark. Ids are deterministic UUIDv7-shaped strings so runs
 * and processes agree on them.
 */
import type { Change, PullAnswer } from '../../../shared/sync/protocol.js';

/** A deterministic UUID (version 7 layout) from a kind and a number. */
export function fixedId(kind: number, n: number): string {
  const hex = (kind * 1e10 + n).toString(16).padStart(18, '0');
  return `0190a000-0000-7${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${hex.slice(6, 18)}`;
}

export const LOCATION_ID = fixedId(9, 1);

/** crash-child.ts: products per page, and the stock level its mutations move (product 0's only variant). */
export const CRASH_PAGE_SIZE = 200;
export const CRASH_VARIANT = fixedId(2, 0);
export const CRASH_LEVEL = fixedId(3, 0);
export const CATEGORY_IDS = [fixedId(8, 1), fixedId(8, 2), fixedId(8, 3)];

const WORDS = ['hoodie', 'trail', 'merino', 'canvas', 'linen', 'alpine', 'harbor', 'cedar', 'copper', 'summit'];
const COLOURS = ['black', 'navy', 'olive', 'sand', 'rust'];
const at = '2026-01-01T00:00:00.000Z';

export function productRow(n: number, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const a = WORDS[n % WORDS.length]!;
  const b = COLOURS[Math.floor(n / WORDS.length) % COLOURS.length]!;
  return {
    id: fixedId(1, n),
    slug: `${a}-${b}-${n}`,
    name: `${a[0]!.toUpperCase()}${a.slice(1)} ${b} ${n}`,
    description: `A ${b} ${a} made to last; item number ${n}.`,
    status: 'active',
    categoryIds: [CATEGORY_IDS[n % CATEGORY_IDS.length]],
    tags: [a, b],
    options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
    createdAt: at,
    updatedAt: at,
    minPriceCents: 1000,
    ...patch,
  };
}

export function variantRow(n: number, k: number, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: fixedId(2, n * 10 + k),
    productId: fixedId(1, n),
    sku: `SKU-${n}-${k}`,
    title: ['S', 'M', 'L'][k % 3],
    optionValues: { Size: ['S', 'M', 'L'][k % 3] },
    priceCents: 1000 + k * 250 + (n % 100),
    compareAtPriceCents: null,
    costCents: 400,
    currency: 'USD',
    barcode: null,
    weightGrams: 300,
    lowStockThreshold: 5,
    position: k,
    createdAt: at,
    updatedAt: at,
    ...patch,
  };
}

export function levelRow(n: number, k: number, onHand: number, patch: Record<string, unknown> = {}) {
  return {
    id: fixedId(3, n * 10 + k),
    variantId: fixedId(2, n * 10 + k),
    locationId: LOCATION_ID,
    onHand,
    reserved: 0,
    updatedAt: at,
    ...patch,
  };
}

export const upsert = (table: Change['table'], row: Record<string, unknown>, version: number): Change => ({
  table,
  op: 'upsert',
  id: row.id as string,
  version,
  row,
});

export const remove = (table: Change['table'], id: string, version: number): Change => ({
  table,
  op: 'delete',
  id,
  version,
});

export function page(changes: Change[], cursor: string, extra: Partial<PullAnswer> = {}): PullAnswer {
  return { changes, cursor, hasMore: false, lastMutationSeq: 0, epoch: 'epoch-1', ...extra };
}

/** Product n with `variantsPer` variants and a stock level each, versions from `version` upwards. */
export function productChanges(n: number, variantsPer: number, version: number, onHand = 10): Change[] {
  const changes: Change[] = [upsert('products', productRow(n), version)];
  for (let k = 0; k < variantsPer; k++) {
    changes.push(upsert('variants', variantRow(n, k), version));
    changes.push(upsert('stock_levels', levelRow(n, k, onHand), version));
  }
  return changes;
}

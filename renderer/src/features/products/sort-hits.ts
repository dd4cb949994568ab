/**
 * Search results come ranked by relevance; the stock filter and a clicked column still apply to
 * them, here, because the host's search takes neither (at most 100 rows: sorting them is free).
 */
import type { ProductSort, StockFilter } from './products-view.js';
import { parseSort } from './products-view.js';
import type { SearchHit } from './use-product-search.js';

type Compare = (a: SearchHit, b: SearchHit) => number;

/** Products without a price go last either way, as the host's own price sort does. */
const byPrice: Compare = (a, b) => {
  if (a.priceMinCents === null || b.priceMinCents === null)
    return (a.priceMinCents === null ? 1 : 0) - (b.priceMinCents === null ? 1 : 0);
  return a.priceMinCents - b.priceMinCents;
};

const COMPARE: Record<ReturnType<typeof parseSort>['key'], Compare> = {
  name: (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
  price: byPrice,
  available: (a, b) => a.available - b.available,
  updated: (a, b) => (a.updatedAt ?? '').localeCompare(b.updatedAt ?? ''),
};

export function sortHits(hits: readonly SearchHit[], stock: StockFilter, sort: ProductSort | null): SearchHit[] {
  const kept = stock ? hits.filter((hit) => hit.stockState === stock) : [...hits];
  if (sort === null) return kept;
  const { key, direction } = parseSort(sort);
  const compare = COMPARE[key];
  const nullsLast = key === 'price';
  return kept.sort((a, b) => {
    if (nullsLast && (a.priceMinCents === null || b.priceMinCents === null)) return byPrice(a, b);
    return direction === 'asc' ? compare(a, b) : compare(b, a);
  });
}

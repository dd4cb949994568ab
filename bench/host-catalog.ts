/**
 * The catalog bench:host downloads: products with 2 or 3 variants each and one stock level per
 * variant, as the server's changes in its order, deterministic so runs compare.
 */
import type { Change } from '../shared/sync/protocol.js';
import { CATEGORY_IDS, LOCATION_ID, fixedId } from '../electron/host/db/testkit.js';
import { BRANDS, COLOURS, NOUNS as BACKOFFICE_NOUNS } from './backoffice-catalog.js';

// A vocabulary of ~3000 made-up words from syllables (shared with bench:backoffice), so term
// frequencies look like a real catalog's (a few common words, a long tail), plus product nouns.
export const VOCAB = BRANDS;
export const NOUNS: readonly string[] = [...BACKOFFICE_NOUNS, 'kettle', 'tee'];

/** Deterministic pseudo-random numbers (mulberry32), so runs compare. */
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
/** Zipf-like pick: low indexes far more often. */
const pick = <T>(list: readonly T[]) => list[Math.floor(list.length * random() ** 3)]!;
const at = '2026-01-01T00:00:00.000Z';

function* changesFor(n: number, version: number): Generator<Change> {
  const noun = NOUNS[n % NOUNS.length]!;
  const colour = COLOURS[Math.floor(n / NOUNS.length) % COLOURS.length]!;
  const brand = pick(VOCAB);
  const product = {
    id: fixedId(1, n),
    slug: `${brand}-${noun}-${n}`,
    name: `${brand[0]!.toUpperCase()}${brand.slice(1)} ${colour} ${noun}`,
    description: Array.from({ length: 12 }, () => pick(VOCAB)).join(' '),
    status: n % 20 === 0 ? 'draft' : 'active',
    categoryIds: [CATEGORY_IDS[n % CATEGORY_IDS.length]],
    tags: [pick(VOCAB), colour],
    options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
    createdAt: at,
    updatedAt: at,
  };
  yield { table: 'products', op: 'upsert', id: product.id, version, row: product };
  const count = 2 + (n % 2);
  for (let k = 0; k < count; k++) {
    const variant = {
      id: fixedId(2, n * 10 + k),
      productId: product.id,
      sku: `${noun.slice(0, 4).toUpperCase()}-${n}-${['S', 'M', 'L'][k]}`,
      title: ['S', 'M', 'L'][k],
      optionValues: { Size: ['S', 'M', 'L'][k] },
      priceCents: 1000 + Math.floor(random() * 20_000),
      compareAtPriceCents: null,
      costCents: 500,
      currency: 'USD',
      barcode: null,
      weightGrams: 300,
      lowStockThreshold: 5,
      position: k,
      createdAt: at,
      updatedAt: at,
    };
    yield { table: 'variants', op: 'upsert', id: variant.id, version, row: variant };
    const level = {
      id: fixedId(3, n * 10 + k),
      variantId: variant.id,
      locationId: LOCATION_ID,
      onHand: Math.floor(random() * 40),
      reserved: 0,
      updatedAt: at,
    };
    yield { table: 'stock_levels', op: 'upsert', id: level.id, version, row: level };
  }
}

/** Every change of a first download of `products` products, in pages of `size`. */
export function* pages(products: number, size: number): Generator<Change[]> {
  let batch: Change[] = [];
  for (let n = 1; n <= products; n++) {
    for (const change of changesFor(n, n)) {
      batch.push(change);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length) yield batch;
}

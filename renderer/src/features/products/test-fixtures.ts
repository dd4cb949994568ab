/** Products for the product screens' tests: a T-shirt in two sizes, and list rows. */
import type { ChannelOutput, ProductDetail } from '../../../../shared/contract/backoffice.js';

export const P = '01890000-0000-7000-8000-000000000001';
export const V1 = '01890000-0000-7000-8000-000000000011';
export const V2 = '01890000-0000-7000-8000-000000000012';
const variant = (id: string, sku: string, size: string, position: number) => ({
  id,
  sku,
  title: size,
  optionValues: { Size: size },
  priceCents: 2000,
  compareAtPriceCents: null,
  currency: 'USD',
  available: 4,
  inStock: true,
  costCents: 900,
  barcode: null,
  weightGrams: 200,
  lowStockThreshold: 5,
  onHand: 4,
  reserved: 0,
  position,
  version: 3,
});
export const tee: ProductDetail = {
  id: P,
  slug: 'tee',
  name: 'Tee',
  description: 'Soft',
  status: 'active',
  categoryIds: [],
  tags: ['cotton'],
  options: [{ name: 'Size', values: ['S', 'M'] }],
  images: [],
  rating: { average: 0, count: 0 },
  priceRange: { minCents: 2000, maxCents: 2000 },
  inStock: true,
  version: 7,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  variants: [variant(V2, 'TEE-M', 'M', 1), variant(V1, 'TEE-S', 'S', 0)],
  stockState: 'in_stock',
  onHand: 8,
  available: 8,
};

export type ListItem = ChannelOutput<'catalog:list'>['items'][number];

export const listItem = (n: number, over: Partial<ListItem> = {}): ListItem => ({
  id: `01890000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  name: `Product ${n}`,
  slug: `product-${n}`,
  status: 'active',
  variantCount: 1,
  priceMinCents: 1000 + n,
  priceMaxCents: 1000 + n,
  onHand: 10,
  available: 10,
  stockState: 'in_stock',
  currency: 'USD',
  updatedAt: null,
  version: 1,
  ...over,
});

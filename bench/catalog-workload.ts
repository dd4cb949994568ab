/** The requests the catalog benchmark makes; shared by the HTTP load and the direct floor. */
export interface Workload {
  slugs: string[];
  categories: string[];
}

// Whole words, prefixes and typos, as shoppers type them.
const QUERIES = [
  'hoodie',
  'organic cotton',
  'espresso',
  'backpack',
  'walnut',
  'head',
  'tee',
  'cofee',
  'linnen',
  'trail tent',
  'merino',
  'stove',
];
const SORTS = ['price_asc', 'price_desc', 'newest', 'rating', 'bestselling'];

export interface Scenario {
  name: string;
  path: (w: Workload, i: number) => string;
}

export const SCENARIOS: Scenario[] = [
  { name: 'search', path: (_w, i) => `/api/v1/products?q=${encodeURIComponent(QUERIES[i % QUERIES.length]!)}` },
  {
    name: 'category browse',
    path: (w, i) =>
      `/api/v1/products?category=${w.categories[i % w.categories.length]}&sort=${SORTS[i % SORTS.length]}&page=${1 + (i % 3)}`,
  },
  { name: 'product page', path: (w, i) => `/api/v1/products/${w.slugs[i % w.slugs.length]}` },
];

import { beforeEach, describe, expect, it } from 'vitest';
import type { Category } from '../../../../shared/api/catalog.schemas.js';
import { categoryOptions, categoryTree } from './category-tree.js';
import { countLabel, priceRangeLabel } from './format.js';
import { nextSort, parseSort, resetProductsView, useProductsView } from './products-view.js';
import { sortHits } from './sort-hits.js';
import type { SearchHit } from './use-product-search.js';

const cat = (id: string, name: string, parentId: string | null, position: number): Category => ({
  id,
  name,
  parentId,
  position,
  slug: name.toLowerCase(),
  description: '',
  version: 1,
});

const hit = (name: string, priceMinCents: number | null, available: number, stockState: SearchHit['stockState']) =>
  ({
    id: name,
    name,
    slug: name,
    status: 'active',
    variantCount: 1,
    priceMinCents,
    priceMaxCents: priceMinCents,
    onHand: available,
    available,
    stockState,
    currency: 'USD',
    updatedAt: null,
    version: 1,
    score: 0,
  }) satisfies SearchHit;

beforeEach(resetProductsView);

describe('product list sorting', () => {
  it('starts each column in its natural direction and flips on a second click', () => {
    expect(nextSort('name', 'name')).toBe('-name');
    expect(nextSort('-name', 'name')).toBe('name');
    expect(nextSort('name', 'updated')).toBe('-updated');
    expect(nextSort('name', 'price')).toBe('price');
    expect(nextSort(null, 'available')).toBe('available');
    expect(parseSort('-price')).toEqual({ key: 'price', direction: 'desc' });
  });

  it('sorts the list while browsing, and the results (separately) while searching', () => {
    const view = useProductsView.getState();
    view.sortBy('price');
    expect(useProductsView.getState().sort).toBe('price');
    view.setQuery('mug');
    view.sortBy('name');
    expect(useProductsView.getState()).toMatchObject({ sort: 'price', searchSort: 'name' });
    // Clearing the search returns to relevance next time.
    view.setQuery('');
    expect(useProductsView.getState().searchSort).toBeNull();
  });

  it('filters search results by stock and sorts them by a clicked column, unpriced last', () => {
    const hits = [hit('b', 500, 3, 'in_stock'), hit('a', null, 0, 'out_of_stock'), hit('c', 100, 1, 'low_stock')];
    expect(sortHits(hits, '', null).map((h) => h.name)).toEqual(['b', 'a', 'c']);
    expect(sortHits(hits, '', 'price').map((h) => h.name)).toEqual(['c', 'b', 'a']);
    expect(sortHits(hits, '', '-price').map((h) => h.name)).toEqual(['b', 'c', 'a']);
    expect(sortHits(hits, 'low_stock', 'name').map((h) => h.name)).toEqual(['c']);
  });
});

describe('category tree', () => {
  it('puts children under their parents, by position, indented, with orphans at the top', () => {
    const tree = categoryTree([
      cat('k', 'Kitchen', 'h', 5),
      cat('h', 'Home', null, 4),
      cat('c', 'Clothing', null, 0),
      cat('t', 'T-Shirts', 'c', 1),
      cat('o', 'Orphan', 'missing', 9),
    ]);
    expect(tree.map((e) => [e.name, e.depth])).toEqual([
      ['Clothing', 0],
      ['T-Shirts', 1],
      ['Home', 0],
      ['Kitchen', 1],
      ['Orphan', 0],
    ]);
    expect(tree[3]?.path).toBe('Home › Kitchen');
    const options = categoryOptions(tree, 'All categories');
    expect(options[0]).toEqual({ value: '', label: 'All categories' });
    expect(options[2]?.label).toBe('\u00a0\u00a0\u00a0\u00a0T-Shirts');
  });
});

describe('list formatting', () => {
  it('shows a capped total as 1,000+ and a price range', () => {
    expect(countLabel(1000, true)).toBe('1,000+');
    expect(countLabel(200, false)).toBe('200');
    expect(priceRangeLabel(1999, 1999)).toBe('$19.99');
    expect(priceRangeLabel(1000, 2500)).toBe('$10.00 – $25.00');
    expect(priceRangeLabel(null, null)).toBe('—');
  });
});

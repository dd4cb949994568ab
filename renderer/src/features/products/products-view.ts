/**
 * The products screen's view state (search text, filters, sort) in a store, so going into a product
 * and back finds the list as it was left.
 */
import { create } from 'zustand';
import type { PRODUCT_SORTS, STOCK_STATES } from '../../../../shared/contract/backoffice.js';
import type { PRODUCT_STATUSES } from '../../../../shared/api/catalog.schemas.js';

export type ProductSort = (typeof PRODUCT_SORTS)[number];
export type SortKey = 'name' | 'price' | 'available' | 'updated';
export type StatusFilter = '' | (typeof PRODUCT_STATUSES)[number];
export type StockFilter = '' | (typeof STOCK_STATES)[number];

/** The first click on a column sorts the way people usually want it: A→Z, cheapest, scarcest, newest. */
const FIRST_DIRECTION: Record<SortKey, 'asc' | 'desc'> = {
  name: 'asc',
  price: 'asc',
  available: 'asc',
  updated: 'desc',
};

export const sortOf = (key: SortKey, direction: 'asc' | 'desc'): ProductSort => (direction === 'asc' ? key : `-${key}`);

export function parseSort(sort: ProductSort): { key: SortKey; direction: 'asc' | 'desc' } {
  return sort.startsWith('-')
    ? { key: sort.slice(1) as SortKey, direction: 'desc' }
    : { key: sort as SortKey, direction: 'asc' };
}

/** Clicking the sorted column flips it; another column starts in its natural direction. */
export function nextSort(current: ProductSort | null, key: SortKey): ProductSort {
  const now = current === null ? null : parseSort(current);
  if (now?.key === key) return sortOf(key, now.direction === 'asc' ? 'desc' : 'asc');
  return sortOf(key, FIRST_DIRECTION[key]);
}

export interface ProductsViewState {
  query: string;
  categoryId: string;
  status: StatusFilter;
  stockState: StockFilter;
  sort: ProductSort;
  /** While searching, results come by relevance unless a column was clicked (then sorted here). */
  searchSort: ProductSort | null;
  setQuery: (query: string) => void;
  setCategory: (categoryId: string) => void;
  setStatus: (status: StatusFilter) => void;
  setStockState: (stockState: StockFilter) => void;
  sortBy: (key: SortKey) => void;
  clearFilters: () => void;
}

const INITIAL = { query: '', categoryId: '', status: '', stockState: '', sort: 'name', searchSort: null } as const;

export const useProductsView = create<ProductsViewState>()((set) => ({
  ...INITIAL,
  // A cleared search goes back to the list's own sort.
  setQuery: (query) => set((s) => ({ query, searchSort: query.trim() ? s.searchSort : null })),
  setCategory: (categoryId) => set({ categoryId }),
  setStatus: (status) => set({ status }),
  setStockState: (stockState) => set({ stockState }),
  sortBy: (key) =>
    set((s) => (s.query.trim() ? { searchSort: nextSort(s.searchSort, key) } : { sort: nextSort(s.sort, key) })),
  clearFilters: () => set({ categoryId: '', status: '', stockState: '' }),
}));

export const resetProductsView = (): void => useProductsView.setState(INITIAL);

export const hasFilters = (s: Pick<ProductsViewState, 'categoryId' | 'status' | 'stockState'>): boolean =>
  s.categoryId !== '' || s.status !== '' || s.stockState !== '';

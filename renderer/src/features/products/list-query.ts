/**
 * What the products list asks the host for: its filter (from the view) and its page size. Apart
 * from the screen so that start-up (boot.ts) can ask for the first page without loading the screen.
 */
import { prefetch } from '../../lib/prefetch.js';
import { type ProductsViewState, useProductsView } from './products-view.js';

export const PAGE_SIZE = 200;

export function listFilter(view: Pick<ProductsViewState, 'sort' | 'categoryId' | 'status' | 'stockState'>) {
  return {
    sort: view.sort,
    ...(view.categoryId ? { categoryId: view.categoryId } : {}),
    ...(view.status ? { status: view.status } : {}),
    ...(view.stockState ? { stockState: view.stockState } : {}),
  };
}

/** When the app opens on the list: its first page, asked for while the session is checked (lib/prefetch.ts). */
export function preloadProducts(): Promise<void> {
  return prefetch('catalog:list', { ...listFilter(useProductsView.getState()), limit: PAGE_SIZE, offset: 0 });
}

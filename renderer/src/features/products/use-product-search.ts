/**
 * Search as you type over the local catalog (catalog:search, FTS5 on the host). The search box
 * calls setSearchText from its change handler, so the request leaves with the key (no debounce:
 * the host answers in a few milliseconds); the answer lands in this store, and only then does the
 * products screen render. Typing itself renders nothing but the box, so the browser is free to
 * take the answer the moment it arrives. An answer that arrives after a newer one is dropped, and
 * the last results stay on screen until the next ones arrive, so typing never flickers to an
 * empty table.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { call } from '../../lib/api.js';
import { useDataVersion } from '../../lib/stores/data-version.js';
import { type StatusFilter, useProductsView } from './products-view.js';

export type SearchHit = ChannelOutput<'catalog:search'>['items'][number];

/** The host's largest search page. */
export const SEARCH_LIMIT = 100;

export interface ProductSearch {
  /** The text last sent to the host ('' when there is nothing to search for). */
  asked: string;
  /** The latest results; null before the first answer for this search. */
  hits: SearchHit[] | null;
  /** The text those hits (or that error) answer: lags `asked` while a search is on its way. */
  answered: string;
  error: unknown;
}

const IDLE: ProductSearch = { asked: '', hits: null, answered: '', error: undefined };

export const useProductSearch = create<ProductSearch>()(() => IDLE);

export const resetProductSearch = (): void => useProductSearch.setState(IDLE);

/** A search is on its way (the box shows a spinner if it takes long). */
export const isSearchPending = (s: ProductSearch): boolean => s.asked !== '' && s.asked !== s.answered;

let latest = 0;

/** Asks the host for `text`'s matches; '' drops the search (the screen shows the list again). */
export function runSearch(text: string, status: StatusFilter): void {
  const q = text.trim();
  const request = ++latest;
  if (!q) return useProductSearch.setState(IDLE);
  useProductSearch.setState({ asked: q });
  call('catalog:search', { q, limit: SEARCH_LIMIT, ...(status ? { status } : {}) }).then(
    (answer) => {
      if (request === latest) useProductSearch.setState({ hits: answer.items, answered: q, error: undefined });
    },
    (error: unknown) => {
      if (request === latest) useProductSearch.setState((s) => ({ hits: s.hits ?? [], answered: q, error }));
    },
  );
}

/** The search box's text changed: keep it in the view, and search when the words changed. */
export function setSearchText(text: string): void {
  const view = useProductsView.getState();
  const changed = text.trim() !== view.query.trim();
  view.setQuery(text);
  if (changed) runSearch(text, view.status);
}

/**
 * While the screen is open, searches again when the status filter changes or the host says the
 * catalog changed, and when the screen opens with a search in the box (coming back from a product).
 */
export function useSearchRefresh(status: StatusFilter, tables: readonly string[]): void {
  const version = useDataVersion(tables);
  useEffect(() => {
    const { query } = useProductsView.getState();
    if (query.trim()) runSearch(query, status);
  }, [status, version]);
}

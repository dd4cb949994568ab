/**
 * Search as you type over the local catalog (catalog:search, FTS5 on the host). Each keystroke is
 * sent at once, before the browser paints (no debounce: the host answers in a few milliseconds, and
 * measured in the browser a one-frame wait cost as much as the search itself); an answer that
 * arrives after a newer one is dropped, and the last results stay on screen until the next ones
 * arrive, so typing never flickers to an empty table.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { call } from '../../lib/api.js';
import { prefetch, takePrefetched } from '../../lib/prefetch.js';
import { useDataVersion } from '../../lib/stores/data-version.js';
import type { StatusFilter } from './products-view.js';

export type SearchHit = ChannelOutput<'catalog:search'>['items'][number];

/** The host's largest search page. */
export const SEARCH_LIMIT = 100;

export interface ProductSearch {
  /** Null when there is nothing to search for. */
  hits: SearchHit[] | null;
  /** The text those hits answer (may lag the typed text by a frame). */
  answered: string;
  pending: boolean;
  error: unknown;
}

const IDLE: ProductSearch = { hits: null, answered: '', pending: false, error: undefined };

export function useProductSearch(text: string, status: StatusFilter, tables: readonly string[]): ProductSearch {
  const q = text.trim();
  const version = useDataVersion(tables);
  const [state, setState] = useState<ProductSearch>(IDLE);
  const latest = useRef(0);

  // A layout effect: the request leaves in the same task as the keystroke, not after a paint.
  useLayoutEffect(() => {
    const request = ++latest.current;
    if (!q) {
      setState(IDLE);
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const input = searchInput(q, status);
    (takePrefetched('catalog:search', input)?.answer ?? call('catalog:search', input)).then(
      (answer) => {
        if (request === latest.current) setState({ hits: answer.items, answered: q, pending: false, error: undefined });
      },
      (error: unknown) => {
        if (request === latest.current) setState((s) => ({ ...s, pending: false, error }));
      },
    );
  }, [q, status, version]);

  return state;
}

const searchInput = (q: string, status: StatusFilter) => ({ q, limit: SEARCH_LIMIT, ...(status ? { status } : {}) });

/**
 * Called by the search box as the text changes, before React renders it: the request leaves
 * with the key rather than after the screen's render, and the hook above takes its answer.
 */
export function searchAhead(text: string, status: StatusFilter, previous: string): void {
  const q = text.trim();
  if (q && q !== previous.trim()) void prefetch('catalog:search', searchInput(q, status));
}

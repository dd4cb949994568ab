/**
 * The catalog as one virtualized table that stays smooth at 100k products: pages of 200 come from
 * the host as the user scrolls (loaded pages are kept), sorted by the clicked column and filtered by
 * category, status and stock. Typing in the search box replaces the list with the host's ranked
 * matches at once; Esc brings the list back. Enter or a double click opens the editor.
 */
import { useCallback, useEffect, useMemo } from 'react';
import { useLocation } from 'wouter';
import { useShallow } from 'zustand/react/shallow';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { DataTable } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Page } from '../../components/Page.js';
import { errorMessage } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { useChannel } from '../../lib/use-channel.js';
import { usePagedList } from '../../lib/use-paged-list.js';
import { categoryTree } from './category-tree.js';
import { countLabel } from './format.js';
import { PRODUCT_COLUMNS, type ProductRow } from './product-columns.js';
import './products.css';
import { ProductsToolbar } from './ProductsToolbar.js';
import { listFilter, PAGE_SIZE } from './list-query.js';
import { hasFilters, parseSort, type SortKey, useProductsView } from './products-view.js';
import { sortHits } from './sort-hits.js';
import { SEARCH_LIMIT, setSearchText, useProductSearch, useSearchRefresh } from './use-product-search.js';

/** Tables whose changes can alter what the list shows. */
export const PRODUCT_TABLES = ['products', 'variants', 'stock_levels'] as const;
/** Placeholder rows before the first page answers: the table keeps its shape instead of flashing empty. */
const SKELETON_ROWS = 12;

export function ProductsScreen() {
  const [, navigate] = useLocation();
  // Not the search text: typing renders the search box alone, and this screen when results arrive.
  const view = useProductsView(
    useShallow(({ categoryId, status, stockState, sort, searchSort, sortBy }) => ({
      categoryId,
      status,
      stockState,
      sort,
      searchSort,
      sortBy,
    })),
  );
  const categories = useChannel('categories:list', {}, { tables: ['categories'] });
  const tree = useMemo(() => categoryTree(categories.data?.items ?? []), [categories.data]);

  const list = usePagedList('catalog:list', listFilter(view), { pageSize: PAGE_SIZE, tables: PRODUCT_TABLES });
  const search = useProductSearch(useShallow(({ hits, answered, error }) => ({ hits, answered, error })));
  useSearchRefresh(view.status, PRODUCT_TABLES);
  const searching = search.hits !== null;
  const hits = useMemo(
    () => (search.hits ? sortHits(search.hits, view.stockState, view.searchSort) : []),
    [search.hits, view.stockState, view.searchSort],
  );

  const open = useCallback((row: ProductRow) => navigate(`/products/${row.id}`), [navigate]);
  const openNew = useCallback(() => navigate('/products/new'), [navigate]);
  useNewProductKey(openNew);

  const loading = !searching && list.total === undefined && list.error === undefined;
  const rowCount = searching ? hits.length : loading ? SKELETON_ROWS : list.rowCount;
  const getRow = searching ? (i: number) => hits[i] : loading ? () => undefined : list.getRow;
  const sort = searching ? view.searchSort : view.sort;
  const error = searching ? search.error : list.error;

  return (
    <Page
      title="Products"
      subtitle={subtitle(searching, hits.length, search.answered, list.total, list.totalCapped)}
      fill
      actions={
        <Button variant="primary" onClick={openNew} title="New product (N)">
          New product
        </Button>
      }
    >
      <ProductsToolbar
        categories={tree}
        searching={searching}
        onOpenFirst={() => {
          const first = getRow(0);
          if (first) open(first);
        }}
        onEnterTable={() => document.querySelector<HTMLElement>('.products-table [role="grid"]')?.focus()}
      />
      {error !== undefined && (
        <Banner tone="danger">
          {errorMessage(error)}{' '}
          {!searching && (
            <Button size="sm" onClick={list.reload}>
              Try again
            </Button>
          )}
        </Banner>
      )}
      <div className="products-table">
        <DataTable
          label="Products"
          columns={PRODUCT_COLUMNS}
          rowCount={rowCount}
          getRow={getRow}
          onRangeChange={searching ? undefined : list.onRangeChange}
          onActivate={open}
          sort={sort ? parseSort(sort) : undefined}
          onSort={(key) => view.sortBy(key as SortKey)}
          empty={
            // A failed search says so in the banner above, not as "no matches".
            error === undefined && <ProductsEmpty searching={searching} query={search.answered} onNew={openNew} />
          }
        />
      </div>
    </Page>
  );
}

function subtitle(searching: boolean, hits: number, query: string, total: number | undefined, capped: boolean) {
  if (searching) {
    const count =
      hits >= SEARCH_LIMIT ? `Top ${SEARCH_LIMIT} matches` : `${formatCount(hits)} ${hits === 1 ? 'match' : 'matches'}`;
    return `${count} for “${query}”`;
  }
  if (total === undefined) return '\u00a0';
  return `${countLabel(total, capped)} ${total === 1 ? 'product' : 'products'}`;
}

function ProductsEmpty({ searching, query, onNew }: { searching: boolean; query: string; onNew: () => void }) {
  const view = useProductsView();
  if (searching)
    return (
      <EmptyState
        title={`No products match “${query}”`}
        action={<Button onClick={() => setSearchText('')}>Clear search</Button>}
      >
        Try fewer words, part of a word, or a SKU.
      </EmptyState>
    );
  if (hasFilters(view))
    return (
      <EmptyState
        title="No products match these filters"
        action={<Button onClick={view.clearFilters}>Clear filters</Button>}
      >
        Change or clear the filters to see more of the catalog.
      </EmptyState>
    );
  return (
    <EmptyState
      title="No products yet"
      action={
        <Button variant="primary" onClick={onNew}>
          New product
        </Button>
      }
    >
      Products appear here once the first sync has downloaded the catalog, or when you create one.
    </EmptyState>
  );
}

/** "N" anywhere on the screen (outside a field, no dialog open) starts a new product. */
function useNewProductKey(openNew: () => void) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'n' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (
        target?.closest('input, textarea, select, [contenteditable="true"]') ||
        document.querySelector('dialog[open]')
      )
        return;
      event.preventDefault();
      openNew();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openNew]);
}

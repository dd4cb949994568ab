/**
 * Search box and filters above the products table. The search box is the screen's "/" target;
 * Esc clears it, ↓ moves into the table, Enter opens the best match.
 */
import { type KeyboardEvent, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Button } from '../../components/Button.js';
import { Select } from '../../components/Select.js';
import { Spinner } from '../../components/Spinner.js';
import { type CategoryEntry, categoryOptions } from './category-tree.js';
import { hasFilters, type StatusFilter, type StockFilter, useProductsView } from './products-view.js';
import { isSearchPending, setSearchText, useProductSearch } from './use-product-search.js';

const STATUS_OPTIONS: { value: StatusFilter; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'active', label: 'Active' },
  { value: 'draft', label: 'Draft' },
  { value: 'archived', label: 'Archived' },
];

const STOCK_OPTIONS: { value: StockFilter; label: string }[] = [
  { value: '', label: 'Any stock' },
  { value: 'in_stock', label: 'In stock' },
  { value: 'low_stock', label: 'Low stock' },
  { value: 'out_of_stock', label: 'Out of stock' },
];

export interface ProductsToolbarProps {
  categories: readonly CategoryEntry[];
  searching: boolean;
  /** Enter in the search box. */
  onOpenFirst: () => void;
  /** ↓ in the search box. */
  onEnterTable: () => void;
}

/** A search answers within a frame or two; only a slow one shows the spinner (a flash per key would cost a repaint each). */
export const SPINNER_DELAY_MS = 150;

export function ProductsToolbar({ categories, searching, onOpenFirst, onEnterTable }: ProductsToolbarProps) {
  const view = useProductsView(
    useShallow(({ categoryId, status, stockState, setCategory, setStatus, setStockState, clearFilters }) => ({
      categoryId,
      status,
      stockState,
      setCategory,
      setStatus,
      setStockState,
      clearFilters,
    })),
  );
  const categoryChoices = useMemo(() => categoryOptions(categories, 'All categories'), [categories]);
  return (
    <div className="products-toolbar" role="search">
      <SearchBox onOpenFirst={onOpenFirst} onEnterTable={onEnterTable} />
      <Select
        label="Category"
        className="toolbar-field"
        value={view.categoryId}
        options={categoryChoices}
        onChange={view.setCategory}
        disabled={searching}
        title={searching ? 'Search covers every category' : undefined}
      />
      <Select
        label="Status"
        className="toolbar-field"
        value={view.status}
        options={STATUS_OPTIONS}
        onChange={view.setStatus}
      />
      <Select
        label="Stock"
        className="toolbar-field"
        value={view.stockState}
        options={STOCK_OPTIONS}
        onChange={view.setStockState}
      />
      {hasFilters(view) && (
        <Button variant="ghost" onClick={view.clearFilters}>
          Clear filters
        </Button>
      )}
    </div>
  );
}

/** The only part of the screen that renders as you type. */
function SearchBox({ onOpenFirst, onEnterTable }: Pick<ProductsToolbarProps, 'onOpenFirst' | 'onEnterTable'>) {
  const query = useProductsView((s) => s.query);
  const slow = useDelayed(useProductSearch(isSearchPending), SPINNER_DELAY_MS);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && query) {
      event.preventDefault();
      setSearchText('');
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      onEnterTable();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onOpenFirst();
    }
  };
  return (
    <div className="products-search">
      <svg className="products-search-icon" viewBox="0 0 24 24" width="15" height="15" aria-hidden>
        <path
          d="M10.5 18a7.5 7.5 0 1 1 5.3-2.2L21 21"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
        />
      </svg>
      <input
        type="search"
        className="input products-search-input"
        placeholder="Search by name, SKU, tag or description"
        aria-label="Search products"
        data-search
        value={query}
        onChange={(e) => setSearchText(e.target.value)}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
      />
      {slow ? <Spinner size={12} /> : !query && <kbd aria-hidden>/</kbd>}
    </div>
  );
}

/** True once `on` has stayed true for `ms`; false as soon as it is false. */
function useDelayed(on: boolean, ms: number): boolean {
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (!on) return setLate(false);
    const timer = setTimeout(() => setLate(true), ms);
    return () => clearTimeout(timer);
  }, [on, ms]);
  return on && late;
}

/**
 * Search box and filters above the products table. The search box is the screen's "/" target;
 * Esc clears it, ↓ moves into the table, Enter opens the best match.
 */
import type { KeyboardEvent } from 'react';
import { Button } from '../../components/Button.js';
import { Select } from '../../components/Select.js';
import { Spinner } from '../../components/Spinner.js';
import { type CategoryEntry, categoryOptions } from './category-tree.js';
import { hasFilters, type StatusFilter, type StockFilter, useProductsView } from './products-view.js';
import { searchAhead } from './use-product-search.js';

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
  searchPending: boolean;
  /** Enter in the search box. */
  onOpenFirst: () => void;
  /** ↓ in the search box. */
  onEnterTable: () => void;
}

export function ProductsToolbar({
  categories,
  searching,
  searchPending,
  onOpenFirst,
  onEnterTable,
}: ProductsToolbarProps) {
  const view = useProductsView();
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && view.query) {
      event.preventDefault();
      view.setQuery('');
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      onEnterTable();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onOpenFirst();
    }
  };
  return (
    <div className="products-toolbar" role="search">
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
          value={view.query}
          onChange={(e) => {
            searchAhead(e.target.value, view.status, view.query);
            view.setQuery(e.target.value);
          }}
          onKeyDown={onKeyDown}
          autoComplete="off"
          spellCheck={false}
        />
        {searchPending ? <Spinner size={12} /> : !view.query && <kbd aria-hidden>/</kbd>}
      </div>
      <Select
        label="Category"
        className="toolbar-field"
        value={view.categoryId}
        options={categoryOptions(categories, 'All categories')}
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

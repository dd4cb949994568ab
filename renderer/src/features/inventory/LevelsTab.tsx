/** Stock per variant (stock:levels): search by SKU or product, then adjust, count or open the history. */
import { useState } from 'react';
import { useLocation } from 'wouter';
import { Badge } from '../../components/Badge.js';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { TextField } from '../../components/TextField.js';
import { errorMessage } from '../../lib/api.js';
import { formatCount } from '../../lib/format.js';
import { countLabel } from '../../lib/saved.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { useDialogState } from '../../lib/use-dialog-state.js';
import { usePagedList } from '../../lib/use-paged-list.js';
import { AdjustDialog } from './AdjustDialog.js';
import { CountDialog } from './CountDialog.js';
import { useInventoryStore } from './inventory-store.js';
import { STOCK_TABLES, type StockRow } from './VariantSummary.js';

export function LevelBadge({ available, threshold }: { available: number; threshold: number }) {
  if (available < 0) return <Badge tone="danger">Oversold</Badge>;
  if (available === 0) return <Badge tone="danger">Out</Badge>;
  if (available <= threshold) return <Badge tone="warning">Low</Badge>;
  return null;
}

export const levelColumns: Column<StockRow>[] = [
  { key: 'sku', header: 'SKU', width: 'minmax(120px, 1fr)', render: (r) => <span className="mono">{r.sku}</span> },
  {
    key: 'product',
    header: 'Product',
    width: 'minmax(200px, 3fr)',
    render: (r) => (
      <span className="cell-stack">
        <span>{r.productName}</span>
        {r.title && r.title !== 'Default' && <span className="cell-sub">{r.title}</span>}
      </span>
    ),
  },
  { key: 'onHand', header: 'On hand', width: '96px', align: 'end', render: (r) => formatCount(r.onHand) },
  {
    key: 'reserved',
    header: 'Reserved',
    width: '96px',
    align: 'end',
    render: (r) => <span className={r.reserved ? '' : 'muted'}>{formatCount(r.reserved)}</span>,
  },
  {
    key: 'available',
    header: 'Available',
    width: '150px',
    align: 'end',
    render: (r) => (
      <span className="level-cell">
        <LevelBadge available={r.available} threshold={r.lowStockThreshold} />
        <span className={r.available < 0 ? 'negative strong' : 'strong'}>{formatCount(r.available)}</span>
      </span>
    ),
  },
  {
    key: 'threshold',
    header: 'Low at',
    width: '80px',
    align: 'end',
    render: (r) => <span className="muted">{formatCount(r.lowStockThreshold)}</span>,
  },
];

type Dialog = { kind: 'adjust' | 'count'; row: StockRow };

export function LevelsTab() {
  const { search, setSearch, setVariant } = useInventoryStore();
  const q = useDebounced(search.trim());
  const list = usePagedList('stock:levels', q ? { q } : {}, { tables: STOCK_TABLES, pageSize: 100 });
  const [active, setActive] = useState(-1);
  const dialog = useDialogState<Dialog>();
  const [, navigate] = useLocation();
  const row = active >= 0 ? list.getRow(active) : undefined;

  const history = (r: StockRow) => {
    setVariant({ id: r.variantId, sku: r.sku, productName: r.productName });
    navigate('/inventory/movements');
  };
  const count = countLabel(list.total, list.totalCapped, 'variant', 'variants');

  return (
    <div className="fill-panel">
      <div className="toolbar">
        <TextField
          className="toolbar-search"
          label="Search"
          type="search"
          value={search}
          onChange={(value) => {
            setSearch(value);
            setActive(-1);
          }}
          placeholder="SKU or product name  ( / )"
          data-search
          onKeyDown={(event) => event.key === 'Escape' && search && setSearch('')}
        />
        <span className="toolbar-meta" aria-live="polite">
          {count}
        </span>
        <span className="toolbar-spacer" />
        <Button disabled={!row} onClick={() => row && dialog.open({ kind: 'adjust', row })}>
          Adjust…
        </Button>
        <Button disabled={!row} onClick={() => row && dialog.open({ kind: 'count', row })}>
          Count…
        </Button>
        <Button variant="ghost" disabled={!row} onClick={() => row && history(row)}>
          History
        </Button>
      </div>
      {list.error !== undefined && <Banner tone="danger">{errorMessage(list.error)}</Banner>}
      <DataTable
        label="Stock levels"
        columns={levelColumns}
        rowCount={list.rowCount}
        getRow={list.getRow}
        rowKey={(r) => r.variantId}
        onRangeChange={list.onRangeChange}
        activeIndex={active}
        onActiveIndexChange={setActive}
        onActivate={(r) => dialog.open({ kind: 'adjust', row: r })}
        rowHeight={40}
        empty={
          list.total === 0 ? (
            <EmptyState title={q ? 'No variant matches' : 'No stock yet'}>
              {q
                ? `Nothing has a SKU or product name like “${q}”.`
                : 'Variants appear here once the catalog has synced.'}
            </EmptyState>
          ) : undefined
        }
      />
      <p className="keys-hint">
        <kbd>↑</kbd> <kbd>↓</kbd> pick a variant · <kbd>Enter</kbd> adjust · <kbd>/</kbd> search
      </p>
      {dialog.value?.kind === 'adjust' && <AdjustDialog variant={dialog.value.row} onClose={dialog.close} />}
      {dialog.value?.kind === 'count' && <CountDialog variant={dialog.value.row} onClose={dialog.close} />}
    </div>
  );
}

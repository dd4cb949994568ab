/** Variants at or below their low-stock threshold, emptiest first (stock:lowStock): what to reorder or recount. */
import { useState } from 'react';
import { Banner } from '../../components/Banner.js';
import { Button } from '../../components/Button.js';
import { DataTable } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { errorMessage } from '../../lib/api.js';
import { countLabel } from '../../lib/saved.js';
import { useDialogState } from '../../lib/use-dialog-state.js';
import { usePagedList } from '../../lib/use-paged-list.js';
import { AdjustDialog } from './AdjustDialog.js';
import { CountDialog } from './CountDialog.js';
import { levelColumns } from './LevelsTab.js';
import { STOCK_TABLES, type StockRow } from './VariantSummary.js';

export function LowStockTab() {
  const list = usePagedList('stock:lowStock', {}, { tables: STOCK_TABLES, pageSize: 100 });
  const [active, setActive] = useState(-1);
  const dialog = useDialogState<{ kind: 'adjust' | 'count'; row: StockRow }>();
  const row = active >= 0 ? list.getRow(active) : undefined;

  return (
    <div className="fill-panel">
      <div className="toolbar">
        <p className="toolbar-meta">
          {list.total === undefined
            ? 'Loading…'
            : `${countLabel(list.total, list.totalCapped, 'variant is', 'variants are')} at or below their “low at” level (archived products left out)`}
        </p>
        <span className="toolbar-spacer" />
        <Button disabled={!row} onClick={() => row && dialog.open({ kind: 'adjust', row })}>
          Adjust…
        </Button>
        <Button disabled={!row} onClick={() => row && dialog.open({ kind: 'count', row })}>
          Count…
        </Button>
      </div>
      {list.error !== undefined && <Banner tone="danger">{errorMessage(list.error)}</Banner>}
      <DataTable
        label="Low stock"
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
            <EmptyState title="Nothing is running low" icon="✓">
              Every variant has more available than its low-stock level.
            </EmptyState>
          ) : undefined
        }
      />
      {dialog.value?.kind === 'adjust' && <AdjustDialog variant={dialog.value.row} onClose={dialog.close} />}
      {dialog.value?.kind === 'count' && <CountDialog variant={dialog.value.row} onClose={dialog.close} />}
    </div>
  );
}

/** The stock ledger (stock:movements), newest first, filtered by variant, kind and dates; paged as it scrolls. */
import { useState } from 'react';
import { MOVEMENT_KINDS } from '../../../../shared/api/catalog.schemas.js';
import { Banner } from '../../components/Banner.js';
import { DataTable } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Select } from '../../components/Select.js';
import { TextField } from '../../components/TextField.js';
import { call, errorMessage } from '../../lib/api.js';
import { rangeError, rangeInput } from '../../lib/date-range.js';
import { countLabel } from '../../lib/saved.js';
import { usePagedList } from '../../lib/use-paged-list.js';
import { useInventoryStore } from './inventory-store.js';
import { KIND_LABELS, movementColumns } from './movement-columns.js';

const KIND_OPTIONS = [
  { value: '' as const, label: 'All kinds' },
  ...MOVEMENT_KINDS.map((value) => ({ value, label: KIND_LABELS[value] })),
];

export function MovementsTab() {
  const { variant, kind, range, setVariant, setKind, setRange } = useInventoryStore();
  const dateError = rangeError(range);
  // A backwards range is shown on its field and not asked for: the table keeps the last good answer.
  const [filter, setFilter] = useState(() => buildFilter(variant?.id, kind, range));
  const next = buildFilter(variant?.id, kind, range);
  if (!dateError && JSON.stringify(next) !== JSON.stringify(filter)) setFilter(next);
  const list = usePagedList('stock:movements', filter, { tables: ['stock_movements'], pageSize: 100 });
  const filtered = variant !== null || kind !== '' || range.from !== '' || range.to !== '';

  return (
    <div className="fill-panel">
      <div className="toolbar">
        {variant ? (
          <div className="field">
            <span className="field-label">Variant</span>
            <span className="toolbar-chip">
              <span className="mono">{variant.sku}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Show every variant, not only ${variant.sku}`}
                onClick={() => setVariant(null)}
              >
                ×
              </button>
            </span>
          </div>
        ) : (
          <SkuPicker />
        )}
        <Select label="Kind" value={kind} options={KIND_OPTIONS} onChange={setKind} />
        <TextField
          label="From"
          type="date"
          value={range.from}
          max={range.to || undefined}
          onChange={(from) => setRange({ ...range, from })}
          error={dateError ?? undefined}
        />
        <TextField label="To" type="date" value={range.to} onChange={(to) => setRange({ ...range, to })} />
        <span className="toolbar-spacer" />
        <span className="toolbar-meta">{countLabel(list.total, list.totalCapped, 'movement', 'movements')}</span>
      </div>
      {list.error !== undefined && <Banner tone="danger">{errorMessage(list.error)}</Banner>}
      <DataTable
        label="Stock movements"
        columns={movementColumns}
        rowCount={list.rowCount}
        getRow={list.getRow}
        rowKey={(r) => r.id}
        onRangeChange={list.onRangeChange}
        empty={
          list.total === 0 ? (
            <EmptyState title={filtered ? 'No movements match' : 'No movements yet'}>
              {filtered
                ? 'Try another kind or a wider date range.'
                : 'Receipts, sales, counts and adjustments appear here.'}
            </EmptyState>
          ) : undefined
        }
      />
      <p className="keys-hint">This device keeps the last 30 days of the ledger; older movements are on the server.</p>
    </div>
  );
}

function buildFilter(variantId: string | undefined, kind: string, range: { from: string; to: string }) {
  return {
    ...(variantId ? { variantId } : {}),
    ...(kind ? { kind: kind as (typeof MOVEMENT_KINDS)[number] } : {}),
    ...rangeInput(range),
  };
}

/** Type a SKU and press Enter to see only that variant's movements. */
function SkuPicker() {
  const setVariant = useInventoryStore((s) => s.setVariant);
  const [sku, setSku] = useState('');
  const [error, setError] = useState<string | undefined>();
  const pick = async () => {
    const wanted = sku.trim();
    if (!wanted) return setError('Type a SKU, then press Enter');
    try {
      const { items } = await call('stock:levels', { q: wanted, limit: 5 });
      const hit = items.find((i) => i.sku.toLowerCase() === wanted.toLowerCase());
      if (!hit) return setError(`No variant has the SKU “${wanted}”`);
      setVariant({ id: hit.variantId, sku: hit.sku, productName: hit.productName });
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  return (
    <TextField
      label="Variant"
      value={sku}
      placeholder="SKU, then Enter"
      error={error}
      onChange={(value) => {
        setSku(value);
        setError(undefined);
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Enter') return;
        event.preventDefault();
        void pick();
      }}
    />
  );
}

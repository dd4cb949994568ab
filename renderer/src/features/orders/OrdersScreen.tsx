/** Orders from the local cache (orders:list): status chips, search, dates; paged as it scrolls; Enter opens one. */
import { useState } from 'react';
import { useLocation } from 'wouter';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { Badge } from '../../components/Badge.js';
import { Banner } from '../../components/Banner.js';
import { type Column, DataTable } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Money } from '../../components/Money.js';
import { Page } from '../../components/Page.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { TextField } from '../../components/TextField.js';
import { errorMessage } from '../../lib/api.js';
import { rangeError } from '../../lib/date-range.js';
import { formatCount } from '../../lib/format.js';
import { countLabel } from '../../lib/saved.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { usePagedList } from '../../lib/use-paged-list.js';
import '../workspace.css';
import { STATUS_LABELS, STATUS_TONES, paymentBadge, shortNumber } from './order-status.js';
import './orders.css';
import { toInput, useOrdersStore } from './orders-store.js';
import { StatusFilter } from './StatusFilter.js';

type OrderRow = ChannelOutput<'orders:list'>['items'][number];
export const ORDER_TABLES = ['orders', 'order_items', 'customers'] as const;

const columns: Column<OrderRow>[] = [
  {
    key: 'number',
    header: 'Order',
    width: '130px',
    render: (r) => <span className="order-number">#{shortNumber(r.number)}</span>,
  },
  { key: 'date', header: 'Date', width: '130px', render: (r) => <RelativeTime at={r.createdAt} /> },
  {
    key: 'customer',
    header: 'Customer',
    width: 'minmax(200px, 3fr)',
    render: (r) => (
      <span className="cell-stack">
        <span>{r.customerName ?? r.email}</span>
        {r.customerName && <span className="cell-sub">{r.email}</span>}
      </span>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    width: '190px',
    render: (r) => (
      <span className="row">
        <Badge tone={STATUS_TONES[r.status]}>{STATUS_LABELS[r.status]}</Badge>
        {r.needsAttention && (
          <Badge tone="danger" title="Needs attention: open the order to see why">
            !
          </Badge>
        )}
      </span>
    ),
  },
  {
    key: 'payment',
    header: 'Payment',
    width: '120px',
    render: (r) => {
      const [label, tone] = paymentBadge(r.paymentStatus);
      return <Badge tone={tone}>{label}</Badge>;
    },
  },
  { key: 'items', header: 'Items', width: '70px', align: 'end', render: (r) => formatCount(r.itemCount) },
  {
    key: 'total',
    header: 'Total',
    width: '120px',
    align: 'end',
    render: (r) => <Money cents={r.totalCents} currency={r.currency} className="strong" />,
  },
];

export function OrdersScreen() {
  const filter = useOrdersStore();
  const q = useDebounced(filter.q);
  const dateError = rangeError(filter.range);
  // While the dates are backwards the list keeps the last good range (the error sits on the field).
  const [range, setRange] = useState(filter.range);
  if (!dateError && JSON.stringify(range) !== JSON.stringify(filter.range)) setRange(filter.range);
  const list = usePagedList('orders:list', toInput({ statuses: filter.statuses, q, range }), {
    tables: ORDER_TABLES,
    pageSize: 100,
  });
  const [, navigate] = useLocation();
  const filtered = filter.statuses.length > 0 || q.trim() !== '' || range.from !== '' || range.to !== '';
  const count = countLabel(list.total, list.totalCapped, 'order', 'orders');

  return (
    <Page title="Orders" subtitle={count || '\u00a0'} fill>
      <div className="toolbar">
        <TextField
          className="toolbar-search"
          label="Search"
          type="search"
          value={filter.q}
          onChange={(value) => filter.set({ q: value })}
          onKeyDown={(event) => event.key === 'Escape' && filter.q && filter.set({ q: '' })}
          placeholder="Order number, e-mail or name  ( / )"
          data-search
        />
        <TextField
          label="From"
          type="date"
          value={filter.range.from}
          onChange={(from) => filter.set({ range: { ...filter.range, from } })}
          error={dateError ?? undefined}
        />
        <TextField
          label="To"
          type="date"
          value={filter.range.to}
          onChange={(to) => filter.set({ range: { ...filter.range, to } })}
        />
      </div>
      <div className="toolbar">
        <StatusFilter value={filter.statuses} onChange={(statuses) => filter.set({ statuses })} />
      </div>
      {list.error !== undefined && <Banner tone="danger">{errorMessage(list.error)}</Banner>}
      <DataTable
        label="Orders"
        columns={columns}
        rowCount={list.rowCount}
        getRow={list.getRow}
        rowKey={(r) => r.id}
        onRangeChange={list.onRangeChange}
        onActivate={(r) => navigate(`/orders/${r.id}`)}
        rowHeight={44}
        empty={
          list.total === 0 ? (
            <EmptyState title={filtered ? 'No orders match' : 'No orders yet'}>
              {filtered
                ? 'Try other statuses, another search or a wider date range.'
                : 'Orders placed in the shop appear here as they sync.'}
            </EmptyState>
          ) : undefined
        }
      />
      <p className="keys-hint">
        <kbd>↑</kbd> <kbd>↓</kbd> pick · <kbd>Enter</kbd> or double click opens the order · <kbd>/</kbd> search
      </p>
    </Page>
  );
}

/** The table columns of each report: figures right-aligned, money through <Money>, states as badges. */
import type { ReportName, ReportRow } from '../../../../shared/contract/reports.js';
import { Badge } from '../../components/Badge.js';
import type { Column } from '../../components/DataTable.js';
import { Money } from '../../components/Money.js';
import { formatCount } from '../../lib/format.js';
import { formatDateTime } from '../../lib/time.js';
import { movementTone, orderStatusTone, paymentTone, periodLabel, shortDateTime, signed } from './report-format.js';
import { humanize } from './report-params.js';

type Columns<N extends ReportName> = Column<ReportRow<N>>[];
type GroupBy = 'day' | 'week' | 'month';

const count = (n: number) => formatCount(n);
const end = { align: 'end' } as const;
const signedCell = (n: number) => (
  <span className={n > 0 ? 'delta-in' : n < 0 ? 'delta-out' : 'muted'}>{signed(n)}</span>
);

export function salesColumns(groupBy: GroupBy): Columns<'sales'> {
  return [
    { key: 'period', header: 'Period', width: 'minmax(150px, 1.4fr)', render: (r) => periodLabel(r.period, groupBy) },
    { key: 'orders', header: 'Orders', ...end, render: (r) => count(r.orders) },
    {
      key: 'revenue',
      header: 'Revenue',
      ...end,
      render: (r) => <Money cents={r.revenueCents} currency={r.currency} />,
    },
    {
      key: 'refunds',
      header: 'Refunds',
      ...end,
      render: (r) => <Money cents={r.refundsCents} currency={r.currency} />,
    },
    {
      key: 'net',
      header: 'Net revenue',
      ...end,
      render: (r) => <Money cents={r.netRevenueCents} currency={r.currency} />,
    },
    {
      key: 'aov',
      header: 'Avg. order',
      ...end,
      render: (r) => <Money cents={r.averageOrderValueCents} currency={r.currency} />,
    },
    { key: 'cancelled', header: 'Cancelled', ...end, render: (r) => count(r.cancelledOrders) },
  ];
}

export const topProductColumns: Columns<'topProducts'> = [
  { key: 'rank', header: '#', width: '56px', ...end, render: (r) => <span className="muted">{r.rank}</span> },
  { key: 'name', header: 'Product', width: 'minmax(220px, 3fr)', render: (r) => r.name },
  { key: 'units', header: 'Units sold', ...end, render: (r) => count(r.unitsSold) },
  { key: 'orders', header: 'Orders', ...end, render: (r) => count(r.orders) },
  { key: 'revenue', header: 'Revenue', ...end, render: (r) => <Money cents={r.revenueCents} currency={r.currency} /> },
];

export const valuationColumns: Columns<'inventoryValuation'> = [
  { key: 'sku', header: 'SKU', width: 'minmax(120px, 1.2fr)', render: (r) => <span className="mono">{r.sku}</span> },
  { key: 'product', header: 'Product', width: 'minmax(180px, 2.4fr)', render: (r) => r.productName },
  { key: 'variant', header: 'Variant', render: (r) => r.title },
  { key: 'onHand', header: 'On hand', ...end, render: (r) => count(r.onHand) },
  {
    key: 'basis',
    header: 'Valued at',
    width: '100px',
    align: 'center',
    render: (r) =>
      r.basis === 'cost' ? (
        <Badge>Cost</Badge>
      ) : (
        <Badge tone="warning" title="No cost price: valued at its selling price">
          Price
        </Badge>
      ),
  },
  {
    key: 'unit',
    header: 'Unit value',
    ...end,
    render: (r) => <Money cents={r.unitValueCents} currency={r.currency} />,
  },
  { key: 'value', header: 'Value', ...end, render: (r) => <Money cents={r.valueCents} currency={r.currency} /> },
];

export const lowStockColumns: Columns<'lowStock'> = [
  { key: 'sku', header: 'SKU', width: 'minmax(120px, 1.2fr)', render: (r) => <span className="mono">{r.sku}</span> },
  { key: 'product', header: 'Product', width: 'minmax(180px, 2.4fr)', render: (r) => r.productName },
  { key: 'variant', header: 'Variant', render: (r) => r.title },
  {
    key: 'state',
    header: 'State',
    width: '120px',
    align: 'center',
    render: (r) => (r.available <= 0 ? <Badge tone="danger">Out of stock</Badge> : <Badge tone="warning">Low</Badge>),
  },
  { key: 'onHand', header: 'On hand', ...end, render: (r) => count(r.onHand) },
  { key: 'reserved', header: 'Reserved', ...end, render: (r) => count(r.reserved) },
  { key: 'available', header: 'Available', ...end, render: (r) => count(r.available) },
  { key: 'threshold', header: 'Threshold', ...end, render: (r) => count(r.lowStockThreshold) },
  { key: 'shortfall', header: 'Short by', ...end, render: (r) => count(r.shortfall) },
];

export const movementColumns: Columns<'movements'> = [
  { key: 'at', header: 'Time', width: 'minmax(150px, 1.1fr)', render: (r) => shortDateTime(r.createdAt) },
  { key: 'sku', header: 'SKU', width: 'minmax(110px, 1fr)', render: (r) => <span className="mono">{r.sku}</span> },
  { key: 'product', header: 'Product', width: 'minmax(160px, 2fr)', render: (r) => r.productName },
  {
    key: 'kind',
    header: 'Kind',
    width: '130px',
    render: (r) => <Badge tone={movementTone(r.kind)}>{humanize(r.kind)}</Badge>,
  },
  { key: 'delta', header: 'Change', width: '84px', ...end, render: (r) => signedCell(r.onHandDelta) },
  { key: 'reserved', header: 'Reserved', width: '90px', ...end, render: (r) => signedCell(r.reservedDelta) },
  { key: 'after', header: 'After', width: '70px', ...end, render: (r) => count(r.onHandAfter) },
  { key: 'location', header: 'Location', render: (r) => r.location },
  { key: 'reason', header: 'Reason', width: 'minmax(120px, 1.5fr)', render: (r) => r.reason || r.reference },
];

export const orderColumns: Columns<'orders'> = [
  {
    key: 'number',
    header: 'Order',
    width: 'minmax(100px, 1fr)',
    render: (r) => <strong title={r.number}>#{r.number.replace(/^#/, '')}</strong>,
  },
  {
    key: 'placed',
    header: 'Placed',
    width: 'minmax(140px, 1fr)',
    render: (r) => <span title={formatDateTime(r.createdAt)}>{shortDateTime(r.createdAt)}</span>,
  },
  {
    key: 'customer',
    header: 'Customer',
    width: 'minmax(180px, 2fr)',
    render: (r) => (
      <span title={r.email}>
        {r.customerName || r.email}
        {r.customerName && <span className="muted"> · {r.email}</span>}
      </span>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    width: '140px',
    render: (r) => <Badge tone={orderStatusTone(r.status)}>{humanize(r.status)}</Badge>,
  },
  {
    key: 'payment',
    header: 'Payment',
    width: '120px',
    render: (r) => <Badge tone={paymentTone(r.paymentStatus)}>{humanize(r.paymentStatus)}</Badge>,
  },
  { key: 'items', header: 'Items', width: '70px', ...end, render: (r) => count(r.items) },
  { key: 'total', header: 'Total', ...end, render: (r) => <Money cents={r.totalCents} currency={r.currency} /> },
  {
    key: 'refunded',
    header: 'Refunded',
    ...end,
    render: (r) =>
      r.refundedCents > 0 ? <Money cents={r.refundedCents} currency={r.currency} /> : <span className="muted">—</span>,
  },
];

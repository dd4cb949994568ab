/** The products table's columns: what each cell shows, its width, alignment and sort key. */
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import type { Column } from '../../components/DataTable.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { formatCount } from '../../lib/format.js';
import { priceRangeLabel } from './format.js';
import { useNotSynced } from './local-edits.js';

export type ProductRow = ChannelOutput<'catalog:list'>['items'][number];

const STATUS: Record<ProductRow['status'], { label: string; tone: BadgeTone }> = {
  active: { label: 'Active', tone: 'success' },
  draft: { label: 'Draft', tone: 'neutral' },
  archived: { label: 'Archived', tone: 'warning' },
};

const STOCK: Record<ProductRow['stockState'], { label: string; tone: BadgeTone }> = {
  in_stock: { label: 'In stock', tone: 'success' },
  low_stock: { label: 'Low stock', tone: 'warning' },
  out_of_stock: { label: 'Out of stock', tone: 'danger' },
};

export const StatusBadge = ({ status }: { status: ProductRow['status'] }) => (
  <Badge tone={STATUS[status].tone}>{STATUS[status].label}</Badge>
);

export const StockBadge = ({ state }: { state: ProductRow['stockState'] }) => (
  <Badge tone={STOCK[state].tone}>{STOCK[state].label}</Badge>
);

/** Shown beside a product this window changed while its change still waits to reach the server. */
export function NotSyncedBadge({ productId }: { productId: string | undefined }) {
  if (!useNotSynced(productId)) return null;
  return (
    <Badge tone="info" title="Saved on this computer; it reaches the server at the next sync">
      Not synced
    </Badge>
  );
}

// Fixed widths fit their longest content at the 12-13px table type: "Archived", a sortable
// "Available" with its arrow, and a full date such as "Nov 21, 2026".
export const PRODUCT_COLUMNS: readonly Column<ProductRow>[] = [
  {
    key: 'name',
    header: 'Product',
    width: 'minmax(160px, 3fr)',
    sortable: true,
    render: (row) => (
      <span className="product-name-cell">
        <span className="product-name" title={row.name}>
          {row.name}
        </span>
        <NotSyncedBadge productId={row.id} />
      </span>
    ),
  },
  { key: 'status', header: 'Status', width: '96px', render: (row) => <StatusBadge status={row.status} /> },
  {
    key: 'variants',
    header: 'Variants',
    width: '80px',
    align: 'end',
    render: (row) => formatCount(row.variantCount),
  },
  {
    key: 'price',
    header: 'Price',
    width: 'minmax(140px, 1.4fr)',
    align: 'end',
    sortable: true,
    render: (row) => priceRangeLabel(row.priceMinCents, row.priceMaxCents, row.currency ?? undefined),
  },
  {
    key: 'available',
    header: 'Available',
    width: '100px',
    align: 'end',
    sortable: true,
    render: (row) => (
      <span className={row.available < 0 ? 'money-negative' : undefined}>{formatCount(row.available)}</span>
    ),
  },
  { key: 'stock', header: 'Stock', width: '104px', render: (row) => <StockBadge state={row.stockState} /> },
  {
    key: 'updated',
    header: 'Updated',
    width: '112px',
    sortable: true,
    render: (row) => <RelativeTime at={row.updatedAt} fallback="—" />,
  },
];

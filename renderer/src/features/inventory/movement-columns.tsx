/** The movement history's columns and the words for each kind of movement. */
import { Link } from 'wouter';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { Badge, type BadgeTone } from '../../components/Badge.js';
import type { Column } from '../../components/DataTable.js';
import { formatCount } from '../../lib/format.js';
import { formatDateTime } from '../../lib/time.js';
import type { MovementKind } from './inventory-store.js';

export type MovementRow = ChannelOutput<'stock:movements'>['items'][number];

export const KIND_LABELS: Record<MovementKind, string> = {
  received: 'Received',
  sale: 'Sale',
  return: 'Return',
  damage: 'Damage',
  count_correction: 'Count correction',
  reservation: 'Reserved',
  release: 'Released',
  adjustment: 'Adjustment',
  transfer: 'Transfer',
};

const KIND_TONES: Record<MovementKind, BadgeTone> = {
  received: 'success',
  sale: 'info',
  return: 'success',
  damage: 'danger',
  count_correction: 'accent',
  reservation: 'neutral',
  release: 'neutral',
  adjustment: 'warning',
  transfer: 'neutral',
};

const shortTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** "order paid" → "Order paid"; the ledger's reasons are lower-case words. */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1).replace(/_/g, ' ');

/** A reference like "order:<id>" links to that order; others (a device's change id) mean nothing to a person. */
function Reference({ reference }: { reference: string }) {
  const order = /^order:([0-9a-f-]{36})$/i.exec(reference);
  return order ? <Link href={`/orders/${order[1]}`}>Open order</Link> : null;
}

const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${formatCount(Math.abs(n))}`;

/** The on-hand change, or for a reservation (no on-hand change) the reserved one. */
function Change({ row }: { row: MovementRow }) {
  if (row.onHandDelta === 0 && row.reservedDelta !== 0)
    return <span className="muted">{signed(row.reservedDelta)} reserved</span>;
  return (
    <span className={`movement-delta ${row.onHandDelta > 0 ? 'positive' : row.onHandDelta < 0 ? 'negative' : ''}`}>
      {signed(row.onHandDelta)}
    </span>
  );
}

export const movementColumns: Column<MovementRow>[] = [
  {
    key: 'at',
    header: 'When',
    width: '130px',
    render: (r) => (
      <time dateTime={r.createdAt} title={formatDateTime(r.createdAt)}>
        {shortTime.format(new Date(r.createdAt))}
      </time>
    ),
  },
  {
    key: 'variant',
    header: 'Variant',
    width: 'minmax(200px, 2fr)',
    render: (r) => (
      <span className="cell-stack">
        <span className="mono">{r.sku ?? 'Unknown variant'}</span>
        {r.productName && <span className="cell-sub">{r.productName}</span>}
      </span>
    ),
  },
  {
    key: 'kind',
    header: 'Kind',
    width: '150px',
    render: (r) => <Badge tone={KIND_TONES[r.kind]}>{KIND_LABELS[r.kind]}</Badge>,
  },
  { key: 'change', header: 'Change', width: '120px', align: 'end', render: (r) => <Change row={r} /> },
  {
    key: 'after',
    header: 'On hand after',
    width: '120px',
    align: 'end',
    render: (r) => <span className={r.onHandAfter < 0 ? 'negative' : ''}>{formatCount(r.onHandAfter)}</span>,
  },
  {
    key: 'why',
    header: 'Reason / note',
    width: 'minmax(180px, 3fr)',
    render: (r) => (
      <span className="row" title={[r.reason, r.note].filter(Boolean).join(' · ')}>
        <span>{r.note ?? sentence(r.reason)}</span>
        {r.reference && <Reference reference={r.reference} />}
      </span>
    ),
  },
];

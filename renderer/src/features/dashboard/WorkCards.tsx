/**
 * The dashboard's work queues: paid orders waiting to be fulfilled, variants running low, and
 * oversells (offline sales that drove stock below zero). Each shows its count and the first few
 * rows, each row opening its record, and re-reads when a sync pass changes its tables.
 */
import { Badge } from '../../components/Badge.js';
import { Money } from '../../components/Money.js';
import { RelativeTime } from '../../components/RelativeTime.js';
import { formatCount } from '../../lib/format.js';
import { useChannel } from '../../lib/use-channel.js';
import { countLabel } from '../products/format.js';
import { DashCard, DashEmpty, DashRow } from './DashCard.js';

/** "NX-100042" as it is; a bare number gets the customary "#". */
const orderNumber = (number: string) => (/^\d/.test(number) ? `#${number}` : number);
const plural = (n: number, word: string) => `${formatCount(n)} ${n === 1 ? word : `${word}s`}`;

/** Rows a card lists; the link leads to the rest. */
export const CARD_ROWS = 5;

export function FulfilCard() {
  const query = useChannel(
    'orders:list',
    { status: ['paid'], limit: CARD_ROWS },
    { tables: ['orders', 'order_items', 'customers'] },
  );
  const data = query.data;
  return (
    <DashCard
      title="Orders to fulfil"
      count={data && countLabel(data.total, data.totalCapped)}
      href="/orders"
      linkLabel="All orders"
      loaded={data !== undefined}
      error={query.error}
    >
      {data?.items.length === 0 ? (
        <DashEmpty>All caught up: no paid orders are waiting.</DashEmpty>
      ) : (
        <ul className="dash-list">
          {data?.items.map((order) => (
            <DashRow
              key={order.id}
              href={`/orders/${order.id}`}
              primary={
                <>
                  <span className="dash-order-number">{orderNumber(order.number)}</span>{' '}
                  {order.customerName ?? order.email}
                  {order.needsAttention && (
                    <>
                      {' '}
                      <Badge tone="warning">Needs attention</Badge>
                    </>
                  )}
                </>
              }
              secondary={
                <>
                  {plural(order.itemCount, 'item')}
                  {' · '}
                  <RelativeTime at={order.createdAt} />
                </>
              }
              trailing={<Money cents={order.totalCents} currency={order.currency} />}
            />
          ))}
        </ul>
      )}
    </DashCard>
  );
}

export function LowStockCard() {
  const query = useChannel('stock:lowStock', { limit: CARD_ROWS }, { tables: ['variants', 'stock_levels'] });
  const data = query.data;
  return (
    <DashCard
      title="Low stock"
      count={data && countLabel(data.total, data.totalCapped)}
      href="/inventory/low-stock"
      linkLabel="Inventory"
      loaded={data !== undefined}
      error={query.error}
    >
      {data?.items.length === 0 ? (
        <DashEmpty>Every variant is above its low-stock threshold.</DashEmpty>
      ) : (
        <ul className="dash-list">
          {data?.items.map((item) => (
            <DashRow
              key={item.variantId}
              href={`/products/${item.productId}`}
              primary={item.productName}
              secondary={
                <>
                  <span className="mono">{item.sku}</span>
                  {item.title && item.title !== 'Default' ? ` · ${item.title}` : ''}
                </>
              }
              trailing={<StockLeft available={item.available} threshold={item.lowStockThreshold} />}
            />
          ))}
        </ul>
      )}
    </DashCard>
  );
}

function StockLeft({ available, threshold }: { available: number; threshold: number }) {
  if (available <= 0)
    return (
      <Badge tone="danger" title={`Threshold ${threshold}`}>
        {available < 0 ? `${formatCount(available)} oversold` : 'Out of stock'}
      </Badge>
    );
  return (
    <Badge tone="warning" title={`Threshold ${threshold}`}>
      {formatCount(available)} left
    </Badge>
  );
}

/** Best sellers of the chart's period, so the month's figure has names behind it. */
export function TopProductsCard({ from, to, timeZone }: { from: string; to: string; timeZone: string }) {
  const query = useChannel(
    'reports:topProducts',
    { from, to, timeZone, by: 'revenue', limit: CARD_ROWS },
    { tables: ['orders', 'order_items'] },
  );
  const rows = query.data?.rows;
  return (
    <DashCard
      title="Top products, 30 days"
      href="/reports"
      linkLabel="Reports"
      loaded={rows !== undefined}
      error={query.error}
    >
      {rows?.length === 0 ? (
        <DashEmpty>No sales in the last 30 days yet.</DashEmpty>
      ) : (
        <ol className="dash-list">
          {rows?.map((row) => (
            <DashRow
              key={`${row.rank}-${row.currency}`}
              href={row.productId ? `/products/${row.productId}` : '/reports'}
              primary={row.name}
              secondary={`${formatCount(row.unitsSold)} sold · ${plural(row.orders, 'order')}`}
              trailing={<Money cents={row.revenueCents} currency={row.currency} />}
            />
          ))}
        </ol>
      )}
    </DashCard>
  );
}

export function OversellsCard() {
  const query = useChannel('oversells:list', {}, { tables: ['stock_oversells', 'stock_levels'] });
  const items = query.data?.items;
  return (
    <DashCard
      title="Oversells"
      count={items && formatCount(items.length)}
      href="/inventory/oversells"
      linkLabel="Review"
      loaded={items !== undefined}
      error={query.error}
      className={items && items.length > 0 ? 'dash-card-alert' : undefined}
    >
      {items?.length === 0 ? (
        <DashEmpty>No oversells: stock never went below zero.</DashEmpty>
      ) : (
        <ul className="dash-list">
          {items?.slice(0, CARD_ROWS).map((item) => (
            <DashRow
              key={item.id}
              href="/inventory/oversells"
              primary={item.productName ?? 'Unknown product'}
              secondary={
                <>
                  {item.sku && <span className="mono">{item.sku}</span>}
                  {item.sku && ' · '}
                  <RelativeTime at={item.createdAt} />
                </>
              }
              trailing={<span className="dash-negative">{formatCount(item.level)}</span>}
            />
          ))}
        </ul>
      )}
    </DashCard>
  );
}

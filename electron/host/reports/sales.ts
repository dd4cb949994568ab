/**
 * The sales summary, pure: orders (already limited to the range's instants) grouped by the period
 * they were placed in, in the report's time zone, per currency.
 *
 * Rules: revenue is the order total (goods, shipping and tax) of orders that were paid at some
 * point; cancelled orders only count in `cancelledOrders` (a cancelled paid order is refunded in
 * full, so leaving it out of both revenue and refunds keeps net revenue right). Refunds are what
 * the orders report refunded so far: the store has no refund dates (refund rows are not synced),
 * so a refund falls in the period its order was placed in.
 */
import type { ReportOutput, ReportParams } from '../../../shared/contract/reports.js';
import { type Granularity, localDate, periodOf, periodsBetween } from './dates.js';
import type { SaleOrder } from './reports.queries.js';

type Sales = ReportOutput<'sales'>;
type Figures = Sales['totals'][number];

const empty = (currency: string): Figures => ({
  currency,
  orders: 0,
  revenueCents: 0,
  refundsCents: 0,
  netRevenueCents: 0,
  averageOrderValueCents: 0,
  cancelledOrders: 0,
});

function add(f: Figures, order: SaleOrder): void {
  if (order.status === 'cancelled') {
    f.cancelledOrders += 1;
    return;
  }
  f.orders += 1;
  f.revenueCents += order.totalCents;
  f.refundsCents += order.refundedCents;
}

/** Net and average follow from the sums; the average rounds half up to whole cents. */
function finish(f: Figures): Figures {
  f.netRevenueCents = f.revenueCents - f.refundsCents;
  f.averageOrderValueCents = f.orders === 0 ? 0 : Math.round(f.revenueCents / f.orders);
  return f;
}

export function summarizeSales(
  orders: readonly SaleOrder[],
  params: Pick<ReportParams<'sales'>, 'from' | 'to' | 'timeZone' | 'groupBy'>,
): Pick<Sales, 'rows' | 'totals'> {
  const groupBy: Granularity = params.groupBy;
  const byKey = new Map<string, Figures>();
  const totals = new Map<string, Figures>();
  for (const order of orders) {
    const period = periodOf(localDate(order.createdAt, params.timeZone), groupBy);
    const key = `${period}|${order.currency}`;
    if (!byKey.has(key)) byKey.set(key, empty(order.currency));
    if (!totals.has(order.currency)) totals.set(order.currency, empty(order.currency));
    add(byKey.get(key)!, order);
    add(totals.get(order.currency)!, order);
  }
  const currencies = [...totals.keys()].sort();
  // Every period of the range appears for every currency seen, zero when nothing sold: charts need the gaps.
  const rows = periodsBetween(params.from, params.to, groupBy).flatMap((period) =>
    currencies.map((currency) => ({ period, ...finish(byKey.get(`${period}|${currency}`) ?? empty(currency)) })),
  );
  return { rows, totals: currencies.map((c) => finish(totals.get(c)!)) };
}

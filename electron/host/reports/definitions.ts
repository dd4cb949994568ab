/**
 * What each report looks like outside the JSON the UI gets: its title, file name, columns (header
 * and kind, which decides how a cell is written), and the lines that describe its parameters and
 * totals in XLSX and PDF exports.
 */
import type { ReportName, ReportOutput, ReportParams, ReportRow } from '../../../shared/contract/reports.js';
import { formatAmount } from './cells.js';

export type ColumnKind = 'text' | 'int' | 'money';
export interface Column<R> {
  key: keyof R & string;
  header: string;
  kind: ColumnKind;
}
export interface ReportDefinition<N extends ReportName> {
  title: string;
  fileStem: string;
  columns: Column<ReportRow<N>>[];
  describe(params: ReportParams<N>): string[];
  summary(output: ReportOutput<N>): string[];
}

const text = <R>(key: keyof R & string, header: string): Column<R> => ({ key, header, kind: 'text' });
const int = <R>(key: keyof R & string, header: string): Column<R> => ({ key, header, kind: 'int' });
const money = <R>(key: keyof R & string, header: string): Column<R> => ({ key, header, kind: 'money' });

const period = (p: { from: string; to: string; timeZone: string }) => `Period: ${p.from} to ${p.to} (${p.timeZone})`;
const m = (cents: number, currency: string) => `${formatAmount(cents, currency)} ${currency}`;

type Defs = { [N in ReportName]: ReportDefinition<N> };
type Row<N extends ReportName> = ReportRow<N>;

export const REPORTS: Defs = {
  sales: {
    title: 'Sales summary',
    fileStem: 'sales-summary',
    columns: [
      text<Row<'sales'>>('period', 'Period'),
      text('currency', 'Currency'),
      int('orders', 'Orders'),
      money('revenueCents', 'Revenue'),
      money('refundsCents', 'Refunds'),
      money('netRevenueCents', 'Net revenue'),
      money('averageOrderValueCents', 'Average order value'),
      int('cancelledOrders', 'Cancelled orders'),
    ],
    describe: (p) => [period(p), `Grouped by: ${p.groupBy === 'week' ? 'week (starting Monday)' : p.groupBy}`],
    summary: (o) =>
      o.totals.map(
        (t) =>
          `${t.currency}: ${t.orders} orders, revenue ${m(t.revenueCents, t.currency)}, refunds ${m(t.refundsCents, t.currency)}, ` +
          `net ${m(t.netRevenueCents, t.currency)}, average order ${m(t.averageOrderValueCents, t.currency)}, ` +
          `${t.cancelledOrders} cancelled`,
      ),
  },
  topProducts: {
    title: 'Top products',
    fileStem: 'top-products',
    columns: [
      int<Row<'topProducts'>>('rank', 'Rank'),
      text('name', 'Product'),
      text('currency', 'Currency'),
      int('unitsSold', 'Units sold'),
      money('revenueCents', 'Revenue'),
      int('orders', 'Orders'),
    ],
    describe: (p) => [period(p), `Ranked by: ${p.by}, top ${p.limit}`],
    summary: (o) =>
      o.totals.map(
        (t) => `${t.currency}, all products: ${t.unitsSold} units sold, revenue ${m(t.revenueCents, t.currency)}`,
      ),
  },
  inventoryValuation: {
    title: 'Inventory valuation',
    fileStem: 'inventory-valuation',
    columns: [
      text<Row<'inventoryValuation'>>('sku', 'SKU'),
      text('productName', 'Product'),
      text('title', 'Variant'),
      int('onHand', 'On hand'),
      text('currency', 'Currency'),
      text('basis', 'Valued at'),
      money('unitValueCents', 'Unit value'),
      money('valueCents', 'Value'),
    ],
    describe: (p) => [`Archived products: ${p.includeArchived ? 'included' : 'excluded'}`],
    summary: (o) =>
      o.totals.map(
        (t) =>
          `${t.currency}: ${t.units} units valued at ${m(t.valueCents, t.currency)}` +
          (t.variantsAtPrice > 0 ? ` (${t.variantsAtPrice} variants without a cost, valued at price)` : ''),
      ),
  },
  lowStock: {
    title: 'Low stock',
    fileStem: 'low-stock',
    columns: [
      text<Row<'lowStock'>>('sku', 'SKU'),
      text('productName', 'Product'),
      text('title', 'Variant'),
      int('onHand', 'On hand'),
      int('reserved', 'Reserved'),
      int('available', 'Available'),
      int('lowStockThreshold', 'Threshold'),
      int('shortfall', 'Below threshold by'),
    ],
    describe: () => [],
    summary: (o) => [`${o.totals.variants} variants at or below their threshold, ${o.totals.outOfStock} out of stock`],
  },
  movements: {
    title: 'Stock movements',
    fileStem: 'stock-movements',
    columns: [
      text<Row<'movements'>>('createdAt', 'Time (UTC)'),
      text('sku', 'SKU'),
      text('productName', 'Product'),
      text('location', 'Location'),
      text('kind', 'Kind'),
      int('onHandDelta', 'On hand change'),
      int('reservedDelta', 'Reserved change'),
      int('onHandAfter', 'On hand after'),
      text('reason', 'Reason'),
      text('reference', 'Reference'),
    ],
    describe: (p) => [
      period(p),
      ...(p.kind ? [`Kind: ${p.kind}`] : []),
      ...(p.variantId ? [`Variant: ${p.variantId}`] : []),
    ],
    summary: ({ totals: t }) => [
      `${t.movements} movements: ${t.unitsIn} units in, ${t.unitsOut} units out, net ${t.netUnits}`,
    ],
  },
  orders: {
    title: 'Orders',
    fileStem: 'orders',
    columns: [
      text<Row<'orders'>>('number', 'Number'),
      text('createdAt', 'Placed (UTC)'),
      text('status', 'Status'),
      text('email', 'E-mail'),
      text('customerName', 'Customer'),
      int('items', 'Items'),
      text('currency', 'Currency'),
      money('subtotalCents', 'Subtotal'),
      money('shippingCents', 'Shipping'),
      money('taxCents', 'Tax'),
      money('totalCents', 'Total'),
      money('refundedCents', 'Refunded'),
      text('paymentStatus', 'Payment'),
    ],
    describe: (p) => [period(p), `Status: ${p.status ? p.status.join(', ') : 'all'}`],
    summary: (o) =>
      o.totals.map(
        (t) =>
          `${t.currency}: ${t.orders} orders, total ${m(t.totalCents, t.currency)}, refunded ${m(t.refundedCents, t.currency)}`,
      ),
  },
};

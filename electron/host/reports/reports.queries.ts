/**
 * The reports' SQL over the local store. Each reads everything a report's totals need in one
 * statement (prepared once per store); shaping, time-zone grouping and row caps happen in the pure
 * functions of shape.ts / sales.ts. Time filters compare ISO instants, which the wire sends in one
 * format (`toISOString`), so text order is time order and the created_at indexes serve them.
 */
import type { Store } from '../db/store.js';

/** Orders that were paid at some point: what revenue counts (cancelled and unpaid ones are not sales). */
export const REVENUE_STATUSES = ['paid', 'fulfilled', 'delivered', 'refunded', 'partially_refunded'] as const;
const REVENUE_IN = REVENUE_STATUSES.map((s) => `'${s}'`).join(', ');

export interface Window {
  start: string;
  end: string;
}
export interface SaleOrder {
  status: string;
  currency: string;
  totalCents: number;
  refundedCents: number;
  createdAt: string;
}
export interface ProductSales {
  productId: string | null;
  name: string;
  currency: string;
  unitsSold: number;
  revenueCents: number;
  orders: number;
}
export interface StockValueSource {
  variantId: string;
  sku: string;
  productName: string;
  title: string;
  onHand: number;
  currency: string;
  costCents: number | null;
  priceCents: number;
}
export interface LowStockSource {
  variantId: string;
  sku: string;
  productName: string;
  title: string;
  onHand: number;
  reserved: number;
  lowStockThreshold: number;
}
export interface MovementSource {
  createdAt: string;
  sku: string;
  productName: string;
  location: string;
  kind: string;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reason: string;
  reference: string;
}
export interface OrderSource {
  number: string;
  createdAt: string;
  status: string;
  email: string;
  customerName: string;
  items: number;
  currency: string;
  subtotalCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  refundedCents: number;
  paymentStatus: string;
}

const inWindow = (column: string) => `${column} >= @start AND ${column} < @end`;

const statements = (store: Store) =>
  store.cached('reports', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      sales: q(
        `SELECT status, currency, total_cents AS totalCents, refunded_cents AS refundedCents, created_at AS createdAt
         FROM orders WHERE ${inWindow('created_at')} AND (status IN (${REVENUE_IN}) OR status = 'cancelled')`,
      ),
      // An item whose product is gone (or never synced) is grouped by its SKU and keeps the name it was sold under.
      topProducts: q(
        `SELECT i.product_id AS productId, coalesce(p.name, max(i.name)) AS name, o.currency,
           sum(i.quantity) AS unitsSold, sum(i.line_total_cents) AS revenueCents, count(DISTINCT o.id) AS orders
         FROM order_items i JOIN orders o ON o.id = i.order_id LEFT JOIN products p ON p.id = i.product_id
         WHERE ${inWindow('o.created_at')} AND o.status IN (${REVENUE_IN})
         GROUP BY coalesce(i.product_id, 'sku:' || i.sku), o.currency`,
      ),
      valuation: q(
        `SELECT v.id AS variantId, v.sku, coalesce(p.name, '') AS productName, v.title, v.on_hand AS onHand,
           v.currency, v.cost_cents AS costCents, v.price_cents AS priceCents
         FROM variants v LEFT JOIN products p ON p.id = v.product_id
         WHERE v.on_hand <> 0 AND (@includeArchived OR p.status IS NULL OR p.status <> 'archived')
         ORDER BY productName COLLATE NOCASE, v.sku COLLATE NOCASE, v.id`,
      ),
      // Same rule as the low-stock list (db/queries.ts lowStock): non-archived products, available <= threshold.
      lowStock: q(
        `SELECT v.id AS variantId, v.sku, p.name AS productName, v.title, v.on_hand AS onHand, v.reserved,
           v.low_stock_threshold AS lowStockThreshold
         FROM variants v JOIN products p ON p.id = v.product_id
         WHERE v.on_hand - v.reserved <= v.low_stock_threshold AND p.status <> 'archived'
         ORDER BY v.on_hand - v.reserved, v.sku COLLATE NOCASE, v.id`,
      ),
      movements: q(
        `SELECT m.created_at AS createdAt, coalesce(v.sku, '') AS sku, coalesce(p.name, '') AS productName,
           coalesce(l.code, m.location_id) AS location, m.kind, m.on_hand_delta AS onHandDelta,
           m.reserved_delta AS reservedDelta, m.on_hand_after AS onHandAfter, m.reason,
           coalesce(m.reference, '') AS reference
         FROM stock_movements m LEFT JOIN variants v ON v.id = m.variant_id
           LEFT JOIN products p ON p.id = v.product_id LEFT JOIN stock_locations l ON l.id = m.location_id
         WHERE ${inWindow('m.created_at')} AND (@variantId IS NULL OR m.variant_id = @variantId)
           AND (@kind IS NULL OR m.kind = @kind)
         ORDER BY m.created_at, m.id`,
      ),
      // A guest has no customer row: the shipping address's name stands in (as in the orders list).
      orders: q(
        `SELECT o.number, o.created_at AS createdAt, o.status, o.email,
           coalesce(c.name, json_extract(o.data, '$.shippingAddress.name'), '') AS customerName,
           (SELECT coalesce(sum(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS items,
           o.currency, o.subtotal_cents AS subtotalCents, o.shipping_cents AS shippingCents, o.tax_cents AS taxCents,
           o.total_cents AS totalCents, o.refunded_cents AS refundedCents, coalesce(o.payment_status, '') AS paymentStatus
         FROM orders o LEFT JOIN customers c ON c.id = o.user_id
         WHERE ${inWindow('o.created_at')}
           AND (@statuses IS NULL OR o.status IN (SELECT value FROM json_each(@statuses)))
         ORDER BY o.created_at, o.number`,
      ),
    };
  });

export const salesOrders = (store: Store, w: Window) => statements(store).sales.all(w) as SaleOrder[];

export const productSales = (store: Store, w: Window) => statements(store).topProducts.all(w) as ProductSales[];

export const stockValues = (store: Store, includeArchived: boolean) =>
  statements(store).valuation.all({ includeArchived: includeArchived ? 1 : 0 }) as StockValueSource[];

export const lowStockVariants = (store: Store) => statements(store).lowStock.all() as LowStockSource[];

export const movementsIn = (store: Store, w: Window, filter: { variantId?: string; kind?: string }) =>
  statements(store).movements.all({
    ...w,
    variantId: filter.variantId ?? null,
    kind: filter.kind ?? null,
  }) as MovementSource[];

export const ordersIn = (store: Store, w: Window, statuses: readonly string[] | undefined) =>
  statements(store).orders.all({ ...w, statuses: statuses ? JSON.stringify(statuses) : null }) as OrderSource[];

/**
 * The back-office reports' channel shapes (issue 7): parameters, rows and totals the host computes
 * from its local store, so reports work offline. Kept beside backoffice.ts (which only names the
 * channels) so that file stays small.
 *
 * Dates are calendar days (`YYYY-MM-DD`, both ends inclusive) in `timeZone` (IANA, default UTC):
 * "sales on 2 March" means 2 March where the shop is, not in UTC. Money is integer cents with the
 * row's ISO 4217 currency; totals come per currency because a store may sell in more than one.
 */
import { z } from 'zod';
import { MOVEMENT_KINDS } from '../api/catalog.schemas.js';
import { ORDER_STATUS_VALUES } from '../api/orders.schemas.js';

/** Longest date range a report accepts: two years and a leap day. */
export const MAX_RANGE_DAYS = 731;
export const REPORT_NAMES = ['sales', 'topProducts', 'inventoryValuation', 'lowStock', 'movements', 'orders'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const int = z.number().int();
const cents = int;
const currency = z.string();

/** True when Intl knows the zone (the same check the host's date maths relies on). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const DAY_MS = 86_400_000;
const range = {
  from: z.iso.date(),
  to: z.iso.date(),
  timeZone: z.string().max(64).refine(isTimeZone, { message: 'must be an IANA time zone' }).default('UTC'),
};
type Range = { from: string; to: string };
/** Refuses from > to and ranges over MAX_RANGE_DAYS, so one report cannot scan the whole history by mistake. */
const checkRange = (value: Range, ctx: z.RefinementCtx) => {
  const days = (Date.parse(value.to) - Date.parse(value.from)) / DAY_MS + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after `to`' });
  else if (days > MAX_RANGE_DAYS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `range must be at most ${MAX_RANGE_DAYS} days` });
};
const rowLimit = (max: number, fallback: number) => int.min(1).max(max).default(fallback);

export const reportParams = {
  sales: z.strictObject({ ...range, groupBy: z.enum(['day', 'week', 'month']).default('day') }).superRefine(checkRange),
  topProducts: z
    .strictObject({ ...range, by: z.enum(['revenue', 'units']).default('revenue'), limit: rowLimit(100, 10) })
    .superRefine(checkRange),
  inventoryValuation: z
    .strictObject({ includeArchived: z.boolean().default(false), limit: rowLimit(50_000, 50_000) })
    .prefault({}),
  lowStock: z.strictObject({ limit: rowLimit(5000, 1000) }).prefault({}),
  movements: z
    .strictObject({
      ...range,
      variantId: z.uuid().optional(),
      kind: z.enum(MOVEMENT_KINDS).optional(),
      limit: rowLimit(20_000, 5000),
    })
    .superRefine(checkRange),
  orders: z
    .strictObject({
      ...range,
      status: z.array(z.enum(ORDER_STATUS_VALUES)).min(1).max(ORDER_STATUS_VALUES.length).optional(),
      limit: rowLimit(20_000, 5000),
    })
    .superRefine(checkRange),
} as const satisfies Record<ReportName, z.ZodType>;

const salesFigures = z.object({
  currency,
  /** Paid orders placed in the period (cancelled and unpaid ones excluded). */
  orders: int,
  revenueCents: cents,
  refundsCents: cents,
  netRevenueCents: cents,
  averageOrderValueCents: cents,
  cancelledOrders: int,
});
const salesRow = salesFigures.extend({ period: z.string() });
const topProductRow = z.object({
  rank: int,
  productId: z.string().nullable(),
  name: z.string(),
  currency,
  unitsSold: int,
  revenueCents: cents,
  orders: int,
});
const valuationRow = z.object({
  variantId: z.string(),
  sku: z.string(),
  productName: z.string(),
  title: z.string(),
  onHand: int,
  currency,
  /** `cost` when the variant has a cost price; else `price` (valued at its selling price). */
  basis: z.enum(['cost', 'price']),
  unitValueCents: cents,
  valueCents: cents,
});
const lowStockRow = z.object({
  variantId: z.string(),
  sku: z.string(),
  productName: z.string(),
  title: z.string(),
  onHand: int,
  reserved: int,
  available: int,
  lowStockThreshold: int,
  shortfall: int,
});
const movementRow = z.object({
  createdAt: z.string(),
  sku: z.string(),
  productName: z.string(),
  location: z.string(),
  kind: z.string(),
  onHandDelta: int,
  reservedDelta: int,
  onHandAfter: int,
  reason: z.string(),
  reference: z.string(),
});
const orderRow = z.object({
  number: z.string(),
  createdAt: z.string(),
  status: z.string(),
  email: z.string(),
  customerName: z.string(),
  items: int,
  currency,
  subtotalCents: cents,
  shippingCents: cents,
  taxCents: cents,
  totalCents: cents,
  refundedCents: cents,
  paymentStatus: z.string(),
});

/** Every report answers its rows (at most `limit`; `truncated` says more matched), totals over all matches, and notes. */
const report = <R extends z.ZodType, T extends z.ZodType>(row: R, totals: T) =>
  z.object({
    rows: z.array(row),
    totals,
    truncated: z.boolean(),
    notes: z.array(z.string()),
    generatedAt: z.iso.datetime(),
  });

export const reportOutputs = {
  sales: report(salesRow, z.array(salesFigures)),
  topProducts: report(
    topProductRow,
    // No order count here: one order with two products would count twice.
    z.array(z.object({ currency, unitsSold: int, revenueCents: cents })),
  ),
  inventoryValuation: report(
    valuationRow,
    z.array(z.object({ currency, units: int, valueCents: cents, variantsAtPrice: int })),
  ),
  lowStock: report(lowStockRow, z.object({ variants: int, outOfStock: int })),
  movements: report(movementRow, z.object({ movements: int, unitsIn: int, unitsOut: int, netUnits: int })),
  orders: report(orderRow, z.array(z.object({ currency, orders: int, totalCents: cents, refundedCents: cents }))),
} as const satisfies Record<ReportName, z.ZodType>;

export type ReportParams<N extends ReportName> = z.output<(typeof reportParams)[N]>;
export type ReportOutput<N extends ReportName> = z.output<(typeof reportOutputs)[N]>;
export type ReportRow<N extends ReportName> = ReportOutput<N>['rows'][number];

const format = z.enum(EXPORT_FORMATS);
/** One export request: the report's own parameters are checked by its schema (a union on `report`). */
const exportOf = <N extends ReportName>(name: N) =>
  z.strictObject({ report: z.literal(name), params: reportParams[name], format });
export const reportExportInput = z.discriminatedUnion('report', [
  exportOf('sales'),
  exportOf('topProducts'),
  exportOf('inventoryValuation'),
  exportOf('lowStock'),
  exportOf('movements'),
  exportOf('orders'),
]);
export type ReportExportInput = z.output<typeof reportExportInput>;

/**
 * The file as base64 text: the answer must cross both Electron IPC and the browser-mode JSON bridge,
 * and a Buffer survives only the first. The UI decodes it into a Blob for the save dialog or download.
 * Reports are row-capped, so the third more that base64 costs stays small.
 */
export const reportFileSchema = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() });
export type ReportFile = z.infer<typeof reportFileSchema>;

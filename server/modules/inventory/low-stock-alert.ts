/**
 * The staff e-mail sent when a stock level becomes low. A level alerts when a movement takes its
 * available quantity (on hand − reserved, per variant and location, as levels are kept) from
 * above the variant's low-stock threshold to at or below it: a level that stays low stays quiet,
 * and alerts again only after it went back above and crossed once more. The e-mail is enqueued
 * in the movement's transaction, keyed by variant, location and movement, so it exists if and
 * only if the movement committed, once. Deciding costs nothing: the figures come from the level
 * update the movement makes anyway, and the queries below run only on a crossing.
 *
 * Stock moves inside transactions that carry no app context (checkout, the order sweeper,
 * provider events), so the settings are set once per process by createApp.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { products, stockLocations, users, variants } from '../../db/schema/index.js';
import { enqueueEmail } from '../notifications/outbox.js';

export interface LowStockAlertSettings {
  /** STAFF_ALERT_EMAIL; unset: every active staff and admin user. */
  recipients?: readonly string[] | undefined;
  /** Base of the link to the product in the e-mail. */
  publicUrl: string;
}

let settings: LowStockAlertSettings = { publicUrl: 'http://localhost:3000' };

export function configureLowStockAlerts(next: LowStockAlertSettings): void {
  settings = next;
}

/** True when a change of `availableDelta` brought the available quantity from above `threshold` to at or below it. */
export const crossedLow = (availableAfter: number, availableDelta: number, threshold: number): boolean =>
  availableAfter <= threshold && availableAfter - availableDelta > threshold;

async function recipients(tx: DbOrTx): Promise<string[]> {
  if (settings.recipients) return [...settings.recipients];
  const rows = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.role, ['staff', 'admin']), eq(users.disabled, false)))
    .orderBy(asc(users.email));
  return rows.map((r) => r.email);
}

export interface LowLevel {
  variantId: string;
  locationId: string;
  /** The movement that made the level low. */
  movementId: string;
  available: number;
  threshold: number;
}

/** Enqueues the alert for a level that just crossed (see crossedLow); nobody to tell → nothing. */
export async function enqueueLowStockAlert(tx: DbOrTx, level: LowLevel): Promise<void> {
  const to = await recipients(tx);
  if (to.length === 0) return;
  const [item] = await tx
    .select({ productId: products.id, productName: products.name, sku: variants.sku, title: variants.title })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(eq(variants.id, level.variantId));
  const [location] = await tx
    .select({ name: stockLocations.name })
    .from(stockLocations)
    .where(eq(stockLocations.id, level.locationId));
  if (!item) return;
  await enqueueEmail(tx, {
    key: `low-stock:${level.variantId}:${level.locationId}:${level.movementId}`,
    template: 'low-stock-alert',
    to: to.join(', '),
    data: {
      productName: item.productName,
      variantTitle: item.title,
      sku: item.sku,
      location: location?.name ?? 'the default location',
      available: level.available,
      threshold: level.threshold,
      productUrl: `${settings.publicUrl}/api/v1/admin/products/${item.productId}`,
    },
  });
}

/**
 * A small synced store for the handlers' and local writes' tests: wire rows shaped like the
 * server's (server/modules/sync/rows.ts), deterministic ids (db/testkit.ts fixedId).
 */
import {
  backoffice,
  type ChannelName,
  type ChannelOutput,
  type SyncStatus,
} from '../../../shared/contract/backoffice.js';
import type { Change } from '../../../shared/sync/protocol.js';
import { applyPullPage } from '../db/apply.js';
import { pendingMutations } from '../db/outbox.js';
import { type Store, openStore } from '../db/store.js';
import { type Handlers, createHandlers } from './index.js';
import type { SyncControl } from './sync.js';
import { CATEGORY_IDS, LOCATION_ID, fixedId, levelRow, page, productChanges, upsert } from '../db/testkit.js';

export { CATEGORY_IDS, LOCATION_ID, fixedId };

const at = '2026-01-01T00:00:00.000Z';

/** Product n has variants fixedId(2, n*10+k) with levels fixedId(3, n*10+k). */
export const productId = (n: number) => fixedId(1, n);
export const variantId = (n: number, k = 0) => fixedId(2, n * 10 + k);
export const levelId = (n: number, k = 0) => fixedId(3, n * 10 + k);
export const PAID_ORDER = fixedId(5, 1);
export const UNPAID_ORDER = fixedId(5, 2);
export const SHIPPED_ORDER = fixedId(5, 3);
export const CUSTOMER = fixedId(6, 1);
export const PENDING_REVIEW = fixedId(7, 1);
export const APPROVED_REVIEW = fixedId(7, 2);
export const OVERSELL = fixedId(4, 1);
export const UNKNOWN = fixedId(99, 1);

const address = { name: 'Ada Lovelace', line1: '1 Main St', city: 'London', postalCode: 'N1', country: 'GB' };

export function orderRow(id: string, n: number, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    number: `NX-10000${n}`,
    userId: CUSTOMER,
    email: `buyer${n}@example.com`,
    status: 'paid',
    currency: 'USD',
    subtotalCents: 2000,
    shippingCents: 500,
    taxCents: 0,
    totalCents: 2500,
    shippingAddress: address,
    billingAddress: null,
    paymentProvider: 'test',
    paymentStatus: 'succeeded',
    fulfillmentCarrier: null,
    fulfillmentTrackingNumber: null,
    shippedAt: null,
    expiresAt: null,
    paidAt: at,
    cancelledAt: null,
    cancellationReason: null,
    refundedCents: 0,
    needsAttention: false,
    attentionReason: null,
    createdAt: `2026-01-0${n}T10:00:00.000Z`,
    updatedAt: at,
    ...patch,
  };
}

export const itemRow = (orderId: string, n: number) => ({
  id: fixedId(5, 100 + n),
  orderId,
  variantId: variantId(1),
  productId: productId(1),
  sku: 'SKU-1-0',
  name: 'Trail black 1',
  quantity: 2,
  unitPriceCents: 1000,
  lineTotalCents: 2000,
  createdAt: at,
});

export const reviewRow = (id: string, status: string, createdAt: string) => ({
  id,
  productId: productId(1),
  userId: CUSTOMER,
  rating: 4,
  title: 'Warm',
  body: 'Very warm hoodie.',
  status,
  verifiedPurchase: true,
  moderatedBy: null,
  moderatedAt: null,
  moderationNote: null,
  createdAt,
  updatedAt: createdAt,
});

export const movementRow = (n: number, variant: string, delta: number, createdAt: string) => ({
  id: fixedId(4, 100 + n),
  variantId: variant,
  locationId: LOCATION_ID,
  kind: delta > 0 ? 'received' : 'sale',
  onHandDelta: delta,
  reservedDelta: 0,
  reason: delta > 0 ? 'received' : 'sale',
  note: null,
  actorId: null,
  reference: null,
  onHandAfter: 10,
  createdAt,
});

/** Everything the handlers read: a location, categories, three products, orders, reviews, an oversell. */
export function seedChanges(): Change[] {
  return [
    upsert('stock_locations', { id: LOCATION_ID, code: 'main', name: 'Main', isDefault: true }, 1),
    ...CATEGORY_IDS.map((id, i) =>
      upsert(
        'categories',
        { id, parentId: null, slug: `cat-${i}`, name: `Category ${i}`, description: '', position: i },
        1,
      ),
    ),
    ...productChanges(1, 2, 2, 10),
    ...productChanges(2, 1, 2, 3),
    ...productChanges(3, 1, 2, 0),
    upsert('customers', { id: CUSTOMER, email: 'ada@example.com', name: 'Ada Lovelace', disabled: false }, 3),
    upsert('orders', orderRow(PAID_ORDER, 1), 4),
    upsert(
      'orders',
      orderRow(UNPAID_ORDER, 2, { status: 'pending_payment', paymentStatus: 'pending', paidAt: null }),
      4,
    ),
    upsert(
      'orders',
      orderRow(SHIPPED_ORDER, 3, { status: 'fulfilled', fulfillmentCarrier: 'UPS', shippedAt: at, userId: null }),
      4,
    ),
    upsert('order_items', itemRow(PAID_ORDER, 1), 4),
    upsert('order_items', itemRow(UNPAID_ORDER, 2), 4),
    upsert('reviews', reviewRow(APPROVED_REVIEW, 'approved', '2026-01-05T00:00:00.000Z'), 5),
    upsert('reviews', reviewRow(PENDING_REVIEW, 'pending', '2026-01-02T00:00:00.000Z'), 5),
    upsert('stock_movements', movementRow(1, variantId(1), 10, '2026-01-03T00:00:00.000Z'), 6),
    upsert('stock_movements', movementRow(2, variantId(1), -2, '2026-01-04T00:00:00.000Z'), 6),
    upsert('stock_movements', movementRow(3, variantId(2), 3, '2026-01-04T00:00:00.000Z'), 6),
    upsert(
      'stock_oversells',
      {
        id: OVERSELL,
        variantId: variantId(3),
        locationId: LOCATION_ID,
        level: -2,
        resolvedAt: null,
        createdAt: '2026-01-06T00:00:00.000Z',
      },
      7,
    ),
  ];
}

/** A store holding seedChanges() (cursor 'seed', lastMutationSeq 0). */
export function seededStore(): Store {
  const store = openStore(':memory:');
  applyPullPage(store, page(seedChanges(), 'seed'));
  return store;
}

export { levelRow, page, upsert };

export const signedOut: SyncStatus = {
  online: false,
  state: 'signed_out',
  pending: 0,
  oldestPendingAgeMs: null,
  lastSyncAt: null,
  lastError: null,
  conflicts: 0,
  rejections: 0,
  oversells: 0,
  progress: null,
  epoch: null,
  user: null,
  serverUrl: null,
};

/** A SyncControl with no server behind it: sync and sign-in fail as they would offline. */
export function offlineSync(): SyncControl {
  let url: string | null = null;
  return {
    status: () => ({ ...signedOut, serverUrl: url }),
    syncNow: () => Promise.reject(new Error('fetch failed')),
    login: () => Promise.reject(new Error('fetch failed')),
    logout: () => Promise.resolve(),
    session: () => null,
    setServerUrl: (next) => {
      url = next;
    },
    serverUrl: () => url,
  };
}

export function seededHandlers(sync: SyncControl = offlineSync()): { store: Store; handlers: Handlers } {
  const store = seededStore();
  return { store, handlers: createHandlers({ store, sync }) };
}

/** The outbox as the next push would send it: name, args, baseVersion. */
export const queued = (store: Store) =>
  pendingMutations(store, 1000).map(({ name, args, baseVersion }) => ({ name, args, baseVersion }));

/** The channel's output, checked against the contract (throws with zod's issues when it does not fit). */
export const checked = <K extends ChannelName>(name: K, value: unknown): ChannelOutput<K> =>
  backoffice[name].output.parse(value) as ChannelOutput<K>;

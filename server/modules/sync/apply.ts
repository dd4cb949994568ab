/**
 * What each named mutation does on the server (SYNC.md rules 5-7). Every handler runs inside the
 * push's transaction (the admin services open savepoints in it), so its effect and the record of
 * its seq commit together. A business failure is an answer (`rejected`), never an exception.
 *
 * Per-field merge (rule 6): `*.update` carries the version of the row the device saw. A pushed
 * field whose server value changed after that version (sync_log.field_versions) and differs from
 * the pushed value is a conflict: the push, being later, wins; the overwritten value is kept in
 * sync_conflicts and listed in the answer. Fields nobody else touched apply cleanly, so two
 * devices editing different fields both win. Without baseVersion a patch simply applies.
 *
 * No resurrection (rule 7): editing a product that is gone, or archived after the version the
 * device saw, is rejected `product_archived` / `not_found`. A device that saw the archive (the
 * status field's version <= baseVersion) may un-archive on purpose by patching `status`.
 */
import { isDeepStrictEqual } from 'node:util';
import { and, eq } from 'drizzle-orm';
import type { VariantInput } from '../../../shared/api/catalog.schemas.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { MutationConflict, MutationEnvelope } from '../../../shared/sync/protocol.js';
import type { Mutation, MutationArgs } from '../../../shared/sync/mutations.js';
import type { AppContext } from '../../context.js';
import type { Db, Tx } from '../../db/client.js';
import { pgErrorCode } from '../../db/errors.js';
import { categories, orders, products, syncConflicts, syncLog, variants } from '../../db/schema/index.js';
import { createCategory, updateCategory } from '../catalog/categories.service.js';
import { archiveProduct, createProduct, updateProduct } from '../catalog/products.service.js';
import {
  checkAdjustment,
  countStock,
  defaultLocationId,
  recordMovement,
  recordMovements,
} from '../inventory/stock.service.js';
import { paymentProviderOf } from '../checkout/payments-port.js';
import { addNote, cancelOrder, fulfillOrder, staffOf } from '../orders/admin-orders.service.js';
import { moderateReview } from '../reviews/moderation.service.js';

/** A business refusal with a code of the sync protocol's own (not an HTTP error code). */
export class SyncRejection extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApplyContext {
  app: AppContext;
  tx: Tx;
  userId: string;
  clientId: string;
  envelope: MutationEnvelope;
  /** Lookups shared by the mutations of one push chunk (one transaction), e.g. the default location. */
  memo?: Map<string, unknown>;
}

async function memoized<T>(a: ApplyContext, key: string, load: () => Promise<T>): Promise<T> {
  if (a.memo?.has(key)) return a.memo.get(key) as T;
  const value = await load();
  a.memo?.set(key, value);
  return value;
}

/** Stock mutations without a location use the default one, looked up once per chunk. */
const locationOf = async (a: ApplyContext, locationId: string | undefined) =>
  locationId ?? (await memoized(a, 'defaultLocation', () => defaultLocationId(asDb(a.tx))));

export interface Applied {
  conflicts: MutationConflict[];
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const asDb = (tx: Tx) => tx as unknown as Db;

async function fieldLog(tx: Tx, table: string, rowId: string) {
  const [row] = await tx
    .select({ versions: syncLog.fieldVersions, writers: syncLog.fieldWriters })
    .from(syncLog)
    .where(and(eq(syncLog.tableName, table), eq(syncLog.rowId, rowId)));
  return { versions: row?.versions ?? {}, writers: row?.writers ?? {} };
}

async function fieldVersions(tx: Tx, table: string, rowId: string): Promise<Record<string, number>> {
  return (await fieldLog(tx, table, rowId)).versions;
}

/** The pushed fields that overwrite a value changed on the server since `baseVersion`. */
async function concurrentEdits(
  a: ApplyContext,
  table: string,
  rowId: string,
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Promise<MutationConflict[]> {
  const base = a.envelope.baseVersion;
  if (base === undefined) return [];
  const { versions, writers } = await fieldLog(a.tx, table, rowId);
  // A field this device wrote itself since (two offline edits in a row) is its own history, not a conflict.
  const concurrent = (field: string) => (versions[snake(field)] ?? 0) > base && writers[snake(field)] !== a.clientId;
  return Object.entries(patch)
    .filter(([field, value]) => concurrent(field) && !isDeepStrictEqual(current[field], value))
    .map(([field, value]) => ({ field, serverValue: current[field] ?? null, clientValue: value }));
}

async function recordConflicts(a: ApplyContext, table: string, rowId: string, conflicts: MutationConflict[]) {
  if (conflicts.length === 0) return;
  await a.tx.insert(syncConflicts).values(
    conflicts.map((c) => ({
      tableName: table,
      rowId,
      field: c.field,
      serverValue: c.serverValue,
      clientValue: c.clientValue,
      clientId: a.clientId,
      mutationId: a.envelope.id,
    })),
  );
}

/** The product, locked, or a rejection when it is gone or archived since the device looked. */
async function editableProduct(a: ApplyContext, productId: string, unarchiving = false) {
  const [product] = await a.tx.select().from(products).where(eq(products.id, productId)).for('update');
  if (!product) throw new SyncRejection('not_found', 'The product no longer exists on the server');
  if (product.status !== 'archived') return product;
  const base = a.envelope.baseVersion;
  const statusVersion = (await fieldVersions(a.tx, 'products', productId)).status ?? 0;
  if (unarchiving && base !== undefined && statusVersion <= base) return product;
  throw new SyncRejection('product_archived', `"${product.name}" was archived on the server; the edit was not applied`);
}

const toVariantInput = (v: typeof variants.$inferSelect): VariantInput => ({
  id: v.id,
  sku: v.sku,
  title: v.title,
  optionValues: v.optionValues,
  priceCents: v.priceCents,
  compareAtPriceCents: v.compareAtPriceCents,
  costCents: v.costCents,
  currency: v.currency,
  barcode: v.barcode,
  weightGrams: v.weightGrams,
  lowStockThreshold: v.lowStockThreshold,
  position: v.position,
});

async function productVariants(tx: Tx, productId: string) {
  return tx.select().from(variants).where(eq(variants.productId, productId)).orderBy(variants.position, variants.id);
}

type Handler<N extends Mutation['name']> = (a: ApplyContext, args: MutationArgs<N>) => Promise<Applied | void>;
type Handlers = { [N in Mutation['name']]: Handler<N> };

const handlers: Handlers = {
  'product.create': async (a, args) => {
    await createProduct(asDb(a.tx), args, a.userId);
  },
  'product.update': async (a, { productId, patch }) => {
    const product = await editableProduct(a, productId, patch.status !== undefined && patch.status !== 'archived');
    const conflicts = await concurrentEdits(a, 'products', productId, product, patch);
    await updateProduct(asDb(a.tx), productId, patch);
    await recordConflicts(a, 'products', productId, conflicts);
    return { conflicts };
  },
  'product.archive': async (a, { productId }) => {
    await archiveProduct(asDb(a.tx), productId);
  },
  'variant.create': async (a, { productId, initialStock, ...variant }) => {
    await editableProduct(a, productId);
    const list = (await productVariants(a.tx, productId)).map(toVariantInput);
    await updateProduct(asDb(a.tx), productId, {
      variants: [...list, { ...variant, position: variant.position ?? list.length }],
    });
    if (initialStock) {
      await recordMovement(a.tx, {
        variantId: variant.id,
        kind: 'received',
        onHandDelta: initialStock,
        reason: 'opening stock',
        actorId: a.userId,
        reference: `sync:${a.envelope.id}`,
      });
    }
  },
  'variant.update': async (a, { variantId, patch }) => {
    const [variant] = await a.tx.select().from(variants).where(eq(variants.id, variantId));
    if (!variant) throw new SyncRejection('not_found', 'The variant no longer exists on the server');
    await editableProduct(a, variant.productId);
    const conflicts = await concurrentEdits(a, 'variants', variantId, variant, patch);
    const list = (await productVariants(a.tx, variant.productId)).map((v) =>
      v.id === variantId ? { ...toVariantInput(v), ...patch } : toVariantInput(v),
    );
    await updateProduct(asDb(a.tx), variant.productId, { variants: list });
    await recordConflicts(a, 'variants', variantId, conflicts);
    return { conflicts };
  },
  'category.create': async (a, args) => {
    await createCategory(asDb(a.tx), args);
  },
  'category.update': async (a, { categoryId, patch }) => {
    const [category] = await a.tx.select().from(categories).where(eq(categories.id, categoryId)).for('update');
    if (!category) throw new SyncRejection('not_found', 'The category no longer exists on the server');
    const conflicts = await concurrentEdits(a, 'categories', categoryId, category, patch);
    await updateCategory(asDb(a.tx), categoryId, patch);
    await recordConflicts(a, 'categories', categoryId, conflicts);
    return { conflicts };
  },
  // A push sends runs of these to applyStockAdjustments itself; one alone goes the same way.
  'stock.adjust': async (a, args) => {
    const [outcome] = await applyStockAdjustments(a, [{ envelope: a.envelope, args }]);
    if (outcome?.status === 'rejected') throw new SyncRejection(outcome.error.code, outcome.error.message);
  },
  'stock.count': async (a, args) => {
    const locationId = await locationOf(a, args.locationId);
    await countStock(asDb(a.tx), { ...args, locationId }, a.userId, `sync:${a.envelope.id}`);
  },
  'order.fulfill': async (a, { orderId, carrier, trackingNumber }) => {
    await fulfillOrder({ ...a.app, db: asDb(a.tx) }, orderId, { carrier, trackingNumber }, staffOf(a.userId));
  },
  'order.cancel': async (a, { orderId, reason }) => {
    const [order] = await a.tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
    if (!order) throw notFound('Order');
    // Cancelling a paid order refunds it through the provider: not something to queue (SYNC.md).
    if (order.status !== 'pending_payment') {
      throw new SyncRejection(
        'needs_connection',
        'Cancelling an order that is paid refunds it: do it from the order page while online',
      );
    }
    await cancelOrder({ ...a.app, db: asDb(a.tx) }, paymentProviderOf(a.app), orderId, { reason }, staffOf(a.userId));
  },
  'order.note': async (a, { orderId, note }) => {
    await addNote({ ...a.app, db: asDb(a.tx) }, orderId, note, staffOf(a.userId), a.envelope.id);
  },
  'review.moderate': async (a, { reviewId, status }) => {
    await moderateReview(a.tx, { reviewId, status, actorId: a.userId });
  },
};

export type Outcome =
  | { status: 'applied' }
  | { status: 'conflict'; conflicts: MutationConflict[] }
  | { status: 'rejected'; error: { code: string; message: string } };

/** Runs one checked mutation in a savepoint: a refusal rolls back its partial effect only. */
export async function applyMutation(a: ApplyContext, mutation: Mutation): Promise<Outcome> {
  try {
    const applied = await a.tx.transaction(async (sp) => {
      const handler = handlers[mutation.name] as Handler<typeof mutation.name>;
      return handler({ ...a, tx: sp }, mutation.args);
    });
    const conflicts = applied?.conflicts ?? [];
    return conflicts.length > 0 ? { status: 'conflict', conflicts } : { status: 'applied' };
  } catch (err) {
    if (err instanceof SyncRejection) return { status: 'rejected', error: { code: err.code, message: err.message } };
    if (err instanceof AppError && err.status < 500) {
      return { status: 'rejected', error: { code: err.code, message: err.message } };
    }
    // Data and integrity errors (SQLSTATE classes 22 and 23: an unknown location, a value out of
    // range) fail the same way on every retry: answered, or they would wedge the device's queue.
    const state = pgErrorCode(err);
    if (state && /^2[23]/.test(state)) {
      return {
        status: 'rejected',
        error: { code: 'invalid_arguments', message: `the database refused it (${state})` },
      };
    }
    throw err;
  }
}

export interface StockAdjustment {
  envelope: MutationEnvelope;
  args: MutationArgs<'stock.adjust'>;
}

/**
 * A run of consecutive `stock.adjust` mutations of one push chunk, applied together (one round
 * trip, inventory/stock.service.ts recordMovements) with the outcomes applyMutation would give one
 * by one: a delta that does not fit its reason, an unknown variant, or a movement the database
 * refuses as data is `rejected` and undone alone; the others apply, in order.
 */
export async function applyStockAdjustments(
  a: Omit<ApplyContext, 'envelope'>,
  run: readonly StockAdjustment[],
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const planned: { index: number; input: Parameters<typeof recordMovements>[1][number] }[] = [];
  for (const [index, { envelope, args }] of run.entries()) {
    try {
      checkAdjustment(args);
    } catch (error) {
      const { code, message } = error as AppError;
      outcomes[index] = { status: 'rejected', error: { code, message } };
      continue;
    }
    planned.push({
      index,
      input: {
        variantId: args.variantId,
        locationId: await locationOf({ ...a, envelope }, args.locationId),
        kind: args.reason,
        onHandDelta: args.delta,
        reason: args.reason,
        note: args.note,
        actorId: a.userId,
        reference: `sync:${envelope.id}`,
      },
    });
  }
  const moved = await recordMovements(
    asDb(a.tx),
    planned.map((p) => p.input),
    { catchDataErrors: true },
  );
  for (const [i, outcome] of moved.entries())
    outcomes[planned[i]!.index] = outcome.ok
      ? { status: 'applied' }
      : { status: 'rejected', error: { code: outcome.code, message: outcome.message } };
  return outcomes;
}

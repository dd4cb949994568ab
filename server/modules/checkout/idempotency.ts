/**
 * Idempotency keys for checkout (Stripe's model): the first request with a key claims it; the
 * same key with the same body then answers the stored response, with another body 422
 * `idempotency_key_reused`, and while the first is still running 409 `idempotency_key_in_flight`.
 * Only a success is stored: a refused checkout (empty cart, out of stock) frees the key, so the
 * shopper can fix the cart and retry with it. Once an order exists the key stays bound to it: a
 * retry after a provider failure pays that order instead of creating another.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { AppError } from '../../../shared/domain/errors.js';
import type { DbOrTx } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/index.js';

/** A claim older than this is taken to belong to a crashed request and may be taken over. */
export const IN_FLIGHT_TIMEOUT_SECONDS = 120;

export type Claim =
  | { kind: 'claimed'; id: string; orderId: string | null }
  | { kind: 'replay'; status: number; body: unknown; orderId: string | null };

/** JSON with object keys sorted at every level: equal requests hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const requestHash = (body: unknown): string => createHash('sha256').update(canonicalJson(body)).digest('hex');

const columns = {
  id: idempotencyKeys.id,
  orderId: idempotencyKeys.orderId,
  requestHash: idempotencyKeys.requestHash,
  responseStatus: idempotencyKeys.responseStatus,
  responseBody: idempotencyKeys.responseBody,
};

export async function claimKey(db: DbOrTx, scope: string, key: string, hash: string): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [inserted] = await db
      .insert(idempotencyKeys)
      .values({ scope, key, requestHash: hash, lockedAt: sql`now()` })
      .onConflictDoNothing({ target: [idempotencyKeys.scope, idempotencyKeys.key] })
      .returning(columns);
    if (inserted) return { kind: 'claimed', id: inserted.id, orderId: null };
    const at = and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
    // Unfinished and not running (a provider failure), or abandoned by a crashed request: take it over.
    const [taken] = await db
      .update(idempotencyKeys)
      .set({ lockedAt: sql`now()` })
      .where(
        and(
          at,
          eq(idempotencyKeys.requestHash, hash),
          isNull(idempotencyKeys.responseStatus),
          or(
            isNull(idempotencyKeys.lockedAt),
            lt(idempotencyKeys.lockedAt, sql`now() - make_interval(secs => ${IN_FLIGHT_TIMEOUT_SECONDS}::int)`),
          ),
        ),
      )
      .returning(columns);
    if (taken) return { kind: 'claimed', id: taken.id, orderId: taken.orderId };
    const [row] = await db.select(columns).from(idempotencyKeys).where(at);
    if (!row) continue; // freed by a refused request meanwhile: claim again
    if (row.requestHash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request body: use a new key for a new request',
      );
    }
    if (row.responseStatus !== null) {
      return { kind: 'replay', status: row.responseStatus, body: row.responseBody, orderId: row.orderId };
    }
    throw new AppError(
      'idempotency_key_in_flight',
      'A request with this Idempotency-Key is still being processed: retry in a moment',
      { headers: { 'Retry-After': '1' } },
    );
  }
  throw new AppError('idempotency_key_in_flight', 'This Idempotency-Key is busy: retry in a moment', {
    headers: { 'Retry-After': '1' },
  });
}

export async function attachOrder(tx: DbOrTx, claimId: string, orderId: string): Promise<void> {
  await tx.update(idempotencyKeys).set({ orderId }).where(eq(idempotencyKeys.id, claimId));
}

export async function completeKey(tx: DbOrTx, claimId: string, status: number, body: unknown): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: status, responseBody: body, lockedAt: null })
    .where(eq(idempotencyKeys.id, claimId));
}

/** After a failure: a key without an order is forgotten; one with an order is unlocked for a retry. */
export async function releaseKey(db: DbOrTx, claimId: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, claimId), isNull(idempotencyKeys.orderId)));
  await db.update(idempotencyKeys).set({ lockedAt: null }).where(eq(idempotencyKeys.id, claimId));
}

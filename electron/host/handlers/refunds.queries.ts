/**
 * The Idempotency-Keys of refunds sent but not known to be finished (db/schema.ts refundAttempts).
 * The same refund asked again within a day reuses its key, so the server answers the first refund
 * instead of making a second; after a day the same figures are taken as a new refund.
 */
import { newId } from '../../../shared/domain/ids.js';
import type { Store } from '../db/store.js';

/** Long enough to cover a retry after any cut connection; short enough that a deliberate repeat days later is new. */
export const ATTEMPT_TTL_MS = 24 * 60 * 60 * 1000;

const statements = (store: Store) =>
  store.cached('handlers:refund-attempts', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      expire: q('DELETE FROM refund_attempts WHERE created_at < ?'),
      insert: q(
        `INSERT INTO refund_attempts (order_id, request, idempotency_key, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (order_id, request) DO NOTHING`,
      ),
      key: q('SELECT idempotency_key FROM refund_attempts WHERE order_id = ? AND request = ?').pluck(),
      forget: q('DELETE FROM refund_attempts WHERE order_id = ? AND request = ?'),
    };
  });

/** The key for this exact refund: the stored one when it was already tried, else a new one, stored now (before any request). */
export function refundKey(store: Store, orderId: string, request: string, now = new Date()): string {
  const st = statements(store);
  return store.transaction(() => {
    st.expire.run(new Date(now.getTime() - ATTEMPT_TTL_MS).toISOString());
    st.insert.run(orderId, request, newId(), now.toISOString());
    return st.key.get(orderId, request) as string;
  });
}

/** The refund is settled (made, or refused before anything moved): the next identical request is a new refund. */
export function forgetRefund(store: Store, orderId: string, request: string): void {
  statements(store).forget.run(orderId, request);
}

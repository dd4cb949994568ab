/**
 * Refunds: money moves at the payment provider, so they happen only with the server online and are
 * never queued (an offline refund replayed hours later could refund an order already refunded by
 * someone else). POST /api/v1/admin/orders/:id/refunds carries an Idempotency-Key stored before the
 * request (refunds.queries.ts): a refund whose answer was lost is asked again with the same key and
 * the server answers that refund instead of making a second.
 */
import { IDEMPOTENCY_KEY_HEADER } from '../../../shared/api/checkout.schemas.js';
import { adminOrderSummarySchema, refundResult } from '../../../shared/api/orders.schemas.js';
import type { ChannelArgs, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import type { Store } from '../db/store.js';
import { NetworkError, ServerError, type SyncClient } from '../sync/client.js';
import { orderDetail } from './orders.queries.js';
import { forgetRefund, refundKey } from './refunds.queries.js';
import { readAnswer, refusal, type ServerAccess } from './server-call.js';

type RefundOutcome = ChannelOutput<'orders:refund'>;

export const needsConnection = (why: string) =>
  new AppError('needs_connection', `Refunds need a connection to the server: ${why}`);

const lostAnswer = (detail: string) =>
  needsConnection(
    `the server could not be reached or its answer was lost (${detail}). Nothing is queued. ` +
      'If the refund went through, asking for the same refund again will not refund twice.',
  );

export async function refundOrder(
  store: Store,
  server: ServerAccess,
  input: ChannelArgs<'orders:refund'>,
): Promise<RefundOutcome> {
  const { orderId, ...body } = input;
  const local = orderDetail(store, orderId);
  if (!local) throw notFound('Order');
  const api = server.api();
  if (!api) throw needsConnection('sign in to the server first. Nothing was refunded.');
  // zod built `body` in its schema's key order, so the same refund always gives the same text (and key).
  const request = JSON.stringify(body);
  const key = refundKey(store, orderId, request);
  const res = await post(api, orderId, key, request);
  if (!res.ok) {
    const error = await refusal(res);
    if (error instanceof NetworkError) throw lostAnswer(error.message);
    if (res.status === 401) throw needsConnection('the session has ended: sign in again.');
    // A 4xx is refused before the server records anything, so the key is free again; a 5xx
    // (provider failure) left a failed refund under this key, which the same key retries.
    if (res.status < 500) forgetRefund(store, orderId, request);
    throw error;
  }
  const result = await readAnswer(res, refundResult, 'the refund').catch((error: unknown) => {
    throw error instanceof NetworkError ? lostAnswer(error.message) : error;
  });
  forgetRefund(store, orderId, request);
  // The local order cache catches up through sync; the answer already shows the server's order.
  server.requestSync();
  // The timeline as synced: the refund's events arrive with the sync just asked for.
  return {
    ...adminOrderSummarySchema.parse(result.order),
    timeline: local.timeline,
    pendingNotes: local.pendingNotes,
    refund: result.refund,
  };
}

/**
 * One immediate second try on a network failure (a kept-alive connection the server had closed
 * fails at once): safe, because it carries the same Idempotency-Key.
 */
async function post(api: SyncClient, orderId: string, key: string, request: string): Promise<Response> {
  const send = () =>
    api.send('POST', `/api/v1/admin/orders/${orderId}/refunds`, {
      headers: { 'content-type': 'application/json', [IDEMPOTENCY_KEY_HEADER]: key },
      body: request,
    });
  try {
    return await send().catch((error: unknown) => {
      if (error instanceof NetworkError) return send();
      throw error;
    });
  } catch (error) {
    if (error instanceof NetworkError) throw lostAnswer(error.message);
    if (error instanceof ServerError) throw needsConnection('the session has ended: sign in again.');
    throw error;
  }
}

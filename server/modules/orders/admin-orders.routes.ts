/** Staff routes for orders (API.md "Admin"): staff or admin only, like everything under /admin. */
import type { Request } from 'express';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_SHAPE } from '../../../shared/api/checkout.schemas.js';
import { uuidParam } from '../../../shared/api/common.schemas.js';
import {
  adminOrderListSchema,
  adminOrderSchema,
  adminOrdersQuery,
  cancelInput,
  fulfillInput,
  noteInput,
  orderNoteSchema,
  refundInput,
  refundResult,
} from '../../../shared/api/orders.schemas.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import { paymentProviderOf } from '../checkout/payments-port.js';
import {
  addNote,
  adminOrder,
  cancelOrder,
  deliverOrder,
  fulfillOrder,
  listOrders,
  staffOf,
} from './admin-orders.service.js';
import { toRefundView } from './orders.repo.js';
import { refundOrder } from './refunds.service.js';

function idempotencyKey(req: Request): string {
  const key = req.get(IDEMPOTENCY_KEY_HEADER);
  if (key === undefined || key === '') {
    throw new AppError('idempotency_key_required', `Send an ${IDEMPOTENCY_KEY_HEADER} header (a new UUID per refund)`);
  }
  if (!IDEMPOTENCY_KEY_SHAPE.test(key)) {
    throw new AppError('validation_failed', `The ${IDEMPOTENCY_KEY_HEADER} header is malformed`, {
      errors: [{ path: `headers.${IDEMPOTENCY_KEY_HEADER}`, message: 'must be 1 to 255 printable ASCII characters' }],
    });
  }
  return key;
}

export function adminOrderRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Admin: orders'];
  const access = 'staff' as const;
  return new ApiRouter('/api/v1/admin/orders')
    .add({
      method: 'get',
      path: '/',
      summary: 'Orders, newest first, filtered',
      description:
        '`status` (repeat it or separate by commas), `from`/`to` (created, inclusive), `email` (case-insensitive, ' +
        'the whole address or its beginning), `number` (NX-100001), `needsAttention=true`.',
      tags,
      access,
      query: adminOrdersQuery,
      response: adminOrderListSchema,
      handler: ({ query }) => listOrders(ctx.db, query),
    })
    .add({
      method: 'get',
      path: '/:id',
      summary: 'One order with its refunds, staff notes and timeline',
      tags,
      access,
      params: uuidParam,
      response: adminOrderSchema,
      errors: [404],
      handler: ({ params }) => adminOrder(ctx.db, params.id),
    })
    .add({
      method: 'post',
      path: '/:id/fulfill',
      summary: 'Ship a paid order: store carrier and tracking number, e-mail the shopper',
      description:
        'Paid or partially refunded orders not yet shipped; anything else is 409 `invalid_order_transition`.',
      tags,
      access,
      params: uuidParam,
      body: fulfillInput,
      response: adminOrderSchema,
      errors: [404, 409],
      handler: ({ params, body, auth }) => fulfillOrder(ctx, params.id, body, staffOf(auth.userId)),
    })
    .add({
      method: 'post',
      path: '/:id/deliver',
      summary: 'Mark a shipped order delivered',
      tags,
      access,
      params: uuidParam,
      response: adminOrderSchema,
      errors: [404, 409],
      handler: ({ params, auth }) => deliverOrder(ctx, params.id, staffOf(auth.userId)),
    })
    .add({
      method: 'post',
      path: '/:id/cancel',
      summary: 'Cancel an order: releases or returns its stock, refunds it in full if paid',
      description:
        'Unpaid: the stock reservation is released. Paid and not shipped: the units go back on hand and the ' +
        'payment is refunded in full (502 `payment_provider_error` if the provider fails: the order stays ' +
        'cancelled and is flagged). Shipped, refunded or cancelled orders: 409.',
      tags,
      access,
      params: uuidParam,
      body: cancelInput,
      response: adminOrderSchema,
      errors: [404, 409, 502],
      handler: ({ params, body, auth }) =>
        cancelOrder(ctx, paymentProviderOf(ctx), params.id, body, staffOf(auth.userId)),
    })
    .add({
      method: 'post',
      path: '/:id/refunds',
      summary: 'Refund a paid order in full or in part, optionally restocking units',
      description:
        `Needs an ${IDEMPOTENCY_KEY_HEADER} header: the same key and body answer the same refund (one refund at ` +
        'the provider); another body is 422 `idempotency_key_reused`. More than is left to refund is 422 ' +
        '`refund_exceeds_paid`. With `restock`, `lines` name the units going back (on a refund of everything ' +
        'left they may be omitted: every unit). Units go back on hand only once the provider confirmed. A ' +
        'provider failure is 502 `payment_provider_error`: the refund is recorded failed and the order flagged.',
      tags,
      access,
      params: uuidParam,
      body: refundInput,
      status: 201,
      response: refundResult,
      errors: [400, 404, 409, 422, 502],
      handler: async ({ params, body, auth, req }) => {
        const key = idempotencyKey(req);
        const refund = await refundOrder(ctx, paymentProviderOf(ctx), params.id, key, body, staffOf(auth.userId));
        const order = await adminOrder(ctx.db, params.id);
        return { refund: toRefundView(refund, order.currency), order };
      },
    })
    .add({
      method: 'post',
      path: '/:id/notes',
      summary: 'Add a staff note to the order timeline (never shown to the shopper)',
      tags,
      access,
      params: uuidParam,
      body: noteInput,
      status: 201,
      response: orderNoteSchema,
      errors: [404],
      handler: ({ params, body, auth }) => addNote(ctx, params.id, body.body, staffOf(auth.userId)),
    });
}

import type { Request } from 'express';
import { CART_TOKEN_HEADER } from '../../../shared/api/cart.schemas.js';
import {
  checkoutBody,
  checkoutResponse,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_SHAPE,
} from '../../../shared/api/checkout.schemas.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import type { AuthContext } from '../../http/auth.js';
import { ApiRouter } from '../../http/route.js';
import type { CartOwner } from '../cart/cart.service.js';
import { checkout } from './checkout.service.js';
import { paymentProviderOf } from './payments-port.js';

function idempotencyKey(req: Request): string {
  const key = req.get(IDEMPOTENCY_KEY_HEADER);
  if (key === undefined || key === '') {
    throw new AppError(
      'idempotency_key_required',
      `Send an ${IDEMPOTENCY_KEY_HEADER} header (a new UUID per checkout)`,
    );
  }
  if (!IDEMPOTENCY_KEY_SHAPE.test(key)) {
    throw new AppError('validation_failed', `The ${IDEMPOTENCY_KEY_HEADER} header is malformed`, {
      errors: [{ path: `headers.${IDEMPOTENCY_KEY_HEADER}`, message: 'must be 1 to 255 printable ASCII characters' }],
    });
  }
  return key;
}

function owner(auth: AuthContext | undefined, req: Request): CartOwner {
  if (auth) return { kind: 'member', userId: auth.userId };
  const token = req.get(CART_TOKEN_HEADER);
  if (!token) {
    throw new AppError('cart_token_required', `Send the ${CART_TOKEN_HEADER} header of a guest cart, or sign in`);
  }
  return { kind: 'guest', token };
}

export function checkoutRoutes(ctx: AppContext): ApiRouter {
  return new ApiRouter('/api/v1/checkout').add({
    method: 'post',
    path: '/',
    summary: "Turn the caller's cart into an order and start its payment",
    description:
      `Needs an ${IDEMPOTENCY_KEY_HEADER} header: the same key with the same body answers the same result; with another ` +
      'body 422 `idempotency_key_reused`; while the first request runs 409 `idempotency_key_in_flight`. ' +
      `Signed in (Bearer): the member's cart, e-mail from the account unless given; otherwise the guest cart of ` +
      `${CART_TOKEN_HEADER} and \`email\` is required. Prices, shipping and tax are computed by the server: any ` +
      'other field in the body is ignored. Stock is reserved atomically; 409 `out_of_stock` names each short ' +
      'variant (nothing is reserved), 409 `cart_changed` names lines that can no longer be bought, 422 `cart_empty`. ' +
      'The order is `pending_payment` until the payment succeeds, and is cancelled (stock released) when unpaid ' +
      'after ORDER_PAYMENT_TTL_MINUTES. 502 `payment_provider_unavailable`: the order exists; retry with the same key. ' +
      'A guest gets `order.accessToken`, the key to read the order (`GET /api/v1/orders/:id?token=`).',
    tags: ['Checkout'],
    access: 'public',
    body: checkoutBody,
    status: 201,
    response: checkoutResponse,
    errors: [400, 404, 409, 422, 502],
    handler: ({ auth, req, body }) => {
      const who = owner(auth, req);
      const key = idempotencyKey(req);
      return checkout(ctx, paymentProviderOf(ctx), who, key, body);
    },
  });
}

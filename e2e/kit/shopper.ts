/**
 * A shopper on the store API, over real HTTP as a browser or app would call it: a guest cart, its
 * lines, checkout, then payment with the built-in test provider's card (the outcome travels the
 * same event path as a Stripe webhook). Answers the paid order as the shopper's own link reads it.
 */
import type { Cart } from '../../shared/api/cart.schemas.js';
import type { CheckoutResult } from '../../shared/api/checkout.schemas.js';
import type { Order } from '../../shared/api/orders.schemas.js';
import type { TestConfirmResult } from '../../shared/api/payments.schemas.js';
import { address } from '../../server/modules/checkout/checkout.testkit.js';
import { usePaymentProvider } from '../../server/modules/checkout/payments-port.js';
import type { CentralServer } from './central.js';

/** The built-in test provider's card that always succeeds. */
export const SUCCEEDING_CARD = '4242424242424242';

export interface ShopperOrder {
  email: string;
  /** Who the parcel goes to (the checkout fixtures' address otherwise). */
  name?: string;
  /** [variantId, quantity] per cart line. */
  lines: [string, number][];
}

export type PaidOrder = Order & { accessToken: string };

let keys = 0;

/**
 * Places and pays for an order the way a guest does in the storefront. Fails with the server's
 * answer when any step is refused, so a broken store API reads as such, not as a missing toast.
 */
export async function placePaidOrder(server: CentralServer, order: ShopperOrder): Promise<PaidOrder> {
  // The server's fixtures (central.ts) give checkout a fake provider whose payments nobody can
  // confirm; a shopper pays through the real one, as production has it when Stripe is not set up.
  const ctx = server.app.nexus.ctx;
  usePaymentProvider(ctx, ctx.payments.provider);

  const api = storeApi(server.url);
  const { token } = await api<{ cart: Cart; token: string }>('POST', '/cart', 201);
  const asGuest = { 'X-Cart-Token': token };
  for (const [variantId, quantity] of order.lines)
    await api<Cart>('POST', '/cart/items', 200, { variantId, quantity }, asGuest);

  const placed = await api<CheckoutResult>(
    'POST',
    '/checkout',
    201,
    { email: order.email, shippingAddress: { ...address(), ...(order.name ? { name: order.name } : {}) } },
    { ...asGuest, 'Idempotency-Key': `e2e-shopper-${process.pid}-${++keys}` },
  );
  if (placed.payment.provider !== 'test')
    throw new Error(`checkout chose the ${placed.payment.provider} provider, not the built-in test one`);
  const { id, accessToken } = placed.order as PaidOrder;

  const paid = await api<TestConfirmResult>('POST', '/payments/test/confirm', 200, {
    orderId: id,
    card: SUCCEEDING_CARD,
  });
  if (paid.status !== 'succeeded') throw new Error(`the test card was ${paid.status}: ${paid.failureMessage ?? ''}`);

  const read = await api<Order>('GET', `/orders/${id}?token=${encodeURIComponent(accessToken)}`, 200);
  if (read.status !== 'paid') throw new Error(`order ${read.number} is ${read.status} after payment, not paid`);
  return { ...read, accessToken };
}

/** JSON calls to `/api/v1` that throw unless the answer has the expected status. */
function storeApi(baseUrl: string) {
  return async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    expected: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== expected)
      throw new Error(`store API ${method} ${path}: ${response.status} (wanted ${expected}) ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  };
}

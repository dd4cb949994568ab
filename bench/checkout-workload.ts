/**
 * One simulated shopper of the checkout benchmark, through the public API as a storefront does it:
 * a guest cart, its lines, POST /checkout with an Idempotency-Key, then the built-in test
 * provider's confirmation with the success card. It times checkout alone and checkout + payment,
 * and counts failures by step and status.
 */
import { randomUUID } from 'node:crypto';
import { CART_TOKEN_HEADER } from '../shared/api/cart.schemas.js';
import { IDEMPOTENCY_KEY_HEADER } from '../shared/api/checkout.schemas.js';
import type { httpJson } from './lib/http-load.js';

export interface CheckoutWorkload {
  /** The "spread" scenario buys among these. */
  variants: string[];
  /** The "hot" scenario buys only this one. */
  hotVariant: string;
}

export interface Scenario {
  name: 'spread' | 'hot';
  lines(w: CheckoutWorkload, i: number): [variantId: string, quantity: number][];
}

/** A cheap deterministic spread of indexes (Knuth's multiplicative hash), so runs compare. */
const mix = (i: number, salt: number) => (Math.imul(i + 1, 2654435761) ^ Math.imul(salt, 40503)) >>> 0;

export const SCENARIOS: Scenario[] = [
  {
    name: 'spread',
    lines: (w, i) => {
      const picked = new Set<string>();
      for (let k = 0; k < 1 + (mix(i, 1) % 3); k++) picked.add(w.variants[mix(i, k + 2) % w.variants.length]!);
      return [...picked].map((v) => [v, 1]);
    },
  },
  { name: 'hot', lines: (w) => [[w.hotVariant, 1]] },
];

export const SUCCESS_CARD = '4242424242424242';

/** What a run of shoppers did: latencies of the successful ones and failures by step and status. */
export class Tally {
  readonly checkout: number[] = [];
  readonly checkoutAndPay: number[] = [];
  readonly errors = new Map<string, number>();
  ordered = 0;
  confirmed = 0;

  fail(step: string, status: number): false {
    const key = `${step} ${status || 'network'}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
    return false;
  }

  errorSummary(): string {
    return [...this.errors].map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  }

  addTo(total: Tally): void {
    total.ordered += this.ordered;
    total.confirmed += this.confirmed;
    for (const [k, n] of this.errors) total.errors.set(k, (total.errors.get(k) ?? 0) + n);
  }
}

const ADDRESS = {
  name: 'Bench Shopper',
  line1: '1 Load Street',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

/** One shopper's visit; true when the order was placed and paid. */
export async function shop(
  client: ReturnType<typeof httpJson>,
  lines: [string, number][],
  tally: Tally,
): Promise<boolean> {
  const cart = await client.request('POST', '/api/v1/cart');
  if (cart.status !== 201) return tally.fail('cart', cart.status);
  const headers = { [CART_TOKEN_HEADER]: (cart.body as { token: string }).token };
  for (const [variantId, quantity] of lines) {
    const added = await client.request('POST', '/api/v1/cart/items', { variantId, quantity }, headers);
    if (added.status !== 200) return tally.fail('add to cart', added.status);
  }
  const t0 = performance.now();
  const placed = await client.request(
    'POST',
    '/api/v1/checkout',
    { email: 'shopper@bench.invalid', shippingAddress: ADDRESS },
    { ...headers, [IDEMPOTENCY_KEY_HEADER]: randomUUID() },
  );
  if (placed.status !== 201) return tally.fail('checkout', placed.status);
  tally.checkout.push(performance.now() - t0);
  tally.ordered++;
  const orderId = (placed.body as { order: { id: string } }).order.id;
  const paid = await client.request('POST', '/api/v1/payments/test/confirm', { orderId, card: SUCCESS_CARD });
  if (paid.status !== 200 || (paid.body as { status?: string }).status !== 'succeeded') {
    return tally.fail('pay', paid.status);
  }
  tally.checkoutAndPay.push(performance.now() - t0);
  tally.confirmed++;
  return true;
}

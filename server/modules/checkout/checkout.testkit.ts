/** Fixtures for checkout and order tests: a fake payment provider, carts ready to check out, stock reads. */
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/sql.js';
import type { TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import type { CreatedPayment, CreatePaymentInput, PaymentProvider } from '../payments/contract.js';
import { applyPaymentEvent } from '../orders/payment-events.js';
import { usePaymentProvider } from './payments-port.js';

/** A provider that records calls, answers `pay_<orderId>`, and fails the next `failNext` calls. */
export function fakeProvider() {
  const provider = {
    name: 'test' as const,
    calls: [] as CreatePaymentInput[],
    failNext: 0,
    async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
      provider.calls.push(input);
      if (provider.failNext > 0) {
        provider.failNext--;
        throw new Error('provider down');
      }
      return { provider: 'test', paymentId: `pay_${input.orderId}`, clientSecret: `secret_${input.orderId}` };
    },
    async refund() {
      return { refundId: 'rf_1', status: 'succeeded' as const };
    },
  } satisfies PaymentProvider & { calls: CreatePaymentInput[]; failNext: number };
  return provider;
}

export const address = (country = 'US') => ({
  name: 'Ada Lovelace',
  line1: '1 Analytical Way',
  city: 'London',
  postalCode: 'N1 1AA',
  country,
});

let keys = 0;
export const newKey = () => `key-${Date.now()}-${++keys}`;

export async function checkoutKit(app: TestApp) {
  const cart = await cartKit(app);
  const provider = fakeProvider();
  usePaymentProvider(app.nexus.ctx, provider);
  const db = app.nexus.ctx.db;

  /** A guest cart holding `quantity` of each variant. */
  async function guestCartWith(lines: [string, number][]) {
    const guest = await cart.newGuestCart();
    for (const [v, q] of lines) {
      const res = await cart.add(guest.headers, v, q);
      if (res.status !== 200) throw new Error(`add fixture: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return guest;
  }

  const checkout = (headers: Record<string, string>, body: Record<string, unknown>, key: string | null = newKey()) => {
    const req = app.request.post('/api/v1/checkout').set(headers);
    return (key === null ? req : req.set('Idempotency-Key', key)).send(body);
  };

  const level = async (variantId: string) =>
    (
      await queryRows<{ on_hand: number; reserved: number }>(
        db,
        sql`select on_hand, reserved from stock_levels where variant_id = ${variantId}::uuid`,
      )
    )[0] ?? { on_hand: 0, reserved: 0 };

  /** The ledger's sums for a variant: they must equal the level. */
  const ledger = async (variantId: string) =>
    (
      await queryRows<{ on_hand: number; reserved: number; kinds: string[] | null }>(
        db,
        sql`select coalesce(sum(on_hand_delta), 0)::int as on_hand, coalesce(sum(reserved_delta), 0)::int as reserved,
              array_agg(kind::text order by created_at, id) as kinds
            from stock_movements where variant_id = ${variantId}::uuid`,
      )
    )[0]!;

  const orderCount = async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from orders`))[0]!.n;

  const orderRow = async (id: string) =>
    (
      await queryRows<{
        status: string;
        payment_status: string;
        needs_attention: boolean;
        cancellation_reason: string | null;
        refunded_cents: number;
        payment_intent_id: string | null;
      }>(db, sql`select * from orders where id = ${id}::uuid`)
    )[0]!;

  const events = async (orderId: string) =>
    (
      await queryRows<{ type: string }>(
        db,
        sql`select type from order_events where order_id = ${orderId}::uuid order by created_at, id`,
      )
    ).map((r) => r.type);

  /** Makes an order's reservation lapse. */
  const lapse = (orderId: string) =>
    db.execute(sql`update orders set expires_at = now() - interval '1 minute' where id = ${orderId}::uuid`);

  return { ...cart, provider, guestCartWith, checkout, level, ledger, orderCount, orderRow, events, lapse };
}

/** Pays an order as the provider's webhook would (`evt_<id>`, `pay_<id>`), through the real handler. */
export function markPaid(app: TestApp, order: { id: string; totalCents: number }) {
  return app.nexus.ctx.db.transaction((tx) =>
    applyPaymentEvent(app.nexus.ctx.config, tx, {
      id: `evt_${order.id}`,
      provider: 'test',
      type: 'payment.succeeded',
      orderId: order.id,
      paymentId: `pay_${order.id}`,
      amountCents: order.totalCents,
      currency: 'USD',
    }),
  );
}

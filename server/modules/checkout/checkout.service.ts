/**
 * Checkout: the caller's cart becomes a `pending_payment` order with its stock reserved, in one
 * transaction; the payment is created at the provider after that commits (no transaction is held
 * across provider I/O). See idempotency.ts for retries.
 *
 * Cart rules: lines that can no longer be bought (archived, deleted, another currency) block
 * checkout with 409 `cart_changed` naming them, so the shopper sees what changed before paying; a
 * cart with no such line left at all is 422 `cart_empty`. A line asking for more than is left
 * (sold out included) is 409 `out_of_stock` naming every short variant, and nothing is reserved.
 */
import { eq, sql } from 'drizzle-orm';
import type { CheckoutInput, CheckoutResult } from '../../../shared/api/checkout.schemas.js';
import type { Order } from '../../../shared/api/orders.schemas.js';
import { AppError } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import type { AppContext } from '../../context.js';
import { cartItems, orderItems, orders, users } from '../../db/schema/index.js';
import { queryRows } from '../../db/sql.js';
import { displayName } from '../cart/cart.pricing.js';
import { guestTokenHash, loadCart, openCart, type CartOwner } from '../cart/cart.service.js';
import type { PaymentProvider } from '../payments/contract.js';
import { accessTokenHash, orderAccessToken } from '../orders/access-token.js';
import { reserveLines } from '../orders/lifecycle.js';
import { appendEvent, itemsOf, orderById, toOrderView } from '../orders/orders.repo.js';
import { attachOrder, claimKey, completeKey, releaseKey, requestHash } from './idempotency.js';
import { computeTotals, totalsConfig } from './totals.js';

const field = (path: string, message: string) => ({ path, message });

export const idempotencyScope = (owner: CartOwner): string =>
  owner.kind === 'member' ? `checkout:user:${owner.userId}` : `checkout:cart:${guestTokenHash(owner.token)}`;

/** The order transaction: answers the new order's id. Throws (and so reserves nothing) when refused. */
async function createOrder(
  ctx: AppContext,
  owner: CartOwner,
  input: CheckoutInput,
  provider: PaymentProvider,
  claimId: string,
): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const cartRow = await openCart(tx, owner, true);
    const cart = await loadCart(tx, cartRow.id);
    // A line that only lacks stock goes on to the reservation, which names it as short (409).
    const stockOnly = (w: { code: string }) => w.code === 'out_of_stock' || w.code === 'insufficient_stock';
    const sellable = (i: (typeof cart.items)[number]) =>
      i.unitPriceCents !== null && (i.available || i.warnings.every(stockOnly));
    const buyable = cart.items.filter(sellable);
    if (buyable.length === 0) {
      throw new AppError('cart_empty', 'The cart has nothing that can be bought: add something first');
    }
    const unavailable = cart.items.filter((i) => !sellable(i));
    if (unavailable.length > 0) {
      throw new AppError(
        'cart_changed',
        'Some items in the cart can no longer be bought: remove them and check the cart again',
        {
          errors: unavailable.map((i) =>
            field(`cart.items.${i.variantId}`, `${i.sku}: ${i.warnings[0]?.message ?? 'is not available'}`),
          ),
        },
      );
    }
    let email = input.email;
    if (owner.kind === 'member' && email === undefined) {
      const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, owner.userId));
      email = user?.email;
    }
    if (email === undefined) {
      throw new AppError('validation_failed', 'An e-mail address is needed for a guest checkout', {
        errors: [field('body.email', 'is required for a guest checkout')],
      });
    }
    const lines = buyable.map((i) => ({
      variantId: i.variantId,
      productId: i.productId,
      sku: i.sku,
      name: displayName(i.name, i.variantTitle),
      quantity: i.quantity,
      unitPriceCents: i.unitPriceCents!,
    }));
    const totals = computeTotals(lines, input.shippingAddress.country, totalsConfig(ctx.config));
    const orderId = newId();
    const short = await reserveLines(tx, orderId, lines);
    if (short.length > 0) {
      throw new AppError('out_of_stock', 'Some items are no longer in stock in the quantity asked for', {
        errors: short.map((s) =>
          field(`cart.items.${s.variantId}`, `${s.sku}: requested ${s.requested}, ${s.available} available`),
        ),
        shortages: short.map(({ variantId, sku, requested, available }) => ({
          variantId,
          sku,
          requested,
          available: Math.max(0, available),
        })),
      });
    }
    const [seq] = await queryRows<{ n: number }>(tx, sql`select nextval('order_number_seq')::int as n`);
    await tx.insert(orders).values({
      id: orderId,
      number: `NX-${seq!.n}`,
      userId: owner.kind === 'member' ? owner.userId : null,
      email,
      status: 'pending_payment',
      currency: cart.currency,
      subtotalCents: totals.subtotalCents,
      shippingCents: totals.shippingCents,
      taxCents: totals.taxCents,
      totalCents: totals.totalCents,
      shippingAddress: input.shippingAddress,
      billingAddress: input.billingAddress ?? null,
      paymentProvider: provider.name,
      accessTokenHash:
        owner.kind === 'guest' ? accessTokenHash(orderAccessToken(ctx.config.JWT_SECRET, orderId)) : null,
      expiresAt: sql`now() + make_interval(mins => ${ctx.config.ORDER_PAYMENT_TTL_MINUTES}::int)`,
    });
    await tx.insert(orderItems).values(
      lines.map((l) => ({
        orderId,
        variantId: l.variantId,
        productId: l.productId,
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
        lineTotalCents: l.unitPriceCents * l.quantity,
      })),
    );
    await appendEvent(tx, orderId, 'created', owner.kind === 'member' ? `user:${owner.userId}` : 'customer', {
      totals,
    });
    await tx.delete(cartItems).where(eq(cartItems.cartId, cartRow.id));
    await attachOrder(tx, claimId, orderId);
    return orderId;
  });
}

/** Creates (or, on a retry, finds again) the order's payment and stores the answer for replays. */
async function pay(
  ctx: AppContext,
  provider: PaymentProvider,
  orderId: string,
  claimId: string,
): Promise<CheckoutResult> {
  const order = await orderById(ctx.db, orderId);
  if (!order) throw new Error(`order ${orderId} vanished`);
  if (order.status !== 'pending_payment') {
    throw new AppError(
      'order_not_payable',
      `Order ${order.number} is ${order.status.replace('_', ' ')}: check out again`,
    );
  }
  let payment;
  try {
    payment = await provider.createPayment({
      orderId: order.id,
      orderNumber: order.number,
      amountCents: order.totalCents,
      currency: order.currency,
      email: order.email,
      idempotencyKey: `order:${order.id}`,
    });
  } catch (err) {
    ctx.logger.error({ err, orderId }, 'payment provider refused to create a payment');
    throw new AppError(
      'payment_provider_unavailable',
      'The payment provider could not be reached: retry with the same Idempotency-Key',
      { cause: err },
    );
  }
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(orders)
      .set({
        paymentIntentId: sql`coalesce(${orders.paymentIntentId}, ${payment.paymentId})`,
        paymentProvider: payment.provider,
        updatedAt: sql`now()`,
      })
      .where(eq(orders.id, orderId))
      .returning();
    const items = (await itemsOf(tx, [orderId])).get(orderId)!;
    const result: CheckoutResult = {
      order: toOrderView(updated!, items),
      payment: {
        provider: payment.provider,
        clientSecret: payment.clientSecret,
        ...(payment.publishableKey ? { publishableKey: payment.publishableKey } : {}),
      },
    };
    // The guest's access token is never stored: it is derived again when the answer is replayed.
    await completeKey(tx, claimId, 201, result);
    return result;
  });
}

const withAccessToken = (ctx: AppContext, owner: CartOwner, result: CheckoutResult): CheckoutResult => {
  if (owner.kind !== 'guest') return result;
  const order: Order = { ...result.order, accessToken: orderAccessToken(ctx.config.JWT_SECRET, result.order.id) };
  return { ...result, order };
};

export async function checkout(
  ctx: AppContext,
  provider: PaymentProvider,
  owner: CartOwner,
  idempotencyKey: string,
  input: CheckoutInput,
): Promise<CheckoutResult> {
  const claim = await claimKey(ctx.db, idempotencyScope(owner), idempotencyKey, requestHash(input));
  if (claim.kind === 'replay') return withAccessToken(ctx, owner, claim.body as CheckoutResult);
  try {
    const orderId = claim.orderId ?? (await createOrder(ctx, owner, input, provider, claim.id));
    return withAccessToken(ctx, owner, await pay(ctx, provider, orderId, claim.id));
  } catch (err) {
    await releaseKey(ctx.db, claim.id);
    throw err;
  }
}

/**
 * The one path every provider event travels, Stripe webhook or test-provider confirmation:
 * record the event id and call the orders module's handler in ONE transaction (a repeat finds the
 * row and is a no-op; a handler that throws rolls the row back, so a redelivery is applied), then,
 * after commit, send back money the handler asked to refund.
 */
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { AppError } from '../../../shared/domain/errors.js';
import type { Db, Tx } from '../../db/client.js';
import { paymentEvents } from '../../db/schema/index.js';
import type { PaymentEvent, PaymentEventHandler, PaymentEventResult, PaymentProvider } from './contract.js';

export interface HandledPaymentEvent extends PaymentEventResult {
  /** The event id had been recorded before: nothing was done this time. */
  duplicate: boolean;
}

export interface HandleEventOptions {
  /** The provider's own name for the event type, recorded as delivered (defaults to `event.type`). */
  providerType?: string;
  /** Provider bookkeeping that must commit or roll back with the event (the test provider's payment status). */
  withinTransaction?: (tx: Tx) => Promise<void>;
}

/** Until the orders module registers its handler, no order can be found for any event. */
export const noOrdersHandler: PaymentEventHandler = () => Promise.resolve({ outcome: 'unknown_order' });

/** A refund failure's reason for staff, never a secret: AppError messages are ours; others are named only. */
function describeFailure(err: unknown): string {
  if (err instanceof AppError) return err.message;
  return err instanceof Error ? err.name : 'unknown error';
}

export class PaymentEvents {
  private handler: PaymentEventHandler;
  private refunder: (() => PaymentProvider) | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    handler: PaymentEventHandler = noOrdersHandler,
  ) {
    this.handler = handler;
  }

  /** The orders module's handler (tests pass a recording fake). */
  setHandler(handler: PaymentEventHandler): void {
    this.handler = handler;
  }

  /** The provider that issues the refunds a handler asks for. */
  setProvider(provider: () => PaymentProvider): void {
    this.refunder = provider;
  }

  async handle(event: PaymentEvent, options: HandleEventOptions = {}): Promise<HandledPaymentEvent> {
    const handler = this.handler;
    const result = await this.db.transaction(async (tx): Promise<HandledPaymentEvent> => {
      const recorded = await tx
        .insert(paymentEvents)
        .values({
          id: event.id,
          provider: event.provider,
          type: options.providerType ?? event.type,
          orderId: event.orderId ?? null,
          paymentId: event.paymentId,
          outcome: 'applied',
        })
        .onConflictDoNothing()
        .returning({ id: paymentEvents.id });
      if (recorded.length === 0) return { outcome: 'ignored', duplicate: true };
      if (options.withinTransaction) await options.withinTransaction(tx);
      const outcome = await handler(tx, event);
      await tx
        .update(paymentEvents)
        .set({ outcome: outcome.outcome, refundStatus: outcome.refund ? 'pending' : null })
        .where(eq(paymentEvents.id, event.id));
      return { ...outcome, duplicate: false };
    });
    const log = { eventId: event.id, type: event.type, orderId: event.orderId, paymentId: event.paymentId };
    if (result.duplicate) this.logger.info(log, 'payment event already handled');
    else if (result.outcome === 'unknown_order') this.logger.warn(log, 'payment event for an unknown order');
    else this.logger.info({ ...log, outcome: result.outcome }, 'payment event handled');
    if (result.refund) await this.refundAfterCommit(event, result.refund);
    return result;
  }

  /** Records a provider event that maps to nothing (so its repeat is recognised too); false when seen before. */
  async recordIgnored(input: { id: string; provider: PaymentEvent['provider']; type: string }): Promise<boolean> {
    const recorded = await this.db
      .insert(paymentEvents)
      .values({ ...input, outcome: 'ignored' })
      .onConflictDoNothing()
      .returning({ id: paymentEvents.id });
    return recorded.length > 0;
  }

  /**
   * The money goes back only after the transaction committed. A failure is logged and flagged on
   * the event row (`refund_status = 'failed'`) for staff; the provider's idempotency key makes a
   * manual retry safe.
   */
  private async refundAfterCommit(event: PaymentEvent, refund: NonNullable<PaymentEventResult['refund']>) {
    const log = { eventId: event.id, orderId: event.orderId, paymentId: refund.paymentId };
    try {
      if (!this.refunder) throw new Error('no payment provider configured for refunds');
      const created = await this.refunder().refund({
        paymentId: refund.paymentId,
        amountCents: refund.amountCents,
        idempotencyKey: refund.idempotencyKey,
        reason: refund.reason,
      });
      await this.db
        .update(paymentEvents)
        .set({ refundStatus: created.status === 'failed' ? 'failed' : 'succeeded', refundId: created.refundId })
        .where(eq(paymentEvents.id, event.id));
      if (created.status === 'failed')
        this.logger.error({ ...log, refundId: created.refundId }, 'automatic refund failed');
      else this.logger.info({ ...log, refundId: created.refundId }, 'automatic refund issued');
    } catch (err) {
      const reason = describeFailure(err);
      this.logger.error({ ...log, reason }, 'automatic refund failed: flagged for staff');
      await this.db
        .update(paymentEvents)
        .set({ refundStatus: 'failed', refundError: reason })
        .where(eq(paymentEvents.id, event.id))
        .catch((flagErr: unknown) => this.logger.error({ ...log, err: flagErr }, 'could not flag the failed refund'));
    }
  }
}

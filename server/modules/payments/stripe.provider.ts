/**
 * Stripe through the official SDK: a PaymentIntent per order (created with the checkout's
 * idempotency key, so a retried checkout gets the same intent) and refunds against it.
 */
import Stripe from 'stripe';
import type { Logger } from 'pino';
import { AppError } from '../../../shared/domain/errors.js';
import type { Config } from '../../config.js';
import type { CreatedPayment, CreatedRefund, CreatePaymentInput, PaymentProvider, RefundInput } from './contract.js';

export interface StripeProviderOptions {
  secretKey: string;
  publishableKey?: string | undefined;
  /** For tests against a local fake, or an egress proxy. */
  host?: string | undefined;
  port?: number | undefined;
  protocol?: 'http' | 'https' | undefined;
  /** Per request, in ms (default 20 s). */
  timeoutMs?: number;
  /** Retries of network failures and 5xx answers; safe, since every write carries an idempotency key. */
  maxNetworkRetries?: number;
  logger: Logger;
}

export function stripeClient(options: Omit<StripeProviderOptions, 'logger' | 'publishableKey'>): Stripe {
  return new Stripe(options.secretKey, {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
    timeout: options.timeoutMs ?? 20_000,
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    telemetry: false,
    appInfo: { name: 'nexus' },
  });
}

export function stripeOptionsFromConfig(config: Config, logger: Logger): StripeProviderOptions | undefined {
  if (!config.STRIPE_SECRET_KEY) return undefined;
  return {
    secretKey: config.STRIPE_SECRET_KEY,
    publishableKey: config.STRIPE_PUBLISHABLE_KEY,
    host: config.STRIPE_API_HOST,
    port: config.STRIPE_API_PORT,
    protocol: config.STRIPE_API_PROTOCOL,
    logger,
  };
}

const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
type StripeRefundReason = (typeof REFUND_REASONS)[number];
const isStripeReason = (reason: string): reason is StripeRefundReason =>
  (REFUND_REASONS as readonly string[]).includes(reason);

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly stripe: Stripe;
  private readonly publishableKey: string | undefined;
  private readonly logger: Logger;

  constructor(options: StripeProviderOptions) {
    this.stripe = stripeClient(options);
    this.publishableKey = options.publishableKey;
    this.logger = options.logger;
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    const intent = await this.call('create a payment', () =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amountCents,
          currency: input.currency.toLowerCase(),
          receipt_email: input.email,
          metadata: { orderId: input.orderId, orderNumber: input.orderNumber },
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    if (!intent.client_secret) {
      throw new AppError('payment_provider_error', 'The payment provider answered without a client secret');
    }
    return {
      provider: 'stripe',
      paymentId: intent.id,
      clientSecret: intent.client_secret,
      ...(this.publishableKey ? { publishableKey: this.publishableKey } : {}),
    };
  }

  async refund(input: RefundInput): Promise<CreatedRefund> {
    // Stripe takes only its own reason codes; any other reason travels in the metadata.
    const reason = input.reason !== undefined && isStripeReason(input.reason) ? input.reason : undefined;
    const refund = await this.call('refund a payment', () =>
      this.stripe.refunds.create(
        {
          payment_intent: input.paymentId,
          amount: input.amountCents,
          ...(reason ? { reason } : {}),
          metadata: input.reason ? { reason: input.reason.slice(0, 500) } : {},
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return { refundId: refund.id, status: refundStatus(refund.status) };
  }

  /** SDK failures become 502 `payment_provider_error`, naming Stripe's error type and code, never a key. */
  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeError)) throw err;
      const detail = [err.type, err.code, err.statusCode].filter((v) => v !== undefined).join(', ');
      this.logger.warn(
        { stripeType: err.type, stripeCode: err.code, statusCode: err.statusCode, stripeRequestId: err.requestId },
        `Stripe could not ${what}`,
      );
      throw new AppError('payment_provider_error', `The payment provider could not ${what} (${detail})`, {
        cause: err,
      });
    }
  }
}

function refundStatus(status: string | null): CreatedRefund['status'] {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'pending';
}

/**
 * The payments part of the AppContext: the active provider (Stripe when STRIPE_SECRET_KEY is set,
 * else the built-in test provider) and the one event path both feed.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { PaymentEvent, PaymentEventHandler, PaymentProvider } from './contract.js';
import { PaymentEvents, type HandledPaymentEvent, type HandleEventOptions } from './events.js';
import { StripeProvider, stripeOptionsFromConfig } from './stripe.provider.js';
import { TestProvider } from './test.provider.js';

export interface Payments {
  provider: PaymentProvider;
  /** Records the event id and hands the event to the orders handler in one transaction; refunds after commit. */
  handleEvent(event: PaymentEvent, options?: HandleEventOptions): Promise<HandledPaymentEvent>;
  /** Registers the orders module's handler (until then every event answers `unknown_order`). */
  setHandler(handler: PaymentEventHandler): void;
  events: PaymentEvents;
}

export function createPayments(options: {
  config: Config;
  db: Db;
  logger: Logger;
  handler?: PaymentEventHandler;
}): Payments {
  const logger = options.logger.child({ module: 'payments' });
  const events = new PaymentEvents(options.db, logger, options.handler);
  const handleEvent = (event: PaymentEvent, eventOptions?: HandleEventOptions) => events.handle(event, eventOptions);
  const stripeOptions = stripeOptionsFromConfig(options.config, logger);
  const provider: PaymentProvider = stripeOptions
    ? new StripeProvider(stripeOptions)
    : new TestProvider(options.db, handleEvent);
  events.setProvider(() => provider);
  return {
    provider,
    handleEvent,
    setHandler: (handler) => events.setHandler(handler),
    events,
  };
}

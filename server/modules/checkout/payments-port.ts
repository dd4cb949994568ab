/**
 * Where checkout gets its payment provider: the app context's (`ctx.payments.provider`), unless a
 * test set another one for that context here (a fake that fails on demand, say).
 * Checkout depends only on the PaymentProvider interface of contract.ts.
 */
import type { AppContext } from '../../context.js';
import type { PaymentProvider } from '../payments/contract.js';

const overrides = new WeakMap<AppContext, PaymentProvider>();

/** Makes checkout on this app use `provider` (tests inject a fake one this way). */
export function usePaymentProvider(ctx: AppContext, provider: PaymentProvider): void {
  overrides.set(ctx, provider);
}

export function paymentProviderOf(ctx: AppContext): PaymentProvider {
  return overrides.get(ctx) ?? ctx.payments.provider;
}

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { applyBasisPoints, computeTotals, totalsConfig, type TotalsConfig } from './totals.js';

const config: TotalsConfig = {
  shippingRates: { default: 599, US: 499 },
  freeShippingThresholdCents: 5000,
  taxRates: { default: 0, DE: 1900 },
};

describe('order totals', () => {
  it('sums lines, adds the country flat rate and no tax by default', () => {
    const t = computeTotals(
      [
        { unitPriceCents: 1000, quantity: 2 },
        { unitPriceCents: 250, quantity: 3 },
      ],
      'US',
      config,
    );
    expect(t).toEqual({
      subtotalCents: 2750,
      shippingCents: 499,
      taxCents: 0,
      totalCents: 3249,
      taxRateBasisPoints: 0,
    });
  });

  it('uses the default shipping rate for an unlisted country, and country codes in any case', () => {
    expect(computeTotals([{ unitPriceCents: 100, quantity: 1 }], 'FR', config).shippingCents).toBe(599);
    expect(computeTotals([{ unitPriceCents: 100, quantity: 1 }], 'us', config).shippingCents).toBe(499);
  });

  it('ships free from the threshold on, not one cent below', () => {
    expect(computeTotals([{ unitPriceCents: 4999, quantity: 1 }], 'US', config).shippingCents).toBe(499);
    expect(computeTotals([{ unitPriceCents: 5000, quantity: 1 }], 'US', config).shippingCents).toBe(0);
  });

  it('a threshold of 0 never ships free', () => {
    const t = computeTotals([{ unitPriceCents: 90_000, quantity: 1 }], 'US', {
      ...config,
      freeShippingThresholdCents: 0,
    });
    expect(t.shippingCents).toBe(499);
  });

  it('taxes subtotal plus shipping at the country rate, rounded half up', () => {
    // (1000 + 599) × 19 % = 303.81 → 304
    const t = computeTotals([{ unitPriceCents: 1000, quantity: 1 }], 'DE', config);
    expect(t).toEqual({
      subtotalCents: 1000,
      shippingCents: 599,
      taxCents: 304,
      totalCents: 1903,
      taxRateBasisPoints: 1900,
    });
  });

  it('rounds exact halves up and keeps integers', () => {
    expect(applyBasisPoints(50, 1000)).toBe(5);
    expect(applyBasisPoints(5, 1000)).toBe(1); // 0.5 → 1
    expect(applyBasisPoints(4, 1000)).toBe(0); // 0.4 → 0
    expect(applyBasisPoints(1_999_999, 1900)).toBe(380_000); // 379 999.81
  });

  it('an empty order costs nothing, shipping included', () => {
    expect(computeTotals([], 'US', config).totalCents).toBe(0);
  });

  it('does not read inherited keys as countries', () => {
    expect(computeTotals([{ unitPriceCents: 100, quantity: 1 }], 'constructor', config).shippingCents).toBe(599);
  });
});

describe('totals configuration', () => {
  const env = (extra: Record<string, string>) =>
    loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), DATA_DIR: '/tmp/nexus-totals-test', ...extra });

  it('has sane defaults', () => {
    expect(totalsConfig(env({}))).toEqual({
      shippingRates: { default: 599, US: 499 },
      freeShippingThresholdCents: 5000,
      taxRates: { default: 0 },
    });
    expect(env({}).ORDER_PAYMENT_TTL_MINUTES).toBe(30);
  });

  it('reads JSON rates', () => {
    const c = env({
      SHIPPING_RATES: '{"default":700,"GB":300}',
      TAX_RATES: '{"default":0,"DE":1900}',
      FREE_SHIPPING_THRESHOLD_CENTS: '0',
    });
    expect(totalsConfig(c)).toEqual({
      shippingRates: { default: 700, GB: 300 },
      freeShippingThresholdCents: 0,
      taxRates: { default: 0, DE: 1900 },
    });
  });

  it.each([
    ['SHIPPING_RATES', 'not json', 'must be JSON'],
    ['SHIPPING_RATES', '{"US":499}', 'default'],
    ['SHIPPING_RATES', '{"default":5.5}', 'whole'],
    ['SHIPPING_RATES', '{"default":-1}', 'SHIPPING_RATES'],
    ['SHIPPING_RATES', '{"default":1,"usa":2}', 'usa'],
    ['TAX_RATES', '{"default":10001}', 'TAX_RATES'],
    ['TAX_RATES', '[1]', 'TAX_RATES'],
    ['ORDER_PAYMENT_TTL_MINUTES', '0', 'ORDER_PAYMENT_TTL_MINUTES'],
  ])('refuses %s=%s', (name, value, fragment) => {
    let error: unknown;
    try {
      env({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain(name);
    expect(problems).toContain(fragment);
  });
});

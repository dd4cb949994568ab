import { describe, expect, it } from 'vitest';
import { addressFrom, attemptFor, checkoutBody, shortLines } from './checkout-logic.js';

const values = {
  email: ' shopper@example.com ',
  'shippingAddress.name': 'Grace Guest',
  'shippingAddress.company': '',
  'shippingAddress.line1': '1 Main Street',
  'shippingAddress.line2': ' ',
  'shippingAddress.city': 'Springfield',
  'shippingAddress.region': '',
  'shippingAddress.postalCode': '12345',
  'shippingAddress.country': 'US',
  'shippingAddress.phone': '',
  billingSame: 'on',
};

describe('addressFrom', () => {
  it('takes the prefixed fields, optional blanks as null, required ones as typed', () => {
    expect(addressFrom({ ...values, 'shippingAddress.city': '' }, 'shippingAddress')).toEqual({
      name: 'Grace Guest',
      company: null,
      line1: '1 Main Street',
      line2: null,
      city: '',
      region: null,
      postalCode: '12345',
      country: 'US',
      phone: null,
    });
  });

  it('reads unprefixed fields and ignores others', () => {
    expect(addressFrom({ name: 'A', city: 'B', isDefault: 'on' })).toEqual({ name: 'A', city: 'B' });
  });
});

describe('checkoutBody', () => {
  it('sends no price, no billing address when it is the same, and a trimmed e-mail', () => {
    const body = checkoutBody(values, true);
    expect(body.email).toBe('shopper@example.com');
    expect(body.billingAddress).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/price|total|Cents/i);
  });

  it('adds the billing address when asked for', () => {
    const body = checkoutBody(
      { ...values, 'billingAddress.name': 'Bill Payer', 'billingAddress.country': 'GB' },
      false,
    );
    expect(body.billingAddress).toMatchObject({ name: 'Bill Payer', country: 'GB' });
  });

  it('leaves the e-mail out when empty (a member’s account e-mail applies)', () => {
    expect(checkoutBody({ ...values, email: '  ' }, true)).not.toHaveProperty('email');
  });
});

describe('attemptFor', () => {
  let n = 0;
  const newKey = () => `key-${++n}`;

  it('keeps the key while the body is the same (double click, retry)', () => {
    const first = attemptFor(undefined, checkoutBody(values, true), newKey);
    const again = attemptFor(first, checkoutBody(values, true), newKey);
    expect(again.key).toBe(first.key);
  });

  it('takes a new key once the shopper changed something', () => {
    const first = attemptFor(undefined, checkoutBody(values, true), newKey);
    const changed = attemptFor(first, checkoutBody({ ...values, 'shippingAddress.city': 'Shelbyville' }, true), newKey);
    expect(changed.key).not.toBe(first.key);
  });
});

describe('shortLines', () => {
  const lines = [
    { variantId: 'v1', name: 'Tee', variantTitle: 'M / Olive', sku: 'TEE-M' },
    { variantId: 'v2', name: 'Bowl', variantTitle: 'Default', sku: 'BOWL' },
  ];

  it('names the lines a 409 points at, with the cart’s names', () => {
    expect(
      shortLines(
        [
          { path: 'cart.items.v1', message: 'TEE-M: requested 3, 1 available' },
          { path: 'cart.items.v2', message: 'BOWL: requested 2, 0 available' },
          { path: 'body.email', message: 'is required' },
        ],
        lines,
      ),
    ).toEqual([
      { variantId: 'v1', name: 'Tee (M / Olive)', message: 'requested 3, 1 available' },
      { variantId: 'v2', name: 'Bowl', message: 'requested 2, 0 available' },
    ]);
  });

  it('still reports a line the cart no longer has', () => {
    expect(shortLines([{ path: 'cart.items.v9', message: 'X: gone' }], lines)).toEqual([
      { variantId: 'v9', name: 'An item', message: 'X: gone' },
    ]);
  });
});

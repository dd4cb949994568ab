/** Checkout refuses bad requests and changes nothing: no order, no reservation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { address, checkoutKit, newKey } from './checkout.testkit.js';

let app: TestApp;
let kit: Awaited<ReturnType<typeof checkoutKit>>;
beforeAll(async () => {
  app = await createTestApp();
  kit = await checkoutKit(app);
});
afterAll(() => app.close());

const guestBody = (extra: Record<string, unknown> = {}) => ({
  email: 'Guest@Example.com',
  shippingAddress: address(),
  ...extra,
});

describe(`checkout bad input (${TEST_DB})`, () => {
  let headers: Record<string, string>;
  let variant: string;
  beforeAll(async () => {
    const p = await kit.product({ stock: [5] });
    variant = p.variants[0]!;
    headers = (await kit.guestCartWith([[variant, 1]])).headers;
  });

  const refused = async (
    status: number,
    code: string,
    send: () => Promise<{ status: number; body: { code: string } }>,
  ) => {
    const orders = await kit.orderCount();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(await kit.orderCount()).toBe(orders);
    expect((await kit.level(variant)).reserved).toBe(0);
    return res;
  };

  it('no Idempotency-Key is 400; a malformed one 422', async () => {
    await refused(400, 'idempotency_key_required', () => kit.checkout(headers, guestBody(), null));
    await refused(422, 'validation_failed', () => kit.checkout(headers, guestBody(), 'x'.repeat(256)));
    await refused(422, 'validation_failed', () => kit.checkout(headers, guestBody(), 'has space'));
  });

  it('no cart credentials is 400; an unknown cart token 404', async () => {
    await refused(400, 'cart_token_required', () => kit.checkout({}, guestBody()));
    await refused(404, 'cart_not_found', () => kit.checkout({ 'X-Cart-Token': `cart_${'a'.repeat(43)}` }, guestBody()));
  });

  it('malformed JSON is 400, another content type 415', async () => {
    await refused(400, 'invalid_json', () =>
      app.request
        .post('/api/v1/checkout')
        .set(headers)
        .set('Idempotency-Key', newKey())
        .set('Content-Type', 'application/json')
        .send('{"shippingAddress":'),
    );
    await refused(415, 'unsupported_media_type', () =>
      app.request
        .post('/api/v1/checkout')
        .set(headers)
        .set('Idempotency-Key', newKey())
        .set('Content-Type', 'text/plain')
        .send('hello'),
    );
  });

  it('missing or mistyped fields are 422 naming them', async () => {
    const noAddress = await refused(422, 'validation_failed', () => kit.checkout(headers, { email: 'a@example.com' }));
    expect(noAddress.body).toMatchObject({ errors: [expect.objectContaining({ path: 'body.shippingAddress' })] });
    const bad = await refused(422, 'validation_failed', () =>
      kit.checkout(headers, {
        email: 'not-an-email',
        shippingAddress: { ...address(), country: 'USA', line1: 7, surprise: true },
        billingAddress: 'x',
      }),
    );
    const paths = (bad.body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual([
      'body.billingAddress',
      'body.email',
      'body.shippingAddress.country',
      'body.shippingAddress.line1',
      'body.shippingAddress.surprise',
    ]);
  });
});

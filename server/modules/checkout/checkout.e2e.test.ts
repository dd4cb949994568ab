import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, type TestApp } from '../../test/harness.js';
import { cartKit } from '../cart/cart.testkit.js';
import { address } from './checkout.testkit.js';

// Through the real wiring: the built-in test provider and the payments event path into orders.
describe(`cart to paid order with the test provider (${TEST_DB})`, () => {
  let app: TestApp;
  let kit: Awaited<ReturnType<typeof cartKit>>;
  beforeAll(async () => {
    app = await createTestApp();
    kit = await cartKit(app);
  });
  afterAll(() => app.close());

  it('a guest checks out, pays with 4242…, and gets one confirmation', async () => {
    const p = await kit.product({ stock: [3], price: 2500 });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 2).expect(200);
    const res = await app.request
      .post('/api/v1/checkout')
      .set(guest.headers)
      .set('Idempotency-Key', 'e2e-1')
      .send({ email: 'e2e@example.com', shippingAddress: address() })
      .expect(201);
    const { order, payment } = res.body;
    expect(payment.provider).toBe('test');
    expect(payment.clientSecret).toEqual(expect.any(String));
    await app.request
      .post('/api/v1/payments/test/confirm')
      .send({ orderId: order.id, card: '4242424242424242' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const read = await app.request.get(`/api/v1/orders/${order.id}`).query({ token: order.accessToken }).expect(200);
    expect(read.body).toMatchObject({ status: 'paid', payment: { provider: 'test', status: 'succeeded' } });
    await app.flushOutbox();
    expect(app.mail.sent.filter((m) => m.subject === `Order ${order.number} confirmed`)).toHaveLength(1);
  });

  it('a declined card leaves the order pending and mails the shopper', async () => {
    const p = await kit.product({ stock: [3], price: 2500 });
    const guest = await kit.newGuestCart();
    await kit.add(guest.headers, p.variants[0]!, 1).expect(200);
    const res = await app.request
      .post('/api/v1/checkout')
      .set(guest.headers)
      .set('Idempotency-Key', 'e2e-2')
      .send({ email: 'e2e@example.com', shippingAddress: address() })
      .expect(201);
    const { order } = res.body;
    await app.request.post('/api/v1/payments/test/confirm').send({ orderId: order.id, card: '4000000000000002' });
    const read = await app.request.get(`/api/v1/orders/${order.id}`).query({ token: order.accessToken }).expect(200);
    expect(read.body).toMatchObject({ status: 'pending_payment', payment: { status: 'failed' } });
    await app.flushOutbox();
    expect(app.mail.sent.filter((m) => m.subject.includes(`order ${order.number} did not go through`))).toHaveLength(1);
  });
});

/** A webhook delivery that is not a verified, well-formed Stripe event is refused and recorded nowhere. */
import { describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../../shared/api/payments.schemas.js';
import { paymentIntent, signPayload, stripeEvent } from './payments.testkit.js';
import { ORDER_ID, type Json, webhookHarness } from './stripe.webhook.testkit.js';

const w = webhookHarness();

describe('Stripe webhook: bad input changes nothing', () => {
  const validEvent = () =>
    stripeEvent('payment_intent.succeeded', paymentIntent({ id: w.piId(), amount: 4599, orderId: ORDER_ID }));

  async function expectRejected(res: { status: number; body: Json }, id: unknown, code: string) {
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(code);
    expect(w.recorder.seen).toHaveLength(0);
    expect(await w.eventRow(id as string)).toBeUndefined();
  }

  it('a missing Stripe-Signature header is 400 invalid_signature', async () => {
    const event = validEvent();
    await expectRejected(await w.deliver(JSON.stringify(event), null), event.id, 'invalid_signature');
  });

  it('a garbage signature is 400 invalid_signature', async () => {
    const event = validEvent();
    await expectRejected(await w.deliver(JSON.stringify(event), 't=123,v1=abc'), event.id, 'invalid_signature');
  });

  it('a body changed after signing is 400 invalid_signature', async () => {
    const event = validEvent();
    const signed = JSON.stringify(event);
    const tampered = signed.replace('"amount":4599', '"amount":1');
    expect(tampered).not.toBe(signed);
    await expectRejected(await w.deliver(tampered, signPayload(signed)), event.id, 'invalid_signature');
  });

  it('re-serialised JSON (same object, other bytes) fails: the raw body is what is verified', async () => {
    const event = validEvent();
    const signed = JSON.stringify(event, null, 2);
    await expectRejected(await w.deliver(JSON.stringify(event), signPayload(signed)), event.id, 'invalid_signature');
  });

  it('a signature made with another secret is 400 invalid_signature', async () => {
    const event = validEvent();
    const body = JSON.stringify(event);
    await expectRejected(await w.deliver(body, signPayload(body, 'whsec_someone_else')), event.id, 'invalid_signature');
  });

  it('an empty body is 400: invalid_signature when signed for other bytes, invalid_json when signed as empty', async () => {
    const other = await w.app.request.post(STRIPE_WEBHOOK_PATH).set('Stripe-Signature', signPayload('{}'));
    expect(other.status).toBe(400);
    expect(other.body.code).toBe('invalid_signature');
    const signedEmpty = await w.app.request.post(STRIPE_WEBHOOK_PATH).set('Stripe-Signature', signPayload(''));
    expect(signedEmpty.status).toBe(400);
    expect(signedEmpty.body.code).toBe('invalid_json');
    expect(w.recorder.seen).toHaveLength(0);
  });

  it('malformed JSON with a valid signature is 400 invalid_json', async () => {
    const body = '{"id": "evt_broken", "type": "payment_intent.succeeded", ';
    const res = await w.deliver(body);
    await expectRejected(res, 'evt_broken', 'invalid_json');
  });

  it('a signed event of a handled type without the fields we need is 400 and not recorded', async () => {
    const event = stripeEvent('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent', currency: 'usd' });
    const res = await w.deliverEvent(event);
    await expectRejected(res, event.id, 'bad_request');
    expect(res.body.detail).toContain('amount');
  });

  it('a signed body that is not an event is 400 bad_request', async () => {
    const res = await w.deliver(JSON.stringify({ hello: 'world' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('bad_request');
    expect(w.recorder.seen).toHaveLength(0);
  });
});

/**
 * Issue 8 e2e, the Stripe path: with Stripe keys configured the checkout page loads Stripe.js,
 * mounts the Payment Element with the order's client secret and confirms with the order page as
 * the return URL; the order turns paid when Stripe's signed webhook arrives. Nothing here can reach
 * Stripe: the server's SDK talks to the fake Stripe API of the payment tests (STRIPE_API_HOST), and
 * the browser gets a stand-in for https://js.stripe.com/v3/ that records what the page asked of it
 * and navigates to the return URL, as Stripe does after a successful confirmation.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../shared/api/payments.schemas.js';
import {
  FAKE_PUBLISHABLE_KEY,
  type FakeStripe,
  paymentIntent,
  signPayload,
  startFakeStripe,
  stripeEvent,
} from '../server/modules/payments/payments.testkit.js';
import { createTestApp, type TestApp, userWithRole } from '../server/test/harness.js';
import { launchBrowser, openPage, screenshot } from './kit/index.js';
import { fillShipping } from './kit/storefront.js';

/** What the page did with Stripe.js, kept on window for the test to read. */
const FAKE_STRIPE_JS = `
window.Stripe = function (key) {
  window.__stripe = { key: key, calls: [] };
  return {
    elements: function (options) {
      window.__stripe.clientSecret = options.clientSecret;
      return {
        create: function (type) {
          window.__stripe.calls.push('create:' + type);
          return {
            mount: function (el) {
              el.innerHTML = '<p data-fake-payment-element>Card details (Stripe Payment Element)</p>';
              window.__stripe.calls.push('mount');
            },
          };
        },
      };
    },
    confirmPayment: function (options) {
      window.__stripe.returnUrl = options.confirmParams.return_url;
      window.location.assign(options.confirmParams.return_url);
      return new Promise(function () {});
    },
  };
};`;

let fake: FakeStripe;
let app: TestApp;
let listener: http.Server;
let url: string;
let browser: Browser;
let variantId: string;
let slug: string;

beforeAll(async () => {
  fake = await startFakeStripe();
  app = await createTestApp({ env: fake.env });
  listener = http.createServer(app.nexus.app);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  const staff = (await userWithRole(app, 'staff')).auth;
  const made = await app.request
    .post('/api/v1/admin/products')
    .set(staff)
    .send({ name: 'Linen Apron', status: 'active', variants: [{ sku: 'APRON-1', priceCents: 2800, initialStock: 5 }] })
    .expect(201);
  ({ slug } = made.body as { slug: string });
  variantId = (made.body as { variants: { id: string }[] }).variants[0]!.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  listener?.closeAllConnections();
  await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
  await app?.close();
  await fake?.close();
});

describe('storefront with Stripe', () => {
  it('pays through the Payment Element and shows the order paid once the webhook arrives', async () => {
    expect(variantId).toBeDefined();
    const tab = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const { page } = tab;
    let stripeJsLoads = 0;
    await page.route('https://js.stripe.com/v3/**', async (route) => {
      stripeJsLoads++;
      await route.fulfill({ status: 200, contentType: 'text/javascript', body: FAKE_STRIPE_JS });
    });

    await page.goto(`${url}/products/${slug}`);
    expect(stripeJsLoads).toBe(0); // only the payment step loads Stripe.js
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('[data-toast]').filter({ hasText: 'to your cart' }).waitFor();
    await page.goto(`${url}/checkout`);
    await fillShipping(page, {
      email: 'stripe.buyer@example.com',
      name: 'Katherine Johnson',
      street: '1 Langley Road',
      city: 'Hampton',
      postalCode: '23681',
    });
    await page.locator('[data-fake-payment-element]').waitFor();

    // The server made one PaymentIntent for the order's total; the page mounted it with its client secret.
    const created = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents');
    expect(created).toHaveLength(1);
    const stripe = await page.evaluate<{ key: string; clientSecret: string; calls: string[] }>('window.__stripe');
    expect(stripe.key).toBe(FAKE_PUBLISHABLE_KEY);
    expect(stripe.clientSecret).toMatch(/^pi_fake\d+_secret_fake\d+$/);
    expect(stripe.calls).toEqual(['create:payment', 'mount']);
    await screenshot(page, 'storefront-stripe-payment-1280');

    await page.getByRole('button', { name: /^Pay/ }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]+\?token=/);
    const orderId = new URL(page.url()).pathname.split('/').pop()!;
    const token = new URL(page.url()).searchParams.get('token')!;
    const before = await app.request.get(`/api/v1/orders/${orderId}?token=${encodeURIComponent(token)}`).expect(200);
    const placed = before.body as { status: string; totalCents: number; subtotalCents: number };
    expect(placed.status).toBe('pending_payment');
    expect(placed.subtotalCents).toBe(2800);
    // The intent is for the order's total (shipping and tax included), in cents.
    expect(created[0]!.form.amount).toBe(String(placed.totalCents));

    // Stripe tells the server; the order page, still checking, turns to Paid.
    const intentId = stripe.clientSecret.split('_secret_')[0]!;
    const payload = JSON.stringify(
      stripeEvent('payment_intent.succeeded', paymentIntent({ id: intentId, amount: placed.totalCents, orderId })),
    );
    const hook = await fetch(url + STRIPE_WEBHOOK_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signPayload(payload) },
      body: payload,
    });
    expect(hook.status).toBe(200);
    await page.reload();
    await page.getByText(/Status: Paid/).waitFor({ timeout: 20_000 });
    expect(tab.errors).toEqual([]);
    await tab.close();
  });
});

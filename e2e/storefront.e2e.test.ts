/**
 * Issue 8 e2e: shoppers in Chromium on the server-rendered storefront of a real central server
 * (the built-in test payment provider, whose outcome takes the webhook path). A guest buys and the
 * confirmation e-mail is sent; a declined card leaves the order unpaid; a member's guest cart merges
 * on sign-in and the order shows in their account; facets narrow a search; an out-of-stock variant
 * cannot be bought; a review appears once staff approve it; tampered prices and odd search text
 * change nothing. Screenshots at 390 and 1280 px: e2e/artifacts/storefront-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePaymentProvider } from '../server/modules/checkout/payments-port.js';
import { registerCustomer, userWithRole } from '../server/test/harness.js';
import {
  type CentralServer,
  launchBrowser,
  openPage,
  quickestDatabase,
  screenshot,
  startCentralServer,
  type TestPage,
} from './kit/index.js';
import { fillShipping, payWithTestCard, unexpectedErrors } from './kit/storefront.js';

const SUCCESS_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000 0000 0000 0002';
const WIDTHS = { mobile: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

let server: CentralServer;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let staff: Record<string, string>;
let kettle: { id: string; slug: string; variants: { id: string; sku: string }[] };
let hose: { id: string; slug: string; variants: { id: string }[] };
const open: TestPage[] = [];

async function adminProduct(body: Record<string, unknown>) {
  const res = await server.app.request.post('/api/v1/admin/products').set(staff).send(body);
  if (res.status !== 201) throw new Error(`product fixture: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as typeof kettle;
}

beforeAll(async () => {
  server = await startCentralServer(quickestDatabase());
  // The server kit gives checkout a fake provider; shoppers pay through the real built-in one.
  const ctx = server.app.nexus.ctx;
  usePaymentProvider(ctx, ctx.payments.provider);
  staff = (await userWithRole(server.app, 'staff')).auth;
  const category = async (name: string) =>
    (
      (await server.app.request.post('/api/v1/admin/categories').set(staff).send({ name }).expect(201)).body as {
        id: string;
      }
    ).id;
  const kitchen = await category('Kitchen');
  const garden = await category('Garden');
  kettle = await adminProduct({
    name: 'Enamel Kettle',
    description: 'A stovetop kettle in enamelled steel.',
    status: 'active',
    categoryIds: [kitchen],
    options: [{ name: 'Colour', values: ['Red', 'Blue'] }],
    variants: [
      { sku: 'KET-RED', priceCents: 3900, optionValues: { Colour: 'Red' } },
      {
        sku: 'KET-BLUE',
        priceCents: 4100,
        compareAtPriceCents: 4900,
        optionValues: { Colour: 'Blue' },
        initialStock: 20,
      },
    ],
  });
  hose = await adminProduct({
    name: 'Garden Hose Kettle Stand',
    status: 'active',
    categoryIds: [garden],
    variants: [{ sku: 'HOSE-1', priceCents: 2500, initialStock: 20 }],
  });
  await adminProduct({
    name: 'Cast Iron Pan',
    status: 'active',
    categoryIds: [kitchen],
    variants: [{ sku: 'PAN-1', priceCents: 5500, initialStock: 9 }],
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const tab of open) await tab.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

/** A fresh shopper: their own browser context (cookies, storage), at a phone or desktop width. */
async function shopper(width: keyof typeof WIDTHS = 'desktop'): Promise<TestPage> {
  const tab = await openPage(browser, { viewport: WIDTHS[width] });
  open.push(tab);
  return tab;
}

const go = async (page: Page, path: string) => {
  const res = await page.goto(server.url + path);
  return res!.status();
};

async function addToCart(page: Page, colour: string | null, quantity: number) {
  await go(page, `/products/${kettle.slug}`);
  if (colour) await page.getByText(colour, { exact: true }).click();
  await page.getByLabel('Quantity').fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.locator('[data-toast]').filter({ hasText: 'to your cart' }).waitFor();
}

async function fillCheckout(page: Page, email: string | null) {
  const address = { name: 'Grace Hopper', street: '1 Harbour Street', city: 'Arlington', postalCode: '22201' };
  await fillShipping(page, email === null ? address : { email, ...address });
  await page.getByRole('heading', { name: 'Review and pay' }).waitFor();
}

async function orderRow(number: string) {
  const [row] = await server.query<{ id: string; status: string; email: string; total_cents: number }>(
    `select id, status, email, total_cents from orders where number = '${number}'`,
  );
  return row;
}

describe('storefront: buying', () => {
  it('a guest buys with the success card, sees the totals before paying, and the confirmation e-mail is sent', async () => {
    const tab = await shopper('desktop');
    const { page } = tab;
    await go(page, '/');
    await screenshot(page, 'storefront-home-1280');
    await addToCart(page, 'Blue', 2);
    expect(await page.locator('[data-cart-count]').textContent()).toBe('2');
    await screenshot(page, 'storefront-product-1280');

    await go(page, '/cart');
    await page
      .getByRole('link', { name: /checkout/i })
      .first()
      .waitFor();
    expect(await page.locator('main').textContent()).toContain('$82.00');
    await screenshot(page, 'storefront-cart-1280');
    await page
      .getByRole('link', { name: /checkout/i })
      .first()
      .click();

    await fillCheckout(page, 'guest.buyer@example.com');
    const summary = await page.locator('main').textContent();
    for (const label of ['Subtotal', 'Shipping', 'Tax', 'Total']) expect(summary).toContain(label);
    expect(summary).toContain('$82.00');
    await screenshot(page, 'storefront-checkout-pay-1280');

    await payWithTestCard(page, SUCCESS_CARD);
    await page.waitForURL(/\/orders\/[0-9a-f-]+\?token=/);
    await page.getByText(/Status: Paid/).waitFor({ timeout: 20_000 });
    const number = (await page.getByRole('heading', { level: 1 }).textContent())!
      .replace(/^Order\s+/, '')
      .replace(/^#/, '');
    await screenshot(page, 'storefront-order-1280');

    const order = (await orderRow(number))!;
    expect(order).toMatchObject({ status: 'paid', email: 'guest.buyer@example.com' });
    await server.app.flushOutbox();
    const mail = server.app.mail.sent.filter((m) => m.to === 'guest.buyer@example.com');
    expect(mail.map((m) => m.subject).join('\n')).toContain(number);
    expect(unexpectedErrors(tab)).toEqual([]);
  });

  it('a declined card shows the decline next to the card, and the order stays unpaid', async () => {
    const tab = await shopper('mobile');
    const { page } = tab;
    await addToCart(page, null, 1);
    await go(page, '/checkout');
    await fillCheckout(page, 'declined.buyer@example.com');
    await screenshot(page, 'storefront-checkout-pay-390');
    await payWithTestCard(page, DECLINED_CARD);
    // The decline is told next to the card field, which is marked invalid; the form says the order is kept.
    const card = page.getByLabel('Card number');
    await page
      .locator('.pay-form .field-error')
      .filter({ hasText: /declined/i })
      .waitFor();
    expect(await card.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.pay-form [role=alert]').textContent()).toMatch(/order is kept/);
    expect(page.url()).toContain('/checkout');
    await screenshot(page, 'storefront-checkout-declined-390');
    const [row] = await server.query<{ status: string; payment_status: string }>(
      `select status, payment_status from orders where email = 'declined.buyer@example.com'`,
    );
    expect(row?.status).toBe('pending_payment');
    expect(row?.payment_status).not.toBe('succeeded');
  });

  it("merges a member's guest cart on sign-in; they buy and see the order in their account", async () => {
    const member = await registerCustomer(server.app, { name: 'Margaret Hamilton', email: 'margaret@example.com' });
    // Something already waits in the member's own cart from another device.
    await server.app.request
      .post('/api/v1/cart/items')
      .set('Authorization', `Bearer ${member.accessToken}`)
      .send({ variantId: hose.variants[0]!.id, quantity: 1 })
      .expect(200);

    const tab = await shopper('mobile');
    const { page } = tab;
    await addToCart(page, 'Blue', 1);
    await go(page, '/login');
    await page.getByLabel('Email').fill(member.user.email);
    await page.getByLabel('Password').fill(member.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await expect.poll(() => page.locator('[data-cart-count]').textContent()).toBe('2');

    await go(page, '/cart');
    const cart = page.locator('main');
    await cart.getByText('Enamel Kettle').first().waitFor();
    expect(await cart.textContent()).toContain('Garden Hose Kettle Stand');
    await screenshot(page, 'storefront-cart-merged-390');
    await go(page, '/checkout');
    await fillCheckout(page, null);
    await payWithTestCard(page, SUCCESS_CARD);
    await page.getByText(/Status: Paid/).waitFor({ timeout: 20_000 });
    const number = (await page.getByRole('heading', { level: 1 }).textContent())!.replace(/^Order\s+#?/, '');

    await go(page, '/account/orders');
    const orders = page.locator('main');
    await orders.getByText(number).first().waitFor();
    expect(await orders.textContent()).toMatch(/Paid/);
    await screenshot(page, 'storefront-account-orders-390');
    expect((await orderRow(number))?.email).toBe('margaret@example.com');

    // A long history comes a page at a time: 24 older orders (copies of this one, earlier dates).
    await server.query(
      `insert into orders select (jsonb_populate_record(null::orders, to_jsonb(o) || jsonb_build_object(
         'id', gen_random_uuid(), 'number', 'OLD-' || lpad(n::text, 2, '0'), 'payment_intent_id', null,
         'created_at', o.created_at - make_interval(days => n)))).*
       from orders o, generate_series(1, 24) n where o.number = '${number}'`,
    );
    await go(page, '/account/orders');
    const rows = orders.locator('.orders li');
    await orders.getByText('20 of 25 orders').waitFor();
    expect(await rows.count()).toBe(20);
    expect(await rows.first().textContent()).toContain(number);
    await screenshot(page, 'storefront-account-orders-paged-390');
    await page.getByRole('button', { name: 'Show more orders' }).click();
    await orders.getByText('25 of 25 orders').waitFor();
    expect(await rows.count()).toBe(25);
    expect(await rows.last().textContent()).toContain('OLD-24');
    expect(await page.getByRole('button', { name: 'Show more orders' }).isHidden()).toBe(true);
    expect(unexpectedErrors(tab)).toEqual([]);
  });
});

describe('storefront: finding and choosing', () => {
  const names = (page: Page) => page.locator('.grid .name').allTextContents();

  it('narrows a search with facets, keeping every choice in the URL', async () => {
    const { page } = await shopper('desktop');
    await go(page, '/');
    await page.getByRole('searchbox', { name: 'Search products' }).fill('kettle');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/search\?q=kettle/);
    expect((await names(page)).sort()).toEqual(['Enamel Kettle', 'Garden Hose Kettle Stand']);
    await screenshot(page, 'storefront-search-1280');
    await page
      .getByRole('complementary', { name: 'Filters' })
      .getByRole('link', { name: /^Kitchen/ })
      .click();
    await page.waitForURL(/category=kitchen/);
    expect(await names(page)).toEqual(['Enamel Kettle']);
    await page.getByLabel('Sort by').selectOption('price_desc');
    await page.waitForURL(/sort=price_desc/);
    expect(new URL(page.url()).searchParams.get('category')).toBe('kitchen');
    expect(await names(page)).toEqual(['Enamel Kettle']);

    const mobile = (await shopper('mobile')).page;
    await go(mobile, '/categories/kitchen');
    await screenshot(mobile, 'storefront-category-390');
    expect((await names(mobile)).sort()).toEqual(['Cast Iron Pan', 'Enamel Kettle']);
  });

  it('does not let an out-of-stock variant be added, on the page or through the API', async () => {
    const { page } = await shopper('mobile');
    await go(page, `/products/${kettle.slug}`);
    await page.getByText('Red', { exact: true }).click();
    const button = page.locator('[data-add-to-cart]');
    await expect.poll(() => button.textContent()).toBe('Out of stock');
    expect(await button.isDisabled()).toBe(true);
    expect(await page.locator('[data-stock]').textContent()).toBe('Out of stock');
    await screenshot(page, 'storefront-product-out-of-stock-390');
    // A shopper who re-enables the button gets the server's refusal, and nothing is added.
    const status = await page.evaluate(async (variantId) => {
      const made = await fetch('/api/v1/cart', { method: 'POST' });
      const { token } = (await made.json()) as { token: string };
      const res = await fetch('/api/v1/cart/items', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Cart-Token': token },
        body: JSON.stringify({ variantId, quantity: 1 }),
      });
      return res.status;
    }, kettle.variants[0]!.id);
    expect(status).toBe(409);
  });

  it('shows a review on the product page only after staff approve it', async () => {
    const writer = await registerCustomer(server.app, { name: 'Ada Lovelace', email: 'ada.reviews@example.com' });
    const { page } = await shopper('desktop');
    await go(page, '/login');
    await page.getByLabel('Email').fill(writer.user.email);
    await page.getByLabel('Password').fill(writer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    await go(page, `/products/${kettle.slug}`);
    const form = page.getByRole('form', { name: 'Write a review' });
    await form.getByText('5 stars').click();
    await form.getByLabel('Title').fill('Boils in minutes');
    await form.getByLabel('Your review').fill('Whistles when ready, and the enamel cleans easily.');
    await form.getByRole('button', { name: 'Submit review' }).click();
    await page.getByText('Your review will appear here after moderation').waitFor();

    await page.reload();
    expect(await page.locator('.review-list').count()).toBe(0);
    // One review each: back on the page, the member reads where theirs stands instead of a form.
    await page.getByText(/You reviewed this product on .*; it will appear here after moderation\./).waitFor();
    expect(await page.getByRole('form', { name: 'Write a review' }).count()).toBe(0);
    const [review] = await server.query<{ id: string }>(`select id from reviews where title = 'Boils in minutes'`);
    await server.app.request
      .patch(`/api/v1/admin/reviews/${review!.id}`)
      .set(staff)
      .send({ status: 'approved' })
      .expect(200);
    await page.reload();
    await page.locator('.review-list').getByText('Boils in minutes').waitFor();
    await page.getByText(/You reviewed this product on .*; your review is published\./).waitFor();
    expect(await page.locator('#reviews').textContent()).toContain('Ada');
  });
});

describe('storefront: bad input', () => {
  it('ignores a tampered price: the cart charges the catalog price', async () => {
    const tab = await shopper('desktop');
    const { page } = tab;
    await go(page, `/products/${kettle.slug}`);
    // What a shopper with the developer tools could change: the shown price, the variant data, extra fields.
    await page.evaluate(`(() => {
      const form = document.querySelector('form[data-buy-form]');
      form.querySelector('[data-price]').textContent = '$0.01';
      for (const name of ['priceCents', 'unitPriceCents', 'price']) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = '1';
        form.append(input);
      }
      const data = form.querySelector('script[data-variants]');
      data.textContent = data.textContent.replaceAll('$41.00', '$0.01');
    })()`);
    await page.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('[data-toast]').filter({ hasText: 'to your cart' }).waitFor();
    const cart = await page.evaluate<{ items: { unitPriceCents: number }[] }>(`(async () => {
      const token = JSON.parse(localStorage.getItem('nexus.cartToken'));
      const res = await fetch('/api/v1/cart', { headers: { 'X-Cart-Token': token } });
      return res.json();
    })()`);
    expect(cart.items.map((i) => i.unitPriceCents)).toEqual([4100]);
    await go(page, '/cart');
    await page.locator('main').getByText('$41.00').first().waitFor();
    expect(await page.locator('main').textContent()).not.toContain('$0.01');
  });

  it('renders odd search text as text, runs no script from it, and answers unknown products with the 404 page', async () => {
    const { page } = await shopper('mobile');
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const odd = `<img src=x onerror=alert(1)>"' & (a|b):* %`;
    await go(page, '/');
    await page.getByRole('searchbox', { name: 'Search products' }).fill(odd);
    await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
    await page.waitForURL(/\/search\?q=/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Results for “${odd}”`);
    expect(await page.locator('main img[src=x]').count()).toBe(0);
    expect(dialogs).toBe(0);

    expect(await go(page, '/products/no-such-kettle')).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('We could not find that product');
    await screenshot(page, 'storefront-404-390');
  });
});

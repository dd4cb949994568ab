/**
 * Issue 7 e2e: an order placed through the store API appears with a toast, is fulfilled, and the
 * shipped e-mail lands in the outbox. A guest buys over real HTTP (cart, checkout, test card) while a
 * member of staff watches the dashboard; the new-order toast opens the order, the ship dialog marks
 * it shipped, and the change syncs to the server, which queues the shipping e-mail with the
 * tracking number. Screenshots: e2e/artifacts/orders-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaidOrder, placePaidOrder } from './kit/shopper.js';
import {
  type Backoffice,
  type CentralServer,
  openStaffSession,
  quickestDatabase,
  screenshot,
  type StaffSession,
  startCentralServer,
  syncBar,
  type TestPage,
  tidyForScreenshot,
  waitForUpToDate,
} from './kit/index.js';

const SHOPPER = 'grace.hopper@example.com';
const SHOPPER_NAME = 'Grace Hopper';
const CARRIER = 'UPS';
const TRACKING = '1Z999AA10123456784';

let server: CentralServer;
let backoffice: Backoffice;
let session: StaffSession;
let tab: TestPage;
let lines: [string, number][];
let order: PaidOrder;

beforeAll(async () => {
  server = await startCentralServer(quickestDatabase());
  const tote = await server.catalog.product({ name: 'Canvas tote', stock: [12], price: 1850 });
  const mug = await server.catalog.product({ name: 'Enamel mug', stock: [8, 8], price: 1200 });
  lines = [
    [tote.variants[0]!, 1],
    [mug.variants[1]!, 2],
  ];
  session = await openStaffSession(server);
  ({ backoffice, tab } = session);
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

/** The order as the server holds it. */
async function serverOrder(id: string) {
  const [row] = await server.query<{
    status: string;
    fulfillment_carrier: string | null;
    fulfillment_tracking_number: string | null;
    shipped: boolean;
  }>(
    `select status, fulfillment_carrier, fulfillment_tracking_number, shipped_at is not null as shipped
     from orders where id = '${id}'`,
  );
  return row;
}

describe('a store order in the back-office', () => {
  it('a paid order placed through the store API pops up as a toast that opens it', async () => {
    const { page } = tab;
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await backoffice.host.call('orders:list', {})).toMatchObject({ total: 0 });

    order = await placePaidOrder(server, { email: SHOPPER, name: SHOPPER_NAME, lines });
    // 1 × 18.50 + 2 × 12.01 (the second variant costs a cent more): what the shopper was charged.
    expect(order.subtotalCents).toBe(1850 + 2 * 1201);

    const toast = page
      .getByRole('region', { name: 'Notifications' })
      .getByRole('status')
      .filter({ hasText: `New order #${order.number}` });
    await toast.waitFor({ timeout: 20_000 });
    const total = new Intl.NumberFormat('en-US', { style: 'currency', currency: order.currency }).format(
      order.totalCents / 100,
    );
    expect(await toast.textContent()).toContain(`New order #${order.number} — ${total}`);
    expect(await toast.textContent()).toContain(SHOPPER);
    // Screenshot while the toast is up: the moment staff see the order arrive.
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await screenshot(page, 'orders-new-order-toast');

    await toast.getByRole('link', { name: 'Open' }).click();
    await page.getByRole('heading', { name: `Order #${order.number}`, level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/orders/${order.id}`);
    // The payment may reach this device a pass after the order itself: then it is ready to ship.
    await page.getByRole('button', { name: 'Mark as shipped…' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('.page-subtitle').textContent()).toContain('To fulfil');
    const customer = page.getByRole('region', { name: 'Customer' });
    expect(await customer.textContent()).toContain(SHOPPER_NAME);
    expect(await customer.textContent()).toContain(SHOPPER);
    await tidyForScreenshot(page);
    await screenshot(page, 'orders-detail-paid');
  });

  it('ships it with a carrier and tracking number; the server queues the shipped e-mail', async () => {
    const { page } = tab;
    expect(order, 'the first test placed the order').toBeDefined();
    await page.getByRole('button', { name: 'Mark as shipped…' }).click();
    const dialog = page.getByRole('dialog', { name: `Ship order #${order.number}` });
    await dialog.waitFor();
    await dialog.getByLabel('Carrier').fill(CARRIER);
    await dialog.getByLabel('Tracking number').fill(TRACKING);
    await dialog.getByRole('button', { name: 'Mark as shipped' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('region', { name: 'Notifications' })
      .getByText(`Order #${order.number} marked as shipped`)
      .waitFor();

    // The change reaches the server through sync, then the bar settles with nothing left to send.
    await expect
      .poll(() => serverOrder(order.id), { timeout: 20_000 })
      .toEqual({
        status: 'fulfilled',
        fulfillment_carrier: CARRIER,
        fulfillment_tracking_number: TRACKING,
        shipped: true,
      });
    await waitForUpToDate(page);
    await expect.poll(() => syncBar(page).textContent()).toContain('Nothing waiting');

    const outbox = await server.query<{ to_address: string; status: string; payload: Record<string, unknown> }>(
      `select to_address, status, payload from notifications where template = 'order-shipped'`,
    );
    expect(outbox).toEqual([
      {
        to_address: SHOPPER,
        status: 'pending',
        payload: expect.objectContaining({ number: order.number, carrier: CARRIER, trackingNumber: TRACKING }),
      },
    ]);
    // Sent as the worker would send it: the shopper reads the tracking number in the mail itself.
    await server.app.flushOutbox();
    const shipped = server.app.mail.sent.filter((m) => m.subject === `Order ${order.number} has shipped`);
    expect(shipped).toHaveLength(1);
    expect(shipped[0]!.to).toBe(SHOPPER);
    expect(shipped[0]!.text).toContain(`Tracking number: ${TRACKING}`);
    expect(shipped[0]!.html).toContain(TRACKING);

    // The detail now shows it shipped, newest first in the timeline, and offers no second shipment.
    const timeline = page.getByRole('list', { name: 'Order history, newest first' });
    await expect.poll(() => timeline.getByRole('listitem').first().textContent()).toContain(`${CARRIER} · ${TRACKING}`);
    expect(await timeline.getByRole('listitem').first().textContent()).toContain('Shipped');
    await expect.poll(() => page.locator('.page-subtitle').textContent()).toContain('Shipped');
    expect(await page.getByRole('button', { name: 'Mark as shipped…' }).count()).toBe(0);
    await tidyForScreenshot(page);
    await screenshot(page, 'orders-timeline-shipped');

    expect(tab.errors).toEqual([]);
    expect(backoffice.errors).toEqual([]);
  });
});

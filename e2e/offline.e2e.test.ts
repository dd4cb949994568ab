/**
 * Issue 7 e2e: "stop the server, edit a product and adjust stock, restart it: the changes reach the
 * server". A member of staff is signed in and up to date when the central server really goes away
 * (listener closed, connections cut). The sync bar says so; they rename a product and change a
 * variant's price in the editor, and receive stock on the inventory screen, all kept on this
 * computer with the bar counting what waits. The server comes back at the same address and every
 * edit lands in its database, the stock as a ledger movement with the reason given.
 * Screenshots: e2e/artifacts/offline-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backoffice,
  type CentralServer,
  openStaffSession,
  goTo,
  quickestDatabase,
  screenshot,
  type StaffSession,
  startCentralServer,
  syncBar,
  type TestPage,
  tidyForScreenshot,
  waitForUpToDate,
} from './kit/index.js';

const NAME = 'Harbour lantern';
const NEW_NAME = 'Harbour lantern, brass';
const OPENING_STOCK = 12;
const NEW_PRICE = { typed: '31.50', cents: 3150 };
const RECEIVED = 6;
const NOTE = 'Delivery 4471, booked while the server was down';

let server: CentralServer;
let backoffice: Backoffice;
let session: StaffSession;
let tab: TestPage;
let productId: string;
let variant: { id: string; sku: string };

beforeAll(async () => {
  server = await startCentralServer(quickestDatabase());
  await server.seedBulk({ products: 30, variantsPer: 2, orders: 0 });
  const lantern = await server.catalog.product({ name: NAME, stock: [OPENING_STOCK, 20], price: 2500 });
  productId = lantern.id;
  const [first] = await server.query<{ id: string; sku: string }>(
    `select id, sku from variants where id = '${lantern.variants[0]}'`,
  );
  variant = first!;
  // Tall: the shell scrolls inside its content pane, and the whole editor (variants included) should show.
  session = await openStaffSession(server, { page: { viewport: { width: 1440, height: 1200 } } });
  ({ backoffice, tab } = session);
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

/** The "N changes waiting" figure on the sync bar, or null when it says nothing is waiting. */
async function waitingOnBar(page: Page): Promise<number | null> {
  const text = (await syncBar(page).textContent()) ?? '';
  const match = /([\d,]+) changes? waiting/.exec(text);
  return match ? Number(match[1]!.replace(/,/g, '')) : null;
}

const outboxSize = () => backoffice.host.store.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

async function serverProduct() {
  const [row] = await server.query<{ name: string; price_cents: number; on_hand: number }>(
    `select p.name, v.price_cents, l.on_hand
     from products p join variants v on v.product_id = p.id join stock_levels l on l.variant_id = v.id
     where v.id = '${variant.id}'`,
  );
  return row;
}

describe('working through a server outage', () => {
  it('says Offline on the sync bar once the server has stopped', async () => {
    const { page } = tab;
    await expect.poll(() => syncBar(page).textContent()).toContain('Online');
    await server.stop();
    const bar = syncBar(page);
    // Nobody presses anything: the broken event stream makes the host look at once.
    await bar.getByText('Offline', { exact: true }).waitFor({ timeout: 10_000 });
    await bar.getByText('Working offline: changes are kept on this computer').waitFor();
    await expect.poll(() => bar.textContent()).not.toContain('Online');
    expect(await bar.textContent()).toContain('Cannot reach the server');
    expect(await bar.textContent()).toContain('Nothing waiting');
  });

  it('renames the product and reprices a variant in the editor, kept on this computer', async () => {
    const { page } = tab;
    await goTo(page, '/products');
    await page.getByLabel('Search products').fill('lantern');
    await page.getByRole('row', { name: new RegExp(NAME) }).dblclick();
    await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(NEW_NAME);
    const price = page.getByLabel('Price, S0', { exact: true });
    await price.fill(NEW_PRICE.typed);
    await page.getByText('Unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    // The editor reloads the product from this computer's store: the new name is its title.
    await page.getByRole('heading', { name: NEW_NAME, level: 1 }).waitFor();
    await page.getByText('Not synced', { exact: true }).waitFor();
    await expect.poll(() => page.getByText('Unsaved changes').count()).toBe(0);
    expect(await price.inputValue()).toBe(NEW_PRICE.typed);
    // Two edits wait: the product's name and the variant's price.
    await expect.poll(() => waitingOnBar(page)).toBe(2);
    expect(await syncBar(page).getByText('Offline', { exact: true }).isVisible()).toBe(true);
    await tidyForScreenshot(page);
    await screenshot(page, 'offline-editor');

    // Nothing has reached the server: what arrives later is these edits, not something sent now.
    expect(await serverProduct()).toMatchObject({ name: NAME, price_cents: 2500 });
  });

  it('receives stock with a reason through the adjust dialog, kept on this computer', async () => {
    const { page } = tab;
    await goTo(page, '/inventory');
    await page.getByLabel('Search', { exact: true }).fill(variant.sku);
    const row = page.getByRole('row', { name: new RegExp(variant.sku) });
    // The inventory list already shows the product's new name, read from this computer.
    await expect.poll(() => row.textContent()).toContain(NEW_NAME);
    await row.dblclick();

    const dialog = page.getByRole('dialog', { name: 'Adjust stock' });
    await dialog.getByLabel('Change (units)').fill(String(RECEIVED));
    await dialog.getByLabel('Reason').selectOption({ label: 'Received from a supplier' });
    await dialog.getByLabel('Note').fill(NOTE);
    await dialog.getByRole('button', { name: 'Save adjustment' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const toastRegion = page.getByRole('region', { name: 'Notifications' });
    await toastRegion.getByText(`${variant.sku}: ${OPENING_STOCK + RECEIVED} on hand`).waitFor();
    await toastRegion.getByText('Saved on this device: it is sent when the server can be reached.').waitFor();
    const onHand = row.getByRole('gridcell').nth(2);
    await expect.poll(() => onHand.textContent()).toBe(String(OPENING_STOCK + RECEIVED));

    // Three edits wait (name, price, stock) and the bar counts exactly what the outbox holds.
    await expect.poll(() => waitingOnBar(page)).toBe(outboxSize());
    expect(outboxSize()).toBe(3);
    const bar = syncBar(page);
    expect(await bar.getByText('Offline', { exact: true }).isVisible()).toBe(true);
    await tidyForScreenshot(page);
    await screenshot(page, 'offline-sync-bar');
    expect(await serverProduct()).toMatchObject({ on_hand: OPENING_STOCK });
  });

  it('sends every edit once the server is back at the same address', async () => {
    const { page } = tab;
    await server.restart();
    await waitForUpToDate(page, 30_000);
    const bar = syncBar(page);
    expect(await bar.getByText('Online', { exact: true }).isVisible()).toBe(true);
    expect(await bar.textContent()).toContain('Nothing waiting');
    expect(outboxSize()).toBe(0);
    // The editor drops its "Not synced" mark once the outbox is empty.
    await goTo(page, `/products/${productId}`);
    await page.getByRole('heading', { name: NEW_NAME, level: 1 }).waitFor();
    await expect.poll(() => page.getByText('Not synced', { exact: true }).count()).toBe(0);

    expect(await serverProduct()).toEqual({
      name: NEW_NAME,
      price_cents: NEW_PRICE.cents,
      on_hand: OPENING_STOCK + RECEIVED,
    });
    const movements = await server.query<{ kind: string; reason: string; on_hand_delta: number; note: string }>(
      `select kind, reason, on_hand_delta, note from stock_movements
       where variant_id = '${variant.id}' and reference like 'sync:%'`,
    );
    expect(movements).toEqual([{ kind: 'received', reason: 'received', on_hand_delta: RECEIVED, note: NOTE }]);
    await tidyForScreenshot(page);
    await screenshot(page, 'offline-back-online');

    expect(tab.errors).toEqual([]);
    expect(backoffice.errors).toEqual([]);
  });
});

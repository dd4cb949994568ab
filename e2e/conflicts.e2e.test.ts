/**
 * Issue 7 e2e: "a conflict is shown and resolved" and "screenshots of every screen".
 *
 * Conflict: a member of staff edits a product's name and description in the editor while the
 * network is down (a fault proxy between the host and the server); meanwhile a colleague changes
 * the same two fields on the server through the admin API. When the network returns, the push is
 * answered `conflict` (SYNC.md rule 6: the later push wins, the overwritten values are kept). The
 * conflicts screen shows both values side by side; they restore the colleague's name and keep
 * their own description, and the server ends up with exactly that.
 *
 * Screens: every route of the app (and every tab), with a seeded catalog, orders, a review waiting
 * for moderation, a refused change and an oversell, each checked for real content and saved as
 * e2e/artifacts/screen-<name>.png; the conflicts screen is taken while the conflict is open.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { member, postReview, review } from '../server/modules/reviews/reviews.testkit.js';
import { type FaultProxy, startFaultProxy } from '../electron/host/sync/testing/fault-proxy.js';
import { type AdminApi, adminApi } from './kit/admin.js';
import { placePaidOrder } from './kit/shopper.js';
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
const MINE = { name: 'Harbour lantern, brass', description: 'Solid brass, hand finished in our workshop.' };
const THEIRS = { name: 'Harbour lantern, copper', description: 'Copper body with a frosted glass chimney.' };
const SHOPPER = 'ada.lovelace@example.com';
const REVIEWER = 'Margaret Hamilton';
const REVIEW_TITLE = 'Bright enough for the whole deck';

let server: CentralServer;
let proxy: FaultProxy;
let admin: AdminApi;
let backoffice: Backoffice;
let session: StaffSession;
let tab: TestPage;
let lanternId: string;
let orderId: string;
let orderNumber: string;

beforeAll(async () => {
  server = await startCentralServer(quickestDatabase());
  await server.seedBulk({ products: 24, variantsPer: 2, orders: 16 });
  const lantern = await server.catalog.product({ name: NAME, stock: [3, 20], price: 2500 });
  lanternId = lantern.id;
  // Today's order, paid through the store (its timeline has events), and a review waiting for moderation.
  const order = await placePaidOrder(server, { email: SHOPPER, lines: [[lantern.variants[1]!, 2]] });
  orderId = order.id;
  orderNumber = order.number;
  const reviewer = await member(server.app, REVIEWER);
  await postReview(server.app, lanternId, reviewer.auth, review({ title: REVIEW_TITLE })).expect(201);

  admin = await adminApi(server.url, server.credentials);
  proxy = await startFaultProxy({ target: server.url });
  // Tall: the shell scrolls inside its content pane, so a screenshot shows what fits the window.
  session = await openStaffSession(server, { serverUrl: proxy.url, page: { viewport: { width: 1440, height: 1100 } } });
  ({ backoffice, tab } = session);
});

afterAll(async () => {
  await session?.close();
  await proxy?.close();
  await server?.close();
});

/** The product as the server holds it, read back over its admin API. */
const serverLantern = async () => {
  const { name, description } = await admin.product(lanternId);
  return { name, description };
};

/** The sync bar's link to the conflicts screen ("2 conflicts"), present only while some are open. */
const conflictsLink = (page: Page) => syncBar(page).getByRole('link', { name: /\d+ conflicts?$/ });

async function openEditor(page: Page, name: string) {
  await goTo(page, `/products/${lanternId}`);
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

describe('a conflict, shown and resolved', () => {
  it('the same fields changed offline here and on the server: the push answers conflict', async () => {
    const { page } = tab;
    await openEditor(page, NAME);
    proxy.setFaults({ down: true });
    await syncBar(page).getByRole('button', { name: 'Sync now' }).click();
    await syncBar(page).getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(MINE.name);
    await page.getByRole('textbox', { name: 'Description', exact: true }).fill(MINE.description);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: MINE.name, level: 1 }).waitFor();
    await page.getByText('Not synced', { exact: true }).waitFor();

    // The colleague's edit, straight to the server: this device cannot see it while the network is down.
    await admin.patchProduct(lanternId, THEIRS);
    expect(await serverLantern()).toEqual(THEIRS);

    proxy.setFaults({});
    await syncBar(page).getByRole('button', { name: 'Sync now' }).click();
    await waitForUpToDate(page, 30_000);
    await expect.poll(() => conflictsLink(page).textContent()).toBe('2 conflicts');
    // The later push won on the server: this device's values are what the shop shows now.
    expect(await serverLantern()).toEqual(MINE);
  });

  it('lists both values of each field side by side', async () => {
    const { page } = tab;
    await conflictsLink(page).click();
    await page.getByRole('heading', { name: 'Conflicts', level: 1 }).waitFor();
    const card = page.getByRole('region', { name: `Product ${MINE.name}` });
    const values = card.getByRole('table', { name: 'Values side by side' });
    await values.waitFor();
    const cells = async (field: string) =>
      (await values.getByRole('row').filter({ hasText: field }).getByRole('cell').allTextContents()).slice(0, 3);
    expect(await values.getByRole('columnheader').allTextContents()).toEqual([
      'Field',
      'Their value (overwritten)',
      'Your value (in the shop now)',
      'Actions',
    ]);
    expect(await cells('Name')).toEqual(['Name', THEIRS.name, MINE.name]);
    expect(await cells('Description')).toEqual(['Description', THEIRS.description, MINE.description]);
    await tidyForScreenshot(page);
    await screenshot(page, 'screen-conflicts');
  });

  it('restores their name and keeps my description: the server and the UI agree, nothing is left open', async () => {
    const { page } = tab;
    const values = page.getByRole('table', { name: 'Values side by side' });
    await values.getByRole('row').filter({ hasText: 'Name' }).getByRole('button', { name: 'Restore theirs' }).click();
    await page.getByRole('region', { name: 'Notifications' }).getByText('Restored their name').waitFor();
    await values.getByRole('row').filter({ hasText: 'Description' }).getByRole('button', { name: 'Keep mine' }).click();
    await page.getByRole('heading', { name: 'No conflicts' }).waitFor();

    await syncBar(page).getByRole('button', { name: 'Sync now' }).click();
    await waitForUpToDate(page, 30_000);
    await expect.poll(() => serverLantern()).toEqual({ name: THEIRS.name, description: MINE.description });
    // The restore was an ordinary edit after the sync that followed it, answered cleanly: no new conflict.
    expect(await conflictsLink(page).count()).toBe(0);
    expect(await backoffice.host.call('conflicts:list', {})).toEqual({ items: [] });
    expect(await page.getByRole('heading', { name: 'No conflicts' }).isVisible()).toBe(true);
    await tidyForScreenshot(page);
    await screenshot(page, 'conflicts-resolved');

    await openEditor(page, THEIRS.name);
    expect(await page.getByRole('textbox', { name: 'Description', exact: true }).inputValue()).toBe(MINE.description);
    await expect.poll(() => page.getByText('Not synced', { exact: true }).count()).toBe(0);
    expect(tab.errors.filter((e) => !/ERR_|status of 5\d\d/.test(e))).toEqual([]);
    expect(backoffice.errors).toEqual([]);
  });
});

/** Tidies the page and saves it as e2e/artifacts/screen-<name>.png. */
async function shoot(page: Page, name: string) {
  await tidyForScreenshot(page);
  await screenshot(page, `screen-${name}`);
}

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, level: 1 });

/** A data row (not the header) of the screen's grid that contains `text`. */
const gridRow = (page: Page, text: string | RegExp) =>
  page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell') })
    .filter({ hasText: text })
    .first();

describe('every screen, with data', () => {
  let archived: { id: string; name: string };
  let oversoldSku: string;

  it('an offline edit of a product archived meanwhile is refused, an offline oversale flagged', async () => {
    // Content for the rejected-changes and oversells tabs, made the way it happens in a shop: an edit
    // of a product the server archives while this device is offline (rule 7), and an offline sale of
    // more than the shelf holds (rule 5).
    const { page } = tab;
    const [bench] = await server.query<{ id: string; name: string }>(
      "select id, name from products where status = 'active' and slug like 'bench-product-%' order by slug limit 1",
    );
    archived = bench!;
    const [variant] = await server.query<{ id: string; sku: string; on_hand: number }>(
      `select v.id, v.sku, l.on_hand from variants v join stock_levels l on l.variant_id = v.id
       where v.product_id = '${lanternId}' order by v.position limit 1`,
    );
    oversoldSku = variant!.sku;
    proxy.setFaults({ down: true });
    await backoffice.host.call('catalog:updateProduct', { productId: archived.id, patch: { tags: ['clearance'] } });
    const sale = { variantId: variant!.id, delta: -(variant!.on_hand + 2), reason: 'sale' } as const;
    await backoffice.host.call('stock:adjust', sale);
    await admin.archiveProduct(archived.id);
    proxy.setFaults({});
    await syncBar(page).getByRole('button', { name: 'Sync now' }).click();
    await syncBar(page).getByRole('link', { name: '1 rejected change' }).waitFor({ timeout: 30_000 });
    await syncBar(page).getByRole('link', { name: '1 oversell' }).waitFor({ timeout: 30_000 });
    await waitForUpToDate(page);
    const [level] = await server.query<{ on_hand: number }>(
      `select on_hand from stock_levels where variant_id = '${variant!.id}'`,
    );
    expect(level!.on_hand).toBe(-2);
    expect((await admin.product(archived.id)).tags).not.toContain('clearance');
  });

  it('dashboard, products and the product editor', async () => {
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await h1(page, 'Dashboard').waitFor();
    const toFulfil = page.getByRole('region', { name: 'Orders to fulfil' });
    await toFulfil
      .getByRole('link')
      .filter({ hasText: orderNumber.replace(/^#/, '') })
      .waitFor();
    await page.getByRole('region', { name: 'Low stock' }).getByText(oversoldSku).first().waitFor();
    await shoot(page, 'dashboard');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
    await h1(page, 'Products').waitFor();
    const lantern = gridRow(page, /Harbour lantern/);
    await lantern.waitFor();
    await shoot(page, 'products');

    await lantern.dblclick();
    await h1(page, /Harbour lantern/).waitFor();
    await expect.poll(() => page.getByLabel('SKU, S0', { exact: true }).inputValue()).toBe(oversoldSku);
    await shoot(page, 'product-editor');
  });

  it('inventory: levels, low stock, movements and oversells', async () => {
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await h1(page, 'Inventory').waitFor();
    await page.getByLabel('Search', { exact: true }).fill('lantern');
    await gridRow(page, oversoldSku).waitFor();
    await shoot(page, 'inventory-levels');

    await page.getByRole('tab', { name: 'Low stock' }).click();
    await gridRow(page, oversoldSku).waitFor();
    await shoot(page, 'inventory-low-stock');

    await page.getByRole('tab', { name: 'Movements' }).click();
    await gridRow(page, oversoldSku).waitFor();
    await shoot(page, 'inventory-movements');

    await page.getByRole('tab', { name: /^Oversells/ }).click();
    await page.getByText(oversoldSku).first().waitFor();
    await shoot(page, 'inventory-oversells');
  });

  it('orders and an order', async () => {
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await h1(page, 'Orders').waitFor();
    const row = gridRow(page, SHOPPER);
    await row.waitFor();
    await shoot(page, 'orders');

    await row.dblclick();
    await h1(page, `Order #${orderNumber.replace(/^#/, '')}`).waitFor();
    await page
      .getByRole('region', { name: 'Items' })
      .getByText(/Harbour lantern/)
      .first()
      .waitFor();
    expect(new URL(page.url()).hash).toBe(`#/orders/${orderId}`);
    await shoot(page, 'order-detail');
  });

  it('reviews, conflicts (with their tabs), reports and settings', async () => {
    const { page } = tab;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    await h1(page, 'Reviews').waitFor();
    const card = page.getByRole('list', { name: 'Reviews' }).getByRole('listitem').filter({ hasText: REVIEW_TITLE });
    await card.waitFor();
    await shoot(page, 'reviews');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conflicts' }).click();
    await h1(page, 'Conflicts').waitFor();
    // Its populated state is screen-conflicts.png, taken while the conflict above was open.
    await page.getByRole('heading', { name: 'No conflicts' }).waitFor();
    await page.getByRole('tab', { name: /^Rejected changes/ }).click();
    await page.getByText(archived.name).first().waitFor();
    await shoot(page, 'conflicts-rejections');
    await page.getByRole('tab', { name: /^Oversells/ }).click();
    await page.getByText(oversoldSku).first().waitFor();
    await shoot(page, 'conflicts-oversells');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await h1(page, 'Reports').waitFor();
    await page.locator('.report-body[aria-busy="false"]').waitFor();
    await page.getByRole('heading', { name: /^[\d,]+ rows?$/ }).waitFor();
    await shoot(page, 'reports');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await h1(page, 'Settings').waitFor();
    await expect.poll(() => page.getByLabel('Server address').inputValue()).toBe(proxy.url);
    await shoot(page, 'settings');
    expect(tab.errors.filter((e) => !/ERR_|status of 5\d\d/.test(e))).toEqual([]);
    expect(backoffice.errors).toEqual([]);
  });
});

/**
 * Issue 7 e2e: every report on the reports screen, with its parameters set through the UI, is
 * exported as CSV, XLSX and PDF by clicking its buttons; each downloaded file is opened and checked
 * against the report and against what the central server holds. Then the server goes away and a
 * report still exports (computed from the local store). Screenshots: e2e/artifacts/reports-*.png.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat, ReportExportInput, ReportFile, ReportName } from '../shared/contract/reports.js';
import { REPORTS } from '../electron/host/reports/definitions.js';
import { address } from '../server/modules/checkout/checkout.testkit.js';
import { type FaultProxy, startFaultProxy } from '../electron/host/sync/testing/fault-proxy.js';
import {
  type Backoffice,
  type CentralServer,
  openStaffSession,
  csvRecords,
  goTo,
  nextChannelCall,
  pdfText,
  quickestDatabase,
  screenshot,
  type StaffSession,
  startCentralServer,
  syncBar,
  type TestPage,
  tidyForScreenshot,
  xlsxRows,
} from './kit/index.js';

const ZONE = 'America/New_York';
const SEEDED_ORDERS = 240;
/** Wide enough for every seeded order (placed up to 364 days ago), within the 731-day limit. */
const WIDE_DAYS = 400;
const TABS: Record<ReportName, string> = {
  sales: 'Sales summary',
  topProducts: 'Top products',
  inventoryValuation: 'Inventory valuation',
  lowStock: 'Low stock',
  movements: 'Stock movements',
  orders: 'Orders',
};

/** The column that names a row, per report. */
const KEY_COLUMNS = ['period', 'name', 'sku', 'number'];

let server: CentralServer;
let proxy: FaultProxy;
let backoffice: Backoffice;
let session: StaffSession;
let tab: TestPage;
let lanternSkus: string[];

const dayIn = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.now() + offsetDays * 86_400_000));

beforeAll(async () => {
  server = await startCentralServer(quickestDatabase());
  await server.seedBulk({ products: 40, variantsPer: 2, orders: SEEDED_ORDERS });
  // Today's activity: stock received (a product made with stock), and an order reserving two.
  const lantern = await server.catalog.product({ name: 'Trail lantern', stock: [4, 30], price: 2599 });
  const cart = await server.catalog.guestCartWith([[lantern.variants[1]!, 2]]);
  await server.catalog.checkout(cart.headers, { email: 'ann@example.com', shippingAddress: address() }).expect(201);
  lanternSkus = (
    await server.query<{ sku: string }>(`select sku from variants where product_id = '${lantern.id}' order by position`)
  ).map((v) => v.sku);
  proxy = await startFaultProxy({ target: server.url });
  // Tall: the shell scrolls inside its content pane, so a screenshot shows what fits the window.
  session = await openStaffSession(server, {
    serverUrl: proxy.url,
    page: { timezoneId: ZONE, viewport: { width: 1440, height: 1600 } },
  });
  ({ backoffice, tab } = session);
});

afterAll(async () => {
  await session?.close();
  await proxy?.close();
  await server?.close();
});

/** Waits for the open report to finish loading (its parameters settle after a short pause). */
async function settled(page: Page): Promise<void> {
  await page.waitForTimeout(50);
  await page.locator('.report-body[aria-busy="false"]').waitFor();
  await page.getByRole('heading', { name: /^[\d,]+ rows?$/ }).waitFor();
}

async function openReport(page: Page, report: ReportName, setup?: (page: Page) => Promise<void>) {
  await goTo(page, '/reports');
  await page.getByRole('tab', { name: TABS[report] }).click();
  await settled(page);
  if (setup) {
    await setup(page);
    await settled(page);
  }
  await tidyForScreenshot(page);
}

const wideRange = async (page: Page) => {
  await page.getByLabel('From', { exact: true }).fill(dayIn(-WIDE_DAYS));
  await page.getByLabel('To', { exact: true }).fill(dayIn(0));
};

/** Clicks an export button; answers the file's bytes, its name, and the input the UI sent. */
async function exportAs(page: Page, format: ExportFormat) {
  const [download, input] = await Promise.all([
    page.waitForEvent('download'),
    nextChannelCall(page, 'reports:export'),
    page.getByRole('button', { name: `Export as ${format.toUpperCase()}` }).click(),
  ]);
  const bytes = await readFile(await download.path());
  return { bytes, name: download.suggestedFilename(), input: input as ReportExportInput };
}

/** What the host itself answers for the same input: the rows, and the CSV file. */
async function hostAnswer(input: ReportExportInput) {
  const report = (await backoffice.host.call(`reports:${input.report}`, input.params)) as { rows: unknown[] };
  const file = (await backoffice.host.call('reports:export', input)) as ReportFile;
  return { rows: report.rows as Record<string, unknown>[], csv: Buffer.from(file.base64, 'base64') };
}

/** Exports all three formats and checks each file against the report; answers the parsed CSV. */
async function exportAndCheck(page: Page, report: ReportName): Promise<Record<string, string>[]> {
  const headers = REPORTS[report].columns.map((c) => c.header);
  const shown = await page.getByRole('heading', { name: /^[\d,]+ rows?$/ }).textContent();

  const csv = await exportAs(page, 'csv');
  expect(csv.input).toMatchObject({ report, format: 'csv' });
  expect(csv.name).toMatch(new RegExp(`^${REPORTS[report].fileStem}_\\d{4}-\\d{2}-\\d{2}.*\\.csv$`));
  const expected = await hostAnswer(csv.input);
  // The download is the host's file byte for byte (BOM included): nothing lost in base64 and Blob.
  expect(csv.bytes.equals(expected.csv)).toBe(true);
  const records = csvRecords(csv.bytes);
  expect(records[0]).toEqual(headers);
  expect(records.length - 1).toBe(expected.rows.length);
  expect(Number(shown!.replace(/\D/g, ''))).toBe(expected.rows.length);

  const xlsx = await exportAs(page, 'xlsx');
  expect(xlsx.input).toEqual({ ...csv.input, format: 'xlsx' });
  expect(xlsx.name.endsWith('.xlsx')).toBe(true);
  const sheet = await xlsxRows(xlsx.bytes);
  expect(sheet.sheets).toContain('About');
  expect(sheet.rows[0]).toEqual(headers);
  expect(sheet.rows.length - 1).toBe(expected.rows.length);
  // The row's name cell (SKU, order number, product, period) reads the same in every format.
  const key = REPORTS[report].columns.findIndex((c) => KEY_COLUMNS.includes(c.key));
  for (let i = 1; i < Math.min(records.length, 6); i++) expect(String(sheet.rows[i]![key])).toBe(records[i]![key]);

  const pdf = await exportAs(page, 'pdf');
  expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const text = await pdfText(pdf.bytes);
  expect(text).toContain(REPORTS[report].title);
  if (records.length > 1) expect(text).toContain(records[1]![key]);

  return records.slice(1).map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i]!])));
}

describe('reports in the browser (exports checked)', () => {
  it('sales summary by month: the CSV counts every paid order the server holds', async () => {
    const { page } = tab;
    await openReport(page, 'sales', async (p) => {
      await wideRange(p);
      await p.getByLabel('Group by').selectOption('month');
    });
    await page.locator('.report-chart svg').first().waitFor();
    await screenshot(page, 'reports-sales');
    const rows = await exportAndCheck(page, 'sales');
    expect(rows.length).toBeGreaterThanOrEqual(13);
    const paid = await server.count("select count(*) from orders where status <> 'cancelled' and paid_at is not null");
    expect(rows.reduce((n, r) => n + Number(r.Orders), 0)).toBe(paid);
    expect(rows.every((r) => /^\d{4}-\d{2}$/.test(r.Period!))).toBe(true);
  });

  it('top products', async () => {
    const { page } = tab;
    await openReport(page, 'topProducts', wideRange);
    // Enter in a field runs the report again at once (the Refresh button submits the parameters form).
    await Promise.all([
      nextChannelCall(page, 'reports:topProducts'),
      page.getByLabel('From', { exact: true }).press('Enter'),
    ]);
    await settled(page);
    await tidyForScreenshot(page);
    await screenshot(page, 'reports-top-products');
    const rows = await exportAndCheck(page, 'topProducts');
    expect(rows.map((r) => Number(r.Rank))).toEqual(rows.map((_, i) => i + 1));
    const revenue = rows.map((r) => Number(r.Revenue));
    expect(revenue).toEqual([...revenue].sort((a, b) => b - a));
  });

  it('inventory valuation', async () => {
    const { page } = tab;
    await openReport(page, 'inventoryValuation');
    await screenshot(page, 'reports-inventory-valuation');
    const rows = await exportAndCheck(page, 'inventoryValuation');
    const onHand = await server.count('select count(*) from stock_levels where on_hand > 0');
    expect(rows.length).toBe(onHand);
    expect(rows.find((r) => r.SKU === lanternSkus[1])).toMatchObject({ 'On hand': '30' });
  });

  it('low stock', async () => {
    const { page } = tab;
    await openReport(page, 'lowStock');
    await screenshot(page, 'reports-low-stock');
    const rows = await exportAndCheck(page, 'lowStock');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => Number(r.Available) <= Number(r.Threshold))).toBe(true);
  });

  it("stock movements: today's receipt and reservation are there", async () => {
    const { page } = tab;
    await openReport(page, 'movements');
    await screenshot(page, 'reports-movements');
    const rows = await exportAndCheck(page, 'movements');
    const lantern = rows.filter((r) => lanternSkus.includes(r.SKU!));
    expect(lantern).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ SKU: lanternSkus[1], Kind: 'received', 'On hand change': '30' }),
        expect.objectContaining({ SKU: lanternSkus[1], Kind: 'reservation', 'Reserved change': '2' }),
      ]),
    );
  });

  it('orders filtered by status, then every order the server holds', async () => {
    const { page } = tab;
    await openReport(page, 'orders', async (p) => {
      await wideRange(p);
      await p.getByRole('button', { name: 'Cancelled', exact: true }).click();
    });
    const cancelled = await exportAndCheck(page, 'orders');
    expect(cancelled.length).toBe(await server.count("select count(*) from orders where status = 'cancelled'"));
    expect(new Set(cancelled.map((r) => r.Status))).toEqual(new Set(['cancelled']));
    await page.getByRole('button', { name: 'Any status' }).click();
    await settled(page);
    await tidyForScreenshot(page);
    await screenshot(page, 'reports-orders');
    const all = await exportAndCheck(page, 'orders');
    expect(all.length).toBe(await server.count('select count(*) from orders'));
    expect(all.some((r) => r['E-mail'] === 'ann@example.com')).toBe(true);
  });

  it('still exports with the server gone (computed on this device)', async () => {
    const { page } = tab;
    proxy.setFaults({ down: true });
    await syncBar(page).getByRole('button', { name: 'Sync now' }).click();
    await syncBar(page).getByText('Offline', { exact: true }).waitFor({ timeout: 20_000 });
    await openReport(page, 'lowStock');
    await exportAndCheck(page, 'lowStock');
    await tidyForScreenshot(page);
    await screenshot(page, 'reports-offline');
    expect(tab.errors.filter((e) => !/ERR_|status of 5\d\d/.test(e))).toEqual([]);
    expect(backoffice.errors).toEqual([]);
  });
});

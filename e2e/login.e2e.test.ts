/**
 * Issue 7 e2e: a member of staff opens the browser-mode back-office, signs in to a real central
 * server and watches the first download fill the progress bar until everything is here. Runs on
 * every database the suite has (PGlite, and Postgres when one answers). A fault proxy makes the link
 * slow, as a real network would be, so the bar is on screen long enough to be seen moving.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../electron/host/sync/testing/fault-proxy.js';
import {
  type Backoffice,
  type CentralServer,
  e2eDatabases,
  launchBrowser,
  openPage,
  screenshot,
  startBackoffice,
  startCentralServer,
  submitSignIn,
  syncBar,
  type TestPage,
  waitForUpToDate,
} from './kit/index.js';

const PRODUCTS = 1200;
const ORDERS = 120;
/** The first download is one streamed answer: at this rate it takes a few seconds. */
const LINK_BYTES_PER_SECOND = 256 * 1024;

describe.each(e2eDatabases())('sign in and first download (%s)', (kind) => {
  let server: CentralServer;
  let proxy: FaultProxy;
  let backoffice: Backoffice;
  let browser: Browser;
  let tab: TestPage;

  beforeAll(async () => {
    server = await startCentralServer(kind);
    await server.seedBulk({ products: PRODUCTS, variantsPer: 2, orders: ORDERS });
    proxy = await startFaultProxy({
      target: server.url,
      faults: {
        bytesPerSecond: LINK_BYTES_PER_SECOND,
        match: (_method, path) => path.endsWith('/sync/snapshot') || path.endsWith('/sync/pull'),
      },
    });
    // Small batches: many progress steps, as a large catalog has.
    backoffice = await startBackoffice({ engine: { pullLimit: 400 } });
    browser = await launchBrowser();
    tab = await openPage(browser);
  });

  afterAll(async () => {
    await tab?.close();
    await browser?.close();
    await backoffice?.close();
    await proxy?.close();
    await server?.close();
  });

  it('refuses a wrong password with a clear message and stays signed out', async () => {
    const { page } = tab;
    await submitSignIn(page, backoffice.url, { serverUrl: proxy.url, ...server.credentials, password: 'not it' });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong e-mail or password.');
    await screenshot(page, `login-refused-${kind}`);
    expect(await backoffice.host.call('auth:session', {})).toBeNull();
    // The browser logs the refused request itself; nothing else went wrong.
    expect(tab.errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    tab.errors.length = 0;
  });

  it('signs in, shows the first download progressing to the end, then says it is up to date', async () => {
    const { page } = tab;
    await submitSignIn(page, backoffice.url, { serverUrl: proxy.url, ...server.credentials });
    const bar = page.getByRole('progressbar', { name: 'First download' });
    await bar.waitFor({ timeout: 30_000 });
    const seen: number[] = [];
    let shot = false;
    while (await bar.isVisible()) {
      const now = Number(await bar.getAttribute('aria-valuenow', { timeout: 2000 }).catch(() => NaN));
      if (Number.isFinite(now)) seen.push(now);
      if (!shot && now >= 20) {
        shot = true;
        await screenshot(page, `first-download-${kind}`);
      }
      await page.waitForTimeout(40);
    }
    // The bar moved through the middle of the download, never backwards.
    expect(
      seen.some((v) => v > 0 && v < 100),
      `progress seen: ${seen.join(',')}`,
    ).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(shot).toBe(true);
    await waitForUpToDate(page);
    await expect.poll(() => syncBar(page).textContent()).toContain('Online');
    await screenshot(page, `signed-in-${kind}`);

    const local = (table: string) =>
      backoffice.host.store.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    expect(local('products')).toBe(PRODUCTS);
    expect(local('variants')).toBe(PRODUCTS * 2);
    expect(local('orders')).toBe(ORDERS);
    expect(proxy.stats.throttled).toBeGreaterThan(0);
    expect(tab.errors).toEqual([]);
    expect(backoffice.errors).toEqual([]);
  });
});

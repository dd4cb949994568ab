/**
 * What most e2e files start from: the browser-mode back-office in Chromium, a member of staff
 * signed in to the central server (or to a proxy in front of it) and the first download done.
 */
import type { Browser } from 'playwright-core';
import { type Backoffice, startBackoffice } from './backoffice.js';
import { launchBrowser, openPage, type PageOptions, type TestPage } from './browser.js';
import type { CentralServer } from './central.js';
import { submitSignIn, waitForUpToDate } from './ui.js';

export interface StaffSession {
  backoffice: Backoffice;
  browser: Browser;
  tab: TestPage;
  /** Closes the tab, the browser and the back-office (not the server). */
  close(): Promise<void>;
}

export async function openStaffSession(
  server: CentralServer,
  options: { serverUrl?: string; page?: PageOptions } = {},
): Promise<StaffSession> {
  const backoffice = await startBackoffice();
  let browser: Browser | undefined;
  let tab: TestPage | undefined;
  const close = async () => {
    await tab?.close();
    await browser?.close();
    await backoffice.close();
  };
  try {
    browser = await launchBrowser();
    tab = await openPage(browser, options.page);
    await submitSignIn(tab.page, backoffice.url, { serverUrl: options.serverUrl ?? server.url, ...server.credentials });
    await waitForUpToDate(tab.page);
    return { backoffice, browser, tab, close };
  } catch (error) {
    // The caller never gets the session to close: nothing half-started may outlive the file.
    await close();
    throw error;
  }
}

/**
 * Debian's Chromium driven by playwright-core (no browser download, no @playwright/test runner:
 * vitest runs these tests). Flags from /work/shared/NOTES.md; each page records console errors and
 * failed page scripts, so a test can assert the UI ran clean (a CSP violation shows up there).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { watchChannelCalls } from './channel-calls.js';
import { artifactPath } from './paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserOptions {
  /** More Chromium flags, e.g. --host-resolver-rules to point a name at loopback. */
  args?: string[];
}

export function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...(options.args ?? [])] });
}

export interface PageOptions {
  /** The IANA zone the page believes it is in (reports count days there). */
  timezoneId?: string;
  viewport?: { width: number; height: number };
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function openPage(browser: Browser, options: PageOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: options.timezoneId ?? 'UTC',
    acceptDownloads: true,
    // Charts and toasts skip their animations: screenshots show the final picture, not a frame of it.
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  watchChannelCalls(page);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  // The console line for a failed load names no address: this one does.
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return { page, context, errors, close: () => context.close() };
}

/** A full-page PNG under e2e/artifacts/ (the run's visual record of every screen). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = artifactPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/**
 * The back-office end-to-end kit: a real central server (PGlite, and Postgres when one answers),
 * the back-office host in browser mode pointing at it, and Debian's Chromium driven by
 * playwright-core. Screenshots go to e2e/artifacts/.
 *
 *   const server = await startCentralServer('pglite');
 *   const backoffice = await startBackoffice({ serverUrl: server.url });
 *   const browser = await launchBrowser();
 *   const { page } = await openPage(browser);
 *   await submitSignIn(page, backoffice.url, { serverUrl: server.url, ...server.credentials });
 */
export { type Backoffice, type BackofficeOptions, startBackoffice } from './backoffice.js';
export { CHROMIUM, launchBrowser, openPage, type PageOptions, screenshot, type TestPage } from './browser.js';
export { openStaffSession, type StaffSession } from './session.js';
export { type CentralServer, startCentralServer } from './central.js';
export { type DatabaseKind, e2eDatabases, quickestDatabase } from './database.js';
export { artifactPath, ARTIFACTS, ROOT } from './paths.js';
export { goTo, type SignIn, submitSignIn, syncBar, tidyForScreenshot, waitForUpToDate } from './ui.js';
export { csvRecords, pdfText, xlsxRows } from './files.js';
export { nextChannelCall } from './channel-calls.js';

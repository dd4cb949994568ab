/** Steps a person takes in the back-office UI, shared by the e2e tests. */
import type { Page } from 'playwright-core';

export interface SignIn {
  serverUrl: string;
  email: string;
  password: string;
}

/** Opens the launch URL and fills the connect & log in form (does not wait for the result). */
export async function submitSignIn(page: Page, launchUrl: string, who: SignIn): Promise<void> {
  // Once the app runs, the secret has left the address bar; going to the launch URL again would
  // only change the fragment (no reload), so a page already on the host stays where it is.
  if (!page.url().startsWith(new URL(launchUrl).origin)) await page.goto(launchUrl);
  await page.getByRole('heading', { name: 'Sign in to Nexus' }).waitFor();
  await page.getByLabel('Server address').fill(who.serverUrl);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByLabel('Password').press('Enter');
}

/** The sync bar, always on screen once signed in. */
export const syncBar = (page: Page) => page.getByRole('region', { name: 'Sync status' });

/** Waits until the sync bar says everything is synced. */
export async function waitForUpToDate(page: Page, timeout = 60_000): Promise<void> {
  await syncBar(page).getByText('Up to date').waitFor({ timeout });
}

/** Goes to a hash route ('/reports') the way the app's own links do. */
export async function goTo(page: Page, route: string): Promise<void> {
  // A string: this file is compiled for Node, which has no `window` type.
  await page.evaluate(`window.location.hash = ${JSON.stringify(route)}`);
}

/** Before a screenshot: no toast over the screen, no focus ring or open picker on a field. */
export async function tidyForScreenshot(page: Page): Promise<void> {
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  const dismiss = page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

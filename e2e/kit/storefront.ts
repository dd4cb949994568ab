/** A shopper's steps in the storefront pages (Chromium), shared by the storefront e2e files. */
import type { Page } from 'playwright-core';
import type { TestPage } from './browser.js';

export interface ShippingDetails {
  /** Left out for a signed-in member, whose e-mail the form already knows. */
  email?: string;
  name: string;
  street: string;
  city: string;
  postalCode: string;
}

/** Fills the checkout's contact and address step and continues to payment (callers wait for their payment form). */
export async function fillShipping(page: Page, details: ShippingDetails): Promise<void> {
  await page.getByRole('heading', { name: 'Checkout', level: 1 }).waitFor();
  if (details.email !== undefined) await page.getByLabel('Email').fill(details.email);
  await page.getByLabel('Full name').fill(details.name);
  await page.getByLabel('Address', { exact: true }).fill(details.street);
  await page.getByLabel('City').fill(details.city);
  await page.getByLabel('Postal code').fill(details.postalCode);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
}

/** The built-in test provider's card form (shown in test mode). */
export async function payWithTestCard(page: Page, card: string): Promise<void> {
  await page.getByLabel('Card number').fill(card);
  await page.getByRole('button', { name: 'Pay' }).click();
}

/** The page's errors, minus the console lines Chromium writes for answers the test expects (4xx). */
export const unexpectedErrors = (tab: TestPage): string[] => tab.errors.filter((e) => !/status of 4\d\d/.test(e));

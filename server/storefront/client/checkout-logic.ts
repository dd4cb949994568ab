/** Checkout decisions that need no DOM: the request body, the idempotency key, short lines. Unit-tested. */
import type { FieldError } from './errors.js';

export type Address = Record<string, string | null>;

export interface CheckoutBody {
  email?: string;
  shippingAddress: Address;
  billingAddress?: Address;
}

/** The fields of an address (shared/api orderAddressInput and addressInput). */
export const ADDRESS_FIELDS = [
  'name',
  'company',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
  'phone',
] as const;
const OPTIONAL = new Set<string>(['company', 'line2', 'region', 'phone']);

/**
 * The address in a form's values, its fields named `prefix.field` (or just `field` without a
 * prefix). Optional fields left empty are null; required ones are sent as typed, so the server's
 * "is required" comes back for the right field.
 */
export function addressFrom(values: Record<string, string>, prefix = ''): Address {
  const address: Address = {};
  for (const field of ADDRESS_FIELDS) {
    const value = values[prefix ? `${prefix}.${field}` : field];
    if (value === undefined) continue;
    const text = value.trim();
    address[field] = text === '' && OPTIONAL.has(field) ? null : text;
  }
  return address;
}

/** The body of POST /checkout from the form's values; the server prices everything itself. */
export function checkoutBody(values: Record<string, string>, billingSame: boolean): CheckoutBody {
  const email = values.email?.trim();
  return {
    ...(email ? { email } : {}),
    shippingAddress: addressFrom(values, 'shippingAddress'),
    ...(billingSame ? {} : { billingAddress: addressFrom(values, 'billingAddress') }),
  };
}

export interface Attempt {
  key: string;
  body: string;
}

/**
 * The Idempotency-Key for submitting `body`: the previous attempt's key while the body is the
 * same (a double click, a retry after a network error or a 502, a reload), a new one once the
 * shopper changed something (the server refuses a key reused with another body).
 */
export function attemptFor(previous: Attempt | undefined, body: CheckoutBody, newKey: () => string): Attempt {
  const json = JSON.stringify(body);
  return previous && previous.body === json ? previous : { key: newKey(), body: json };
}

export interface ShortLine {
  variantId: string;
  name: string;
  message: string;
}

/**
 * The cart lines a 409 `out_of_stock` or `cart_changed` names (`cart.items.<variantId>`), with
 * the cart's own names for them where the cart knows the line.
 */
export function shortLines(
  errors: readonly FieldError[],
  lines: readonly { variantId: string; name: string; variantTitle?: string; sku?: string }[],
): ShortLine[] {
  return errors.flatMap((e) => {
    const match = /^cart\.items\.(.+)$/.exec(e.path);
    if (!match) return [];
    const variantId = match[1]!;
    const line = lines.find((l) => l.variantId === variantId);
    const name = line
      ? line.variantTitle && line.variantTitle !== 'Default'
        ? `${line.name} (${line.variantTitle})`
        : line.name
      : 'An item';
    // The server starts the message with the SKU, which the shopper does not need next to the name.
    const message =
      line?.sku && e.message.startsWith(`${line.sku}: `) ? e.message.slice(line.sku.length + 2) : e.message;
    return [{ variantId, name, message }];
  });
}

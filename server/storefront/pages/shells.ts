import { html, type Html } from '../html.js';

/**
 * Pages that belong to one shopper (cart, checkout, order status, account): the server sends a
 * labelled frame and the browser script (client/) fills it from the API with the shopper's own
 * tokens, so nothing private is rendered into a cacheable page. Forms are rendered here, with
 * their labels, and the script only wires them up and fills in values.
 */
export interface ShellPage {
  page: string;
  title: string;
}

export const SHELL_PAGES: Record<string, ShellPage> = {
  '/cart': { page: 'cart', title: 'Your cart' },
  '/checkout': { page: 'checkout', title: 'Checkout' },
  '/orders/:id': { page: 'order', title: 'Your order' },
  '/login': { page: 'login', title: 'Sign in' },
  '/register': { page: 'register', title: 'Create an account' },
  '/forgot-password': { page: 'forgot-password', title: 'Forgot your password?' },
  // The password reset e-mail links here (auth.service.ts).
  '/reset-password': { page: 'reset-password', title: 'Choose a new password' },
  '/account': { page: 'account', title: 'Your account' },
  '/account/orders': { page: 'account-orders', title: 'Your orders' },
  '/account/addresses': { page: 'account-addresses', title: 'Your addresses' },
  '/account/wishlist': { page: 'account-wishlist', title: 'Your wishlist' },
};

/** Countries offered in address forms (ISO 3166-1 alpha-2, what the API takes), listed by name. */
const COUNTRY_CODES =
  'AR AT AU BE BR CA CH CL CN CO CZ DE DK EE ES FI FR GB GR HK HU IE IL IN IS IT JP KR LT LU LV MX MY NL NO NZ PH PL PT RO SE SG SI SK TH TR TW UA US VN ZA'.split(
    ' ',
  );
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const COUNTRIES = COUNTRY_CODES.map((code) => ({ code, name: regionNames.of(code) ?? code })).sort((a, b) =>
  a.name.localeCompare(b.name, 'en'),
);

const loading = html`<p class="loading" role="status">Loading…</p>`;
const formError = html`<p class="form-error" role="alert" data-form-error hidden></p>`;

interface FieldSpec {
  id: string;
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  maxlength?: number;
  hint?: string;
  wide?: boolean;
}

function field(f: FieldSpec): Html {
  const hintId = f.hint ? `${f.id}-hint` : undefined;
  return html`<div class="field${f.wide ? ' wide' : ''}">
    <label for="${f.id}">${f.label}${f.required ? '' : html` <span class="muted">(optional)</span>`}</label>
    <input
      id="${f.id}"
      name="${f.name}"
      type="${f.type ?? 'text'}"
      ${f.autocomplete ? html`autocomplete="${f.autocomplete}"` : ''}
      ${f.maxlength ? html`maxlength="${f.maxlength}"` : ''}
      ${f.required ? 'required' : ''}
      ${hintId ? html`aria-describedby="${hintId}"` : ''}
    />
    ${f.hint ? html`<p class="hint" id="${hintId}">${f.hint}</p>` : ''}
  </div>`;
}

/**
 * The address fields of shared/api (orders.schemas orderAddressInput, accounts.schemas
 * addressInput), named `prefix.field` (or `field`) so that a 422 path such as
 * `body.shippingAddress.postalCode` finds its input.
 */
function addressFields(prefix: string, idPrefix: string, section = ''): Html {
  const name = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const auto = (token: string) => (section ? `${section} ${token}` : token);
  const f = (key: string, label: string, token: string, extra: Partial<FieldSpec> = {}) =>
    field({ id: `${idPrefix}-${key}`, name: name(key), label, autocomplete: auto(token), ...extra });
  return html`<div class="form-grid">
    ${f('name', 'Full name', 'name', { required: true, maxlength: 120, wide: true })}
    ${f('company', 'Company', 'organization', { maxlength: 120, wide: true })}
    ${f('line1', 'Address', 'address-line1', { required: true, maxlength: 200, wide: true })}
    ${f('line2', 'Apartment, suite, etc.', 'address-line2', { maxlength: 200, wide: true })}
    ${f('city', 'City', 'address-level2', { required: true, maxlength: 120 })}
    ${f('region', 'State / region', 'address-level1', { maxlength: 120 })}
    ${f('postalCode', 'Postal code', 'postal-code', { required: true, maxlength: 20 })}
    <div class="field">
      <label for="${idPrefix}-country">Country</label>
      <select id="${idPrefix}-country" name="${name('country')}" autocomplete="${auto('country')}" required>
        ${COUNTRIES.map((c) => html`<option value="${c.code}" ${c.code === 'US' ? 'selected' : ''}>${c.name}</option>`)}
      </select>
    </div>
    ${f('phone', 'Phone', 'tel', { type: 'tel', maxlength: 40, wide: true })}
  </div>`;
}

function loginBody(): Html {
  return html`<form class="narrow" data-login-form method="post" novalidate>
    ${formError}
    ${field({ id: 'login-email', name: 'email', label: 'Email', type: 'email', autocomplete: 'email', required: true, maxlength: 254 })}
    ${field({ id: 'login-password', name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 256 })}
    <button type="submit" class="primary" data-busy="Signing in…">Sign in</button>
    <p><a href="/forgot-password">Forgot your password?</a></p>
    <p>New here? <a href="/register" data-auth-switch>Create an account</a></p>
  </form>`;
}

function forgotPasswordBody(): Html {
  return html`<form class="narrow" data-forgot-password-form method="post" novalidate>
    <p>Enter the e-mail address of your account and we will send you a link to choose a new password.</p>
    ${formError}
    ${field({ id: 'forgot-email', name: 'email', label: 'Email', type: 'email', autocomplete: 'email', required: true, maxlength: 254 })}
    <button type="submit" class="primary" data-busy="Sending…">Send the link</button>
  </form>`;
}

function resetPasswordBody(): Html {
  return html`<form class="narrow" data-reset-password-form method="post" novalidate>
    ${formError}
    ${field({ id: 'reset-password', name: 'password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256, hint: 'At least 8 characters.' })}
    <button type="submit" class="primary" data-busy="Saving…">Set the new password</button>
  </form>`;
}

function registerBody(): Html {
  return html`<form class="narrow" data-register-form method="post" novalidate>
    ${formError}
    ${field({ id: 'register-name', name: 'name', label: 'Name', autocomplete: 'name', required: true, maxlength: 120 })}
    ${field({ id: 'register-email', name: 'email', label: 'Email', type: 'email', autocomplete: 'email', required: true, maxlength: 254 })}
    ${field({ id: 'register-password', name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true, maxlength: 256, hint: 'At least 8 characters.' })}
    <button type="submit" class="primary" data-busy="Creating your account…">Create account</button>
    <p>Already have an account? <a href="/login" data-auth-switch>Sign in</a></p>
  </form>`;
}

function checkoutBody(): Html {
  return html`<div class="checkout">
    <form class="checkout-form" data-checkout-form novalidate>
      ${formError}
      <fieldset>
        <legend>Contact</legend>
        ${field({ id: 'checkout-email', name: 'email', label: 'Email', type: 'email', autocomplete: 'email', required: true, maxlength: 254, hint: 'We send the order confirmation here.' })}
      </fieldset>
      <fieldset>
        <legend>Shipping address</legend>
        ${addressFields('shippingAddress', 'shipping', 'shipping')}
      </fieldset>
      <div class="check">
        <input type="checkbox" id="billing-same" name="billingSame" checked />
        <label for="billing-same">Billing address is the same as shipping</label>
      </div>
      <div data-billing></div>
      <template data-billing-template>
        <fieldset>
          <legend>Billing address</legend>
          ${addressFields('billingAddress', 'billing', 'billing')}
        </fieldset>
      </template>
      <button type="submit" class="primary" data-busy="Reserving your items…">Continue to payment</button>
    </form>
    <aside class="summary-box" data-checkout-summary aria-labelledby="summary-heading">
      <h2 id="summary-heading">Order summary</h2>
      <div data-summary-body>${loading}</div>
    </aside>
  </div>`;
}

/** The payment forms the script fills in once an order exists (checkout, or an unpaid order's page). */
const paymentTemplates = html`<template data-pay="test">
    <form class="pay-form" novalidate aria-label="Pay with a test card">
      <p class="test-mode" id="test-cards">
        <strong>Test mode</strong> — no real payment is taken. Card 4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is
        declined.
      </p>
      ${formError}
      <div class="field">
        <label for="card-number">Card number</label>
        <input
          id="card-number"
          name="card"
          type="text"
          inputmode="numeric"
          autocomplete="cc-number"
          maxlength="23"
          required
          aria-describedby="test-cards"
        />
      </div>
      <button type="submit" class="primary" data-busy="Paying…">Pay</button>
    </form>
  </template>
  <template data-pay="stripe">
    <form class="pay-form" novalidate aria-label="Pay by card">
      ${formError}
      <div class="stripe-element"><p class="loading" role="status">Loading the payment form…</p></div>
      <button type="submit" class="primary" data-busy="Paying…" aria-disabled="true">Pay</button>
    </form>
  </template>`;

const ACCOUNT_SECTIONS = [
  ['account', '/account', 'Profile'],
  ['account-orders', '/account/orders', 'Orders'],
  ['account-addresses', '/account/addresses', 'Addresses'],
  ['account-wishlist', '/account/wishlist', 'Wishlist'],
] as const;

function accountNav(current: string): Html {
  return html`<nav class="account-nav" aria-label="Account sections">
    <ul>
      ${ACCOUNT_SECTIONS.map(
        ([page, href, label]) =>
          html`<li><a href="${href}" ${page === current ? html`aria-current="page"` : ''}>${label}</a></li>`,
      )}
    </ul>
  </nav>`;
}

function profileBody(): Html {
  return html`<dl class="profile" data-profile>
      <dt>Email</dt>
      <dd data-profile-email>…</dd>
      <dt>Member since</dt>
      <dd data-profile-since>…</dd>
    </dl>
    <form class="narrow" data-profile-form novalidate>
      ${formError}
      ${field({ id: 'profile-name', name: 'name', label: 'Name', autocomplete: 'name', required: true, maxlength: 120 })}
      <button type="submit" class="primary" data-busy="Saving…">Save name</button>
    </form>
    <p><button type="button" data-sign-out>Sign out</button></p>`;
}

function addressesBody(): Html {
  return html`<div data-address-list>${loading}</div>
    <p><button type="button" class="primary" data-add-address>Add an address</button></p>
    <form class="address-form" data-address-form novalidate hidden aria-labelledby="address-form-heading">
      <h2 id="address-form-heading">Add an address</h2>
      ${formError} ${addressFields('', 'address')}
      <div class="check">
        <input type="checkbox" id="address-default" name="isDefault" />
        <label for="address-default">Use as my default address</label>
      </div>
      <p class="actions">
        <button type="submit" class="primary" data-busy="Saving…">Save address</button>
        <button type="button" data-cancel>Cancel</button>
      </p>
    </form>`;
}

const BODIES: Record<string, () => Html> = {
  login: loginBody,
  register: registerBody,
  'forgot-password': forgotPasswordBody,
  'reset-password': resetPasswordBody,
  checkout: checkoutBody,
  account: profileBody,
  'account-addresses': addressesBody,
};

export function shellBody(shell: ShellPage): Html {
  const account = shell.page.startsWith('account');
  return html`<section class="shell${account ? ' account' : ''}" data-page="${shell.page}">
    <h1>${shell.title}</h1>
    ${account ? accountNav(shell.page) : ''}
    <div data-mount>${BODIES[shell.page]?.() ?? loading}</div>
    ${shell.page === 'checkout' || shell.page === 'order' ? paymentTemplates : ''}
    <noscript><p>This page needs JavaScript. Catalog and product pages work without it.</p></noscript>
  </section>`;
}

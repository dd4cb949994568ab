/**
 * The shopper's cart: a member's own (Bearer), else a guest cart kept by its token in the
 * browser (made on the first add). Every change answers the whole cart, which also updates the
 * header badge.
 */
import type { Cart } from '../../../shared/api/cart.schemas.js';
import { api, del, get, patch, post } from './api.js';
import { enc } from './dom.js';
import { ApiError } from './errors.js';
import { guestCartToken, saveGuestCartToken, signedIn } from './session.js';

export type { Cart };

const listeners = new Set<(cart: Cart | undefined) => void>();

export function onCartChange(fn: (cart: Cart | undefined) => void): void {
  listeners.add(fn);
}

function changed(cart: Cart | undefined): Cart | undefined {
  listeners.forEach((fn) => fn(cart));
  return cart;
}

const gone = (error: unknown) =>
  error instanceof ApiError && (error.code === 'cart_not_found' || error.code === 'cart_token_required');

/** The current cart; undefined for a guest who has none (or whose cart expired). */
export async function loadCart(): Promise<Cart | undefined> {
  if (!signedIn() && !guestCartToken()) return changed(undefined);
  try {
    return changed(await get<Cart>('/cart', { cart: true }));
  } catch (error) {
    if (!gone(error) || signedIn()) throw error;
    saveGuestCartToken(undefined);
    return changed(undefined);
  }
}

async function newGuestCart(): Promise<void> {
  const created = await post<{ cart: Cart; token: string }>('/cart');
  saveGuestCartToken(created.token);
}

/** Run a cart change; a guest without a live cart gets a new one first (once). */
async function change(call: () => Promise<Cart>): Promise<Cart> {
  if (!signedIn() && !guestCartToken()) await newGuestCart();
  try {
    return changed(await call())!;
  } catch (error) {
    if (signedIn() || !gone(error)) throw error;
    await newGuestCart();
    return changed(await call())!;
  }
}

export const addToCart = (variantId: string, quantity: number): Promise<Cart> =>
  change(() => post<Cart>('/cart/items', { variantId, quantity }, { cart: true }));

export const setQuantity = (variantId: string, quantity: number): Promise<Cart> =>
  change(() => patch<Cart>(`/cart/items/${enc(variantId)}`, { quantity }, { cart: true }));

export const removeLine = (variantId: string): Promise<Cart> =>
  change(() => del<Cart>(`/cart/items/${enc(variantId)}`, { cart: true }));

/**
 * Right after signing in: a guest cart joins the member's (quantities sum, capped by stock).
 * The guest token is forgotten either way — it no longer works after a merge.
 */
export async function mergeGuestCart(): Promise<Cart | undefined> {
  const token = guestCartToken();
  if (!token || !signedIn()) return undefined;
  try {
    return changed(await api<Cart>('POST', '/cart/merge', { headers: { 'X-Cart-Token': token }, body: {} }));
  } catch (error) {
    if (!gone(error)) throw error;
    return undefined;
  } finally {
    saveGuestCartToken(undefined);
  }
}

/** Forget what the badge knows (after signing out: the member's cart stays on the server). */
export const forgetCart = (): void => void changed(undefined);

import { createHmac, timingSafeEqual } from 'node:crypto';
import { hashToken } from '../auth/tokens.js';

/**
 * A guest's key to one order. Derived from the server secret and the order id (an HMAC), so it is
 * never stored: the order keeps only its SHA-256, and an idempotent replay of the checkout (or the
 * e-mail link) can give it again. Rotating JWT_SECRET invalidates the links already sent.
 */
export function orderAccessToken(secret: string, orderId: string): string {
  return `ord_${createHmac('sha256', secret).update(`order-access:${orderId}`).digest('base64url')}`;
}

export const accessTokenHash = (token: string): string => hashToken(token);

/** Compares a presented token with the stored hash in constant time. */
export function accessTokenMatches(presented: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

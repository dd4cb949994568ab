/** Display helpers shared by the pages. Pure, unit-tested. */
import { formatMoney } from '../../../shared/domain/money.js';

export const money = (cents: number, currency: string): string => formatMoney({ amount: cents, currency });

/** A date for people: "Nov 29, 2026". */
export const day = (iso: string): string =>
  new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

const STATUS: Record<string, string> = {
  pending_payment: 'Awaiting payment',
  paid: 'Paid',
  fulfilled: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  partially_refunded: 'Partially refunded',
};
export const statusLabel = (status: string): string => STATUS[status] ?? status.replace(/_/g, ' ');

/**
 * A quantity typed by the shopper: a whole number from `min` to 99, else undefined. Empty counts
 * as undefined too, so a cleared field is not silently taken as "remove".
 */
export function parseQuantity(text: string, min: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n >= min && n <= 99 ? n : undefined;
}

/** A card number as typed ("4242 4242-4242 4242") → digits only. */
export const cardDigits = (text: string): string => text.replace(/[\s-]/g, '');

/** Image URLs from our media store take `?w=`; others are used as they are. */
export function thumb(url: string, width = 160): string {
  if (!url.startsWith('/media/')) return url;
  const [path, query = ''] = url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('w', String(width));
  return `${path}?${params.toString()}`;
}

/** What a member reads on a product page, in place of the review form, about their own review of it. */
export function ownReviewNotice(review: { status: string; createdAt: string }): string {
  const when = `You reviewed this product on ${day(review.createdAt)}`;
  if (review.status === 'approved') return `${when}; your review is published.`;
  if (review.status === 'pending') return `${when}; it will appear here after moderation.`;
  return `${when}; it was not published.`;
}

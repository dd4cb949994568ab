import { describe, expect, it } from 'vitest';
import { cardDigits, money, ownReviewNotice, parseQuantity, statusLabel, thumb } from './format.js';

describe('parseQuantity', () => {
  it('accepts whole numbers in range', () => {
    expect(parseQuantity('1', 1)).toBe(1);
    expect(parseQuantity(' 99 ', 1)).toBe(99);
    expect(parseQuantity('0', 0)).toBe(0);
  });

  it('refuses anything else', () => {
    for (const text of ['', ' ', '0', '100', '1.5', '-1', '2e1', 'abc', '١'])
      expect(parseQuantity(text, 1)).toBeUndefined();
  });
});

describe('display helpers', () => {
  it('formats minor units', () => {
    expect(money(4299, 'USD')).toBe('$42.99');
    expect(money(500, 'JPY')).toBe('¥500');
  });

  it('labels statuses for people', () => {
    expect(statusLabel('pending_payment')).toBe('Awaiting payment');
    expect(statusLabel('fulfilled')).toBe('Shipped');
    expect(statusLabel('something_new')).toBe('something new');
  });

  it('keeps only the digits of a card number', () => {
    expect(cardDigits('4242 4242-4242 4242')).toBe('4242424242424242');
  });

  it('asks our media store for a small image, leaves other URLs alone', () => {
    expect(thumb('/media/abc.webp?w=1600')).toBe('/media/abc.webp?w=160');
    expect(thumb('https://cdn.example/x.jpg')).toBe('https://cdn.example/x.jpg');
  });
});

describe('ownReviewNotice', () => {
  const createdAt = '2026-11-02T10:00:00.000Z';
  it('tells the member where their review stands, by status', () => {
    expect(ownReviewNotice({ status: 'pending', createdAt })).toBe(
      'You reviewed this product on Nov 2, 2026; it will appear here after moderation.',
    );
    expect(ownReviewNotice({ status: 'approved', createdAt })).toBe(
      'You reviewed this product on Nov 2, 2026; your review is published.',
    );
    expect(ownReviewNotice({ status: 'rejected', createdAt })).toBe(
      'You reviewed this product on Nov 2, 2026; it was not published.',
    );
  });
});

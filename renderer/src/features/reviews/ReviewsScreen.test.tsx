import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { useToastStore } from '../../lib/stores/toasts.js';
import { installFakeBridge, type FakeBridge } from '../../test/fake-bridge.js';
import { indexAfterDecision, reviewKeyAction } from './review-keys.js';
import { ReviewsScreen } from './ReviewsScreen.js';

type Review = ChannelOutput<'reviews:list'>['items'][number];
const id = (n: number) => `01890000-0000-7000-8000-00000000000${n}`;
const review = (n: number, patch: Partial<Review> = {}): Review => ({
  id: id(n),
  productId: id(9),
  productName: `Product ${n}`,
  rating: n,
  title: `Title ${n}`,
  body: `Body ${n}`,
  status: 'pending',
  verifiedPurchase: n === 1,
  createdAt: '2026-01-02T00:00:00.000Z',
  moderatedAt: null,
  version: 1,
  ...patch,
});

let fake: FakeBridge;
let queue: Review[];
beforeEach(() => {
  fake = installFakeBridge();
  useToastStore.setState({ toasts: [] });
  queue = [review(1), review(2), review(3)];
  // The host's queue: a moderated review leaves the pending list.
  fake.answer('reviews:list', (input) => {
    const status = (input as { status?: string }).status;
    const items = queue.filter((r) => status === undefined || r.status === status);
    return { ok: true, value: { items, total: items.length, totalCapped: false } };
  });
  fake.answer('reviews:moderate', (input) => {
    const { reviewId, status } = input as { reviewId: string; status: 'approved' | 'rejected' };
    queue = queue.map((r) => (r.id === reviewId ? { ...r, status } : r));
    return { ok: true, value: queue.find((r) => r.id === reviewId)! };
  });
});

const moderated = () => fake.calls.filter((c) => c.channel === 'reviews:moderate').map((c) => c.input);
const current = () => document.querySelector('[aria-current="true"]')?.textContent ?? '';
const press = (key: string) => fireEvent.keyDown(document.body, { key });

describe('moderation keys', () => {
  const plain = { ctrlKey: false, metaKey: false, altKey: false, inField: false, dialogOpen: false, afterG: false };
  it('maps a, r, j, k and ignores them while typing, with modifiers, in a dialog or after g', () => {
    expect(reviewKeyAction({ ...plain, key: 'a' })).toBe('approve');
    expect(reviewKeyAction({ ...plain, key: 'r' })).toBe('reject');
    expect(reviewKeyAction({ ...plain, key: 'ArrowDown' })).toBe('next');
    expect(reviewKeyAction({ ...plain, key: 'k' })).toBe('previous');
    expect(reviewKeyAction({ ...plain, key: 'a', inField: true })).toBeNull();
    expect(reviewKeyAction({ ...plain, key: 'r', ctrlKey: true })).toBeNull();
    expect(reviewKeyAction({ ...plain, key: 'r', afterG: true })).toBeNull();
    expect(reviewKeyAction({ ...plain, key: 'a', dialogOpen: true })).toBeNull();
  });

  it('moves on after a decision, staying in bounds', () => {
    expect(indexAfterDecision(0, 3, true)).toBe(0);
    expect(indexAfterDecision(2, 3, true)).toBe(1);
    expect(indexAfterDecision(0, 3, false)).toBe(1);
    expect(indexAfterDecision(2, 3, false)).toBe(2);
  });
});

describe('ReviewsScreen', () => {
  it('shows pending reviews with stars and the verified badge', async () => {
    render(<ReviewsScreen />);
    expect(await screen.findByText('Title 1')).toBeTruthy();
    expect(screen.getByRole('img', { name: '1 out of 5 stars' })).toBeTruthy();
    expect(screen.getAllByText(/Verified purchase/)).toHaveLength(1);
    expect(current()).toContain('Title 1');
  });

  it('a approves the selected review and selects the next; r rejects it', async () => {
    render(<ReviewsScreen />);
    await screen.findByText('Title 1');
    press('a');
    await waitFor(() => expect(screen.queryByText('Title 1')).toBeNull());
    expect(current()).toContain('Title 2');
    press('r');
    await waitFor(() => expect(screen.queryByText('Title 2')).toBeNull());
    expect(current()).toContain('Title 3');
    expect(moderated()).toEqual([
      { reviewId: id(1), status: 'approved' },
      { reviewId: id(2), status: 'rejected' },
    ]);
  });

  it('j moves down; "g then r" (go to Reviews) rejects nothing', async () => {
    render(<ReviewsScreen />);
    await screen.findByText('Title 1');
    press('j');
    await waitFor(() => expect(current()).toContain('Title 2'));
    press('g');
    press('r');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(moderated()).toEqual([]);
  });

  it('the buttons moderate too, and a failure is told', async () => {
    fake.fail('reviews:moderate', 'not_found', 'Review not found');
    const user = userEvent.setup();
    render(<ReviewsScreen />);
    await screen.findByText('Title 1');
    await user.click(screen.getAllByRole('button', { name: /Reject/ })[1]!);
    await waitFor(() => expect(useToastStore.getState().toasts[0]?.body).toBe('Review not found'));
    expect(screen.getByText('Title 2')).toBeTruthy();
  });

  it('says when nothing is waiting', async () => {
    queue = [];
    render(<ReviewsScreen />);
    expect(await screen.findByText('All caught up')).toBeTruthy();
  });
});

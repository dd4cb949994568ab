/**
 * The review form on a product page, for signed-in shoppers (others see the server's sign-in
 * link). A member who already reviewed the product (one review each) sees where their review
 * stands instead of a form the server could only refuse.
 */
import type { MyReview, Review } from '../../../shared/api/reviews.schemas.js';
import { get, post } from './api.js';
import { enc, field, fill, focusOn, h } from './dom.js';
import { ownReviewNotice } from './format.js';
import { onSubmit } from './forms.js';
import { signedIn } from './session.js';

/** The member's review of this product; undefined when there is none or that cannot be known now (the form shows). */
async function ownReview(productId: string): Promise<MyReview | undefined> {
  try {
    const mine = await get<{ items: MyReview[] }>('/me/reviews', { query: { productId, limit: 1 } });
    return mine.items[0];
  } catch {
    return undefined;
  }
}

export async function enhanceReviewForm(root: Document): Promise<void> {
  const box = root.querySelector<HTMLElement>('[data-review-form]');
  if (!box || !signedIn()) return;
  const productId = box.dataset.reviewForm!;
  const mine = await ownReview(productId);
  if (mine) {
    fill(box, h('p', { class: 'notice', 'data-own-review': mine.status }, ownReviewNotice(mine)));
    return;
  }
  const stars = [1, 2, 3, 4, 5].map((n) => [
    h('input', { type: 'radio', id: `rating-${n}`, name: 'rating', value: n, required: true }),
    h('label', { for: `rating-${n}` }, `${n} ${n === 1 ? 'star' : 'stars'}`),
  ]);
  const form = h(
    'form',
    { class: 'review-form', novalidate: true, 'aria-labelledby': 'review-form-heading' },
    h('h3', { id: 'review-form-heading' }, 'Write a review'),
    h('p', { class: 'form-error', role: 'alert', 'data-form-error': true, hidden: true }),
    h('fieldset', { class: 'option' }, h('legend', 'Rating'), stars),
    field('review-title', 'Title', h('input', { type: 'text', name: 'title', maxlength: 120, required: true })),
    field('review-body', 'Your review', h('textarea', { name: 'body', rows: 5, maxlength: 5000, required: true })),
    h('button', { type: 'submit', class: 'primary', 'data-busy': 'Sending…' }, 'Submit review'),
  );
  fill(box, form);
  onSubmit(form, async (values) => {
    const review = await post<Review>(`/products/${enc(productId)}/reviews`, {
      // Left out when none is chosen, so the server's "is required" lands on the rating group.
      ...(values.rating ? { rating: Number(values.rating) } : {}),
      title: values.title ?? '',
      body: values.body ?? '',
    });
    const done = h(
      'p',
      { class: 'notice', role: 'status' },
      review.status === 'approved'
        ? 'Thank you! Your review is published.'
        : 'Thank you! Your review will appear here after moderation.',
    );
    fill(box, done);
    focusOn(done);
  });
}

import { z } from 'zod';
import { pageQuery, paginated } from './common.schemas.js';

export const REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const reviewStatusSchema = z.enum(REVIEW_STATUSES);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

/** What a moderator (or the back-office's `review.moderate` mutation) may set. */
export const MODERATION_STATUSES = ['approved', 'rejected'] as const;
export const moderationStatusSchema = z.enum(MODERATION_STATUSES);
export type ModerationStatus = z.infer<typeof moderationStatusSchema>;

/** Lengths in characters (Unicode code points, as Postgres' char_length counts them). */
export const REVIEW_LIMITS = { title: 120, body: 5000, note: 1000 } as const;

export const REVIEW_SORTS = ['newest', 'highest', 'lowest', 'verified'] as const;

// Control characters (Cc) and lone UTF-16 surrogates (Cs: not text, and not storable as UTF-8).
// Multi-line fields keep newline and tab; one-line fields allow neither.
const CONTROL_MULTILINE = /[^\P{Cc}\n\t]|\p{Cs}/u;
const CONTROL_SINGLE_LINE = /[\p{Cc}\p{Cs}]/u;

/** Length as a person (and Postgres) counts it: an emoji is one character, not two UTF-16 units. */
export const codePointLength = (s: string): number => Array.from(s).length;

/**
 * Review text is stored as the plain text the author typed, never HTML-encoded: clients must
 * render it as text (escaped). Newlines are normalised to \n and the ends trimmed; control
 * characters are refused rather than silently dropped, so what is stored is what was sent.
 */
export const plainText = (max: number, multiline: boolean) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .overwrite((s) => s.replace(/\r\n?/g, '\n'))
    .trim()
    .min(1, { message: 'is required' })
    .refine((s) => !(multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(s), {
      message: multiline
        ? 'must not contain control characters (newlines and tabs are fine)'
        : 'must be one line without control characters',
    })
    .refine((s) => codePointLength(s) <= max, { message: `must be at most ${max} characters` })
    .meta({ description: `Plain text, at most ${max} characters${multiline ? '' : ', one line'}` });

const ratingMessage = 'must be a whole number from 1 to 5';
export const ratingField = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required' : ratingMessage) })
  .int({ message: ratingMessage })
  .min(1, { message: ratingMessage })
  .max(5, { message: ratingMessage });

export const reviewInput = z
  .strictObject({
    rating: ratingField,
    title: plainText(REVIEW_LIMITS.title, false),
    body: plainText(REVIEW_LIMITS.body, true),
  })
  .meta({ id: 'ReviewInput' });
export type ReviewInput = z.infer<typeof reviewInput>;

export const moderationInput = z
  .strictObject({
    status: moderationStatusSchema,
    /** Why, for the staff's own record; never shown to the author or shoppers. */
    note: plainText(REVIEW_LIMITS.note, true).optional(),
  })
  .meta({ id: 'ReviewModeration' });
export type ModerationInput = z.infer<typeof moderationInput>;

/** A review as shoppers see it. `authorName` is a display name (first name and initial), never an e-mail. */
export const reviewSchema = z
  .object({
    id: z.uuid(),
    productId: z.uuid(),
    rating: z.number().int().min(1).max(5),
    title: z.string(),
    body: z.string(),
    status: reviewStatusSchema,
    verifiedPurchase: z.boolean(),
    authorName: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Review' });
export type Review = z.infer<typeof reviewSchema>;

const reviewProduct = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });

/** The author's own review, in any status, with the product it is about. */
export const myReviewSchema = reviewSchema.extend({ product: reviewProduct }).meta({ id: 'MyReview' });
export type MyReview = z.infer<typeof myReviewSchema>;

export const adminReviewSchema = reviewSchema
  .extend({
    userId: z.uuid(),
    product: reviewProduct,
    /** Null with a `moderatedAt`: approved automatically (a verified purchase). */
    moderatedBy: z.uuid().nullable(),
    moderatedAt: z.iso.datetime().nullable(),
    moderationNote: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'AdminReview' });
export type AdminReview = z.infer<typeof adminReviewSchema>;

const starCount = z.number().int().min(0);
export const ratingSummarySchema = z
  .object({
    /** Mean of the approved ratings, to two decimals; 0 when there are none. */
    average: z.number(),
    count: z.number().int(),
    /** Approved reviews per star rating. */
    distribution: z.object({ '1': starCount, '2': starCount, '3': starCount, '4': starCount, '5': starCount }),
  })
  .meta({ id: 'RatingSummary' });
export type RatingSummary = z.infer<typeof ratingSummarySchema>;

export const reviewListSchema = paginated(reviewSchema)
  .extend({ summary: ratingSummarySchema })
  .meta({ id: 'ReviewList' });
export type ReviewList = z.infer<typeof reviewListSchema>;

export const reviewListQuery = pageQuery.extend({
  sort: z.enum(REVIEW_SORTS).default('newest'),
  /** Only reviews with this many stars. */
  rating: z.coerce.number().int().min(1).max(5).optional(),
});
export type ReviewListQuery = z.infer<typeof reviewListQuery>;

/** The member's own reviews; `productId` narrows them to one product (at most one: one review per product). */
export const myReviewsQuery = pageQuery.extend({ productId: z.uuid().optional() });
export type MyReviewsQuery = z.infer<typeof myReviewsQuery>;

export const adminReviewsQuery = pageQuery.extend({
  status: reviewStatusSchema.optional(),
  productId: z.uuid().optional(),
});
export type AdminReviewsQuery = z.infer<typeof adminReviewsQuery>;

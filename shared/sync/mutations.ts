/**
 * The named mutations a device pushes (SYNC.md rule 3): operations with their intent, never rows.
 * The host validates its own writes with these before they reach the outbox; the server validates
 * again before applying. Arguments reuse the admin API's field rules so both paths accept the same.
 */
import { z } from 'zod';
import {
  adjustmentInput,
  categoryInput,
  categoryPatch,
  countInput,
  productCreateInput,
  variantInput,
} from '../api/catalog.schemas.js';
import { moderationStatusSchema } from '../api/reviews.schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A product patch by field; variants travel as their own mutations so their edits merge per variant. */
const productFieldPatch = productCreateInput.omit({ id: true, variants: true }).partial();

const variantFieldPatch = variantInput.omit({ id: true }).partial();

export const mutationArgs = {
  'product.create': productCreateInput.required({ id: true }),
  'product.update': z.strictObject({
    productId: z.uuid(),
    patch: productFieldPatch.refine((p) => Object.keys(p).length > 0, { message: 'nothing to update' }),
  }),
  'product.archive': z.strictObject({ productId: z.uuid() }),
  'variant.create': variantInput.required({ id: true }).extend({
    productId: z.uuid(),
    initialStock: z.number().int().min(0).max(1_000_000).optional(),
  }),
  'variant.update': z.strictObject({
    variantId: z.uuid(),
    patch: variantFieldPatch.refine((p) => Object.keys(p).length > 0, { message: 'nothing to update' }),
  }),
  'category.create': categoryInput.required({ id: true }),
  'category.update': z.strictObject({ categoryId: z.uuid(), patch: categoryPatch }),
  'stock.adjust': adjustmentInput,
  'stock.count': countInput,
  'order.fulfill': z.strictObject({ orderId: z.uuid(), carrier: text(100), trackingNumber: text(100) }),
  'order.cancel': z.strictObject({ orderId: z.uuid(), reason: text(500) }),
  'order.note': z.strictObject({ orderId: z.uuid(), note: text(2000) }),
  'review.moderate': z.strictObject({ reviewId: z.uuid(), status: moderationStatusSchema }),
} as const;

export type MutationName = keyof typeof mutationArgs;
export const MUTATION_NAMES = Object.keys(mutationArgs) as MutationName[];
export type MutationArgs<N extends MutationName> = z.infer<(typeof mutationArgs)[N]>;

/** A mutation whose name and arguments were checked. */
export type Mutation = { [N in MutationName]: { name: N; args: MutationArgs<N> } }[MutationName];

export const isMutationName = (name: string): name is MutationName => Object.hasOwn(mutationArgs, name);

export type ParsedMutation =
  { ok: true; mutation: Mutation } | { ok: false; code: 'unknown_mutation' | 'invalid_arguments'; message: string };

/** Checks a pushed name and arguments; the failure is an answer (`rejected`), never an exception. */
export function parseMutation(name: string, args: unknown): ParsedMutation {
  if (!isMutationName(name)) return { ok: false, code: 'unknown_mutation', message: `unknown mutation "${name}"` };
  const parsed = mutationArgs[name].safeParse(args);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    return { ok: false, code: 'invalid_arguments', message };
  }
  return { ok: true, mutation: { name, args: parsed.data } as Mutation };
}

/** Mutations that patch fields of a row against the version the device saw (per-field merge, rule 6). */
export const FIELD_PATCH_MUTATIONS: readonly MutationName[] = ['product.update', 'variant.update', 'category.update'];

import { z } from 'zod';

export const uuidParam = z.strictObject({ id: z.uuid() });

export const pageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(24),
});

export const paginated = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), page: z.number().int(), limit: z.number().int(), total: z.number().int() });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    shortages: z
      .array(
        z.object({
          variantId: z.string(),
          sku: z.string(),
          requested: z.number().int(),
          available: z.number().int(),
        }),
      )
      .optional()
      .meta({ description: '`out_of_stock` only: per short variant, how many were asked for and how many can be had' }),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type Problem = z.infer<typeof problemSchema>;

/** Trimmed, lower-cased e-mail: one account per address whatever its case. */
export const emailField = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be a valid e-mail address' }))
  .transform((s) => s.toLowerCase());

/** 8+ characters (NIST SP 800-63B); capped so a huge password cannot burn KDF time. */
export const passwordField = z
  .string()
  .min(8, { message: 'must be at least 8 characters' })
  .max(256, { message: 'must be at most 256 characters' });

export const nameField = z.string().trim().min(1, { message: 'is required' }).max(120);

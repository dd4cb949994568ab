import { z } from 'zod';
import { imageSchema } from '../../../shared/api/catalog.schemas.js';
import { DELIVERY_FORMATS, DELIVERY_WIDTHS, type DeliveryOptions } from './store.js';

// TODO(issue 3): these wire shapes belong in shared/api/catalog.schemas.ts beside imageSchema.

export const ALT_MAX = 500;
const altField = z
  .string()
  .trim()
  .max(ALT_MAX, { message: `must be at most ${ALT_MAX} characters` });

/** What staff see of an image: the public shape plus order, type and size. */
export const adminImageSchema = imageSchema
  .extend({
    productId: z.uuid(),
    position: z.number().int(),
    mimeType: z.string(),
    bytes: z.number().int(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminProductImage' });
export type ImageDto = z.infer<typeof adminImageSchema>;

export const imageParams = z.strictObject({ id: z.uuid(), imageId: z.uuid() });

/**
 * The text fields of the multipart upload (the file itself travels in the field `file`). `id`: the
 * image's id, chosen by the client (a UUID, as SYNC.md lets clients create ids), so that an upload
 * sent again after its answer was lost finds the image it stored instead of adding it twice.
 */
export const imageUploadFields = z.strictObject({ alt: altField.optional(), id: z.uuid().optional() });

export const imagePatchInput = z
  .strictObject({
    alt: altField.optional(),
    /** The image's new index in the product's gallery (0 = first); later indexes are clamped to the end. */
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((b) => b.alt !== undefined || b.position !== undefined, { message: 'nothing to update' });
export type ImagePatchInput = z.infer<typeof imagePatchInput>;

const widths = DELIVERY_WIDTHS.map(String) as [string, ...string[]];
/** `GET /media/:key` query: only listed widths and formats, so the cache stays bounded. */
export const deliveryQuery = z
  .strictObject({
    w: z
      .enum(widths, { message: `must be one of ${widths.join(', ')}` })
      .transform((w) => Number(w) as (typeof DELIVERY_WIDTHS)[number])
      .optional(),
    fmt: z.enum(DELIVERY_FORMATS, { message: `must be one of ${DELIVERY_FORMATS.join(', ')}` }).optional(),
  })
  .transform(({ w, fmt }): DeliveryOptions => ({ ...(w ? { width: w } : {}), ...(fmt ? { format: fmt } : {}) }));

import { and, asc, eq, sql } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import type { AppContext } from '../../context.js';
import type { DbOrTx } from '../../db/client.js';
import { pgErrorCode } from '../../db/errors.js';
import { productImages, products } from '../../db/schema/index.js';
import { MAX_INPUT_PIXELS } from './local-store.js';
import { ALT_MAX, type ImageDto, type ImagePatchInput } from './media.schemas.js';
import { isMediaMimeType, MEDIA_TYPES, type MediaMimeType } from './store.js';

type ImageRow = typeof productImages.$inferSelect;

const toDto = (r: ImageRow): ImageDto => ({
  id: r.id,
  productId: r.productId,
  url: r.url,
  alt: r.alt,
  width: r.width,
  height: r.height,
  position: r.position,
  mimeType: r.mimeType,
  bytes: r.bytes,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const formatBytes = (n: number): string =>
  n >= 1024 * 1024
    ? `${+(n / 1024 / 1024).toFixed(1)} MiB`
    : n >= 1024
      ? `${+(n / 1024).toFixed(1)} KiB`
      : `${n} bytes`;

export const tooLarge = (max: number): AppError =>
  new AppError('payload_too_large', `The image is larger than the ${formatBytes(max)} limit (MEDIA_MAX_BYTES)`);

/** The type by magic bytes: a name or a client-sent Content-Type proves nothing. */
async function detectImageType(data: Buffer, filename: string | undefined): Promise<MediaMimeType> {
  const detected = await fileTypeFromBuffer(data);
  if (detected && isMediaMimeType(detected.mime)) return detected.mime;
  const what = detected ? `${detected.mime} (.${detected.ext})` : 'not a recognised image (text or unknown data)';
  const name = filename ? `"${filename}"` : 'the file';
  throw new AppError(
    'unsupported_media_type',
    `Only JPEG, PNG and WebP images are accepted; the content of ${name} is ${what}, whatever its name says`,
  );
}

/** Width and height as displayed (EXIF orientation applied), after proving the pixels decode. */
async function inspectImage(
  data: Buffer,
  mimeType: MediaMimeType,
): Promise<{ width: number; height: number; clean: Buffer }> {
  const unreadable = (cause: unknown) =>
    new AppError(
      'validation_failed',
      `The file starts like a ${MEDIA_TYPES[mimeType].toUpperCase()} image but cannot be decoded (truncated or corrupt)`,
      { errors: [{ path: 'body.file', message: 'is not a readable image' }], cause },
    );
  let meta: Metadata;
  try {
    meta = await sharp(data).metadata();
  } catch (err) {
    throw unreadable(err);
  }
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw unreadable(undefined);
  if (width * height > MAX_INPUT_PIXELS) {
    throw new AppError(
      'validation_failed',
      `The image is ${width}×${height} pixels; at most 100 megapixels are accepted`,
      {
        errors: [{ path: 'body.file', message: 'has too many pixels' }],
      },
    );
  }
  let clean = data;
  try {
    // A full (shrunk) decode: a header can be intact while the pixel data is cut short.
    await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS }).resize(64, 64, { fit: 'inside' }).toBuffer();
    if (meta.exif || meta.xmp || meta.iptc) {
      // Camera metadata (GPS position included) must not be published with the original:
      // re-encode upright without it. Files without metadata are kept byte for byte.
      const format = MEDIA_TYPES[mimeType] === 'jpg' ? 'jpeg' : MEDIA_TYPES[mimeType];
      clean = await sharp(data, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .toFormat(format, { quality: 90 })
        .toBuffer();
    }
  } catch (err) {
    throw unreadable(err);
  }
  return { width, height, clean };
}

async function assertProductExists(db: DbOrTx, productId: string): Promise<void> {
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.id, productId));
  if (!row) throw notFound('Product');
}

/** Best effort: a file left behind costs disk space, a failed request would cost the user's action. */
async function removeStored(ctx: AppContext, storageKey: string): Promise<void> {
  try {
    await ctx.media.remove(storageKey);
  } catch (err) {
    ctx.logger.warn({ err, storageKey, store: ctx.media.kind }, 'could not remove a stored image');
  }
}

/**
 * The image already stored under a client-chosen id, if any (an upload sent again): the same
 * answer as the first time for this product, 409 when the id is another product's image.
 */
async function storedUnder(db: DbOrTx, productId: string, id: string): Promise<ImageDto | undefined> {
  const [row] = await db.select().from(productImages).where(eq(productImages.id, id));
  if (!row) return undefined;
  if (row.productId !== productId)
    throw new AppError('conflict', 'This image id already belongs to another product’s image', {
      errors: [{ path: 'body.id', message: 'is taken by an image of another product' }],
    });
  return toDto(row);
}

/**
 * Checks an uploaded image (size, type by content, decodable), stores it and appends it to the
 * product's gallery. The seed script calls this too. With `id`, an upload of an id already stored
 * for this product answers that image and stores nothing (a retry whose first answer was lost).
 */
export async function addProductImage(
  ctx: AppContext,
  productId: string,
  input: { data: Buffer; alt?: string; filename?: string; id?: string },
): Promise<ImageDto> {
  const { data } = input;
  const max = ctx.config.MEDIA_MAX_BYTES;
  if (data.length > max) throw tooLarge(max);
  if (data.length === 0) {
    throw new AppError('validation_failed', 'The uploaded file is empty', {
      errors: [{ path: 'body.file', message: 'is empty' }],
    });
  }
  const alt = (input.alt ?? '').trim();
  if (alt.length > ALT_MAX) {
    throw new AppError('validation_failed', 'The alt text is too long', {
      errors: [{ path: 'body.alt', message: `must be at most ${ALT_MAX} characters` }],
    });
  }
  await assertProductExists(ctx.db, productId);
  const again = input.id === undefined ? undefined : await storedUnder(ctx.db, productId, input.id);
  if (again) return again;
  const mimeType = await detectImageType(data, input.filename);
  const { width, height, clean } = await inspectImage(data, mimeType);
  const stored = await ctx.media.put({ key: `${newId()}.${MEDIA_TYPES[mimeType]}`, data: clean, mimeType });
  try {
    const [row] = await ctx.db
      .insert(productImages)
      .values({
        ...(input.id === undefined ? {} : { id: input.id }),
        productId,
        storageKey: stored.storageKey,
        url: stored.url,
        alt,
        width,
        height,
        mimeType,
        bytes: clean.length,
        // Appended after the current last image; two concurrent uploads may share a position (ties sort by id).
        position: sql`(select coalesce(max(${productImages.position}) + 1, 0) from ${productImages} where ${productImages.productId} = ${productId})`,
      })
      // The same id sent twice at once: the other request stored it; answer that one.
      .onConflictDoNothing({ target: productImages.id })
      .returning();
    if (row) return toDto(row);
    await removeStored(ctx, stored.storageKey);
    const other = await storedUnder(ctx.db, productId, input.id!);
    if (!other) throw new AppError('conflict', 'The image was deleted while this upload was stored; send it again');
    return other;
  } catch (err) {
    if (err instanceof AppError) throw err;
    await removeStored(ctx, stored.storageKey);
    // The product was deleted while the file was being stored.
    if (pgErrorCode(err) === '23503') throw notFound('Product');
    throw err;
  }
}

/** Changes the alt text and/or moves the image to another index in the gallery (the others close ranks). */
export async function updateProductImage(
  ctx: AppContext,
  productId: string,
  imageId: string,
  patch: ImagePatchInput,
): Promise<ImageDto> {
  return ctx.db.transaction(async (tx) => {
    const gallery = await tx
      .select()
      .from(productImages)
      .where(eq(productImages.productId, productId))
      .orderBy(asc(productImages.position), asc(productImages.id))
      .for('update');
    const image = gallery.find((i) => i.id === imageId);
    if (!image) throw notFound('Image');
    if (patch.alt !== undefined && patch.alt !== image.alt) {
      await tx.update(productImages).set({ alt: patch.alt }).where(eq(productImages.id, imageId));
    }
    if (patch.position !== undefined) {
      const order = gallery.filter((i) => i.id !== imageId);
      order.splice(Math.min(patch.position, order.length), 0, image);
      // Only rows whose index really changes are written, so only they get a new sync version.
      for (const [index, row] of order.entries()) {
        if (row.position !== index) {
          await tx.update(productImages).set({ position: index }).where(eq(productImages.id, row.id));
        }
      }
    }
    const [updated] = await tx.select().from(productImages).where(eq(productImages.id, imageId));
    return toDto(updated!);
  });
}

/** Deletes the row (the sync feed gets a tombstone), then the stored file. */
export async function deleteProductImage(ctx: AppContext, productId: string, imageId: string): Promise<void> {
  const [row] = await ctx.db
    .delete(productImages)
    .where(and(eq(productImages.id, imageId), eq(productImages.productId, productId)))
    .returning({ storageKey: productImages.storageKey });
  if (!row) throw notFound('Image');
  await removeStored(ctx, row.storageKey);
}

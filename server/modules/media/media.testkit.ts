/** Helpers shared by the media tests: real images made with sharp, products, uploads, file listings. */
import { existsSync, readdirSync } from 'node:fs';
import { count, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { newId } from '../../../shared/domain/ids.js';
import { productImages } from '../../db/schema/index.js';
import type { TestApp } from '../../test/harness.js';
import { LOCAL_KEY, localMediaDir } from './store.js';

type Headers = Record<string, string>;

/** A real encoded image (an 8×8 colour checkerboard: small files, but real pixels to resize). */
export async function makeImage(format: 'jpeg' | 'png' | 'webp', width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = Math.floor((x * 8) / width) * 32;
      raw[i + 1] = Math.floor((y * 8) / height) * 32;
      raw[i + 2] = 128;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

/** Random bytes compress badly: a PNG of noise is large for its size in pixels. */
export async function noisyPng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(Math.random() * 256);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A 1×1 GIF: a real image, in a format the server refuses. */
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export async function createProduct(app: TestApp, auth: Headers, status: 'active' | 'draft' = 'active') {
  const res = await app.request
    .post('/api/v1/admin/products')
    .set(auth)
    .send({ name: `Pictured ${newId()}`, status, variants: [{ sku: `IMG-${newId()}`, priceCents: 1500 }] })
    .expect(201);
  const body = res.body as { id: string; slug: string };
  return { id: body.id, slug: body.slug };
}

export function upload(
  app: TestApp,
  auth: Headers,
  productId: string,
  data: Buffer,
  opts: { filename?: string; contentType?: string; alt?: string; id?: string } = {},
) {
  const req = app.request.post(`/api/v1/admin/products/${productId}/images`).set(auth);
  if (opts.alt !== undefined) void req.field('alt', opts.alt);
  if (opts.id !== undefined) void req.field('id', opts.id);
  return req.attach('file', data, {
    filename: opts.filename ?? 'upload.bin',
    contentType: opts.contentType ?? 'application/octet-stream',
  });
}

export const imageRows = (app: TestApp, productId: string) =>
  app.nexus.ctx.db.select().from(productImages).where(eq(productImages.productId, productId));

export const countImageRows = async (app: TestApp) =>
  (await app.nexus.ctx.db.select({ n: count() }).from(productImages))[0]!.n;

/** Stored originals (temporary files and the cache are not originals). */
export function storedFiles(app: TestApp): string[] {
  const dir = localMediaDir(app.config.dataDir);
  return existsSync(dir) ? readdirSync(dir).filter((f) => LOCAL_KEY.test(f) || f.endsWith('.tmp')) : [];
}

/** Collects a binary supertest response into a Buffer. */
export function binary(res: unknown, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

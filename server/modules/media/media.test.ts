import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/domain/errors.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { addProductImage } from './media.service.js';
import {
  countImageRows,
  createProduct,
  GIF,
  imageRows,
  makeImage,
  noisyPng,
  storedFiles,
  upload,
} from './media.testkit.js';
import { localMediaDir } from './store.js';

const MAX = 64 * 1024;
type Headers = Record<string, string>;
let app: TestApp;
let staff: Headers;
let customer: Headers;
let jpeg: Buffer;
let png: Buffer;
let webp: Buffer;
beforeAll(async () => {
  // A small limit, so the size checks are exercised without pushing megabytes around.
  app = await createTestApp({ env: { MEDIA_MAX_BYTES: String(MAX) } });
  staff = (await userWithRole(app, 'staff')).auth;
  customer = (await userWithRole(app, 'customer')).auth;
  [jpeg, png, webp] = await Promise.all([
    makeImage('jpeg', 800, 600),
    makeImage('png', 400, 300),
    makeImage('webp', 1200, 900),
  ]);
});
afterAll(() => app.close());

const errorPaths = (res: { body: Record<string, unknown> }) =>
  ((res.body.errors ?? []) as { path: string }[]).map((e) => e.path);

/** Runs a request that must be refused, and proves it changed nothing: no row, no stored file. */
async function refusedWithoutTrace(send: () => PromiseLike<{ status: number; body: Record<string, unknown> }>) {
  const rowsBefore = await countImageRows(app);
  const filesBefore = storedFiles(app);
  const res = await send();
  expect(await countImageRows(app)).toBe(rowsBefore);
  expect(storedFiles(app)).toEqual(filesBefore);
  return res;
}

describe(`POST /api/v1/admin/products/:id/images (${TEST_DB})`, () => {
  it('stores a real JPEG, PNG and WebP with their size, type and gallery position', async () => {
    const p = await createProduct(app, staff);
    const cases = [
      { data: jpeg, mime: 'image/jpeg', width: 800, height: 600, ext: 'jpg' },
      { data: png, mime: 'image/png', width: 400, height: 300, ext: 'png' },
      { data: webp, mime: 'image/webp', width: 1200, height: 900, ext: 'webp' },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await upload(app, staff, p.id, c.data, { filename: `shot.${c.ext}`, alt: ` View ${i} ` }).expect(201);
      expect(res.body).toMatchObject({
        productId: p.id,
        alt: `View ${i}`,
        width: c.width,
        height: c.height,
        mimeType: c.mime,
        bytes: c.data.length,
        position: i,
      });
      expect(res.body.url).toMatch(new RegExp(`^/media/[0-9a-f-]{36}\\.${c.ext}\\?w=1600$`));
      const key = (res.body.url as string).slice('/media/'.length).split('?')[0]!;
      // The original is kept byte for byte.
      expect(readFileSync(path.join(localMediaDir(app.config.dataDir), key)).equals(c.data)).toBe(true);
    }
    const rows = await imageRows(app, p.id);
    expect(rows.map((r) => [r.mimeType, r.width, r.height, r.position]).sort()).toEqual([
      ['image/jpeg', 800, 600, 0],
      ['image/png', 400, 300, 1],
      ['image/webp', 1200, 900, 2],
    ]);
    expect(rows.every((r) => r.storageKey && r.url.includes(r.storageKey))).toBe(true);
  });

  it('shows the images on the admin product and on the public product page, in gallery order', async () => {
    const p = await createProduct(app, staff);
    const first = (await upload(app, staff, p.id, png, { alt: 'Front' }).expect(201)).body;
    const second = (await upload(app, staff, p.id, jpeg, { alt: 'Back' }).expect(201)).body;
    const expected = [first, second].map(({ id, url, alt, width, height }) => ({ id, url, alt, width, height }));
    const admin = await app.request.get(`/api/v1/admin/products/${p.id}`).set(staff).expect(200);
    expect(admin.body.images).toEqual(expected);
    const pub = await app.request.get(`/api/v1/products/${p.slug}`).expect(200);
    expect(pub.body.images).toEqual(expected);
  });

  it('judges the type by content: a text file or a GIF named photo.png is 415, nothing stored', async () => {
    const p = await createProduct(app, staff);
    const text = await refusedWithoutTrace(() =>
      upload(app, staff, p.id, Buffer.from('just some text, not a picture\n'.repeat(20)), {
        filename: 'photo.png',
        contentType: 'image/png',
      }),
    );
    expect(text.status).toBe(415);
    expect(text.body.code).toBe('unsupported_media_type');
    expect(text.body.detail).toMatch(/JPEG, PNG and WebP.*"photo\.png".*not a recognised image/);
    const gif = await refusedWithoutTrace(() =>
      upload(app, staff, p.id, GIF, { filename: 'photo.png', contentType: 'image/png' }),
    );
    expect(gif.status).toBe(415);
    expect(gif.body.detail).toContain('image/gif');
  });

  it('refuses a JPEG whose pixel data is cut short (422), nothing stored', async () => {
    const p = await createProduct(app, staff);
    const res = await refusedWithoutTrace(() =>
      upload(app, staff, p.id, jpeg.subarray(0, Math.floor(jpeg.length / 2)), { filename: 'half.jpg' }),
    );
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/JPG image but cannot be decoded/);
    expect(res.body.errors).toEqual([{ path: 'body.file', message: 'is not a readable image' }]);
  });

  it('enforces MEDIA_MAX_BYTES exactly: one byte over is 413, the limit itself passes the size check', async () => {
    const p = await createProduct(app, staff);
    const over = await refusedWithoutTrace(() => upload(app, staff, p.id, Buffer.alloc(MAX + 1, 7)));
    expect(over.status).toBe(413);
    expect(over.body).toMatchObject({ code: 'payload_too_large', detail: expect.stringContaining('64 KiB') });
    // At the limit the size is fine; these bytes then fail the type check instead.
    const atLimit = await refusedWithoutTrace(() => upload(app, staff, p.id, Buffer.alloc(MAX, 7)));
    expect(atLimit.status).toBe(415);
    const bigPng = await noisyPng(200, 200);
    expect(bigPng.length).toBeGreaterThan(MAX);
    expect((await refusedWithoutTrace(() => upload(app, staff, p.id, bigPng))).status).toBe(413);
  });

  it('strips camera metadata (GPS included) before storing the original', async () => {
    const p = await createProduct(app, staff);
    const tagged = await sharp(await makeImage('jpeg', 300, 200))
      .withExif({ IFD0: { Make: 'SecretCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(tagged).metadata()).exif).toBeDefined();
    const res = await upload(app, staff, p.id, tagged, { filename: 'holiday.jpg' }).expect(201);
    expect(res.body).toMatchObject({ width: 300, height: 200 });
    const key = String(res.body.url).split('/').pop()!.split('?')[0]!;
    const original = await app.request
      .get(`/media/${key}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(original.status).toBe(200);
    const stored = await sharp(original.body as Buffer).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.width).toBe(300);
    expect((original.body as Buffer).includes(Buffer.from('SecretCam'))).toBe(false);
  });

  it('applies the same checks when called directly (as the seed script does)', async () => {
    const p = await createProduct(app, staff);
    const tooBig = addProductImage(app.nexus.ctx, p.id, { data: Buffer.alloc(MAX + 1) });
    await expect(tooBig).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
    await expect(addProductImage(app.nexus.ctx, p.id, { data: GIF, filename: 'x.png' })).rejects.toBeInstanceOf(
      AppError,
    );
    const ok = await addProductImage(app.nexus.ctx, p.id, { data: webp, alt: 'Seeded', filename: 'seed.webp' });
    expect(ok).toMatchObject({ width: 1200, height: 900, alt: 'Seeded', position: 0, mimeType: 'image/webp' });
    const missing = addProductImage(app.nexus.ctx, randomUUID(), { data: webp });
    await expect(missing).rejects.toMatchObject({ code: 'not_found' });
  });

  it('needs multipart with exactly one file in the field "file"', async () => {
    const p = await createProduct(app, staff);
    const url = `/api/v1/admin/products/${p.id}/images`;
    const noFile = await refusedWithoutTrace(() => app.request.post(url).set(staff).field('alt', 'Nothing'));
    expect(noFile.status).toBe(422);
    expect(noFile.body.errors).toEqual([{ path: 'body.file', message: expect.stringContaining('is required') }]);
    const json = await refusedWithoutTrace(() => app.request.post(url).set(staff).send({ file: 'x' }));
    expect(json.status).toBe(415);
    expect(json.body.detail).toContain('multipart/form-data');
    const raw = await refusedWithoutTrace(() => app.request.post(url).set(staff).type('image/jpeg').send(jpeg));
    expect(raw.status).toBe(415);
    const empty = await refusedWithoutTrace(() => app.request.post(url).set(staff));
    expect(empty.status).toBe(415);
    const two = await refusedWithoutTrace(() =>
      app.request
        .post(url)
        .set(staff)
        .attach('file', png, { filename: 'a.png', contentType: 'image/png' })
        .attach('file', png, { filename: 'b.png', contentType: 'image/png' }),
    );
    expect(two.status).toBe(422);
    expect(two.body.detail).toMatch(/exactly one file/);
    const wrongField = await refusedWithoutTrace(() =>
      app.request.post(url).set(staff).attach('image', png, { filename: 'a.png', contentType: 'image/png' }),
    );
    expect(wrongField.status).toBe(422);
    const badAlt = await refusedWithoutTrace(() => upload(app, staff, p.id, png, { alt: 'x'.repeat(501) }));
    expect(badAlt.status).toBe(422);
    expect(errorPaths(badAlt)).toEqual(['body.alt']);
    const unknownField = await refusedWithoutTrace(() =>
      app.request
        .post(url)
        .set(staff)
        .field('caption', 'no such field')
        .attach('file', png, { filename: 'a.png', contentType: 'image/png' }),
    );
    expect(unknownField.status).toBe(422);
    expect(errorPaths(unknownField)).toEqual(['body.caption']);
    const malformed = await refusedWithoutTrace(() =>
      app.request.post(url).set(staff).type('multipart/form-data; boundary=xyz').send('--xyz\r\nbroken'),
    );
    expect(malformed.status).toBe(400);
  });

  it('sent again with the id it chose, answers the image stored the first time and stores nothing more', async () => {
    const p = await createProduct(app, staff);
    const id = randomUUID();
    const first = await upload(app, staff, p.id, png, { filename: 'a.png', alt: 'Front', id }).expect(201);
    expect(first.body).toMatchObject({ id, productId: p.id, alt: 'Front', position: 0 });
    const files = storedFiles(app);
    // The answer was lost on the way back: the client sends the same upload again.
    const again = await upload(app, staff, p.id, png, { filename: 'a.png', alt: 'Front', id }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(storedFiles(app)).toEqual(files);
    expect((await imageRows(app, p.id)).map((r) => r.id)).toEqual([id]);
    // Another image with another id still goes after it.
    const next = await upload(app, staff, p.id, jpeg, { filename: 'b.jpg', id: randomUUID() }).expect(201);
    expect(next.body.position).toBe(1);
  });

  it('refuses a chosen id that is another product’s image (409) or not a UUID (422), storing nothing', async () => {
    const [a, b] = [await createProduct(app, staff), await createProduct(app, staff)];
    const id = randomUUID();
    await upload(app, staff, a.id, png, { filename: 'a.png', id }).expect(201);
    const taken = await refusedWithoutTrace(() => upload(app, staff, b.id, png, { filename: 'a.png', id }));
    expect(taken.status).toBe(409);
    expect(errorPaths(taken)).toEqual(['body.id']);
    expect(await imageRows(app, b.id)).toEqual([]);
    const notUuid = await refusedWithoutTrace(() => upload(app, staff, a.id, png, { filename: 'a.png', id: '42' }));
    expect(notUuid.status).toBe(422);
    expect(errorPaths(notUuid)).toEqual(['body.id']);
  });

  it('stores an image once when the same chosen id arrives twice at the same time', async () => {
    const p = await createProduct(app, staff);
    const id = randomUUID();
    const files = storedFiles(app).length;
    const answers = await Promise.all([
      upload(app, staff, p.id, png, { filename: 'a.png', id }),
      upload(app, staff, p.id, png, { filename: 'a.png', id }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([201, 201]);
    expect(answers[0].body).toEqual(answers[1].body);
    expect((await imageRows(app, p.id)).map((r) => r.id)).toEqual([id]);
    // The loser's file is removed again: one original on disk for the one image.
    expect(storedFiles(app).length).toBe(files + 1);
  });

  it('is for staff only, and 404s for an unknown product without storing anything', async () => {
    const p = await createProduct(app, staff);
    const anonymous = await refusedWithoutTrace(() => upload(app, {}, p.id, png));
    expect(anonymous.status).toBe(401);
    const asCustomer = await refusedWithoutTrace(() => upload(app, customer, p.id, png));
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.code).toBe('forbidden');
    const unknown = await refusedWithoutTrace(() => upload(app, staff, randomUUID(), png));
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('Product not found');
    const badId = await refusedWithoutTrace(() => upload(app, staff, 'not-a-uuid', png));
    expect(badId.status).toBe(422);
  });

  it('is documented in the OpenAPI document as a staff upload', async () => {
    const doc = (await app.request.get('/api/openapi.json').expect(200)).body;
    const op = doc.paths['/api/v1/admin/products/{id}/images'].post;
    expect(op.description).toContain('multipart/form-data');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['201', '403', '404', '413', '415', '422']));
    expect(doc.paths['/api/v1/admin/products/{id}/images/{imageId}']).toHaveProperty('patch');
  });
});

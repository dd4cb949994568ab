import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTombstones } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { binary, createProduct, imageRows, makeImage, upload } from './media.testkit.js';
import { localMediaDir } from './store.js';

type Headers = Record<string, string>;
let app: TestApp;
let staff: Headers;
let customer: Headers;
let jpeg: Buffer;
let mediaDir: string;
beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
  customer = (await userWithRole(app, 'customer')).auth;
  jpeg = await makeImage('jpeg', 800, 600);
  mediaDir = localMediaDir(app.config.dataDir);
});
afterAll(() => app.close());

async function uploaded(productId: string, data = jpeg, alt = '') {
  const body = (await upload(app, staff, productId, data, { alt }).expect(201)).body;
  return { ...body, key: (body.url as string).slice('/media/'.length).split('?')[0]! } as {
    id: string;
    key: string;
    url: string;
    alt: string;
    position: number;
  };
}
const fetchMedia = (pathAndQuery: string) => app.request.get(pathAndQuery).buffer(true).parse(binary);

describe(`GET /media/:key (${TEST_DB})`, () => {
  it('serves the original as uploaded, publicly, cacheable for good', async () => {
    const img = await uploaded((await createProduct(app, staff)).id);
    const res = await fetchMedia(`/media/${img.key}`).expect(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect((res.body as Buffer).equals(jpeg)).toBe(true);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Embeddable by the back-office, which runs on another origin.
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('resizes on first request, then answers from the disk cache', async () => {
    const img = await uploaded((await createProduct(app, staff)).id);
    const cached = path.join(mediaDir, 'cache', img.key, 'w320.jpg');
    expect(existsSync(cached)).toBe(false);
    const first = await fetchMedia(`/media/${img.key}?w=320`).expect(200);
    expect(first.headers['content-type']).toBe('image/jpeg');
    expect(await sharp(first.body as Buffer).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    expect(readFileSync(cached).equals(first.body as Buffer)).toBe(true);
    // Replace the cached file with a marker: the next answer must be that file, not a new resize.
    writeFileSync(cached, await makeImage('jpeg', 7, 7));
    const second = await fetchMedia(`/media/${img.key}?w=320`).expect(200);
    expect((await sharp(second.body as Buffer).metadata()).width).toBe(7);
  });

  it('answers simultaneous first requests for one size with the same rendered file', async () => {
    const img = await uploaded((await createProduct(app, staff)).id);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fetchMedia(`/media/${img.key}?w=160&fmt=webp`).expect(200)),
    );
    const first = answers[0]!.body as Buffer;
    expect((await sharp(first).metadata()).width).toBe(160);
    for (const a of answers) expect((a.body as Buffer).equals(first)).toBe(true);
    // No half-written temporary files are left next to the cached version.
    expect(readdirSync(path.join(mediaDir, 'cache', img.key))).toEqual(['w160.webp']);
  });

  it('re-encodes to WebP or PNG on request, and never enlarges', async () => {
    const img = await uploaded((await createProduct(app, staff)).id);
    const webp = await fetchMedia(`/media/${img.key}?w=640&fmt=webp`).expect(200);
    expect(webp.headers['content-type']).toBe('image/webp');
    expect(await sharp(webp.body as Buffer).metadata()).toMatchObject({ format: 'webp', width: 640, height: 480 });
    const png = await fetchMedia(`/media/${img.key}?fmt=png`).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(await sharp(png.body as Buffer).metadata()).toMatchObject({ format: 'png', width: 800 });
    const big = await fetchMedia(`/media/${img.key}?w=1600`).expect(200);
    expect((await sharp(big.body as Buffer).metadata()).width).toBe(800);
  });

  it('accepts only listed widths and formats (422), creating no cache entry', async () => {
    const img = await uploaded((await createProduct(app, staff)).id);
    const odd = await app.request.get(`/media/${img.key}?w=123`).expect(422);
    expect(odd.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(odd.body.errors).toEqual([{ path: 'query.w', message: 'must be one of 160, 320, 640, 1024, 1600' }]);
    expect((await app.request.get(`/media/${img.key}?fmt=gif`).expect(422)).body.errors[0].path).toBe('query.fmt');
    await app.request.get(`/media/${img.key}?w=320&w=640`).expect(422);
    await app.request.get(`/media/${img.key}?v=2`).expect(422);
    expect(existsSync(path.join(mediaDir, 'cache', img.key))).toBe(false);
  });

  it('answers 404 for unknown keys and for every traversal attempt', async () => {
    const img = await uploaded((await createProduct(app, staff)).id);
    await fetchMedia(`/media/${img.key}?w=160`).expect(200);
    writeFileSync(path.join(app.config.dataDir, 'secret.txt'), 'top secret');
    const attempts = [
      `/media/${randomUUID()}.jpg`,
      '/media/..%2fsecret.txt',
      '/media/..%2F..%2Fjwt-secret',
      '/media/%2e%2e%2fsecret.txt',
      '/media/%2e%2e',
      '/media/..',
      `/media/cache%2f${img.key}%2fw160.jpg`,
      `/media/cache/${img.key}/w160.jpg`,
      `/media/${img.key}%00`,
      `/media/${img.key}.jpg`,
      `/media/${img.key.toUpperCase()}`,
      `/media/.${img.key}`,
      '/media/%5c..%5csecret.txt',
    ];
    for (const url of attempts) {
      const res = await app.request.get(url);
      expect([url, res.status]).toEqual([url, 404]);
      expect(res.text).not.toContain('top secret');
    }
  });
});

describe(`PATCH and DELETE /api/v1/admin/products/:id/images/:imageId (${TEST_DB})`, () => {
  const patch = (productId: string, imageId: string, body: object, auth = staff) =>
    app.request.patch(`/api/v1/admin/products/${productId}/images/${imageId}`).set(auth).send(body);
  const gallery = async (productId: string) =>
    (
      (await app.request.get(`/api/v1/admin/products/${productId}`).set(staff).expect(200)).body.images as {
        id: string;
        alt: string;
      }[]
    ).map((i) => i.alt);

  it('changes the alt text', async () => {
    const p = await createProduct(app, staff);
    const img = await uploaded(p.id, jpeg, 'Old');
    const res = await patch(p.id, img.id, { alt: '  Red mug, side view ' }).expect(200);
    expect(res.body).toMatchObject({ id: img.id, alt: 'Red mug, side view', position: 0 });
    expect((await imageRows(app, p.id))[0]!.alt).toBe('Red mug, side view');
    expect(await gallery(p.id)).toEqual(['Red mug, side view']);
  });

  it('moves an image within the gallery; the others close ranks', async () => {
    const p = await createProduct(app, staff);
    const [a, b, c] = [
      await uploaded(p.id, jpeg, 'A'),
      await uploaded(p.id, jpeg, 'B'),
      await uploaded(p.id, jpeg, 'C'),
    ];
    expect((await patch(p.id, c.id, { position: 0 }).expect(200)).body.position).toBe(0);
    expect(await gallery(p.id)).toEqual(['C', 'A', 'B']);
    // Beyond the end means last.
    expect((await patch(p.id, c.id, { position: 99 }).expect(200)).body.position).toBe(2);
    expect(await gallery(p.id)).toEqual(['A', 'B', 'C']);
    await patch(p.id, b.id, { position: 0, alt: 'B first' }).expect(200);
    expect(await gallery(p.id)).toEqual(['B first', 'A', 'C']);
    const positions = (await imageRows(app, p.id)).map((r) => [r.id, r.position]).sort((x, y) => +x[1]! - +y[1]!);
    expect(positions).toEqual([
      [b.id, 0],
      [a.id, 1],
      [c.id, 2],
    ]);
  });

  it('refuses bad patches without changing anything', async () => {
    const p = await createProduct(app, staff);
    const other = await createProduct(app, staff);
    const img = await uploaded(p.id, jpeg, 'Keep');
    expect((await patch(p.id, img.id, {}).expect(422)).body.code).toBe('validation_failed');
    await patch(p.id, img.id, { alt: 'x'.repeat(501) }).expect(422);
    await patch(p.id, img.id, { position: -1 }).expect(422);
    await patch(p.id, img.id, { alt: 'New', url: 'http://evil' }).expect(422);
    await patch(p.id, randomUUID(), { alt: 'New' }).expect(404);
    // The image exists, but not on that product.
    await patch(other.id, img.id, { alt: 'New' }).expect(404);
    await patch(p.id, img.id, { alt: 'New' }, customer).expect(403);
    const [row] = await imageRows(app, p.id);
    expect([row!.alt, row!.position, row!.url]).toEqual(['Keep', 0, img.url]);
  });

  it('deletes the row (leaving a sync tombstone), the original and its cached versions', async () => {
    const p = await createProduct(app, staff);
    const img = await uploaded(p.id);
    await fetchMedia(`/media/${img.key}?w=320`).expect(200);
    expect(existsSync(path.join(mediaDir, 'cache', img.key, 'w320.jpg'))).toBe(true);
    const url = `/api/v1/admin/products/${p.id}/images/${img.id}`;
    await app.request.delete(url).set(customer).expect(403);
    await app.request.delete(`/api/v1/admin/products/${randomUUID()}/images/${img.id}`).set(staff).expect(404);
    expect(await imageRows(app, p.id)).toHaveLength(1);
    await app.request.delete(url).set(staff).expect(204);
    expect(await imageRows(app, p.id)).toHaveLength(0);
    expect(existsSync(path.join(mediaDir, img.key))).toBe(false);
    expect(existsSync(path.join(mediaDir, 'cache', img.key))).toBe(false);
    const tombstones = await app.nexus.ctx.db
      .select()
      .from(syncTombstones)
      .where(and(eq(syncTombstones.tableName, 'product_images'), eq(syncTombstones.rowId, img.id)));
    expect(tombstones).toHaveLength(1);
    await app.request.get(`/media/${img.key}`).expect(404);
    expect((await app.request.delete(url).set(staff).expect(404)).body.detail).toBe('Image not found');
  });
});

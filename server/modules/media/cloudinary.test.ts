/**
 * The Cloudinary store against a local fake of Cloudinary's upload API: the official SDK sends its
 * real signed multipart requests to 127.0.0.1, and the fake answers the way Cloudinary does.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import multer from 'multer';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';
import { CloudinaryMediaStore } from './cloudinary-store.js';
import { countImageRows, createProduct, imageRows, makeImage, upload } from './media.testkit.js';
import { localMediaDir } from './store.js';

const CLOUD = 'democloud';
const API_KEY = '123456789012345';
const API_SECRET = 'fake-api-secret';

interface Received {
  path: string;
  fields: Record<string, string>;
  file?: Buffer;
}

/** Cloudinary's documented signature: sorted `key=value` pairs joined by `&`, then the secret, SHA-1. */
function expectedSignature(fields: Record<string, string>): string {
  const signed = Object.keys(fields)
    .filter((k) => !['signature', 'api_key', 'file', 'resource_type', 'cloud_name'].includes(k))
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return createHash('sha1')
    .update(signed + API_SECRET)
    .digest('hex');
}

function startFakeCloudinary() {
  const received: Received[] = [];
  const state = { failWith: undefined as { status: number; message: string } | undefined };
  const app = express();
  app.post(`/v1_1/${CLOUD}/image/:action`, multer().single('file'), async (req, res) => {
    const fields = { ...(req.body as Record<string, string>) };
    received.push({ path: req.path, fields, file: req.file?.buffer });
    if (fields.api_key !== API_KEY || !fields.timestamp || fields.signature !== expectedSignature(fields)) {
      res.status(401).json({ error: { message: 'Invalid Signature' } });
      return;
    }
    if (state.failWith) {
      res.status(state.failWith.status).json({ error: { message: state.failWith.message } });
      return;
    }
    if (req.params.action === 'destroy') {
      res.json({ result: 'ok' });
      return;
    }
    const meta = await sharp(req.file!.buffer).metadata();
    const publicId = `${fields.folder}/${fields.public_id}`;
    res.json({
      asset_id: 'b5e6d2b39ba3e0869d67141ba7dba6cf',
      public_id: publicId,
      version: 1719304854,
      signature: 'ignored',
      width: meta.width,
      height: meta.height,
      format: meta.format === 'jpeg' ? 'jpg' : meta.format,
      resource_type: 'image',
      created_at: new Date().toISOString(),
      bytes: req.file!.size,
      type: 'upload',
      url: `http://res.cloudinary.com/${CLOUD}/image/upload/v1719304854/${publicId}.jpg`,
      secure_url: `https://res.cloudinary.com/${CLOUD}/image/upload/v1719304854/${publicId}.jpg`,
    });
  });
  const server = http.createServer(app);
  return new Promise<{ server: http.Server; port: number; received: Received[]; state: typeof state }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, received, state }),
    ),
  );
}

let fake: Awaited<ReturnType<typeof startFakeCloudinary>>;
let app: TestApp;
let staff: Record<string, string>;
let jpeg: Buffer;
beforeAll(async () => {
  fake = await startFakeCloudinary();
  // The SDK has long been loaded (with https) by the imports above: the store must cope with that.
  const url = `cloudinary://${API_KEY}:${API_SECRET}@${CLOUD}?upload_prefix=http://127.0.0.1:${fake.port}`;
  app = await createTestApp({ env: { CLOUDINARY_URL: url } });
  staff = (await userWithRole(app, 'staff')).auth;
  jpeg = await makeImage('jpeg', 800, 600);
});
beforeEach(() => {
  fake.received.length = 0;
  fake.state.failWith = undefined;
});
afterAll(async () => {
  await app.close();
  await new Promise((r) => fake.server.close(r));
});

describe(`Cloudinary media store (${TEST_DB})`, () => {
  it('uploads through the SDK with a signed request and stores a transforming delivery URL', async () => {
    expect(app.nexus.ctx.media.kind).toBe('cloudinary');
    const p = await createProduct(app, staff);
    const res = await upload(app, staff, p.id, jpeg, { filename: 'mug.jpg', alt: 'Mug' }).expect(201);

    expect(fake.received).toHaveLength(1);
    const [call] = fake.received;
    expect(call!.path).toBe(`/v1_1/${CLOUD}/image/upload`);
    expect(call!.file!.equals(jpeg)).toBe(true);
    expect(call!.fields).toMatchObject({ api_key: API_KEY, folder: 'nexus/products', overwrite: '0' });
    expect(call!.fields.signature).toBe(expectedSignature(call!.fields));
    expect(call!.fields.public_id).toMatch(/^[0-9a-f-]{36}$/);

    const [row] = await imageRows(app, p.id);
    expect(row!.storageKey).toBe(`nexus/products/${call!.fields.public_id}`);
    expect(row).toMatchObject({ width: 800, height: 600, mimeType: 'image/jpeg', bytes: jpeg.length, alt: 'Mug' });
    expect(row!.url).toBe(
      `https://res.cloudinary.com/${CLOUD}/image/upload/c_limit,f_auto,q_auto,w_1600/v1/${row!.storageKey}`,
    );
    expect(res.body.url).toBe(row!.url);
    // Nothing was written locally.
    expect(existsSync(localMediaDir(app.config.dataDir))).toBe(false);
  });

  it('builds sized and formatted URLs offline', () => {
    const url = app.nexus.ctx.media.url('nexus/products/abc', { width: 320, format: 'webp' });
    expect(url).toBe(
      `https://res.cloudinary.com/${CLOUD}/image/upload/c_limit,f_webp,q_auto,w_320/v1/nexus/products/abc`,
    );
    expect(fake.received).toHaveLength(0);
  });

  it('turns a Cloudinary error answer into a clear 503 and stores no row', async () => {
    const p = await createProduct(app, staff);
    fake.state.failWith = { status: 500, message: 'General Error: storage is on fire' };
    const before = await countImageRows(app);
    const res = await upload(app, staff, p.id, jpeg).expect(503);
    expect(res.body.code).toBe('service_unavailable');
    expect(res.body.detail).toBe(
      'The image service (Cloudinary) could not store the image (HTTP 500): General Error: storage is on fire',
    );
    expect(fake.received).toHaveLength(1);
    expect(await countImageRows(app)).toBe(before);
  });

  it('does not send invalid images to Cloudinary at all', async () => {
    const p = await createProduct(app, staff);
    await upload(app, staff, p.id, Buffer.from('GIF89a not really')).expect(415);
    expect(fake.received).toHaveLength(0);
  });

  it('reports an unreachable Cloudinary as an AppError, not a plain object', async () => {
    const store = new CloudinaryMediaStore({
      cloudName: CLOUD,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      uploadPrefix: 'http://127.0.0.1:1',
      folder: 'x',
    });
    const put = store.put({ key: '0190a1b2-0000-7000-8000-000000000000.jpg', data: jpeg, mimeType: 'image/jpeg' });
    await expect(put).rejects.toMatchObject({
      name: 'AppError',
      code: 'service_unavailable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('destroys the Cloudinary asset when an image is deleted, and deletes the row even if that fails', async () => {
    const p = await createProduct(app, staff);
    const a = (await upload(app, staff, p.id, jpeg).expect(201)).body;
    const b = (await upload(app, staff, p.id, jpeg).expect(201)).body;
    const [rowA] = (await imageRows(app, p.id)).filter((r) => r.id === a.id);
    fake.received.length = 0;
    await app.request.delete(`/api/v1/admin/products/${p.id}/images/${a.id}`).set(staff).expect(204);
    expect(fake.received.map((r) => [r.path, r.fields.public_id])).toEqual([
      [`/v1_1/${CLOUD}/image/destroy`, rowA!.storageKey],
    ]);
    expect(fake.received[0]!.fields.signature).toBe(expectedSignature(fake.received[0]!.fields));
    // A Cloudinary outage must not keep a deleted image in the shop.
    fake.state.failWith = { status: 500, message: 'down' };
    await app.request.delete(`/api/v1/admin/products/${p.id}/images/${b.id}`).set(staff).expect(204);
    expect(await imageRows(app, p.id)).toHaveLength(0);
  });
});

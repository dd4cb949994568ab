import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCloudinaryUrl } from './cloudinary-store.js';
import { LocalMediaStore } from './local-store.js';
import { createMediaStore, LOCAL_KEY } from './store.js';

const KEY = '0190a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b.jpg';

describe('media store selection and keys', () => {
  it('uses Cloudinary only when CLOUDINARY_URL is set', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'nexus-media-'));
    expect(createMediaStore({ dataDir, CLOUDINARY_URL: undefined }).kind).toBe('local');
    expect(createMediaStore({ dataDir, CLOUDINARY_URL: 'cloudinary://k:s@shop' }).kind).toBe('cloudinary');
  });

  it('reads the account, folder and upload prefix from CLOUDINARY_URL', () => {
    expect(parseCloudinaryUrl('cloudinary://123:a%2Fb@shop?upload_prefix=http://127.0.0.1:9&folder=x/y')).toEqual({
      cloudName: 'shop',
      apiKey: '123',
      apiSecret: 'a/b',
      uploadPrefix: 'http://127.0.0.1:9',
      folder: 'x/y',
    });
    expect(parseCloudinaryUrl('cloudinary://1:2@c')).toMatchObject({
      uploadPrefix: undefined,
      folder: 'nexus/products',
    });
    expect(() => parseCloudinaryUrl('cloudinary://@cloud')).toThrow(/api_key.*api_secret/);
  });

  it('accepts only UUID keys with a known extension', () => {
    expect(LOCAL_KEY.test(KEY)).toBe(true);
    for (const bad of [
      '../x.jpg',
      '..',
      'a/b.jpg',
      `${KEY}/..`,
      `cache/${KEY}`,
      `.${KEY}`,
      KEY.replace('.jpg', '.gif'),
      KEY.toUpperCase(),
      `${KEY}\0`,
      `${KEY}\n`,
      '',
    ]) {
      expect([bad, LOCAL_KEY.test(bad)]).toEqual([bad, false]);
    }
  });

  it('never lets a malformed key reach the file system', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nexus-media-'));
    const store = new LocalMediaStore(path.join(dir, 'media'));
    await expect(store.put({ key: '../escape.jpg', data: Buffer.from('x') })).rejects.toThrow(/malformed key/);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(path.join(dir, 'keep.jpg'), 'x');
    mkdirSync(path.join(dir, 'media'));
    await store.remove('../keep.jpg');
    expect(existsSync(path.join(dir, 'keep.jpg'))).toBe(true);
    expect(await store.resolve('../keep.jpg', {})).toBeUndefined();
  });

  it('builds server-relative local URLs with width and format', () => {
    const store = new LocalMediaStore('/nowhere');
    expect(store.url(KEY)).toBe(`/media/${KEY}`);
    expect(store.url(KEY, { width: 320, format: 'webp' })).toBe(`/media/${KEY}?w=320&fmt=webp`);
  });
});

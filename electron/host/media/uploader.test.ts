/**
 * The image queue through its channels, against a fake server (a stubbed fetch under the real
 * SyncClient): what is queued, what is sent and in which order, and what a refusal or a broken
 * network leaves behind. The real server's side is in media-refunds.server.test.ts.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../db/store.js';
import { createHandlers, type Handlers } from '../handlers/index.js';
import { checked, offlineSync, productId, seededStore, UNKNOWN } from '../handlers/testkit.js';
import { SyncClient } from '../sync/client.js';
import { createMediaQueue, type HostMediaQueue } from './service.js';
import { answer, b64, makeImage, problem, readUpload, type Reply, type SentUpload } from './testkit.js';

let dir: string;
let store: Store;
let media: HostMediaQueue;
let h: Handlers;
let sent: SentUpload[];
let reply: Reply;
let signedIn: boolean;
let changes: number;
const requestSync = vi.fn();

const created = (s: SentUpload) => answer(201, { id: '0190a000-0000-7000-8000-000000000001', productId: s.productId });

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-media-'));
  store = seededStore();
  sent = [];
  reply = created;
  signedIn = true;
  changes = 0;
  requestSync.mockClear();
  const fetch = (async (url: string, init?: RequestInit) => {
    const upload = await readUpload(String(url), init);
    sent.push(upload);
    const r = await reply(upload);
    if (r === 'network') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return r;
  }) as typeof globalThis.fetch;
  const tokens = () => (signedIn ? { accessToken: 'access', refreshToken: 'refresh' } : null);
  const client = new SyncClient({ baseUrl: 'http://server.test', fetch, tokens, onTokens: () => undefined });
  const server = { api: () => (signedIn ? client : null), requestSync };
  media = createMediaQueue({ store, dataDir: dir, server, backoff: { baseMs: 5, maxMs: 20, minMs: 1 } });
  media.onChange(() => changes++);
  h = createHandlers({ store, sync: offlineSync(), server, media });
});
afterEach(async () => {
  await media.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const png = async (n = 1) => b64(await makeImage('png', 20 + n, 10));
const upload = async (product: string, fileName: string, extra: Record<string, unknown> = {}) =>
  checked('media:upload', await h['media:upload']({ productId: product, fileName, base64: await png(), ...extra }));
const pending = async (input: unknown = {}) => checked('media:pending', await h['media:pending'](input));
const queuedFiles = () => (existsSync(media.dir) ? readdirSync(media.dir) : []);
const refused = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code });

/** Waits for the uploader to stop (idle, or waiting out a backoff) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) {
    await media.uploader.idle();
    if (!check()) await new Promise((r) => setTimeout(r, 5));
  }
  expect(check()).toBe(true);
}

describe('media:upload and media:pending', () => {
  it('queues while signed out: answers the pending upload with a preview, keeps the file, sends nothing', async () => {
    signedIn = false;
    const item = await upload(productId(1), 'cup.png', { alt: ' A red cup ' });
    expect(item).toMatchObject({
      productId: productId(1),
      fileName: 'cup.png',
      alt: 'A red cup',
      mimeType: 'image/png',
      width: 21,
      height: 10,
      status: 'pending',
      attempts: 0,
      lastError: null,
    });
    expect(item.preview).toMatch(/^data:image\/webp;base64,/);
    expect(queuedFiles()).toEqual([`${item.id}.png`]);
    await media.uploader.idle();
    expect(sent).toEqual([]);
    expect(await pending()).toEqual({ items: [item], pending: 1, failed: 0 });
    expect((await pending({ productId: productId(2) })).items).toEqual([]);
    expect(changes).toBeGreaterThan(0);
  });

  it('refuses bad input and queues nothing', async () => {
    const good = { productId: productId(1), fileName: 'cup.png', base64: await png() };
    await refused(h['media:upload']({ ...good, base64: 42 }), 'validation_failed');
    await refused(h['media:upload']({ ...good, extra: true }), 'validation_failed');
    await refused(h['media:upload']({ ...good, productId: 'cup' }), 'validation_failed');
    await refused(h['media:upload']({ ...good, productId: UNKNOWN }), 'not_found');
    const words = Buffer.from('plain words, no pixels').toString('base64');
    await refused(h['media:upload']({ ...good, base64: words }), 'unsupported_media_type');
    await refused(h['media:upload']({ ...good, base64: 'A'.repeat(14_000_000) }), 'payload_too_large');
    await refused(h['media:pending']({ productId: 5 }), 'validation_failed');
    expect(await pending()).toEqual({ items: [], pending: 0, failed: 0 });
    expect(queuedFiles()).toEqual([]);
  });
});

describe('the uploader', () => {
  it('sends in order as multipart (file, alt and its id), then drops row and file and asks for a sync', async () => {
    signedIn = false;
    const a = await upload(productId(1), 'a.png', { alt: 'Front' });
    const b = await upload(productId(2), 'b.png');
    const c = await upload(productId(1), 'c.png');
    signedIn = true;
    media.uploader.kick();
    await until(() => sent.length === 3);
    expect(sent.map((s) => [s.productId, s.fileName, s.alt, s.type])).toEqual([
      [productId(1), 'a.png', 'Front', 'image/png'],
      [productId(2), 'b.png', null, 'image/png'],
      [productId(1), 'c.png', null, 'image/png'],
    ]);
    expect(sent[0]!.authorization).toBe('Bearer access');
    expect(sent[0]!.bytes.equals(Buffer.from(await png(), 'base64'))).toBe(true);
    expect(await pending()).toEqual({ items: [], pending: 0, failed: 0 });
    expect(queuedFiles()).toEqual([]);
    expect(requestSync).toHaveBeenCalledTimes(3);
    // Each image goes under its queue row's id, so a retry can never store it twice.
    expect(sent.map((s) => s.id)).toEqual([a.id, b.id, c.id]);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
  });

  it('keeps an image pending through network failures and server errors, retries with backoff, keeps order', async () => {
    let failures = 0;
    reply = (s) => {
      if (failures++ < 2) return 'network';
      if (failures === 3) return problem(503, 'service_unavailable', 'Down for maintenance');
      return created(s);
    };
    signedIn = false;
    await upload(productId(1), 'first.png');
    await upload(productId(2), 'second.png');
    signedIn = true;
    media.uploader.kick();
    await until(() => sent.length === 1 && media.uploader.waiting());
    const waiting = (await pending()).items[0]!;
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/Not sent yet/) });
    await until(() => (sent.length >= 5 && pendingCount() === 0) || sent.length > 10);
    // The first image is tried until it goes; the second never overtakes it.
    expect(sent.map((s) => s.fileName)).toEqual(['first.png', 'first.png', 'first.png', 'first.png', 'second.png']);
    // Every attempt names the same image.
    expect(new Set(sent.slice(0, 4).map((s) => s.id)).size).toBe(1);
    expect(queuedFiles()).toEqual([]);
  });

  it('marks a refused image failed with the server reason, moves on, and sends it again on retry', async () => {
    reply = (s) =>
      s.fileName === 'gone.png' && sent.filter((x) => x.fileName === 'gone.png').length === 1
        ? problem(404, 'not_found', 'Product not found')
        : created(s);
    signedIn = false;
    const gone = await upload(productId(3), 'gone.png');
    await upload(productId(1), 'fine.png');
    signedIn = true;
    media.uploader.kick();
    await until(() => sent.length === 2);
    const after = await pending();
    expect(after).toMatchObject({ pending: 0, failed: 1 });
    expect(after.items).toEqual([
      expect.objectContaining({
        id: gone.id,
        status: 'failed',
        attempts: 1,
        lastError: 'The server refused the image: Product not found (not_found)',
      }),
    ]);
    expect(queuedFiles()).toEqual([`${gone.id}.png`]);
    // Failed stays failed until a person acts: no automatic resend.
    media.uploader.kick();
    await media.uploader.idle();
    expect(sent).toHaveLength(2);

    expect(checked('media:retry', await h['media:retry']({ id: gone.id }))).toMatchObject({ status: 'pending' });
    await until(() => sent.length === 3 && pendingCount() === 0);
    expect(queuedFiles()).toEqual([]);
  });

  it('discards a queued image with its file; unknown ids are not_found', async () => {
    signedIn = false;
    const item = await upload(productId(1), 'cup.png');
    expect(await h['media:discard']({ id: item.id })).toEqual({ ok: true });
    expect(await pending()).toEqual({ items: [], pending: 0, failed: 0 });
    expect(queuedFiles()).toEqual([]);
    await refused(h['media:discard']({ id: item.id }), 'not_found');
    await refused(h['media:retry']({ id: item.id }), 'not_found');
    await refused(h['media:discard']({ id: 'x' }), 'validation_failed');
  });

  it('refuses to discard the image being sent', async () => {
    let release: (() => void) | undefined;
    reply = (s) => new Promise((resolve) => (release = () => resolve(created(s))));
    const item = await upload(productId(1), 'slow.png');
    for (let i = 0; i < 200 && !release; i++) await new Promise((r) => setTimeout(r, 5));
    expect(media.uploader.current()).toBe(item.id);
    await refused(h['media:discard']({ id: item.id }), 'conflict');
    release!();
    await until(() => pendingCount() === 0);
  });

  it('holds back images of a product created here until its create is on the server', async () => {
    signedIn = false;
    const made = await h['catalog:createProduct']({ name: 'New lamp', variants: [{ sku: 'LAMP-1', priceCents: 900 }] });
    await upload(made.id, 'lamp.png');
    await upload(productId(1), 'cup.png');
    signedIn = true;
    media.uploader.kick();
    await until(() => sent.length === 1);
    expect(sent.map((s) => s.fileName)).toEqual(['cup.png']);
    store.sqlite.prepare(`UPDATE outbox SET status = 'acked'`).run();
    media.uploader.kick();
    await until(() => sent.length === 2 && pendingCount() === 0);
    expect(sent[1]).toMatchObject({ productId: made.id, fileName: 'lamp.png' });
  });

  it('at start, removes files no row names and marks a row whose file is gone failed', async () => {
    signedIn = false;
    const item = await upload(productId(1), 'cup.png');
    await media.close();
    rmSync(path.join(media.dir, `${item.id}.png`));
    writeFileSync(path.join(media.dir, 'orphan.png'), 'x');
    writeFileSync(path.join(media.dir, `${item.id}.png.part`), 'x');
    const again = createMediaQueue({ store, dataDir: dir, server: { api: () => null, requestSync } });
    expect(again.pending().items).toEqual([
      expect.objectContaining({ id: item.id, status: 'failed', lastError: expect.stringMatching(/missing/) }),
    ]);
    expect(readdirSync(media.dir)).toEqual([]);
    await again.close();
  });
});

const pendingCount = () => store.sqlite.prepare('SELECT count(*) FROM media_uploads').pluck().get() as number;

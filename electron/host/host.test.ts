/** The host's bridge envelope (what Electron's IPC carries) and its event subscription. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostEvent } from '../../shared/contract/backoffice.js';
import { createBackofficeHost, type BackofficeHost } from './host.js';
import { b64, makeImage } from './media/testkit.js';

let dir: string;
let host: BackofficeHost;
const onError = vi.fn();

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-host-'));
  host = createBackofficeHost({ dataDir: dir, autoSync: false, onError });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('host.invoke', () => {
  it('answers a value in the ok envelope', async () => {
    const created = await host.invoke('categories:create', { name: 'Lamps' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Lamps', slug: 'lamps' } });
  });

  it('keeps the code and the field errors of a refused input', async () => {
    const answer = await host.invoke('categories:create', { name: '', colour: 'red' });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('validation_failed');
    expect(answer.error.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['name']));
  });

  it('refuses an unknown channel with a code, not a crash', async () => {
    expect(await host.invoke('catalog:drop', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('hides an unexpected error behind `internal` and reports it', async () => {
    const boom = new Error('disk on fire');
    const spy = vi.spyOn(host.handlers, 'sync:status').mockRejectedValueOnce(boom);
    expect(await host.invoke('sync:status', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'Something went wrong in the back-office host' },
    });
    expect(onError).toHaveBeenCalledWith(boom);
    spy.mockRestore();
  });
});

describe('host.onEvent', () => {
  it('tells listeners about status changes until they unsubscribe; a throwing listener is reported', async () => {
    const seen: HostEvent[] = [];
    const off = host.onEvent((event) => seen.push(event));
    const bad = host.onEvent(() => {
      throw new Error('listener bug');
    });
    await host.call('categories:create', { name: 'Chairs' });
    host.engine.emit('status');
    expect(seen.at(-1)).toMatchObject({ type: 'status', status: { pending: 2 } });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
    off();
    bad();
    const count = seen.length;
    host.engine.emit('status');
    expect(seen).toHaveLength(count);
  });
});

describe('host.unsyncedCount', () => {
  it('counts queued images beside queued mutations, so quitting warns about both', async () => {
    const product = await host.call('catalog:createProduct', {
      name: 'Desk lamp',
      variants: [{ sku: 'LAMP-1', priceCents: 4900 }],
    });
    const before = host.unsyncedCount();
    await host.call('media:upload', {
      productId: (product as { id: string }).id,
      fileName: 'lamp.png',
      base64: b64(await makeImage()),
    });
    expect(host.unsyncedCount()).toBe(before + 1);
  });
});

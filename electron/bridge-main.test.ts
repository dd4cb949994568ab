import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, type HostEvent } from '../shared/contract/backoffice.js';
import { answerCall, forwardEvents, registerChannels } from './bridge-main.js';
import { createBackofficeHost, type BackofficeHost } from './host/host.js';
import { STATUS_THROTTLE_MS } from './host/web.js';

type Handler = (event: unknown, input: unknown) => Promise<unknown>;

/** An ipcMain stand-in: what is registered, by name. */
function fakeIpc() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: (name: string, handler: Handler) => handlers.set(name, handler),
    removeHandler: (name: string) => handlers.delete(name),
  };
}
const fromFrame = (url: string | undefined) => ({ senderFrame: url === undefined ? null : { url } });

let dir: string;
let host: BackofficeHost;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-bridge-'));
  host = createBackofficeHost({ dataDir: dir, autoSync: false, onError: () => undefined });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('IPC channels', () => {
  it('registers one handler per contract channel, and removes them all', () => {
    const ipc = fakeIpc();
    const unregister = registerChannels(host, ipc as never);
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it("answers our page with the host's envelope", async () => {
    const ipc = fakeIpc();
    registerChannels(host, ipc as never);
    const status = await ipc.handlers.get('sync:status')!(fromFrame('app://nexus/index.html#/dashboard'), undefined);
    expect(status).toMatchObject({ ok: true, value: { state: 'signed_out', pending: 0 } });
  });

  it('keeps error codes and field errors intact across IPC', async () => {
    const ipc = fakeIpc();
    registerChannels(host, ipc as never);
    const bad = await ipc.handlers.get('catalog:get')!(fromFrame('app://nexus/index.html'), { id: 'not-a-uuid' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', errors: [expect.objectContaining({ path: 'id' })] },
    });
    const missing = await ipc.handlers.get('catalog:get')!(fromFrame('app://nexus/index.html'), {
      id: '0190a0b0-0000-7000-8000-000000000000',
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses calls from any frame that is not our page, without reaching the host', async () => {
    const invoke = vi.fn();
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'app://other/', undefined]) {
      await expect(answerCall({ invoke }, 'auth:logout', url, undefined)).resolves.toEqual({
        ok: false,
        error: { code: 'forbidden', message: expect.any(String) },
      });
    }
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('forwardEvents', () => {
  it('sends changes at once and throttles status bursts to the latest one', async () => {
    let emit!: (event: HostEvent) => void;
    const unsubscribe = vi.fn();
    const fakeHost = { onEvent: (listener: (event: HostEvent) => void) => ((emit = listener), unsubscribe) };
    const sent: HostEvent[] = [];
    const stop = forwardEvents(fakeHost, (event) => sent.push(event));
    const status = (pending: number) => ({ type: 'status', status: { pending } }) as unknown as HostEvent;
    emit(status(1));
    emit(status(2));
    emit(status(3));
    emit({ type: 'changed', tables: ['orders'] });
    expect(sent).toEqual([{ type: 'changed', tables: ['orders'] }]);
    await vi.waitFor(() => expect(sent).toHaveLength(2), { timeout: STATUS_THROTTLE_MS * 4 });
    expect(sent[1]).toEqual(status(3));
    emit(status(4));
    stop();
    await new Promise((resolve) => setTimeout(resolve, STATUS_THROTTLE_MS * 2));
    expect(sent).toHaveLength(2);
    expect(unsubscribe).toHaveBeenCalledOnce();
  });
});

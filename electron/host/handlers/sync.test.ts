import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser, SyncStatus } from '../../../shared/contract/backoffice.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { Store } from '../db/store.js';
import type { Handlers } from './index.js';
import type { SyncControl } from './sync.js';
import { checked, seededHandlers, signedOut } from './testkit.js';

const staff: SessionUser = { email: 'staff@example.com', name: 'Sam', role: 'staff' };

/** A SyncControl that records what it was asked and answers like a signed-in engine. */
function fakeSync() {
  const calls: unknown[][] = [];
  let url: string | null = 'http://127.0.0.1:3000';
  let user: SessionUser | null = null;
  const status = (): SyncStatus => ({ ...signedOut, state: user ? 'idle' : 'signed_out', user, serverUrl: url });
  const sync: SyncControl = {
    status,
    syncNow: async () => {
      calls.push(['syncNow']);
      return { ...status(), lastSyncAt: '2026-03-01T00:00:00.000Z' };
    },
    login: async (input) => {
      calls.push(['login', input]);
      if (input.password !== 'right-password') throw new AppError('invalid_credentials', 'wrong e-mail or password');
      if (input.serverUrl) url = input.serverUrl;
      user = staff;
      return staff;
    },
    logout: async () => {
      calls.push(['logout']);
      user = null;
    },
    session: () => user,
    setServerUrl: (next) => {
      calls.push(['setServerUrl', next]);
      url = next;
    },
    serverUrl: () => url,
  };
  return { sync, calls };
}

let store: Store;
let h: Handlers;
let calls: unknown[][];
beforeEach(() => {
  const fake = fakeSync();
  calls = fake.calls;
  ({ store, handlers: h } = seededHandlers(fake.sync));
});
afterEach(() => store.close());

const rejects = (promise: Promise<unknown>, code: string) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code });

describe('sync, auth and settings channels', () => {
  it('signs in (with a server URL), reports the session and status, and signs out', async () => {
    expect(await h['auth:session']({})).toBeNull();
    const user = await h['auth:login']({
      email: ' Staff@Example.com',
      password: 'right-password',
      serverUrl: 'https://shop.example',
    });
    expect(checked('auth:login', user)).toEqual(staff);
    expect(calls).toEqual([
      ['login', { email: 'staff@example.com', password: 'right-password', serverUrl: 'https://shop.example' }],
    ]);
    expect(checked('auth:session', await h['auth:session'](undefined))).toEqual(staff);
    expect(checked('sync:status', await h['sync:status']({}))).toMatchObject({ state: 'idle', user: staff });
    expect(checked('auth:logout', await h['auth:logout']({}))).toEqual({ ok: true });
    expect(await h['auth:session']({})).toBeNull();
  });

  it('passes no serverUrl when none was given', async () => {
    await h['auth:login']({ email: 'staff@example.com', password: 'right-password' });
    expect(calls[0]).toEqual(['login', { email: 'staff@example.com', password: 'right-password' }]);
  });

  it("passes the engine's refusal through", async () => {
    await rejects(h['auth:login']({ email: 'staff@example.com', password: 'wrong' }), 'invalid_credentials');
  });

  it('refuses bad sign-in input before asking the engine', async () => {
    await rejects(h['auth:login']({ email: 'staff@example.com' }), 'validation_failed');
    await rejects(h['auth:login']({ email: 42, password: 'x' }), 'validation_failed');
    await rejects(h['auth:login']({ email: 'a@b.co', password: 'x', serverUrl: 'file:///etc' }), 'validation_failed');
    await rejects(h['auth:login']({ email: 'a@b.co', password: 'x', remember: true }), 'validation_failed');
    expect(calls).toEqual([]);
  });

  it('syncs now and answers the status after it', async () => {
    expect(checked('sync:now', await h['sync:now']({}))).toMatchObject({ lastSyncAt: '2026-03-01T00:00:00.000Z' });
    expect(calls).toEqual([['syncNow']]);
    await rejects(h['sync:now']({ force: true }), 'validation_failed');
  });

  it('reads and sets the server URL', async () => {
    expect(checked('settings:get', await h['settings:get']({}))).toEqual({
      serverUrl: 'http://127.0.0.1:3000',
      storeRecovery: null,
    });
    const next = await h['settings:setServerUrl']({ url: 'https://nexus.example.com' });
    expect(checked('settings:setServerUrl', next)).toEqual({
      serverUrl: 'https://nexus.example.com',
      storeRecovery: null,
    });
    expect(calls).toEqual([['setServerUrl', 'https://nexus.example.com']]);
    await rejects(h['settings:setServerUrl']({ url: 'not a url' }), 'validation_failed');
    await rejects(h['settings:setServerUrl']({ url: 12 }), 'validation_failed');
    expect(calls).toHaveLength(1);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installFakeBridge, syncStatus, type FakeBridge } from '../../test/fake-bridge.js';
import { useDataVersionStore } from './data-version.js';
import { connectHostEvents, handleHostEvent } from './host-events.js';
import { useSessionStore } from './session.js';
import { useSyncStore } from './sync.js';
import { toast, useToastStore } from './toasts.js';

const ORDER = {
  id: '01890000-0000-7000-8000-000000000001',
  number: '1042',
  email: 'ann@example.com',
  totalCents: 1234,
  currency: 'USD',
};
const staff = { email: 'staff@nexus.local', name: 'Sam Staff', role: 'staff' };

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useToastStore.setState({ toasts: [] });
  useDataVersionStore.setState({ versions: {} });
  useSyncStore.setState({ status: null, hostConnected: true, receivedAt: 0 });
  useSessionStore.setState({ user: undefined });
});
afterEach(() => vi.useRealTimers());

describe('toasts', () => {
  it('dismisses after its duration, keeps a sticky one, and caps the stack', () => {
    vi.useFakeTimers();
    toast({ tone: 'info', title: 'short', durationMs: 1000 });
    toast({ tone: 'info', title: 'sticky', durationMs: 0 });
    vi.advanceTimersByTime(1001);
    expect(useToastStore.getState().toasts.map((t) => t.title)).toEqual(['sticky']);
    for (let i = 0; i < 8; i++) toast({ tone: 'info', title: `t${i}`, durationMs: 0 });
    expect(useToastStore.getState().toasts.map((t) => t.title)).toEqual(['t3', 't4', 't5', 't6', 't7']);
  });
});

describe('host events', () => {
  it('orderArrived shows "New order #N — $12.34" linking to the order', () => {
    handleHostEvent({ type: 'orderArrived', orders: [ORDER] });
    const [shown] = useToastStore.getState().toasts;
    expect(shown).toMatchObject({
      title: 'New order #1042 — $12.34',
      body: 'ann@example.com',
      href: `/orders/${ORDER.id}`,
    });
  });

  it('a burst of orders makes one summary toast', () => {
    const orders = Array.from({ length: 7 }, (_, i) => ({ ...ORDER, number: String(2000 + i) }));
    handleHostEvent({ type: 'orderArrived', orders });
    expect(useToastStore.getState().toasts.map((t) => t.title)).toEqual(['7 new orders']);
  });

  it('changed bumps the version of each named table only', () => {
    handleHostEvent({ type: 'changed', tables: ['orders', 'products'] });
    handleHostEvent({ type: 'changed', tables: ['orders'] });
    expect(useDataVersionStore.getState().versions).toEqual({ orders: 2, products: 1 });
  });

  it('status updates the sync store, and signs the UI out when the host lost the session', () => {
    useSessionStore.setState({ user: staff });
    handleHostEvent({ type: 'status', status: syncStatus({ pending: 3 }) });
    expect(useSyncStore.getState().status?.pending).toBe(3);
    const before = useSessionStore.getState().user;
    handleHostEvent({ type: 'status', status: syncStatus({ pending: 4 }) });
    // Same user: the same object, so nothing re-renders for it.
    expect(useSessionStore.getState().user).toBe(before);
    handleHostEvent({ type: 'status', status: syncStatus({ state: 'signed_out', user: null }) });
    expect(useSessionStore.getState().user).toBeNull();
  });

  it('a status before the first auth:session answer leaves the session undecided', () => {
    handleHostEvent({ type: 'status', status: syncStatus({ state: 'signed_out', user: null }) });
    expect(useSessionStore.getState().user).toBeUndefined();
  });

  it('connectHostEvents subscribes and asks for the current status', async () => {
    fake.answer('sync:status', syncStatus({ pending: 9 }));
    const off = connectHostEvents(fake.bridge);
    await vi.waitFor(() => expect(useSyncStore.getState().status?.pending).toBe(9));
    fake.emit({ type: 'changed', tables: ['reviews'] });
    expect(useDataVersionStore.getState().versions.reviews).toBe(1);
    off();
    fake.emit({ type: 'changed', tables: ['reviews'] });
    expect(useDataVersionStore.getState().versions.reviews).toBe(1);
  });
});

describe('session', () => {
  it('loads, logs in and logs out through the contract', async () => {
    fake.answer('auth:session', null);
    await useSessionStore.getState().load();
    expect(useSessionStore.getState().user).toBeNull();
    fake.answer('auth:login', staff);
    await useSessionStore.getState().login({ email: staff.email, password: 'pw', serverUrl: 'http://127.0.0.1:3000' });
    expect(useSessionStore.getState().user).toEqual(staff);
    fake.answer('auth:logout', { ok: true });
    await useSessionStore.getState().logout();
    expect(useSessionStore.getState().user).toBeNull();
  });

  it('a refused login leaves the user signed out and rethrows', async () => {
    useSessionStore.setState({ user: null });
    fake.fail('auth:login', 'invalid_credentials', 'wrong e-mail or password');
    await expect(useSessionStore.getState().login({ email: staff.email, password: 'x' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(useSessionStore.getState().user).toBeNull();
  });

  it('a failed logout keeps the session', async () => {
    useSessionStore.setState({ user: staff });
    fake.fail('auth:logout', 'host_unreachable', 'down');
    await expect(useSessionStore.getState().logout()).rejects.toThrow('down');
    expect(useSessionStore.getState().user).toEqual(staff);
  });
});

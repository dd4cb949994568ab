import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../shared/contract/backoffice.js';

const ipc = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 1 })),
});
const exposed: Record<string, unknown> = {};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => (exposed[key] = api)) },
  ipcRenderer: ipc,
}));

const { buildBridge, exposeBridge } = await import('./preload.js');
const { HOST_EVENT_MESSAGE, MENU_MESSAGE } = await import('./messages.js');

type Bridge = Record<string, (...args: unknown[]) => unknown>;

afterEach(() => {
  ipc.removeAllListeners();
  ipc.invoke.mockClear();
  vi.unstubAllGlobals();
});

describe('the preload bridge', () => {
  it('exposes exactly the contract: one function per channel plus onEvent, no generic invoke', () => {
    const bridge = buildBridge(ipc.invoke, ipc);
    expect(Object.keys(bridge).sort()).toEqual([...CHANNEL_NAMES, 'onEvent'].sort());
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('send');
    for (const name of CHANNEL_NAMES) expect(typeof bridge[name]).toBe('function');
  });

  it('each function invokes its own channel with the input and answers the envelope', async () => {
    const bridge = buildBridge(ipc.invoke, ipc) as Bridge;
    await expect(bridge['catalog:search']!({ q: 'tea' })).resolves.toEqual({ ok: true, value: 1 });
    expect(ipc.invoke).toHaveBeenCalledWith('catalog:search', { q: 'tea' });
    await bridge['sync:status']!();
    expect(ipc.invoke).toHaveBeenLastCalledWith('sync:status', undefined);
  });

  it('onEvent passes host events (without the IPC event) until unsubscribed', () => {
    const bridge = buildBridge(ipc.invoke, ipc) as Bridge;
    const listener = vi.fn();
    const off = bridge.onEvent!(listener) as () => void;
    const event = { type: 'changed', tables: ['orders'] };
    ipc.emit(HOST_EVENT_MESSAGE, { sender: 'ipc internals' }, event);
    expect(listener).toHaveBeenCalledWith(event);
    off();
    ipc.emit(HOST_EVENT_MESSAGE, {}, event);
    expect(listener).toHaveBeenCalledOnce();
  });

  it('exposeBridge puts it on window.nexus and carries out menu commands in the page', () => {
    const location = { hash: '#/dashboard' };
    const search = { focus: vi.fn() };
    vi.stubGlobal('location', location);
    vi.stubGlobal('document', {
      querySelector: vi.fn((selector: string) => (selector === '[data-search]' ? search : null)),
    });
    exposeBridge();
    expect(Object.keys(exposed.nexus as object)).toContain('orders:fulfill');
    ipc.emit(MENU_MESSAGE, {}, { navigate: '/reports' });
    expect(location.hash).toBe('#/reports');
    ipc.emit(MENU_MESSAGE, {}, { focusSearch: true });
    expect(search.focus).toHaveBeenCalledOnce();
    ipc.emit(MENU_MESSAGE, {}, { navigate: 'https://evil.example' });
    expect(location.hash).toBe('#/reports');
  });
});

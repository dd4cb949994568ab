import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const openExternal = vi.fn(async (_url: string) => undefined);
vi.mock('electron', () => ({ shell: { openExternal } }));

const { hardenContents, hardenSession, permissionAllowed, SECURE_WEB_PREFERENCES, windowOpenAction } =
  await import('./security.js');

type OpenHandler = (details: { url: string }) => { action: string };

/** A WebContents stand-in: the events security.ts listens to, and the window-open handler it sets. */
function fakeContents() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as OpenHandler | undefined,
    setWindowOpenHandler(handler: OpenHandler) {
      contents.openHandler = handler;
    },
    getURL: () => 'app://nexus/index.html',
  });
  return contents;
}

function navigationEvent(url?: string) {
  return { url, preventDefault: vi.fn() };
}

beforeEach(() => openExternal.mockClear());

describe('web preferences', () => {
  it('isolate the page: context isolation and sandbox on, no Node anywhere, no webview', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });
});

describe('hardenContents', () => {
  it('denies navigation away from the app, in the main frame, in frames and by redirect', () => {
    const contents = fakeContents();
    hardenContents(contents as never);
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = navigationEvent();
      contents.emit(name, away, 'https://evil.example/');
      expect(away.preventDefault, name).toHaveBeenCalled();
      const inside = navigationEvent();
      contents.emit(name, inside, 'app://nexus/index.html#/orders');
      expect(inside.preventDefault, name).not.toHaveBeenCalled();
    }
    const frame = navigationEvent('file:///etc/passwd');
    contents.emit('will-frame-navigate', frame);
    expect(frame.preventDefault).toHaveBeenCalled();
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('refuses to attach a <webview>', () => {
    const contents = fakeContents();
    hardenContents(contents as never);
    const event = navigationEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies every new window; web links open in the OS browser, nothing else does', () => {
    const contents = fakeContents();
    hardenContents(contents as never);
    expect(contents.openHandler?.({ url: 'https://shop.example.com/p/tea' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://shop.example.com/p/tea');
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://nexus/index.html', 'ms-settings:']) {
      expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledOnce();
  });

  it('windowOpenAction is the same decision, testable alone', () => {
    const open = vi.fn();
    expect(windowOpenAction('smb://host/share', open)).toEqual({ action: 'deny' });
    expect(open).not.toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('allows only clipboard writes from our own page', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'app://nexus/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal'])
      expect(permissionAllowed(permission, 'app://nexus/'), permission).toBe(false);
  });

  it('hardenSession answers requests and checks with that rule, and hands out no device', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    };
    hardenSession(session as never);
    const answers: boolean[] = [];
    const request = handlers.request as (...args: unknown[]) => void;
    request(null, 'media', (ok: boolean) => answers.push(ok), { requestingUrl: 'app://nexus/index.html' });
    request(null, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok), { requestingUrl: 'app://nexus/' });
    expect(answers).toEqual([false, true]);
    const check = handlers.check as (...args: unknown[]) => boolean;
    expect(check(null, 'notifications', 'app://nexus')).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'app://nexus')).toBe(true);
    expect((handlers.device as () => boolean)()).toBe(false);
  });
});

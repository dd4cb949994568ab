import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Only what main.ts touches before the window exists; the rest of its wiring is tested file by file. */
const electron = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events');
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getPath: vi.fn((name: string) => (name === 'home' ? '/home/ann' : `/tmp/${name}`)),
    setPath: vi.fn(),
    setName: vi.fn(),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(() => new Promise<void>(() => undefined)),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  return {
    app,
    dialog: { showErrorBox: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: { defaultSession: {} },
    ipcMain: {},
    shell: {},
    BrowserWindow: class {},
    screen: {},
    Menu: {},
  };
});
vi.mock('electron', () => electron);

const argv = process.argv;
async function launch(...args: string[]) {
  process.argv = ['/opt/electron', '/app/main.mjs', ...args];
  vi.resetModules();
  await import('./main.js');
}

beforeEach(() => {
  vi.clearAllMocks();
  electron.app.removeAllListeners();
  electron.app.requestSingleInstanceLock.mockReturnValue(true);
  electron.app.whenReady.mockImplementation(() => new Promise<void>(() => undefined));
});
afterEach(() => {
  process.argv = argv;
});

describe('electron/main.ts', () => {
  it('prepares a sandboxed app with its own scheme, profile beside the store, and hardened contents', async () => {
    await launch('--data-dir', '/data/demo');
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledOnce();
    expect(electron.app.enableSandbox).toHaveBeenCalledOnce();
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', path.join('/data/demo', 'electron'));
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
    expect(electron.app.listenerCount('second-instance')).toBe(1);
    expect(electron.app.whenReady).toHaveBeenCalledOnce();
  });

  it('a second launch on the same data dir quits and leaves the first one in charge', async () => {
    electron.app.requestSingleInstanceLock.mockReturnValue(false);
    await launch('--data-dir', '/data/demo');
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
  });

  it('a bad command line says what is wrong and exits', async () => {
    await launch('--server-url', 'ftp://nope.example');
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Nexus back-office: bad command line',
      '--server-url: must be an http(s) URL',
    );
    expect(electron.app.exit).toHaveBeenCalledWith(1);
    expect(electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
  });

  it('without a built UI it says how to build one, and exits', async () => {
    electron.app.whenReady.mockResolvedValue(undefined);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Run from source, main.ts looks for ../../renderer, which does not exist: as a missing build.
    await launch('--data-dir', '/data/demo');
    await vi.waitFor(() => expect(electron.app.exit).toHaveBeenCalledWith(1));
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Nexus back-office could not start',
      expect.stringContaining('npm run build'),
    );
    quiet.mockRestore();
  });
});

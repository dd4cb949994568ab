import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const app = Object.assign(new EventEmitter(), { quit: vi.fn(), exit: vi.fn() });
const dialog = { showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 2, checkboxChecked: false })) };
const { guardQuit } = await import('./quit.js');

const QUIT = 0;
const CANCEL = 2;

function setup(pending: number) {
  const host = {
    unsyncedCount: vi.fn(() => pending),
    engine: { status: () => ({ online: true }) },
    invoke: vi.fn(async () => ({ ok: true, value: {} })),
    close: vi.fn(async () => undefined),
  };
  const window = Object.assign(new EventEmitter(), { isDestroyed: () => false, hide: vi.fn() });
  const onClosing = vi.fn();
  guardQuit({ app, dialog, host: host as never, window, onClosing });
  return { host, window, onClosing };
}
const event = () => ({ preventDefault: vi.fn() });
const signalsBefore = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };

beforeEach(() => {
  app.removeAllListeners();
  vi.clearAllMocks();
});
afterEach(() => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    for (const listener of process.listeners(signal))
      if (!signalsBefore[signal].includes(listener)) process.off(signal, listener);
});

describe('guardQuit', () => {
  it('lets the app quit without a dialog when nothing is pending', () => {
    setup(0);
    const quitting = event();
    app.emit('before-quit', quitting);
    expect(quitting.preventDefault).not.toHaveBeenCalled();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('asks in the window while changes are unsynced; Cancel keeps the app open', async () => {
    const { window } = setup(3);
    dialog.showMessageBox.mockResolvedValueOnce({ response: CANCEL, checkboxChecked: false });
    app.emit('before-quit', event());
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalledOnce());
    expect(dialog.showMessageBox.mock.calls[0]![0]).toBe(window);
    expect(dialog.showMessageBox.mock.calls[0]![1]).toMatchObject({
      message: '3 changes have not reached the server yet.',
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(app.quit).not.toHaveBeenCalled();
  });

  it('"Quit Anyway" quits', async () => {
    setup(1);
    dialog.showMessageBox.mockResolvedValueOnce({ response: QUIT, checkboxChecked: false });
    const first = event();
    app.emit('before-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce());
    // The before-quit that app.quit() raises goes through.
    const second = event();
    app.emit('before-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });

  it.runIf(process.platform !== 'darwin')('closing the window is quitting: it asks too', async () => {
    const { window } = setup(2);
    const closing = event();
    window.emit('close', closing);
    expect(closing.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalledOnce());
  });

  it('closes the host cleanly before the process exits', async () => {
    const { host, onClosing } = setup(0);
    const quitting = event();
    app.emit('will-quit', quitting);
    expect(quitting.preventDefault).toHaveBeenCalled();
    expect(onClosing).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    expect(host.close).toHaveBeenCalledOnce();
    expect(onClosing.mock.invocationCallOrder[0]!).toBeLessThan(host.close.mock.invocationCallOrder[0]!);
  });

  it('a terminal Ctrl+C quits without a dialog (nobody may be at the window)', () => {
    setup(5);
    process.emit('SIGINT', 'SIGINT');
    expect(app.quit).toHaveBeenCalledOnce();
    const quitting = event();
    app.emit('before-quit', quitting);
    expect(quitting.preventDefault).not.toHaveBeenCalled();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });
});

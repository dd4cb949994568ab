import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** A BrowserWindow stand-in recording its options and answering the state it is asked about. */
class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  maximized = false;
  minimized = false;
  destroyed = false;
  bounds = { x: 0, y: 0, width: 0, height: 0 };
  calls: string[] = [];
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.created.push(this);
    this.bounds = {
      x: Number(options.x ?? 0),
      y: Number(options.y ?? 0),
      width: Number(options.width),
      height: Number(options.height),
    };
  }
  maximize = () => (this.maximized = true);
  isMaximized = () => this.maximized;
  isMinimized = () => this.minimized;
  isFullScreen = () => false;
  isDestroyed = () => this.destroyed;
  getNormalBounds = () => this.bounds;
  restore = () => this.calls.push('restore');
  show = () => this.calls.push('show');
  focus = () => this.calls.push('focus');
}

const display = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 } };
vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  screen: { getPrimaryDisplay: () => display, getAllDisplays: () => [display] },
}));

const { createMainWindow, focusWindow } = await import('./window.js');

const dir = mkdtempSync(path.join(tmpdir(), 'nexus-win-'));
const stateFile = path.join(dir, 'window-state.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  FakeWindow.created = [];
  rmSync(stateFile, { force: true });
});

const create = () =>
  createMainWindow({ preload: '/app/preload.cjs', stateFile, title: 'Nexus' }) as unknown as FakeWindow;

describe('createMainWindow', () => {
  it('opens with the secure preferences and our preload, hidden until painted', () => {
    const window = create();
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(window.options.show).toBe(false);
    expect(window.options.center).toBe(true);
    window.emit('ready-to-show');
    expect(window.calls).toContain('show');
  });

  it('restores the saved size, position and maximized state, corrected for the displays', () => {
    writeFileSync(stateFile, JSON.stringify({ x: 5000, y: 100, width: 1400, height: 900, maximized: true }));
    const offScreen = create();
    expect(offScreen.options).toMatchObject({ width: 1400, height: 900, center: true });
    expect(offScreen.options.x).toBeUndefined();
    expect(offScreen.maximized).toBe(true);
    writeFileSync(stateFile, JSON.stringify({ x: 100, y: 60, width: 1400, height: 900, maximized: false }));
    expect(create().options).toMatchObject({ x: 100, y: 60, width: 1400, height: 900 });
  });

  it('saves the normal bounds and maximized flag when the window closes', () => {
    const window = create();
    window.bounds = { x: 40, y: 30, width: 1300, height: 820 };
    window.maximized = true;
    window.emit('close');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({
      x: 40,
      y: 30,
      width: 1300,
      height: 820,
      maximized: true,
    });
  });

  it('does not save a minimized window (its bounds say nothing useful)', () => {
    const window = create();
    window.minimized = true;
    window.emit('close');
    expect(() => readFileSync(stateFile)).toThrow();
  });
});

describe('focusWindow', () => {
  it('restores a minimized window and brings it to the front', () => {
    const window = create();
    window.minimized = true;
    focusWindow(window as never);
    expect(window.calls).toEqual(['restore', 'show', 'focus']);
  });

  it('ignores a missing or destroyed window', () => {
    expect(() => focusWindow(null)).not.toThrow();
    const window = create();
    window.destroyed = true;
    focusWindow(window as never);
    expect(window.calls).toEqual([]);
  });
});

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_STATE,
  fitToDisplays,
  MIN_SIZE,
  parseWindowState,
  readWindowState,
  writeWindowState,
  type Rect,
} from './window-state.js';

const LAPTOP: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const RIGHT_MONITOR: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('parseWindowState', () => {
  it('reads a saved state', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1300,"height":900,"maximized":true}')).toEqual({
      x: 10,
      y: 20,
      width: 1300,
      height: 900,
      maximized: true,
    });
  });

  it.each([
    undefined,
    '',
    'not json',
    '[]',
    '{"width":"big","height":1}',
    '{"width":0,"height":800}',
    '{"x":1e9,"width":800,"height":600}',
  ])('falls back to the default for %j', (text) => expect(parseWindowState(text)).toEqual(DEFAULT_STATE));
});

describe('fitToDisplays', () => {
  it('keeps a window that is fully visible', () => {
    const state = { x: 100, y: 80, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(state, [LAPTOP])).toEqual(state);
  });

  it('keeps a window on a second monitor while it is plugged in', () => {
    const state = { x: 2200, y: 100, width: 1600, height: 1000, maximized: true };
    expect(fitToDisplays(state, [LAPTOP, RIGHT_MONITOR])).toEqual(state);
  });

  it('centres a window whose monitor was unplugged on the primary display', () => {
    const fitted = fitToDisplays({ x: 2200, y: 100, width: 1600, height: 1000, maximized: false }, [LAPTOP]);
    expect(fitted).toEqual({ width: 1600, height: 1000, maximized: false });
  });

  it('moves a partly off-screen window fully inside the display it overlaps most', () => {
    const fitted = fitToDisplays({ x: -300, y: 900, width: 1200, height: 800, maximized: false }, [LAPTOP]);
    expect(fitted).toEqual({ x: 0, y: 250, width: 1200, height: 800, maximized: false });
  });

  it('shrinks a window larger than its display, but never below the minimum size', () => {
    const big = fitToDisplays({ x: 0, y: 0, width: 5000, height: 3000, maximized: false }, [LAPTOP]);
    expect(big).toMatchObject({ x: 0, y: 0, width: LAPTOP.width, height: LAPTOP.height });
    const tiny = fitToDisplays({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [LAPTOP]);
    expect(tiny).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
  });

  it('leaves the state alone when no display is known', () => {
    const state = { x: 5, y: 5, width: 1000, height: 700, maximized: false };
    expect(fitToDisplays(state, [])).toEqual(state);
  });
});

describe('window state file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nexus-window-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through the data dir and leaves no temporary file', () => {
    const file = path.join(dir, 'nested', 'window-state.json');
    writeWindowState(file, { x: 1, y: 2, width: 1100, height: 700, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 1, y: 2, width: 1100, height: 700, maximized: true });
    expect(readdirSync(path.dirname(file))).toEqual(['window-state.json']);
  });

  it('reads a missing or damaged file as the default', () => {
    expect(readWindowState(path.join(dir, 'missing.json'))).toEqual(DEFAULT_STATE);
    const damaged = path.join(dir, 'damaged.json');
    writeFileSync(damaged, '{"x": 1, "wid');
    expect(readWindowState(damaged)).toEqual(DEFAULT_STATE);
    expect(existsSync(damaged)).toBe(true);
  });
});

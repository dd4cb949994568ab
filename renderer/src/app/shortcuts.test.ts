import { describe, expect, it } from 'vitest';
import { shortcutFor } from './shortcuts.js';

const key = (
  k: string,
  mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; inField: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inField: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('"g" then a letter opens that screen', () => {
    expect(shortcutFor(key('g'), false)).toEqual({ startSequence: true });
    expect(shortcutFor(key('p'), true)).toEqual({ go: '/products' });
    expect(shortcutFor(key('o'), true)).toEqual({ go: '/orders' });
    expect(shortcutFor(key('e'), true)).toEqual({ go: '/reports' });
    expect(shortcutFor(key('p'), false)).toBeNull();
    expect(shortcutFor(key('z'), true)).toBeNull();
  });

  it('Ctrl or ⌘ + 1…8 opens the screen at that place, even from a text field', () => {
    expect(shortcutFor(key('1', { ctrlKey: true }), false)).toEqual({ go: '/dashboard' });
    expect(shortcutFor(key('8', { metaKey: true, inField: true }), false)).toEqual({ go: '/settings' });
    expect(shortcutFor(key('9', { ctrlKey: true }), false)).toBeNull();
  });

  it('typing in a field never triggers letter shortcuts', () => {
    expect(shortcutFor(key('g', { inField: true }), false)).toBeNull();
    expect(shortcutFor(key('p', { inField: true }), true)).toBeNull();
    expect(shortcutFor(key('/', { inField: true }), false)).toBeNull();
  });

  it('"/" focuses the search box', () => {
    expect(shortcutFor(key('/'), false)).toEqual({ focusSearch: true });
  });
});

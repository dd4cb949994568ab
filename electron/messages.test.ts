import { describe, expect, it, vi } from 'vitest';
import { applyMenuCommand, isMenuCommand } from './messages.js';

describe('menu commands', () => {
  it('accepts a screen route or a search focus', () => {
    expect(isMenuCommand({ navigate: '/products' })).toBe(true);
    expect(isMenuCommand({ navigate: '/inventory/oversells' })).toBe(true);
    expect(isMenuCommand({ focusSearch: true })).toBe(true);
  });

  it.each([
    null,
    'navigate',
    {},
    { navigate: 42 },
    { navigate: 'products' },
    { navigate: '//evil.example' },
    { navigate: '/products?x=1' },
    { navigate: '/a/../../b' },
    { navigate: 'javascript:alert(1)' },
    { focusSearch: 'yes' },
  ])('refuses %j', (value) => expect(isMenuCommand(value)).toBe(false));

  it('opens a screen by setting the hash route, exactly as a nav click does', () => {
    const page = { location: { hash: '#/dashboard' }, focusSearch: vi.fn() };
    expect(applyMenuCommand({ navigate: '/orders' }, page)).toBe(true);
    expect(page.location.hash).toBe('#/orders');
    expect(page.focusSearch).not.toHaveBeenCalled();
  });

  it('focuses the search box, and ignores anything malformed', () => {
    const page = { location: { hash: '#/dashboard' }, focusSearch: vi.fn() };
    expect(applyMenuCommand({ focusSearch: true }, page)).toBe(true);
    expect(page.focusSearch).toHaveBeenCalledOnce();
    expect(applyMenuCommand({ navigate: 'https://evil.example' }, page)).toBe(false);
    expect(page.location.hash).toBe('#/dashboard');
  });
});

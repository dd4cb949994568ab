import { describe, expect, it, vi } from 'vitest';
import { reloadOnLaunchUrl, takeSecret } from './secret.js';

const SECRET = 'A'.repeat(20) + 'b_c-' + 'z'.repeat(20);

function places(hash: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [['nexus.backoffice.secret', stored]] : []);
  return {
    location: { hash, pathname: '/', search: '' },
    history: { replaceState: vi.fn() },
    storage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    },
    stored: storage,
  };
}

describe('takeSecret', () => {
  it('reads the secret from the fragment, keeps it for a reload and strips it from the address bar', () => {
    const p = places(`#secret=${SECRET}`);
    expect(takeSecret(p)).toBe(SECRET);
    expect(p.stored.get('nexus.backoffice.secret')).toBe(SECRET);
    expect(p.history.replaceState).toHaveBeenCalledWith(null, '', '/#/dashboard');
  });

  it('after a reload (no fragment) uses the kept secret and leaves the URL alone', () => {
    const p = places('#/orders', SECRET);
    expect(takeSecret(p)).toBe(SECRET);
    expect(p.history.replaceState).not.toHaveBeenCalled();
  });

  it('answers null without a secret, and ignores a malformed one', () => {
    expect(takeSecret(places(''))).toBeNull();
    const bad = places('#secret=short');
    expect(takeSecret(bad)).toBeNull();
    expect(bad.history.replaceState).not.toHaveBeenCalled();
  });
});

describe('reloadOnLaunchUrl', () => {
  it("reloads when the launch URL is pasted into the open tab, not on the app's own route changes", () => {
    let onHashChange = () => {};
    const win = {
      location: { hash: '#/dashboard', reload: vi.fn() },
      addEventListener: (type: string, listener: () => void) => type === 'hashchange' && (onHashChange = listener),
    };
    reloadOnLaunchUrl(win as never);
    win.location.hash = '#/orders';
    onHashChange();
    expect(win.location.reload).not.toHaveBeenCalled();
    win.location.hash = `#secret=${SECRET}`;
    onHashChange();
    expect(win.location.reload).toHaveBeenCalledTimes(1);
  });
});

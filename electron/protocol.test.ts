import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
const { answer, registerAppScheme, serveApp } = await import('./protocol.js');

const root = mkdtempSync(path.join(tmpdir(), 'nexus-renderer-'));
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(path.join(root, '..', 'outside-secret.txt'), 'secret');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(path.join(root, '..', 'outside-secret.txt'), { force: true });
});

const get = (url: string, server: string | null = null, method = 'GET') =>
  answer(new Request(url, { method }), root, () => server);

describe('app:// protocol', () => {
  it('registers a standard, secure scheme before ready and one handler after', () => {
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    serveApp(protocol, root, () => null);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('serves the UI with its security headers', async () => {
    const response = await get('app://nexus/index.html', 'https://shop.example.com');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' app://nexus");
    expect(csp).toContain('https://shop.example.com');
    const script = await get('app://nexus/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers index.html for extensionless paths (a reload on any route)', async () => {
    expect(await (await get('app://nexus/orders/123')).text()).toContain('id="root"');
  });

  it('answers 404 for missing files, files outside the UI, other hosts and other methods', async () => {
    expect((await get('app://nexus/assets/missing.js')).status).toBe(404);
    expect((await get('app://nexus/..%2Foutside-secret.txt')).status).toBe(404);
    expect((await get('app://nexus/assets/..%5C..%5Coutside-secret.txt')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://nexus/index.html', null, 'POST')).status).toBe(404);
  });
});

/**
 * Issue 7 e2e, bad input: the browser-mode host answers only its own UI. From a real browser: a
 * request without the launch secret (or with a wrong one) gets 403; a page on another origin gets
 * 403 even when it knows the secret, and no channel runs; a name rebound to 127.0.0.1 (DNS
 * rebinding, simulated with Chromium's resolver rules) gets 403 for the page itself.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BRIDGE_SOCKET_PATH,
  BRIDGE_SOCKET_PROTOCOL,
  BRIDGE_SOCKET_SECRET_PREFIX,
} from '../shared/contract/bridge-socket.js';
import { type Backoffice, launchBrowser, openPage, screenshot, startBackoffice, type TestPage } from './kit/index.js';

const REBOUND = 'rebind.test';

let backoffice: Backoffice;
let elsewhere: http.Server;
let elsewhereOrigin: string;
let browser: Browser;
let tab: TestPage;
/** Every channel the web host actually ran. */
const ran: string[] = [];

beforeAll(async () => {
  backoffice = await startBackoffice({
    wrap: (host) => ({
      ...host,
      call: (name, input) => {
        ran.push(name);
        return host.call(name, input);
      },
      // Calls over the WebSocket.
      invoke: (name, input) => {
        ran.push(name);
        return host.invoke(name, input);
      },
    }),
  });
  // Another site the same browser has open.
  elsewhere = http.createServer((_req, res) => res.end('<!doctype html><title>Another site</title><p>hello</p>'));
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereOrigin = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
  browser = await launchBrowser({ args: [`--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`] });
  tab = await openPage(browser);
});

afterAll(async () => {
  await tab?.close();
  await browser?.close();
  await new Promise((resolve) => elsewhere?.close(resolve));
  await backoffice?.close();
});

/** A channel call made by the page itself (runs in the browser). */
function callFromPage(target: string, secret: string | null) {
  return tab.page.evaluate(
    async ([url, key]) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (key) headers.Authorization = `Bearer ${key}`;
      try {
        const res = await fetch(url, { method: 'POST', headers, body: '{}' });
        return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string } } };
      } catch (error) {
        return { status: 0, blocked: String(error) };
      }
    },
    [target, secret] as const,
  );
}

describe('browser-mode host: secret, origin and host checks', () => {
  it('opened without the secret: the page says how to open it, and the API answers 403', async () => {
    const { page } = tab;
    await page.goto(`${backoffice.origin}/`);
    await page.getByRole('heading', { name: 'Open the back-office from its launch address' }).waitFor();
    await screenshot(page, 'browser-mode-no-secret');
    const before = ran.length;
    const none = await callFromPage('/api/settings:get', null);
    const wrong = await callFromPage('/api/settings:get', 'A'.repeat(43));
    expect(none).toMatchObject({ status: 403, body: { ok: false, error: { code: 'forbidden' } } });
    expect(wrong).toMatchObject({ status: 403, body: { ok: false, error: { code: 'forbidden' } } });
    const events = await page.evaluate(async () => (await fetch('/api/events')).status);
    expect(events).toBe(403);
    expect(ran.length).toBe(before);
    // The same call with the launch secret works: the refusals above were about the secret.
    const right = await callFromPage('/api/settings:get', backoffice.web.secret);
    expect(right).toMatchObject({ status: 200, body: { ok: true } });
    expect(ran.slice(before)).toEqual(['settings:get']);
  });

  it('a page on another origin gets 403 even with the secret, and no channel runs', async () => {
    const { page } = tab;
    await page.goto(elsewhereOrigin);
    const before = ran.length;
    const target = `${backoffice.origin}/api/settings:get`;
    // A form post (what a hostile page can send without any preflight) reaches the host, which says 403.
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === target),
      page.evaluate(`(() => {
        const form = document.createElement('form');
        form.method = 'POST';
        form.enctype = 'text/plain';
        form.action = ${JSON.stringify(target)};
        document.body.append(form);
        form.submit();
      })()`),
    ]);
    expect(response.status()).toBe(403);
    expect(response.request().headers().origin).toBe(elsewhereOrigin);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await page.goto(elsewhereOrigin);
    // With the secret and JSON the browser must ask first (preflight); the host refuses, so nothing is sent.
    const withSecret = await callFromPage(target, backoffice.web.secret);
    expect(withSecret).toMatchObject({ status: 0, blocked: expect.stringContaining('TypeError') });
    expect(ran.length).toBe(before);
    // A WebSocket is not subject to CORS: the host refuses its upgrade for the Origin, so it never opens.
    const socket = await page.evaluate(`new Promise((resolve) => {
      const ws = new WebSocket(${JSON.stringify(`${backoffice.origin.replace('http:', 'ws:')}${BRIDGE_SOCKET_PATH}`)},
        [${JSON.stringify(BRIDGE_SOCKET_PROTOCOL)}, ${JSON.stringify(BRIDGE_SOCKET_SECRET_PREFIX + backoffice.web.secret)}]);
      ws.onopen = () => { ws.send(JSON.stringify({ id: 1, channel: 'settings:get' })); resolve('opened'); };
      ws.onclose = (event) => resolve('closed ' + event.code);
    })`);
    expect(socket).toBe('closed 1006');
    expect(ran.length).toBe(before);
    // The host's own answer to that origin, whatever a browser does with it: 403.
    const direct = await fetch(target, {
      method: 'POST',
      headers: {
        Origin: elsewhereOrigin,
        Authorization: `Bearer ${backoffice.web.secret}`,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(direct.status).toBe(403);
    expect(ran.length).toBe(before);
  });

  it('a name rebound to 127.0.0.1 (DNS rebinding) gets 403, page and API alike', async () => {
    const { page } = tab;
    const rebound = `http://${REBOUND}:${backoffice.web.port}`;
    const pageAnswer = await page.goto(`${rebound}/`);
    expect(pageAnswer?.status()).toBe(403);
    const before = ran.length;
    // Same-origin from the rebound page's point of view, and with the secret: still refused (Host header).
    const call = await callFromPage(`${rebound}/api/settings:get`, backoffice.web.secret);
    expect(call).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(ran.length).toBe(before);
  });
});

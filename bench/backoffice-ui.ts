/**
 * bench:backoffice's measurements in Chromium. The page times itself (performance.now(), whose zero
 * is the navigation's start), so the figures hold no Playwright or CDP round trips; the probes below
 * are plain JavaScript sources because this file is compiled for Node, which has no DOM types.
 *
 * Time to interactive: a fresh browser context (no HTTP cache, no session storage) that already
 * holds the launch secret, as a tab does after opening the launch URL, navigates to #/products.
 * The launch URL itself always lands on the dashboard (renderer/src/lib/secret.ts), so it cannot
 * open the products screen. Ready = the table's first row shows a product (not a placeholder) and
 * the search box is enabled and takes focus; interactive = the first frame after that has been
 * painted and the main thread is free again (a task queued from requestAnimationFrame has run).
 *
 * Search as you type: for each key, from the keydown event's own time stamp (when the browser took
 * the key) until the subtitle names the typed text, which React commits together with the new rows
 * ("12 matches for “hood”"); and until the next frame after that.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import { type Keystroke, keystrokes } from './backoffice-catalog.js';

const SECRET_KEY = 'nexus.backoffice.secret';
const ROW = '.products-table [role="row"][aria-rowindex="2"]:not([aria-busy])';
const SEARCH_BOX = 'input[aria-label="Search products"]';
const WAIT_MS = 30_000;

/** Calls `done` once the next frame has been painted and the main thread has run one more task. */
const AFTER_FRAME = `(done) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => done(performance.now());
  channel.port2.postMessage(0);
})`;

/**
 * Records each channel call the page sends over the host's WebSocket (when it left, when its answer
 * arrived), by wrapping the page's WebSocket class before the app takes it.
 */
const SOCKET_LOG = `(() => {
  const log = [];
  const byId = new Map();
  const Native = window.WebSocket;
  window.__benchSocketCalls = log;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const call = byId.get(JSON.parse(event.data).id);
        if (call) call.end = performance.now();
      });
    }
    send(data) {
      const { id, channel } = JSON.parse(data);
      const call = { channel, start: performance.now(), end: null };
      byId.set(id, call);
      log.push(call);
      super.send(data);
    }
  };
})()`;

/**
 * The calls the page made to a channel of the host, over HTTP (resource timings) or the socket:
 * when each left and when its answer was read, in order.
 */
const API_CALLS = `(channel) => [
  ...performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/api/' + channel))
    .map((e) => ({ start: e.startTime, end: e.responseEnd })),
  ...window.__benchSocketCalls.filter((c) => c.channel === channel && c.end !== null),
].sort((a, b) => a.start - b.start)`;

const ttiProbe = (secret: string) => `(() => {
  ${SOCKET_LOG};
  try { sessionStorage.setItem(${JSON.stringify(SECRET_KEY)}, ${JSON.stringify(secret)}); } catch {}
  const afterFrame = ${AFTER_FRAME};
  const apiCalls = ${API_CALLS};
  const ready = new Promise((resolve) => {
    const check = () => {
      const row = document.querySelector(${JSON.stringify(ROW)});
      const input = document.querySelector(${JSON.stringify(SEARCH_BOX)});
      if (!row || !row.textContent.trim() || !input || input.disabled) return false;
      const readyAt = performance.now();
      input.focus();
      const focused = document.activeElement === input;
      afterFrame((interactiveAt) => {
        const nav = performance.getEntriesByType('navigation')[0];
        resolve({
          readyAt, interactiveAt, focused,
          htmlAt: nav ? nav.responseEnd : null,
          scriptAt: performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'script')
            .reduce((last, e) => Math.max(last, e.responseEnd), 0) || null,
          domContentLoadedAt: nav ? nav.domContentLoadedEventEnd : null,
          session: apiCalls('auth:session')[0] ?? null,
          firstList: apiCalls('catalog:list')[0] ?? null,
          otherOrigins: performance.getEntriesByType('resource')
            .filter((e) => !e.name.startsWith(location.origin)).map((e) => e.name),
        });
      });
      return true;
    };
    const observer = new MutationObserver(() => check() && observer.disconnect());
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ['aria-busy', 'disabled'] });
  });
  window.__benchTti = Promise.race([ready, new Promise((_, reject) =>
    setTimeout(() => reject(new Error('the products screen never showed a row: ' + document.body?.innerText)), ${WAIT_MS}))]);
})()`;

/** Renderer main-thread CPU (ms) over an interval, from Chromium's own counters (CDP Performance, thread ticks). */
export interface Cpu {
  /** All the main thread's CPU time. */
  threadMs: number;
  /** Of which running JavaScript. */
  scriptMs: number;
  /** Of which style and layout. */
  layoutMs: number;
}

/**
 * Reads the page's CPU counters; the difference of two readings is a `Cpu`. For a load the first
 * reading is taken on the new page's about:blank, so the figure is that renderer's whole start.
 */
async function cpuMeter(page: Page): Promise<() => Promise<Cpu>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    return {
      threadMs: value('ThreadTime'),
      scriptMs: value('ScriptDuration'),
      layoutMs: value('LayoutDuration') + value('RecalcStyleDuration'),
    };
  };
  const start = await read();
  let last = start;
  /** CPU since the previous call (the first: since the meter started). */
  return async () => {
    const now = await read();
    const spent = {
      threadMs: now.threadMs - last.threadMs,
      scriptMs: now.scriptMs - last.scriptMs,
      layoutMs: now.layoutMs - last.layoutMs,
    };
    last = now;
    return spent;
  };
}

export interface TtiSample {
  /** Navigation start → first data row and search box ready. */
  readyAt: number;
  /** Navigation start → the frame after that painted, main thread free. */
  interactiveAt: number;
  focused: boolean;
  htmlAt: number | null;
  /** The last script file read (the bundle). */
  scriptAt: number | null;
  domContentLoadedAt: number | null;
  session: { start: number; end: number } | null;
  firstList: { start: number; end: number } | null;
  /** Anything the page fetched from elsewhere than the host (the central server is unreachable: there must be none). */
  otherOrigins: string[];
  /** Wall clock in this process, from page.goto to the page's answer (includes CDP round trips). */
  wallMs: number;
  cpu: Cpu;
}

/** One load of the products screen in a fresh context (no cache, no storage), timed by the page itself. */
export async function measureTti(browser: Browser, origin: string, secret: string): Promise<TtiSample> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  try {
    await context.addInitScript({ content: ttiProbe(secret) });
    const page = await context.newPage();
    const cpu = await cpuMeter(page);
    const started = performance.now();
    await page.goto(`${origin}/#/products`, { waitUntil: 'commit' });
    const sample = await page.evaluate<Omit<TtiSample, 'wallMs' | 'cpu'>>('window.__benchTti');
    const wallMs = performance.now() - started;
    return { ...sample, wallMs, cpu: await cpu() };
  } finally {
    await context.close();
  }
}

const searchProbe = `(() => {
  const afterFrame = ${AFTER_FRAME};
  const apiCalls = ${API_CALLS};
  const subtitle = () => document.querySelector('.page-subtitle')?.textContent ?? '';
  const input = document.querySelector(${JSON.stringify(SEARCH_BOX)});
  let pending = null;
  window.__benchSearch = {
    arm(query) {
      performance.clearResourceTimings();
      window.__benchSocketCalls.length = 0;
      const want = 'for \\u201c' + query + '\\u201d';
      const sample = { keyAt: null, domAt: null, frameAt: null };
      pending = new Promise((resolve) => {
        input.addEventListener('keydown', (event) => { sample.keyAt = event.timeStamp; }, { once: true, capture: true });
        const observer = new MutationObserver(() => {
          if (sample.keyAt === null || !subtitle().includes(want)) return;
          observer.disconnect();
          sample.domAt = performance.now();
          afterFrame((frameAt) => {
            sample.frameAt = frameAt;
            sample.request = apiCalls('catalog:search').at(-1) ?? null;
            resolve(sample);
          });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    },
    result: () => Promise.race([pending, new Promise((_, reject) =>
      setTimeout(() => reject(new Error('the screen did not show the results: ' + subtitle())), ${WAIT_MS}))]),
  };
})()`;

export interface KeySample {
  query: string;
  /** Key event → the subtitle (and rows) name the typed text. */
  domMs: number;
  /** Key event → the frame after that painted. */
  frameMs: number;
  /** Key event → the search request left; the request (network and host); its answer read → DOM. */
  toRequestMs: number | null;
  requestMs: number | null;
  renderMs: number | null;
  /** Main-thread CPU from just before the key until the results were painted (plus two small probe calls). */
  cpu: Cpu;
}

/** The products screen, ready to type in, and its CPU meter. */
export interface TypingPage {
  page: Page;
  cpu: () => Promise<Cpu>;
}

/** Types `text` into the search box key by key, timing each key that changes the query; Esc clears it after. */
export async function typeQuery(typing: TypingPage, text: string): Promise<KeySample[]> {
  const samples: KeySample[] = [];
  for (const stroke of keystrokes(text)) samples.push(...(await typeKey(typing, stroke)));
  await typing.page.keyboard.press('Escape');
  // The list is back when the subtitle no longer quotes a query.
  await typing.page.locator('.page-subtitle', { hasNotText: '\u201c' }).waitFor({ timeout: WAIT_MS });
  return samples;
}

async function typeKey({ page, cpu }: TypingPage, { key, query, timed }: Keystroke): Promise<KeySample[]> {
  if (!timed) {
    await page.keyboard.type(key);
    return [];
  }
  await page.evaluate(`window.__benchSearch.arm(${JSON.stringify(query)})`);
  await cpu();
  await page.keyboard.type(key);
  const s = await page.evaluate<{
    keyAt: number;
    domAt: number;
    frameAt: number;
    request: { start: number; end: number } | null;
  }>('window.__benchSearch.result()');
  const spent = await cpu();
  return [
    {
      query,
      domMs: s.domAt - s.keyAt,
      frameMs: s.frameAt - s.keyAt,
      toRequestMs: s.request ? s.request.start - s.keyAt : null,
      requestMs: s.request ? s.request.end - s.request.start : null,
      renderMs: s.request ? s.domAt - s.request.end : null,
      cpu: spent,
    },
  ];
}

/** The products screen, loaded and ready to type in (the search probe installed, the box focused). */
export async function openForTyping(browser: Browser, origin: string, secret: string): Promise<TypingPage> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await context.addInitScript({ content: ttiProbe(secret) });
  const page = await context.newPage();
  await page.goto(`${origin}/#/products`, { waitUntil: 'commit' });
  await page.evaluate('window.__benchTti');
  await page.evaluate(`performance.setResourceTimingBufferSize(1000); ${searchProbe}`);
  await page.locator(SEARCH_BOX).focus();
  return { page, cpu: await cpuMeter(page) };
}

/**
 * The back-office page's channel calls as they leave it: over the host's WebSocket (the frames the
 * page sends) or over HTTP (POST /api/<channel>), whichever the bridge used. A test waits for "the
 * export was asked for" and reads the input the UI sent, whatever the transport. openPage watches
 * every page it opens.
 */
import type { Page } from 'playwright-core';
import { BRIDGE_SOCKET_PATH } from '../../shared/contract/bridge-socket.js';

interface Waiter {
  channel: string;
  resolve: (input: unknown) => void;
}

const watched = new WeakMap<Page, Waiter[]>();

export function watchChannelCalls(page: Page): void {
  const waiters: Waiter[] = [];
  watched.set(page, waiters);
  const seen = (channel: string, input: unknown) => {
    for (const waiter of waiters.filter((w) => w.channel === channel)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(input);
    }
  };
  page.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname !== BRIDGE_SOCKET_PATH) return;
    socket.on('framesent', ({ payload }) => {
      let call: { channel?: unknown; input?: unknown };
      try {
        call = JSON.parse(String(payload)) as typeof call;
      } catch {
        return;
      }
      if (typeof call.channel === 'string') seen(call.channel, call.input);
    });
  });
  page.on('request', (request) => {
    const match = /^\/api\/([a-z]+:[A-Za-z]+)$/.exec(new URL(request.url()).pathname);
    if (match && request.method() === 'POST') seen(match[1]!, request.postData() ? request.postDataJSON() : undefined);
  });
}

/** The input of the page's next call of `channel` (made after this is called). */
export function nextChannelCall(page: Page, channel: string, timeoutMs = 30_000): Promise<unknown> {
  const waiters = watched.get(page);
  if (!waiters) throw new Error('this page was not opened by the e2e kit (openPage), so its calls are not watched');
  return new Promise((resolve, reject) => {
    const waiter: Waiter = {
      channel,
      resolve: (input) => {
        clearTimeout(timer);
        resolve(input);
      },
    };
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(waiter), 1);
      reject(new Error(`the page made no ${channel} call within ${timeoutMs} ms`));
    }, timeoutMs);
    waiters.push(waiter);
  });
}

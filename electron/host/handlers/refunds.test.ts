/**
 * orders:refund against a fake server (a stubbed fetch under the real SyncClient): online only,
 * never queued, one Idempotency-Key per refund kept across a lost answer, the server's refusals
 * passed on. The real server's side is in media-refunds.server.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../db/store.js';
import { answer, problem } from '../media/testkit.js';
import { SyncClient } from '../sync/client.js';
import type { Handlers } from './index.js';
import { createHandlers } from './index.js';
import { ATTEMPT_TTL_MS, refundKey } from './refunds.queries.js';
import { PAID_ORDER, UNKNOWN, checked, offlineSync, queued, seededStore } from './testkit.js';

interface Sent {
  url: string;
  key: string | null;
  body: unknown;
}

let store: Store;
let h: Handlers;
let sent: Sent[];
let reply: (sent: Sent) => Response | 'network';
const requestSync = vi.fn();

const refundRow = (amountCents: number) => ({
  id: '0190a000-0000-7000-8000-0000000000aa',
  amountCents,
  currency: 'USD',
  reason: 'scratched',
  restock: false,
  lines: [],
  status: 'succeeded',
  providerRefundId: 'testre_1',
  failureReason: null,
  actor: 'user:1',
  createdAt: '2026-02-01T10:00:00.000Z',
  updatedAt: '2026-02-01T10:00:00.000Z',
});

/** The server's answer: its order (with refunds, notes, timeline) after a refund of `amountCents`. */
async function refunded(amountCents: number) {
  const { pendingNotes: _notes, ...order } = await h['orders:get']({ id: PAID_ORDER });
  const refund = refundRow(amountCents);
  const status = amountCents === order.totalCents ? 'refunded' : 'partially_refunded';
  const body = {
    refund,
    order: { ...order, status, refundedCents: amountCents, refunds: [refund], notes: [], timeline: [] },
  };
  return () => answer(201, body);
}

beforeEach(() => {
  store = seededStore();
  sent = [];
  requestSync.mockClear();
  const fetch = (async (url: string, init?: RequestInit) => {
    const s = {
      url: String(url),
      key: new Headers(init?.headers).get('idempotency-key'),
      body: JSON.parse(init?.body as string) as unknown,
    };
    sent.push(s);
    const r = reply(s);
    if (r === 'network') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    return r;
  }) as typeof globalThis.fetch;
  const tokens = () => ({ accessToken: 'access', refreshToken: 'refresh' });
  const client = new SyncClient({ baseUrl: 'http://server.test', fetch, tokens, onTokens: () => undefined });
  h = createHandlers({ store, sync: offlineSync(), server: { api: () => client, requestSync } });
});
afterEach(() => store.close());

const input = { orderId: PAID_ORDER, amountCents: 500, reason: 'scratched', restock: false };
const attempts = () => store.sqlite.prepare('SELECT count(*) FROM refund_attempts').pluck().get() as number;
const refuse = (promise: Promise<unknown>, code: string, message?: RegExp) =>
  expect(promise).rejects.toMatchObject({ name: 'AppError', code, ...(message ? { message } : {}) });

describe('orders:refund', () => {
  it('refunds online: posts the body with an Idempotency-Key, answers the server order, asks for a sync', async () => {
    reply = await refunded(500);
    await h['orders:note']({ orderId: PAID_ORDER, note: 'Customer called' });
    const outcome = checked('orders:refund', await h['orders:refund']({ ...input, reason: '  scratched ' }));
    expect(sent).toEqual([
      {
        url: `http://server.test/api/v1/admin/orders/${PAID_ORDER}/refunds`,
        key: expect.any(String),
        body: { amountCents: 500, reason: 'scratched', restock: false },
      },
    ]);
    expect(outcome).toMatchObject({ status: 'partially_refunded', refundedCents: 500, refund: { amountCents: 500 } });
    expect(outcome.pendingNotes.map((n) => n.note)).toEqual(['Customer called']);
    expect(requestSync).toHaveBeenCalledTimes(1);
    // Settled: the next identical refund is a new one, with a new key.
    expect(attempts()).toBe(0);
    await h['orders:refund'](input);
    expect(sent[1]!.key).not.toBe(sent[0]!.key);
    // Only the note is in the outbox: a refund is never queued.
    expect(queued(store).map((e) => e.name)).toEqual(['order.note']);
  });

  it('refuses signed out or offline with needs_connection, queueing nothing', async () => {
    const signedOut = createHandlers({ store, sync: offlineSync() });
    await refuse(
      signedOut['orders:refund'](input),
      'needs_connection',
      /^Refunds need a connection to the server: sign in/,
    );
    reply = () => 'network';
    await refuse(
      h['orders:refund'](input),
      'needs_connection',
      /^Refunds need a connection to the server: .*ECONNRESET/,
    );
    expect(queued(store)).toEqual([]);
    expect(requestSync).not.toHaveBeenCalled();
  });

  it('reuses the key of a refund whose answer was lost, so asking again never refunds twice', async () => {
    reply = () => 'network';
    await refuse(h['orders:refund'](input), 'needs_connection', /will not refund twice/);
    // One immediate second try, with the same key.
    expect(sent).toHaveLength(2);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    expect(attempts()).toBe(1);
    reply = await refunded(500);
    await h['orders:refund'](input);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.key).toBe(sent[0]!.key);
    expect(attempts()).toBe(0);
  });

  it('a different refund of the same order gets its own key', async () => {
    reply = () => 'network';
    await refuse(h['orders:refund'](input), 'needs_connection');
    await refuse(h['orders:refund']({ ...input, amountCents: 600 }), 'needs_connection');
    expect(new Set(sent.map((s) => s.key)).size).toBe(2);
  });

  it('forgets a key after a day: the same figures then are a new refund', () => {
    const day1 = new Date('2026-03-01T10:00:00Z');
    const first = refundKey(store, PAID_ORDER, '{"a":1}', day1);
    expect(refundKey(store, PAID_ORDER, '{"a":1}', new Date(day1.getTime() + 60_000))).toBe(first);
    expect(refundKey(store, PAID_ORDER, '{"a":1}', new Date(day1.getTime() + ATTEMPT_TTL_MS + 1))).not.toBe(first);
  });

  it('passes on the server refusal with its code, message and field errors, and frees the key', async () => {
    reply = () =>
      answer(422, {
        code: 'refund_exceeds_paid',
        detail: 'At most $25.00 of order NX-100001 can still be refunded (paid $25.00)',
        errors: [{ path: 'body.amountCents', message: 'must be at most 2500' }],
      });
    const attempt = h['orders:refund']({ ...input, amountCents: 9999 });
    await refuse(attempt, 'refund_exceeds_paid', /At most \$25\.00/);
    expect(await attempt.catch((e: { errors: unknown }) => e.errors)).toEqual([
      { path: 'amountCents', message: 'must be at most 2500' },
    ]);
    expect(attempts()).toBe(0);
    reply = () => problem(409, 'invalid_order_transition', 'An order that is refunded cannot be refunded');
    await refuse(h['orders:refund'](input), 'invalid_order_transition');
  });

  it('keeps the key after a provider failure (502), so the retry retries that refund', async () => {
    reply = () => problem(502, 'payment_provider_error', 'The refund failed at the payment provider');
    await refuse(h['orders:refund'](input), 'payment_provider_error');
    expect(attempts()).toBe(1);
    reply = () => new Response('<html>Bad gateway</html>', { status: 502 });
    await refuse(h['orders:refund'](input), 'needs_connection');
    expect(new Set(sent.map((s) => s.key)).size).toBe(1);
  });

  it('says to sign in again when the session has ended', async () => {
    reply = (s) =>
      s.url.endsWith('/auth/refresh') ? problem(401, 'invalid_token', 'bad') : problem(401, 'unauthorized', 'expired');
    await refuse(h['orders:refund'](input), 'needs_connection', /sign in again/);
    // Still refused after a refresh that worked: the account was signed out on the server.
    reply = (s) =>
      s.url.endsWith('/auth/refresh')
        ? answer(200, { accessToken: 'a2', refreshToken: 'r2' })
        : problem(401, 'invalid_token', 'revoked');
    await refuse(h['orders:refund'](input), 'needs_connection', /sign in again/);
  });

  it('refuses bad input and unknown orders without calling the server', async () => {
    reply = () => 'network';
    await refuse(h['orders:refund']({ ...input, amountCents: '500' }), 'validation_failed');
    await refuse(h['orders:refund']({ ...input, amountCents: -1 }), 'validation_failed');
    await refuse(h['orders:refund']({ ...input, restock: 1 }), 'validation_failed');
    await refuse(h['orders:refund']({ ...input, note: 'x' }), 'validation_failed');
    await refuse(h['orders:refund']({ ...input, orderId: UNKNOWN }), 'not_found');
    expect(sent).toEqual([]);
  });
});

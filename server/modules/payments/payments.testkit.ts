/**
 * Test helpers for payments: a fake Stripe API on loopback that the real SDK talks to, Stripe's
 * own example objects (testdata/stripe, from stripe/openapi fixtures3.json, MIT), signed webhook
 * payloads and a recording PaymentEventHandler.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/sql.js';
import type { PaymentEvent, PaymentEventHandler, PaymentEventResult } from './contract.js';

type Json = Record<string, unknown>;

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'stripe');

/** A fresh copy of one of Stripe's example objects. */
export function stripeFixture(name: 'payment_intent' | 'charge' | 'refund' | 'event'): Json {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Json;
}

export interface FakeStripeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The form-encoded body as sent, key by key (`metadata[orderId]` stays one key). */
  form: Record<string, string>;
}

export interface FakeStripeReply {
  status: number;
  body: Json;
  /** Never answer (to exercise the SDK's timeout). */
  hang?: boolean;
}

export interface FakeStripe {
  port: number;
  requests: FakeStripeRequest[];
  /** Overrides the next answers (first in, first out); otherwise fixtures with the request's values. */
  replies: FakeStripeReply[];
  /** Runs before each answer (e.g. to look at the database while the SDK waits). */
  onRequest: ((req: FakeStripeRequest) => Promise<void>) | undefined;
  env: Record<string, string>;
  close(): Promise<void>;
}

export const FAKE_SECRET_KEY = 'sk_test_fake_0123456789abcdef';
export const FAKE_PUBLISHABLE_KEY = 'pk_test_fake_0123456789abcdef';
export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef0123456789';

let seq = 0;

function defaultReply(req: FakeStripeRequest): FakeStripeReply {
  const n = ++seq;
  if (req.method === 'POST' && req.path === '/v1/payment_intents') {
    const pi = stripeFixture('payment_intent');
    const id = `pi_fake${n}`;
    return {
      status: 200,
      body: {
        ...pi,
        id,
        amount: Number(req.form.amount),
        currency: req.form.currency,
        receipt_email: req.form.receipt_email ?? null,
        metadata: { orderId: req.form['metadata[orderId]'], orderNumber: req.form['metadata[orderNumber]'] },
        client_secret: `${id}_secret_fake${n}`,
        status: 'requires_payment_method',
      },
    };
  }
  if (req.method === 'POST' && req.path === '/v1/refunds') {
    return {
      status: 200,
      body: {
        ...stripeFixture('refund'),
        id: `re_fake${n}`,
        amount: Number(req.form.amount),
        payment_intent: req.form.payment_intent,
        status: 'succeeded',
      },
    };
  }
  return { status: 404, body: { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } } };
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: FakeStripeRequest[] = [];
  const replies: FakeStripeReply[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const recorded: FakeStripeRequest = { method: req.method ?? '', path: url.pathname, headers: req.headers, form };
      requests.push(recorded);
      const reply = replies.shift() ?? defaultReply(recorded);
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      const answer = () => {
        res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Request-Id': `req_fake${requests.length}` });
        res.end(JSON.stringify(reply.body));
      };
      const hook = fake.onRequest;
      if (!hook) return answer();
      hook(recorded).then(answer, (err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeStripe = {
    port,
    requests,
    replies,
    onRequest: undefined,
    env: {
      STRIPE_SECRET_KEY: FAKE_SECRET_KEY,
      STRIPE_PUBLISHABLE_KEY: FAKE_PUBLISHABLE_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

const signer = new Stripe(FAKE_SECRET_KEY);

/** A `Stripe-Signature` header for the payload, made by the SDK's own test helper. */
export function signPayload(payload: string, secret = WEBHOOK_SECRET): string {
  return signer.webhooks.generateTestHeaderString({ payload, secret });
}

let eventSeq = 0;

/** A Stripe event (the fixture's envelope) of `type` carrying `object`. */
export function stripeEvent(type: string, object: Json, id = `evt_test_${Date.now()}_${++eventSeq}`): Json {
  return { ...stripeFixture('event'), id, type, data: { object } };
}

/** A PaymentIntent (the fixture) with the given fields set. */
export function paymentIntent(fields: { id: string; amount: number; currency?: string; orderId?: string } & Json) {
  const { orderId, ...rest } = fields;
  return {
    ...stripeFixture('payment_intent'),
    currency: 'usd',
    amount_received: fields.amount,
    status: 'succeeded',
    metadata: orderId === undefined ? {} : { orderId, orderNumber: 'N-1' },
    ...rest,
  };
}

/** A Charge (the fixture) of a payment intent, refunded by `amountRefunded` in total. */
export function refundedCharge(fields: { paymentIntent: string; amountRefunded: number; orderId?: string } & Json) {
  const { paymentIntent: pi, amountRefunded, orderId, ...rest } = fields;
  return {
    ...stripeFixture('charge'),
    payment_intent: pi,
    amount_refunded: amountRefunded,
    refunded: true,
    currency: 'usd',
    metadata: orderId === undefined ? {} : { orderId },
    ...rest,
  };
}

export interface RecordingHandler {
  handler: PaymentEventHandler;
  /** Every event the handler saw, in order (also those whose transaction rolled back). */
  seen: PaymentEvent[];
  /** What the handler answers; defaults to `applied`. */
  answer: (event: PaymentEvent) => PaymentEventResult;
  /** Throw from the next n calls (after the in-transaction write, so it must roll back). */
  failNext: number;
  /** How many handler calls committed, per event id: counted by a row written inside the event's transaction. */
  appliedCount(eventId: string): Promise<number>;
}

/**
 * A fake orders handler that writes a row into a scratch table inside the event's transaction,
 * so the count of rows proves what committed.
 */
export async function recordingHandler(db: Db): Promise<RecordingHandler> {
  await db.execute(sql`create table if not exists test_handler_applications (event_id text not null)`);
  const state: RecordingHandler = {
    seen: [],
    failNext: 0,
    answer: () => ({ outcome: 'applied' }),
    handler: async (tx, event) => {
      state.seen.push(event);
      await tx.execute(sql`insert into test_handler_applications (event_id) values (${event.id})`);
      if (state.failNext > 0) {
        state.failNext--;
        throw new Error('simulated handler failure');
      }
      return state.answer(event);
    },
    async appliedCount(eventId) {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from test_handler_applications where event_id = ${eventId}`,
      );
      return rows[0]?.n ?? 0;
    },
  };
  return state;
}

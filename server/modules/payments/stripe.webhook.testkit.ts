/**
 * The Stripe webhook tests' shared setup: an app whose Stripe client talks to a fake Stripe on
 * loopback, a recording orders handler, the warn-level log lines, and ways to deliver signed bodies.
 * Call `webhookHarness()` at the top of a test file; it registers its own hooks.
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { STRIPE_WEBHOOK_PATH } from '../../../shared/api/payments.schemas.js';
import { queryRows } from '../../db/sql.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import {
  recordingHandler,
  signPayload,
  startFakeStripe,
  type FakeStripe,
  type RecordingHandler,
} from './payments.testkit.js';

export const ORDER_ID = '0190a4c8-0000-7000-8000-0000000000aa';

export type Json = Record<string, unknown>;

export function webhookHarness() {
  let fake: FakeStripe;
  let app: TestApp;
  let recorder: RecordingHandler;
  const logLines: string[] = [];

  beforeAll(async () => {
    fake = await startFakeStripe();
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    app = await createTestApp({ env: fake.env, logger });
    recorder = await recordingHandler(app.nexus.ctx.db);
    app.nexus.ctx.payments.setHandler(recorder.handler);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });
  beforeEach(() => {
    recorder.seen.length = 0;
    recorder.failNext = 0;
    recorder.answer = () => ({ outcome: 'applied' });
    fake.requests.length = 0;
    fake.replies.length = 0;
    fake.onRequest = undefined;
    logLines.length = 0;
  });

  /** `signature: null` sends no Stripe-Signature header. */
  function deliver(body: string, signature: string | null = signPayload(body)) {
    const req = app.request.post(STRIPE_WEBHOOK_PATH).set('Content-Type', 'application/json; charset=utf-8');
    if (signature !== null) req.set('Stripe-Signature', signature);
    return req.send(body);
  }

  let n = 0;
  async function eventRow(id: string) {
    const rows = await queryRows<{
      id: string;
      provider: string;
      type: string;
      order_id: string | null;
      payment_id: string | null;
      outcome: string;
      refund_status: string | null;
      refund_id: string | null;
      refund_error: string | null;
    }>(app.nexus.ctx.db, sql`select * from payment_events where id = ${id}`);
    return rows[0];
  }

  return {
    get fake() {
      return fake;
    },
    get app() {
      return app;
    },
    get recorder() {
      return recorder;
    },
    logLines,
    deliver,
    deliverEvent: (event: Json) => deliver(JSON.stringify(event)),
    piId: () => `pi_webhook_${++n}`,
    eventRow,
  };
}

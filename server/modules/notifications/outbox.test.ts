import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { notifications } from '../../db/schema/index.js';
import { memoryTransport, TEST_DB } from '../../test/harness.js';
import { enqueueEmail } from './outbox.js';
import { FROM, rowValues, sleep, useOutbox, welcome } from './outbox.testkit.js';

const kit = useOutbox();
const { newWorker, enqueue, allRows, onlyRow } = kit;

describe(`enqueueEmail (${TEST_DB})`, () => {
  it('writes nothing when the surrounding transaction rolls back, and a row when it commits', async () => {
    await expect(
      kit.db.transaction(async (tx) => {
        await enqueueEmail(tx, welcome('rollback'));
        throw new Error('business change failed');
      }),
    ).rejects.toThrow('business change failed');
    expect(await allRows()).toHaveLength(0);

    await kit.db.transaction((tx) => enqueueEmail(tx, welcome('commit')));
    const row = await onlyRow();
    expect(row).toMatchObject({
      idempotencyKey: 'welcome:commit',
      template: 'welcome',
      toAddress: 'usercommit@example.com',
      payload: { name: 'User commit', shopUrl: 'https://shop.example.com' },
      status: 'pending',
      attempts: 0,
      sentAt: null,
      lastError: null,
    });
  });

  it('keeps one row per idempotency key (the first one)', async () => {
    await enqueueEmail(kit.db, welcome('same', 'first@example.com'));
    await enqueueEmail(kit.db, welcome('same', 'second@example.com'));
    expect((await onlyRow()).toAddress).toBe('first@example.com');
    await enqueue('other');
    expect(await allRows()).toHaveLength(2);
  });
});

describe(`OutboxWorker (${TEST_DB})`, () => {
  it('sends due rows through the transport and marks them sent', async () => {
    await enqueue(1);
    await enqueueEmail(kit.db, {
      key: 'reset:1',
      template: 'password-reset',
      to: 'reset@example.com',
      data: { name: 'R', resetUrl: 'https://shop/reset?token=secret', expiresInMinutes: 60 },
    });
    const transport = memoryTransport();
    const worker = newWorker(transport);
    expect(await worker.runOnce()).toBe(2);

    const rows = await allRows();
    expect(transport.sent.map((m) => m.id).sort()).toEqual(rows.map((r) => r.id).sort());
    const welcomeMail = transport.sent.find((m) => m.to === 'user1@example.com')!;
    // Both rows may share a created_at millisecond: find the welcome row by its key, not its position.
    const welcomeRow = rows.find((r) => r.idempotencyKey !== 'reset:1')!;
    expect(welcomeMail).toMatchObject({ id: welcomeRow.id, from: FROM, subject: 'Welcome to Nexus Store' });
    expect(welcomeMail.text).toContain('Hello User 1,');
    expect(welcomeMail.html).toContain('Hello User 1,');
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'sent', attempts: 1, lockedUntil: null, lastError: null });
      expect(row.sentAt).toBeInstanceOf(Date);
      expect(Math.abs(row.sentAt!.getTime() - Date.now())).toBeLessThan(10_000);
    }
    // The one-time link does not stay in the outbox once sent.
    expect(rows.find((r) => r.idempotencyKey === 'reset:1')!.payload).toEqual({
      name: 'R',
      resetUrl: '[scrubbed after send]',
      expiresInMinutes: 60,
    });

    expect(await worker.runOnce()).toBe(0);
    expect(transport.sent).toHaveLength(2);
  });

  it('skips rows not yet due and rows leased by another sender', async () => {
    await kit.db.insert(notifications).values([
      { ...rowValues('future'), nextAttemptAt: sql`now() + interval '1 hour'` },
      { ...rowValues('leased'), status: 'sending', attempts: 1, lockedUntil: sql`now() + interval '1 hour'` },
      { ...rowValues('done'), status: 'sent', sentAt: sql`now()` },
      { ...rowValues('dead'), status: 'failed', attempts: 3 },
    ]);
    const transport = memoryTransport();
    expect(await newWorker(transport).runOnce()).toBe(0);
    expect(transport.sent).toHaveLength(0);
  });

  it('puts a failed send back to pending with backoff, then retries it once due', async () => {
    await enqueue(1);
    const transport = memoryTransport();
    transport.failNext = 1;
    const worker = newWorker(transport, { backoff: { baseMs: 400, maxMs: 400 } });
    const before = Date.now();
    expect(await worker.runOnce()).toBe(1);

    const failed = await onlyRow();
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'simulated SMTP failure',
      lockedUntil: null,
    });
    expect(failed.sentAt).toBeNull();
    // First attempt: delay within [baseMs/2, baseMs] = [200, 400] ms from now.
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 150);
    expect(failed.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 450);
    expect(await worker.runOnce()).toBe(0); // not due yet
    expect(transport.sent).toHaveLength(0);

    await vi.waitFor(async () => expect(await worker.runOnce()).toBe(1), { timeout: 3000, interval: 50 });
    expect(await onlyRow()).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(transport.sent).toHaveLength(1);
  });

  it('gives up after maxAttempts failures and never retries a failed row', async () => {
    await enqueue(1);
    const transport = memoryTransport();
    transport.failNext = 100;
    const worker = newWorker(transport, { maxAttempts: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await vi.waitFor(async () => expect(await worker.runOnce()).toBe(1), { timeout: 2000, interval: 20 });
      const row = await onlyRow();
      expect(row.attempts).toBe(attempt);
      expect(row.status).toBe(attempt < 3 ? 'pending' : 'failed');
      expect(row.lastError).toBe('simulated SMTP failure');
    }
    expect(transport.failNext).toBe(97);
    await sleep(150); // longer than maxMs: it would be due if it were pending
    expect(await worker.runOnce()).toBe(0);
    expect(await onlyRow()).toMatchObject({ status: 'failed', attempts: 3 });
    expect(transport.failNext).toBe(97);
    expect(transport.sent).toHaveLength(0);
  });

  it('fails an unknown template or a bad payload at once, without calling the transport', async () => {
    await kit.db.insert(notifications).values([
      { ...rowValues('unknown'), template: 'no-such-template' },
      { ...rowValues('bad'), payload: { name: 42 } },
    ]);
    const transport = memoryTransport();
    const send = vi.spyOn(transport, 'send');
    expect(await newWorker(transport, { maxAttempts: 5 }).runOnce()).toBe(2);
    expect(send).not.toHaveBeenCalled();
    const rows = await allRows();
    const unknown = rows.find((r) => r.idempotencyKey === 'test:unknown');
    const bad = rows.find((r) => r.idempotencyKey === 'test:bad');
    expect(unknown).toMatchObject({ status: 'failed', attempts: 1 });
    expect(unknown!.lastError).toMatch(/unknown e-mail template "no-such-template"/);
    expect(bad).toMatchObject({ status: 'failed', attempts: 1 });
    expect(bad!.lastError).toMatch(/bad payload for "welcome"/);
  });

  it('claims again a row whose lease expired while sending (a crashed sender)', async () => {
    await kit.db.insert(notifications).values({
      ...rowValues('crashed'),
      status: 'sending',
      attempts: 1,
      lockedUntil: sql`now() - interval '1 second'`,
    });
    const transport = memoryTransport();
    expect(await newWorker(transport).runOnce()).toBe(1);
    expect(transport.sent.map((m) => m.to)).toEqual(['crashed@example.com']);
    expect(await onlyRow()).toMatchObject({ status: 'sent', attempts: 2, lockedUntil: null });
  });

  it('handles the oldest due rows first, one batch at a time', async () => {
    for (const n of [1, 2, 3]) {
      await kit.db
        .insert(notifications)
        .values({ ...rowValues(`o${n}`), nextAttemptAt: sql`now() - make_interval(mins => ${10 - n})` });
    }
    const transport = memoryTransport();
    const worker = newWorker(transport, { batchSize: 2 });
    // The batch is chosen by due time; order inside a batch is not promised (UPDATE … RETURNING).
    expect(await worker.runOnce()).toBe(2);
    expect(transport.sent.map((m) => m.to).sort()).toEqual(['o1@example.com', 'o2@example.com']);
    expect(await worker.runOnce()).toBe(1);
    expect(transport.sent[2]!.to).toBe('o3@example.com');
  });
});

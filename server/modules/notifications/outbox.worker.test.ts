import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { notifications } from '../../db/schema/index.js';
import { memoryTransport, TEST_DB } from '../../test/harness.js';
import type { MailMessage, MailTransport } from './transport.js';
import type { OutboxWorker } from './outbox.worker.js';
import { deferred, rowValues, sleep, useOutbox } from './outbox.testkit.js';

const kit = useOutbox();
const { newWorker, enqueue, allRows, onlyRow } = kit;

describe(`OutboxWorker running (${TEST_DB})`, () => {
  it('delivers each row exactly once with two workers racing on the same rows', async () => {
    for (let n = 0; n < 30; n += 10) {
      await kit.db.insert(notifications).values(Array.from({ length: 10 }, (_, i) => rowValues(`race${n + i}`)));
    }
    const sent: MailMessage[] = [];
    const slowTransport = (): MailTransport => ({
      description: 'slow',
      async send(m) {
        await sleep(2);
        sent.push(m);
      },
      close() {},
    });
    const handled = [0, 0];
    const drain = async (worker: OutboxWorker, i: number) => {
      for (let n; (n = await worker.runOnce()) > 0;) handled[i]! += n;
    };
    await Promise.all(
      [newWorker(slowTransport(), { batchSize: 5 }), newWorker(slowTransport(), { batchSize: 5 })].map(drain),
    );

    expect(sent).toHaveLength(30);
    expect(new Set(sent.map((m) => m.id)).size).toBe(30);
    expect(handled[0]! + handled[1]!).toBe(30);
    expect(handled[0]).toBeGreaterThan(0); // both really took part
    expect(handled[1]).toBeGreaterThan(0);
    const rows = await allRows();
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it.skipIf(TEST_DB !== 'postgres')(
    'skips rows locked by another transaction instead of waiting (SKIP LOCKED)',
    async () => {
      await enqueue('locked');
      await enqueue('free');
      const transport = memoryTransport();
      const worker = newWorker(transport);
      const release = deferred();
      const locked = deferred();
      const holder = kit.db.transaction(async (tx) => {
        await tx.select().from(notifications).where(eq(notifications.idempotencyKey, 'welcome:locked')).for('update');
        locked.resolve();
        await release.promise;
      });
      await locked.promise;
      try {
        const result = await Promise.race([worker.runOnce(), new Promise((r) => setTimeout(() => r('blocked'), 3000))]);
        expect(result).toBe(1);
        expect(transport.sent.map((m) => m.to)).toEqual(['userfree@example.com']);
      } finally {
        release.resolve();
        await holder;
      }
      expect(await worker.runOnce()).toBe(1);
      expect(transport.sent.map((m) => m.to)).toEqual(['userfree@example.com', 'userlocked@example.com']);
    },
  );

  it('stop() waits for the batch in flight and records its result', async () => {
    await enqueue(1);
    const entered = deferred();
    const release = deferred();
    const transport: MailTransport = {
      description: 'blocking',
      async send() {
        entered.resolve();
        await release.promise;
      },
      close() {},
    };
    const worker = newWorker(transport);
    worker.start();
    await entered.promise;
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await sleep(150);
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    expect(await onlyRow()).toMatchObject({ status: 'sent', attempts: 1 });

    // Stopped means stopped: a poke does not start it again.
    await enqueue(2);
    worker.poke();
    await sleep(200);
    expect((await allRows()).map((r) => r.status)).toEqual(['sent', 'pending']);
  });

  it('poke() after start sends promptly instead of waiting for the next poll', async () => {
    const transport = memoryTransport();
    const worker = newWorker(transport, { pollMs: 60_000 });
    const runOnce = vi.spyOn(worker, 'runOnce');
    worker.start();
    await vi.waitFor(() => expect(runOnce).toHaveBeenCalledTimes(1));
    expect(await runOnce.mock.results[0]!.value).toBe(0); // the first, empty run is over

    await enqueue(1);
    await sleep(300);
    expect(transport.sent).toHaveLength(0); // the poll alone would take a minute
    worker.poke();
    await vi.waitFor(() => expect(transport.sent.map((m) => m.to)).toEqual(['user1@example.com']), { timeout: 2000 });
  });

  it('a poke during a run causes another run right after it', async () => {
    await enqueue(1);
    const entered = deferred();
    const release = deferred();
    const sent: string[] = [];
    const transport: MailTransport = {
      description: 'blocking once',
      async send(m) {
        entered.resolve();
        await release.promise;
        sent.push(m.to);
      },
      close() {},
    };
    const worker = newWorker(transport, { pollMs: 60_000 });
    worker.start();
    await entered.promise;
    await enqueue(2);
    worker.poke();
    release.resolve();
    await vi.waitFor(() => expect(sent).toEqual(['user1@example.com', 'user2@example.com']), { timeout: 2000 });
  });
});

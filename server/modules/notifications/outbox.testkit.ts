/** Shared set-up for the outbox tests: one database per file, workers stopped after each test. */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { notifications } from '../../db/schema/index.js';
import { createLogger } from '../../logger.js';
import { createTestDatabase, type TestDatabase } from '../../test/harness.js';
import { enqueueEmail } from './outbox.js';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox.worker.js';
import type { MailTransport } from './transport.js';

export const FROM = 'Nexus <no-reply@nexus.local>';

export function useOutbox() {
  let database: TestDatabase | undefined;
  const workers: OutboxWorker[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.destroy());
  beforeEach(async () => {
    await kit.db.delete(notifications);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  const kit = {
    get db() {
      if (!database) throw new Error('database not ready');
      return database.db;
    },
    newWorker: (transport: MailTransport, options: Partial<OutboxWorkerOptions> = {}) => {
      const worker = new OutboxWorker({
        db: kit.db,
        transport,
        from: FROM,
        logger: createLogger('silent'),
        pollMs: 60_000,
        maxAttempts: 3,
        backoff: { baseMs: 10, maxMs: 50 },
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    enqueue: (n: number | string) => enqueueEmail(kit.db, welcome(n)),
    allRows: () => kit.db.select().from(notifications).orderBy(notifications.createdAt, notifications.idempotencyKey),
    onlyRow: async () => {
      const rows = await kit.allRows();
      expect(rows).toHaveLength(1);
      return rows[0]!;
    },
  };
  return kit;
}

export const welcome = (n: number | string, to = `user${n}@example.com`) => ({
  key: `welcome:${n}`,
  template: 'welcome' as const,
  to,
  data: { name: `User ${n}`, shopUrl: 'https://shop.example.com' },
});

/** Values for a raw insert, to build rows in states enqueueEmail cannot make. */
export const rowValues = (name: string) => ({
  idempotencyKey: `test:${name}`,
  template: 'welcome',
  toAddress: `${name}@example.com`,
  payload: { name, shopUrl: 'https://shop.example.com' },
});

export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

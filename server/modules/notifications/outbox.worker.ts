import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { notifications } from '../../db/schema/index.js';
import { renderTemplate, scrubPayload, type Shop, TemplateError } from './templates.js';
import type { MailTransport } from './transport.js';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export interface OutboxWorkerOptions {
  db: Db;
  transport: MailTransport;
  from: string;
  /** The shop's name the e-mails speak for (config SHOP_NAME); the templates' default otherwise. */
  shopName?: string;
  logger: Logger;
  pollMs: number;
  maxAttempts: number;
  batchSize?: number;
  /** How long a claimed row stays ours; a crashed sender's rows are picked up again after it. */
  leaseMs?: number;
  backoff?: BackoffOptions;
}

/**
 * Sends the e-mail outbox. Safe on any number of instances: a short transaction claims due rows
 * with FOR UPDATE SKIP LOCKED and leases them, the send happens outside any transaction (so a
 * slow SMTP server never holds a database connection or lock), and the result is recorded after.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wakeRequested = false;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffOptions;
  /** Who the e-mails speak for; undefined: the templates' default. */
  private readonly shop: Shop | undefined;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.backoff = options.backoff ?? { baseMs: 30_000, maxMs: 3_600_000 };
    this.shop = options.shopName === undefined ? undefined : { name: options.shopName };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks for a run now (after a commit that enqueued mail) instead of at the next poll. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in flight, so shutdown never cuts a send in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.loop().finally(() => {
        this.running = undefined;
      });
    }, delay);
  }

  private async loop(): Promise<void> {
    try {
      // Drain while full batches keep coming, then sleep until the next poll or poke.
      while (!this.stopped && (await this.runOnce()) === this.batchSize);
    } catch (err) {
      this.options.logger.error({ err }, 'outbox: run failed; will retry at next poll');
    }
    const again = this.wakeRequested;
    this.wakeRequested = false;
    this.schedule(again ? 0 : this.options.pollMs);
  }

  /** Claims and processes one batch; returns how many rows it handled. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    for (const row of claimed) await this.deliver(row);
    return claimed.length;
  }

  private async claim(): Promise<(typeof notifications.$inferSelect)[]> {
    const { db } = this.options;
    const due = db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        or(
          and(eq(notifications.status, 'pending'), lte(notifications.nextAttemptAt, sql`now()`)),
          and(eq(notifications.status, 'sending'), lte(notifications.lockedUntil, sql`now()`)),
        ),
      )
      .orderBy(asc(notifications.nextAttemptAt))
      .limit(this.batchSize)
      .for('update', { skipLocked: true });
    const claimed = await db
      .update(notifications)
      .set({
        status: 'sending',
        attempts: sql`${notifications.attempts} + 1`,
        lockedUntil: sql`now() + make_interval(secs => ${this.leaseMs / 1000})`,
      })
      .where(inArray(notifications.id, due))
      .returning();
    // RETURNING does not keep the sub-select's order; send oldest first (ids are time-ordered).
    return claimed.sort(
      (a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }

  private async deliver(row: typeof notifications.$inferSelect): Promise<void> {
    const { db, transport, logger, from, maxAttempts } = this.options;
    const log = logger.child({ notificationId: row.id, template: row.template });
    try {
      const rendered = renderTemplate(row.template, row.payload, this.shop);
      await transport.send({ id: row.id, from, to: row.toAddress, ...rendered });
    } catch (err) {
      const permanent = err instanceof TemplateError || row.attempts >= maxAttempts;
      const message = err instanceof Error ? err.message : String(err);
      const delayMs = backoffDelay(row.attempts, this.backoff);
      await db
        .update(notifications)
        .set({
          status: permanent ? 'failed' : 'pending',
          lastError: message.slice(0, 1000),
          lockedUntil: null,
          nextAttemptAt: permanent
            ? notifications.nextAttemptAt
            : sql`now() + make_interval(secs => ${delayMs / 1000})`,
        })
        .where(eq(notifications.id, row.id));
      if (permanent) log.error({ err, attempts: row.attempts }, 'outbox: e-mail failed for good');
      else log.warn({ attempts: row.attempts, retryInMs: delayMs, error: message }, 'outbox: send failed; will retry');
      return;
    }
    await db
      .update(notifications)
      .set({
        status: 'sent',
        sentAt: sql`now()`,
        lockedUntil: null,
        lastError: null,
        payload: scrubPayload(row.template, row.payload),
      })
      .where(eq(notifications.id, row.id));
    log.info({ via: transport.description }, 'outbox: e-mail sent');
  }
}

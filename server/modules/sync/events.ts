/**
 * Live pokes (SYNC.md rule 9). Any write to sync_log fires a statement trigger doing
 * pg_notify('nexus_sync', '') (migration sync_log): delivered at commit, once per transaction,
 * to every instance. Each instance holds one LISTEN connection (a client taken out of the pool,
 * only while some device is connected; re-established after an error, with a poke then, since
 * changes may have been missed meanwhile); on PGlite the embedded database's own listen.
 *
 * A stream (GET /api/v1/sync/events) sends `event: poke` when new changes may exist, at most one
 * per POKE_GAP_MS, and a comment every HEARTBEAT_MS so proxies keep it open. It carries no data:
 * the device pulls. Auth is the Bearer header only (the host streams with fetch; no token in the
 * URL, where it would end up in logs and histories). A stream ends when the client goes, when
 * the HTTP server stops listening (shutdown), or when close() is called.
 */
import type { Request, Response } from 'express';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../../db/client.js';

export const CHANNEL = 'nexus_sync';
export const POKE_GAP_MS = 100;
export const HEARTBEAT_MS = 20_000;
const RECONNECT_MS = 1_000;
const SHUTDOWN_CHECK_MS = 500;

export class SyncEvents {
  private readonly listeners = new Set<() => void>();
  private readonly streams = new Set<() => void>();
  private source: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    this.ensureSource();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.wake?.();
    };
  }

  private ensureSource(): void {
    this.source ??= this.run().finally(() => {
      this.source = undefined;
      // Someone subscribed while the last listener was being torn down.
      if (this.listeners.size > 0) this.ensureSource();
    });
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** Listens while anyone is subscribed; on Postgres reconnects after errors. */
  private async run(): Promise<void> {
    if (this.database.kind === 'pglite') {
      const client = (this.database.db as unknown as { $client: PGlite }).$client;
      const unlisten = await client.listen(CHANNEL, () => this.emit());
      await new Promise<void>((resolve) => (this.wake = resolve));
      await unlisten().catch(() => undefined);
      return;
    }
    const pool = this.database.pool!;
    let reconnect = false;
    while (this.listeners.size > 0) {
      let client: pg.PoolClient | undefined;
      let failure: Error | undefined;
      try {
        client = await pool.connect();
        const ended = new Promise<void>((resolve) => {
          this.wake = resolve;
          client!.once('error', (err: Error) => {
            failure = err;
            resolve();
          });
          client!.once('end', () => resolve());
        });
        client.on('notification', (n) => {
          if (n.channel === CHANNEL) this.emit();
        });
        await client.query(`LISTEN ${CHANNEL}`);
        if (reconnect) this.emit();
        if (this.listeners.size > 0) await ended;
      } catch (err) {
        failure = err as Error;
      } finally {
        // A connection that was listening never goes back to the pool.
        client?.release(true);
      }
      if (failure) {
        this.logger.warn({ err: failure }, 'sync LISTEN connection lost; reconnecting');
        await new Promise((r) => setTimeout(r, RECONNECT_MS));
      }
      reconnect = true;
    }
  }

  /** Serves one event stream until the client leaves or the server stops. */
  stream(req: Request, res: Response): Promise<void> {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connected\n\n');
    let lastPoke = 0;
    let pending: NodeJS.Timeout | undefined;
    const poke = () => {
      if (pending) return;
      pending = setTimeout(
        () => {
          pending = undefined;
          lastPoke = Date.now();
          res.write('event: poke\ndata: {}\n\n');
        },
        Math.max(0, lastPoke + POKE_GAP_MS - Date.now()),
      );
    };
    const unsubscribe = this.subscribe(poke);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const server = (req.socket as { server?: { listening?: boolean } }).server;
    const watchdog = setInterval(() => {
      if (server && server.listening === false) end();
    }, SHUTDOWN_CHECK_MS);
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const end = () => {
      clearTimeout(pending);
      clearInterval(heartbeat);
      clearInterval(watchdog);
      unsubscribe();
      this.streams.delete(end);
      if (!res.writableEnded) res.end();
      done();
    };
    this.streams.add(end);
    req.once('close', end);
    return finished;
  }

  /** Ends every open stream (and with the last one, the LISTEN connection). */
  async close(): Promise<void> {
    for (const end of [...this.streams]) end();
    await this.source;
  }
}

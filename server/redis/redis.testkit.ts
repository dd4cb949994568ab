/**
 * Helpers for tests against the real Redis (127.0.0.1:6379, or TEST_REDIS_URL): each test file
 * works under its own key prefix and removes its keys afterwards, so runs can share one Redis.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createClient } from 'redis';
import { tcpAnswers } from '../../scripts/lib/tcp.js';
import type { TestApp } from '../test/harness.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers; otherwise prints the one line saying why this file's Redis tests are skipped. */
export async function redisAvailable(file: string): Promise<boolean> {
  const { hostname, port } = new URL(TEST_REDIS_URL);
  const up = await tcpAnswers(TEST_REDIS_URL, 6379);
  if (!up) console.warn(`${file}: Redis tests skipped, nothing answers at ${hostname}:${port || 6379}`);
  return up;
}

export const uniquePrefix = () => `nexus-test:${process.pid}:${randomBytes(4).toString('hex')}:`;

/** A plain client for looking at what the app stored, under one prefix. */
export async function inspector(prefix: string) {
  const client = createClient({ url: TEST_REDIS_URL });
  await client.connect();
  const keys = async () => {
    const found: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) found.push(...batch);
    return found.sort();
  };
  return {
    client,
    keys,
    /** Resolves once `key` exists: the app writes cached answers in the background. */
    async waitForKey(key: string, attempts = 200): Promise<void> {
      for (let i = 0; i < attempts; i++) {
        if ((await client.exists(key)) === 1) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`${key} never appeared in Redis`);
    },
    /** Deletes every key under the prefix and disconnects. */
    async cleanUp(): Promise<void> {
      const all = await keys();
      if (all.length > 0) await client.del(all);
      await client.close();
    },
  };
}

/** Waits for an app's Redis link, failing the test if it does not come up. */
export async function redisReady(app: TestApp): Promise<void> {
  if (!(await app.nexus.ctx.redis?.whenReady(10_000))) throw new Error('the app never connected to Redis');
}

/**
 * A TCP relay in front of Redis that a test can cut (every connection dropped, the port closed)
 * and restore on the same port: Redis going away mid-run without touching the shared server.
 */
export async function redisRelay() {
  const { hostname, port } = new URL(TEST_REDIS_URL);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: hostname, port: Number(port || 6379) });
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const relayPort = (server.address() as net.AddressInfo).port;
  return {
    url: `redis://127.0.0.1:${relayPort}`,
    async cut(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: () => listen(relayPort),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

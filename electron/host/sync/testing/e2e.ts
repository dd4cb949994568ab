/**
 * End-to-end sync fixtures: a real server instance listening on loopback (the same app the product
 * runs, on the suite's database: PGlite or Postgres) and back-office hosts, each with its own SQLite
 * file and sync engine talking real HTTP to it (optionally through a fault proxy).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { parseMutation } from '../../../../shared/sync/mutations.js';
import { SYNCED_TABLES, type Change } from '../../../../shared/sync/protocol.js';
import { checkoutKit } from '../../../../server/modules/checkout/checkout.testkit.js';
import { syncKit } from '../../../../server/modules/sync/sync.testkit.js';
import { createTestApp, userWithRole, type TestApp } from '../../../../server/test/harness.js';
import { enqueueMutation, type OutboxEntry } from '../../db/outbox.js';
import { openStore, type Store } from '../../db/store.js';
import { NEVER_STORED } from '../../db/synced-tables.js';
import { createSyncEngine, type EngineOptions, type SyncEngine } from '../engine.js';
import { applyLocal, rebasePending } from '../local.js';
import type { SyncStatus } from '../status.js';

export type SyncServer = Awaited<ReturnType<typeof startSyncServer>>;

export async function startSyncServer(app?: TestApp) {
  const owned = !app;
  app ??= await createTestApp();
  const server = http.createServer(app.nexus.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const staff = await userWithRole(app, 'staff');
  const catalog = await checkoutKit(app);
  const sync = await syncKit(app);
  return {
    app,
    url,
    staff,
    catalog,
    sync,
    /** Everything a brand-new device would download now: the truth replicas must equal. */
    async truth(): Promise<Map<string, Change>> {
      const device = await sync.device();
      const { changes } = await sync.pullAll(device);
      return new Map(changes.filter((c) => c.op === 'upsert').map((c) => [`${c.table}:${c.id}`, c]));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (owned) await app.close();
    },
  };
}

export interface TestHost {
  name: string;
  store: Store;
  engine: SyncEngine;
  file: string;
  /** An offline-capable edit: the local write and its outbox entry in one transaction. */
  mutate(name: string, args: unknown, baseVersion?: number, now?: Date): OutboxEntry;
  /** One sync pass; answers its status (lastError is null when it succeeded). */
  sync(): Promise<SyncStatus>;
  /** Syncs until a pass succeeds with nothing pending (or fails the test after `tries`). */
  settle(tries?: number): Promise<SyncStatus>;
  /** Syncs until `check` holds (what the server committed may reach pulls a little later on Postgres). */
  until(check: () => boolean, tries?: number): Promise<void>;
  row(table: string, id: string): Record<string, unknown> | undefined;
  version(table: string, id: string): number | undefined;
  /** A variant's stock as the back-office shows it (summed from its levels, local edits included). */
  stock(variantId: string): { onHand: number; reserved: number } | undefined;
  close(options?: { keepFile?: boolean }): Promise<void>;
}

export async function startHost(
  server: SyncServer,
  options: { name?: string; url?: string; file?: string; engine?: Partial<EngineOptions> } = {},
): Promise<TestHost> {
  const dir = options.file ? null : mkdtempSync(path.join(tmpdir(), 'nexus-host-'));
  const file = options.file ?? path.join(dir!, 'backoffice.db');
  const store = openStore(file);
  const engine = createSyncEngine({
    store,
    rebase: rebasePending,
    liveEvents: false,
    requestTimeoutMs: 5000,
    backoff: { baseMs: 10, maxMs: 100, minMs: 5 },
    deviceName: options.name ?? 'test host',
    ...options.engine,
  });
  if (!engine.session())
    await engine.login({
      serverUrl: options.url ?? server.url,
      email: server.staff.user.email,
      password: server.staff.password,
    });
  await engine.syncNow();
  const host: TestHost = {
    name: options.name ?? 'host',
    store,
    engine,
    file,
    mutate(name, args, baseVersion, now) {
      const parsed = parseMutation(name, args);
      if (!parsed.ok) throw new Error(parsed.message);
      return enqueueMutation(
        store,
        { name, args, ...(baseVersion === undefined ? {} : { baseVersion }) },
        (s) => applyLocal(s, parsed.mutation),
        now ? { now } : {},
      );
    },
    sync: () => engine.syncNow(),
    async settle(tries = 100) {
      // Until the queue is empty and every applied mutation was seen in a pull (on a busy Postgres the
      // pull horizon can trail a push by the length of other transactions).
      const outbox = () => store.sqlite.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
      let status = await engine.syncNow();
      for (let i = 0; i < tries && (status.lastError !== null || outbox() > 0); i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = await engine.syncNow();
      }
      expect(status.lastError, `${host.name} could not sync`).toBeNull();
      expect(outbox(), `${host.name} outbox`).toBe(0);
      return status;
    },
    async until(check, tries = 200) {
      for (let i = 0; i < tries && !check(); i++) {
        await engine.syncNow();
        if (!check()) await new Promise((r) => setTimeout(r, 25));
      }
      expect(check(), `${host.name}: never synced to the expected state`).toBe(true);
    },
    row(table, id) {
      const data = store.sqlite.prepare(`SELECT data FROM ${table} WHERE id = ?`).pluck().get(id) as string | undefined;
      return data === undefined ? undefined : (JSON.parse(data) as Record<string, unknown>);
    },
    version(table, id) {
      return store.sqlite.prepare(`SELECT version FROM ${table} WHERE id = ?`).pluck().get(id) as number | undefined;
    },
    stock(variantId) {
      return store.sqlite.prepare('SELECT on_hand AS onHand, reserved FROM variants WHERE id = ?').get(variantId) as
        { onHand: number; reserved: number } | undefined;
    },
    async close({ keepFile = false } = {}) {
      await engine.stop();
      store.close();
      if (dir && !keepFile) rmSync(dir, { recursive: true, force: true });
    },
  };
  return host;
}

/** Every synced row of a host as `table:id` → {version, row}. */
export function replicaOf(store: Store): Map<string, { version: number; row: unknown }> {
  const out = new Map<string, { version: number; row: unknown }>();
  for (const table of SYNCED_TABLES) {
    const rows = store.sqlite.prepare(`SELECT id, version, data FROM ${table}`).all() as {
      id: string;
      version: number;
      data: string;
    }[];
    for (const r of rows) out.set(`${table}:${r.id}`, { version: r.version, row: JSON.parse(r.data) });
  }
  return out;
}

/**
 * Asserts that hosts hold exactly what a fresh download would hold. Hosts sync again (a few times,
 * briefly) while they differ: on a busy Postgres the pull horizon can trail the last commit.
 */
export async function expectConverged(server: SyncServer, ...hosts: TestHost[]): Promise<void> {
  let truth = await server.truth();
  for (let attempt = 0; attempt < 40 && !hosts.every((h) => sameAs(truth, h)); attempt++) {
    for (const h of hosts) await h.settle();
    await new Promise((r) => setTimeout(r, 50));
    truth = await server.truth();
  }
  compare(truth, hosts);
}

function sameAs(truth: Map<string, Change>, host: TestHost): boolean {
  const replica = replicaOf(host.store);
  if (replica.size !== truth.size) return false;
  for (const [key, c] of truth) if (!isDeepStrictEqual(replica.get(key), expectedOf(c))) return false;
  return true;
}

function expectedOf(c: Change) {
  const row = Object.fromEntries(Object.entries(c.row ?? {}).filter(([key]) => !NEVER_STORED.has(key)));
  return { version: c.version, row: { ...row, id: c.id, version: c.version } };
}

function compare(truth: Map<string, Change>, hosts: TestHost[]): void {
  const expected = new Map([...truth].map(([k, c]) => [k, expectedOf(c)]));
  for (const host of hosts) {
    const replica = replicaOf(host.store);
    const missing = [...expected.keys()].filter((k) => !replica.has(k));
    const extra = [...replica.keys()].filter((k) => !expected.has(k));
    expect({ host: host.name, missing, extra }).toEqual({ host: host.name, missing: [], extra: [] });
    for (const [key, value] of expected) expect(replica.get(key), `${host.name} ${key}`).toEqual(value);
  }
}

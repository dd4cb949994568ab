/**
 * SYNC.md scenarios 2, 9, 10 and 11 end to end: hosts killed with SIGKILL mid-sync, a server whose
 * transactions commit out of order, a server restored from a backup (new epoch).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB } from '../../../server/test/harness.js';
import { rotateEpoch } from '../../../server/modules/sync/epoch.js';
import { getSyncState } from '../db/state.js';
import { expectConverged, startHost, startSyncServer, type SyncServer, type TestHost } from './testing/e2e.js';

const CHILD = fileURLToPath(new URL('./testing/sync-child.ts', import.meta.url));

let server: SyncServer;
const dirs: string[] = [];
const hosts: TestHost[] = [];

beforeAll(async () => {
  server = await startSyncServer();
});
afterAll(async () => {
  for (const h of hosts) await h.close();
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nexus-kill-'));
  dirs.push(dir);
  return path.join(dir, 'backoffice.db');
}

type Line = { state?: string; pending?: number; progress?: { done: number; total: number | null } | null; done?: true };

/** Runs a host process on `file`; `killWhen` sees each status line and returns true to SIGKILL it there. */
async function runChild(
  file: string,
  args: string[],
  killWhen: (line: Line) => boolean,
  delayMs = 0,
): Promise<'killed' | Line> {
  const credentials = `${server.staff.user.email}:${server.staff.password}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, file, server.url, credentials, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let buffer = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let last: Line | null = null;
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, end)) as Line;
        buffer = buffer.slice(end + 1);
        last = line;
        if (!line.done && killWhen(line)) {
          if (delayMs) setTimeout(() => child.kill('SIGKILL'), delayMs);
          else child.kill('SIGKILL');
        }
      }
    });
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && last?.done) resolve(last);
      else reject(new Error(`host process exited ${code}: ${stderr}`));
    });
  });
}

describe(`sync restarts and restores (${TEST_DB})`, () => {
  it('scenario 11: a first download killed at 60% resumes without duplicates', async () => {
    for (let i = 0; i < 40; i++) await server.catalog.product({ stock: [3, 4] });
    const file = tempFile();
    const killed = await runChild(
      file,
      ['25'],
      (l) => !!l.progress?.total && l.progress.done / l.progress.total >= 0.6,
    );
    expect(killed).toBe('killed');
    const finished = await runChild(file, ['25'], () => false);
    expect(finished).toMatchObject({ done: true, lastError: null });
    const h = await startHost(server, { file, name: 'resumed' });
    hosts.push(h);
    expect(getSyncState(h.store).firstDownloadComplete).toBe(true);
    await expectConverged(server, h);
  });

  it('scenario 2: a host killed while pushing and pulling loses nothing and applies nothing twice', async () => {
    const p = await server.catalog.product({ stock: [500] });
    const v = p.variants[0]!;
    const file = tempFile();
    // Queue 300 sales, and kill the process while the server is applying them.
    const killed = await runChild(file, ['50', '300', v], (l) => l.state === 'pushing', 150);
    expect(killed).toBe('killed');
    // Restart and kill again mid-pull, then let it finish.
    await runChild(file, ['50'], (l) => l.state === 'pulling');
    const finished = await runChild(file, ['50'], () => false);
    expect(finished).toMatchObject({ done: true, lastError: null, pending: 0 });
    expect(await server.catalog.level(v)).toMatchObject({ on_hand: 200 });
    expect((await server.catalog.ledger(v)).kinds!.filter((k) => k === 'sale')).toHaveLength(300);
    const h = await startHost(server, { file, name: 'restarted' });
    hosts.push(h);
    expect(h.stock(v)).toMatchObject({ onHand: 200 });
    await expectConverged(server, h);
  });

  it('scenario 10: the server is restored from a backup (new epoch): the host re-downloads and keeps its pending mutations', async () => {
    const p = await server.catalog.product({ stock: [50] });
    const v = p.variants[0]!;
    const h = await startHost(server, { name: 'restore' });
    hosts.push(h);
    const before = getSyncState(h.store);
    h.mutate('stock.adjust', { variantId: v, delta: -5, reason: 'sale' });
    h.mutate(
      'product.update',
      { productId: p.id, patch: { name: 'Renamed before the restore' } },
      h.version('products', p.id),
    );
    // What a restore looks like to devices: a new epoch, and no record of this device's seqs.
    await rotateEpoch(server.app.nexus.ctx.db);
    await server.app.nexus.ctx.db.execute(sql`delete from sync_devices where client_id = ${before.clientId}::uuid`);
    await h.settle();
    const after = getSyncState(h.store);
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.clientId).not.toBe(before.clientId);
    expect(await server.catalog.level(v)).toMatchObject({ on_hand: 45 });
    expect(h.row('products', p.id)).toMatchObject({ name: 'Renamed before the restore' });
    await expectConverged(server, h);
  });

  it.skipIf(TEST_DB !== 'postgres')(
    'scenario 9: two server transactions commit in reverse order of their positions; the host misses neither',
    async () => {
      const [p1, p2] = [await server.catalog.product(), await server.catalog.product()];
      const h = await startHost(server, { name: 'interleaved' });
      hosts.push(h);
      const clients = [0, 1].map(() => new pg.Client({ connectionString: server.app.database.url }));
      for (const c of clients) await c.connect();
      try {
        const [t1, t2] = clients as [pg.Client, pg.Client];
        await t1.query('begin');
        await t1.query("update products set name = 'first position' where id = $1", [p1.id]);
        await t2.query('begin');
        await t2.query("update products set name = 'second position' where id = $1", [p2.id]);
        await t2.query('commit');
        // T1 is open with the earlier position: the host must not receive T2's change past it yet.
        await h.settle();
        expect(h.row('products', p2.id)).toMatchObject({ name: expect.not.stringMatching('position') });
        await t1.query('commit');
        await h.until(() => h.row('products', p1.id)?.name === 'first position');
      } finally {
        for (const c of clients) await c.end();
      }
      expect(h.row('products', p1.id)).toMatchObject({ name: 'first position' });
      expect(h.row('products', p2.id)).toMatchObject({ name: 'second position' });
      await expectConverged(server, h);
    },
  );
});

/**
 * The pull half of a sync pass (cycle.ts pullAll) against a scripted client: pages asked ahead and
 * applied in order, failures of the page asked ahead, epoch changes and re-registration while a
 * request is in flight, page sizes, and the first download's deferred work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PULL_LIMIT, type PullAnswer } from '../../../shared/sync/protocol.js';
import { applyPullPage } from '../db/apply.js';
import { BULK_CHECKPOINT_PAGES, FIRST_DOWNLOAD_PULL_LIMIT } from '../db/first-download.js';
import { renumberOutbox } from '../db/outbox.js';
import { getSyncState } from '../db/state.js';
import { openStore, type Store } from '../db/store.js';
import { fixedId, page, productChanges } from '../db/testkit.js';
import { NetworkError, ServerError, type SyncClient } from './client.js';
import { type CycleContext, type Rebase, runCycle } from './cycle.js';

/** Pages by the cursor they answer (null: the first); each product n with two variants and stock. */
const download = (epoch = 'e1'): Map<string | null, PullAnswer> =>
  new Map([
    [null, page(productChanges(1, 2, 1, 3), 'c1', { epoch, hasMore: true, remaining: 10 })],
    ['c1', page(productChanges(2, 2, 2, 8), 'c2', { epoch, hasMore: true })],
    ['c2', page(productChanges(3, 2, 3, 1), 'c3', { epoch })],
  ]);

interface Asked {
  clientId: string;
  cursor: string | null;
  limit: number | undefined;
  /** The cursor the store held when the request left: the previous page's, if asked ahead. */
  stored: string | null;
  checkpointPages: unknown;
  /** Products the search finds when the request left (none while a first download defers derived data). */
  searchable: unknown;
}

let dir: string;
let store: Store;
let asked: Asked[];
let registrations: number;
let registered: boolean;
/** Answers a pull (or throws); the default serves `download()`. */
let serve: (cursor: string | null) => PullAnswer;

const client = {
  registerDevice: (clientId: string) => {
    registrations++;
    registered = true;
    return Promise.resolve({ clientId, name: 'test', lastMutationSeq: 0 });
  },
  push: () => Promise.reject(new Error('nothing to push in these tests')),
  // A server without the snapshot stream: these tests are about pages (snapshot.test.ts has the stream).
  openSnapshot: () => Promise.reject(new ServerError(404, 'not_found', 'no snapshot here')),
  pull: (clientId: string, cursor: string | null, limit?: number) => {
    asked.push({
      clientId,
      cursor,
      limit,
      stored: getSyncState(store).cursor,
      checkpointPages: store.sqlite.pragma('wal_autocheckpoint', { simple: true }),
      searchable: store.sqlite
        .prepare("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'item'")
        .pluck()
        .get(),
    });
    if (!registered) return Promise.reject(new ServerError(403, 'unknown_device', 'register first'));
    // An answer arrives later, as over a network: the host goes on meanwhile.
    return new Promise<void>((resolve) => setTimeout(resolve, 1)).then(() => serve(cursor));
  },
} as unknown as SyncClient;

const rebase: Rebase = () => undefined;
const context = (extra: Partial<CycleContext> = {}): CycleContext => ({
  store,
  client,
  deviceName: 'test',
  rebase,
  ...extra,
});

/** The same pages applied one by one with a refresh per page: what the derived data must equal. */
function referenceOf(pages: PullAnswer[]) {
  const ref = openStore(':memory:');
  for (const p of pages) applyPullPage(ref, p);
  const rows = derivedOf(ref);
  ref.close();
  return rows;
}

function derivedOf(s: Store) {
  return {
    products: s.sqlite
      .prepare('SELECT id, variant_count, on_hand, available, stock_state, price_min_cents FROM products ORDER BY id')
      .all(),
    search: s.sqlite.prepare("SELECT rowid FROM products_fts WHERE products_fts MATCH 'item' ORDER BY rowid").all(),
    categories: s.sqlite.prepare('SELECT count(*) FROM product_categories').pluck().get(),
  };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-cycle-'));
  store = openStore(path.join(dir, 'host.db'));
  asked = [];
  registrations = 0;
  registered = false;
  const pages = download();
  serve = (cursor) => pages.get(cursor)!;
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pullAll', () => {
  it('asks for the next page before applying the one in hand, applies them in order, and derives everything at the end', async () => {
    await runCycle(context());
    expect(asked.map((a) => [a.cursor, a.stored, a.searchable])).toEqual([
      [null, null, 0],
      ['c1', null, 0],
      ['c2', 'c1', 0],
    ]);
    const state = getSyncState(store);
    expect(state).toMatchObject({ cursor: 'c3', firstDownloadComplete: true, firstDownloadDone: 15 });
    expect(derivedOf(store)).toEqual(referenceOf([...download().values()]));
    expect(derivedOf(store).products).toHaveLength(3);
  });

  it('downloads in bigger pages with spaced-out checkpoints, then pulls with the default and the usual setting', async () => {
    await runCycle(context());
    expect(asked.map((a) => [a.limit, a.checkpointPages])).toEqual(
      Array(3).fill([FIRST_DOWNLOAD_PULL_LIMIT, BULK_CHECKPOINT_PAGES]),
    );
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    serve = () => page([], 'c4', { epoch: 'e1' });
    await runCycle(context());
    expect(asked.at(-1)).toMatchObject({ cursor: 'c3', limit: DEFAULT_PULL_LIMIT, checkpointPages: 1000 });
  });

  it('asks with the page size the caller chose, and refreshes derived data per page once downloaded', async () => {
    await runCycle(context({ pullLimit: 7 }));
    serve = () => page(productChanges(4, 1, 4), 'c4', { epoch: 'e1' });
    await runCycle(context({ pullLimit: 7 }));
    expect(asked.map((a) => a.limit)).toEqual([7, 7, 7, 7]);
    expect(derivedOf(store).search).toHaveLength(4);
  });

  it('a failed page asked ahead leaves the page before it applied with its cursor; the next pass resumes there', async () => {
    const pages = download();
    serve = (cursor) => {
      if (cursor === 'c2') throw new NetworkError('connection reset');
      return pages.get(cursor)!;
    };
    await expect(runCycle(context())).rejects.toThrow('connection reset');
    expect(getSyncState(store)).toMatchObject({ cursor: 'c2', firstDownloadComplete: false });
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);

    serve = (cursor) => pages.get(cursor)!;
    await runCycle(context());
    expect(asked.slice(3).map((a) => a.cursor)).toEqual(['c2']);
    expect(derivedOf(store)).toEqual(referenceOf([...pages.values()]));
  });

  it('an epoch change drops the answer asked ahead (even a failed one) and downloads the new epoch', async () => {
    const old = download('e1');
    const restored = page(productChanges(7, 1, 1, 5), 'r1', { epoch: 'e2' });
    let reset = false;
    serve = (cursor) => {
      if (cursor === null) return reset ? restored : old.get(null)!;
      if (cursor === 'c1') {
        reset = true;
        return page(productChanges(9, 1, 9), 'x1', { epoch: 'e2', hasMore: true });
      }
      // The request asked ahead of the epoch-changed page fails: nobody may be left waiting on it.
      throw new NetworkError('late and lost');
    };
    await runCycle(context());
    await new Promise((r) => setTimeout(r, 10));
    expect(asked.map((a) => a.cursor)).toEqual([null, 'c1', 'x1', null]);
    expect(getSyncState(store)).toMatchObject({ epoch: 'e2', cursor: 'r1', firstDownloadComplete: true });
    expect(store.sqlite.prepare('SELECT id FROM products').pluck().all()).toEqual([fixedId(1, 7)]);
    expect(derivedOf(store)).toEqual(referenceOf([restored]));
  });

  it('re-registers when the page asked ahead answers unknown_device, and asks for that page again', async () => {
    const pages = download();
    serve = (cursor) => {
      // The server forgets the device right after the first page.
      if (cursor === null) registered = false;
      return pages.get(cursor)!;
    };
    await runCycle(context());
    expect(registrations).toBe(2);
    expect(asked.map((a) => a.cursor)).toEqual([null, 'c1', 'c1', 'c1', 'c2']);
    expect(getSyncState(store)).toMatchObject({ cursor: 'c3', firstDownloadComplete: true, deviceRegistered: true });
  });

  it('does not use an answer asked ahead with a client id the store no longer has', async () => {
    let renumbered = false;
    const renumber: Rebase = (s) => {
      if (renumbered) return;
      renumbered = true;
      renumberOutbox(s, '0190f0f0-0000-7000-8000-0000000000cc');
    };
    await runCycle(context({ rebase: renumber }));
    const before = asked[0]!.clientId;
    expect(asked.map((a) => [a.cursor, a.clientId])).toEqual([
      [null, before],
      ['c1', before],
      ['c1', '0190f0f0-0000-7000-8000-0000000000cc'],
      ['c2', '0190f0f0-0000-7000-8000-0000000000cc'],
    ]);
    expect(getSyncState(store)).toMatchObject({ cursor: 'c3', firstDownloadComplete: true });
  });
});

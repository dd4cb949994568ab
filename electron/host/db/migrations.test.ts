/**
 * Store migrations that do more than add a table, on a store made by the migrations before them:
 * - order events (sync protocol 2): a store that had pulled before forgets its cursor, so its next
 *   pass pulls everything again and gets the events it was never sent (a protocol 1 device's cursor
 *   moved past them). What it holds stays.
 * - products' currency: filled from the variants already stored.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getSyncState } from './state.js';
import { DEFAULT_MIGRATIONS_FOLDER, openStore } from './store.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The store's migrations up to (not including) the one tagged `before`. */
function migrationsBefore(before: string): string {
  dir = mkdtempSync(path.join(tmpdir(), 'nexus-migrations-'));
  const folder = path.join(dir, 'migrations');
  cpSync(DEFAULT_MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === before);
  expect(cut).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return folder;
}

describe('migration 0005_order_events', () => {
  it('makes a store that had synced pull everything once more, keeping its rows and progress', () => {
    const old = migrationsBefore('0005_order_events');
    const file = path.join(dir!, 'host.db');
    const before = openStore(file, { migrationsFolder: old });
    // Raw SQL: this code's statements know tables the old schema does not have yet.
    before.sqlite.exec(`UPDATE sync_state SET cursor = 'cursor-after-many-pages', epoch = 'epoch-1',
      first_download_complete = 1, first_download_done = 9 WHERE id = 1`);
    before.sqlite.exec(
      `INSERT INTO categories (id, slug, name, version, data) VALUES ('c1', 'tools', 'Tools', 3, '{}')`,
    );
    before.close();

    const after = openStore(file);
    try {
      expect(getSyncState(after)).toMatchObject({
        cursor: null,
        epoch: 'epoch-1',
        firstDownloadComplete: true,
        firstDownloadDone: 9,
      });
      expect(after.sqlite.prepare('SELECT count(*) FROM categories').pluck().get()).toBe(1);
      expect(after.sqlite.prepare('SELECT count(*) FROM order_events').pluck().get()).toBe(0);
    } finally {
      after.close();
    }
  });
});

describe('migration 0008_products_currency', () => {
  it("fills each stored product's currency from its variants (none: null)", () => {
    const old = migrationsBefore('0008_products_currency');
    const file = path.join(dir!, 'host.db');
    const before = openStore(file, { migrationsFolder: old });
    before.sqlite.exec(`
      INSERT INTO products (id, slug, name, status, version, data) VALUES
        ('p-eur', 'mug', 'Mug', 'active', 1, '{}'), ('p-none', 'box', 'Box', 'draft', 1, '{}');
      INSERT INTO variants (id, product_id, sku, price_cents, currency, version, data) VALUES
        ('v1', 'p-eur', 'MUG-1', 900, 'EUR', 1, '{}'), ('v2', 'p-eur', 'MUG-2', 1200, 'EUR', 1, '{}');
    `);
    before.close();

    const after = openStore(file);
    try {
      const currency = (id: string) =>
        after.sqlite.prepare('SELECT currency FROM products WHERE id = ?').pluck().get(id);
      expect(currency('p-eur')).toBe('EUR');
      expect(currency('p-none')).toBeNull();
    } finally {
      after.close();
    }
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSyncState } from './state.js';
import { openStore } from './store.js';
import { CRASH_LEVEL, CRASH_PAGE_SIZE as PAGE_SIZE, CRASH_VARIANT } from './testkit.js';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/**
 * Runs the child on `file`. Mode `random`: waits until it loops, lets it run `ms` more, then
 * SIGKILLs it. Other modes: the child kills itself at iteration `ms` inside a transaction.
 */
async function runAndKill(file: string, mode: 'random' | 'mid-enqueue' | 'mid-page', ms: number): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, file, mode, String(ms)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  if (mode === 'random') {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    await new Promise((r) => setTimeout(r, ms));
    child.kill('SIGKILL');
  }
  expect(await exited, stderr).toBe('SIGKILL');
}

/** What must hold after any crash: no gap in the outbox, no local write without its entry, no half page. */
function checkInvariants(file: string) {
  const store = openStore(file);
  try {
    const q = (source: string, ...args: unknown[]) =>
      store.sqlite
        .prepare(source)
        .pluck()
        .get(...args);
    expect(q('PRAGMA integrity_check')).toBe('ok');
    const state = getSyncState(store);
    const seqs = store.sqlite.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[];
    expect(seqs).toEqual(Array.from({ length: state.lastLocalSeq }, (_, i) => i + 1));
    const deltas = store.sqlite
      .prepare("SELECT coalesce(sum(json_extract(args, '$.delta')), 0) FROM outbox")
      .pluck()
      .get() as number;
    expect(q('SELECT on_hand FROM stock_levels WHERE id = ?', CRASH_LEVEL)).toBe(deltas);
    expect(q('SELECT on_hand FROM variants WHERE id = ?', CRASH_VARIANT)).toBe(deltas);

    const pages = Number(state.cursor!.slice(1));
    const products = 1 + pages * PAGE_SIZE;
    expect(q('SELECT count(*) FROM products')).toBe(products);
    expect(q('SELECT count(*) FROM variants')).toBe(products);
    expect(q('SELECT count(*) FROM stock_levels')).toBe(products);
    expect(q("SELECT count(*) FROM products_fts WHERE products_fts MATCH 'item'")).toBe(products);
    expect(q('SELECT count(*) FROM products WHERE variant_count <> 1')).toBe(0);
    expect(state.firstDownloadDone).toBe(3 + pages * PAGE_SIZE * 3);
    return { seq: state.lastLocalSeq, pages };
  } finally {
    store.close();
  }
}

describe('a process killed mid-write (SYNC.md scenario 2)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nexus-host-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a contiguous outbox, local writes matching their entries, and whole pages only; restarts resume', async () => {
    const file = path.join(dir, 'host.db');
    let last = { seq: 0, pages: 0 };
    const runs = [
      ['random', 150],
      ['mid-enqueue', 3],
      ['random', 40],
      ['mid-page', 2],
      ['random', 260],
      ['mid-enqueue', 1],
      ['mid-page', 1],
    ] as const;
    for (const [mode, value] of runs) {
      await runAndKill(file, mode, value);
      const now = checkInvariants(file);
      // A self-kill at iteration N leaves exactly the N-1 (mid-enqueue) or N (mid-page) enqueues before it.
      if (mode === 'mid-enqueue') expect(now.seq - last.seq).toBe(value - 1);
      if (mode === 'mid-page') {
        expect(now.seq - last.seq).toBe(value);
        expect(now.pages - last.pages).toBe(value - 1);
      }
      if (mode === 'random') expect(now.pages).toBeGreaterThan(last.pages);
      last = now;
    }
  }, 60_000);
});

/**
 * The process crash.test.ts kills (SYNC.md scenario 2). It opens a file store and loops for ever:
 * enqueue a stock.adjust whose optimistic write moves one stock level, then apply the next pull
 * page of CRASH_PAGE_SIZE products with its cursor. It resumes from the stored cursor when restarted.
 *
 * Modes: `random` prints "ready" once looping and waits for the parent's SIGKILL; `mid-enqueue N`
 * and `mid-page N` SIGKILL themselves at iteration N, inside the transaction, right after the
 * local write (before the outbox insert) or right after the page's rows (before its cursor).
 */
import { applyPullPage } from './apply.js';
import { refreshDerived } from './derived.js';
import { enqueueMutation } from './outbox.js';
import { getSyncState } from './state.js';
import { openStore } from './store.js';
import { CRASH_LEVEL, CRASH_PAGE_SIZE, CRASH_VARIANT, page, productChanges } from './testkit.js';

const [file, mode = 'random', at = '0'] = process.argv.slice(2);
if (!file) throw new Error('usage: crash-child.ts <store file> [random | mid-enqueue N | mid-page N]');
const killAt = Number(at);
const die = (i: number, where: string) => {
  if (mode === where && i === killAt) process.kill(process.pid, 'SIGKILL');
};

const store = openStore(file);
if (getSyncState(store).cursor === null)
  applyPullPage(store, page(productChanges(0, 1, 1, 0), 'p0', { hasMore: true }));
const adjust = store.sqlite.prepare('UPDATE stock_levels SET on_hand = on_hand + ? WHERE id = ?');
for (let i = 1; ; i++) {
  const delta = (i % 7) + 1;
  enqueueMutation(
    store,
    { name: 'stock.adjust', args: { variantId: CRASH_VARIANT, delta, reason: 'received' } },
    (s) => {
      adjust.run(delta, CRASH_LEVEL);
      refreshDerived(s, { variantIds: [CRASH_VARIANT] });
      die(i, 'mid-enqueue');
    },
  );
  const next = Number(getSyncState(store).cursor!.slice(1)) + 1;
  const changes = [];
  for (let n = (next - 1) * CRASH_PAGE_SIZE + 1; n <= next * CRASH_PAGE_SIZE; n++)
    changes.push(...productChanges(n, 1, next + 1));
  applyPullPage(store, page(changes, `p${next}`, { hasMore: true }), { rebase: () => die(i, 'mid-page') });
  if (i === 1 && mode === 'random') process.stdout.write('ready\n');
}

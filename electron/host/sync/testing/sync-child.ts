/**
 * A back-office host in its own process, for kill tests (SYNC.md scenarios 2 and 11): opens the
 * store at argv[2], signs in to argv[3] when it has no session, optionally queues `argv[6]` stock
 * adjustments of -1 on variant argv[7], then syncs with pages of argv[5] rows, printing one JSON
 * line per status change so the parent can SIGKILL it at a chosen point.
 * argv: file serverUrl email:password pageLimit queueCount? variantId?
 */
import { enqueueMutation } from '../../db/outbox.js';
import { openStore } from '../../db/store.js';
import { createSyncEngine } from '../engine.js';
import { applyLocal, rebasePending } from '../local.js';
import { parseMutation } from '../../../../shared/sync/mutations.js';

const [file, serverUrl, credentials, pageLimit, queueCount, variantId] = process.argv.slice(2);
const [email, password] = credentials!.split(':') as [string, string];
const store = openStore(file!);
const engine = createSyncEngine({
  store,
  rebase: rebasePending,
  liveEvents: false,
  pullLimit: Number(pageLimit),
  backoff: { baseMs: 10, maxMs: 100, minMs: 5 },
});
engine.on('status', () => {
  const s = engine.status();
  process.stdout.write(`${JSON.stringify({ state: s.state, pending: s.pending, progress: s.progress })}\n`);
});
if (!engine.session()) await engine.login({ serverUrl: serverUrl!, email, password });
// Edits are made on what the store holds: let the first download finish before queueing them.
const has = store.sqlite.prepare('SELECT count(*) FROM variants WHERE id = ?').pluck();
while (Number(queueCount ?? 0) > 0 && has.get(variantId) === 0) {
  await engine.syncNow();
  await new Promise((r) => setTimeout(r, 20));
}
for (let i = 0; i < Number(queueCount ?? 0); i++) {
  const args = { variantId, delta: -1, reason: 'sale' };
  const parsed = parseMutation('stock.adjust', args);
  if (!parsed.ok) throw new Error(parsed.message);
  enqueueMutation(store, { name: 'stock.adjust', args }, (s) => applyLocal(s, parsed.mutation));
}
const status = await engine.syncNow();
process.stdout.write(`${JSON.stringify({ done: true, lastError: status.lastError, pending: status.pending })}\n`);
store.close();

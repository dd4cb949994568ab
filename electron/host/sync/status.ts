/**
 * The sync status the UI shows at all times (SYNC.md rule 10), read from the store so it is true
 * after a restart too: what waits, since when, the last success and error, what needs a person.
 */
import type { SyncStatus } from '../../../shared/contract/backoffice.js';
import type { Store } from '../db/store.js';
import { outboxStats } from '../db/outbox.js';
import { getSyncState } from '../db/state.js';
import type { Phase } from './cycle.js';

export type { SyncStatus };

const counts = (store: Store) =>
  store.cached('status:counts', () =>
    store.sqlite.prepare(
      `SELECT (SELECT count(*) FROM conflicts WHERE resolved = 0) AS conflicts,
         (SELECT count(*) FROM rejections WHERE resolved = 0) AS rejections,
         (SELECT count(*) FROM stock_oversells WHERE resolved_at IS NULL) AS oversells`,
    ),
  );

export function computeStatus(
  store: Store,
  live: { online: boolean; phase: Phase | null; running: boolean },
  now = new Date(),
): SyncStatus {
  const s = getSyncState(store);
  const outbox = outboxStats(store, now);
  const c = counts(store).get() as { conflicts: number; rejections: number; oversells: number };
  const user = s.session ? { email: s.session.user.email, name: s.session.user.name, role: s.session.user.role } : null;
  const downloading = !s.firstDownloadComplete && (live.phase === 'downloading' || s.firstDownloadDone > 0);
  let state: SyncStatus['state'];
  if (!user) state = 'signed_out';
  else if (live.phase === 'downloading') state = 'downloading';
  // A retry while the server is unreachable stays "offline" until the server answers.
  else if (!live.online && s.lastError) state = 'offline';
  else if (live.phase === 'pushing') state = 'pushing';
  else if (live.phase === 'pulling' || live.phase === 'registering') state = 'pulling';
  else if (s.lastError) state = 'error';
  else state = 'idle';
  return {
    online: live.online,
    state,
    pending: outbox.pending,
    oldestPendingAgeMs: outbox.oldestPendingAgeMs,
    lastSyncAt: s.lastPullAt,
    lastError: s.lastError,
    ...c,
    progress: downloading ? { done: s.firstDownloadDone, total: s.firstDownloadTotal } : null,
    epoch: s.epoch,
    user,
    serverUrl: s.serverUrl,
  };
}

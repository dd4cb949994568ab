/**
 * The words of the sync bar, from the host's SyncStatus (SYNC.md rule 10: never hide what is not
 * synced). Pure, so every state is unit-tested without rendering.
 */
import type { SyncStatus } from '../../../shared/contract/backoffice.js';
import { formatAge } from '../lib/time.js';

export type Tone = 'ok' | 'busy' | 'warning' | 'danger' | 'neutral';

export interface SyncSummary {
  tone: Tone;
  /** Online, Offline, or that the host itself is not answering. */
  connection: string;
  state: string;
  /** "3 changes waiting · oldest 5 min" or "Nothing waiting". */
  pending: string;
  /** The last error in plain words (the raw text goes in a tooltip); null when none. */
  error: string | null;
  /** 0–1 during a first download with a known total; null when indeterminate; undefined otherwise. */
  progress?: number | null;
  progressText?: string;
}

const count = new Intl.NumberFormat();
const plural = (n: number, one: string, many: string) => `${count.format(n)} ${n === 1 ? one : many}`;

export function summarizeSync(status: SyncStatus | null, hostConnected: boolean, sinceStatusMs = 0): SyncSummary {
  if (!status)
    return {
      tone: 'neutral',
      connection: 'Connecting…',
      state: 'Waiting for the back-office host',
      pending: '',
      error: null,
    };
  const age = status.oldestPendingAgeMs === null ? null : status.oldestPendingAgeMs + sinceStatusMs;
  const pending =
    status.pending === 0
      ? 'Nothing waiting'
      : `${plural(status.pending, 'change', 'changes')} waiting${age === null ? '' : ` · oldest ${formatAge(age)}`}`;
  const base = { pending, connection: status.online ? 'Online' : 'Offline', error: plainError(status.lastError) };
  if (!hostConnected)
    return {
      ...base,
      tone: 'danger',
      connection: 'Host not answering',
      state: 'Reconnecting — figures may be out of date',
    };
  switch (status.state) {
    case 'signed_out':
      return { ...base, tone: 'neutral', state: 'Signed out: nothing syncs' };
    case 'downloading': {
      const { done, total } = status.progress ?? { done: 0, total: null };
      const progress = total ? Math.min(1, done / total) : null;
      const progressText = total
        ? `${count.format(done)} of ${count.format(total)} rows (${Math.floor((progress ?? 0) * 100)}%)`
        : `${count.format(done)} rows`;
      return { ...base, tone: 'busy', state: 'First download', progress, progressText };
    }
    case 'pulling':
      return { ...base, tone: 'busy', state: 'Receiving changes…' };
    case 'pushing':
      return { ...base, tone: 'busy', state: `Sending ${plural(status.pending, 'change', 'changes')}…` };
    case 'offline':
      return { ...base, tone: 'warning', state: 'Working offline: changes are kept on this computer' };
    case 'error':
      return { ...base, tone: 'danger', state: 'Sync failed' };
    case 'idle':
      return status.pending === 0
        ? { ...base, tone: 'ok', state: 'Up to date' }
        : { ...base, tone: 'warning', state: 'Changes not yet synced' };
  }
}

// Node's socket codes, undici's (fetch's) own (UND_ERR_SOCKET: the connection closed under a
// request), and the engine's words for an answer that broke off.
const NETWORK =
  /ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+|fetch failed|socket hang up|other side closed|terminated|timed? ?out|event stream broke|unreadable answer/i;
const SERVER_FAULT = /server answered (5\d\d)/;

/** The engine's errors name the request ("GET /api/v1/sync/pull?…: ECONNREFUSED"): staff need the gist. */
export function plainError(error: string | null): string | null {
  if (!error) return null;
  if (NETWORK.test(error)) return 'Cannot reach the server';
  const fault = SERVER_FAULT.exec(error);
  if (fault) return `The server had a problem (error ${fault[1]}); retrying`;
  const withoutRequest = error.replace(/^(\w+: )?(GET|POST|PUT|PATCH|DELETE) \S+: /, '');
  return withoutRequest.length > 120 ? `${withoutRequest.slice(0, 117)}…` : withoutRequest;
}

/**
 * Edit → host latency (SYNC.md rule 9): a person edits products in the admin (PATCH over the real
 * API), one at a time; the started engine hears the server's poke on its event stream, pulls, and
 * applies. Each sample runs from the PATCH's answer until the host's SQLite row shows the new name.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../shared/domain/errors.js';
import type { Store } from '../electron/host/db/store.js';
import type { SyncEngine } from '../electron/host/sync/engine.js';
import type { httpJson } from './lib/http-load.js';
import { whenNameShows } from './sync-host.js';

export interface EditSamples {
  /** PATCH answered → row visible on the host (0 when the host had it before the answer arrived). */
  afterAnswer: number[];
  /** PATCH sent → row visible on the host. */
  afterSend: number[];
  /** PATCH round trips alone. */
  patch: number[];
  /** Edits the host had not shown after the timeout (counted, not sampled). */
  timeouts: number;
}

type Api = ReturnType<typeof httpJson>;

/** Signs in through the API like the admin UI, for the Bearer token of the PATCHes. */
export async function staffToken(api: Api, email: string, password: string): Promise<string> {
  const answer = await api.request('POST', '/api/v1/auth/login', { email, password });
  const token = (answer.body as { accessToken?: unknown } | undefined)?.accessToken;
  if (answer.status !== 200 || typeof token !== 'string')
    throw new AppError('unauthorized', `login answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return token;
}

export async function measureEdits(input: {
  store: Store;
  engine: SyncEngine;
  api: Api;
  token: string;
  productIds: readonly string[];
  gapMs: number;
  timeoutMs?: number;
}): Promise<EditSamples> {
  const samples: EditSamples = { afterAnswer: [], afterSend: [], patch: [], timeouts: 0 };
  const auth = { authorization: `Bearer ${input.token}` };
  for (const [i, productId] of input.productIds.entries()) {
    const name = `Bench edit ${i + 1} (${Date.now().toString(36)})`;
    // Watch before sending: a fast host may apply the change before the PATCH's answer arrives.
    const shown = whenNameShows(input.store, input.engine, productId, name, input.timeoutMs ?? 10_000);
    const sent = performance.now();
    const answer = await input.api.request('PATCH', `/api/v1/admin/products/${productId}`, { name }, auth);
    const answered = performance.now();
    if (answer.status !== 200)
      throw new AppError('internal', `PATCH ${productId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    samples.patch.push(answered - sent);
    const at = await shown;
    if (at === null) samples.timeouts++;
    else {
      samples.afterAnswer.push(Math.max(0, at - answered));
      samples.afterSend.push(at - sent);
    }
    await sleep(input.gapMs);
  }
  return samples;
}

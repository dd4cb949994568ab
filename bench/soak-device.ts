/**
 * The soak's back-office device, speaking the sync API directly (API.md "Sync"): registered once,
 * then every couple of seconds it pushes a batch of stock receipts (stock.adjust, reason
 * received) on the variants shoppers buy, which keeps them in stock however long the soak runs,
 * and pulls until it has caught up with everything the shoppers changed. It also keeps the event
 * stream open the whole time, as a running back-office does, and counts the pokes.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../shared/domain/ids.js';
import { type MutationEnvelope, PROTOCOL_VERSION, type PushAnswer } from '../shared/sync/protocol.js';
import { staffToken } from './sync-edits.js';
import type { Client, Recorder, SoakReady } from './soak-workload.js';

/** How often the device syncs: the back-office's own fallback poll is slower, so this is busier than life. */
const SYNC_EVERY_MS = 2000;
const RECEIPTS_PER_PUSH = 10;
const UNITS_PER_RECEIPT = 3;
/** Pages one round pulls at most; the first download (the whole catalog) spreads over a few rounds. */
const PAGES_PER_ROUND = 20;

export class SoakDevice {
  pokes = 0;
  private token = '';
  private signedInAt = 0;
  private clientId = '';
  private cursor: string | undefined;
  private seq = 0;
  /** A batch the server has not answered yet: sent again as it is, so seqs stay gapless. */
  private unanswered: MutationEnvelope[] = [];
  private events: http.ClientRequest | undefined;
  private closing = false;

  constructor(
    private readonly api: Client,
    private readonly ready: SoakReady,
    private readonly rec: Recorder,
  ) {}

  private get auth() {
    return { authorization: `Bearer ${this.token}` };
  }

  /** Signs in and registers; failing here fails the run before any load starts. */
  async start(): Promise<void> {
    await this.signIn();
    const registered = await this.api.request('POST', '/api/v1/sync/devices', { name: 'bench:soak' }, this.auth);
    if (registered.status !== 201) throw new Error(`device registration answered ${registered.status}`);
    this.clientId = (registered.body as { clientId: string }).clientId;
    this.openEvents();
  }

  /** Syncs every SYNC_EVERY_MS until `seconds` have passed since the call. */
  async run(seconds: number): Promise<void> {
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      await this.round();
      await sleep(Math.max(0, Math.min(SYNC_EVERY_MS, end - performance.now())));
    }
  }

  close(): void {
    this.closing = true;
    this.events?.destroy();
  }

  private async signIn(): Promise<void> {
    this.token = await staffToken(this.api, this.ready.staff.email, this.ready.staff.password);
    this.signedInAt = performance.now();
  }

  private async round(): Promise<void> {
    // Signing in again at half the token's lifetime keeps a long soak authorised (the refresh
    // flow is the auth module's, not what this run measures).
    if (performance.now() - this.signedInAt > (this.ready.accessTokenSeconds * 1000) / 2) {
      try {
        await this.signIn();
      } catch (error) {
        this.rec.errors.add('sync sign-in', 'failed', (error as Error).message);
      }
    }
    await this.push();
    await this.pull();
  }

  private async push(): Promise<void> {
    if (this.unanswered.length === 0) {
      const variants = this.ready.workload.variants;
      this.unanswered = Array.from({ length: RECEIPTS_PER_PUSH }, () => ({
        seq: ++this.seq,
        id: newId(),
        name: 'stock.adjust',
        args: {
          variantId: variants[Math.floor(Math.random() * variants.length)]!,
          delta: UNITS_PER_RECEIPT,
          reason: 'received',
          note: 'soak receipt',
        },
        createdAt: new Date().toISOString(),
      }));
    }
    const body = { clientId: this.clientId, protocolVersion: PROTOCOL_VERSION, mutations: this.unanswered };
    const answer = await this.rec.call(
      'sync push',
      200,
      () => this.api.request('POST', '/api/v1/sync/push', body, this.auth),
      (answerBody) => {
        const bad = (answerBody as PushAnswer).results.filter((r) => r.status !== 'applied');
        return bad.length === 0
          ? undefined
          : `${bad.length} not applied, first: ${bad[0]!.status} ${bad[0]!.error?.code ?? ''}`;
      },
    );
    // Answered (even with a rejection) means the server's seq moved on; unanswered is sent again.
    if (answer.status === 200) this.unanswered = [];
  }

  private async pull(): Promise<void> {
    for (let page = 0; page < PAGES_PER_ROUND; page++) {
      const query = new URLSearchParams({ clientId: this.clientId, protocolVersion: String(PROTOCOL_VERSION) });
      if (this.cursor) query.set('cursor', this.cursor);
      const answer = await this.rec.call('sync pull', 200, () =>
        this.api.request('GET', `/api/v1/sync/pull?${query.toString()}`, undefined, this.auth),
      );
      if (!answer.ok) return;
      const { cursor, hasMore } = answer.body as { cursor: string; hasMore: boolean };
      this.cursor = cursor;
      if (!hasMore) return;
    }
  }

  /** The event stream; one that ends before the run does is an error, and is opened again. */
  private openEvents(): void {
    const base = new URL(this.ready.url);
    const req = http.get(
      { host: base.hostname, port: base.port, path: '/api/v1/sync/events', headers: this.auth },
      (res) => {
        let partial = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const lines = (partial + chunk).split('\n');
          partial = lines.pop()!;
          this.pokes += lines.filter((l) => l === 'event: poke').length;
        });
        res.on('close', () => this.reopen(req, `stream ended (status ${res.statusCode})`));
      },
    );
    req.on('error', (error) => this.reopen(req, error.message));
    this.events = req;
  }

  /** Once per stream: its error and its close may both report the same end. */
  private reopen(req: http.ClientRequest, why: string): void {
    if (this.closing || this.events !== req) return;
    this.rec.errors.add('sync events', 'closed', why);
    this.events = undefined;
    setTimeout(() => {
      if (!this.closing) this.openEvents();
    }, 1000).unref();
  }
}

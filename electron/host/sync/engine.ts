/**
 * The back-office's sync engine: when to sync, and what the UI is told about it.
 *
 * - One pass at a time (cycle.ts). A request during a pass marks it to run again right after, so
 *   bursts of local edits and server pokes collapse into few passes.
 * - Triggers: a local edit (after a short pause, to batch a burst), a server poke on the event
 *   stream (SYNC.md rule 9), a fallback timer (pokes can be lost), sign-in, `syncNow`.
 * - A failed pass retries after an exponential delay with jitter; every success resets it. Online
 *   means "the last request reached the server": no OS signal, which lies behind captive portals.
 * - Every stuck state is visible in `status()` (SYNC.md rule 10): pending count and age, last
 *   error, last successful sync, and recovery is automatic once the network heals.
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { AppError, ERROR_CODES, type ErrorCode } from '../../../shared/domain/errors.js';
import type { Store } from '../db/store.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { NetworkError, ServerError, SyncClient } from './client.js';
import { hasAcked, type Phase, type Rebase, runCycle } from './cycle.js';
import { clearSession, normaliseServerUrl, readSession, saveSession, saveTokens, type SessionUser } from './session.js';
import { getSyncState, setServerUrl } from '../db/state.js';
import { computeStatus, type SyncStatus } from './status.js';

export interface EngineOptions {
  store: Store;
  rebase: Rebase;
  fetch?: typeof fetch;
  deviceName?: string;
  pullLimit?: number;
  /** The fallback timer between passes when no poke arrives. */
  pollIntervalMs?: number;
  /** The pause after a local edit before pushing it. */
  pushDelayMs?: number;
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Open the event stream while started (tests and benches may poll instead). */
  liveEvents?: boolean;
}

export class SyncEngine extends EventEmitter {
  private readonly store: Store;
  private client: SyncClient | null = null;
  private started = false;
  private running: Promise<void> | null = null;
  private again = false;
  private phase: Phase | null = null;
  private online = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private pushTimer: NodeJS.Timeout | undefined;
  private events: AbortController | null = null;

  constructor(private readonly options: EngineOptions) {
    super();
    this.store = options.store;
  }

  status(): SyncStatus {
    return computeStatus(this.store, { online: this.online, phase: this.phase, running: this.running !== null });
  }

  session(): SessionUser | null {
    return readSession(this.store)?.user ?? null;
  }

  serverUrl(): string | null {
    return getSyncState(this.store).serverUrl ?? null;
  }

  setServerUrl(url: string): void {
    setServerUrl(this.store, normaliseServerUrl(url));
    this.client = null;
    this.changed();
  }

  async login(input: { serverUrl?: string; email: string; password: string }): Promise<SessionUser> {
    if (input.serverUrl !== undefined) this.setServerUrl(input.serverUrl);
    const client = this.clientOrThrow();
    let result;
    try {
      result = await client.login(input.email, input.password);
    } catch (error) {
      throw toAppError(error);
    }
    saveSession(this.store, {
      user: { id: result.user.id, email: result.user.email, name: result.user.name, role: result.user.role },
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
    });
    this.online = true;
    this.changed();
    if (this.started) this.connectEvents();
    this.requestSync();
    return this.session()!;
  }

  async logout(): Promise<void> {
    const session = readSession(this.store);
    this.disconnectEvents();
    clearSession(this.store);
    this.changed();
    // Revoking the refresh token is a courtesy to the server: signed out locally whatever happens.
    if (session && this.client) await this.client.logout(session.refreshToken).catch(() => undefined);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const every = this.options.pollIntervalMs ?? 30_000;
    this.pollTimer = setInterval(() => this.requestSync(), every);
    this.pollTimer.unref?.();
    this.connectEvents();
    this.requestSync();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.pushTimer);
    this.disconnectEvents();
    await this.running;
  }

  /** A local edit was queued: push it soon (a short pause batches a burst of edits). */
  notifyLocalChange(): void {
    this.changed();
    clearTimeout(this.pushTimer);
    this.pushTimer = setTimeout(() => this.requestSync(), this.options.pushDelayMs ?? 200);
  }

  /** Runs a pass now (or right after the running one) and answers the status after it. */
  async syncNow(): Promise<SyncStatus> {
    this.requestSync();
    while (this.running) await this.running;
    return this.status();
  }

  requestSync(): void {
    if (!readSession(this.store) || !this.serverUrl()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.running = this.runPasses().finally(() => {
      this.running = null;
      this.phase = null;
      this.changed();
    });
  }

  private async runPasses(): Promise<void> {
    do {
      this.again = false;
      try {
        await runCycle({
          store: this.store,
          client: this.clientOrThrow(),
          deviceName: this.options.deviceName ?? `Back-office on ${hostname()}`,
          rebase: this.options.rebase,
          ...(this.options.pullLimit ? { pullLimit: this.options.pullLimit } : {}),
          // A phase starting is an attempt, not a connection: `online` waits for an answer (onAnswer).
          onPhase: (phase) => {
            this.phase = phase;
            this.changed();
          },
          onPage: () => this.changed(),
        });
        this.online = true;
        this.failures = 0;
        // Applied but not yet shown by a pull (the server's horizon lags a busy moment): look again soon.
        if (this.started && hasAcked(this.store)) {
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.requestSync(), 500);
          this.retryTimer.unref?.();
        }
      } catch (error) {
        this.failed(error);
        return;
      }
    } while (this.again);
  }

  /** The server answered something: online again, said at once if that is news. */
  private reachable(): void {
    if (this.online) return;
    this.online = true;
    this.changed();
  }

  private failed(error: unknown): void {
    const message = describe(error);
    this.online = !(error instanceof NetworkError);
    if (error instanceof ServerError && error.status === 401) {
      // The refresh token was refused: the person signs in again; their queue stays.
      clearSession(this.store);
      this.disconnectEvents();
    }
    this.store.sqlite.prepare('UPDATE sync_state SET last_error = ? WHERE id = 1').run(message);
    // Not 'error': an EventEmitter throws that one when nobody listens.
    this.emit('sync-error', error);
    const retryable = !(error instanceof ServerError) || error.status >= 500 || error.status === 429;
    if (this.started && readSession(this.store)) {
      const delay = backoffDelay(this.failures++, this.options.random ?? Math.random, this.options.backoff);
      // An error the server will repeat (e.g. 426) is retried slowly: a person has to act.
      this.retryTimer = setTimeout(() => this.requestSync(), retryable ? delay : Math.max(delay, 60_000));
      this.retryTimer.unref?.();
    }
  }

  private connectEvents(): void {
    if (this.options.liveEvents === false || this.events || !readSession(this.store) || !this.serverUrl()) return;
    const controller = new AbortController();
    this.events = controller;
    let attempt = 0;
    const loop = async () => {
      while (!controller.signal.aborted && this.started) {
        try {
          await this.clientOrThrow().events(
            () => {
              attempt = 0;
              this.requestSync();
            },
            () => this.requestSync(),
            controller.signal,
          );
        } catch {
          // The pass's own errors say what is wrong; here we only come back.
        }
        if (controller.signal.aborted) return;
        // The stream ended or broke while we thought the server was there: a pass now finds out
        // whether it went away (and the bar says so), rather than the fallback timer much later.
        if (this.online) this.requestSync();
        await new Promise((r) => setTimeout(r, backoffDelay(attempt++, this.options.random ?? Math.random)));
      }
    };
    void loop();
  }

  private disconnectEvents(): void {
    this.events?.abort();
    this.events = null;
  }

  private clientOrThrow(): SyncClient {
    const baseUrl = this.serverUrl();
    if (!baseUrl)
      throw new AppError('validation_failed', 'Set the server URL first', {
        errors: [{ path: 'serverUrl', message: 'required' }],
      });
    if (!this.client || this.client.baseUrl !== baseUrl) {
      this.client = new SyncClient({
        baseUrl,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        ...(this.options.requestTimeoutMs ? { timeoutMs: this.options.requestTimeoutMs } : {}),
        tokens: () => readSession(this.store),
        onTokens: (tokens) => saveTokens(this.store, tokens),
        onAnswer: () => this.reachable(),
      });
    }
    return this.client;
  }

  /**
   * The signed-in client, for host services that talk to the server beside sync (refunds, image
   * uploads): one client per host, so token refreshes stay single-flight. Null when signed out.
   */
  api(): SyncClient | null {
    return readSession(this.store) && this.serverUrl() ? this.clientOrThrow() : null;
  }

  private changed(): void {
    this.emit('status');
  }
}

function describe(error: unknown): string {
  if (error instanceof NetworkError) return `Offline: ${error.message}`;
  if (error instanceof ServerError) return `${error.message} (${error.code})`;
  return (error as Error)?.message ?? String(error);
}

/** What the UI gets from a failed sign-in: the server's own code when it is one of ours. */
function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ServerError)
    return new AppError(
      Object.hasOwn(ERROR_CODES, error.code) ? (error.code as ErrorCode) : 'bad_request',
      error.message,
    );
  if (error instanceof NetworkError)
    return new AppError('service_unavailable', `Cannot reach the server: ${error.message}`);
  return new AppError('internal', (error as Error).message);
}

export function createSyncEngine(options: EngineOptions): SyncEngine {
  return new SyncEngine(options);
}

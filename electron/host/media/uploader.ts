/**
 * Sends queued product images to the server (multipart POST /api/v1/admin/products/:id/images,
 * field `file` plus optional `alt`), one at a time, oldest first, whenever it is signed in.
 *
 * - Sent: the row and file go, and a sync pass is asked for: the image comes back as a synced
 *   product_images row, like any other change.
 * - No usable answer, a 5xx, 401 (signed out), 408 or 429: the image stays pending with what went
 *   wrong, and the queue stops and tries again after an exponential delay with jitter (later
 *   images wait: order is kept). A sync pass that reaches the server wakes it sooner.
 * - Any other 4xx (unknown product, too large for this server, ...): marked failed with the
 *   server's reason, for a person to retry or discard; the queue moves on. Nothing is ever dropped.
 *
 * Each upload carries its queue row's id as the image's id (the form field `id`): a response lost
 * after the server stored the image makes the retry find that image instead of storing it again.
 */
import { readFile } from 'node:fs/promises';
import type { PendingUpload } from '../../../shared/contract/backoffice.js';
import { AppError } from '../../../shared/domain/errors.js';
import type { Store } from '../db/store.js';
import { refusal, type ServerAccess } from '../handlers/server-call.js';
import { backoffDelay, type BackoffOptions } from '../sync/backoff.js';
import { NetworkError, ServerError, type SyncClient } from '../sync/client.js';
import { fileOf, markFailed, nextUpload, noteAttempt, removeUpload } from './queue.js';

export interface UploaderOptions {
  store: Store;
  dir: string;
  server: ServerAccess;
  backoff?: BackoffOptions;
  random?: () => number;
  /** Per upload: a 10 MiB file on a slow line needs longer than a sync request. */
  timeoutMs?: number;
  /** The queue changed (a row sent, failed or retried later): the UI reloads its list. */
  onChange?: () => void;
  /** Told about unexpected errors (not network or server refusals). */
  onError?: (error: unknown) => void;
}

/** Statuses that say "not now" rather than "never". */
const TRANSIENT = new Set([401, 408, 429]);
/** How long closing the host waits for an upload in flight before leaving it to the next start. */
const STOP_WAIT_MS = 5000;

type Outcome = 'next' | 'wait';

export class MediaUploader {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: string | null = null;

  constructor(private readonly options: UploaderOptions) {}

  /** Sends what is due now (or right after the pass under way). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.drain()
      .catch((error: unknown) => this.reportError(error))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          if (this.timer === undefined) this.kick();
        }
      });
  }

  /** The upload being sent now (it cannot be discarded meanwhile). */
  current(): string | null {
    return this.sending;
  }

  /** Resolves once no pass is running (tests, benches). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Whether a retry is scheduled after a failure. */
  waiting(): boolean {
    return this.timer !== undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const wait = new Promise<void>((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref());
    await Promise.race([this.running, wait]);
  }

  private async drain(): Promise<void> {
    for (;;) {
      const { store, server } = this.options;
      if (this.stopped || !store.sqlite.open) return;
      const api = server.api();
      if (!api) return; // Signed out: signing in makes a sync pass, whose status wakes us.
      const upload = nextUpload(store);
      if (!upload) return;
      if ((await this.send(api, upload)) === 'wait') return this.retryLater();
      this.failures = 0;
    }
  }

  private async send(api: SyncClient, upload: PendingUpload): Promise<Outcome> {
    const { store, dir, server } = this.options;
    this.sending = upload.id;
    let res: Response;
    try {
      const data = await readFile(fileOf(dir, upload)).catch(() => null);
      if (!data) return this.fail(upload, `The queued file is missing from ${dir}: choose the picture again`);
      const form = new FormData();
      form.set('id', upload.id);
      if (upload.alt) form.set('alt', upload.alt);
      form.set('file', new Blob([data], { type: upload.mimeType }), upload.fileName);
      res = await api.send('POST', `/api/v1/admin/products/${upload.productId}/images`, {
        body: form,
        timeoutMs: this.options.timeoutMs ?? 120_000,
      });
    } catch (error) {
      return this.later(upload, error);
    } finally {
      this.sending = null;
    }
    // Closed while sending: the row stays pending and goes again at the next start.
    if (!store.sqlite.open) return 'wait';
    if (res.ok) {
      await res.body?.cancel();
      removeUpload(store, dir, upload);
      server.requestSync();
      this.changed();
      return 'next';
    }
    const error = await refusal(res);
    if (error instanceof NetworkError || res.status >= 500 || TRANSIENT.has(res.status))
      return this.later(upload, error);
    return this.fail(upload, `The server refused the image: ${error.message} (${error.code})`);
  }

  private fail(upload: PendingUpload, reason: string): Outcome {
    markFailed(this.options.store, upload.id, reason);
    this.changed();
    return 'next';
  }

  private later(upload: PendingUpload, error: unknown): Outcome {
    const expected = error instanceof NetworkError || error instanceof ServerError || error instanceof AppError;
    if (!expected) this.reportError(error);
    const message = error instanceof Error ? error.message : String(error);
    if (this.options.store.sqlite.open) noteAttempt(this.options.store, upload.id, `Not sent yet: ${message}`);
    this.changed();
    return 'wait';
  }

  private retryLater(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.failures++, this.options.random ?? Math.random, this.options.backoff);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, delay);
    this.timer.unref?.();
  }

  private changed(): void {
    try {
      this.options.onChange?.();
    } catch (error) {
      this.reportError(error);
    }
  }

  private reportError(error: unknown): void {
    (this.options.onError ?? ((e: unknown) => console.error('media uploader:', e)))(error);
  }
}

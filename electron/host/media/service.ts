/**
 * The image queue's services behind the media:* channels, and its wiring to the sync engine. An
 * upload is checked, stored and answered at once, online or not; the uploader sends it when it can.
 */
import type { EventEmitter } from 'node:events';
import type { ChannelArgs, ChannelOutput, PendingUpload } from '../../../shared/contract/backoffice.js';
import { AppError, notFound } from '../../../shared/domain/errors.js';
import { storedVersion } from '../handlers/rows.queries.js';
import { checkImage } from './image.js';
import { enqueueUpload, getUpload, listUploads, markPending, queueDir, removeUpload, sweepQueue } from './queue.js';
import { MediaUploader, type UploaderOptions } from './uploader.js';

export interface MediaQueue {
  upload(input: ChannelArgs<'media:upload'>): Promise<PendingUpload>;
  pending(productId?: string): ChannelOutput<'media:pending'>;
  retry(id: string): PendingUpload;
  discard(id: string): void;
}

export interface MediaQueueOptions extends Omit<UploaderOptions, 'dir' | 'onChange'> {
  /** The host's data directory: files wait in its `media-queue/`. */
  dataDir: string;
}

export interface HostMediaQueue extends MediaQueue {
  readonly dir: string;
  readonly uploader: MediaUploader;
  /** Called whenever the queue changes (queued, sent, failed, retried, discarded); answers the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Wakes the uploader whenever a sync pass reaches the server (the network is back). */
  follow(engine: StatusSource): void;
  close(): Promise<void>;
}

/** What the queue needs of the sync engine: its status events and whether the server answers. */
type StatusSource = Pick<EventEmitter, 'on' | 'off'> & { status(): { online: boolean } };

const notQueued = () => notFound('Queued image');

export function createMediaQueue(options: MediaQueueOptions): HostMediaQueue {
  const { store } = options;
  const dir = queueDir(options.dataDir);
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        options.onError?.(error);
      }
    }
  };
  const uploader = new MediaUploader({ ...options, dir, onChange: changed });
  sweepQueue(store, dir);
  let unfollow = (): void => undefined;
  return {
    dir,
    uploader,
    async upload(input) {
      if (storedVersion(store, 'products', input.productId) === undefined) throw notFound('Product');
      const image = await checkImage(input.base64, input.fileName);
      const alt = input.alt === undefined || input.alt === '' ? undefined : input.alt;
      const upload = enqueueUpload(store, dir, { productId: input.productId, fileName: input.fileName, alt }, image);
      changed();
      uploader.kick();
      return upload;
    },
    pending: (productId) => listUploads(store, productId),
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    retry(id) {
      const upload = getUpload(store, id);
      if (!upload) throw notQueued();
      if (upload.status === 'failed') markPending(store, id);
      changed();
      // Also cuts short a backoff wait: a person asked for it now.
      uploader.kick();
      return getUpload(store, id)!;
    },
    discard(id) {
      const upload = getUpload(store, id);
      if (!upload) throw notQueued();
      if (uploader.current() === id)
        throw new AppError('conflict', 'This image is being sent right now: wait a moment, then discard it if needed');
      removeUpload(store, dir, upload);
      changed();
    },
    follow(engine) {
      const onStatus = () => {
        if (store.sqlite.open && engine.status().online) uploader.kick();
      };
      engine.on('status', onStatus);
      unfollow = () => void engine.off('status', onStatus);
      uploader.kick();
    },
    async close() {
      unfollow();
      await uploader.stop();
    },
  };
}

/** For stores without a data directory (in-memory tests): nothing can be queued, nothing is pending. */
export const noMediaQueue: MediaQueue = {
  upload: () =>
    Promise.reject(new AppError('service_unavailable', 'Image uploads are not available in this back-office host')),
  pending: () => ({ items: [], pending: 0, failed: 0 }),
  retry: () => {
    throw notQueued();
  },
  discard: () => {
    throw notQueued();
  },
};

import path from 'node:path';
import type { Config } from '../../config.js';
import { CloudinaryMediaStore, parseCloudinaryUrl } from './cloudinary-store.js';
import { LocalMediaStore } from './local-store.js';

/** Formats the server stores and delivers. */
export const MEDIA_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;
export type MediaMimeType = keyof typeof MEDIA_TYPES;
export const isMediaMimeType = (mime: string): mime is MediaMimeType => Object.hasOwn(MEDIA_TYPES, mime);

/** Delivery formats a client may ask for with `?fmt=`. */
export const DELIVERY_FORMATS = ['webp', 'jpeg', 'png'] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];

/**
 * Widths a client may ask for. A closed list, so nobody can fill the disk cache (or Cloudinary's
 * derived-asset quota) by requesting every width from 1 to 10000.
 */
export const DELIVERY_WIDTHS = [160, 320, 640, 1024, 1600] as const;
export type DeliveryWidth = (typeof DELIVERY_WIDTHS)[number];
/** The width of the URL stored with each image: large enough for a product page, never the raw original. */
export const DEFAULT_DELIVERY_WIDTH: DeliveryWidth = 1600;

/**
 * A local storage key: a UUID-ish stem and a known extension, nothing else. Checked before any
 * file-system access, so `..`, slashes, encoded dots and NUL bytes can never reach a path.
 */
export const LOCAL_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp)$/;

export interface DeliveryOptions {
  width?: DeliveryWidth;
  format?: DeliveryFormat;
}

export interface StoredMedia {
  /** What to keep in product_images.storage_key: a local key or a Cloudinary public id. */
  storageKey: string;
  /** The default delivery URL (DEFAULT_DELIVERY_WIDTH wide at most). */
  url: string;
}

export interface MediaStore {
  readonly kind: 'local' | 'cloudinary';
  /** Stores the original bytes under `key` (LOCAL_KEY shape). */
  put(input: { key: string; data: Buffer; mimeType: MediaMimeType }): Promise<StoredMedia>;
  /** A delivery URL; local URLs are server-relative (`/media/...`), Cloudinary URLs absolute. */
  url(storageKey: string, options?: DeliveryOptions): string;
  /** Deletes the original and any derived versions; a missing file is not an error. */
  remove(storageKey: string): Promise<void>;
}

/** Where local originals live; resized versions go to `<dir>/cache/`. */
export const localMediaDir = (dataDir: string): string => path.join(dataDir, 'media');

/** Cloudinary (official SDK) when CLOUDINARY_URL is set, otherwise files under DATA_DIR/media. */
export function createMediaStore(config: Pick<Config, 'CLOUDINARY_URL' | 'dataDir'>): MediaStore {
  if (config.CLOUDINARY_URL) return new CloudinaryMediaStore(parseCloudinaryUrl(config.CLOUDINARY_URL));
  return new LocalMediaStore(localMediaDir(config.dataDir));
}

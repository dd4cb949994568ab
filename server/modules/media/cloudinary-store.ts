import http from 'node:http';
import { v2 as cloudinary, type UploadApiErrorResponse, type UploadApiResponse } from 'cloudinary';
import { AppError } from '../../../shared/domain/errors.js';
import {
  DEFAULT_DELIVERY_WIDTH,
  type DeliveryOptions,
  type MediaMimeType,
  type MediaStore,
  type StoredMedia,
} from './store.js';

export interface CloudinaryAccount {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /** API base, `https://api.cloudinary.com` unless the URL's `upload_prefix` says otherwise. */
  uploadPrefix?: string;
  /** Folder for public ids (`?folder=` in the URL); `nexus/products` by default. */
  folder: string;
}

/** cloudinary://<api_key>:<api_secret>@<cloud_name>[?upload_prefix=...&folder=...] */
export function parseCloudinaryUrl(value: string): CloudinaryAccount {
  const url = new URL(value);
  const account = {
    cloudName: url.hostname,
    apiKey: decodeURIComponent(url.username),
    apiSecret: decodeURIComponent(url.password),
    uploadPrefix: url.searchParams.get('upload_prefix') ?? undefined,
    folder: url.searchParams.get('folder') ?? 'nexus/products',
  };
  if (!account.cloudName || !account.apiKey || !account.apiSecret) {
    throw new Error('CLOUDINARY_URL must look like cloudinary://<api_key>:<api_secret>@<cloud_name>');
  }
  return account;
}

const UPLOAD_TIMEOUT_MS = 60_000;

/** Cloudinary reports failures as plain objects (`{message, http_code}`), never as Errors. */
function upstreamError(action: string, err: unknown): AppError {
  const e = (err ?? {}) as Partial<UploadApiErrorResponse>;
  const status = typeof e.http_code === 'number' ? ` (HTTP ${e.http_code})` : '';
  const message = typeof e.message === 'string' && e.message ? e.message : 'no answer';
  return new AppError(
    'service_unavailable',
    `The image service (Cloudinary) could not ${action}${status}: ${message}`,
    {
      cause: err,
    },
  );
}

/**
 * Images on Cloudinary through the official SDK. Credentials go with every call rather than
 * into the SDK's global config, so two stores (or tests) never leak settings into each other.
 */
export class CloudinaryMediaStore implements MediaStore {
  readonly kind = 'cloudinary' as const;
  // The SDK picks http or https once, when first loaded. An http upload_prefix (a local fake,
  // a proxy) therefore needs an http agent on every call, whatever was loaded first.
  private readonly agent: http.Agent | undefined;

  constructor(readonly account: CloudinaryAccount) {
    this.agent = account.uploadPrefix?.startsWith('http:') ? new http.Agent() : undefined;
  }

  private get credentials() {
    return {
      cloud_name: this.account.cloudName,
      api_key: this.account.apiKey,
      api_secret: this.account.apiSecret,
      ...(this.account.uploadPrefix ? { upload_prefix: this.account.uploadPrefix } : {}),
      ...(this.agent ? { agent: this.agent } : {}),
      // The SDK would also create a promise nobody awaits; a failure would then be an unhandled rejection.
      disable_promises: true,
    };
  }

  put({ key, data }: { key: string; data: Buffer; mimeType: MediaMimeType }): Promise<StoredMedia> {
    const publicId = key.replace(/\.[a-z]+$/, '');
    return new Promise((resolve, reject) => {
      const stream = cloudinary.uploader.upload_stream(
        {
          ...this.credentials,
          resource_type: 'image',
          folder: this.account.folder,
          public_id: publicId,
          overwrite: false,
          timeout: UPLOAD_TIMEOUT_MS,
        },
        (err?: UploadApiErrorResponse, result?: UploadApiResponse) => {
          if (err || !result?.public_id) {
            reject(upstreamError('store the image', err ?? { message: 'the answer had no public_id' }));
            return;
          }
          resolve({
            storageKey: result.public_id,
            url: this.url(result.public_id, { width: DEFAULT_DELIVERY_WIDTH }),
          });
        },
      );
      stream.end(data);
    });
  }

  /** A delivery URL with transformations: at most `width` wide, best format and quality for the browser. */
  url(storageKey: string, options: DeliveryOptions = {}): string {
    return cloudinary.url(storageKey, {
      cloud_name: this.account.cloudName,
      secure: true,
      resource_type: 'image',
      // Stored in the database: keep it free of the SDK's per-version analytics parameter.
      urlAnalytics: false,
      ...(options.width ? { width: options.width, crop: 'limit' } : {}),
      fetch_format: options.format ?? 'auto',
      quality: 'auto',
    });
  }

  remove(storageKey: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const destroy = cloudinary.uploader.destroy as (
        id: string,
        options: Record<string, unknown>,
        cb: (err?: UploadApiErrorResponse, result?: { result?: string }) => void,
      ) => unknown;
      destroy(storageKey, { ...this.credentials, resource_type: 'image', invalidate: true }, (err, result) => {
        // "not found" means it is already gone, which is what we wanted.
        if (err || (result?.result !== 'ok' && result?.result !== 'not found')) {
          reject(upstreamError('delete the image', err ?? { message: `unexpected answer ${JSON.stringify(result)}` }));
          return;
        }
        resolve();
      });
    });
  }
}

import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_DELIVERY_WIDTH, LOCAL_KEY, type DeliveryOptions, type MediaStore, type StoredMedia } from './store.js';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** A name no key can match (keys never start with a dot), so half-written files are never served. */
const tempName = (target: string) =>
  path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);

/** Same limit as uploads accept: a crafted file cannot make a resize allocate gigabytes. */
export const MAX_INPUT_PIXELS = 100_000_000;

/** Originals in `<dir>/<key>`; derived versions in `<dir>/cache/<key>/<w320|full>.<ext>`. */
export class LocalMediaStore implements MediaStore {
  readonly kind = 'local' as const;
  private readonly rendering = new Map<string, Promise<void>>();

  constructor(readonly dir: string) {}

  async put({ key, data }: { key: string; data: Buffer }): Promise<StoredMedia> {
    if (!LOCAL_KEY.test(key)) throw new Error(`Refusing to store media under the malformed key ${JSON.stringify(key)}`);
    await mkdir(this.dir, { recursive: true });
    const target = path.join(this.dir, key);
    const tmp = tempName(target);
    // Write then rename: a reader never sees a half-written original.
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, target);
    return { storageKey: key, url: this.url(key, { width: DEFAULT_DELIVERY_WIDTH }) };
  }

  url(storageKey: string, options: DeliveryOptions = {}): string {
    const query = new URLSearchParams();
    if (options.width) query.set('w', String(options.width));
    if (options.format) query.set('fmt', options.format);
    const qs = query.toString();
    return `/media/${encodeURIComponent(storageKey)}${qs ? `?${qs}` : ''}`;
  }

  async remove(storageKey: string): Promise<void> {
    // A malformed key never names one of our files: there is nothing to remove, and it must not reach a path.
    if (!LOCAL_KEY.test(storageKey)) return;
    await rm(path.join(this.dir, storageKey), { force: true });
    await rm(this.cacheDir(storageKey), { recursive: true, force: true });
  }

  cacheDir(key: string): string {
    return path.join(this.dir, 'cache', key);
  }

  /**
   * The file to send for a request: the original, or a resized / re-encoded version made once
   * and kept on disk. Undefined when the key is malformed or unknown.
   */
  async resolve(key: string, options: DeliveryOptions): Promise<string | undefined> {
    if (!LOCAL_KEY.test(key)) return undefined;
    const original = path.join(this.dir, key);
    if (!(await exists(original))) return undefined;
    if (!options.width && !options.format) return original;
    const ext = options.format === 'jpeg' ? 'jpg' : (options.format ?? path.extname(key).slice(1));
    const target = path.join(this.cacheDir(key), `${options.width ? `w${options.width}` : 'full'}.${ext}`);
    if (await exists(target)) return target;
    // Concurrent first requests for one version share a single render.
    let pending = this.rendering.get(target);
    if (!pending) {
      pending = this.render(original, target, options.width).finally(() => this.rendering.delete(target));
      this.rendering.set(target, pending);
    }
    await pending;
    return target;
  }

  private async render(original: string, target: string, width: number | undefined): Promise<void> {
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = tempName(target);
    // rotate() applies the EXIF orientation; the output carries no metadata (no camera GPS data).
    let image = sharp(original, { limitInputPixels: MAX_INPUT_PIXELS }).rotate();
    if (width) image = image.resize({ width, withoutEnlargement: true });
    const ext = path.extname(target).slice(1);
    image =
      ext === 'webp'
        ? image.webp({ quality: 80 })
        : ext === 'png'
          ? image.png({ compressionLevel: 8 })
          : image.jpeg({ quality: 82, progressive: true });
    try {
      await image.toFile(tmp);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    // The image may have been deleted while it was being resized: do not leave an orphan behind.
    if (!(await exists(original))) await rm(path.dirname(target), { recursive: true, force: true });
  }
}

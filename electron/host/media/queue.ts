/**
 * The image upload queue on disk: a row per image in `media_uploads` (db/schema.ts) and its file in
 * `<dataDir>/media-queue/<id>.<ext>`. The file is written (then renamed into place) before its row,
 * and its row deleted before the file, so a crash leaves at worst a file without a row, which
 * `sweepQueue` removes; a row never points at nothing unless the file was removed by hand.
 */
import { mkdirSync, readdirSync, rmSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { PendingUpload } from '../../../shared/contract/backoffice.js';
import { newId } from '../../../shared/domain/ids.js';
import type { Store } from '../db/store.js';
import { type CheckedImage, EXTENSIONS } from './image.js';

const COLUMNS = `id, product_id AS productId, file_name AS fileName, alt, mime_type AS mimeType, bytes, width, height,
  status, attempts, last_error AS lastError, preview, created_at AS createdAt`;

const statements = (store: Store) =>
  store.cached('media:queue', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      insert: q(
        `INSERT INTO media_uploads (id, product_id, file_name, alt, mime_type, bytes, width, height, preview, created_at)
         VALUES (@id, @productId, @fileName, @alt, @mimeType, @bytes, @width, @height, @preview, @createdAt)`,
      ),
      get: q(`SELECT ${COLUMNS} FROM media_uploads WHERE id = ?`),
      list: q(`SELECT ${COLUMNS} FROM media_uploads WHERE @productId IS NULL OR product_id = @productId ORDER BY seq`),
      counts: q(
        `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'failed') AS failed
         FROM media_uploads`,
      ),
      // A product created on this device is sent before its images can be: its create must have been applied.
      next: q(
        `SELECT ${COLUMNS} FROM media_uploads m WHERE status = 'pending' AND NOT EXISTS (
           SELECT 1 FROM outbox o WHERE o.name = 'product.create' AND o.status IN ('pending', 'sent')
             AND json_extract(o.args, '$.id') = m.product_id)
         ORDER BY seq LIMIT 1`,
      ),
      attempt: q('UPDATE media_uploads SET attempts = attempts + 1, last_error = ? WHERE id = ?'),
      fail: q(`UPDATE media_uploads SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`),
      retry: q(`UPDATE media_uploads SET status = 'pending', last_error = NULL WHERE id = ?`),
      remove: q('DELETE FROM media_uploads WHERE id = ?'),
      ids: q('SELECT id FROM media_uploads').pluck(),
      all: q(`SELECT ${COLUMNS} FROM media_uploads`),
    };
  });

type Row = PendingUpload;

export function queueDir(dataDir: string): string {
  return path.join(dataDir, 'media-queue');
}

export const fileOf = (dir: string, upload: Pick<Row, 'id' | 'mimeType'>) =>
  path.join(dir, `${upload.id}.${EXTENSIONS[upload.mimeType]}`);

export function enqueueUpload(
  store: Store,
  dir: string,
  input: { productId: string; fileName: string; alt?: string | undefined },
  image: CheckedImage,
  now = new Date(),
): Row {
  const id = newId();
  const file = fileOf(dir, { id, mimeType: image.mimeType });
  mkdirSync(dir, { recursive: true });
  // Written aside then renamed: a crash never leaves a half file under a queued name.
  writeFileSync(`${file}.part`, image.data);
  renameSync(`${file}.part`, file);
  try {
    statements(store).insert.run({
      id,
      productId: input.productId,
      fileName: input.fileName,
      alt: input.alt ?? null,
      mimeType: image.mimeType,
      bytes: image.data.length,
      width: image.width,
      height: image.height,
      preview: image.preview,
      createdAt: now.toISOString(),
    });
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
  return getUpload(store, id)!;
}

export const getUpload = (store: Store, id: string) => statements(store).get.get(id) as Row | undefined;

export function listUploads(store: Store, productId?: string): { items: Row[]; pending: number; failed: number } {
  const st = statements(store);
  const counts = st.counts.get() as { pending: number; failed: number };
  return { items: st.list.all({ productId: productId ?? null }) as Row[], ...counts };
}

/** The next upload to send, oldest first (held back while its product's create is not yet on the server). */
export const nextUpload = (store: Store) => statements(store).next.get() as Row | undefined;

/** A try that may succeed later (network, server busy): it stays pending, with what went wrong for the UI. */
export const noteAttempt = (store: Store, id: string, error: string) => void statements(store).attempt.run(error, id);

/** Refused by the server: it waits, failed with the server's reason, for a person to retry or discard it. */
export const markFailed = (store: Store, id: string, reason: string) => void statements(store).fail.run(reason, id);

export const markPending = (store: Store, id: string) => void statements(store).retry.run(id);

/** Row first, then file: a crash in between leaves an orphan file that sweepQueue removes. */
export function removeUpload(store: Store, dir: string, upload: Pick<Row, 'id' | 'mimeType'>): void {
  statements(store).remove.run(upload.id);
  rmSync(fileOf(dir, upload), { force: true });
}

/**
 * At start: files no row names (a crash between the two writes) go; a row whose file is gone
 * (removed by hand) is marked failed, so it is shown rather than retried forever or dropped quietly.
 */
export function sweepQueue(store: Store, dir: string): void {
  const st = statements(store);
  const known = new Set(st.ids.all() as string[]);
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const id = name.split('.')[0]!;
    if (!known.has(id) || name.endsWith('.part')) rmSync(path.join(dir, name), { force: true });
  }
  for (const row of st.all.all() as Row[])
    if (row.status === 'pending' && !existsSync(fileOf(dir, row)))
      markFailed(store, row.id, `The queued file ${path.basename(fileOf(dir, row))} is missing from ${dir}`);
}

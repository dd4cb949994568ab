/**
 * The pull cursor: opaque to devices, base64url of JSON {e: epoch, t: txid, v: version, s?}.
 * (t, v) is the last position a device has; `s` (ms since 1970), present only during a first
 * download, skips ledger movements older than that. A cursor is not signed: a forged one can only
 * make its own device re-download, or (with a position from the future) rotate the epoch.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors.js';

/** The highest bigint: a caught-up cursor's version, so every later transaction comes after it. */
export const MAX_VERSION = '9223372036854775807';

const decimal = z.string().regex(/^\d{1,20}$/);
const cursorShape = z.strictObject({
  e: z.string().min(1).max(64),
  t: decimal,
  v: decimal,
  s: z.number().int().min(0).optional(),
});
export type Cursor = z.infer<typeof cursorShape>;

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('validation_failed', 'The cursor is not one this server gave', {
      errors: [{ path: 'query.cursor', message: 'unknown cursor: start without one' }],
    });
  }
}

/**
 * Where a snapshot stream (snapshot.ts) stands: opaque to devices, base64url of JSON. `t` is the
 * horizon the download started at (its end cursor is {e, t, v: MAX}), `k` the index in
 * SNAPSHOT_TABLES of the table being read and `a` the last row id served from it, `s` the movement
 * cut-off, `n` rows served so far of `N` counted at the start. Unsigned, like the cursor: a forged
 * one only skips rows of its own device's download.
 */
const snapshotShape = z.strictObject({
  e: z.string().min(1).max(64),
  t: decimal,
  k: z.number().int().min(0).max(64),
  a: z.uuid().optional(),
  s: z.number().int().min(0),
  n: z.number().int().min(0),
  N: z.number().int().min(0),
});
export type SnapshotPosition = z.infer<typeof snapshotShape>;

export const encodeSnapshotPosition = (p: SnapshotPosition): string =>
  Buffer.from(JSON.stringify(p)).toString('base64url');

export function decodeSnapshotPosition(raw: string): SnapshotPosition {
  try {
    return snapshotShape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('validation_failed', 'The resume token is not one this server gave', {
      errors: [{ path: 'query.resume', message: 'unknown resume token: start without one' }],
    });
  }
}

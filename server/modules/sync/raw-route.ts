/**
 * A GET route whose answer is JSON text made elsewhere (a pull page, the snapshot stream): the
 * ApiRouter would parse the answer back into objects to check it against its schema, which on a
 * 5000-row page costs more than making it. The declaration still goes into the router's list, so
 * the OpenAPI document shows its query and answer schemas; access and the query are checked here
 * exactly as ApiRouter checks them, and the answer's shape is what the tests hold it to.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { requireAccess } from '../../http/auth.js';
import { validationError } from '../../http/errors.js';
import { type ApiRouter, type RouteSpec, zodIssuesToFieldErrors } from '../../http/route.js';

export function addRawGet<Q extends z.ZodType>(
  api: ApiRouter,
  spec: Omit<RouteSpec, 'method' | 'handler' | 'query'> & { query: Q },
  serve: (query: z.output<Q>, req: Request, res: Response) => Promise<void>,
): ApiRouter {
  const declared: RouteSpec = {
    ...spec,
    method: 'get',
    handler: () => {
      throw new Error('served by the raw route');
    },
  };
  api.routes.push({ ...declared, fullPath: api.prefix + spec.path });
  api.router.get(spec.path, requireAccess(spec.access), async (req, res) => {
    const query = spec.query.safeParse(req.query);
    if (!query.success) throw validationError(zodIssuesToFieldErrors(query.error, 'query'));
    await serve(query.data, req, res);
  });
  return api;
}

/** Batches the stream reads ahead of what the socket has taken: the next one is read while one drains. */
const READ_AHEAD = 2;

/**
 * Streams a snapshot (snapshot.ts) as application/x-ndjson. Its first piece is read before the
 * status goes out, so a refusal up front (a bad token) is still a proper problem answer; a failure
 * later can only cut the stream, which the device sees (no `end` line) and resumes from its last
 * token. A device that goes away stops the reading.
 */
export async function sendSnapshot(pieces: AsyncGenerator<string>, req: Request, res: Response): Promise<void> {
  const first = await pieces.next();
  res.status(200).type('application/x-ndjson').setHeader('Cache-Control', 'no-store');
  const all = async function* () {
    if (!first.done) yield first.value;
    yield* pieces;
  };
  try {
    await pipeline(Readable.from(all(), { highWaterMark: READ_AHEAD }), res);
  } catch (err) {
    if (!res.destroyed) res.destroy();
    if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
      req.log.warn({ err }, 'sync snapshot stream stopped early');
  }
}

/**
 * The sync API (API.md "Sync", SYNC.md): devices, pull, push, live pokes, conflicts and
 * oversells. Staff or admin only; a device is only ever visible to the user who registered it.
 */
import { z } from 'zod';
import {
  pullAnswer,
  pullQuery,
  pushAnswer,
  pushBody,
  snapshotLine,
  snapshotQuery,
} from '../../../shared/sync/protocol.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import { findDevice, registerDevice, touchDevice } from './devices.js';
import { SyncEvents } from './events.js';
import { pull, pullBody } from './pull.js';
import { addRawGet, sendSnapshot } from './raw-route.js';
import { snapshotStream } from './snapshot.js';
import { listOpenConflicts, listOpenOversells, resolveConflict, resolveOversell } from './resolve.js';
import { push } from './push.js';
import { assertProtocol } from './versions.js';

const deviceBody = z.strictObject({
  name: z.string().trim().max(100).optional(),
  /** The host may make its own id (UUIDv7) so a lost answer can be retried with the same one. */
  clientId: z.uuid().optional(),
});
const idParams = z.strictObject({ id: z.uuid() });
const iso = z.iso.datetime();
const conflictSchema = z
  .object({
    id: z.uuid(),
    tableName: z.string(),
    rowId: z.uuid(),
    field: z.string(),
    serverValue: z.unknown(),
    clientValue: z.unknown(),
    clientId: z.uuid(),
    mutationId: z.uuid(),
    createdAt: iso,
    resolvedAt: iso.nullable(),
    resolvedBy: z.uuid().nullable(),
    resolution: z.enum(['server', 'client']).nullable(),
  })
  .meta({ id: 'SyncConflict' });
const oversellSchema = z
  .object({
    id: z.uuid(),
    variantId: z.uuid(),
    locationId: z.uuid(),
    level: z.number().int(),
    createdAt: iso,
    resolvedAt: iso.nullable(),
    resolvedBy: z.uuid().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'StockOversell' });
/** Rows with their timestamps as ISO strings, as the wire carries them. */
const dates = <T extends { createdAt: Date; resolvedAt: Date | null }>(r: T) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  resolvedAt: r.resolvedAt?.toISOString() ?? null,
});
const deviceAnswer = z.object({ clientId: z.uuid(), name: z.string(), lastMutationSeq: z.number().int() });

const hubs = new WeakMap<AppContext, SyncEvents>();

/** The app's event hub, so shutdown can end the open streams at once (`close()`). */
export function syncEventsOf(ctx: AppContext): SyncEvents {
  let hub = hubs.get(ctx);
  if (!hub) hubs.set(ctx, (hub = new SyncEvents(ctx.database, ctx.logger.child({ module: 'sync' }))));
  return hub;
}

/** Ends the app's open event streams, if it ever opened any (shutdown). */
export const closeSyncEvents = async (ctx: AppContext): Promise<void> => {
  await hubs.get(ctx)?.close();
};

export function syncRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Sync'];
  const events = syncEventsOf(ctx);
  const api = new ApiRouter('/api/v1/sync');
  addRawGet(
    api,
    {
      path: '/pull',
      summary: 'The next page of changes after a cursor',
      description:
        'Without a cursor: a first download from the beginning. Changes come in server order; `cursor` is opaque. An answer whose `epoch` differs from the one the device holds restarts from the beginning: drop the replica, keep pending mutations, register a new device and push them again.',
      tags,
      access: 'staff',
      query: pullQuery,
      response: pullAnswer,
      errors: [403, 426],
    },
    async (query, req, res) => {
      assertProtocol(query.protocolVersion);
      const device = await findDevice(ctx.db, query.clientId, req.auth!.userId);
      const body = pullBody(await pull(ctx.db, device, query));
      await touchDevice(ctx.db, device.clientId);
      res.status(200).type('application/json').send(body);
    },
  );
  addRawGet(
    api,
    {
      path: '/snapshot',
      summary: 'A first download as one stream of JSON lines',
      description:
        'An `application/x-ndjson` stream; each line is one of the answer schema: `{begin}` first (epoch, the pull cursor to continue from afterwards, the row total), then upserts (`Change`) in batches each followed by `{resume}` (apply the batch and keep its token in one transaction; after a cut, ask again with `resume=<token>`), and `{end}` last: a stream without it was cut. Every live row of every synced table, tables in a fixed order (levels, variants, products, …), no tombstones. Then pull from `begin.cursor`: that serves whatever changed meanwhile. A token from another epoch starts a new snapshot (`begin.epoch` tells).',
      tags,
      access: 'staff',
      query: snapshotQuery,
      response: snapshotLine,
      errors: [403, 426],
    },
    async (query, req, res) => {
      assertProtocol(query.protocolVersion);
      const device = await findDevice(ctx.db, query.clientId, req.auth!.userId);
      await touchDevice(ctx.db, device.clientId);
      await sendSnapshot(snapshotStream(ctx.db, device, query), req, res);
    },
  );
  return api
    .add({
      method: 'get',
      path: '/events',
      summary: 'Server-Sent Events: `poke` when new changes may exist',
      description:
        'A text/event-stream that stays open: `event: poke` (at most one per 100 ms) when changes were committed anywhere, and a `: heartbeat` comment every 20 s. Pull on a poke. Authenticate with the Bearer header (stream with fetch; there is no token query parameter).',
      tags,
      access: 'staff',
      handler: ({ req, res }) => events.stream(req, res),
    })
    .add({
      method: 'post',
      path: '/devices',
      summary: 'Register a back-office device for the calling staff member',
      description: 'Registering an id you already own answers it again (a retry after a lost answer).',
      tags,
      access: 'staff',
      body: deviceBody,
      status: 201,
      response: deviceAnswer,
      errors: [409],
      handler: async ({ body, auth }) => {
        const device = await registerDevice(ctx.db, auth.userId, body);
        return { clientId: device.clientId, name: device.name, lastMutationSeq: device.lastMutationSeq };
      },
    })
    .add({
      method: 'post',
      path: '/push',
      summary: 'Apply a batch of named mutations, each exactly once',
      description:
        'Each mutation runs in its own transaction with the record of its seq. Answers per mutation: applied, duplicate (seq already processed), rejected {code, message} (the seq still advances), conflict (applied; the fields listed overwrote a concurrent edit). A seq gap stops the batch: the first gapped mutation is answered rejected `seq_gap` and nothing after it is applied.',
      tags,
      access: 'staff',
      body: pushBody,
      response: pushAnswer,
      errors: [403, 426],
      handler: async ({ body, auth }) => {
        assertProtocol(body.protocolVersion);
        const answer = await push(ctx, auth.userId, body);
        ctx.outbox.poke();
        return answer;
      },
    })
    .add({
      method: 'get',
      path: '/conflicts',
      summary: 'Open conflicts: field values overwritten by a later push (newest first, at most 500)',
      tags,
      access: 'staff',
      response: z.object({ items: z.array(conflictSchema) }),
      handler: async () => ({ items: (await listOpenConflicts(ctx.db)).map(dates) }),
    })
    .add({
      method: 'post',
      path: '/conflicts/:id/resolve',
      summary: 'Resolve a conflict: keep the value that won (client) or restore the overwritten one (server)',
      tags,
      access: 'staff',
      params: idParams,
      body: z.strictObject({ keep: z.enum(['server', 'client']) }),
      response: conflictSchema,
      errors: [404, 409],
      handler: async ({ params, body, auth }) =>
        dates(await resolveConflict(ctx.db, params.id, body.keep, auth.userId)),
    })
    .add({
      method: 'get',
      path: '/oversells',
      summary: 'Open oversells: stock levels that went below zero (newest first, at most 500)',
      tags,
      access: 'staff',
      response: z.object({ items: z.array(oversellSchema) }),
      handler: async () => ({ items: (await listOpenOversells(ctx.db)).map(dates) }),
    })
    .add({
      method: 'post',
      path: '/oversells/:id/resolve',
      summary: 'Mark an oversell as dealt with (count or adjust the stock first)',
      tags,
      access: 'staff',
      params: idParams,
      response: oversellSchema,
      errors: [404, 409],
      handler: async ({ params, auth }) => dates(await resolveOversell(ctx.db, params.id, auth.userId)),
    });
}

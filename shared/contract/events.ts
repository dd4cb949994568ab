/**
 * What the host tells the UI without being asked (Electron: an IPC message; browser mode: the
 * `/api/events` stream, one SSE event per type). `changed` follows a sync pass that brought rows,
 * so open screens reload; `orderArrived` names orders this store had not seen (never during the
 * first download), for the "new order" toast.
 *
 * Apart from backoffice.ts (which re-exports it) because the browser-mode bridge parses every
 * event from its first moments, and importing this file builds only these few schemas.
 */
import { z } from 'zod';

const int = z.number().int();

export const syncStatusSchema = z.object({
  online: z.boolean(),
  state: z.enum(['signed_out', 'idle', 'downloading', 'pulling', 'pushing', 'offline', 'error']),
  pending: int,
  oldestPendingAgeMs: z.number().nullable(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  conflicts: int,
  rejections: int,
  oversells: int,
  progress: z.object({ done: int, total: int.nullable() }).nullable(),
  epoch: z.string().nullable(),
  user: z.object({ email: z.string(), name: z.string(), role: z.string() }).nullable(),
  serverUrl: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const hostEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: syncStatusSchema }),
  z.object({ type: z.literal('changed'), tables: z.array(z.string()) }),
  z.object({
    type: z.literal('orderArrived'),
    orders: z.array(
      z.object({ id: z.uuid(), number: z.string(), email: z.string(), totalCents: int, currency: z.string() }),
    ),
  }),
]);
export type HostEvent = z.infer<typeof hostEventSchema>;

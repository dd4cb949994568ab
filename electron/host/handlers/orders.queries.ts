/**
 * Order reads from the local order cache: the filtered list and one order with its items and
 * timeline, in the admin API's shapes. The timeline is the server's (order_events, synced down with
 * notes from every device and the admin API); a note written here shows from this device's outbox
 * until its event arrives. That event has the mutation's id: an entry whose event is stored is left
 * out, so a note is never listed twice, and the entry stays until its event is stored (outbox.ts
 * confirmApplied), so the note never drops out of sight in between.
 */
import type {
  ChannelArgs,
  ChannelOutput,
  OrderDetail,
  OrderTimelineEvent,
} from '../../../shared/contract/backoffice.js';
import { TOTAL_CAP } from '../db/queries.js';
import type { Store } from '../db/store.js';
import { type Json, num, orNull, str } from './wire.js';

type OrderPage = ChannelOutput<'orders:list'>;
type OrderItem = OrderPage['items'][number];

const LIKE = `LIKE @like ESCAPE '\\'`;
const WHERE = `(@statuses IS NULL OR o.status IN (SELECT value FROM json_each(@statuses)))
  AND (@from IS NULL OR o.created_at >= @from) AND (@to IS NULL OR o.created_at <= @to)
  AND (@like IS NULL OR o.number ${LIKE} OR o.email ${LIKE} OR c.name ${LIKE}
    OR json_extract(o.data, '$.shippingAddress.name') ${LIKE})`;
const FROM = 'FROM orders o LEFT JOIN customers c ON c.id = o.user_id';

const statements = (store: Store) =>
  store.cached('handlers:orders', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    return {
      page: q(
        `SELECT o.id, o.number, o.status, o.email,
           coalesce(c.name, json_extract(o.data, '$.shippingAddress.name')) AS customerName, o.total_cents AS totalCents,
           o.currency, o.payment_status AS paymentStatus, o.needs_attention AS needsAttention,
           (SELECT coalesce(sum(i.quantity), 0) FROM order_items i WHERE i.order_id = o.id) AS itemCount,
           o.created_at AS createdAt
         ${FROM} WHERE ${WHERE} ORDER BY o.created_at DESC, o.id DESC LIMIT @limit OFFSET @offset`,
      ),
      count: q(`SELECT count(*) FROM (SELECT 1 ${FROM} WHERE ${WHERE} LIMIT ${TOTAL_CAP + 1})`).pluck(),
      order: q('SELECT data FROM orders WHERE id = ?').pluck(),
      items: q('SELECT data FROM order_items WHERE order_id = ? ORDER BY id').pluck(),
      events: q('SELECT data FROM order_events WHERE order_id = ? ORDER BY created_at, id').pluck(),
      notes: q(
        `SELECT id AS mutationId, json_extract(args, '$.note') AS note, created_at AS at FROM outbox
         WHERE name = 'order.note' AND json_extract(args, '$.orderId') = ?
           AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.id = outbox.id) ORDER BY seq`,
      ),
    };
  });

/** `%` and `_` typed by a person are literal characters, not wildcards. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const iso = (value: string | undefined) => (value === undefined ? null : new Date(value).toISOString());

export function listOrders(store: Store, query: ChannelArgs<'orders:list'>): OrderPage {
  const st = statements(store);
  const filter = {
    statuses: query.status === undefined ? null : JSON.stringify(query.status),
    from: iso(query.from),
    to: iso(query.to),
    like: query.q === undefined ? null : contains(query.q),
  };
  const count = st.count.get(filter) as number;
  const rows = st.page.all({ ...filter, limit: query.limit, offset: query.offset }) as (Omit<
    OrderItem,
    'needsAttention'
  > & { needsAttention: number })[];
  return {
    items: rows.map((r) => ({ ...r, needsAttention: r.needsAttention === 1 })),
    total: Math.min(count, TOTAL_CAP),
    totalCapped: count > TOTAL_CAP,
  };
}

export function orderDetail(store: Store, id: string): OrderDetail | undefined {
  const st = statements(store);
  const text = st.order.get(id) as string | undefined;
  if (text === undefined) return undefined;
  const d = JSON.parse(text) as Json;
  const items = (st.items.all(id) as string[]).map((t) => {
    const i = JSON.parse(t) as Json;
    return {
      variantId: orNull<string>(i.variantId),
      sku: String(i.sku),
      name: String(i.name),
      quantity: Number(i.quantity),
      unitPriceCents: Number(i.unitPriceCents),
      lineTotalCents: Number(i.lineTotalCents),
    };
  });
  const shipped = d.fulfillmentCarrier ?? d.fulfillmentTrackingNumber ?? d.shippedAt;
  return {
    id,
    number: String(d.number),
    status: d.status as OrderDetail['status'],
    email: String(d.email),
    items,
    subtotalCents: Number(d.subtotalCents),
    shippingCents: num(d.shippingCents),
    taxCents: num(d.taxCents),
    totalCents: Number(d.totalCents),
    currency: str(d.currency, 'USD'),
    shippingAddress: d.shippingAddress as OrderDetail['shippingAddress'],
    billingAddress: orNull<OrderDetail['shippingAddress']>(d.billingAddress),
    payment: { provider: str(d.paymentProvider, 'unknown'), status: str(d.paymentStatus, 'pending') },
    fulfillment:
      shipped === undefined || shipped === null
        ? null
        : {
            carrier: orNull<string>(d.fulfillmentCarrier),
            trackingNumber: orNull<string>(d.fulfillmentTrackingNumber),
            shippedAt: orNull<string>(d.shippedAt),
          },
    expiresAt: orNull<string>(d.expiresAt),
    paidAt: orNull<string>(d.paidAt),
    createdAt: String(d.createdAt),
    updatedAt: str(d.updatedAt, str(d.createdAt)),
    needsAttention: d.needsAttention === true,
    attentionReason: orNull<string>(d.attentionReason),
    refundedCents: num(d.refundedCents),
    cancellationReason: orNull<string>(d.cancellationReason),
    timeline: (st.events.all(id) as string[]).map(toTimelineEvent),
    pendingNotes: st.notes.all(id) as OrderDetail['pendingNotes'],
  };
}

function toTimelineEvent(text: string): OrderTimelineEvent {
  const e = JSON.parse(text) as Json;
  const data = e.data;
  return {
    id: String(e.id),
    type: String(e.type),
    actor: str(e.actor, 'system'),
    actorName: typeof e.actorName === 'string' ? e.actorName : null,
    data: data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Json) : {},
    at: String(e.createdAt),
  };
}

/** Where the "new order" watch stands: the newest order this store holds. */
export type OrderMark = { createdAt: string; id: string } | null;
export type ArrivedOrder = { id: string; number: string; email: string; totalCents: number; currency: string };

const watchStatements = (store: Store) =>
  store.cached('handlers:orders-watch', () => ({
    newest: store.sqlite.prepare(
      'SELECT created_at AS createdAt, id FROM orders ORDER BY created_at DESC, id DESC LIMIT 1',
    ),
    after: store.sqlite.prepare(
      `SELECT id, number, email, total_cents AS totalCents, currency FROM orders
       WHERE created_at > @createdAt OR (created_at = @createdAt AND id > @id)
       ORDER BY created_at, id LIMIT @limit`,
    ),
  }));

export function newestOrderMark(store: Store): OrderMark {
  return (watchStatements(store).newest.get() as OrderMark | undefined) ?? null;
}

/** Orders stored after `mark` (all of them when there was none), oldest first, at most `limit`. */
export function ordersAfter(store: Store, mark: OrderMark, limit: number): ArrivedOrder[] {
  const from = mark ?? { createdAt: '', id: '' };
  return watchStatements(store).after.all({ ...from, limit }) as ArrivedOrder[];
}

/** The review moderation queue from the local store: pending reviews first (longest waiting first), then the rest, newest first. */
import type { ChannelArgs, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { TOTAL_CAP } from '../db/queries.js';
import type { Store } from '../db/store.js';
import { str } from './wire.js';

type ReviewPage = ChannelOutput<'reviews:list'>;
type ReviewItem = ReviewPage['items'][number];

const WHERE = '(@status IS NULL OR r.status = @status) AND (@productId IS NULL OR r.product_id = @productId)';

const statements = (store: Store) =>
  store.cached('handlers:reviews', () => {
    const q = (source: string) => store.sqlite.prepare(source);
    const select =
      'SELECT r.data, r.version, p.name AS productName FROM reviews r LEFT JOIN products p ON p.id = r.product_id';
    return {
      page: q(
        `${select} WHERE ${WHERE}
         ORDER BY r.status <> 'pending', CASE WHEN r.status = 'pending' THEN r.created_at END ASC, r.created_at DESC, r.id
         LIMIT @limit OFFSET @offset`,
      ),
      count: q(`SELECT count(*) FROM (SELECT 1 FROM reviews r WHERE ${WHERE} LIMIT ${TOTAL_CAP + 1})`).pluck(),
      one: q(`${select} WHERE r.id = ?`),
    };
  });

interface Row {
  data: string;
  version: number;
  productName: string | null;
}

function itemOf(row: Row): ReviewItem {
  const d = JSON.parse(row.data) as Record<string, unknown>;
  return {
    id: String(d.id),
    productId: String(d.productId),
    productName: row.productName,
    rating: Number(d.rating),
    title: String(d.title),
    body: str(d.body),
    status: d.status as ReviewItem['status'],
    verifiedPurchase: d.verifiedPurchase === true,
    createdAt: String(d.createdAt),
    moderatedAt: (d.moderatedAt ?? null) as string | null,
    version: row.version,
  };
}

export function listReviews(store: Store, query: ChannelArgs<'reviews:list'>): ReviewPage {
  const st = statements(store);
  const filter = { status: query.status ?? null, productId: query.productId ?? null };
  const count = st.count.get(filter) as number;
  const rows = st.page.all({ ...filter, limit: query.limit, offset: query.offset }) as Row[];
  return { items: rows.map(itemOf), total: Math.min(count, TOTAL_CAP), totalCapped: count > TOTAL_CAP };
}

export function reviewById(store: Store, id: string): ReviewItem | undefined {
  const row = statements(store).one.get(id) as Row | undefined;
  return row && itemOf(row);
}

import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';

const idArray = (ids: string[]) =>
  sql`array[${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;

/**
 * Recomputes the browse columns of products (search document, price range, stock flag) from
 * their variants and stock. Runs in the writer's transaction, so readers never see them stale.
 * Search uses the `simple` configuration: names, SKUs and codes are not English words, and
 * prefix matching must see them unstemmed.
 */
export async function refreshProducts(tx: DbOrTx, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  const ids = idArray([...new Set(productIds)]);
  await tx.execute(sql`
    update products p set
      min_price_cents = v.min_price,
      max_price_cents = v.max_price,
      in_stock = coalesce(s.available, 0) > 0,
      search_document =
        setweight(to_tsvector('simple', p.name), 'A') ||
        setweight(to_tsvector('simple', coalesce(v.skus, '')), 'A') ||
        setweight(to_tsvector('simple', array_to_string(p.tags, ' ')), 'B') ||
        setweight(to_tsvector('simple', left(p.description, 100000)), 'C')
    from products p2
    left join (
      select product_id, min(price_cents) as min_price, max(price_cents) as max_price, string_agg(sku, ' ') as skus
      from variants where product_id = any(${ids}) group by product_id
    ) v on v.product_id = p2.id
    left join (
      select va.product_id, sum(greatest(l.on_hand - l.reserved, 0)) as available
      from stock_levels l join variants va on va.id = l.variant_id
      where va.product_id = any(${ids}) group by va.product_id
    ) s on s.product_id = p2.id
    where p.id = p2.id and p2.id = any(${ids})`);
  // The typo dictionary learns the words (search.service.ts corrects shoppers' typos against it).
  // Only words: codes with digits or punctuation (SKU parts) are never corrected into.
  await tx.execute(sql`
    insert into search_terms (term)
    select distinct t.lexeme from products p cross join lateral unnest(p.search_document) t
    where p.id = any(${ids}) and t.lexeme !~ '[0-9[:punct:]]'
    order by 1 -- one lock order for every writer: concurrent inserts of shared words cannot deadlock
    on conflict do nothing`);
}

/** After a stock movement only the stock flag can change: a cheaper update than refreshProducts. */
export async function refreshInStock(tx: DbOrTx, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  const ids = idArray([...new Set(productIds)]);
  // Only rows whose flag changes are written: most stock movements leave it as it was.
  await tx.execute(sql`
    update products p set in_stock = s.in_stock
    from (select p2.id, exists (
        select 1 from stock_levels l join variants v on v.id = l.variant_id
        where v.product_id = p2.id and l.on_hand - l.reserved > 0
      ) as in_stock from products p2 where p2.id = any(${ids})) s
    where p.id = s.id and p.in_stock is distinct from s.in_stock`);
}

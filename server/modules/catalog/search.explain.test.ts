/**
 * The hot search queries use the indexes they were designed for, on a 10k-product catalog.
 * The plans come from the planner's own choice on realistic data: no enable_seqscan tricks.
 */
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProductSearchQuery } from '../../../shared/api/catalog.schemas.js';
import { queryRows } from '../../db/sql.js';
import { createTestDatabase, TEST_DB, type TestDatabase } from '../../test/harness.js';
import { refreshProducts } from './derived.js';
import {
  correctionsQuery,
  facetsQuery,
  pageQuery,
  searchPlan,
  searchProducts,
  typoCorrections,
} from './search.service.js';

const PRODUCTS = 10_000;
const NOUNS =
  'kettle mug lamp chair table pillow blanket spoon plate bowl glass bottle candle vase frame clock mirror rug towel soap brush bag wallet belt scarf glove sock boot jacket coat dress skirt jeans sweater hoodie watch ring necklace bracelet teapot'.split(
    ' ',
  );
const ADJECTIVES =
  'red blue green black white large small classic modern vintage organic premium cozy bright soft sturdy light dark golden silver'.split(
    ' ',
  );
const SYLLABLES = ['zen', 'tro', 'ka', 'mi', 'lo', 'ra', 'vu', 'ex'];
const words = (list: string[]) => sql.raw(`array[${list.map((w) => `'${w}'`).join(',')}]`);

let database: TestDatabase;
const db = () => database.db;

/**
 * Shaped like a real catalog: ~8% drafts or archived; 10 big categories with 7% of the products
 * each and 50 small ones with 0.6%; names of an adjective, a noun and one of 512 invented brand
 * words (rare terms, as brands and models are); one variant per product with a SKU and a spread of
 * prices. Multi-row statements only: per-row inserts would take minutes on PGlite.
 */
async function seed(): Promise<void> {
  await db().execute(sql`insert into categories (id, slug, name, position)
    select gen_random_uuid(), 'cat-' || i, 'Category ' || i, i from generate_series(1, 60) i`);
  await db().execute(sql`
    with s as (select ${words(SYLLABLES)} syl, ${words(ADJECTIVES)} adj, ${words(NOUNS)} noun)
    insert into products (id, slug, name, description, status, category_ids, tags, created_at)
    select gen_random_uuid(), 'p-' || i,
      initcap(adj[1 + (i * 7) % ${ADJECTIVES.length}]) || ' ' || initcap(noun[1 + (i * 13) % ${NOUNS.length}])
        || ' by ' || initcap(syl[1 + i % 8] || syl[1 + (i / 8) % 8] || syl[1 + (i / 64) % 8]),
      'A ' || adj[1 + (i * 3) % ${ADJECTIVES.length}] || ' ' || noun[1 + (i * 11) % ${NOUNS.length}]
        || ' for every day. Model ' || i || '.',
      (case when i % 25 = 0 then 'draft' when i % 25 = 1 then 'archived' else 'active' end)::product_status,
      array[(select id from categories
        where slug = 'cat-' || case when i % 10 < 7 then 1 + i % 10 else 11 + (i / 10) % 50 end)],
      array[adj[1 + (i * 17) % ${ADJECTIVES.length}]],
      now() - make_interval(mins => i)
    from generate_series(1, ${PRODUCTS}) i, s`);
  await db().execute(sql`insert into variants (id, product_id, sku, price_cents)
    select gen_random_uuid(), id, 'SKU-' || upper(substr(md5(slug), 1, 6)) || '-' || substr(slug, 3), 100 + (hashtext(slug) & 65535)
    from products`);
  const ids = (await queryRows<{ id: string }>(db(), sql`select id from products`)).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 2000) await refreshProducts(db(), ids.slice(i, i + 2000));
  // A live database is vacuumed and analysed by autovacuum; do it now so the planner sees the
  // steady state (statistics, and GIN entries moved out of the pending list after the bulk load).
  await db().execute(sql`vacuum analyze`);
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function indexesIn(node: PlanNode, found = new Set<string>()): Set<string> {
  if (node['Index Name']) found.add(node['Index Name']);
  for (const child of node.Plans ?? []) indexesIn(child, found);
  return found;
}

function nodeTypes(node: PlanNode, found: string[] = []): string[] {
  found.push(node['Node Type']);
  for (const child of node.Plans ?? []) nodeTypes(child, found);
  return found;
}

async function plan(query: SQL): Promise<PlanNode> {
  const [row] = await queryRows<Record<string, unknown>>(db(), sql`explain (format json) ${query}`);
  const raw = Object.values(row!)[0];
  const json = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return json[0]!.Plan;
}

const query = (q: Partial<ProductSearchQuery>): ProductSearchQuery => ({ page: 1, limit: 24, ...q });
const pagePlan = (q: Partial<ProductSearchQuery>, categoryIds?: string[]) =>
  plan(pageQuery(searchPlan(query(q), categoryIds)));

beforeAll(async () => {
  database = await createTestDatabase();
  await seed();
}, 120_000);
afterAll(() => database.destroy());

describe(`search query plans on ${PRODUCTS} products (${TEST_DB})`, () => {
  it('seeds a catalog the searches find', async () => {
    const [exact] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from products where status = 'active' and name like '%by Zentroka'`,
    );
    const brand = await searchProducts(db(), query({ q: 'zentroka', limit: 100 }));
    // A word the catalog uses is taken as typed: the brand's own products, not similar brands.
    expect(exact!.n).toBeGreaterThan(10);
    expect(brand.total).toBe(exact!.n);
    expect(brand.items.every((p) => p.name.endsWith('by Zentroka'))).toBe(true);
    expect((await searchProducts(db(), query({}))).total).toBe(PRODUCTS * 0.92);
  });

  it('full-text search uses the search_document GIN index', async () => {
    const tree = await pagePlan({ q: 'zentroka' });
    expect(indexesIn(tree)).toContain('products_search_idx');
    // Only matching rows are read: no scan of the whole product table.
    expect(nodeTypes(tree)).not.toContain('Seq Scan');
    expect(indexesIn(await plan(facetsQuery(searchPlan(query({ q: 'zentroka' }), undefined))))).toContain(
      'products_search_idx',
    );
  });

  it('typo tolerance looks words up in the dictionary by index, then searches the GIN; SKUs by trigram', async () => {
    // The dictionary lookup probes prefixes by index. (The trigram side reads this small test
    // dictionary, a few hundred words, whole; a real one of thousands goes through search_terms_trgm_idx.)
    const lookup = await plan(correctionsQuery(['zentroke', 'kettle']));
    expect(indexesIn(lookup)).toContain('search_terms_prefix_idx');
    const corrections = await typoCorrections(db(), ['zentroke', 'kettle']);
    expect(corrections.get('zentroke')?.[0]).toBe('zentroka');
    expect(corrections.has('kettle')).toBe(false);
    // The products are then found through the search document index alone.
    const typoPlan = await plan(pageQuery(searchPlan(query({ q: 'zentroke' }), undefined, corrections)));
    expect(indexesIn(typoPlan)).toEqual(new Set(['products_search_idx']));
    expect(nodeTypes(typoPlan)).not.toContain('Seq Scan');
    const found = await searchProducts(db(), query({ q: 'zentroke' }));
    expect(found.items[0]?.name).toMatch(/by Zentroka$/);

    // A misspelt SKU (one character changed) is found through the SKU trigram index.
    const [row] = await queryRows<{ sku: string; product_id: string }>(
      db(),
      sql`select sku, product_id from variants where substr(sku, 5, 6) ~ '[0-9]' order by sku limit 1`,
    );
    const typo = row!.sku.slice(0, -1) + (row!.sku.endsWith('x') ? 'y' : 'x');
    expect(indexesIn(await pagePlan({ q: typo }))).toContain('variants_sku_trgm_idx');
    const bySku = await searchProducts(db(), query({ q: typo }));
    expect(bySku.items.map((p) => p.id)).toContain(row!.product_id);
  });

  it('browsing a small category uses the category_ids GIN index', async () => {
    const ids = (await queryRows<{ id: string }>(db(), sql`select id from categories where slug = 'cat-42'`)).map(
      (r) => r.id,
    );
    const used = indexesIn(await pagePlan({ sort: 'price_asc' }, ids));
    expect(used).toContain('products_category_ids_idx');
  });

  it('every sort walks its own partial index in order and stops at the page, sorting nothing', async () => {
    const expected = {
      price_asc: 'products_active_price_idx',
      price_desc: 'products_active_price_desc_idx',
      newest: 'products_active_created_idx',
      rating: 'products_active_rating_idx',
      bestselling: 'products_active_sales_idx',
    } as const;
    for (const [sort, index] of Object.entries(expected)) {
      const tree = await pagePlan({ sort: sort as keyof typeof expected, page: 3 });
      expect(indexesIn(tree), sort).toContain(index);
      expect(nodeTypes(tree), sort).not.toContain('Seq Scan');
      expect(nodeTypes(tree), sort).not.toContain('Sort');
    }
    expect(indexesIn(await pagePlan({}))).toContain('products_active_created_idx');
  });

  it('the facet queries run and agree with the page total', async () => {
    const plan = searchPlan(query({ q: 'kettle' }), undefined);
    const [row] = await queryRows<{ total: number; categories: { count: number }[] | string }>(db(), facetsQuery(plan));
    const facets =
      typeof row!.categories === 'string' ? (JSON.parse(row!.categories) as { count: number }[]) : row!.categories;
    expect(row!.total).toBeGreaterThan(0);
    // Leaf categories only in this fixture: the counts add up to the total.
    expect(facets.reduce((n, f) => n + f.count, 0)).toBe(row!.total);
  });
});

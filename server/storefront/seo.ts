import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { queryRows } from '../db/sql.js';
import { escapeHtml } from './html.js';

/** Search engines accept up to 50,000 URLs per sitemap file; smaller files regenerate faster. */
export const SITEMAP_PAGE_SIZE = 10_000;

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;
const loc = (publicUrl: string, path: string, lastmod?: string) =>
  `<url><loc>${escapeHtml(publicUrl + path)}</loc>${lastmod ? `<lastmod>${lastmod.slice(0, 10)}</lastmod>` : ''}</url>`;

export function robotsTxt(publicUrl: string): string {
  return [
    'User-agent: *',
    'Disallow: /cart',
    'Disallow: /checkout',
    'Disallow: /account',
    'Disallow: /orders/',
    'Disallow: /api/',
    '',
    `Sitemap: ${publicUrl}/sitemap.xml`,
    '',
  ].join('\n');
}

async function activeProductCount(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from products where status = 'active'`,
  );
  return row?.n ?? 0;
}

/** The sitemap index: one file for the home and category pages, then product files of SITEMAP_PAGE_SIZE. */
export async function sitemapIndex(db: DbOrTx, publicUrl: string): Promise<string> {
  const files = Math.ceil((await activeProductCount(db)) / SITEMAP_PAGE_SIZE);
  const entries = [
    '/sitemaps/pages.xml',
    ...Array.from({ length: files }, (_, i) => `/sitemaps/products-${i + 1}.xml`),
  ];
  return xml(
    `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries
      .map((e) => `<sitemap><loc>${escapeHtml(publicUrl + e)}</loc></sitemap>`)
      .join('')}</sitemapindex>`,
  );
}

export async function sitemapPages(db: DbOrTx, publicUrl: string): Promise<string> {
  const categories = await queryRows<{ slug: string; updated_at: string }>(
    db,
    sql`select slug, updated_at::text as updated_at from categories order by position, name`,
  );
  const urls = [
    loc(publicUrl, '/'),
    ...categories.map((c) => loc(publicUrl, `/categories/${encodeURIComponent(c.slug)}`)),
  ];
  return xml(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`);
}

/** One product file (1-based); undefined past the last one. Ordered by id, so files are stable. */
export async function sitemapProducts(db: DbOrTx, publicUrl: string, file: number): Promise<string | undefined> {
  const rows = await queryRows<{ slug: string; updated_at: string }>(
    db,
    sql`select slug, to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD') as updated_at from products
        where status = 'active' order by id limit ${SITEMAP_PAGE_SIZE} offset ${(file - 1) * SITEMAP_PAGE_SIZE}`,
  );
  if (rows.length === 0 && file > 1) return undefined;
  const urls = rows.map((r) => loc(publicUrl, `/products/${encodeURIComponent(r.slug)}`, r.updated_at));
  return xml(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`);
}

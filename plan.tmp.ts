import { PgDialect } from 'drizzle-orm/pg-core';
import { openDatabase } from './server/db/client.js';
import { pageQuery, facetsQuery, searchPlan } from './server/modules/catalog/search.service.js';
import { categoryWithDescendants } from './server/modules/catalog/categories.service.js';
import { productSearchQuery } from './shared/api/catalog.schemas.js';
const d = new PgDialect();
const db = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/nexus_perf', pgliteDir: 'memory', poolMax: 2 });
const q = productSearchQuery.parse(Object.fromEntries(new URLSearchParams(process.argv[2] ?? 'q=hoodie')));
const cats = q.category ? await categoryWithDescendants(db.db, q.category) : undefined;
const plan = searchPlan(q, cats);
for (const s of [pageQuery(plan), facetsQuery(plan)]) {
  const { sql, params } = d.sqlToQuery(s);
  let text = sql;
  params.forEach((p, i) => { text = text.replace(new RegExp('\\$' + (i + 1) + '(?!\\d)', 'g'), `'${String(p).replace(/'/g, "''")}'`); });
  console.log('explain (analyze) ' + text + ';');
}
await db.close();

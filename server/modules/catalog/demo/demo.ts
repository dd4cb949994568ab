import type { AppContext } from '../../../context.js';
import { catalogIsEmpty, seedCatalog } from './generator.js';

export const DEMO_PRODUCTS = 200;

/** On a database without products, adds the demo catalog (first `npm start`). */
export async function seedDemoCatalogIfEmpty(ctx: AppContext): Promise<number> {
  if (!(await catalogIsEmpty(ctx.db))) return 0;
  const result = await seedCatalog(ctx.db, { products: DEMO_PRODUCTS, seed: 2026 });
  ctx.logger.info({ products: result.products, variants: result.variants }, 'demo catalog seeded');
  return result.products;
}

import type { AppContext } from '../../../context.js';
import { addProductImage } from '../../media/media.service.js';
import { catalogIsEmpty, seedCatalog } from './generator.js';
import { demoImage } from './images.js';

export const DEMO_PRODUCTS = 200;

/** On a database without products, adds the demo catalog with a generated picture per product (first `npm start`). */
export async function seedDemoCatalogIfEmpty(ctx: AppContext, products = DEMO_PRODUCTS): Promise<number> {
  if (!(await catalogIsEmpty(ctx.db))) return 0;
  let n = 0;
  const result = await seedCatalog(ctx.db, {
    products,
    seed: 2026,
    onProduct: async (p) => {
      const data = await demoImage(p.hue, ++n, 600);
      await addProductImage(ctx, p.id, { data, alt: p.name, filename: `${p.id}.webp` });
    },
  });
  ctx.logger.info({ products: result.products, variants: result.variants }, 'demo catalog seeded');
  return result.products;
}

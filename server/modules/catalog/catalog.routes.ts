import { z } from 'zod';
import {
  adminProductSchema,
  adminProductsQuery,
  categoryInput,
  categoryPatch,
  categorySchema,
  categoryTreeSchema,
  productCreateInput,
  productListSchema,
  productPatchInput,
  productSchema,
  productSearchQuery,
} from '../../../shared/api/catalog.schemas.js';
import { paginated, uuidParam } from '../../../shared/api/common.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import { catalogCache } from './cache.js';
import * as categories from './categories.service.js';
import * as productsService from './products.service.js';
import { searchProducts } from './search.service.js';

export function publicCatalogRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Catalog'];
  // ETag + Cache-Control on every catalog read; a matching If-None-Match is a 304 (cache.ts).
  const cached = [catalogCache(ctx.catalog)];
  return new ApiRouter('/api/v1')
    .add({
      method: 'get',
      path: '/categories',
      summary: 'The category tree',
      tags,
      access: 'public',
      response: categoryTreeSchema,
      before: cached,
      handler: () => categories.categoryTree(ctx.db),
    })
    .add({
      method: 'get',
      path: '/products',
      summary: 'Search and browse active products, with facets',
      description:
        '`q` is full-text over name, SKU, tags and description, with prefix matching and typo tolerance. ' +
        '`category` includes sub-categories. Facets are computed for the current filter; each facet ignores ' +
        'its own filter. Answers carry an ETag; send it back in If-None-Match for a 304.',
      tags,
      access: 'public',
      query: productSearchQuery,
      response: productListSchema,
      before: cached,
      handler: ({ query, res }) => searchProducts(ctx.db, query, res.locals.catalogState as string | undefined),
    })
    .add({
      method: 'get',
      path: '/products/:idOrSlug',
      summary: 'One active product with variants, images and rating',
      tags,
      access: 'public',
      params: z.strictObject({ idOrSlug: z.string().min(1).max(200) }),
      response: productSchema,
      errors: [404],
      before: cached,
      handler: ({ params }) => productsService.getPublicProduct(ctx.db, params.idOrSlug),
    });
}

export function adminCatalogRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Admin: catalog'];
  return new ApiRouter('/api/v1/admin')
    .add({
      method: 'get',
      path: '/products',
      summary: 'Products in every status',
      tags,
      access: 'staff',
      query: adminProductsQuery,
      response: paginated(adminProductSchema),
      handler: ({ query }) => productsService.listAdminProducts(ctx.db, query),
    })
    .add({
      method: 'post',
      path: '/products',
      summary: 'Create a product with its variants',
      description:
        'The slug is generated from the name when omitted, and kept unique. `initialStock` records opening stock.',
      tags,
      access: 'staff',
      body: productCreateInput,
      status: 201,
      response: adminProductSchema,
      errors: [409],
      handler: ({ body, auth }) => productsService.createProduct(ctx.db, body, auth.userId),
    })
    .add({
      method: 'get',
      path: '/products/:id',
      summary: 'One product, any status',
      tags,
      access: 'staff',
      params: uuidParam,
      response: adminProductSchema,
      errors: [404],
      handler: ({ params }) => productsService.getAdminProduct(ctx.db, params.id),
    })
    .add({
      method: 'patch',
      path: '/products/:id',
      summary: 'Change product fields or its variant list',
      tags,
      access: 'staff',
      params: uuidParam,
      body: productPatchInput,
      response: adminProductSchema,
      errors: [404, 409],
      handler: ({ params, body }) => productsService.updateProduct(ctx.db, params.id, body),
    })
    .add({
      method: 'delete',
      path: '/products/:id',
      summary: 'Archive a product (it stays in orders and reports; shoppers no longer see it)',
      tags,
      access: 'staff',
      params: uuidParam,
      response: adminProductSchema,
      errors: [404],
      handler: ({ params }) => productsService.archiveProduct(ctx.db, params.id),
    })
    .add({
      method: 'get',
      path: '/categories',
      summary: 'All categories, flat',
      tags,
      access: 'staff',
      response: z.object({ items: z.array(categorySchema) }),
      handler: async () => ({ items: await categories.listCategories(ctx.db) }),
    })
    .add({
      method: 'post',
      path: '/categories',
      summary: 'Create a category',
      tags,
      access: 'staff',
      body: categoryInput,
      status: 201,
      response: categorySchema,
      errors: [409],
      handler: ({ body }) => categories.createCategory(ctx.db, body),
    })
    .add({
      method: 'patch',
      path: '/categories/:id',
      summary: 'Rename, move or reorder a category',
      tags,
      access: 'staff',
      params: uuidParam,
      body: categoryPatch,
      response: categorySchema,
      errors: [404, 409],
      handler: ({ params, body }) => categories.updateCategory(ctx.db, params.id, body),
    })
    .add({
      method: 'delete',
      path: '/categories/:id',
      summary: 'Delete a category without sub-categories (its products lose the membership)',
      tags,
      access: 'staff',
      params: uuidParam,
      status: 204,
      errors: [404, 409],
      handler: ({ params }) => categories.deleteCategory(ctx.db, params.id),
    });
}

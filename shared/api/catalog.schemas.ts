import { z } from 'zod';
import { pageQuery } from './common.schemas.js';

export const PRODUCT_STATUSES = ['draft', 'active', 'archived'] as const;
export const productStatusSchema = z.enum(PRODUCT_STATUSES);

const cents = z
  .number()
  .int({ message: 'must be a whole number of cents' })
  .min(0, { message: 'must not be negative' })
  .max(100_000_000);
const slugField = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'must be lowercase words joined by hyphens' });
const currencyField = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, { message: 'must be an ISO 4217 code' })
  .transform((c) => c.toUpperCase());

export const optionSchema = z.strictObject({
  name: z.string().trim().min(1).max(60),
  values: z.array(z.string().trim().min(1).max(60)).min(1).max(100),
});

export const variantInput = z.strictObject({
  id: z.uuid().optional(),
  sku: z.string().trim().min(1).max(64),
  title: z.string().trim().max(200).optional(),
  optionValues: z.record(z.string(), z.string()).optional(),
  priceCents: cents,
  compareAtPriceCents: cents.nullable().optional(),
  costCents: cents.nullable().optional(),
  currency: currencyField.optional(),
  barcode: z.string().trim().max(64).nullable().optional(),
  weightGrams: z.number().int().min(0).max(1_000_000).nullable().optional(),
  lowStockThreshold: z.number().int().min(0).max(1_000_000).optional(),
  position: z.number().int().min(0).optional(),
});
export type VariantInput = z.infer<typeof variantInput>;

const productFields = {
  name: z.string().trim().min(1).max(200),
  slug: slugField.optional(),
  description: z.string().max(20_000).optional(),
  status: productStatusSchema.optional(),
  categoryIds: z.array(z.uuid()).max(50).optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  options: z.array(optionSchema).max(5).optional(),
};

export const productCreateInput = z.strictObject({
  id: z.uuid().optional(),
  ...productFields,
  variants: z
    .array(variantInput.extend({ initialStock: z.number().int().min(0).max(1_000_000).optional() }))
    .min(1, { message: 'a product needs at least one variant' })
    .max(250),
});
export type ProductCreateInput = z.infer<typeof productCreateInput>;

export const productPatchInput = z
  .strictObject({
    ...productFields,
    name: productFields.name.optional(),
    /** The full desired variant list: entries with an id update, without one create, absent ones are removed. */
    variants: z.array(variantInput).min(1).max(250).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update' });
export type ProductPatchInput = z.infer<typeof productPatchInput>;

export const variantSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    title: z.string(),
    optionValues: z.record(z.string(), z.string()),
    priceCents: z.number().int(),
    compareAtPriceCents: z.number().int().nullable(),
    currency: z.string(),
    available: z.number().int(),
    inStock: z.boolean(),
  })
  .meta({ id: 'Variant' });

export const adminVariantSchema = variantSchema
  .extend({
    costCents: z.number().int().nullable(),
    barcode: z.string().nullable(),
    weightGrams: z.number().int().nullable(),
    lowStockThreshold: z.number().int(),
    onHand: z.number().int(),
    reserved: z.number().int(),
    position: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'AdminVariant' });

export const imageSchema = z
  .object({ id: z.uuid(), url: z.string(), alt: z.string(), width: z.number().int(), height: z.number().int() })
  .meta({ id: 'ProductImage' });

const productBase = {
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  status: productStatusSchema,
  categoryIds: z.array(z.uuid()),
  tags: z.array(z.string()),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
  images: z.array(imageSchema),
  rating: z.object({ average: z.number(), count: z.number().int() }),
  priceRange: z.object({ minCents: z.number().int().nullable(), maxCents: z.number().int().nullable() }),
  inStock: z.boolean(),
  version: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const productSchema = z.object({ ...productBase, variants: z.array(variantSchema) }).meta({ id: 'Product' });
export type Product = z.infer<typeof productSchema>;
export const adminProductSchema = z
  .object({ ...productBase, variants: z.array(adminVariantSchema) })
  .meta({ id: 'AdminProduct' });
export type AdminProduct = z.infer<typeof adminProductSchema>;

export const categoryInput = z.strictObject({
  id: z.uuid().optional(),
  name: z.string().trim().min(1).max(120),
  slug: slugField.optional(),
  parentId: z.uuid().nullable().optional(),
  description: z.string().max(5000).optional(),
  position: z.number().int().min(0).optional(),
});
export const categoryPatch = categoryInput
  .omit({ id: true })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update' });

export const categorySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    parentId: z.uuid().nullable(),
    position: z.number().int(),
    version: z.number().int(),
  })
  .meta({ id: 'Category' });
export type Category = z.infer<typeof categorySchema>;
export type CategoryNode = Category & { children: CategoryNode[] };
const categoryNodeSchema: z.ZodType<CategoryNode> = categorySchema.extend({
  get children() {
    return z.array(categoryNodeSchema);
  },
});
export const categoryTreeSchema = z.array(categoryNodeSchema);

export const adminProductsQuery = pageQuery.extend({
  q: z.string().trim().max(200).optional(),
  status: productStatusSchema.optional(),
  category: z.string().trim().max(120).optional(),
});

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'rating', 'bestselling'] as const;
export const productSearchQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  category: z.string().trim().max(120).optional(),
  minPrice: z.coerce.number().int().min(0).optional(),
  maxPrice: z.coerce.number().int().min(0).optional(),
  inStock: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  minRating: z.coerce.number().min(0).max(5).optional(),
  sort: z.enum(SORTS).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  // Oversized limits are capped rather than refused: a shopper's URL should still work.
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .default(24)
    .transform((n) => Math.min(n, 100)),
});
export type ProductSearchQuery = z.infer<typeof productSearchQuery>;

export const MOVEMENT_KINDS = [
  'received',
  'sale',
  'return',
  'damage',
  'count_correction',
  'reservation',
  'release',
  'adjustment',
  'transfer',
] as const;
/** Reasons staff may give for a manual adjustment (the other kinds come from orders and counts). */
export const ADJUSTMENT_REASONS = ['received', 'damage', 'return', 'adjustment', 'sale'] as const;

export const adjustmentInput = z.strictObject({
  variantId: z.uuid(),
  delta: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((d) => d !== 0, { message: 'must not be zero' }),
  reason: z.enum(ADJUSTMENT_REASONS),
  note: z.string().trim().max(500).optional(),
  locationId: z.uuid().optional(),
});
export const countInput = z.strictObject({
  variantId: z.uuid(),
  counted: z.number().int().min(0).max(10_000_000),
  expected: z.number().int().min(-10_000_000).max(10_000_000).optional(),
  note: z.string().trim().max(500).optional(),
  locationId: z.uuid().optional(),
});

export const movementSchema = z
  .object({
    id: z.uuid(),
    variantId: z.uuid(),
    locationId: z.uuid(),
    kind: z.enum(MOVEMENT_KINDS),
    onHandDelta: z.number().int(),
    reservedDelta: z.number().int(),
    onHandAfter: z.number().int(),
    reason: z.string(),
    note: z.string().nullable(),
    actorId: z.uuid().nullable(),
    reference: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'StockMovement' });

export const stockLevelSchema = z.object({
  variantId: z.uuid(),
  locationId: z.uuid(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  lowStock: z.boolean(),
  oversold: z.boolean(),
});

export const movementsQuery = pageQuery.extend({
  variantId: z.uuid().optional(),
  kind: z.enum(MOVEMENT_KINDS).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});

export const searchFacetsSchema = z
  .object({
    categories: z.array(z.object({ slug: z.string(), name: z.string(), count: z.number().int() })),
    price: z.object({ min: z.number().int().nullable(), max: z.number().int().nullable() }),
    inStock: z.number().int(),
  })
  .meta({ id: 'SearchFacets' });

/** GET /products: a page of active products plus facets for the current filter. */
export const productListSchema = z
  .object({
    items: z.array(productSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    facets: searchFacetsSchema,
  })
  .meta({ id: 'ProductList' });

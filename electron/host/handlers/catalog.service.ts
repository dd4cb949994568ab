/**
 * Catalog and category services of the host: reads from the local store, writes as queued
 * mutations with their optimistic local effect (write.ts). Ids a person's new rows need are
 * minted here (UUIDv7), so the server creates the very rows this device already shows.
 */
import type { ChannelArgs, ChannelOutput, ProductDetail } from '../../../shared/contract/backoffice.js';
import { notFound } from '../../../shared/domain/errors.js';
import { newId } from '../../../shared/domain/ids.js';
import { listProducts, searchProducts } from '../db/queries.js';
import type { Store } from '../db/store.js';
import { categoryById, listCategories, productDetail } from './catalog.queries.js';
import { variantProductId } from './rows.queries.js';
import { queueMutation, queuePatch } from './write.js';

type Args<K extends keyof Inputs> = Inputs[K];
interface Inputs {
  list: ChannelArgs<'catalog:list'>;
  search: ChannelArgs<'catalog:search'>;
  createProduct: ChannelArgs<'catalog:createProduct'>;
  updateProduct: ChannelArgs<'catalog:updateProduct'>;
  archiveProduct: ChannelArgs<'catalog:archiveProduct'>;
  createVariant: ChannelArgs<'catalog:createVariant'>;
  updateVariant: ChannelArgs<'catalog:updateVariant'>;
  createCategory: ChannelArgs<'categories:create'>;
  updateCategory: ChannelArgs<'categories:update'>;
}

// Statuses and stock states in the store are the server's enums; the contract names them.
export const listProductPage = (store: Store, input: Args<'list'>) =>
  listProducts(store, input) as ChannelOutput<'catalog:list'>;

export const searchCatalog = (store: Store, input: Args<'search'>) =>
  ({ items: searchProducts(store, input) }) as ChannelOutput<'catalog:search'>;

export function getProduct(store: Store, id: string): ProductDetail {
  const product = productDetail(store, id);
  if (!product) throw notFound('Product');
  return product;
}

export function createProduct(store: Store, input: Args<'createProduct'>): ProductDetail {
  const id = input.id ?? newId();
  const variants = input.variants.map((v) => ({ ...v, id: v.id ?? newId() }));
  queueMutation(store, 'product.create', { ...input, id, variants });
  return getProduct(store, id);
}

export function updateProduct(store: Store, input: Args<'updateProduct'>): ProductDetail {
  queuePatch(store, 'product.update', 'products', input.productId, input);
  return getProduct(store, input.productId);
}

export function archiveProduct(store: Store, input: Args<'archiveProduct'>): ProductDetail {
  queueMutation(store, 'product.archive', input);
  return getProduct(store, input.productId);
}

export function createVariant(store: Store, input: Args<'createVariant'>): ProductDetail {
  queueMutation(store, 'variant.create', { ...input, id: input.id ?? newId() });
  return getProduct(store, input.productId);
}

export function updateVariant(store: Store, input: Args<'updateVariant'>): ProductDetail {
  const productId = variantProductId(store, input.variantId);
  if (productId === undefined) throw notFound('Variant');
  queuePatch(store, 'variant.update', 'variants', input.variantId, input);
  return getProduct(store, productId);
}

export const categoryList = (store: Store) => ({ items: listCategories(store) });

function getCategory(store: Store, id: string) {
  const category = categoryById(store, id);
  if (!category) throw notFound('Category');
  return category;
}

export function createCategory(store: Store, input: Args<'createCategory'>) {
  const id = input.id ?? newId();
  queueMutation(store, 'category.create', { ...input, id });
  return getCategory(store, id);
}

export function updateCategory(store: Store, input: Args<'updateCategory'>) {
  queuePatch(store, 'category.update', 'categories', input.categoryId, input);
  return getCategory(store, input.categoryId);
}

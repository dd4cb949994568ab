/** Catalog and category channels: each parses its input (channel.ts bind), then calls one service. */
import type { Store } from '../db/store.js';
import { bind } from './channel.js';
import * as catalog from './catalog.service.js';

export function catalogHandlers(store: Store) {
  return {
    'catalog:list': bind('catalog:list', (input) => catalog.listProductPage(store, input)),
    'catalog:search': bind('catalog:search', (input) => catalog.searchCatalog(store, input)),
    'catalog:get': bind('catalog:get', ({ id }) => catalog.getProduct(store, id)),
    'catalog:createProduct': bind('catalog:createProduct', (input) => catalog.createProduct(store, input)),
    'catalog:updateProduct': bind('catalog:updateProduct', (input) => catalog.updateProduct(store, input)),
    'catalog:archiveProduct': bind('catalog:archiveProduct', (input) => catalog.archiveProduct(store, input)),
    'catalog:createVariant': bind('catalog:createVariant', (input) => catalog.createVariant(store, input)),
    'catalog:updateVariant': bind('catalog:updateVariant', (input) => catalog.updateVariant(store, input)),
    'categories:list': bind('categories:list', () => catalog.categoryList(store)),
    'categories:create': bind('categories:create', (input) => catalog.createCategory(store, input)),
    'categories:update': bind('categories:update', (input) => catalog.updateCategory(store, input)),
  };
}

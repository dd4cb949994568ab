/**
 * The contract's channel names, apart from their schemas (backoffice.ts). Bridges need only the
 * names, and building every zod schema of the contract is most of the UI's start-up work in the
 * browser: the renderer and the preload import this file, not backoffice.ts, to build theirs.
 * backoffice.ts is checked against this list (`satisfies`), so the two cannot drift.
 */
export const CHANNEL_NAMES = [
  'catalog:list',
  'catalog:search',
  'catalog:get',
  'catalog:createProduct',
  'catalog:updateProduct',
  'catalog:archiveProduct',
  'catalog:createVariant',
  'catalog:updateVariant',
  'categories:list',
  'categories:create',
  'categories:update',
  'stock:adjust',
  'stock:count',
  'stock:movements',
  'stock:lowStock',
  'stock:levels',
  'orders:list',
  'orders:get',
  'orders:fulfill',
  'orders:cancel',
  'orders:note',
  'reviews:list',
  'reviews:moderate',
  'conflicts:list',
  'conflicts:resolve',
  'rejections:list',
  'rejections:dismiss',
  'oversells:list',
  'sync:status',
  'sync:now',
  'auth:login',
  'auth:logout',
  'auth:session',
  'settings:get',
  'settings:setServerUrl',
  'reports:sales',
  'reports:topProducts',
  'reports:inventoryValuation',
  'reports:lowStock',
  'reports:movements',
  'reports:orders',
  'reports:export',
  'orders:refund',
  'media:upload',
  'media:pending',
  'media:retry',
  'media:discard',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(CHANNEL_NAMES);
export const isChannelName = (name: string): name is ChannelName => NAMES.has(name);

/**
 * What to ask the host for before the app has rendered, by the route it opens on: the screen
 * then takes the answer (lib/prefetch.ts) instead of asking once it has mounted. Kept apart from
 * routes.tsx, which loads every screen's code: boot.ts runs this before any of it.
 */
import { preloadProducts } from '../features/products/list-query.js';

const PRELOADS: Readonly<Record<string, () => Promise<void>>> = {
  '/products': preloadProducts,
};

/** Starts the preload of the route in `hash` (exact paths only); settles when its data has arrived. */
export function preloadRoute(hash: string): Promise<void> | undefined {
  return PRELOADS[hashPath(hash)]?.();
}

/** As wouter's hash location reads it: '#/products?x' → '/products'. */
const hashPath = (hash: string) => '/' + hash.replace(/^#?\/?/, '').split('?')[0];

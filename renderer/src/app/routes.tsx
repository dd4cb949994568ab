/**
 * The route registry: the shell's navigation and its screens both come from here.
 *
 * How to add a screen
 * 1. Build it in src/features/<feature>/<Name>Screen.tsx, wrapped in <Page title actions>.
 *    Read with `useChannel('orders:get', {id}, {tables: ['orders', 'order_items']})` or, for a
 *    long list, `usePagedList('catalog:list', filter, {tables: ['products']})` into <DataTable>;
 *    both re-query when the host reports a sync pass changed those tables. Write with
 *    `await call('orders:fulfill', input)` (lib/api.ts): validate first with `validate(channel,
 *    input)` (lib/validate.ts) and show `fieldErrors[path]` under each field (TextField's `error`
 *    prop); a failed call throws ApiError (`code`, `message`, `fieldErrors`). After a write,
 *    `bumpTables([...])` so other open screens refresh; `toast({...})` for a result worth telling.
 * 2. Declare it with `onVisit` (it loads on first visit) and add one line to ROUTES below (a
 *    detail path like '/products/:id' reads it with wouter's useParams). A path wouter could also
 *    match with a parameter ('/products/new') goes first. A screen the app often opens on may ask
 *    for its first data at start-up (app/preloads.ts).
 * 3. A top-level screen also gets a NAV entry: its `key` is the letter of its "g then key" shortcut.
 */
import { type ComponentType, lazy } from 'react';
import { ProductsScreen } from '../features/products/ProductsScreen.js';
import type { IconName } from './icons.js';

/**
 * Every screen but the products list loads on first visit. The start-up bundle is parsed, compiled
 * and run before anything shows; the products list (staff's main screen, issue 7's time to
 * interactive) stays in it, and the others, their forms and the charts they pull in, stay out.
 */
function onVisit<M>(load: () => Promise<M>, pick: (module: M) => ComponentType): ComponentType {
  return lazy(() => load().then((module) => ({ default: pick(module) })));
}

const DashboardScreen = onVisit(
  () => import('../features/dashboard/DashboardScreen.js'),
  (m) => m.DashboardScreen,
);
const ProductDetailScreen = onVisit(
  () => import('../features/products/ProductDetailScreen.js'),
  (m) => m.ProductDetailScreen,
);
const InventoryScreen = onVisit(
  () => import('../features/inventory/InventoryScreen.js'),
  (m) => m.InventoryScreen,
);
const OrdersScreen = onVisit(
  () => import('../features/orders/OrdersScreen.js'),
  (m) => m.OrdersScreen,
);
const OrderDetailScreen = onVisit(
  () => import('../features/orders/OrderDetailScreen.js'),
  (m) => m.OrderDetailScreen,
);
const ReviewsScreen = onVisit(
  () => import('../features/reviews/ReviewsScreen.js'),
  (m) => m.ReviewsScreen,
);
const ConflictsScreen = onVisit(
  () => import('../features/conflicts/ConflictsScreen.js'),
  (m) => m.ConflictsScreen,
);
const ReportsScreen = onVisit(
  () => import('../features/reports/ReportsScreen.js'),
  (m) => m.ReportsScreen,
);
const SettingsScreen = onVisit(
  () => import('../features/settings/SettingsScreen.js'),
  (m) => m.SettingsScreen,
);

export interface NavEntry {
  path: string;
  label: string;
  icon: IconName;
  /** "g" then this key opens it; Ctrl/⌘ + its position (1–8) too. */
  key: string;
}

export const NAV: readonly NavEntry[] = [
  { path: '/dashboard', label: 'Dashboard', icon: 'dashboard', key: 'd' },
  { path: '/products', label: 'Products', icon: 'products', key: 'p' },
  { path: '/inventory', label: 'Inventory', icon: 'inventory', key: 'i' },
  { path: '/orders', label: 'Orders', icon: 'orders', key: 'o' },
  { path: '/reviews', label: 'Reviews', icon: 'reviews', key: 'r' },
  { path: '/conflicts', label: 'Conflicts', icon: 'conflicts', key: 'c' },
  { path: '/reports', label: 'Reports', icon: 'reports', key: 'e' },
  { path: '/settings', label: 'Settings', icon: 'settings', key: 's' },
];

export const ROUTES: readonly { path: string; component: ComponentType }[] = [
  { path: '/dashboard', component: DashboardScreen },
  { path: '/products', component: ProductsScreen },
  { path: '/products/:id', component: ProductDetailScreen },
  // One route with an optional :tab (the sync bar links '/inventory/oversells'), so changing tabs keeps the screen mounted.
  { path: '/inventory/:tab?', component: InventoryScreen },
  { path: '/orders', component: OrdersScreen },
  { path: '/orders/:id', component: OrderDetailScreen },
  { path: '/reviews', component: ReviewsScreen },
  // The sync bar links rejections to '/conflicts/rejections'.
  { path: '/conflicts/:tab?', component: ConflictsScreen },
  { path: '/reports', component: ReportsScreen },
  { path: '/settings', component: SettingsScreen },
];

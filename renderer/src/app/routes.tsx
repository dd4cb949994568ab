/**
 * The route registry: the shell's navigation and its screens both come from here.
 *
 * How to add a screen
 * 1. Build it in src/features/<feature>/<Name>Screen.tsx, wrapped in <Page title actions>.
 *    Read with `useChannel('orders:get', {id}, {tables: ['orders', 'order_items']})` or, for a
 *    long list, `usePagedList('catalog:list', filter, {tables: ['products']})` into <DataTable>;
 *    both re-query when the host reports a sync pass changed those tables. Write with
 *    `await call('orders:fulfill', input)` (lib/api.ts): validate first with `validate(channel,
 *    input)` and show `fieldErrors[path]` under each field (TextField's `error` prop); a failed
 *    call throws ApiError (`code`, `message`, `fieldErrors`). After a write, `bumpTables([...])`
 *    so other open screens refresh; `toast({...})` for a result worth telling.
 * 2. Add one line to ROUTES below (a detail path like '/products/:id' reads it with wouter's
 *    useParams). A path wouter could also match with a parameter ('/products/new') goes first.
 * 3. A top-level screen also gets a NAV entry: its `key` is the letter of its "g then key" shortcut.
 */
import { type ComponentType, lazy } from 'react';
import { ConflictsScreen } from '../features/conflicts/ConflictsScreen.js';
import { InventoryScreen } from '../features/inventory/InventoryScreen.js';
import { OrderDetailScreen } from '../features/orders/OrderDetailScreen.js';
import { OrdersScreen } from '../features/orders/OrdersScreen.js';
import { ProductDetailScreen } from '../features/products/ProductDetailScreen.js';
import { ProductsScreen } from '../features/products/ProductsScreen.js';
import { ReviewsScreen } from '../features/reviews/ReviewsScreen.js';
import { SettingsScreen } from '../features/settings/SettingsScreen.js';
import type { IconName } from './icons.js';

// The two screens with charts load on first visit: the charting library is most of their weight,
// and leaving it out of the start-up bundle makes every other screen interactive sooner.
const DashboardScreen = lazy(() =>
  import('../features/dashboard/DashboardScreen.js').then((m) => ({ default: m.DashboardScreen })),
);
const ReportsScreen = lazy(() =>
  import('../features/reports/ReportsScreen.js').then((m) => ({ default: m.ReportsScreen })),
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

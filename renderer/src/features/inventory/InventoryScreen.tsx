import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real inventory screen replaces this placeholder.
export function InventoryScreen() {
  return <ComingSoon title="Inventory" />;
}

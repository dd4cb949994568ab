import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real products screen replaces this placeholder.
export function ProductsScreen() {
  return <ComingSoon title="Products" />;
}

import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real orders screen replaces this placeholder.
export function OrdersScreen() {
  return <ComingSoon title="Orders" />;
}

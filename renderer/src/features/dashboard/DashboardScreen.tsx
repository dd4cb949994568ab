import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real dashboard screen replaces this placeholder.
export function DashboardScreen() {
  return <ComingSoon title="Dashboard" />;
}

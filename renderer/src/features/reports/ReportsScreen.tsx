import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real reports screen replaces this placeholder.
export function ReportsScreen() {
  return <ComingSoon title="Reports" />;
}

import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real conflicts screen replaces this placeholder.
export function ConflictsScreen() {
  return <ComingSoon title="Conflicts" />;
}

import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real reviews screen replaces this placeholder.
export function ReviewsScreen() {
  return <ComingSoon title="Reviews" />;
}

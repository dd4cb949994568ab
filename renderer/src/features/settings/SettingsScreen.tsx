import { ComingSoon } from '../../app/ComingSoon.js';

// TODO(issue 7): the real settings screen replaces this placeholder.
export function SettingsScreen() {
  return <ComingSoon title="Settings" />;
}

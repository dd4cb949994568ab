/** Words for a write that works offline: honest about whether it has left this device yet (SYNC.md rule 10). */
import { useSyncStore } from './stores/sync.js';

export function queuedNote(): string | undefined {
  const status = useSyncStore.getState().status;
  // A retry pass reports online while it tries, so the last error counts too: it is cleared only by a pass that worked.
  const away = status !== null && (!status.online || status.lastError !== null);
  return away ? 'Saved on this device: it is sent when the server can be reached.' : undefined;
}

/** "1 variant", "12 variants", "1,000+ variants" for a capped list total; '' while unknown. */
export function countLabel(total: number | undefined, capped: boolean, one: string, many: string): string {
  if (total === undefined) return '';
  return `${total.toLocaleString()}${capped ? '+' : ''} ${total === 1 && !capped ? one : many}`;
}

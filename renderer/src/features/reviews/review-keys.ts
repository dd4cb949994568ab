/**
 * The moderation keys, pure so they are tested without a DOM: a approves, r rejects, j / ↓ and
 * k / ↑ move. They never fire while typing, with a modifier, in an open dialog, or as the second
 * key of the shell's "g then r" (go to Reviews) sequence.
 */

export type ReviewKeyAction = 'approve' | 'reject' | 'next' | 'previous' | null;

export interface KeyInfo {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  inField: boolean;
  dialogOpen: boolean;
  /** "g" was the previous key, pressed within the shell's sequence window. */
  afterG: boolean;
}

const ACTIONS: Record<string, ReviewKeyAction> = {
  a: 'approve',
  r: 'reject',
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
};

export function reviewKeyAction(event: KeyInfo): ReviewKeyAction {
  if (event.inField || event.dialogOpen || event.afterG) return null;
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  return ACTIONS[event.key] ?? null;
}

/**
 * Where the selection goes after a decision: in a list filtered by status the review leaves it, so
 * the same position shows the next one; in the unfiltered list it stays, so the position moves on.
 */
export function indexAfterDecision(index: number, count: number, leavesList: boolean): number {
  const next = leavesList ? index : index + 1;
  const remaining = leavesList ? count - 1 : count;
  return Math.max(0, Math.min(next, remaining - 1));
}

/** Listens for the moderation keys on the window while the reviews screen is open (see review-keys.ts). */
import { useEffect, useRef } from 'react';
import { reviewKeyAction } from './review-keys.js';

/** The shell's "g then key" window (app/shortcuts.ts): a key this soon after "g" belongs to it. */
const SEQUENCE_MS = 1200;

const inField = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function useReviewKeys(handlers: {
  onDecide: (decision: 'approved' | 'rejected') => void;
  onMove: (step: 1 | -1) => void;
}): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    let gAt = 0;
    const onKeyDown = (event: KeyboardEvent) => {
      const afterG = Date.now() - gAt < SEQUENCE_MS;
      gAt = event.key === 'g' ? Date.now() : 0;
      const action = reviewKeyAction({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        inField: inField(event.target),
        dialogOpen: document.querySelector('dialog[open]') !== null,
        afterG,
      });
      if (!action || event.defaultPrevented) return;
      // A focused tab list or button uses the arrows itself.
      if (
        event.key.startsWith('Arrow') &&
        event.target instanceof HTMLElement &&
        event.target.closest('[role="tablist"]')
      )
        return;
      event.preventDefault();
      if (action === 'approve') latest.current.onDecide('approved');
      else if (action === 'reject') latest.current.onDecide('rejected');
      else latest.current.onMove(action === 'next' ? 1 : -1);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

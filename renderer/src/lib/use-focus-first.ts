import { type RefObject, useEffect } from 'react';

/**
 * Puts the caret in a dialog's first field once it opens. The native dialog would focus its Close
 * button (the first focusable element); this effect runs after the Dialog child's showModal.
 */
export function useFocusFirst(container: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    container.current?.querySelector<HTMLElement>('input:not([disabled]), select, textarea')?.focus();
  }, [container]);
}

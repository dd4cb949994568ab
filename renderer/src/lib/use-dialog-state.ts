import { useCallback, useRef, useState } from 'react';

/**
 * Which dialog is open (and for what), remembering what had focus: a dialog that unmounts takes
 * the browser's own focus return with it, and a keyboard user would land on the page's body.
 */
export function useDialogState<T>() {
  const [value, setValue] = useState<T | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const open = useCallback((next: T) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setValue(next);
  }, []);
  const close = useCallback(() => {
    setValue(null);
    const target = opener.current;
    opener.current = null;
    // After React removed the dialog; an opener that is gone (a row that scrolled away) is skipped.
    setTimeout(() => target?.isConnected && target.focus(), 0);
  }, []);
  return { value, open, close };
}

/**
 * Global keyboard shortcuts: "g" then a screen's letter, or Ctrl/⌘+1…8, opens a screen; "/"
 * focuses the current screen's search box (any input marked `data-search`).
 */
import { useEffect } from 'react';
import { NAV } from './routes.js';

/** How long after "g" the second key counts. */
const SEQUENCE_MS = 1200;

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether the key was typed into a text field (then only Ctrl/⌘ shortcuts apply). */
  inField: boolean;
}

export type ShortcutAction = { go: string } | { focusSearch: true } | { startSequence: true } | null;

/** Pure: what a key press does, given whether "g" was just pressed. */
export function shortcutFor(event: KeyLike, afterG: boolean): ShortcutAction {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && /^[1-9]$/.test(event.key)) {
    const entry = NAV[Number(event.key) - 1];
    return entry ? { go: entry.path } : null;
  }
  if (event.inField || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (afterG) {
    const entry = NAV.find((item) => item.key === event.key.toLowerCase());
    return entry ? { go: entry.path } : null;
  }
  if (event.key === 'g') return { startSequence: true };
  if (event.key === '/') return { focusSearch: true };
  return null;
}

function inField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useGlobalShortcuts(navigate: (path: string) => void): void {
  useEffect(() => {
    let gAt = 0;
    const onKeyDown = (event: KeyboardEvent) => {
      // An open modal owns the keyboard.
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      const afterG = Date.now() - gAt < SEQUENCE_MS;
      const action = shortcutFor({ ...pick(event), inField: inField(event.target) }, afterG);
      gAt = 0;
      if (!action) return;
      event.preventDefault();
      if ('go' in action) navigate(action.go);
      else if ('startSequence' in action) gAt = Date.now();
      else document.querySelector<HTMLElement>('[data-search]')?.focus();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate]);
}

const pick = ({ key, ctrlKey, metaKey, altKey }: KeyboardEvent) => ({ key, ctrlKey, metaKey, altKey });

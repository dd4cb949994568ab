import { load, store } from './session.js';

/** A short confirmation in the page's live region ([data-toast], role=status). */
let timer: number | undefined;

export function toast(message: string): void {
  const el = document.querySelector<HTMLElement>('[data-toast]');
  if (!el) return;
  el.textContent = message;
  el.hidden = false;
  clearTimeout(timer);
  timer = window.setTimeout(() => {
    el.hidden = true;
  }, 5000);
}

const FLASH_KEY = 'nexus.flash';

/** A message to show on the next page (after a redirect). */
export const flash = (message: string): void => store(FLASH_KEY, message);

export function showFlash(): void {
  const message = load<string>(FLASH_KEY);
  store(FLASH_KEY, undefined);
  if (message) toast(message);
}

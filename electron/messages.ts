/**
 * The two messages the main process sends the window besides the contract's answers, shared by
 * main.ts and preload.ts. Contract calls travel on their own channel names (shared/contract); these
 * names are not channels of the contract and the page never sees them (the preload consumes them).
 */
export const HOST_EVENT_MESSAGE = 'nexus:host-event';
export const MENU_MESSAGE = 'nexus:menu';

/** Menu commands the preload carries out in the page: open a screen (a hash route), focus search. */
export type MenuCommand = { navigate: string } | { focusSearch: true };

/** A route of the UI: '/products', '/inventory/oversells'; nothing that could leave the hash. */
const ROUTE = /^\/[a-z0-9-]+(\/[a-z0-9-]+)*$/;

export function isMenuCommand(value: unknown): value is MenuCommand {
  if (typeof value !== 'object' || value === null) return false;
  if ('navigate' in value) return typeof value.navigate === 'string' && ROUTE.test(value.navigate);
  return 'focusSearch' in value && value.focusSearch === true;
}

/** What the page needs, so the preload's behaviour is testable without a DOM. */
export interface PageLike {
  location: { hash: string };
  focusSearch(): void;
}

/** The UI routes by hash (wouter's useHashLocation): setting it is exactly a click in the nav. */
export function applyMenuCommand(command: unknown, page: PageLike): boolean {
  if (!isMenuCommand(command)) return false;
  if ('navigate' in command) page.location.hash = `#${command.navigate}`;
  else page.focusSearch();
  return true;
}

/**
 * Quitting with unsynced changes asks first (SYNC.md rule 10): the changes are safe in the local
 * store, but staff should know they have not reached the server. Pure logic (no 'electron'):
 * main.ts supplies the dialog and the host.
 */
/** The part of Electron's MessageBoxOptions this prompt uses (this file stays free of 'electron'). */
export interface QuitPromptOptions {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
}

export type QuitChoice = 'quit' | 'sync' | 'cancel';

const BUTTONS: readonly { label: string; choice: QuitChoice }[] = [
  { label: 'Quit Anyway', choice: 'quit' },
  { label: 'Sync Now', choice: 'sync' },
  { label: 'Cancel', choice: 'cancel' },
];
const CANCEL_INDEX = BUTTONS.findIndex((button) => button.choice === 'cancel');

export function quitPrompt(pending: number, online: boolean): QuitPromptOptions {
  const changes = pending === 1 ? '1 change has' : `${pending} changes have`;
  return {
    type: 'warning',
    title: 'Unsynced changes',
    message: `${changes} not reached the server yet.`,
    detail:
      'They are kept on this computer and will sync the next time the back-office runs while online.' +
      (online ? '' : ' The server cannot be reached right now.'),
    buttons: BUTTONS.map((button) => button.label),
    // Enter and Escape both keep the app open: quitting is the deliberate choice.
    defaultId: CANCEL_INDEX,
    cancelId: CANCEL_INDEX,
    noLink: true,
  };
}

export function quitChoice(response: number): QuitChoice {
  return BUTTONS[response]?.choice ?? 'cancel';
}

export interface QuitGuardDeps {
  pending(): number;
  online(): boolean;
  ask(options: QuitPromptOptions): Promise<number>;
  /** Runs a sync pass; failures are fine (the question is asked again with the new count). */
  syncNow(): Promise<void>;
}

/**
 * `confirm()` answers whether the app may quit. It asks only while changes are pending, again after
 * "Sync now" if some remain, and a second quit request while the question is open joins it rather
 * than stacking dialogs.
 */
export function createQuitGuard(deps: QuitGuardDeps): { confirm(): Promise<boolean> } {
  let asking: Promise<boolean> | undefined;
  const run = async (): Promise<boolean> => {
    for (;;) {
      const pending = deps.pending();
      if (pending === 0) return true;
      const choice = quitChoice(await deps.ask(quitPrompt(pending, deps.online())));
      if (choice !== 'sync') return choice === 'quit';
      await deps.syncNow().catch(() => undefined);
    }
  };
  return {
    confirm() {
      asking ??= run().finally(() => (asking = undefined));
      return asking;
    },
  };
}

import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard, quitChoice, quitPrompt, type QuitGuardDeps, type QuitPromptOptions } from './quit-guard.js';

const QUIT = 0;
const SYNC = 1;
const CANCEL = 2;

/** `pending` answers its counts in turn (the last one repeats); `ask` answers `answers` in turn. */
function deps(pending: number[], answers: number[]) {
  const counts = [...pending];
  return {
    pending: vi.fn(() => (counts.length > 1 ? counts.shift()! : counts[0]!)),
    online: vi.fn(() => true),
    ask: vi.fn(async (_options: QuitPromptOptions) => answers.shift() ?? CANCEL),
    syncNow: vi.fn(async () => undefined),
  } satisfies QuitGuardDeps;
}

describe('quitPrompt', () => {
  it('names the count and defaults to staying open', () => {
    const prompt = quitPrompt(3, true);
    expect(prompt.message).toBe('3 changes have not reached the server yet.');
    expect(prompt.buttons).toEqual(['Quit Anyway', 'Sync Now', 'Cancel']);
    expect(prompt.defaultId).toBe(CANCEL);
    expect(prompt.cancelId).toBe(CANCEL);
    expect(quitPrompt(1, true).message).toBe('1 change has not reached the server yet.');
  });

  it('says when the server cannot be reached', () => {
    expect(quitPrompt(2, false).detail).toContain('cannot be reached');
    expect(quitPrompt(2, true).detail).not.toContain('cannot be reached');
  });

  it('reads an unknown answer (a closed dialog) as cancel', () => {
    expect(quitChoice(QUIT)).toBe('quit');
    expect(quitChoice(SYNC)).toBe('sync');
    expect(quitChoice(-1)).toBe('cancel');
    expect(quitChoice(7)).toBe('cancel');
  });
});

describe('createQuitGuard', () => {
  it('quits without asking when everything is synced', async () => {
    const d = deps([0], []);
    await expect(createQuitGuard(d).confirm()).resolves.toBe(true);
    expect(d.ask).not.toHaveBeenCalled();
  });

  it('asks while changes are pending: cancel keeps the app open, quit quits', async () => {
    const cancel = deps([2], [CANCEL]);
    await expect(createQuitGuard(cancel).confirm()).resolves.toBe(false);
    expect(cancel.ask).toHaveBeenCalledWith(
      expect.objectContaining({ message: '2 changes have not reached the server yet.' }),
    );
    const quit = deps([2], [QUIT]);
    await expect(createQuitGuard(quit).confirm()).resolves.toBe(true);
  });

  it('"Sync now" syncs, then quits once nothing is left, without asking again', async () => {
    const d = deps([2, 0], [SYNC]);
    await expect(createQuitGuard(d).confirm()).resolves.toBe(true);
    expect(d.syncNow).toHaveBeenCalledOnce();
    expect(d.ask).toHaveBeenCalledOnce();
  });

  it('asks again with the new count when a sync left some (or failed)', async () => {
    const d = deps([2, 1], [SYNC, CANCEL]);
    d.syncNow.mockRejectedValue(new Error('offline'));
    await expect(createQuitGuard(d).confirm()).resolves.toBe(false);
    expect(d.ask).toHaveBeenCalledTimes(2);
    expect(d.ask.mock.calls[1]![0]).toMatchObject({ message: '1 change has not reached the server yet.' });
  });

  it('shows one dialog for quit requests made while it is open', async () => {
    let answer!: (response: number) => void;
    const d = deps([1], []);
    d.ask.mockImplementationOnce(() => new Promise<number>((resolve) => (answer = resolve)));
    const guard = createQuitGuard(d);
    const first = guard.confirm();
    const second = guard.confirm();
    await vi.waitFor(() => expect(d.ask).toHaveBeenCalledOnce());
    answer(QUIT);
    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
    // Once answered, a new request asks again.
    d.ask.mockResolvedValueOnce(CANCEL);
    await expect(guard.confirm()).resolves.toBe(false);
    expect(d.ask).toHaveBeenCalledTimes(2);
  });
});

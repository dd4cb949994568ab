/**
 * Which products this window changed while the outbox still holds changes, for the "Not synced"
 * badge. The host only counts pending mutations (sync:status), so the UI remembers what it wrote;
 * once the outbox is empty every one of them reached the server (or was rejected, which the sync
 * bar reports), and the marks are dropped.
 */
import { create } from 'zustand';
import { useSyncStore } from '../../lib/stores/sync.js';

interface LocalEditsState {
  /** Product id → when it was last written here. */
  edited: Record<string, number>;
  mark: (productId: string) => void;
  clear: () => void;
}

export const useLocalEdits = create<LocalEditsState>()((set) => ({
  edited: {},
  mark: (productId) => set((state) => ({ edited: { ...state.edited, [productId]: Date.now() } })),
  clear: () => set({ edited: {} }),
}));

// Module scope on purpose: the marks must drop when the outbox empties even while no product screen is open.
useSyncStore.subscribe((state) => {
  if (state.status?.pending === 0 && Object.keys(useLocalEdits.getState().edited).length > 0)
    useLocalEdits.getState().clear();
});

export const markEdited = (productId: string): void => useLocalEdits.getState().mark(productId);

/** True while a change this window made to the product waits in the outbox. */
export function useNotSynced(productId: string | undefined): boolean {
  const marked = useLocalEdits((state) => productId !== undefined && state.edited[productId] !== undefined);
  const pending = useSyncStore((state) => state.status?.pending ?? 0);
  return marked && pending > 0;
}

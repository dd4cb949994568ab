/** What the sync bar shows: the host's latest SyncStatus (from `status` events) and whether the host answers at all. */
import { create } from 'zustand';
import type { SyncStatus } from '../../../../shared/contract/backoffice.js';

interface SyncState {
  status: SyncStatus | null;
  /** False while the event stream to the host is down: every figure shown may then be stale. */
  hostConnected: boolean;
  /** When the status was received: ages in it (oldest pending) grow from then. */
  receivedAt: number;
  setStatus: (status: SyncStatus) => void;
  setHostConnected: (connected: boolean) => void;
}

export const useSyncStore = create<SyncState>()((set) => ({
  status: null,
  hostConnected: true,
  receivedAt: 0,
  setStatus: (status) => set({ status, receivedAt: Date.now() }),
  setHostConnected: (hostConnected) => set({ hostConnected }),
}));

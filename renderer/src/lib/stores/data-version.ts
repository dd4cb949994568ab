/**
 * A counter per synced table, bumped when the host says a sync pass changed it (or when this UI
 * wrote to it), so every open screen that reads the table queries again.
 */
import { create } from 'zustand';

interface DataVersionState {
  versions: Record<string, number>;
  bump: (tables: readonly string[]) => void;
}

export const useDataVersionStore = create<DataVersionState>()((set) => ({
  versions: {},
  bump: (tables) =>
    set((state) => {
      const versions = { ...state.versions };
      for (const table of tables) versions[table] = (versions[table] ?? 0) + 1;
      return { versions };
    }),
}));

/** One number that changes whenever any of `tables` changes: use it as an effect dependency. */
export function useDataVersion(tables: readonly string[]): number {
  return useDataVersionStore((state) => tables.reduce((sum, table) => sum + (state.versions[table] ?? 0), 0));
}

/** After a local write, so other screens showing the same rows refresh too. */
export const bumpTables = (tables: readonly string[]): void => useDataVersionStore.getState().bump(tables);

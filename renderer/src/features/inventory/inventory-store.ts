/**
 * What the inventory screen remembers while the person moves between its tabs (each tab is its own
 * route, so the screen remounts): the levels search and the movement history's filters.
 */
import { create } from 'zustand';
import type { MOVEMENT_KINDS } from '../../../../shared/api/catalog.schemas.js';
import type { DayRange } from '../../lib/date-range.js';

export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface HistoryVariant {
  id: string;
  sku: string;
  productName: string;
}

interface InventoryState {
  search: string;
  variant: HistoryVariant | null;
  kind: MovementKind | '';
  range: DayRange;
  setSearch: (search: string) => void;
  setVariant: (variant: HistoryVariant | null) => void;
  setKind: (kind: MovementKind | '') => void;
  setRange: (range: DayRange) => void;
}

export const useInventoryStore = create<InventoryState>()((set) => ({
  search: '',
  variant: null,
  kind: '',
  range: { from: '', to: '' },
  setSearch: (search) => set({ search }),
  setVariant: (variant) => set({ variant }),
  setKind: (kind) => set({ kind }),
  setRange: (range) => set({ range }),
}));

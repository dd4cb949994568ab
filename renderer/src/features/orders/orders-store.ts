/**
 * The order list's filters, kept while the person opens an order and comes back. `toInput` turns
 * them into orders:list input, leaving out what is empty (the contract refuses an empty status list).
 */
import { create } from 'zustand';
import type { ChannelInput } from '../../../../shared/contract/backoffice.js';
import { type DayRange, rangeInput } from '../../lib/date-range.js';
import type { OrderStatus } from './order-status.js';

export interface OrderFilter {
  statuses: OrderStatus[];
  q: string;
  range: DayRange;
}

/** orders:list input without paging. */
export type OrderQuery = Omit<NonNullable<ChannelInput<'orders:list'>>, 'limit' | 'offset'>;

export function toInput(filter: OrderFilter): OrderQuery {
  const q = filter.q.trim();
  return {
    ...(filter.statuses.length ? { status: filter.statuses } : {}),
    ...(q ? { q } : {}),
    ...rangeInput(filter.range),
  };
}

export const toggle = (statuses: OrderStatus[], status: OrderStatus): OrderStatus[] =>
  statuses.includes(status) ? statuses.filter((s) => s !== status) : [...statuses, status];

interface OrdersState extends OrderFilter {
  set: (patch: Partial<OrderFilter>) => void;
}

export const useOrdersStore = create<OrdersState>()((set) => ({
  statuses: [],
  q: '',
  range: { from: '', to: '' },
  set: (patch) => set(patch),
}));

/** Transient messages in the corner: new orders, sync results, failed actions. */
import { create } from 'zustand';

export type ToastTone = 'info' | 'success' | 'warning' | 'danger';

export interface Toast {
  id: number;
  tone: ToastTone;
  title: string;
  body?: string;
  /** A hash route to open, e.g. '/orders/<id>'. */
  href?: string;
  hrefLabel?: string;
}

export type ToastInput = Omit<Toast, 'id'> & { /** 0 keeps it until dismissed. */ durationMs?: number };

/** Beyond this many the oldest go: a burst must not cover the screen. */
const MAX_TOASTS = 5;
const DEFAULT_MS = 6000;

interface ToastState {
  toasts: Toast[];
  push: (toast: ToastInput) => number;
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  push: ({ durationMs = DEFAULT_MS, ...toast }) => {
    const id = nextId++;
    set((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-MAX_TOASTS) }));
    if (durationMs > 0) setTimeout(() => get().dismiss(id), durationMs);
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}));

export const toast = (input: ToastInput): number => useToastStore.getState().push(input);

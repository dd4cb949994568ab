/** The host's local store: open it, apply pull pages, queue mutations, read what the handlers show. */
export { openStore, DEFAULT_MIGRATIONS_FOLDER, type Store, type OpenStoreOptions } from './store.js';
export { openStoreSafely, checkStore, type SafeOpenResult, type Recovery } from './open-safely.js';
export { applyPullPage, type ApplyResult, type ApplyOptions } from './apply.js';
export {
  enqueueMutation,
  pendingMutations,
  toEnvelope,
  markSent,
  recordSyncError,
  acknowledge,
  confirmApplied,
  renumberOutbox,
  outboxStats,
  type MutationInput,
  type OutboxEntry,
  type OutboxStats,
  type AcknowledgeSummary,
} from './outbox.js';
export * from './state.js';
export * from './queries.js';
export { refreshDerived } from './derived.js';

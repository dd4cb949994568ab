/**
 * Caches whose entries belong to one catalog state (cache.ts: the change sequence and time window).
 * A new state makes every older entry unreachable, since keys carry the state, and under checkout
 * traffic the state moves with every stock movement: kept in one LRU, those dead entries would fill
 * it to its bound before anything was evicted (the soak's slow heap growth). Here each state has its
 * own LRU and only the newest few states are kept, so memory follows what can still be asked for.
 * Requests that read the state just before a change still find theirs (KEPT_STATES).
 */
import { LRUCache } from 'lru-cache';

/** The current state and the one before it. */
const KEPT_STATES = 2;

export class StateCaches<V extends object> {
  private readonly byState = new Map<string, LRUCache<string, V>>();

  constructor(private readonly maxPerState: number) {}

  get(state: string, key: string): V | undefined {
    return this.byState.get(state)?.get(key);
  }

  set(state: string, key: string, value: V): void {
    let cache = this.byState.get(state);
    if (!cache) {
      cache = new LRUCache<string, V>({ max: this.maxPerState });
      this.byState.set(state, cache);
      // Oldest first: the map keeps insertion order.
      for (const old of this.byState.keys()) {
        if (this.byState.size <= KEPT_STATES) break;
        this.byState.delete(old);
      }
    }
    cache.set(key, value);
  }

  /** Entries held, over every state kept (the soak reports it). */
  get size(): number {
    let n = 0;
    for (const cache of this.byState.values()) n += cache.size;
    return n;
  }

  /** The states held, oldest first. */
  get states(): string[] {
    return [...this.byState.keys()];
  }
}

/** One StateCaches per database handle (an app's, or a test's own), made on first use. */
export function perDatabase<V extends object>(maxPerState: number) {
  const caches = new WeakMap<object, StateCaches<V>>();
  return (db: object): StateCaches<V> => {
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = new StateCaches<V>(maxPerState)));
    return cache;
  };
}

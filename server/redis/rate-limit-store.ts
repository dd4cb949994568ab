import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { RedisLink } from './redis.js';

/**
 * A rate-limit store that counts in Redis, so every instance sees the same totals, and in this
 * process's memory while Redis cannot be reached.
 *
 * Why not `passOnStoreError`: letting requests through unlimited would switch brute-force
 * protection off (and let junk reset tokens make the server hash without end) for as long as
 * Redis is away, and refusing them would take sign-in down with Redis. Counting per instance
 * keeps both: during an outage a client gets at most the limit on each instance it reaches.
 */
export class SharedRateLimitStore implements Store {
  /** Counts live outside this process (express-rate-limit's double-count check keys on the prefix). */
  readonly localKeys = false;
  readonly prefix: string;
  private readonly redis: RedisStore;
  private readonly memory = new MemoryStore();
  private options: Options | undefined;
  /** rate-limit-redis loads its scripts once in init(); a failed load is retried on the next request. */
  private scripts: Promise<void> | undefined;

  constructor(
    private readonly link: RedisLink,
    name: string,
  ) {
    this.prefix = link.key(`rl:${name}:`);
    this.redis = new RedisStore({ prefix: this.prefix, sendCommand: (...args: string[]) => link.sendCommand(args) });
  }

  init(options: Options): void {
    this.options = options;
    this.memory.init(options);
  }

  increment(key: string): Promise<IncrementResponse> {
    return this.either((store) => store.increment(key));
  }

  decrement(key: string): Promise<void> {
    return this.either((store) => store.decrement(key));
  }

  resetKey(key: string): Promise<void> {
    return this.either((store) => store.resetKey(key));
  }

  private async either<T>(operation: (store: RedisStore | MemoryStore) => Promise<T>): Promise<T> {
    if (this.link.ready && this.options) {
      try {
        this.scripts ??= this.redis.init(this.options).catch((err: unknown) => {
          this.scripts = undefined;
          throw err;
        });
        await this.scripts;
        return await operation(this.redis);
      } catch {
        // Reported once by the link; this request is counted here instead.
      }
    }
    return operation(this.memory);
  }
}

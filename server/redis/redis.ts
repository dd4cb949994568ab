import type { Logger } from 'pino';
import { createClient } from 'redis';

type Client = ReturnType<typeof createClient>;

export interface RedisLinkOptions {
  url: string;
  /** Put before every key and channel name, so several deployments (or test runs) can share one Redis. */
  prefix: string;
  logger: Logger;
  /** How long one command may take before its caller falls back (a stalled Redis must not stall requests). */
  commandTimeoutMs?: number;
}

export interface Subscription {
  message(text: string): void;
  /** After every (re)connection of the subscriber: anything published while it was away is lost. */
  resumed(): void;
}

/** Reconnect quickly at first, then every 5 s for as long as Redis stays away. */
const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, 5000);

/**
 * The app's connection to Redis (REDIS_URL). Redis only ever speeds things up or shares them
 * between instances, so nothing here may take a request down: while Redis is unreachable every
 * command fails at once (nothing waits in an offline queue), the callers fall back to what this
 * instance has, and the connection keeps retrying in the background. Connecting never blocks
 * start-up. One warning is logged when Redis goes away and one line when it is back, however
 * many requests fall back in between.
 */
export class RedisLink {
  readonly prefix: string;
  private readonly commands: Client;
  /** A connection in subscriber mode can run no other command, hence a second one. */
  private readonly subscriber: Client;
  private readonly logger: Logger;
  private readonly subscriptions: Promise<void>[] = [];
  private readonly resumeListeners: (() => void)[] = [];
  private failing = false;
  private closing: Promise<void> | undefined;

  constructor(options: RedisLinkOptions) {
    this.prefix = options.prefix;
    this.logger = options.logger;
    const socket = { connectTimeout: 2000, reconnectStrategy: reconnectDelay };
    this.commands = createClient({
      url: options.url,
      socket,
      disableOfflineQueue: true,
      commandOptions: { timeout: options.commandTimeoutMs ?? 500 },
    });
    // Its offline queue stays on: SUBSCRIBE is queued until the first connection, and node-redis
    // subscribes again by itself after a reconnection.
    this.subscriber = this.commands.duplicate({ disableOfflineQueue: false });
    this.commands.on('error', (err: Error) => this.failed(err));
    this.commands.on('ready', () => this.recovered());
    // The commands connection reports outages; the subscriber's own errors would repeat it.
    this.subscriber.on('error', (err: Error) => this.logger.debug({ reason: err.message }, 'redis subscriber error'));
    this.subscriber.on('ready', () => {
      for (const listener of this.resumeListeners) listener();
    });
    // Not awaited: both retry until Redis answers (or close), and errors arrive through 'error'.
    this.commands.connect().catch(() => undefined);
    this.subscriber.connect().catch(() => undefined);
  }

  /** True while commands can be sent; when false every command fails without waiting. */
  get ready(): boolean {
    return this.commands.isReady;
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  get(key: string): Promise<string | null> {
    return this.run(() => this.commands.get(key));
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.run(() => this.commands.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } }));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run(() => this.commands.publish(channel, message));
  }

  /** A raw command, for libraries that build their own (rate-limit-redis). */
  sendCommand<T>(args: string[]): Promise<T> {
    return this.run(() => this.commands.sendCommand<T>(args));
  }

  subscribe(channel: string, subscription: Subscription): void {
    this.resumeListeners.push(() => subscription.resumed());
    const subscribed = this.subscriber.subscribe(channel, (message: string) => subscription.message(message));
    // Settled either way: a failure is reported through 'error', and close() must not wait on it.
    this.subscriptions.push(subscribed.catch(() => undefined));
  }

  /** Resolves true once commands can run and every subscription is in place, false after `timeoutMs`. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const connected = (client: Client) =>
      new Promise<void>((resolve) => (client.isReady ? resolve() : client.once('ready', () => resolve())));
    const allIn = Promise.all([connected(this.commands), connected(this.subscriber), ...this.subscriptions]).then(
      () => true,
    );
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([allIn, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends both connections (waiting for replies already asked for); also stops retrying a dead Redis. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.subscriber, this.commands].map((client) => this.end(client))).then(
      () => undefined,
    );
    return this.closing;
  }

  private async end(client: Client): Promise<void> {
    if (!client.isOpen) return;
    // close() waits for pending replies, which a dead Redis never sends: drop the socket instead.
    if (client.isReady) await client.close();
    else client.destroy();
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (!this.commands.isReady) throw new Error('Redis is not connected');
    try {
      const result = await command();
      if (this.failing) this.recovered();
      return result;
    } catch (err) {
      this.failed(err as Error);
      throw err;
    }
  }

  private failed(err: Error): void {
    if (this.failing || this.closing) return;
    this.failing = true;
    this.logger.warn(
      { reason: err.message },
      'Redis unavailable: catalog cache and rate limits fall back to this instance until it is back',
    );
  }

  private recovered(): void {
    this.logger.info(this.failing ? 'Redis reachable again' : 'Redis connected');
    this.failing = false;
  }
}

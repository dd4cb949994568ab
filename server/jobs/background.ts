import type { Logger } from 'pino';

/**
 * Work started by a request but not awaited by it (so its duration reveals nothing to the caller),
 * tracked so that shutdown and tests can wait for it to finish.
 */
export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, task: () => Promise<unknown>): void {
    const p: Promise<void> = task()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error({ err, task: name }, 'background task failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

import { randomUUID } from 'node:crypto';
import { CACHE_WINDOW_SECONDS, type CachedBody, type SharedCatalog } from '../modules/catalog/cache.js';
import type { RedisLink } from './redis.js';

/**
 * An answer's key names the catalog state, and with it the time window, so it cannot be asked for
 * once that window is over and an instance's state read (at most a minute old) has moved on.
 */
const ANSWER_TTL_SECONDS = 2 * CACHE_WINDOW_SECONDS;

/**
 * The catalog's shared layer in Redis: public answers under `<prefix>catalog:answer:<etag>`, and
 * the channel `<prefix>catalog:changed` on which an instance that wrote tells the others. Every
 * failure reads as a miss or a message not sent: the caller then does what it does without Redis.
 */
export function redisCatalog(link: RedisLink): SharedCatalog {
  // Lets an instance ignore its own announcements (it has already dropped its state).
  const instance = randomUUID();
  const channel = link.key('catalog:changed');
  const answerKey = (etag: string) => link.key(`catalog:answer:${etag}`);
  return {
    async get(etag) {
      const stored = await link.get(answerKey(etag)).catch(() => null);
      if (stored === null) return undefined;
      const newline = stored.indexOf('\n');
      return { type: stored.slice(0, newline), body: stored.slice(newline + 1) } satisfies CachedBody;
    },
    set(etag, entry) {
      // A content type has no line break, so the first one ends it.
      link.set(answerKey(etag), `${entry.type}\n${entry.body}`, ANSWER_TTL_SECONDS).catch(() => undefined);
    },
    announce() {
      return link.publish(channel, instance).catch(() => undefined);
    },
    subscribe(listener) {
      link.subscribe(channel, {
        message: (from) => {
          if (from !== instance) listener();
        },
        // Announcements made while the subscriber was away are lost: assume one was.
        resumed: listener,
      });
    },
  };
}

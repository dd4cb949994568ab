/** Product image channels: each parses its input (channel.ts bind), then calls the image queue (media/service.ts). */
import type { MediaQueue } from '../media/service.js';
import { bind } from './channel.js';

export function mediaHandlers(media: MediaQueue) {
  return {
    'media:upload': bind('media:upload', (input) => media.upload(input)),
    'media:pending': bind('media:pending', ({ productId }) => media.pending(productId)),
    'media:retry': bind('media:retry', ({ id }) => media.retry(id)),
    'media:discard': bind('media:discard', ({ id }) => {
      media.discard(id);
      return { ok: true as const };
    }),
  };
}

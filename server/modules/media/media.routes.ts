import path from 'node:path';
import express, { type Router } from 'express';
import { uuidParam } from '../../../shared/api/common.schemas.js';
import { notFound } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import { validationError } from '../../http/errors.js';
import { ApiRouter, zodIssuesToFieldErrors } from '../../http/route.js';
import { LocalMediaStore } from './local-store.js';
import { adminImageSchema, deliveryQuery, imageParams, imagePatchInput } from './media.schemas.js';
import * as media from './media.service.js';
import { localMediaDir } from './store.js';
import { imageUpload, uploadInput } from './upload.js';

export function adminMediaRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Admin: catalog'];
  return new ApiRouter('/api/v1/admin')
    .add({
      method: 'post',
      path: '/products/:id/images',
      summary: 'Upload a product image (multipart/form-data)',
      description:
        'Send `multipart/form-data` with exactly one file in the field `file` and an optional `alt` text field. ' +
        'JPEG, PNG and WebP are accepted, recognised by their content (not by name or Content-Type); ' +
        'the size limit is MEDIA_MAX_BYTES (10 MiB by default). The image is appended to the gallery. ' +
        'An optional `id` field (a UUID the client chose) makes the upload safe to send again: when that id is ' +
        'already this product’s image, the answer is that image and nothing is stored; 409 when it is another’s.',
      tags,
      access: 'staff',
      params: uuidParam,
      status: 201,
      response: adminImageSchema,
      errors: [400, 404, 409, 413, 415],
      before: [imageUpload(ctx.config.MEDIA_MAX_BYTES)],
      handler: ({ params, req }) => media.addProductImage(ctx, params.id, uploadInput(req)),
    })
    .add({
      method: 'patch',
      path: '/products/:id/images/:imageId',
      summary: 'Change an image’s alt text or move it within the gallery',
      tags,
      access: 'staff',
      params: imageParams,
      body: imagePatchInput,
      response: adminImageSchema,
      errors: [404],
      handler: ({ params, body }) => media.updateProductImage(ctx, params.id, params.imageId, body),
    })
    .add({
      method: 'delete',
      path: '/products/:id/images/:imageId',
      summary: 'Delete an image and its stored file',
      tags,
      access: 'staff',
      params: imageParams,
      status: 204,
      errors: [404],
      handler: ({ params }) => media.deleteProductImage(ctx, params.id, params.imageId),
    });
}

/**
 * Public `GET /media/:key[?w=320&fmt=webp]`: locally stored images, resized and re-encoded on
 * first request and cached on disk. Served whichever store is active, so images uploaded before
 * a switch to Cloudinary keep working.
 */
export function mediaFilesRouter(ctx: AppContext): Router {
  const files =
    ctx.media instanceof LocalMediaStore ? ctx.media : new LocalMediaStore(localMediaDir(ctx.config.dataDir));
  const router = express.Router();
  router.get('/:key', async (req, res) => {
    // A malformed key is just as absent as an unknown one (it includes every traversal attempt).
    const key = req.params.key;
    const query = deliveryQuery.safeParse(req.query);
    const file = await files.resolve(key, query.success ? query.data : {});
    if (!file) throw notFound('Image');
    if (!query.success) throw validationError(zodIssuesToFieldErrors(query.error, 'query'));
    // Keys are unique per upload and never reused, so a response can be cached for good.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    await new Promise<void>((resolve, reject) => {
      // Relative to `root`: send's dot-file check then looks only below DATA_DIR/media.
      const relative = path.relative(files.dir, file);
      res.sendFile(relative, { root: files.dir, maxAge: '365d', immutable: true, dotfiles: 'deny' }, (err) => {
        if (err && !res.headersSent) reject(err);
        else resolve();
      });
    });
  });
  return router;
}

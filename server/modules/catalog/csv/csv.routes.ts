import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request } from 'express';
import { z } from 'zod';
import { productStatusSchema } from '../../../../shared/api/catalog.schemas.js';
import { AppError } from '../../../../shared/domain/errors.js';
import type { AppContext } from '../../../context.js';
import { requireAccess } from '../../../http/auth.js';
import { validationError } from '../../../http/errors.js';
import { ApiRouter, zodIssuesToFieldErrors, type RouteSpec } from '../../../http/route.js';
import { exportProductsCsv } from './csv-export.service.js';
import { CSV_MAX_BYTES, importProductsCsv } from './csv-import.service.js';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();
const exportQuery = z.strictObject({ status: productStatusSchema.optional(), excel: flag });
const importQuery = z.strictObject({ dryRun: flag });

const issueSchema = z.object({ line: z.number().int(), column: z.string().optional(), message: z.string() });
const importResultSchema = z
  .object({
    ok: z.boolean(),
    dryRun: z.boolean(),
    batchId: z.string().nullable(),
    errors: z.array(issueSchema),
    summary: z.object({
      products: z.number().int(),
      variants: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      variantsRemoved: z.number().int(),
      stockMovements: z.number().int(),
    }),
  })
  .meta({ id: 'ProductImportResult' });

const tags = ['Admin: catalog'];

/** 415 unless the body is uncompressed text/csv in UTF-8; 413 early when the declared length is already too big. */
function assertCsvBody(req: Request, maxBytes: number): void {
  const charset = /charset=["']?([^;"'\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  const encoding = req.headers['content-encoding'];
  const plain = encoding === undefined || encoding === 'identity';
  if (!req.is('text/csv') || !plain || (charset && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new AppError(
      'unsupported_media_type',
      'Send the CSV as the request body with Content-Type: text/csv (UTF-8)',
    );
  }
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
    throw new AppError('payload_too_large', `The CSV is larger than ${maxBytes} bytes: split it into several files`);
  }
}

/**
 * CSV export and import of products (format: csv-format.ts). Mount before the admin catalog
 * router, whose `GET /products/:id` would otherwise see `export` as a malformed id.
 */
export function productCsvRoutes(ctx: AppContext): ApiRouter {
  const api = new ApiRouter('/api/v1/admin');
  const exportSpec: RouteSpec = {
    method: 'get',
    path: '/products/export',
    summary: 'Export products as CSV (one row per variant)',
    description:
      'Streams `text/csv` (UTF-8 with BOM) as an attachment: every product, or those with `status`. ' +
      'Prices are decimals in major units. `excel=1` guards cells against spreadsheet formulas ' +
      '(a leading apostrophe), which makes those cells differ from the data on re-import.',
    tags,
    access: 'staff',
    query: exportQuery,
    handler: () => {
      throw new Error('served by the streaming route below');
    },
  };
  // A streamed text/csv body is not what ApiRouter.add produces, so this route is plain express
  // and only its documentation goes through the declarative list.
  api.routes.push({ ...exportSpec, fullPath: api.prefix + exportSpec.path });
  api.router.get('/products/export', requireAccess('staff'), async (req, res) => {
    const query = exportQuery.safeParse(req.query);
    if (!query.success) throw validationError(zodIssuesToFieldErrors(query.error, 'query'));
    const records = exportProductsCsv(ctx.db, query.data);
    // Fetch the header before answering, so a failure up front is still a proper problem+json.
    const header = await records.next();
    const all = async function* () {
      if (!header.done) yield header.value;
      yield* records;
    };
    const date = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="products-${date}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await pipeline(all(), stringify({ bom: true, record_delimiter: 'windows' }), res);
    } catch (err) {
      // Headers are gone: the client sees a cut-off download, the log says why.
      req.log.warn({ err }, 'product CSV export stopped early');
    }
  });

  return api.add({
    method: 'post',
    path: '/products/import',
    summary: 'Import products from CSV (all or nothing)',
    description:
      'Body: the CSV as `text/csv` (UTF-8, BOM optional), at most 20 MB and 50,000 rows. Rows group into ' +
      'products by `product_id`, else `handle`; existing products (by id, else handle) and variants (by id, ' +
      'else SKU) are updated, others created; `stock` sets on-hand at the default location with a ledger ' +
      'count correction. `dryRun=true` checks everything and applies nothing, answering `ok: false` with ' +
      'every bad row; a real import with any bad row applies nothing and answers 422 listing them.',
    tags,
    access: 'staff',
    query: importQuery,
    response: importResultSchema,
    errors: [413, 415, 422],
    handler: async ({ req, query, auth }) => {
      assertCsvBody(req, CSV_MAX_BYTES);
      const dryRun = query.dryRun ?? false;
      const result = await importProductsCsv(ctx.db, req, { dryRun, actorId: auth.userId });
      if (!result.ok && !dryRun) {
        const errors = result.errors.map((e) => ({
          path: ['line', e.line, ...(e.column ? [e.column] : [])].join('.'),
          ...e,
        }));
        throw new AppError('validation_failed', `The CSV has ${errors.length} problem(s); nothing was imported`, {
          errors,
        });
      }
      return result;
    },
  });
}

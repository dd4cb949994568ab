import { z } from 'zod';
import { AppError } from '../../../shared/domain/errors.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';

export interface Lifecycle {
  migrated: boolean;
  shuttingDown: boolean;
}

export function systemRoutes(ctx: AppContext, lifecycle: Lifecycle, openapi: () => unknown): ApiRouter {
  const tags = ['Meta'];
  return new ApiRouter('/api')
    .add({
      method: 'get',
      path: '/health',
      summary: 'Liveness: the process answers',
      tags,
      access: 'public',
      response: z.object({ status: z.literal('ok') }),
      handler: async () => ({ status: 'ok' as const }),
    })
    .add({
      method: 'get',
      path: '/ready',
      summary: 'Readiness: the database answers and is migrated, and the instance is not shutting down',
      tags,
      access: 'public',
      response: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }),
      errors: [503],
      handler: async () => {
        if (lifecycle.shuttingDown) throw new AppError('service_unavailable', 'This instance is shutting down');
        if (!lifecycle.migrated) throw new AppError('service_unavailable', 'The database is not migrated yet');
        try {
          await ctx.database.ping();
        } catch (err) {
          ctx.logger.warn({ err }, 'readiness: database ping failed');
          throw new AppError('service_unavailable', 'The database does not answer');
        }
        return { status: 'ready' as const, database: ctx.database.kind };
      },
    })
    .add({
      method: 'get',
      path: '/openapi.json',
      summary: 'This OpenAPI document',
      tags,
      access: 'public',
      response: z.record(z.string(), z.unknown()),
      handler: async () => openapi() as Record<string, unknown>,
    });
}

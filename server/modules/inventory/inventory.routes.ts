import { z } from 'zod';
import {
  adjustmentInput,
  countInput,
  movementSchema,
  movementsQuery,
  stockLevelSchema,
} from '../../../shared/api/catalog.schemas.js';
import { paginated } from '../../../shared/api/common.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import * as stock from './stock.service.js';

const movementResult = z.object({ movement: movementSchema.nullable(), level: stockLevelSchema });

export function inventoryRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Admin: inventory'];
  return new ApiRouter('/api/v1/admin/inventory')
    .add({
      method: 'post',
      path: '/adjustments',
      summary: 'Adjust stock with a reason (received, damage, return, sale, adjustment)',
      tags,
      access: 'staff',
      body: adjustmentInput,
      status: 201,
      response: movementResult,
      handler: async ({ body, auth }) => {
        const { movement, level } = await stock.adjustStock(ctx.db, body, auth.userId);
        return { movement: stock.toMovement(movement), level };
      },
    })
    .add({
      method: 'post',
      path: '/counts',
      summary: 'Record a stocktake count',
      description:
        'With `expected` (what the counter saw), the correction is counted − expected, so sales since the count are kept; without it the level becomes `counted`.',
      tags,
      access: 'staff',
      body: countInput,
      status: 201,
      response: movementResult,
      handler: async ({ body, auth }) => {
        const { movement, level } = await stock.countStock(ctx.db, body, auth.userId);
        return { movement: movement ? stock.toMovement(movement) : null, level };
      },
    })
    .add({
      method: 'get',
      path: '/movements',
      summary: 'The stock ledger, newest first',
      tags,
      access: 'staff',
      query: movementsQuery,
      response: paginated(movementSchema),
      handler: ({ query }) => stock.listMovements(ctx.db, query),
    })
    .add({
      method: 'get',
      path: '/levels/:variantId',
      summary: 'Stock level of one variant',
      tags,
      access: 'staff',
      params: z.strictObject({ variantId: z.uuid() }),
      response: stockLevelSchema,
      errors: [404],
      handler: ({ params }) => stock.getLevel(ctx.db, params.variantId),
    });
}

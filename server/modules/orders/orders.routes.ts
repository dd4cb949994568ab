import { pageQuery, uuidParam } from '../../../shared/api/common.schemas.js';
import { orderListSchema, orderSchema, orderTokenQuery } from '../../../shared/api/orders.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import { listMemberOrders, readOrder } from './orders.service.js';

export function orderRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Orders'];
  return new ApiRouter('/api/v1')
    .add({
      method: 'get',
      path: '/me/orders',
      summary: "The signed-in member's orders, newest first",
      tags,
      access: 'user',
      query: pageQuery,
      response: orderListSchema,
      handler: ({ auth, query }) => listMemberOrders(ctx.db, auth.userId, query.page, query.limit),
    })
    .add({
      method: 'get',
      path: '/orders/:id',
      summary: 'One order',
      description:
        "For the order's member, staff and admins, or a guest sending the order's access token as `?token=` " +
        '(from the checkout answer or the e-mail link). Anyone else gets 404, as for an unknown id.',
      tags,
      access: 'public',
      params: uuidParam,
      query: orderTokenQuery,
      response: orderSchema,
      errors: [404],
      handler: ({ auth, params, query }) => readOrder(ctx.db, params.id, auth, query.token),
    });
}

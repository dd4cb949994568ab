import { adminUserPatch, adminUserSchema, adminUsersQuery } from '../../../shared/api/users.schemas.js';
import { paginated, uuidParam } from '../../../shared/api/common.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import { adminUpdateUser, listUsers } from './users.service.js';

export function adminUserRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Admin: users'];
  return new ApiRouter('/api/v1/admin/users')
    .add({
      method: 'get',
      path: '/',
      summary: 'List users (admin only)',
      tags,
      access: 'admin',
      query: adminUsersQuery,
      response: paginated(adminUserSchema),
      handler: ({ query }) => listUsers(ctx.db, query),
    })
    .add({
      method: 'patch',
      path: '/:id',
      summary: "Change a user's role or disable them (admin only)",
      description: 'Disabling a user ends all their sessions. Admins cannot demote or disable themselves.',
      tags,
      access: 'admin',
      params: uuidParam,
      body: adminUserPatch,
      response: adminUserSchema,
      errors: [404, 409],
      handler: ({ auth, params, body }) => adminUpdateUser(ctx.db, auth.userId, params.id, body),
    });
}

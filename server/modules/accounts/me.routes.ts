import { z } from 'zod';
import { addressInput, addressPatch, addressSchema, updateMeBody } from '../../../shared/api/accounts.schemas.js';
import { userSchema } from '../../../shared/api/auth.schemas.js';
import { uuidParam } from '../../../shared/api/common.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import * as addressBook from './addresses.service.js';
import { getProfile, updateProfile } from './profile.service.js';

export function meRoutes(ctx: AppContext): ApiRouter {
  const tags = ['Account'];
  return new ApiRouter('/api/v1/me')
    .add({
      method: 'get',
      path: '/',
      summary: 'The signed-in user',
      tags,
      access: 'user',
      response: userSchema,
      handler: ({ auth }) => getProfile(ctx, auth.userId),
    })
    .add({
      method: 'patch',
      path: '/',
      summary: 'Update name, e-mail or password',
      description: 'Changing e-mail or password needs `currentPassword`; a new password ends all other sessions.',
      tags,
      access: 'user',
      body: updateMeBody,
      response: userSchema,
      errors: [409],
      handler: ({ auth, body }) => updateProfile(ctx, auth.userId, body),
    })
    .add({
      method: 'get',
      path: '/addresses',
      summary: 'The address book',
      tags,
      access: 'user',
      response: z.object({ items: z.array(addressSchema) }),
      handler: async ({ auth }) => ({ items: await addressBook.listAddresses(ctx.db, auth.userId) }),
    })
    .add({
      method: 'post',
      path: '/addresses',
      summary: 'Add an address',
      tags,
      access: 'user',
      body: addressInput,
      status: 201,
      response: addressSchema,
      errors: [409],
      handler: ({ auth, body }) => addressBook.createAddress(ctx.db, auth.userId, body),
    })
    .add({
      method: 'patch',
      path: '/addresses/:id',
      summary: 'Change an address',
      tags,
      access: 'user',
      params: uuidParam,
      body: addressPatch,
      response: addressSchema,
      errors: [404],
      handler: ({ auth, params, body }) => addressBook.updateAddress(ctx.db, auth.userId, params.id, body),
    })
    .add({
      method: 'delete',
      path: '/addresses/:id',
      summary: 'Remove an address',
      tags,
      access: 'user',
      params: uuidParam,
      status: 204,
      errors: [404],
      handler: ({ auth, params }) => addressBook.deleteAddress(ctx.db, auth.userId, params.id),
    });
}

import { z } from 'zod';
import { roleSchema, userSchema } from './auth.schemas.js';
import { pageQuery } from './common.schemas.js';

export const adminUserSchema = userSchema
  .extend({ disabled: z.boolean(), updatedAt: z.iso.datetime() })
  .meta({ id: 'AdminUser' });

export const adminUsersQuery = pageQuery.extend({
  role: roleSchema.optional(),
  q: z.string().trim().max(254).optional(),
});

export const adminUserPatch = z
  .strictObject({ role: roleSchema.optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'nothing to update' });
